//! Convolution (cross-correlation) by FFT on the LEA: ACE's circulant product applied to a convolution.
//!
//! A band of input rows of one channel, staged `plane_width` apart in a block of `N` values (zeros
//! elsewhere), is one signal; a kernel placed in a block of `N` the same way is another, and their circular
//! correlation holds the band's output rows at the same spacing: the block is long enough that no output
//! the band keeps wraps around. So each (output channel, input channel) pair is one `N`-point circulant
//! block, and the layer is [`super::circulant_dense`]'s computation per band: every input channel's band
//! transformed once, the products with the compiler's precomputed kernel spectra accumulated in the
//! frequency domain, one inverse FFT per output channel, and the outputs that straddle two rows dropped.
//!
//! Formats as in `circulant_dense`: the spectra are in Q`s`, the staged input in Q`x` after `input_shift`,
//! products and their sum in Q(`s + x - 15`), the output (the inverse divides by N/2) in
//! Q(`s + x - 15 - log2(N/2)`), chosen by the compiler from calibration data so that nothing leaves the
//! `i16` range or the transforms' input limits.
//!
//! Strides and dilations must be 1.

use core::ops::Range;

use super::band::{RowLayout, stage_rows};
use super::relu::relu_on_lea;
use super::spectral::{BlockScratch, output_block, scale_input};
use super::{need, need_const};
use crate::accelerator::Accelerator;
use crate::const_slice::ConstSlice;
use crate::cost::Kernel;
use crate::error::{KernelError, Violation};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConvFftParams {
    pub in_channels: usize,
    pub in_height: usize,
    pub in_width: usize,
    pub out_channels: usize,
    pub out_height: usize,
    pub out_width: usize,
    pub kernel_h: usize,
    pub pad_top: usize,
    pub pad_left: usize,
    /// Distance of staged input rows, and so of output rows in a block: the padded input width.
    pub plane_width: usize,
    /// FFT length `N`, a power of two the accelerator supports.
    pub block: usize,
    /// Output rows per band: `(band_rows + kernel_h - 1) * plane_width <= block`.
    pub band_rows: usize,
    /// Right shift of the staged input before its FFT (the real FFT's DC bin reaches twice the mean), or
    /// when negative a saturating left shift: an input whose format has headroom (a coarse previous
    /// layer) uses more of the FFT's 16 bits, and the products keep more output bits.
    pub input_shift: i8,
    /// Added to each accumulated spectrum component before the inverse FFT: about half the number of
    /// truncating products summed (`in_channels / 2`), which cancels their mean error.
    pub rounding: i16,
    pub relu: bool,
}

impl ConvFftParams {
    /// LEA scratch: every input channel's band spectrum, a kernel spectrum, a product and an output block.
    pub const fn lea_len(&self) -> usize {
        (self.in_channels + 3) * self.block
    }

    /// Kernel spectra: `out_channels x in_channels` packed spectra of `block` values.
    pub const fn spectra_len(&self) -> usize {
        self.out_channels * self.in_channels * self.block
    }

    /// Bands of output rows: the work units (a row's bits depend on the rest of its band, through the
    /// FFT's rounding, so bands are fixed however the work is split).
    pub const fn bands(&self) -> usize {
        self.out_height.div_ceil(self.band_rows)
    }

    /// A band's input rows fit its block, and its output rows fit their stride.
    const fn is_consistent(&self) -> bool {
        self.band_rows >= 1
            && self.kernel_h >= 1
            && self.out_width <= self.plane_width
            && self.pad_left + self.in_width <= self.plane_width
            && (self.band_rows + self.kernel_h - 1) * self.plane_width <= self.block
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

/// Computes the bands `work` (indices into `0..bands()`) of every output channel. `spectra` as [`ConvFftParams::spectra_len`] says
/// (output-channel-major), `bias` one per output channel in the output format, `input` and `output` CHW.
/// `lea` needs [`ConvFftParams::lea_len`] elements with its start aligned for a `block`-point FFT.
#[allow(clippy::too_many_arguments)]
pub fn conv_fft<A: Accelerator, S: ConstSlice + ?Sized>(
    acc: &mut A,
    p: &ConvFftParams,
    spectra: &S,
    bias: &[i16],
    input: &[i16],
    output: &mut [i16],
    lea: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    if !p.is_consistent() {
        let violation = Violation::LengthMismatch { expected: p.block, actual: p.band_rows * p.plane_width };
        return Err(KernelError::new(Kernel::Rfft, violation));
    }
    let (n, cin) = (p.block, p.in_channels);
    need_const(Kernel::CmplxMpy, spectra, p.spectra_len() as u32)?;
    need(Kernel::Offset, bias.len(), p.out_channels)?;
    need(Kernel::Copy, input.len(), cin * p.in_height * p.in_width)?;
    need(Kernel::Copy, output.len(), p.out_channels * p.out_height * p.out_width)?;
    need(Kernel::Rfft, lea.len(), p.lea_len())?;
    let (bands, scratch) = lea.split_at_mut(cin * n);

    for band_index in work.start..work.end.min(p.bands()) {
        let oy = band_index * p.band_rows;
        let rows = p.band_rows.min(p.out_height - oy);
        for (c, band) in bands.chunks_exact_mut(n).enumerate() {
            let plane = &input[c * p.in_height * p.in_width..][..p.in_height * p.in_width];
            let first = oy as isize - p.pad_top as isize;
            // The whole block is zeroed: the correlation reads it all.
            stage_rows(acc, &p.layout(), plane, (first, rows + p.kernel_h - 1), band, true)?;
        }
        // Every channel's band at once, through the scratch that follows them.
        scale_input(acc, p.input_shift, bands, &mut scratch[..3 * n])?;
        for band in bands.chunks_exact_mut(n) {
            acc.rfft(band)?;
        }
        let (kernel, rest) = scratch.split_at_mut(n);
        let (product, rest) = rest.split_at_mut(n);
        let sum = &mut rest[..n];
        for (k, &bias) in bias.iter().enumerate().take(p.out_channels) {
            let mut scratch = BlockScratch { staged: &mut *kernel, product: &mut *product, sum: &mut *sum };
            output_block(acc, spectra, (k * cin * n) as u32, bands, p.rounding, &mut scratch)?;
            acc.offset(sum, bias)?;
            if p.relu {
                relu_on_lea(acc, &mut sum[..(rows * p.plane_width).div_ceil(2) * 2])?;
            }
            for r in 0..rows {
                let at = (k * p.out_height + oy + r) * p.out_width;
                acc.copy(&sum[r * p.plane_width..][..p.out_width], &mut output[at..at + p.out_width])?;
            }
        }
    }
    Ok(())
}
