//! Convolution through FIR bands against the exact f64 cross-correlation: each output is off by at most one
//! LSB per summed FIR result (each truncates), every band height and pass size gives the same bits, and
//! split work ranges compose to the whole.

use acec_runtime::SoftBackend;
use acec_runtime::ops::{ConvFirParams, conv_fir};

struct Case {
    p: ConvFirParams,
    kernel_w: usize,
    /// Weights as (oc, c, ky, kx), Q`WEIGHT_FRAC`.
    w: Vec<i16>,
    /// Per output channel, in the output format.
    bias: Vec<i16>,
    x: Vec<i16>,
}

const WEIGHT_FRAC: i32 = 14;
const INPUT_FRAC: i32 = 12;
/// The output format the FIR results land in: Q(w + x - 15).
const OUT_FRAC: i32 = WEIGHT_FRAC + INPUT_FRAC - 15;

fn values(n: usize, seed: &mut u32, range: i32) -> Vec<i16> {
    (0..n)
        .map(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 17;
            *seed ^= *seed << 5;
            ((*seed % (2 * range as u32)) as i32 - range) as i16
        })
        .collect()
}

fn case(stride_h: usize, pad: usize, kernel_w: usize, relu: bool, seed: u32) -> Case {
    case_of_width(9, stride_h, pad, kernel_w, relu, seed)
}

/// An even width without padding stages a band with one copy (input rows are already `plane_width` apart).
fn case_of_width(w: usize, stride_h: usize, pad: usize, kernel_w: usize, relu: bool, seed: u32) -> Case {
    let (cin, h, cout, kh) = (3, 7, 4, 3);
    let out_height = (h + 2 * pad - kh) / stride_h + 1;
    let out_width = w + 2 * pad - kernel_w + 1;
    let p = ConvFirParams {
        in_channels: cin,
        in_height: h,
        in_width: w,
        out_channels: cout,
        out_height,
        out_width,
        kernel_h: kh,
        stride_h,
        dilation_h: 1,
        pad_top: pad,
        pad_left: pad,
        taps: kernel_w.div_ceil(2) * 2,
        row_len: out_width.div_ceil(2) * 2,
        plane_width: (out_width + kernel_w - 1).max(w + pad).div_ceil(2) * 2,
        band_rows: 1,
        channels_per_pass: cout,
        relu,
    };
    let mut seed = seed;
    Case {
        p,
        kernel_w,
        w: values(cout * cin * kh * kernel_w, &mut seed, 3000),
        bias: values(cout, &mut seed, 2000),
        x: values(cin * h * w, &mut seed, 4000),
    }
}

/// The FIR weight layout: (c, ky, oc, taps), each kernel row reversed and padded with zero taps.
fn fir_weights(c: &Case) -> Vec<i16> {
    let p = &c.p;
    let mut out = vec![0i16; p.weights_len()];
    for oc in 0..p.out_channels {
        for ch in 0..p.in_channels {
            for ky in 0..p.kernel_h {
                for kx in 0..c.kernel_w {
                    let w = c.w[((oc * p.in_channels + ch) * p.kernel_h + ky) * c.kernel_w + kx];
                    out[((ch * p.kernel_h + ky) * p.out_channels + oc) * p.taps + (p.taps - 1 - kx)] = w;
                }
            }
        }
    }
    out
}

/// The exact output in output LSBs, before bias.
fn exact(c: &Case, oc: usize, oy: usize, ox: usize) -> f64 {
    let p = &c.p;
    let mut sum = 0f64;
    for ch in 0..p.in_channels {
        for ky in 0..p.kernel_h {
            for kx in 0..c.kernel_w {
                let iy = (oy * p.stride_h + ky) as isize - p.pad_top as isize;
                let ix = (ox + kx) as isize - p.pad_left as isize;
                if iy < 0 || ix < 0 || iy >= p.in_height as isize || ix >= p.in_width as isize {
                    continue;
                }
                let w = c.w[((oc * p.in_channels + ch) * p.kernel_h + ky) * c.kernel_w + kx];
                let x = c.x[(ch * p.in_height + iy as usize) * p.in_width + ix as usize];
                sum += f64::from(w) * f64::from(x);
            }
        }
    }
    sum / f64::from(WEIGHT_FRAC + INPUT_FRAC - OUT_FRAC).exp2()
}

