//! Convolution by FFT against the exact f64 cross-correlation, and work split into any bands gives the same
//! bits as the whole.
//!
//! The error bound is `circulant_dense`'s (its derivation is in tests/ops.rs, `check_circulant`), with the
//! input channels in the place of the input blocks.

use acec_runtime::SoftBackend;
use acec_runtime::ops::{ConvFftParams, conv_fft};

const INPUT_FRAC: i32 = 12;
const SPECTRA_FRAC: i32 = 12;

struct Case {
    p: ConvFftParams,
    /// Outputs: Q(spectra + input + left shift - 15 - log2(N/2)) (the inverse divides by N/2).
    out_frac: i32,
    kernel_w: usize,
    /// Weights as (oc, c, ky, kx), real values.
    w: Vec<f64>,
    /// Per output channel, in the output format.
    bias: Vec<i16>,
    x: Vec<i16>,
}

fn values(n: usize, seed: &mut u32, range: i32) -> Vec<i32> {
    (0..n)
        .map(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 17;
            *seed ^= *seed << 5;
            (*seed % (2 * range as u32)) as i32 - range
        })
        .collect()
}

fn case(pad: usize, relu: bool, seed: u32) -> Case {
    case_shifted(pad, relu, seed, 0, 11000)
}

/// `input_shift` as the op takes it (negative: a saturating left shift), inputs within +-`input_range` LSBs.
fn case_shifted(pad: usize, relu: bool, seed: u32, input_shift: i8, input_range: i32) -> Case {
    let (cin, h, w, cout, kh, kw) = (2, 9, 5, 3, 3, 3);
    let plane_width = w + 2 * pad;
    let block = 32;
    let p = ConvFftParams {
        in_channels: cin,
        in_height: h,
        in_width: w,
        out_channels: cout,
        out_height: h + 2 * pad - kh + 1,
        out_width: plane_width - kw + 1,
        kernel_h: kh,
        pad_top: pad,
        pad_left: pad,
        plane_width,
        block,
        band_rows: block / plane_width - (kh - 1),
        input_shift,
        rounding: (cin / 2) as i16,
        relu,
    };
    let mut seed = seed;
    Case {
        p,
        out_frac: SPECTRA_FRAC + INPUT_FRAC - i32::from(input_shift) - 15 - (block / 2).trailing_zeros() as i32,
        kernel_w: kw,
        w: values(cout * cin * kh * kw, &mut seed, 1000).iter().map(|&v| f64::from(v) / 4000.0).collect(),
        bias: values(cout, &mut seed, 100).iter().map(|&v| v as i16).collect(),
        x: values(cin * h * w, &mut seed, input_range).iter().map(|&v| v as i16).collect(),
    }
}

/// The packed real-FFT layout of the unscaled DFT of `v` (naive DFT: an independent reference).
fn packed_dft(v: &[f64]) -> Vec<f64> {
    let n = v.len();
    let bin = |k: usize| {
        v.iter().enumerate().fold((0.0, 0.0), |(re, im), (t, x)| {
            let angle = -2.0 * std::f64::consts::PI * ((k * t) % n) as f64 / n as f64;
            (re + x * angle.cos(), im + x * angle.sin())
        })
    };
    let mut out = vec![bin(0).0, bin(n / 2).0];
    for k in 1..n / 2 {
        out.extend([bin(k).0, bin(k).1]);
    }
    out
}

/// Kernel spectra in Q`SPECTRA_FRAC`: each kernel at `-(ky * plane_width + kx) mod N` of its block.
fn spectra(c: &Case) -> Vec<i16> {
    let (n, kh, kw) = (c.p.block, c.p.kernel_h, c.kernel_w);
    c.w.chunks(kh * kw)
        .flat_map(|kernel| {
            let mut v = vec![0f64; n];
            for (index, &h) in kernel.iter().enumerate() {
                v[(n - ((index / kw) * c.p.plane_width + index % kw)) % n] = h;
            }
            packed_dft(&v).into_iter().map(|s| (s * f64::from(SPECTRA_FRAC).exp2()).round() as i16)
        })
        .collect()
}

/// The exact output in output LSBs, before bias.
fn exact(c: &Case, oc: usize, oy: usize, ox: usize) -> f64 {
    let p = &c.p;
    let mut sum = 0f64;
    for ch in 0..p.in_channels {
        for ky in 0..p.kernel_h {
            for kx in 0..c.kernel_w {
                let iy = (oy + ky) as isize - p.pad_top as isize;
                let ix = (ox + kx) as isize - p.pad_left as isize;
                if iy < 0 || ix < 0 || iy >= p.in_height as isize || ix >= p.in_width as isize {
                    continue;
                }
                let w = c.w[((oc * p.in_channels + ch) * p.kernel_h + ky) * c.kernel_w + kx];
                sum += w * f64::from(c.x[(ch * p.in_height + iy as usize) * p.in_width + ix as usize]);
            }
        }
    }
    sum / f64::from(INPUT_FRAC - c.out_frac).exp2()
}

