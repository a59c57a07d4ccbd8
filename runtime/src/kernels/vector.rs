//! Element-wise vector kernels and reductions, with the edge behaviour TI documents for each DSPLib function
//! (`DSPLib_vector.h`, DSPLib 1.30): add and offset saturate, shift does not, scale multiplies by a Q15
//! constant and shifts left. ReLU, argmax and copy are CPU kernels of ours.

use super::check;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::q15::{saturating_add, wrapping_shift};

/// `acc = sat16(acc + src)` (`msp_add_q15`: "addition ... with saturation").
pub fn add(src: &[i16], acc: &mut [i16]) -> Result<(), KernelError> {
    check::binary_even(Kernel::Add, src.len(), src.len(), acc.len())?;
    for (a, &s) in acc.iter_mut().zip(src) {
        *a = saturating_add(*a, s);
    }
    Ok(())
}

/// `data = data * 2^shift`, `shift` in -15..=15, wrapping left, floor right (`msp_shift_q15`: "does not
/// saturate"; TI returns `MSP_SHIFT_SIZE_ERROR` outside +-15).
pub fn shift(data: &mut [i16], shift: i8) -> Result<(), KernelError> {
    check::shift_range(Kernel::Shift, shift as i32, -15, 15)?;
    check::even(Kernel::Shift, data.len())?;
    for x in data.iter_mut() {
        *x = wrapping_shift(*x, shift);
    }
    Ok(())
}

/// `data = (data * scale) >> (15 - shift)` kept to its low 16 bits, `shift` in 0..=15: exactly what TI's
/// DSPLib 1.30 `msp_scale_q15` computes (`source/vector/msp_scale_q15.c`; it has no LEA version). On an
/// MPY32 device such as the FR5994 it folds the shift into the scale (`scale << shift`, a 32-bit operand),
/// multiplies each element by that in fractional mode without saturation (`MPYFRAC | MPYDLYWRTEN`) and
/// stores `RESHI`, which fractional mode reads shifted left one bit (TI SLAU367, "MPY32"): bits 15..30 of
/// `x * (scale << shift)`, that is bits `15 - shift`..`30 - shift` of `x * scale`. Its C branch for devices
/// without MPY32, `(_q15)(((int32_t)x * scale) >> (15 - shift))`, gives the same bits. Neither saturates
/// (`DSPLib_vector.h` documents only `dst = src * 2^SHIFT * SCALE`): the product is floored and wraps where
/// it leaves Q15, so -1 * -1 is -1 at shift 0, and 0.5 * 0.5 shifted left by 2 is -1.
///
/// Computed TI's way: the multiplier `scale << (shift + 1)` (the extra bit is the fractional read) fits
/// `i32`, and those bits are the high word of `x` times it, mod 2^32. One 32-bit multiply per element and
/// no shift in the loop (a variable 32-bit shift is a library loop on the MSP430).
pub fn scale(data: &mut [i16], scale: i16, shift: u8) -> Result<(), KernelError> {
    check::shift_range(Kernel::Scale, shift as i32, 0, 15)?;
    check::even(Kernel::Scale, data.len())?;
    // |scale| * 2^16 <= 2^31: -32768 << 16 is i32::MIN exactly, and nothing positive reaches 2^31.
    let multiplier = i32::from(scale) << (u32::from(shift) + 1);
    for x in data.iter_mut() {
        *x = (i32::from(*x).wrapping_mul(multiplier) >> 16) as i16;
    }
    Ok(())
}

/// `data = sat16(data + offset)` (`msp_offset_q15`: "addition with saturation").
pub fn offset(data: &mut [i16], offset: i16) -> Result<(), KernelError> {
    check::even(Kernel::Offset, data.len())?;
    for x in data.iter_mut() {
        *x = saturating_add(*x, offset);
    }
    Ok(())
}

/// `dst[i] = value` (`msp_fill_q15`).
pub fn fill(dst: &mut [i16], value: i16) -> Result<(), KernelError> {
    check::even(Kernel::Fill, dst.len())?;
    dst.fill(value);
    Ok(())
}

/// Signed maximum and the index of its first occurrence (`msp_max_q15` plus the index).
pub fn max(src: &[i16]) -> Result<(i16, usize), KernelError> {
    check::non_empty(Kernel::Max, src.len())?;
    check::even(Kernel::Max, src.len())?;
    Ok(first_max(src))
}

/// `data = max(data, 0)`. Only negative elements are written (on the MSP430 a store costs more than the
/// test that skips it), four per loop turn (the turn's counter and jump cost about as much as one test):
/// this loop runs after almost every layer.
pub fn relu(data: &mut [i16]) -> Result<(), KernelError> {
    let (quads, rest) = data.as_chunks_mut::<4>();
    for quad in quads {
        quad.iter_mut().for_each(zero_if_negative);
    }
    rest.iter_mut().for_each(zero_if_negative);
    Ok(())
}

#[inline(always)]
fn zero_if_negative(x: &mut i16) {
    if *x < 0 {
        *x = 0;
    }
}

/// Index of the first maximum.
pub fn argmax(src: &[i16]) -> Result<usize, KernelError> {
    check::non_empty(Kernel::Argmax, src.len())?;
    Ok(first_max(src).1)
}

/// `dst = src`.
pub fn copy(src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
    check::same_len(Kernel::Copy, src.len(), dst.len())?;
    dst.copy_from_slice(src);
    Ok(())
}

/// `(value, index)` of the first maximum of a non-empty slice.
fn first_max(src: &[i16]) -> (i16, usize) {
    let mut best = (i16::MIN, 0);
    for (i, &x) in src.iter().enumerate() {
        if x > best.0 || i == 0 {
            best = (x, i);
        }
    }
    best
}
