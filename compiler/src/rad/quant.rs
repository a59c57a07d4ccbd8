//! Q15 quantization with per-tensor power-of-two scales: a value `v` is stored as the `i16` nearest to
//! `v * 2^frac` (its "frac bits"). Power-of-two scales turn every rescale into a shift, which the LEA and
//! the CPU do cheaply and exactly.

/// The largest `frac` such that `max_abs * 2^frac` still fits an `i16` (one LSB of margin for rounding).
/// Zero ranges get the finest representable resolution, `MAX_FRAC`.
pub fn frac_bits_for(max_abs: f64) -> i32 {
    if max_abs <= 0.0 || !max_abs.is_finite() {
        return MAX_FRAC;
    }
    let frac = (32766.0 / max_abs).log2().floor() as i32;
    frac.clamp(MIN_FRAC, MAX_FRAC)
}

/// Bounds on frac bits: Q-7 holds magnitudes up to 4 million, Q24 resolves 6e-8; models live well inside.
pub const MIN_FRAC: i32 = -7;
pub const MAX_FRAC: i32 = 24;

/// `round(v * 2^frac)`, saturated to `i16`.
pub fn quantize_i16(v: f64, frac: i32) -> i16 {
    (v * 2f64.powi(frac)).round().clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16
}

/// `round(v * 2^frac)`, saturated to `i32`.
pub fn quantize_i32(v: f64, frac: i32) -> i32 {
    (v * 2f64.powi(frac)).round().clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32
}

pub fn dequantize(q: i16, frac: i32) -> f64 {
    f64::from(q) / 2f64.powi(frac)
}

/// Signal-to-quantization-noise ratio of `approx` against `exact`, in dB (infinite when identical).
pub fn snr_db(exact: &[f64], approx: &[f64]) -> f64 {
    let signal: f64 = exact.iter().map(|v| v * v).sum();
    let noise: f64 = exact.iter().zip(approx).map(|(a, b)| (a - b) * (a - b)).sum();
    if noise == 0.0 { f64::INFINITY } else { 10.0 * (signal / noise).log10() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frac_bits_use_the_whole_i16_range() {
        assert_eq!(frac_bits_for(1.0), 14);
        assert_eq!(frac_bits_for(0.999), 15);
        assert_eq!(frac_bits_for(6.0), 12);
        assert_eq!(frac_bits_for(0.0), MAX_FRAC);
        let q = quantize_i16(5.99, frac_bits_for(5.99));
        assert!(q > 24000);
    }

    #[test]
    fn quantization_round_trips_within_half_an_lsb() {
        for &v in &[0.3, -1.7, 2.5e-3] {
            let frac = frac_bits_for(2.0);
            assert!((dequantize(quantize_i16(v, frac), frac) - v).abs() <= 0.5 / 2f64.powi(frac));
        }
        assert_eq!(quantize_i16(10.0, 14), i16::MAX);
    }
}
