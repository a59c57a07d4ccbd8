//! A block-circulant dense layer in the frequency domain: `y_i = IFFT(sum_j W_ij . FFT(x_j)) + b_i`.
//!
//! The weight spectra are computed by the compiler and stored once (real-FFT packed layout: `block`
//! values per block); each input block is transformed once per call; products of all input blocks are
//! accumulated in 32 bits in the frequency domain, so each output block costs one inverse FFT.

use core::ops::Range;

use super::need;
use crate::accelerator::{Accelerator, SpectrumLayout};
use crate::cost::Kernel;
use crate::error::KernelError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// Right shift applied to the input before its FFT (0 or a few bits): the real FFT's DC and Nyquist bins
    /// reach twice the block mean, which saturates for inputs near full scale.
    pub input_shift: u8,
    /// Right shift from the accumulated spectrum, Q(spectra + input - input_shift), to the output format.
    pub acc_shift: u8,
    /// Clamp negative outputs to zero (a fused ReLU).
    pub relu: bool,
}

impl CirculantParams {
    /// LEA scratch this layer needs: every input spectrum, one weight spectrum and one output block.
    pub const fn lea_len(&self) -> usize {
        (self.block_cols + 2) * self.block
    }
}

/// Computes output blocks `work` (indices into `0..block_rows`). `spectra` holds `p x q` packed spectra of
/// `b` values each (block-row-major) in one Q format, `bias` holds `p * b` values in the output format.
/// `lea` needs [`CirculantParams::lea_len`] elements with its start aligned for a `b`-point FFT; `acc32`
/// needs `b`.
#[allow(clippy::too_many_arguments)]
pub fn circulant_dense<A: Accelerator>(
    acc: &mut A,
    p: &CirculantParams,
    spectra: &[i16],
    bias: &[i16],
    input: &[i16],
    output: &mut [i16],
    lea: &mut [i16],
    acc32: &mut [i32],
    work: Range<usize>,
) -> Result<(), KernelError> {
    let (b, q) = (p.block, p.block_cols);
    need(Kernel::CmplxMac, spectra.len(), p.block_rows * q * b)?;
    need(Kernel::Add, bias.len(), p.block_rows * b)?;
    need(Kernel::Rfft, input.len(), p.inputs)?;
    need(Kernel::Copy, output.len(), p.outputs)?;
    need(Kernel::Rfft, lea.len(), p.lea_len())?;
    need(Kernel::CmplxMac, acc32.len(), b)?;
    let (spectrum_x, rest) = lea.split_at_mut(q * b);
    let (w_buf, rest) = rest.split_at_mut(b);
    let y_buf = &mut rest[..b];
    let acc32 = &mut acc32[..b];

    let inputs = p.inputs.min(q * b);
    if inputs < q * b {
        // Zero the whole region first: `fill` takes even lengths only, and `inputs` may be odd.
        acc.fill(spectrum_x, 0)?;
    }
    acc.copy(&input[..inputs], &mut spectrum_x[..inputs])?;
    if p.input_shift > 0 {
        acc.shift(spectrum_x, -(p.input_shift as i8))?;
    }
    for x_j in spectrum_x.chunks_exact_mut(b) {
        acc.rfft(x_j)?;
    }

    for i in work.start..work.end.min(p.block_rows) {
        acc32.iter_mut().for_each(|a| *a = 0);
        for (j, x_j) in spectrum_x.chunks_exact(b).enumerate() {
            let at = (i * q + j) * b;
            acc.copy(&spectra[at..at + b], w_buf)?;
            acc.cmplx_mac(SpectrumLayout::RealPacked, w_buf, x_j, acc32)?;
        }
        acc.requantize(acc32, p.acc_shift, y_buf)?;
        acc.irfft(y_buf)?;
        acc.copy(&bias[i * b..(i + 1) * b], w_buf)?;
        acc.add(w_buf, y_buf)?;
        if p.relu {
            acc.relu(y_buf)?;
        }
        let start = i * b;
        let len = b.min(p.outputs.saturating_sub(start));
        if len > 0 {
            acc.copy(&y_buf[..len], &mut output[start..start + len])?;
        }
    }
    Ok(())
}
