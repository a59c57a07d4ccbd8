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

#[cfg(test)]
mod tests {
    use super::*;

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
}
