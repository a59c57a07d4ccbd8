//! 2-D max and average pooling over CHW tensors (CPU kernels; DSPLib has none).

use crate::accelerator::PoolShape;
use crate::cost::Kernel;
use crate::error::{KernelError, Violation};
use crate::kernels::check;

/// Max pooling, valid padding. Exact.
pub fn max_pool(src: &[i16], shape: &PoolShape, dst: &mut [i16]) -> Result<(), KernelError> {
    pool(Kernel::MaxPool, src, shape, dst)
}

/// Average pooling, valid padding: `floor(sum / n + 1/2)` with the sum exact in 32 bits.
pub fn avg_pool(src: &[i16], shape: &PoolShape, dst: &mut [i16]) -> Result<(), KernelError> {
    pool(Kernel::AvgPool, src, shape, dst)
}

/// Validate the shape, then reduce every window (max for `MaxPool`, rounded mean otherwise).
fn pool(kernel: Kernel, src: &[i16], shape: &PoolShape, dst: &mut [i16]) -> Result<(), KernelError> {
    let (Some(out_h), Some(out_w), Some(out_len)) = (shape.out_height(), shape.out_width(), shape.output_len()) else {
        return Err(KernelError::new(kernel, Violation::InvalidPoolShape));
    };
    check::same_len(kernel, shape.input_len(), src.len())?;
    check::same_len(kernel, out_len, dst.len())?;
    let plane = shape.height * shape.width;
    let count = (shape.window_h * shape.window_w) as i32;
    let mut outputs = dst.iter_mut();
    for channel in src.chunks_exact(plane).take(shape.channels) {
        for oy in 0..out_h {
            for ox in 0..out_w {
                let (y0, x0) = (oy * shape.stride_h, ox * shape.stride_w);
                let rows = (y0..y0 + shape.window_h).map(|y| &channel[y * shape.width + x0..][..shape.window_w]);
                let value = if kernel == Kernel::MaxPool {
                    rows.flatten().fold(i16::MIN, |m, &x| m.max(x))
                } else {
                    let sum: i32 = rows.flatten().map(|&x| x as i32).sum();
                    // floor((2*sum + n) / (2n)) = floor(sum/n + 1/2); it lies within the inputs' range.
                    (2 * sum + count).div_euclid(2 * count) as i16
                };
                if let Some(slot) = outputs.next() {
                    *slot = value;
                }
            }
        }
    }
    Ok(())
}
