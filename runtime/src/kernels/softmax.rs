//! Softmax in fixed point, for a model that needs probabilities rather than only the class (a softmax that
//! is not the last layer, or `acec build --keep-softmax`).
//!
//! `p_i = exp(x_i - max) / sum_j exp(x_j - max)`: subtracting the maximum keeps every exponent <= 0, so each
//! `exp` lies in (0, 1] and the sum in [1, n]. `exp(t) = 2^(t log2 e)`: the integer part of the exponent is a
//! shift, the fraction is read from a 33-entry table of `2^(i/32)` with linear interpolation (relative
//! error below 6e-5). Integer arithmetic only, so every backend and the host agree bit for bit.

use super::check;
use crate::cost::Kernel;
use crate::error::{KernelError, Violation};

/// `round(2^15 * 2^(i/32))` for i in 0..=32.
const EXP2_TABLE: [u32; 33] = [
    32768, 33486, 34219, 34968, 35734, 36516, 37316, 38133, 38968, 39821, 40693, 41584, 42495, 43425, 44376, 45348,
    46341, 47356, 48393, 49452, 50535, 51642, 52773, 53928, 55109, 56316, 57549, 58809, 60097, 61413, 62757, 64132,
    65536,
];

/// `round(2^14 * log2(e))`.
const LOG2_E_Q14: i32 = 23637;

/// `exp(d / 2^frac)` in Q15 for `d <= 0` (1.0 is 32768).
fn exp_q15(d: i32, frac: i32) -> u32 {
    // The exponent in Q16: d * log2(e) is Q(frac + 14). |d| < 2^16, so the product fits 32 bits (no 64-bit
    // multiply, which the MSP430 would call a helper for).
    let product = d * LOG2_E_Q14;
    let shift = frac + 14 - 16;
    let u = if shift >= 0 {
        product >> shift
    } else {
        match product.checked_mul(1 << -shift) {
            Some(u) => u,
            // Only a large negative exponent overflows: exp of it is 0 in Q15.
            None => return 0,
        }
    };
    let whole = u >> 16; // floor: <= 0
    if whole < -31 {
        return 0;
    }
    let fraction = (u & 0xFFFF) as u32;
    let (index, rest) = ((fraction >> 11) as usize, fraction & 0x7FF);
    let (lo, hi) = (EXP2_TABLE[index], EXP2_TABLE[index + 1]);
    let power = lo + (((hi - lo) * rest + 0x400) >> 11);
    // 2^whole * 2^fraction, rounded to nearest.
    let right = (-whole) as u32;
    if right == 0 { power } else { (power + (1 << (right - 1))) >> right }
}

/// `dst = softmax(src)`: `src` in Q`frac` (`frac` in -16..=16), `dst` in Q15 (1.0 saturates to 32767).
/// Equal, non-zero lengths.
pub fn softmax(src: &[i16], frac: i8, dst: &mut [i16]) -> Result<(), KernelError> {
    check::same_len(Kernel::Softmax, src.len(), dst.len())?;
    if src.is_empty() {
        return Err(KernelError::new(Kernel::Softmax, Violation::Empty));
    }
    check::shift_range(Kernel::Softmax, frac as i32, -16, 16)?;
    let max = src.iter().copied().max().unwrap_or(0);
    let mut sum: u32 = 0;
    for (d, &x) in dst.iter_mut().zip(src) {
        let e = exp_q15(i32::from(x) - i32::from(max), i32::from(frac));
        // e <= 32768: keep it in the output buffer as e - 1 (fits i16) until the sum is known.
        *d = (e as i32 - 1) as i16;
        sum += e;
    }
    for d in dst.iter_mut() {
        let e = (i32::from(*d) + 1) as u32;
        let p = ((e << 15) + sum / 2) / sum;
        *d = p.min(32767) as i16;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_two_to_the_i_over_32() {
        for (i, &v) in EXP2_TABLE.iter().enumerate() {
            assert_eq!(v, (32768.0 * (i as f64 / 32.0).exp2()).round() as u32);
        }
        assert_eq!(LOG2_E_Q14, (16384.0 * core::f64::consts::LOG2_E).round() as i32);
    }

    #[test]
    fn exp_matches_f64_within_two_lsb() {
        for frac in [-2, 0, 5, 10, 12, 15] {
            for d in (-40000..=0).step_by(37) {
                let want = (f64::from(d) / f64::from(frac).exp2()).exp() * 32768.0;
                let got = f64::from(exp_q15(d, frac));
                assert!((got - want).abs() <= 2.0 + want * 6e-5, "d {d} frac {frac}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn softmax_matches_f64_within_two_lsb() {
        let mut state = 0x1234_5678u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        let mut worst = 0f64;
        for case in 0..300 {
            let n = 1 + case % 40;
            let frac = [0i8, 4, 8, 11, 12, 14][case % 6];
            let src: std::vec::Vec<i16> = (0..n).map(|_| next() as i16 / (1 + (case % 7) as i16)).collect();
            let mut dst = std::vec![0i16; n];
            softmax(&src, frac, &mut dst).unwrap();
            let scale = f64::from(frac).exp2();
            let max = src.iter().map(|&x| f64::from(x) / scale).fold(f64::MIN, f64::max);
            let exps: std::vec::Vec<f64> = src.iter().map(|&x| (f64::from(x) / scale - max).exp()).collect();
            let sum: f64 = exps.iter().sum();
            for (&got, e) in dst.iter().zip(&exps) {
                let want = (e / sum * 32768.0).min(32767.0);
                worst = worst.max((f64::from(got) - want).abs());
            }
        }
        assert!(worst <= 2.0, "worst error {worst} LSB");
    }

    #[test]
    fn bad_calls_are_refused() {
        let mut dst = [0i16; 2];
        assert!(softmax(&[], 0, &mut []).is_err());
        assert!(softmax(&[1, 2, 3], 0, &mut dst).is_err());
        assert!(softmax(&[1, 2], 17, &mut dst).is_err());
        softmax(&[5, 5], 3, &mut dst).unwrap();
        assert_eq!(dst, [16384, 16384]);
    }
}
