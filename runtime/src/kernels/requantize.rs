//! 32-bit accumulators back to Q15 (ours; DSPLib's `msp_iq31_to_q15` only truncates the high word).

use super::check;
use super::narrow::Narrowing;
use crate::cost::Kernel;
use crate::error::KernelError;

/// `dst[i] = sat16(round_half_up(src[i] / 2^shift))`, `shift` in 0..=31. `requantize(x, 15)` turns Q30
/// product sums into Q15, `requantize(x, 16)` (the usual case) Q31 dot products.
pub fn requantize(src: &[i32], shift: u8, dst: &mut [i16]) -> Result<(), KernelError> {
    check::shift_range(Kernel::Requantize, shift as i32, 0, 31)?;
    check::same_len(Kernel::Requantize, src.len(), dst.len())?;
    if shift <= 16 {
        let half = if shift == 0 { 0 } else { 1 << (shift - 1) };
        let narrowing = Narrowing::new(shift, half);
        for (out, &x) in dst.iter_mut().zip(src) {
            *out = narrowing.apply(x);
        }
    } else {
        // Nothing saturates and the high word decides alone: with y = x >> (shift - 1) = (x >> 16) >> (shift
        // - 17), floor((x + 2^(shift - 1)) / 2^shift) = floor((y + 1) / 2) = (y >> 1) + (y & 1), all in 16 bits.
        for (out, &x) in dst.iter_mut().zip(src) {
            let mut y = (x >> 16) as i16;
            for _ in 17..shift {
                y >>= 1;
            }
            *out = (y >> 1) + (y & 1);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: divide in 64 bits by `2^shift`, rounding half up, then saturate.
    fn reference(x: i32, shift: u8) -> i16 {
        let rounded = if shift == 0 { x as i64 } else { (x as i64 + (1i64 << (shift - 1))) >> shift };
        rounded.clamp(i16::MIN as i64, i16::MAX as i64) as i16
    }

    #[test]
    fn matches_64_bit_rounding_at_every_shift() {
        let mut state = 0x1234_5678_9abc_def1u64;
        let mut src = [0i32; 256];
        let mut dst = [0i16; 256];
        for round in 0..200u32 {
            for (i, x) in src.iter_mut().enumerate() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *x = match i % 4 {
                    0 => i32::MAX - (i as i32 % 7),
                    1 => i32::MIN + (i as i32 % 7),
                    _ => (state as i32) >> (state >> 59),
                };
            }
            let shift = (round % 32) as u8;
            requantize(&src, shift, &mut dst).unwrap();
            for (&x, &y) in src.iter().zip(&dst) {
                assert_eq!(y, reference(x, shift), "x {x} shift {shift}");
            }
        }
    }

    #[test]
    fn rounds_half_up_and_saturates() {
        let cases = [(3 << 14, 15, 2), (-(3 << 14), 15, -1), (i32::MAX, 0, i16::MAX), (i32::MIN, 8, i16::MIN)];
        let more = [(i32::MAX, 16, i16::MAX), (1 << 30, 15, i16::MAX), (i32::MIN, 31, -1), (i32::MAX, 31, 1)];
        for (x, shift, expected) in cases.into_iter().chain(more) {
            let mut out = [0];
            requantize(&[x], shift, &mut out).unwrap();
            assert_eq!(out[0], expected, "x {x} shift {shift}");
        }
    }
}
