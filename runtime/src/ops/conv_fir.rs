//! Convolution (cross-correlation) as LEA FIR filters along output rows: for each input channel and kernel
//! row, one FIR call per output channel computes that kernel row's contribution to a whole output row, and
//! the LEA's saturating add sums the contributions. Fewer, longer accelerator calls than one dot product
//! per output pixel ([`super::conv`]), at the price of 16-bit partial sums: each FIR result is truncated to
//! the output format before it is added (the compiler folds the mean truncation into the bias, and picks
//! this form only where the cost model says it is cheaper).
//!
//! Width stride and dilation must be 1 (a FIR computes consecutive outputs); height stride, dilation and
//! padding are free.

use core::ops::Range;

use super::{need, need_const};
use crate::accelerator::Accelerator;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::far::ConstSlice;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvFirParams {
    pub in_channels: usize,
    pub in_height: usize,
    pub in_width: usize,
    pub out_channels: usize,
    pub out_height: usize,
    pub out_width: usize,
    pub kernel_h: usize,
    pub stride_h: usize,
    pub dilation_h: usize,
    pub pad_top: usize,
    pub pad_left: usize,
    /// FIR taps per kernel row: the kernel width rounded up to even (FIR lengths are even; the extra tap is
    /// zero).
    pub taps: usize,
    /// Outputs per FIR call: the output width rounded up to even.
    pub row_len: usize,
    pub relu: bool,
}

impl ConvFirParams {
    /// Input samples one FIR call reads.
    pub const fn src_len(&self) -> usize {
        self.row_len + self.taps - 1
    }

    /// LEA scratch: the taps of one kernel row for every output channel, an input row, a FIR result and
    /// one accumulated output row per output channel (each part even, so the next stays 4-byte aligned).
    pub const fn lea_len(&self) -> usize {
        self.out_channels * self.taps + self.src_len().div_ceil(2) * 2 + self.row_len * (1 + self.out_channels)
    }

    /// Weights: `in_channels x kernel_h x out_channels x taps`, each kernel row reversed (FIR order).
    pub const fn weights_len(&self) -> usize {
        self.in_channels * self.kernel_h * self.out_channels * self.taps
    }
}

/// Computes output rows `work` of every output channel. `weights` as [`ConvFirParams::weights_len`] says,
/// `bias` (one per output channel) in the output format, `input` and `output` CHW.
#[allow(clippy::too_many_arguments)]
pub fn conv_fir<A: Accelerator, W: ConstSlice + ?Sized>(
    acc: &mut A,
    p: &ConvFirParams,
    weights: &W,
    bias: &[i16],
    input: &[i16],
    output: &mut [i16],
    lea: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    need_const(Kernel::Fir, weights, p.weights_len() as u32)?;
    need(Kernel::Offset, bias.len(), p.out_channels)?;
    need(Kernel::Copy, input.len(), p.in_channels * p.in_height * p.in_width)?;
    need(Kernel::Copy, output.len(), p.out_channels * p.out_height * p.out_width)?;
    need(Kernel::Fir, lea.len(), p.lea_len())?;
    let (t, n, oc) = (p.taps, p.row_len, p.out_channels);
    let (taps, rest) = lea.split_at_mut(oc * t);
    let (src, rest) = rest.split_at_mut(p.src_len().div_ceil(2) * 2);
    let (fir_out, rest) = rest.split_at_mut(n);
    let rows = &mut rest[..oc * n];

    for oy in work.start..work.end.min(p.out_height) {
        acc.fill(rows, 0)?;
        for c in 0..p.in_channels {
            for ky in 0..p.kernel_h {
                let iy = (oy * p.stride_h + ky * p.dilation_h) as isize - p.pad_top as isize;
                if iy < 0 || iy >= p.in_height as isize {
                    continue;
                }
                stage_row(acc, p, &input[(c * p.in_height + iy as usize) * p.in_width..][..p.in_width], src)?;
                weights.stage(acc, ((c * p.kernel_h + ky) * oc * t) as u32, taps)?;
                for (k, row) in rows.chunks_exact_mut(n).enumerate() {
                    acc.fir(&src[..p.src_len()], &taps[k * t..(k + 1) * t], fir_out)?;
                    acc.add(fir_out, row)?;
                }
            }
        }
        for (k, row) in rows.chunks_exact_mut(n).enumerate() {
            acc.offset(row, bias[k])?;
            if p.relu {
                acc.relu(row)?;
            }
            let at = (k * p.out_height + oy) * p.out_width;
            acc.copy(&row[..p.out_width], &mut output[at..at + p.out_width])?;
        }
    }
    Ok(())
}

/// Copies an input row into `src` (even length, at least [`ConvFirParams::src_len`]) shifted by the left
/// padding, zeros where the window leaves the row.
fn stage_row<A: Accelerator>(acc: &mut A, p: &ConvFirParams, row: &[i16], src: &mut [i16]) -> Result<(), KernelError> {
    let start = p.pad_left.min(src.len());
    let len = row.len().min(src.len() - start);
    if start > 0 || start + len < p.src_len() {
        acc.fill(src, 0)?;
    }
    acc.copy(&row[..len], &mut src[start..start + len])
}
