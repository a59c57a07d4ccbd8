//! Convolution (cross-correlation, as in ONNX and PyTorch) as one LEA dot product per output value: the
//! receptive field of an output pixel is gathered once into LEA RAM, then multiplied with every output
//! channel's kernel that is staged there.

use core::ops::Range;

use super::{need, need_const};
use crate::accelerator::Accelerator;
use crate::const_slice::ConstSlice;
use crate::cost::Kernel;
use crate::error::{KernelError, Violation};
use crate::q15::saturate_i32;

/// Shapes and scaling of a 2-D convolution over a CHW tensor (1-D: height 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConvParams {
    pub in_channels: usize,
    pub in_height: usize,
    pub in_width: usize,
    pub out_channels: usize,
    pub out_height: usize,
    pub out_width: usize,
    pub kernel_h: usize,
    pub kernel_w: usize,
    pub stride_h: usize,
    pub stride_w: usize,
    pub dilation_h: usize,
    pub dilation_w: usize,
    pub pad_top: usize,
    pub pad_left: usize,
    /// Length of one output channel's kernel in `weights` (`in_channels * kernel_h * kernel_w` rounded up to
    /// even; the pad is zero).
    pub patch_stride: usize,
    /// Right shift from the dot product's format, Q(w + x + 1), to the output's.
    pub shift: u8,
    pub relu: bool,
}

impl ConvParams {
    /// Output channels whose kernels fit in `lea` beside one gathered patch (`None` when not even one fits).
    pub const fn channels_per_pass(&self, lea_len: usize, acc32_len: usize) -> Option<usize> {
        let by_lea = lea_len / self.patch_stride;
        let by_acc = acc32_len / self.out_width;
        let fit = if by_lea == 0 { 0 } else { by_lea - 1 };
        let fit = if fit < by_acc { fit } else { by_acc };
        let fit = if fit < self.out_channels { fit } else { self.out_channels };
        if fit == 0 { None } else { Some(fit) }
    }
}

/// Computes output rows `work` (indices into `0..out_height`) of every output channel. `weights` is
/// `out_channels x patch_stride` in (channel, ky, kx) order, `bias` is in the dot product's format, `input`
/// and `output` are CHW. `lea` must hold a patch and at least one kernel; `acc32` at least one output row.
#[allow(clippy::too_many_arguments)]
pub fn conv<A: Accelerator, W: ConstSlice + ?Sized>(
    acc: &mut A,
    p: &ConvParams,
    weights: &W,
    bias: &[i32],
    input: &[i16],
    output: &mut [i16],
    lea: &mut [i16],
    acc32: &mut [i32],
    work: Range<usize>,
) -> Result<(), KernelError> {
    let stride = p.patch_stride;
    need_const(Kernel::Mac, weights, p.out_channels as u32 * stride as u32)?;
    need(Kernel::Mac, bias.len(), p.out_channels)?;
    need(Kernel::Copy, input.len(), p.in_channels * p.in_height * p.in_width)?;
    need(Kernel::Requantize, output.len(), p.out_channels * p.out_height * p.out_width)?;
    let too_small = Violation::LengthMismatch { expected: 2 * stride, actual: lea.len().min(acc32.len()) };
    let per_pass = p.channels_per_pass(lea.len(), acc32.len()).ok_or(KernelError::new(Kernel::Mac, too_small))?;
    let (patch, kernels) = lea.split_at_mut(stride);
    let ow = p.out_width;
    let rows = work.start..work.end.min(p.out_height);

    let mut first = 0;
    while first < p.out_channels {
        let count = per_pass.min(p.out_channels - first);
        weights.stage(acc, first as u32 * stride as u32, &mut kernels[..count * stride])?;
        for oy in rows.clone() {
            for ox in 0..ow {
                gather(acc, p, input, oy, ox, patch)?;
                for k in 0..count {
                    let dot = acc.mac(patch, &kernels[k * stride..(k + 1) * stride])?;
                    acc32[k * ow + ox] = saturate_i32(i64::from(dot) + i64::from(bias[first + k]));
                }
            }
            for k in 0..count {
                let at = ((first + k) * p.out_height + oy) * ow;
                let out = &mut output[at..at + ow];
                acc.requantize(&acc32[k * ow..(k + 1) * ow], p.shift, out)?;
                if p.relu {
                    acc.relu(out)?;
                }
            }
        }
        first += count;
    }
    Ok(())
}

/// Gathers the receptive field of output pixel `(oy, ox)` into `patch` in (channel, ky, kx) order, with
/// zeros where the window overlaps the padding.
fn gather<A: Accelerator>(
    acc: &mut A,
    p: &ConvParams,
    input: &[i16],
    oy: usize,
    ox: usize,
    patch: &mut [i16],
) -> Result<(), KernelError> {
    acc.fill(patch, 0)?;
    let (ih, iw) = (p.in_height as isize, p.in_width as isize);
    let x0 = (ox * p.stride_w) as isize - p.pad_left as isize;
    for c in 0..p.in_channels {
        for ky in 0..p.kernel_h {
            let iy = (oy * p.stride_h + ky * p.dilation_h) as isize - p.pad_top as isize;
            if iy < 0 || iy >= ih {
                continue;
            }
            let row = (c * p.in_height + iy as usize) * p.in_width;
            let dst = (c * p.kernel_h + ky) * p.kernel_w;
            if p.dilation_w == 1 {
                // One contiguous copy of the part of the window row inside the input.
                let lo = (-x0).clamp(0, p.kernel_w as isize) as usize;
                let hi = (iw - x0).clamp(0, p.kernel_w as isize) as usize;
                if lo < hi {
                    let src = row + (x0 + lo as isize) as usize;
                    acc.copy(&input[src..src + hi - lo], &mut patch[dst + lo..dst + hi])?;
                }
            } else {
                for kx in 0..p.kernel_w {
                    let ix = x0 + (kx * p.dilation_w) as isize;
                    if ix >= 0 && ix < iw {
                        let src = row + ix as usize;
                        acc.copy(&input[src..src + 1], &mut patch[dst + kx..dst + kx + 1])?;
                    }
                }
            }
        }
    }
    Ok(())
}
