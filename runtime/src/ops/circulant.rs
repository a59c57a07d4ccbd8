//! A block-circulant dense layer in the frequency domain: `y_i = IFFT(sum_j W_ij . FFT(x_j)) + b_i`.
//!
//! The weight spectra are computed by the compiler and stored once (real-FFT packed layout: `block`
//! values per block); each input block is transformed once per call; the products of all input blocks are
//! accumulated in the frequency domain with the accelerator's own complex multiply and saturating add, so
//! each output block costs one inverse FFT and no CPU arithmetic but a fused ReLU's (on the CPU below
//! [`super::relu`]'s threshold).
//!
//! Formats: `rfft` of an input in Q`x` (after `input_shift`) holds `X(k) / (b/2)` in Q`x`; the spectra are
//! stored in Q`s`; `cmplx_mpy` gives each product in Q(`s + x - 15`), truncated, which is also the format of
//! the accumulated spectrum. `irfft` divides by b/2 (`kernels::fft`), so the output is in
//! Q(`s + x - 15 - log2(b/2)`): the compiler picks the formats from calibration data so that no product
//! leaves the `i16` range and the accumulated spectrum stays inside `IRFFT_INPUT_LIMIT`.

use core::ops::Range;

use super::relu::relu_on_lea;
use super::spectral::{output_row, scale_input};
use super::{need, need_const};
use crate::accelerator::Accelerator;
use crate::const_slice::ConstSlice;
use crate::cost::Kernel;
use crate::error::KernelError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CirculantParams {
    /// Block size `b`, a power of two the FFT supports.
    pub block: usize,
    /// Output blocks `p` (outputs rounded up to a multiple of `b`).
    pub block_rows: usize,
    /// Input blocks `q` (inputs rounded up to a multiple of `b`).
    pub block_cols: usize,
    /// Input features (`<= q * b`; the rest of the last block is zero).
    pub inputs: usize,
    /// Output features (`<= p * b`; the rest of the last block is dropped).
    pub outputs: usize,
    /// Right shift of the input before its FFT (the FFT clamps its input to `FFT_INPUT_LIMIT`), or when
    /// negative a saturating left shift: an input whose format has headroom (the output of a circulant
    /// layer's inverse FFT, which halves at every stage) uses more of the FFT's 16 bits, and the 16-bit
    /// spectral products keep more bits.
    pub input_shift: i8,
    /// Added to every accumulated spectrum component before the inverse FFT: about half the number of
    /// products summed (`block_cols / 2`), which cancels the mean of their truncation (each floors, -1/2 LSB
    /// on average).
    pub rounding: i16,
    /// Clamp negative outputs to zero (a fused ReLU).
    pub relu: bool,
    /// Input blocks multiplied by one complex multiply (`1..=block_cols`,
    /// [`super::spectral::output_row`]): each output block's row of `q` products is computed in
    /// `ceil(q / row_chunk)` chunks, each one staging copy, one complex multiply and a halving sum, instead
    /// of `q` of each. Every DSPLib call costs hundreds of cycles, so the compiler takes the largest chunk
    /// LEA RAM holds.
    pub row_chunk: usize,
}

impl CirculantParams {
    /// LEA scratch this layer needs: every input spectrum (`q` blocks), a chunk of weight spectra, and a
    /// chunk of products plus one block for the running sum of the chunks before (none when one chunk is
    /// the whole row).
    pub const fn lea_len(&self) -> usize {
        let chunk = self.chunk();
        let running_sum = if chunk < self.block_cols { 1 } else { 0 };
        (self.block_cols + 2 * chunk + running_sum) * self.block
    }

    /// `row_chunk` within `1..=block_cols`.
    pub(super) const fn chunk(&self) -> usize {
        let chunk = if self.row_chunk < self.block_cols { self.row_chunk } else { self.block_cols };
        if chunk == 0 { 1 } else { chunk }
    }
}

