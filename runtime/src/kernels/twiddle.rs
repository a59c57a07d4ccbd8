//! Twiddle factors `W_L^j = exp(-2*pi*i*j/L)` in Q15 for every supported length L, from one integer table.
//!
//! Why a committed table rather than a `build.rs`: the table is data the device needs, so it is reviewed and
//! versioned like data; the crate builds for any target without running host float code; and a unit test
//! recomputes every entry with `f64` and fails on any difference, so the table cannot drift.
//! `COS_Q15[k] = cos(2*pi*k/512)` for `k < 256`, rounded to nearest and clamped to `i16` (cos 0 = 32767);
//! `sin(2*pi*k/512) = COS_Q15[|128 - k|]` by symmetry, so no second table is needed.

use super::twiddle_table::COS_Q15;

/// Points of the full circle the table is sampled on.
pub const TABLE_POINTS: usize = 512;

/// `(cos, sin)` of `2*pi*k/512` in Q15, `k < 256`.
#[inline]
pub fn cos_sin(k: usize) -> (i16, i16) {
    (COS_Q15[k], COS_Q15[k.abs_diff(TABLE_POINTS / 4)])
}

/// Forward twiddle `W_len^j = cos - i*sin` of angle `2*pi*j/len` as `(re, im)` in Q15; `j < len/2`,
/// `len` a power of two dividing 512.
#[inline]
pub fn forward(j: usize, len: usize) -> (i16, i16) {
    let (c, s) = cos_sin(j * (TABLE_POINTS / len));
    (c, s.wrapping_neg())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::println;

    fn expected(k: usize) -> i16 {
        let v = (core::f64::consts::PI * k as f64 / 256.0).cos() * 32768.0;
        v.round().clamp(-32768.0, 32767.0) as i16
    }

    #[test]
    fn table_matches_f64() {
        if std::env::var_os("ACEC_PRINT_TWIDDLES").is_some() {
            for k in 0..256 {
                println!("{},", expected(k));
            }
        }
        for (k, &v) in COS_Q15.iter().enumerate() {
            assert_eq!(v, expected(k), "COS_Q15[{k}]");
        }
    }

    #[test]
    fn sine_by_symmetry_matches_f64() {
        for k in 0..256 {
            let s = (core::f64::consts::PI * k as f64 / 256.0).sin() * 32768.0;
            let (_, got) = cos_sin(k);
            assert!((got as f64 - s).abs() <= 1.0, "sin at {k}: {got} vs {s}");
        }
    }
}
