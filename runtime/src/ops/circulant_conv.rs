//! A block-circulant convolution (CirCNN's form): at every kernel position the `out x in` channel matrix
//! is block-circulant, so the convolution is, for each output pixel, a block-circulant product with its
//! receptive field gathered position by position, `x = [x(ky, kx, channel)]`:
//! `y(pixel) = IFFT(sum_j W_ij . FFT(x_j)) + b_i`, the frequency-domain core of
//! [`super::circulant_dense`] run once per output pixel.
//!
//! The blocks of a receptive field are input pixels' channel blocks, so their spectra are those of the
//! input pixels: each output row first transforms the input rows its kernel reads that the row before did
//! not (every pixel's channels gathered by one [`crate::Accelerator::permute`] per row, zero-padded to
//! whole blocks, then one real FFT per channel block, into a ring of `kernel_h` rows; with dilation every
//! row afresh), and each output pixel then copies its field's spectra from them, one copy per kernel
//! position. Each input block is transformed once per call instead of `kernel_h * kernel_w` times, and a
//! field takes `kernel_h * kernel_w` copies instead of one per value; the bits are the same (the same FFT
//! of the same block, the input shift element-wise).
//!
//! The weight spectra hold `out/b x (positions * in)/b` blocks, channel counts padded to whole blocks (the
//! weight matrix's columns ordered kernel position first, channel second), so a layer stores about `1/b`
//! of its dense weights. Formats as in [`super::circulant_dense`]: the compiler picks them from
//! calibration data over every pixel.

use core::ops::Range;

use super::circulant::{CirculantParams, biased_block};
use super::spectral::scale_input;
use super::{need, need_const};
use crate::accelerator::Accelerator;
use crate::const_slice::ConstSlice;
use crate::cost::Kernel;
use crate::error::{KernelError, Violation};
use crate::shapes::PermuteShape;

/// Shapes of a 2-D convolution over a CHW tensor (1-D: height 1) computed as block-circulant products.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CirculantConvParams {
    pub in_channels: usize,
    /// `in_channels` rounded up to a multiple of the block: a pixel's share of the receptive field (the
    /// channels past `in_channels` are zero).
    pub padded_channels: usize,
    pub in_height: usize,
    pub in_width: usize,
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
    /// The product per pixel: `inputs = kernel_h * kernel_w * in_channels` (the receptive field, position
    /// major), `outputs` = the output channels, and the formats and fused ReLU.
    pub circulant: CirculantParams,
}

impl CirculantConvParams {
    /// LEA scratch: the spectra of `kernel_h` input rows, one input row's pixels before padding (when the
    /// channels are padded), then the circulant product's ([`CirculantParams::lea_len`]: the field's
    /// spectra, staged weight spectra, products).
    pub const fn lea_len(&self) -> usize {
        self.band_len() + self.staging_len() + self.circulant.lea_len()
    }

    /// The spectra of the input rows one output row reads: `kernel_h` rows of `in_width` padded pixels.
    pub const fn band_len(&self) -> usize {
        self.kernel_h * self.in_width * self.padded_channels
    }

    /// One input row's pixels of `in_channels` values, gathered before they are spread to padded pixels,
    /// rounded up to whole blocks so that what follows stays aligned for the block's FFT.
    pub const fn staging_len(&self) -> usize {
        if self.padded_channels == self.in_channels {
            0
        } else {
            (self.in_width * self.in_channels).next_multiple_of(self.circulant.block)
        }
    }

    /// Elements of the CHW input.
    pub const fn input_len(&self) -> usize {
        self.in_channels * self.in_height * self.in_width
    }

    /// Elements of the CHW output.
    pub const fn output_len(&self) -> usize {
        self.circulant.outputs * self.out_height * self.out_width
    }

    /// The input row kernel row `ky` of output row `oy` reads, if inside the input.
    const fn input_row(&self, oy: usize, ky: usize) -> Option<usize> {
        let at = oy * self.stride_h + ky * self.dilation_h;
        if at < self.pad_top || at - self.pad_top >= self.in_height { None } else { Some(at - self.pad_top) }
    }

    /// Where in the band kernel row `ky` of output row `oy` finds its input row's spectra: without
    /// dilation the band is a ring of `kernel_h` rows, input row `r` in slot `r mod kernel_h` (so the rows
    /// consecutive output rows share are transformed once); with dilation, slot `ky`.
    const fn band_slot(&self, oy: usize, ky: usize) -> usize {
        if self.dilation_h == 1 {
            (oy * self.stride_h + ky + self.kernel_h - self.pad_top % self.kernel_h) % self.kernel_h
        } else {
            ky
        }
    }

    /// The input column kernel column `kx` of output column `ox` reads, if inside the input.
    const fn input_column(&self, ox: usize, kx: usize) -> Option<usize> {
        let at = ox * self.stride_w + kx * self.dilation_w;
        if at < self.pad_left || at - self.pad_left >= self.in_width { None } else { Some(at - self.pad_left) }
    }
}

