//! FFT kernels against f64 references, with the documented DSPLib scaling.
mod common;

use acec_runtime::kernels::fft::{FFT_INPUT_LIMIT, IRFFT_INPUT_LIMIT};
use acec_runtime::{Accelerator, SoftBackend, SpectrumLayout};
use common::{FFT_LENGTHS, Rng, dft, max_abs_diff};

/// DSPLib's table: a 256-point real FFT turns Q15 into Q8. An impulse of 0.25 (Q15 8192) has a flat spectrum
/// of 0.25, which is exactly 64 in Q8; an impulse of 32767 is clamped to `FFT_INPUT_LIMIT` (11520 = 90 * 128)
/// and gives 90.
#[test]
fn rfft_256_of_q15_impulse_is_documented_q8() {
    for (amplitude, expected) in [(8192i16, 64i16), (32767, 90)] {
        let mut data = [0i16; 256];
        data[0] = amplitude;
        SoftBackend.rfft(&mut data).unwrap();
        assert_eq!((data[0], data[1]), (expected, expected), "DC and Nyquist");
        for pair in data[2..].chunks_exact(2) {
            assert_eq!(pair, [expected, 0]);
        }
    }
}

#[test]
fn rfft_q_format_matches_dsplib_table_for_every_length() {
    // Q15 -> Q12 at 16 points ... Q7 at 512: an impulse of 0.25 gives 0.25 in Q(15 - log2(N/2)).
    for n in FFT_LENGTHS {
        let mut data = vec![0i16; n];
        data[0] = 8192;
        SoftBackend.rfft(&mut data).unwrap();
        let q = 15 - (n / 2).trailing_zeros();
        assert_eq!(data[2], 1 << (q - 2), "N = {n}");
    }
}

/// Error bound: the forward transforms truncate once per stage (<= 1 LSB each, relative to the output
/// scale) and the twiddles are rounded to Q15, so every bin is within `log2(N) + 2` LSB of
/// `X(k) / N` (complex) or `X(k) / (N/2)` (real).
#[test]
fn rfft_matches_f64_dft() {
    let mut rng = Rng::new(1);
    for n in FFT_LENGTHS {
        for _ in 0..4 {
            let x = rng.vec_i16(n, -FFT_INPUT_LIMIT, FFT_INPUT_LIMIT);
            let mut data = x.clone();
            SoftBackend.rfft(&mut data).unwrap();
            let re: Vec<f64> = x.iter().map(|&v| v as f64).collect();
            let (xr, xi) = dft(&re, &vec![0.0; n]);
            let scale = (n / 2) as f64;
            let mut expected = vec![xr[0] / scale, xr[n / 2] / scale];
            for k in 1..n / 2 {
                expected.extend([xr[k] / scale, xi[k] / scale]);
            }
            let bound = n.trailing_zeros() as f64 + 2.0;
            let err = max_abs_diff(&data, &expected);
            assert!(err <= bound, "N = {n}: error {err} > {bound}");
        }
    }
}

#[test]
fn cfft_matches_f64_dft() {
    let mut rng = Rng::new(2);
    for n in FFT_LENGTHS {
        let x = rng.vec_i16(2 * n, -FFT_INPUT_LIMIT, FFT_INPUT_LIMIT);
        let mut data = x.clone();
        SoftBackend.cfft(&mut data).unwrap();
        let re: Vec<f64> = x.iter().step_by(2).map(|&v| v as f64).collect();
        let im: Vec<f64> = x.iter().skip(1).step_by(2).map(|&v| v as f64).collect();
        let (xr, xi) = dft(&re, &im);
        let expected: Vec<f64> = xr.iter().zip(&xi).flat_map(|(r, i)| [r / n as f64, i / n as f64]).collect();
        let bound = n.trailing_zeros() as f64 + 2.0;
        let err = max_abs_diff(&data, &expected);
        assert!(err <= bound, "N = {n}: error {err} > {bound}");
    }
}

/// Round trips: the inverses use the fixed-scaling forward FFT, so they return the signal divided by the point
/// count (`x / (N/2)` real, `x / N` complex). Error bound: each of the ~2 log2 N halving stages floors (at most
/// 1 LSB of the output scale, most of it halved again by later stages), and the spectrum's own rounding comes
/// back divided by the point count: `log2 N + 2` LSB of the output.
#[test]
fn rfft_then_irfft_returns_the_input_over_half_the_points() {
    let mut rng = Rng::new(3);
    for n in FFT_LENGTHS {
        for _ in 0..8 {
            // Spectrum components stay within IRFFT_INPUT_LIMIT for inputs within a quarter of it.
            let x = rng.vec_i16(n, -IRFFT_INPUT_LIMIT / 4, IRFFT_INPUT_LIMIT / 4);
            let mut data = x.clone();
            SoftBackend.rfft(&mut data).unwrap();
            assert!(data.iter().all(|v| v.abs() <= IRFFT_INPUT_LIMIT), "N = {n}: spectrum beyond the limit");
            SoftBackend.irfft(&mut data).unwrap();
            let expected: Vec<f64> = x.iter().map(|&v| v as f64 / (n / 2) as f64).collect();
            let err = max_abs_diff(&data, &expected);
            let bound = n.trailing_zeros() as f64 + 2.0;
            assert!(err <= bound, "N = {n}: round-trip error {err} > {bound}");
        }
    }
}