/// Computes output blocks `work` (indices into `0..block_rows`). `spectra` holds `p x q` packed spectra of
/// `b` values each (block-row-major) in one Q format, `bias` holds `p * b` values in the output format.
/// `lea` needs [`CirculantParams::lea_len`] elements with its start aligned for a `b`-point FFT.
#[allow(clippy::too_many_arguments)]
pub fn circulant_dense<A: Accelerator, S: ConstSlice + ?Sized>(
    acc: &mut A,
    p: &CirculantParams,
    spectra: &S,
    bias: &[i16],
    input: &[i16],
    output: &mut [i16],
    lea: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    let (b, q) = (p.block, p.block_cols);
    need_const(Kernel::CmplxMpy, spectra, (p.block_rows * q) as u32 * b as u32)?;
    need(Kernel::Add, bias.len(), p.block_rows * b)?;
    need(Kernel::Rfft, input.len(), p.inputs)?;
    need(Kernel::Copy, output.len(), p.outputs)?;
    need(Kernel::Rfft, lea.len(), p.lea_len())?;
    let (spectrum_x, rest) = lea.split_at_mut(q * b);
    // Then a chunk of weight spectra and the products (the output block is their first block).
    let chunk = p.chunk();

    let inputs = p.inputs.min(q * b);
    if inputs < q * b {
        // Zero the whole region first: `fill` takes even lengths only, and `inputs` may be odd.
        acc.fill(spectrum_x, 0)?;
    }
    acc.copy(&input[..inputs], &mut spectrum_x[..inputs])?;
    // All blocks at once, through the scratch that follows them (the staged spectra and the products; only
    // what the params ask for, so that the calls do not depend on how large the program's LEA buffer is).
    transform_input(acc, p, spectrum_x, &mut rest[..p.lea_len() - q * b])?;
    let (staged, product) = rest.split_at_mut(chunk * b);

    for i in work.start..work.end.min(p.block_rows) {
        biased_block(acc, p, spectra, bias, spectrum_x, staged, product, i)?;
        let start = i * b;
        let len = b.min(p.outputs.saturating_sub(start));
        if len > 0 {
            acc.copy(&product[..len], &mut output[start..start + len])?;
        }
    }
    Ok(())
}

/// The input spectra: `spectrum_x` (`q` blocks of the input, in LEA RAM) shifted by the input shift and
/// transformed block by block, in place; `scratch` is what the left shift may use.
pub(super) fn transform_input<A: Accelerator>(
    acc: &mut A,
    p: &CirculantParams,
    spectrum_x: &mut [i16],
    scratch: &mut [i16],
) -> Result<(), KernelError> {
    scale_input(acc, p.input_shift, spectrum_x, scratch)?;
    for x_j in spectrum_x.chunks_exact_mut(p.block) {
        acc.rfft(x_j)?;
    }
    Ok(())
}

/// Output block `i` into `product[..b]`: the inverse FFT of its row of spectral products, plus its bias,
/// then the fused ReLU. `staged` holds a chunk of weight spectra, `product` a chunk of products and the
/// running sum ([`CirculantParams::lea_len`]).
#[allow(clippy::too_many_arguments)]
pub(super) fn biased_block<A: Accelerator, S: ConstSlice + ?Sized>(
    acc: &mut A,
    p: &CirculantParams,
    spectra: &S,
    bias: &[i16],
    spectrum_x: &[i16],
    staged: &mut [i16],
    product: &mut [i16],
    i: usize,
) -> Result<(), KernelError> {
    let (b, q) = (p.block, p.block_cols);
    let first = (i * q) as u32 * b as u32;
    output_row(acc, spectra, first, spectrum_x, b, p.chunk(), p.rounding, staged, product)?;
    let y_buf = &mut product[..b];
    let w_buf = &mut staged[..b];
    acc.copy(&bias[i * b..(i + 1) * b], w_buf)?;
    acc.add(w_buf, y_buf)?;
    if p.relu {
        relu_on_lea(acc, y_buf)?;
    }
    Ok(())
}