fn run(c: &Case, work: std::ops::Range<usize>, out: &mut [i16]) {
    let mut lea = vec![0x1357i16; c.p.lea_len()]; // junk: the op must not rely on zeroed scratch
    conv_fft(&mut SoftBackend, &c.p, &spectra(c)[..], &c.bias, &c.x, out, &mut lea, work).unwrap();
}

#[test]
fn fft_convolution_matches_the_exact_correlation_within_the_circulant_error_model() {
    // The last two: a small input shifted left by two bits, whose output then has two more bits.
    let cases =
        [(0, false, 0, 11000), (1, false, 0, 11000), (1, true, 0, 11000), (0, false, -2, 2800), (1, true, -2, 2800)];
    for (pad, relu, input_shift, input_range) in cases {
        let c = case_shifted(pad, relu, 11 + pad as u32, input_shift, input_range);
        let p = &c.p;
        assert!(p.bands() > 1, "the case must cover several bands");
        let mut out = vec![0i16; p.out_channels * p.out_height * p.out_width];
        run(&c, 0..usize::MAX, &mut out);
        let (mut worst, mut square, mut count) = (0f64, 0f64, 0f64);
        for oc in 0..p.out_channels {
            for oy in 0..p.out_height {
                for ox in 0..p.out_width {
                    let mut want = exact(&c, oc, oy, ox) + f64::from(c.bias[oc]);
                    if relu {
                        want = want.max(0.0);
                    }
                    let error = f64::from(out[(oc * p.out_height + oy) * p.out_width + ox]) - want;
                    (worst, square, count) = (worst.max(error.abs()), square + error * error, count + 1.0);
                }
            }
        }
        let (q, log_n) = (p.in_channels as f64, p.block.trailing_zeros() as f64);
        let bound = 2.0 * (q + q * (log_n + 2.0)) / 4.0 + log_n + 3.0;
        let rms = (square / count).sqrt();
        let label = format!("pad {pad}, input shift {input_shift}");
        assert!(worst <= bound && rms <= bound / 2.0, "{label}: worst {worst} (bound {bound}), rms {rms}");
    }
}

#[test]
fn any_split_into_bands_gives_the_same_bits() {
    let c = case(1, true, 3);
    let p = &c.p;
    let len = p.out_channels * p.out_height * p.out_width;
    let mut whole = vec![0i16; len];
    run(&c, 0..p.bands(), &mut whole);
    for cut in 0..=p.bands() {
        let mut split = vec![0i16; len];
        run(&c, 0..cut, &mut split);
        run(&c, cut..usize::MAX, &mut split);
        assert_eq!(split, whole, "cut at band {cut}");
    }
}

#[test]
fn a_left_shift_saturates_instead_of_wrapping() {
    // Inputs up to +-12000 shifted left by two bits reach +-48000: they must clip to the i16 range, as if
    // the input had been clipped (a wrap would flip signs and wreck whole bands).
    let c = case_shifted(0, false, 9, -2, 12000);
    let mut clipped = case_shifted(0, false, 9, 0, 12000);
    clipped.x = c.x.iter().map(|&x| (i32::from(x) * 4).clamp(-32768, 32767) as i16).collect();
    clipped.out_frac = c.out_frac;
    clipped.p.input_shift = 0;
    let len = c.p.out_channels * c.p.out_height * c.p.out_width;
    let (mut shifted, mut reference) = (vec![0i16; len], vec![0i16; len]);
    run(&c, 0..usize::MAX, &mut shifted);
    run(&clipped, 0..usize::MAX, &mut reference);
    assert_eq!(shifted, reference);
}

#[test]
fn inconsistent_bands_and_small_scratch_are_refused() {
    let mut c = case(0, false, 5);
    let mut out = vec![0i16; c.p.out_channels * c.p.out_height * c.p.out_width];
    let mut lea = vec![0i16; c.p.lea_len() - 2];
    let s = spectra(&c);
    assert!(conv_fft(&mut SoftBackend, &c.p, &s[..], &c.bias, &c.x, &mut out, &mut lea, 0..1).is_err());
    c.p.band_rows += 2; // the band's input rows no longer fit the block
    let mut lea = vec![0i16; c.p.lea_len()];
    assert!(conv_fft(&mut SoftBackend, &c.p, &s[..], &c.bias, &c.x, &mut out, &mut lea, 0..1).is_err());
}