#[test]
fn cfft_then_cifft_returns_the_input_over_the_points() {
    let mut rng = Rng::new(4);
    for n in FFT_LENGTHS {
        for _ in 0..4 {
            let x = rng.vec_i16(2 * n, -FFT_INPUT_LIMIT, FFT_INPUT_LIMIT);
            let mut data = x.clone();
            SoftBackend.cfft(&mut data).unwrap();
            SoftBackend.cifft(&mut data).unwrap();
            let expected: Vec<f64> = x.iter().map(|&v| v as f64 / n as f64).collect();
            let err = max_abs_diff(&data, &expected);
            let bound = n.trailing_zeros() as f64 + 2.0;
            assert!(err <= bound, "N = {n}: round-trip error {err} > {bound}");
        }
    }
}

/// The Nyquist bin survives (TI's C split writes 0 there): `x[n] = (-1)^n a` has all its energy in it.
#[test]
fn rfft_keeps_the_nyquist_bin() {
    for n in FFT_LENGTHS {
        let x: Vec<i16> = (0..n).map(|i| if i % 2 == 0 { 1024 } else { -1024 }).collect();
        let mut data = x.clone();
        SoftBackend.rfft(&mut data).unwrap();
        // X(N/2) / (N/2) = 2 * 1024, floored a little by the stages.
        assert!((data[1] as i32 - 2048).abs() <= 8, "N = {n}: Nyquist {}", data[1]);
        assert!(data[0].abs() <= 8, "N = {n}: DC {}", data[0]);
        SoftBackend.irfft(&mut data).unwrap();
        let expected: Vec<f64> = x.iter().map(|&v| v as f64 / (n / 2) as f64).collect();
        assert!(max_abs_diff(&data, &expected) <= n.trailing_zeros() as f64 + 2.0, "N = {n}: inverse");
    }
}

/// Inputs beyond the limits are clamped first: the transform of a full-scale input is the transform of the
/// input at the limit, and nothing wraps.
#[test]
fn inputs_beyond_the_limits_are_clamped() {
    let mut rng = Rng::new(7);
    for n in FFT_LENGTHS {
        let x = rng.vec_i16(n, i16::MIN, i16::MAX);
        let clamped: Vec<i16> = x.iter().map(|v| (*v).clamp(-FFT_INPUT_LIMIT, FFT_INPUT_LIMIT)).collect();
        let (mut a, mut b) = (x.clone(), clamped);
        SoftBackend.rfft(&mut a).unwrap();
        SoftBackend.rfft(&mut b).unwrap();
        assert_eq!(a, b, "rfft N = {n}");
        let clamped: Vec<i16> = x.iter().map(|v| (*v).clamp(-IRFFT_INPUT_LIMIT, IRFFT_INPUT_LIMIT)).collect();
        let (mut a, mut b) = (x, clamped);
        SoftBackend.irfft(&mut a).unwrap();
        SoftBackend.irfft(&mut b).unwrap();
        assert_eq!(a, b, "irfft N = {n}");
    }
}

/// The block-circulant path: y = irfft(sum_j rfft(w_j) * rfft(x_j)) with a 32-bit frequency-domain
/// accumulator, against direct circular convolution in f64. Scale: rfft gives X/(N/2) each, the product is
/// Q30 of XW/(N/2)^2, requantize by 15 + 3 gives Q15 of XW/(N/2)^2/8 (inside `IRFFT_INPUT_LIMIT` for these
/// inputs), and irfft divides the inverse by N/2 once more: `sum_j (w_j (*) x_j) / (N/2)^2 / 8` in Q15.
#[test]
fn circular_convolution_via_rfft_and_cmplx_mac_matches_direct() {
    let mut rng = Rng::new(5);
    for n in [16usize, 64, 256] {
        let blocks = 3;
        let xs: Vec<Vec<i16>> = (0..blocks).map(|_| rng.vec_i16(n, -FFT_INPUT_LIMIT, FFT_INPUT_LIMIT)).collect();
        let ws: Vec<Vec<i16>> = (0..blocks).map(|_| rng.vec_i16(n, -FFT_INPUT_LIMIT, FFT_INPUT_LIMIT)).collect();
        let mut acc = vec![0i32; n];
        for (x, w) in xs.iter().zip(&ws) {
            let (mut xf, mut wf) = (x.clone(), w.clone());
            SoftBackend.rfft(&mut xf).unwrap();
            SoftBackend.rfft(&mut wf).unwrap();
            SoftBackend.cmplx_mac(SpectrumLayout::RealPacked, &wf, &xf, &mut acc).unwrap();
        }
        let mut y = vec![0i16; n];
        SoftBackend.requantize(&acc, 18, &mut y).unwrap();
        assert!(y.iter().all(|v| v.abs() < IRFFT_INPUT_LIMIT), "N = {n}: test spectrum beyond the limit");
        SoftBackend.irfft(&mut y).unwrap();

        let half = (n / 2) as f64;
        let expected: Vec<f64> = (0..n)
            .map(|i| {
                let mut sum = 0.0;
                for (x, w) in xs.iter().zip(&ws) {
                    for k in 0..n {
                        sum += w[k] as f64 * x[(i + n - k) % n] as f64;
                    }
                }
                sum / 32768.0 / half / half / 8.0
            })
            .collect();
        // The spectrum's rounding (half an LSB a bin) comes back divided by sqrt(N/2) on average, the
        // inverse's stages floor (log2 N LSB at most): bound log2 N + 2 LSB.
        let bound = n.trailing_zeros() as f64 + 2.0;
        let err = max_abs_diff(&y, &expected);
        assert!(err <= bound, "N = {n}: error {err} > {bound}");
    }
}

