//! Convolution (cross-correlation) as LEA FIR filters over bands of output rows.
//!
//! A band's input rows are staged in LEA RAM one after another, `plane_width` apart, so the staged band is
//! one long signal: a FIR with one kernel row's taps over it computes that kernel row's contribution to
//! every output row of the band at once (the outputs that straddle two rows land in columns past
//! `out_width` and are dropped). For each input channel and kernel row, one FIR call per output channel,
//! and the LEA's saturating add sums the contributions. A band of one row is the classic "FIR along output
//! rows"; taller bands need fewer, longer accelerator calls. Both beat one dot product per output pixel
//! ([`super::conv`]) where the cost model says so, at the price of 16-bit partial sums: each FIR result is
//! truncated to the output format before it is added (the compiler folds the mean truncation into the
//! bias).
//!
//! Width stride and dilation must be 1 (a FIR computes consecutive outputs); bands taller than one row need
//! height stride 1; height dilation and padding are free.

use core::ops::Range;

use super::band::{RowLayout, stage_rows};
use super::relu::relu_on_lea;
use super::{need, need_const};
use crate::accelerator::Accelerator;
use crate::const_slice::ConstSlice;
use crate::cost::Kernel;
use crate::error::{KernelError, Violation};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// Outputs of a band's last row: the output width rounded up to even.
    pub row_len: usize,
    /// Distance of staged input rows, and so of output rows in a FIR result: even, at least `row_len` and
    /// at least the padded input width (`out_width + kernel width - 1`).
    pub plane_width: usize,
    /// Output rows per FIR call; more than one only with `stride_h == 1`.
    pub band_rows: usize,
    /// Output channels accumulated in LEA RAM at once (each pass stages the input again).
    pub channels_per_pass: usize,
    pub relu: bool,
}

impl ConvFirParams {
    /// Input rows a band of `band_rows` output rows reads.
    pub const fn band_input_rows(&self) -> usize {
        (self.band_rows - 1) * self.stride_h + (self.kernel_h - 1) * self.dilation_h + 1
    }

    /// Staged band: its input rows, then `taps` values of slack that only zero taps and dropped outputs
    /// read.
    pub const fn src_len(&self) -> usize {
        self.band_input_rows() * self.plane_width + self.taps
    }

    /// Outputs of one FIR call over a band of `rows` rows.
    pub const fn fir_len(&self, rows: usize) -> usize {
        (rows - 1) * self.plane_width + self.row_len
    }

    /// LEA scratch: one kernel row's taps for a pass's output channels, the staged band, a FIR result and
    /// one accumulated band per output channel of a pass (each part even, so the next stays 4-byte
    /// aligned).
    pub const fn lea_len(&self) -> usize {
        let band = self.fir_len(self.band_rows);
        self.channels_per_pass * self.taps + self.src_len() + band * (1 + self.channels_per_pass)
    }

    /// Weights: `in_channels x kernel_h x out_channels x taps`, each kernel row reversed (FIR order).
    pub const fn weights_len(&self) -> usize {
        self.in_channels * self.kernel_h * self.out_channels * self.taps
    }

    /// The band and pass sizes are usable and each band row's outputs fit in its stride.
    const fn is_consistent(&self) -> bool {
        self.band_rows >= 1
            && (self.band_rows == 1 || self.stride_h == 1)
            && self.channels_per_pass >= 1
            && self.kernel_h >= 1
            && self.out_width <= self.row_len
            && self.row_len <= self.plane_width
            && self.pad_left + self.in_width <= self.plane_width
    }

    const fn layout(&self) -> RowLayout {
        RowLayout {
            in_height: self.in_height,
            in_width: self.in_width,
            plane_width: self.plane_width,
            pad_left: self.pad_left,
        }
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
    if !p.is_consistent() {
        return Err(KernelError::new(Kernel::Fir, Violation::LengthMismatch { expected: p.row_len, actual: 0 }));
    }
    need_const(Kernel::Fir, weights, p.weights_len() as u32)?;
    need(Kernel::Offset, bias.len(), p.out_channels)?;
    need(Kernel::Copy, input.len(), p.in_channels * p.in_height * p.in_width)?;
    need(Kernel::Copy, output.len(), p.out_channels * p.out_height * p.out_width)?;
    need(Kernel::Fir, lea.len(), p.lea_len())?;
    let (t, per_pass) = (p.taps, p.channels_per_pass);
    let (taps, rest) = lea.split_at_mut(per_pass * t);
    let (src, rest) = rest.split_at_mut(p.src_len());
    let (fir_out, sums) = rest.split_at_mut(p.fir_len(p.band_rows));

    let end = work.end.min(p.out_height);
    let mut oy = work.start;
    while oy < end {
        let rows = p.band_rows.min(end - oy);
        let len = p.fir_len(rows);
        let mut first = 0;
        while first < p.out_channels {
            let count = per_pass.min(p.out_channels - first);
            let sums = &mut sums[..count * len];
            acc.fill(sums, 0)?;
            for c in 0..p.in_channels {
                let plane = &input[c * p.in_height * p.in_width..][..p.in_height * p.in_width];
                let top = (oy * p.stride_h) as isize - p.pad_top as isize;
                stage_rows(acc, &p.layout(), plane, (top, p.band_input_rows()), src, false)?;
                for ky in 0..p.kernel_h {
                    if !reads_input(p, oy, rows, ky) {
                        continue;
                    }
                    weights.stage(
                        acc,
                        (((c * p.kernel_h + ky) * p.out_channels + first) * t) as u32,
                        &mut taps[..count * t],
                    )?;
                    let signal = &src[ky * p.dilation_h * p.plane_width..][..len + t - 1];
                    for (k, sum) in sums.chunks_exact_mut(len).enumerate() {
                        acc.fir(signal, &taps[k * t..(k + 1) * t], &mut fir_out[..len])?;
                        acc.add(&fir_out[..len], sum)?;
                    }
                }
            }
            for (k, sum) in sums.chunks_exact_mut(len).enumerate() {
                acc.offset(sum, bias[first + k])?;
                if p.relu {
                    relu_on_lea(acc, sum)?;
                }
                for r in 0..rows {
                    let at = ((first + k) * p.out_height + oy + r) * p.out_width;
                    acc.copy(&sum[r * p.plane_width..][..p.out_width], &mut output[at..at + p.out_width])?;
                }
            }
            first += count;
        }
        oy += rows;
    }
    Ok(())
}

/// Whether kernel row `ky` reads any input row (not only padding) for the band of `rows` output rows at
/// `oy`.
fn reads_input(p: &ConvFirParams, oy: usize, rows: usize, ky: usize) -> bool {
    let first = (oy * p.stride_h + ky * p.dilation_h) as isize - p.pad_top as isize;
    let last = first + ((rows - 1) * p.stride_h) as isize;
    last >= 0 && first < p.in_height as isize
}
