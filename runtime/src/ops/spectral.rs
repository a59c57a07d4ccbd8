//! The frequency-domain core that circulant layers and FFT convolutions share: one output block as the
//! inverse FFT of the accumulated products of precomputed weight spectra with the input spectra.

use crate::accelerator::Accelerator;
use crate::const_slice::ConstSlice;
use crate::error::KernelError;
use crate::shapes::SpectrumLayout;

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

/// [`output_block`] in fewer accelerator calls: the row's `q` products in chunks of `chunk` blocks, each
/// chunk's weight spectra (`chunk * b` values from `first` on) staged in one copy into `staged`, multiplied
/// with the chunk's `inputs` in one complex multiply, and summed by halving (each add folds the upper half
/// of the blocks left onto the lower half: `ceil(log2 n)` adds instead of `n - 1`). After the first chunk,
/// the products go one block up and the running sum of the chunks before, in the first block, joins the
/// halving. The output block is `product[..b]`, `b` = `block`, `q` = `inputs.len() / b`; `staged` holds
/// `chunk * b` values and `product` `(chunk + 1) * b` (`chunk * b` when one chunk is the whole row). The
/// saturating adds run in another order than `output_block`'s; the formats keep the sums inside 16 bits,
/// where order does not matter.
#[allow(clippy::too_many_arguments)]
pub(crate) fn output_row<A: Accelerator, S: ConstSlice + ?Sized>(
    acc: &mut A,
    spectra: &S,
    first: u32,
    inputs: &[i16],
    block: usize,
    chunk: usize,
    rounding: i16,
    staged: &mut [i16],
    product: &mut [i16],
) -> Result<(), KernelError> {
    for (index, x) in inputs.chunks(chunk * block).enumerate() {
        let len = x.len();
        let at = first + (index * chunk * block) as u32;
        // The first chunk's products start the sum; later ones sit above it.
        let (offset, mut blocks) = if index == 0 { (0, len / block) } else { (block, len / block + 1) };
        spectra.stage(acc, at, &mut staged[..len])?;
        let layout = SpectrumLayout::RealPackedBlocks(block);
        acc.cmplx_mpy(layout, &staged[..len], x, &mut product[offset..offset + len])?;
        while blocks > 1 {
            let (keep, fold) = (blocks - blocks / 2, blocks / 2);
            let (lower, upper) = product.split_at_mut(keep * block);
            acc.add(&upper[..fold * block], &mut lower[..fold * block])?;
            blocks = keep;
        }
    }
    let sum = &mut product[..block];
    if rounding != 0 {
        acc.offset(sum, rounding)?;
    }
    acc.irfft(sum)
}

/// Shifts `data` right by `shift` bits (floor) in one call, or left by `-shift` bits saturating (doubling
/// with the saturating add, the LEA's own shift wraps) in pieces as long as `scratch` (even): a copy and an
/// add per doubling and piece, however many blocks `data` holds, since every DSPLib call costs hundreds of
/// cycles. Element-wise, so the bits do not depend on the pieces. What a left shift saturates, and what is
/// left beyond `FFT_INPUT_LIMIT`, the real FFT clamps.
pub(crate) fn scale_input<A: Accelerator>(
    acc: &mut A,
    shift: i8,
    data: &mut [i16],
    scratch: &mut [i16],
) -> Result<(), KernelError> {
    if shift > 0 {
        return acc.shift(data, -shift);
    }
    if shift == 0 {
        return Ok(());
    }
    let piece = (scratch.len() / 2 * 2).max(2);
    for part in data.chunks_mut(piece) {
        let scratch = &mut scratch[..part.len()];
        for _ in shift..0 {
            acc.copy(part, scratch)?;
            acc.add(scratch, part)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SoftBackend;

    /// A saturating left shift in pieces of any scratch length is `clamp(x * 2^k)` element by element, and
    /// a right shift is the floor of `x / 2^k`.
    #[test]
    fn input_shifts_are_exact_in_any_pieces() {
        let input: [i16; 12] = [0, 1, -1, 300, -300, 2047, -2048, 2048, -2049, 16000, -32768, 32767];
        for shift in [-4i8, -1, 2] {
            let want: [i16; 12] = input.map(|x| {
                let scaled = if shift < 0 { i32::from(x) << -shift } else { i32::from(x) >> shift };
                scaled.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
            });
            for scratch_len in [2, 4, 6, 12] {
                let mut data = input;
                let mut scratch = [0i16; 12];
                scale_input(&mut SoftBackend, shift, &mut data, &mut scratch[..scratch_len]).unwrap();
                assert_eq!(data, want, "shift {shift}, pieces of {scratch_len}");
            }
        }
    }
}
