//! Compile-time spectra of circulant blocks, in the packed layout of the runtime's real FFT.

use std::f64::consts::PI;

/// The DFT of a real vector in the real-FFT packed layout: `[X0, X(N/2), Re X1, Im X1, ..., Re X(N/2-1),
/// Im X(N/2-1)]`, unscaled. The runtime multiplies pair 0 component-wise and the other pairs as complex
/// numbers, so the packed product of two spectra is the packed spectrum of their circular convolution.
pub fn packed_dft(v: &[f64]) -> Vec<f64> {
    let n = v.len();
    let bin = |k: usize| -> (f64, f64) {
        v.iter().enumerate().fold((0.0, 0.0), |(re, im), (t, &x)| {
            let angle = -2.0 * PI * (k * t % n) as f64 / n as f64;
            (re + x * angle.cos(), im + x * angle.sin())
        })
    };
    let mut out = Vec::with_capacity(n);
    out.push(bin(0).0);
    out.push(bin(n / 2).0);
    for k in 1..n / 2 {
        let (re, im) = bin(k);
        out.push(re);
        out.push(im);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_dft_of_an_impulse_is_flat() {
        let mut v = vec![0.0; 8];
        v[0] = 1.0;
        let spectrum = packed_dft(&v);
        assert_eq!(spectrum.len(), 8);
        for (i, s) in spectrum.iter().enumerate() {
            let expected = if i < 2 || i % 2 == 0 { 1.0 } else { 0.0 };
            assert!((s - expected).abs() < 1e-12, "{i}: {s}");
        }
    }

    #[test]
    fn packed_product_is_circular_convolution() {
        let a = [1.0, 2.0, 0.5, -1.0];
        let b = [0.25, -0.5, 1.5, 2.0];
        let (fa, fb) = (packed_dft(&a), packed_dft(&b));
        let mut product = vec![fa[0] * fb[0], fa[1] * fb[1]];
        product.push(fa[2] * fb[2] - fa[3] * fb[3]);
        product.push(fa[2] * fb[3] + fa[3] * fb[2]);
        let conv: Vec<f64> = (0..4).map(|r| (0..4).map(|c| a[(r + 4 - c) % 4] * b[c]).sum()).collect();
        let expected = packed_dft(&conv);
        for (p, e) in product.iter().zip(&expected) {
            assert!((p - e).abs() < 1e-9);
        }
    }
}
