//! Q15 / Q31 fixed-point helpers shared by every kernel.
//!
//! Q15: `i16`, value = raw / 2^15, range [-1, 1 - 2^-15]. Q31: `i32`, value = raw / 2^31. A product of two
//! Q15 numbers is Q30 in an `i32`. Names say what happens at the edges: `saturating_*` clamps to the type's
//! range, `wrapping_*` keeps the low bits (two's complement), `floor` shifts right arithmetically (rounds
//! toward minus infinity, like the MSP430 `RRA` instruction and DSPLib's `>>`), `round` adds half an LSB
//! first (round half up).

/// Clamp a 32-bit intermediate to Q15.
#[inline]
pub const fn saturate_i16(x: i32) -> i16 {
    if x > i16::MAX as i32 {
        i16::MAX
    } else if x < i16::MIN as i32 {
        i16::MIN
    } else {
        x as i16
    }
}

/// Clamp a 64-bit intermediate to Q31.
#[inline]
pub const fn saturate_i32(x: i64) -> i32 {
    if x > i32::MAX as i64 {
        i32::MAX
    } else if x < i32::MIN as i64 {
        i32::MIN
    } else {
        x as i32
    }
}

/// Q15 + Q15 with saturation (DSPLib `__saturated_add_q15`).
#[inline]
pub const fn saturating_add(a: i16, b: i16) -> i16 {
    saturate_i16(a as i32 + b as i32)
}

/// Q15 - Q15 with saturation (DSPLib `__saturated_sub_q15`).
#[inline]
pub const fn saturating_sub(a: i16, b: i16) -> i16 {
    saturate_i16(a as i32 - b as i32)
}

/// Q15 * Q15 -> Q15, truncated toward minus infinity and saturated: `(a*b) >> 15`. Only
/// `-1 * -1` saturates. This is DSPLib's `__q15mpy` (MPY32 fractional mode reads `RESHI`).
#[inline]
pub const fn mul_floor(a: i16, b: i16) -> i16 {
    saturate_i16((a as i32 * b as i32) >> 15)
}

/// Q15 * Q15 -> Q15, rounded half up and saturated: `(a*b + 2^14) >> 15`.
#[inline]
pub const fn mul_round(a: i16, b: i16) -> i16 {
    saturate_i16((a as i32 * b as i32 + (1 << 14)) >> 15)
}

/// Q15 * Q15 -> Q31 (exact product doubled), saturated: only `-1 * -1` saturates.
#[inline]
pub const fn mul_q31(a: i16, b: i16) -> i32 {
    saturate_i32((a as i64 * b as i64) << 1)
}

/// Shift a Q15 value by `shift` bits: left for positive, arithmetic right (floor) for negative. Left shifts
/// saturate.
#[inline]
pub const fn saturating_shift(x: i16, shift: i8) -> i16 {
    if shift >= 0 { saturate_i16((x as i32) << (shift as u32 & 15)) } else { x >> ((-(shift as i32)) as u32 & 15) }
}

/// Shift a Q15 value by `shift` bits without saturation: left shifts keep the low 16 bits, right shifts
/// floor. This is `msp_shift_q15` ("does not saturate").
#[inline]
pub const fn wrapping_shift(x: i16, shift: i8) -> i16 {
    if shift >= 0 { ((x as i32) << (shift as u32 & 15)) as i16 } else { x >> ((-(shift as i32)) as u32 & 15) }
}

/// Q31-style 32-bit accumulator -> Q15 by an arithmetic right shift of `shift` bits (`0..=31`), rounded half
/// up, then saturated. `requantize(x, 15)` turns a Q30 product sum into Q15; `requantize(x, 16)` turns Q31
/// into Q15.
///
/// Computed in 32 bits (the 16-bit MSP430 pays for every 64-bit shift): with `y = x >> (shift - 1)`,
/// `floor((x + 2^(shift-1)) / 2^shift) = floor((y + 1) / 2) = (y >> 1) + (y & 1)`, which cannot overflow.
/// Shifts of 16 or more (the usual case: Q31 dot products to Q15) work on the high word alone:
/// `x >> shift = (x >> 16) >> (shift - 16)`, and the rounding bit is bit `shift - 1` of `x`.
#[inline]
pub const fn requantize(x: i32, shift: u8) -> i16 {
    if shift >= 16 {
        let high = (x >> 16) as i16;
        let s = shift - 16;
        let round = if s == 0 { ((x as u16) >> 15) as i16 } else { (high >> (s - 1)) & 1 };
        return (high >> s).saturating_add(round);
    }
    if shift == 0 {
        return saturate_i16(x);
    }
    let y = x >> (shift - 1);
    saturate_i16((y >> 1) + (y & 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: divide in 64 bits by `2^shift`, rounding half up.
    fn round_shift_i64(x: i64, shift: u32) -> i64 {
        if shift == 0 { x } else { (x + (1i64 << (shift - 1))) >> shift }
    }

    #[test]
    fn requantize_matches_64_bit_rounding() {
        let mut state = 0x1234_5678_9abc_def1u64;
        for i in 0..200_000u32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = match i % 4 {
                0 => i32::MAX - (i as i32 % 7),
                1 => i32::MIN + (i as i32 % 7),
                _ => state as i32,
            };
            let shift = (state >> 40) as u8 % 32;
            let reference = saturate_i16(saturate_i32(round_shift_i64(x as i64, shift as u32)));
            assert_eq!(requantize(x, shift), reference, "x {x} shift {shift}");
        }
    }

    #[test]
    fn saturating_add_clamps_both_ends() {
        assert_eq!(saturating_add(i16::MAX, 1), i16::MAX);
        assert_eq!(saturating_add(i16::MIN, -1), i16::MIN);
        assert_eq!(saturating_sub(i16::MIN, 1), i16::MIN);
        assert_eq!(saturating_add(100, -300), -200);
    }

    #[test]
    fn products_floor_round_and_saturate() {
        assert_eq!(mul_floor(i16::MIN, i16::MIN), i16::MAX);
        assert_eq!(mul_floor(16384, 16384), 8192);
        assert_eq!(mul_floor(-1, 1), -1, "floor rounds toward minus infinity");
        assert_eq!(mul_round(-1, 1), 0);
        assert_eq!(mul_round(3, 16384), 2, "1.5 LSB rounds half up to 2");
        assert_eq!(mul_q31(i16::MIN, i16::MIN), i32::MAX);
        assert_eq!(mul_q31(16384, 16384), 1 << 29);
    }

    #[test]
    fn shifts_saturate_or_wrap_as_named() {
        assert_eq!(saturating_shift(0x4000, 1), i16::MAX);
        assert_eq!(wrapping_shift(0x4000, 1), i16::MIN);
        assert_eq!(saturating_shift(-3, -1), -2);
        assert_eq!(wrapping_shift(-3, -1), -2);
        assert_eq!(saturating_shift(-20000, 2), i16::MIN);
    }

    #[test]
    fn requantize_rounds_half_up_and_saturates() {
        assert_eq!(requantize(3 << 14, 15), 2, "1.5 -> 2");
        assert_eq!(requantize(-(3 << 14), 15), -1, "-1.5 -> -1 (half up)");
        assert_eq!(requantize(i32::MAX, 0), i16::MAX);
        assert_eq!(requantize(i32::MIN, 8), i16::MIN);
        assert_eq!(requantize(i32::MAX, 16), i16::MAX, "no overflow when adding the half LSB");
        assert_eq!(requantize(1 << 30, 15), i16::MAX);
    }
}
