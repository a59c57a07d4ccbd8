//! 32-bit values to Q15 by one right shift for a whole vector, cheap on a CPU that shifts one bit per
//! instruction (the MSP430: a 32-bit shift by a variable count is a library loop of about 100 cycles).
//!
//! Once per vector, [`Narrowing::new`] works out which inputs saturate. Every other input has a result that
//! fits 16 bits, so only one 16-bit word of the shifted value matters, and the value can be moved toward
//! whichever word boundary is nearer: right by `shift` bits for a small shift, or left by `16 - shift` bits
//! and then the high word taken for a large one (one bit for Q30 -> Q15, none for Q31 -> Q15).

/// `sat16(floor((x + bias) / 2^shift))` with `shift` in `0..=16` and `bias` in `0..2^shift`, exact for every
/// `i32` (the sum is not formed where it would overflow: those inputs saturate).
#[derive(Clone, Copy)]
pub struct Narrowing {
    shift: u8,
    bias: i32,
    /// Largest input whose result does not saturate to `i16::MAX`.
    max: Halves,
    /// Smallest input whose result does not saturate to `i16::MIN`.
    min: Halves,
}

impl Narrowing {
    /// `bias = 0` floors; `bias = 2^(shift - 1)` rounds half up.
    pub fn new(shift: u8, bias: i32) -> Self {
        debug_assert!(shift <= 16 && (0..1i64 << shift).contains(&(bias as i64)));
        // The result fits iff -2^15 <= (x + bias) >> shift < 2^15, i.e. -2^(15 + shift) <= x + bias < 2^(15 + shift).
        // At shift 16 the lower bound lies below i32::MIN (no input saturates low): saturating_sub clamps it.
        let limit = 1u32 << (15 + shift as u32);
        let max = (limit - 1 - bias as u32) as i32;
        let min = (limit as i32).wrapping_neg().saturating_sub(bias);
        Narrowing { shift, bias, max: Halves::of(max), min: Halves::of(min) }
    }

    #[inline(always)]
    pub fn apply(&self, x: i32) -> i16 {
        let halves = Halves::of(x);
        if halves.above(self.max) {
            return i16::MAX;
        }
        if self.min.above(halves) {
            return i16::MIN;
        }
        // No overflow: x <= max = 2^(15 + shift) - 1 - bias.
        let sum = x + self.bias;
        if self.shift <= 8 {
            let mut v = sum;
            for _ in 0..self.shift {
                v = halve(v);
            }
            v as i16
        } else {
            // Shifting left by 16 - shift brings bits shift..shift + 16 of the sum into the high word.
            let mut v = sum as u32;
            for _ in self.shift..16 {
                v = double(v);
            }
            (v >> 16) as i16
        }
    }
}

/// An `i32` as its two 16-bit words, compared word by word: LLVM compares 32-bit values on the MSP430 by
/// rebuilding both flags in registers, about three times the instructions.
#[derive(Clone, Copy)]
struct Halves {
    high: i16,
    low: u16,
}

impl Halves {
    #[inline(always)]
    fn of(x: i32) -> Self {
        Halves { high: (x >> 16) as i16, low: x as u16 }
    }

    /// `self > other` as `i32`s.
    #[inline(always)]
    fn above(self, other: Halves) -> bool {
        self.high > other.high || (self.high == other.high && self.low > other.low)
    }
}

/// `v << 1`: on the MSP430 the two instructions `rla; rlc` (LLVM carries the low word's top bit over with a
/// dozen single-bit shifts).
#[inline(always)]
fn double(v: u32) -> u32 {
    #[cfg(target_arch = "msp430")]
    {
        let (mut low, mut high) = (v as u16, (v >> 16) as u16);
        // SAFETY: arithmetic on two registers, nothing else.
        unsafe {
            core::arch::asm!("rla {low}", "rlc {high}", low = inout(reg) low, high = inout(reg) high,
                options(pure, nomem, nostack));
        }
        (high as u32) << 16 | low as u32
    }
    #[cfg(not(target_arch = "msp430"))]
    {
        v << 1
    }
}

/// `v >> 1` (arithmetic): on the MSP430 the two instructions `rra; rrc` (see [`double`]).
#[inline(always)]
fn halve(v: i32) -> i32 {
    #[cfg(target_arch = "msp430")]
    {
        let (mut low, mut high) = (v as u16, (v >> 16) as u16);
        // SAFETY: arithmetic on two registers, nothing else.
        unsafe {
            core::arch::asm!("rra {high}", "rrc {low}", low = inout(reg) low, high = inout(reg) high,
                options(pure, nomem, nostack));
        }
        ((high as u32) << 16 | low as u32) as i32
    }
    #[cfg(not(target_arch = "msp430"))]
    {
        v >> 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_the_64_bit_definition_at_every_shift() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for shift in 0..=16u8 {
            for bias in [0, (1i32 << shift) >> 1, (1i32 << shift) - 1] {
                let narrowing = Narrowing::new(shift, bias);
                let limit = 1i64 << (15 + shift);
                let clamp = |v: i64| v.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
                let (upper, lower) = (clamp(limit - 1 - bias as i64), clamp(-limit - bias as i64));
                let edges = [i32::MIN, -1, 0, 1, i32::MAX, upper, lower];
                let near_edges = edges.iter().flat_map(|&e| [e.saturating_sub(1), e, e.saturating_add(1)]);
                let random = (0..5000).map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    // Mostly values that do not saturate, some that do.
                    (state as i32) >> (state >> 59)
                });
                for x in near_edges.chain(random) {
                    let exact = ((x as i64 + bias as i64) >> shift).clamp(i16::MIN as i64, i16::MAX as i64);
                    assert_eq!(narrowing.apply(x) as i64, exact, "x {x} shift {shift} bias {bias}");
                }
            }
        }
    }
}