/// Computes output rows `work` (indices into `0..out_height`) of every output channel. `spectra` holds the
/// `block_rows x block_cols` packed weight spectra (block-row-major), `bias` `block_rows * block` values
/// in the output format; `input` and `output` are CHW. `lea` needs [`CirculantConvParams::lea_len`]
/// elements with its start aligned for a `block`-point FFT.
#[allow(clippy::too_many_arguments)]
pub fn circulant_conv<A: Accelerator, S: ConstSlice + ?Sized>(
    acc: &mut A,
    p: &CirculantConvParams,
    spectra: &S,
    bias: &[i16],
    input: &[i16],
    output: &mut [i16],
    lea: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    let c = &p.circulant;
    let (b, q) = (c.block, c.block_cols);
    need_const(Kernel::CmplxMpy, spectra, (c.block_rows * q) as u32 * b as u32)?;
    need(Kernel::Add, bias.len(), c.block_rows * b)?;
    need(Kernel::Permute, input.len(), p.input_len())?;
    need(Kernel::Copy, output.len(), p.output_len())?;
    need(Kernel::Rfft, lea.len(), p.lea_len())?;
    let channels = p.padded_channels;
    let field_len = p.kernel_h * p.kernel_w * channels;
    if c.inputs != field_len || field_len != q * b || !channels.is_multiple_of(b) || channels < p.in_channels {
        let mismatch = Violation::LengthMismatch { expected: field_len, actual: c.inputs };
        return Err(KernelError::new(Kernel::Rfft, mismatch));
    }
    let (band, rest) = lea.split_at_mut(p.band_len());
    let (staging, rest) = rest.split_at_mut(p.staging_len());
    let (field, rest) = rest.split_at_mut(q * b);
    let rest = &mut rest[..c.lea_len() - q * b];
    let (row_len, plane) = (p.in_width * channels, p.out_height * p.out_width);
    // Every input row as pixels of `in_channels` values: value (x, channel) at `x + channel * plane`.
    let dims = [1, 1, p.in_width, p.in_channels];
    let pixels = PermuteShape { dims, strides: [0, 0, 1, p.in_height * p.in_width] };
    // The input rows whose spectra the band holds, when it is a ring (rows `first..first + kernel_h` of
    // consecutive output rows overlap): none at the start of every call, so that a call's bits never
    // depend on an earlier one.
    let mut held: Option<Range<usize>> = None;
    for oy in work.start..work.end.min(p.out_height) {
        for ky in 0..p.kernel_h {
            let Some(iy) = p.input_row(oy, ky) else { continue };
            if held.as_ref().is_some_and(|rows| p.dilation_h == 1 && rows.contains(&iy)) {
                continue;
            }
            let slot = p.band_slot(oy, ky);
            let row = &mut band[slot * row_len..(slot + 1) * row_len];
            let source = &input[iy * p.in_width..];
            if staging.is_empty() {
                acc.permute(source, &pixels, 0, row)?;
            } else {
                let staged = &mut staging[..p.in_width * p.in_channels];
                acc.permute(source, &pixels, 0, staged)?;
                acc.fill(row, 0)?;
                for (x, pixel) in staged.chunks_exact(p.in_channels).enumerate() {
                    acc.copy(pixel, &mut row[x * channels..x * channels + p.in_channels])?;
                }
            }
            scale_input(acc, c.input_shift, row, rest)?;
            for block in row.chunks_exact_mut(b) {
                acc.rfft(block)?;
            }
        }
        let top = oy * p.stride_h;
        held = Some(top.saturating_sub(p.pad_top)..(top + p.kernel_h).saturating_sub(p.pad_top));
        for ox in 0..p.out_width {
            acc.fill(field, 0)?;
            for ky in 0..p.kernel_h {
                if p.input_row(oy, ky).is_none() {
                    continue;
                }
                for kx in 0..p.kernel_w {
                    let Some(ix) = p.input_column(ox, kx) else { continue };
                    let from = p.band_slot(oy, ky) * row_len + ix * channels;
                    let to = (ky * p.kernel_w + kx) * channels;
                    acc.copy(&band[from..from + channels], &mut field[to..to + channels])?;
                }
            }
            let (staged, product) = rest.split_at_mut(c.chunk() * b);
            for i in 0..c.block_rows {
                biased_block(acc, c, spectra, bias, field, staged, product, i)?;
                // Output channel `o` of this pixel is one element of its CHW plane.
                for k in 0..b.min(c.outputs.saturating_sub(i * b)) {
                    let at = (i * b + k) * plane + oy * p.out_width + ox;
                    acc.copy(&product[k..k + 1], &mut output[at..at + 1])?;
                }
            }
        }
    }
    Ok(())
}
