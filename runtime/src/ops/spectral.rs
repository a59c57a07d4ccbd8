//! The frequency-domain core that circulant layers and FFT convolutions share: one output block as the
//! inverse FFT of the accumulated products of precomputed weight spectra with the input spectra.

use crate::accelerator::{Accelerator, SpectrumLayout};
use crate::error::KernelError;
use crate::far::ConstSlice;

/// Scratch of [`output_block`], each part one block long (in LEA RAM).
pub(crate) struct BlockScratch<'a> {
    /// The weight spectrum being multiplied.
    pub staged: &'a mut [i16],
    pub product: &'a mut [i16],
    /// The accumulated spectrum, then the output block.
    pub sum: &'a mut [i16],
}

/// `s.sum = IFFT(sum_j W_j X_j + rounding)`, where `X_j` are the block-long chunks of `inputs` (packed
/// spectra) and `W_j` the packed spectra at `first + j * block` in `spectra`. Products are accumulated in
/// the frequency domain with the accelerator's complex multiply and saturating add; `rounding` (about half
/// the number of products) cancels the mean of their truncation.
pub(crate) fn output_block<A: Accelerator, S: ConstSlice + ?Sized>(
    acc: &mut A,
    spectra: &S,
    first: u32,
    inputs: &[i16],
    rounding: i16,
    s: &mut BlockScratch,
) -> Result<(), KernelError> {
    let block = s.sum.len();
    for (j, x_j) in inputs.chunks_exact(block).enumerate() {
        spectra.stage(acc, first + (j * block) as u32, s.staged)?;
        if j == 0 {
            acc.cmplx_mpy(SpectrumLayout::RealPacked, s.staged, x_j, s.sum)?;
        } else {
            acc.cmplx_mpy(SpectrumLayout::RealPacked, s.staged, x_j, s.product)?;
            acc.add(s.product, s.sum)?;
        }
    }
    if rounding != 0 {
        acc.offset(s.sum, rounding)?;
    }
    acc.irfft(s.sum)
}

/// [`output_block`] in fewer accelerator calls, for a whole block row at once: the row's `q` weight spectra
/// (`q * b` values at `first`) staged in one copy into `staged`, one complex multiply of all `q` blocks with
/// `inputs` into `product`, and the products summed by halving (each add folds the upper half of the blocks
/// left onto the lower half: `ceil(log2 q)` adds instead of `q - 1`). The output block is `product[..b]`,
/// `b` = `inputs.len() / q`; `staged` and `product` hold `inputs.len()` values. The saturating adds run in
/// another order than `output_block`'s; the formats keep the sums inside 16 bits, where order does not
/// matter.
#[allow(clippy::too_many_arguments)]
pub(crate) fn output_row<A: Accelerator, S: ConstSlice + ?Sized>(
    acc: &mut A,
    spectra: &S,
    first: u32,
    inputs: &[i16],
    block: usize,
    rounding: i16,
    staged: &mut [i16],
    product: &mut [i16],
) -> Result<(), KernelError> {
    let len = inputs.len();
    spectra.stage(acc, first, &mut staged[..len])?;
    acc.cmplx_mpy(SpectrumLayout::RealPackedBlocks(block), &staged[..len], inputs, &mut product[..len])?;
    let mut blocks = len / block;
    while blocks > 1 {
        let (keep, fold) = (blocks - blocks / 2, blocks / 2);
        let (lower, upper) = product.split_at_mut(keep * block);
        acc.add(&upper[..fold * block], &mut lower[..fold * block])?;
        blocks = keep;
    }
    let sum = &mut product[..block];
    if rounding != 0 {
        acc.offset(sum, rounding)?;
    }
    acc.irfft(sum)
}

/// Shifts `block` right by `shift` bits (floor), or left by `-shift` bits saturating (doubling with the
/// saturating add, through `scratch` of the same length: the LEA's own shift wraps). What a left shift
/// saturates, and what is left beyond `FFT_INPUT_LIMIT`, the real FFT clamps.
pub(crate) fn scale_input<A: Accelerator>(
    acc: &mut A,
    shift: i8,
    block: &mut [i16],
    scratch: &mut [i16],
) -> Result<(), KernelError> {
    if shift > 0 {
        return acc.shift(block, -shift);
    }
    for _ in shift..0 {
        acc.copy(block, scratch)?;
        acc.add(scratch, block)?;
    }
    Ok(())
}
