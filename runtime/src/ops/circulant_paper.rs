//! A block-circulant dense layer computed the way the method's authors coded it on the MSP430FR5994 (their
//! public development code, 2021; see the project's reference notes): the baseline acec's own
//! [`circulant_dense`](super::circulant_dense) is measured against, so it is written to be faithful, not fast.
//!
//! For every output block `i` and input block `j`, in this order:
//! 1. copy ("DMA") the input block `x_j` from FRAM into LEA RAM, and interleave zero imaginary parts on the
//!    CPU ([`Accelerator::to_complex`]); complex FFT ([`Accelerator::cfft`]). The input block is transformed
//!    again for every output block, as theirs is;
//! 2. the same for the block's defining vector `w_ij`: its FFT is computed at run time, on every inference;
//! 3. complex multiply of the two spectra ([`SpectrumLayout::Complex`]);
//! 4. complex inverse FFT, then a left shift ([`CirculantPaperParams::shift`]; theirs is `log2 b`, which
//!    undoes the transforms' scaling) of the whole complex buffer;
//! 5. take the real parts on the CPU ([`Accelerator::real_part`]) and accumulate them in the time domain
//!    with the saturating LEA add (`msp_add_q15`); the first block is written, not added.
//!
//! Then, as acec's op does: add the bias, an optional ReLU, and copy the block back to FRAM.
//!
//! Formats: `cfft` of a Q`x` input holds `X(k) / b` in Q`x`, of a Q`w` vector `W(k) / b` in Q`w`; their
//! product holds `X W / b^2` in Q(`x + w - 15`) (truncated); the unnormalised inverse gives the circular
//! convolution `/ b` in that format, so after the shift `s` the result is in Q(`x + w - 15 - log2 b + s`):
//! with their shift `s = log2 b`, Q(`x + w - 15`). The compiler picks `w` and `s` for the output format and
//! checks from calibration data that no block's result leaves the `i16` range (the shift wraps).
//!
//! Choices where their code does not decide: the cost of the CPU interleave and real-part loops is charged
//! per point by the target's measured table; the product goes to a third buffer (DSPLib allows it in place,
//! our slices cannot alias); a partial last input block is zero-padded (the compiler emits none).

use core::ops::Range;

use super::{need, need_const};
use crate::accelerator::Accelerator;
use crate::const_slice::ConstSlice;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::shapes::SpectrumLayout;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CirculantPaperParams {
    /// Block size `b`, a power of two the complex FFT supports.
    pub block: usize,
    /// Output blocks `p`.
    pub block_rows: usize,
    /// Input blocks `q`.
    pub block_cols: usize,
    /// Input features (`<= q * b`; the rest of the last block is zero).
    pub inputs: usize,
    /// Output features (`<= p * b`; the rest of the last block is dropped).
    pub outputs: usize,
    /// Left shift after the inverse FFT, in 0..=15 (the authors': `log2 b`).
    pub shift: u8,
    /// Clamp negative outputs to zero (a fused ReLU).
    pub relu: bool,
}

impl CirculantPaperParams {
    /// LEA scratch: three complex buffers (input spectrum, weight spectrum, product) and the accumulator.
    pub const fn lea_len(&self) -> usize {
        7 * self.block
    }
}

/// Computes output blocks `work` (indices into `0..block_rows`). `weights` holds the `p x q` defining
/// vectors of `b` values each (block-row-major, `W[r][c] = w[(r - c) mod b]`), in addressable FRAM or, read
/// by DMA like theirs, in upper FRAM; `bias` holds `p * b` values in the output format. `lea` needs [`CirculantPaperParams::lea_len`] elements, its start aligned for a
/// `b`-point complex FFT (`4 b` bytes).
#[allow(clippy::too_many_arguments)]
pub fn circulant_paper<A: Accelerator, W: ConstSlice + ?Sized>(
    acc: &mut A,
    p: &CirculantPaperParams,
    weights: &W,
    bias: &[i16],
    input: &[i16],
    output: &mut [i16],
    lea: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    let (b, q) = (p.block, p.block_cols);
    need_const(Kernel::Cfft, weights, (p.block_rows * q) as u32 * b as u32)?;
    need(Kernel::Add, bias.len(), p.block_rows * b)?;
    need(Kernel::Copy, input.len(), p.inputs)?;
    need(Kernel::Copy, output.len(), p.outputs)?;
    need(Kernel::Cfft, lea.len(), p.lea_len())?;
    let (x_c, rest) = lea.split_at_mut(2 * b);
    let (w_c, rest) = rest.split_at_mut(2 * b);
    let (product, rest) = rest.split_at_mut(2 * b);
    let y = &mut rest[..b];

    for i in work.start..work.end.min(p.block_rows) {
        for j in 0..q {
            // 1. The input block, to a complex spectrum (staged in the product buffer, free until step 3).
            let start = j * b;
            let len = b.min(p.inputs.saturating_sub(start));
            let staging = &mut product[..b];
            if len < b {
                acc.fill(staging, 0)?;
            }
            acc.copy(&input[start..start + len], &mut staging[..len])?;
            acc.to_complex(staging, x_c)?;
            acc.cfft(x_c)?;
            // 2. The weight vector, likewise.
            weights.stage(acc, (i * q + j) as u32 * b as u32, staging)?;
            acc.to_complex(staging, w_c)?;
            acc.cfft(w_c)?;
            // 3. and 4.
            acc.cmplx_mpy(SpectrumLayout::Complex, x_c, w_c, product)?;
            acc.cifft(product)?;
            if p.shift > 0 {
                acc.shift(product, p.shift as i8)?;
            }
            // 5. Real parts, accumulated in the time domain.
            if j == 0 {
                acc.real_part(product, y)?;
            } else {
                let real = &mut w_c[..b];
                acc.real_part(product, real)?;
                acc.add(real, y)?;
            }
        }
        let bias_buf = &mut w_c[..b];
        acc.copy(&bias[i * b..(i + 1) * b], bias_buf)?;
        acc.add(bias_buf, y)?;
        if p.relu {
            acc.relu(y)?;
        }
        let start = i * b;
        let len = b.min(p.outputs.saturating_sub(start));
        if len > 0 {
            acc.copy(&y[..len], &mut output[start..start + len])?;
        }
    }
    Ok(())
}
