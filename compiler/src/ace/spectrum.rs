//! Compile-time spectra of circulant blocks, in the packed layout of the runtime's real FFT.

use std::f64::consts::PI;

/// The DFT of a real vector in the real-FFT packed layout: `[X0, X(N/2), Re X1, Im X1, ..., Re X(N/2-1),
/// Im X(N/2-1)]`, unscaled. The runtime multiplies pair 0 component-wise and the other pairs as complex
/// numbers, so the packed product of two spectra is the packed spectrum of their circular convolution.
/// `v.len()` is a power of two (the accelerator's FFT lengths).
pub fn packed_dft(v: &[f64]) -> Vec<f64> {
    let n = v.len();
    let (mut re, mut im) = (v.to_vec(), vec![0.0; n]);
    fft(&mut re, &mut im, -1.0);
    let mut out = Vec::with_capacity(n);
    out.push(re[0]);
    out.push(re[n / 2]);
    for k in 1..n / 2 {
        out.push(re[k]);
        out.push(im[k]);
    }
    out
}

/// The real signal whose [`packed_dft`] is `packed`.
pub fn packed_idft(packed: &[f64]) -> Vec<f64> {
    let n = packed.len();
    let (mut re, mut im) = (vec![0.0; n], vec![0.0; n]);
    re[0] = packed[0];
    re[n / 2] = packed[1];
    for k in 1..n / 2 {
        // A real signal's spectrum is Hermitian: X(N - k) = conj X(k).
        (re[k], im[k]) = (packed[2 * k], packed[2 * k + 1]);
        (re[n - k], im[n - k]) = (packed[2 * k], -packed[2 * k + 1]);
    }
    fft(&mut re, &mut im, 1.0);
    re.iter().map(|v| v / n as f64).collect()
}

/// In-place radix-2 FFT of `re + i im` (length a power of two) with twiddles `exp(sign 2 pi i k / N)`.
fn fft(re: &mut [f64], im: &mut [f64], sign: f64) {
    let n = re.len();
    assert!(n.is_power_of_two(), "FFT length {n} is not a power of two");
    let bits = n.trailing_zeros();
    for i in 0..n {
        let j = if bits == 0 { 0 } else { i.reverse_bits() >> (usize::BITS - bits) };
        if i < j {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
    let mut len = 2;
    while len <= n {
        let angle = sign * 2.0 * PI / len as f64;
        for start in (0..n).step_by(len) {
            for k in 0..len / 2 {
                let (w_re, w_im) = ((angle * k as f64).cos(), (angle * k as f64).sin());
                let (a, b) = (start + k, start + k + len / 2);
                let (t_re, t_im) = (re[b] * w_re - im[b] * w_im, re[b] * w_im + im[b] * w_re);
                (re[b], im[b]) = (re[a] - t_re, im[a] - t_im);
                (re[a], im[a]) = (re[a] + t_re, im[a] + t_im);
            }
        }
        len *= 2;
    }
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
    fn packed_dft_matches_the_definition_and_inverts() {
        let v: Vec<f64> = (0..16).map(|t| ((t * 7 + 3) % 11) as f64 - 5.0).collect();
        let spectrum = packed_dft(&v);
        let bin = |k: usize| {
            let angle = |t: usize| -2.0 * PI * (k * t) as f64 / 16.0;
            v.iter().enumerate().fold((0.0, 0.0), |(re, im), (t, x)| (re + x * angle(t).cos(), im + x * angle(t).sin()))
        };
        let mut expected = vec![bin(0).0, bin(8).0];
        for k in 1..8 {
            expected.extend([bin(k).0, bin(k).1]);
        }
        for (s, e) in spectrum.iter().zip(&expected) {
            assert!((s - e).abs() < 1e-9, "{s} vs {e}");
        }
        for (back, x) in packed_idft(&spectrum).iter().zip(&v) {
            assert!((back - x).abs() < 1e-9);
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