fn run(c: &Case, work: std::ops::Range<usize>, out: &mut [i16]) {
    let mut lea = vec![0x1357i16; c.p.lea_len()]; // junk: the op must not rely on zeroed scratch
    conv_fir(&mut SoftBackend, &c.p, &fir_weights(c)[..], &c.bias, &c.x, out, &mut lea, work).unwrap();
}

#[test]
fn fir_rows_match_the_exact_correlation_within_one_lsb_per_partial() {
    for (stride_h, pad, kernel_w, relu) in [(1, 0, 3, false), (2, 1, 3, true), (1, 2, 5, false), (1, 1, 2, true)] {
        let c = case(stride_h, pad, kernel_w, relu, 7 + kernel_w as u32);
        let p = &c.p;
        let mut out = vec![0i16; p.out_channels * p.out_height * p.out_width];
        run(&c, 0..p.out_height, &mut out);
        let partials = (p.in_channels * p.kernel_h) as f64;
        for oc in 0..p.out_channels {
            for oy in 0..p.out_height {
                for ox in 0..p.out_width {
                    let mut want = exact(&c, oc, oy, ox) + f64::from(c.bias[oc]);
                    if relu {
                        want = want.max(0.0);
                    }
                    let got = f64::from(out[(oc * p.out_height + oy) * p.out_width + ox]);
                    // Each FIR result floors (up to 1 LSB low); relu only brings values closer to 0.
                    assert!(got <= want + 1e-9 && got >= want - partials, "{oc},{oy},{ox}: {got} vs {want}");
                }
            }
        }
    }
}

#[test]
fn every_band_height_and_pass_size_gives_the_same_bits() {
    let cases = [(9, 1, 0, 3, false), (10, 1, 0, 3, true), (9, 2, 1, 3, true), (9, 1, 2, 5, true), (8, 1, 1, 2, false)];
    for (w, stride_h, pad, kernel_w, relu) in cases {
        let mut c = case_of_width(w, stride_h, pad, kernel_w, relu, 31 + kernel_w as u32);
        let len = c.p.out_channels * c.p.out_height * c.p.out_width;
        let mut rows_once = vec![0i16; len];
        run(&c, 0..c.p.out_height, &mut rows_once);
        let tallest = if stride_h == 1 { c.p.out_height + 1 } else { 1 };
        for band_rows in 1..=tallest {
            for channels_per_pass in 1..=c.p.out_channels {
                c.p.band_rows = band_rows;
                c.p.channels_per_pass = channels_per_pass;
                let mut out = vec![0i16; len];
                run(&c, 0..c.p.out_height, &mut out);
                assert_eq!(
                    out, rows_once,
                    "band {band_rows}, pass {channels_per_pass}, case {stride_h} {pad} {kernel_w}"
                );
                // Work ranges that cut bands compose too.
                let mut split = vec![0i16; len];
                run(&c, 0..2, &mut split);
                run(&c, 2..usize::MAX, &mut split);
                assert_eq!(split, rows_once);
            }
        }
    }
}

#[test]
fn a_band_taller_than_one_row_with_height_stride_is_refused() {
    let mut c = case(2, 1, 3, false, 5);
    c.p.band_rows = 2;
    let mut out = vec![0i16; c.p.out_channels * c.p.out_height * c.p.out_width];
    let mut lea = vec![0i16; c.p.lea_len()];
    assert!(conv_fir(&mut SoftBackend, &c.p, &fir_weights(&c)[..], &c.bias, &c.x, &mut out, &mut lea, 0..1).is_err());
}

#[test]
fn split_rows_compose_and_small_scratch_is_refused() {
    let c = case(1, 1, 3, true, 99);
    let p = &c.p;
    let len = p.out_channels * p.out_height * p.out_width;
    let (mut whole, mut split) = (vec![0i16; len], vec![0i16; len]);
    run(&c, 0..p.out_height, &mut whole);
    run(&c, 0..3, &mut split);
    run(&c, 3..usize::MAX, &mut split);
    assert_eq!(whole, split);
    let mut lea = vec![0i16; p.lea_len() - 2];
    let result = conv_fir(&mut SoftBackend, p, &fir_weights(&c)[..], &c.bias, &c.x, &mut whole, &mut lea, 0..1);
    assert!(result.is_err());
}