#[test]
fn cmplx_mpy_of_packed_spectra_equals_truncated_mac() {
    let mut rng = Rng::new(6);
    let a = rng.vec_i16(64, i16::MIN, i16::MAX);
    let b = rng.vec_i16(64, i16::MIN, i16::MAX);
    for layout in [SpectrumLayout::Complex, SpectrumLayout::RealPacked] {
        let mut product = vec![0i16; 64];
        SoftBackend.cmplx_mpy(layout, &a, &b, &mut product).unwrap();
        let mut acc = vec![0i32; 64];
        SoftBackend.cmplx_mac(layout, &a, &b, &mut acc).unwrap();
        for (p, q) in product.iter().zip(&acc) {
            assert_eq!(*p, (q >> 15) as i16);
        }
    }
    // Pair 0 of a packed spectrum multiplies component-wise.
    let mut dst = [0i16; 2];
    SoftBackend.cmplx_mpy(SpectrumLayout::RealPacked, &[16384, 16384], &[16384, -16384], &mut dst).unwrap();
    assert_eq!(dst, [8192, -8192]);
    SoftBackend.cmplx_mpy(SpectrumLayout::Complex, &[16384, 16384], &[16384, -16384], &mut dst).unwrap();
    assert_eq!(dst, [16384, 0]);
}

/// One call over consecutive packed spectra (`RealPackedBlocks`) is the calls over each spectrum
/// (`RealPacked`), for the multiply and the multiply-accumulate; a block layout that does not tile the
/// buffer, or has odd or empty blocks, is refused.
#[test]
fn packed_blocks_are_each_block_packed() {
    let mut rng = Rng::new(7);
    let (block, blocks) = (16, 4);
    let a = rng.vec_i16(block * blocks, i16::MIN, i16::MAX);
    let b = rng.vec_i16(block * blocks, i16::MIN, i16::MAX);
    let mut whole = vec![0i16; block * blocks];
    SoftBackend.cmplx_mpy(SpectrumLayout::RealPackedBlocks(block), &a, &b, &mut whole).unwrap();
    let mut whole_acc = vec![5i32; block * blocks];
    SoftBackend.cmplx_mac(SpectrumLayout::RealPackedBlocks(block), &a, &b, &mut whole_acc).unwrap();
    for k in 0..blocks {
        let r = k * block..(k + 1) * block;
        let mut one = vec![0i16; block];
        SoftBackend.cmplx_mpy(SpectrumLayout::RealPacked, &a[r.clone()], &b[r.clone()], &mut one).unwrap();
        assert_eq!(whole[r.clone()], one[..], "block {k}");
        let mut one_acc = vec![5i32; block];
        SoftBackend.cmplx_mac(SpectrumLayout::RealPacked, &a[r.clone()], &b[r.clone()], &mut one_acc).unwrap();
        assert_eq!(whole_acc[r], one_acc[..], "block {k}");
    }
    let mut dst = vec![0i16; 48];
    for bad in [0, 3, 32] {
        let layout = SpectrumLayout::RealPackedBlocks(bad);
        assert!(SoftBackend.cmplx_mpy(layout, &a[..48], &b[..48], &mut dst).is_err(), "blocks of {bad}");
    }
}

#[test]
fn fft_lengths_outside_16_to_512_are_refused() {
    for n in [8usize, 24, 1024] {
        let mut data = vec![0i16; n];
        assert!(SoftBackend.rfft(&mut data).is_err(), "rfft {n}");
        let mut data = vec![0i16; 2 * n];
        assert!(SoftBackend.cfft(&mut data).is_err(), "cfft {n}");
    }
}
