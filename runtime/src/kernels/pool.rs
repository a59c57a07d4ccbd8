//! 2-D max and average pooling over CHW tensors (CPU kernels; DSPLib has none).
//!
//! Written for the MSP430, a 16-bit CPU whose multiplier is a peripheral and which has no divider: windows
//! are found by adding strides to offsets (no index products), and the 2x2 stride-2 window that nearly every
//! CNN uses has its own loop, which walks two input rows side by side and reads every input once.

use crate::cost::Kernel;
use crate::error::{KernelError, Violation};
use crate::kernels::check;
use crate::shapes::PoolShape;

/// Max pooling, valid padding, no output below `floor` (0: with the ReLU of the layer before). Exact.
pub fn max_pool(src: &[i16], shape: &PoolShape, floor: i16, dst: &mut [i16]) -> Result<(), KernelError> {
    let out = validate(Kernel::MaxPool, src, shape, dst)?;
    if is_2x2_stride_2(shape) {
        each_2x2(src, shape, out, dst, |a, b, c, d| a.max(b).max(c.max(d)).max(floor));
    } else {
        each_window(src, shape, out, dst, |corner| fold_window(corner, shape, floor, i16::max));
    }
    Ok(())
}

/// Average pooling, valid padding: `floor(sum / n + 1/2)` with the sum exact in 32 bits.
pub fn avg_pool(src: &[i16], shape: &PoolShape, dst: &mut [i16]) -> Result<(), KernelError> {
    let out = validate(Kernel::AvgPool, src, shape, dst)?;
    if is_2x2_stride_2(shape) {
        // `rounded_mean` with n = 4, the division as a shift: floor((2s + 4) / 8) = floor((s + 2) / 4).
        each_2x2(src, shape, out, dst, |a, b, c, d| ((a as i32 + b as i32 + c as i32 + d as i32 + 2) >> 2) as i16);
    } else {
        let count = (shape.window_h * shape.window_w) as i32;
        each_window(src, shape, out, dst, |corner| {
            rounded_mean(fold_window(corner, shape, 0, |sum, x| sum + x as i32), count)
        });
    }
    Ok(())
}

/// Output rows and columns of one channel.
#[derive(Clone, Copy)]
struct OutputSize {
    height: usize,
    width: usize,
}

/// Check the shape and both lengths; the output size on success.
fn validate(kernel: Kernel, src: &[i16], shape: &PoolShape, dst: &[i16]) -> Result<OutputSize, KernelError> {
    let (Some(height), Some(width)) = (shape.out_height(), shape.out_width()) else {
        return Err(KernelError::new(kernel, Violation::InvalidPoolShape));
    };
    check::same_len(kernel, shape.input_len(), src.len())?;
    check::same_len(kernel, shape.channels * height * width, dst.len())?;
    Ok(OutputSize { height, width })
}

fn is_2x2_stride_2(shape: &PoolShape) -> bool {
    shape.window_h == 2 && shape.window_w == 2 && shape.stride_h == 2 && shape.stride_w == 2
}

/// `dst[c][y][x] = reduce(window)` for every window of a valid shape, each given as the input from its
/// top-left corner on (rows `shape.width` apart).
fn each_window(src: &[i16], shape: &PoolShape, out: OutputSize, dst: &mut [i16], reduce: impl Fn(&[i16]) -> i16) {
    let plane = shape.height * shape.width;
    let row_step = shape.stride_h * shape.width;
    let (mut channel, mut next) = (0, 0);
    for _ in 0..shape.channels {
        let mut row = channel;
        for _ in 0..out.height {
            let mut corner = row;
            for slot in &mut dst[next..next + out.width] {
                *slot = reduce(&src[corner..]);
                corner += shape.stride_w;
            }
            next += out.width;
            row += row_step;
        }
        channel += plane;
    }
}

/// Folds `f` over the `window_h x window_w` window whose top-left corner starts `corner`.
fn fold_window<T>(corner: &[i16], shape: &PoolShape, init: T, f: impl Fn(T, i16) -> T) -> T {
    let mut acc = init;
    let mut row = 0;
    for _ in 0..shape.window_h {
        for &x in &corner[row..row + shape.window_w] {
            acc = f(acc, x);
        }
        row += shape.width;
    }
    acc
}

/// `floor(sum / count + 1/2)` as `floor((2 sum + count) / (2 count))`; it lies within the inputs' range.
fn rounded_mean(sum: i32, count: i32) -> i16 {
    (2 * sum + count).div_euclid(2 * count) as i16
}

/// [`each_window`] for 2x2 windows at stride 2: `dst = reduce(top left, top right, bottom left, bottom
/// right)`, each pair of input rows walked side by side (an odd last row or column is left out, as valid
/// padding says).
fn each_2x2(
    src: &[i16],
    shape: &PoolShape,
    out: OutputSize,
    dst: &mut [i16],
    reduce: impl Fn(i16, i16, i16, i16) -> i16,
) {
    let plane = shape.height * shape.width;
    let (mut channel, mut next) = (0, 0);
    for _ in 0..shape.channels {
        let mut top = channel;
        for _ in 0..out.height {
            let bottom = top + shape.width;
            let upper = src[top..top + 2 * out.width].as_chunks::<2>().0;
            let lower = src[bottom..bottom + 2 * out.width].as_chunks::<2>().0;
            for ((slot, u), l) in dst[next..next + out.width].iter_mut().zip(upper).zip(lower) {
                *slot = reduce(u[0], u[1], l[0], l[1]);
            }
            next += out.width;
            top += 2 * shape.width;
        }
        channel += plane;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn noise(len: usize, seed: u32) -> Vec<i16> {
        let mut state = seed;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as i16
            })
            .collect()
    }

    /// The 2x2 stride-2 loops against the general walk on random data, for even and odd sides, one channel
    /// and several.
    #[test]
    fn the_2x2_loops_equal_the_general_walk() {
        let sides = [(1, 2, 2), (3, 6, 6), (2, 7, 5), (4, 5, 8), (1, 9, 9), (5, 3, 2), (2, 28, 28)];
        for (seed, (channels, height, width)) in (1..).zip(sides) {
            let shape = PoolShape { channels, height, width, window_h: 2, window_w: 2, stride_h: 2, stride_w: 2 };
            let mut src = noise(shape.input_len(), seed);
            // Both extremes, so the sum's range and the max's starting value are exercised.
            src[0] = i16::MIN;
            *src.last_mut().unwrap() = i16::MAX;
            let size = OutputSize { height: shape.out_height().unwrap(), width: shape.out_width().unwrap() };
            let len = shape.output_len().unwrap();
            let (mut fast, mut general) = (std::vec![0i16; len], std::vec![0i16; len]);

            max_pool(&src, &shape, i16::MIN, &mut fast).unwrap();
            each_window(&src, &shape, size, &mut general, |w| fold_window(w, &shape, i16::MIN, i16::max));
            assert_eq!(fast, general, "max {shape:?}");

            avg_pool(&src, &shape, &mut fast).unwrap();
            each_window(&src, &shape, size, &mut general, |w| {
                rounded_mean(fold_window(w, &shape, 0, |sum, x| sum + x as i32), 4)
            });
            assert_eq!(fast, general, "avg {shape:?}");
        }
    }
}
