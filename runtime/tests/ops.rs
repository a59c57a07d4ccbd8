//! Layer operations (`acec_runtime::ops`) against independent references: exact i64 integer models of the
//! documented kernel semantics for `dense`, `conv` and `channel_affine` (bit-exact), and f64 linear algebra
//! for `circulant_dense` and `circulant_conv` (error-bounded).

use std::f64::consts::PI;
use std::ops::Range;

use acec_runtime::SoftBackend;
use acec_runtime::kernels::fft::{FFT_INPUT_LIMIT, IRFFT_INPUT_LIMIT};
use acec_runtime::ops::{
    ChannelAffineParams, CirculantConvParams, CirculantParams, ConvParams, DenseParams, channel_affine, circulant_conv,
    circulant_dense, conv, dense,
};

// ---------------------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------------------

/// splitmix64: a tiny deterministic generator for test vectors (no dependencies).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }

    fn vec_i16(&mut self, len: usize, lo: i16, hi: i16) -> Vec<i16> {
        (0..len).map(|_| self.range(lo.into(), hi.into()) as i16).collect()
    }

    fn vec_i32(&mut self, len: usize, lo: i32, hi: i32) -> Vec<i32> {
        (0..len).map(|_| self.range(lo.into(), hi.into()) as i32).collect()
    }

    /// Uniform in `[-a, a)`.
    fn f64_sym(&mut self, a: f64) -> f64 {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) * a
    }
}

/// A value no op writes by accident: marks outputs that a `work` range must leave alone.
const SENTINEL: i16 = 0x5A5A;

fn sat16(x: i64) -> i16 {
    x.clamp(i16::MIN.into(), i16::MAX.into()) as i16
}

fn sat32(x: i64) -> i64 {
    x.clamp(i32::MIN.into(), i32::MAX.into())
}

/// `round_half_up(x / 2^shift)` = `floor(x / 2^shift + 1/2)`, exact in i64.
fn round_half_up(x: i64, shift: u8) -> i64 {
    if shift == 0 { x } else { (x + (1i64 << (shift - 1))) >> shift }
}

/// The documented `requantize` of a 32-bit accumulator plus the fused ReLU.
fn requantize_relu(acc32: i64, shift: u8, relu: bool) -> i16 {
    let y = sat16(round_half_up(acc32, shift));
    if relu { y.max(0) } else { y }
}

// ---------------------------------------------------------------------------------------------------------
// dense
// ---------------------------------------------------------------------------------------------------------

/// Exact reference of `dense` when the row is processed in chunks of `chunk` elements: every chunk is one
/// `mac` call, `sat32(2 * partial)`, the chunk results and the bias are summed exactly and the sum saturated
/// once to 32 bits (what the op's doc promises: `acc32` holds 32-bit values), then requantized. With
/// `chunk = row_stride` this is the single-`mac` formula `sat16(round_half_up((sat32(2 sum w x) + bias) / 2^shift))`
/// (the outer `sat32` only matters if the bias itself pushes the sum past 32 bits).
fn dense_ref(p: &DenseParams, w: &[i16], bias: &[i32], x: &[i16], chunk: usize) -> Vec<i16> {
    (0..p.outputs)
        .map(|o| {
            let row = &w[o * p.row_stride..(o + 1) * p.row_stride];
            let mut sum = i64::from(bias[o]);
            for (c, ws) in row.chunks(chunk).enumerate() {
                let partial: i64 = ws
                    .iter()
                    .enumerate()
                    .map(|(k, &wk)| {
                        let i = c * chunk + k;
                        let xi = if i < p.inputs { x[i] } else { 0 };
                        i64::from(wk) * i64::from(xi)
                    })
                    .sum();
                sum += sat32(2 * partial);
            }
            requantize_relu(sat32(sum), p.shift, p.relu)
        })
        .collect()
}

/// The single-`mac` formula with no intermediate 32-bit saturation at all: equal to [`dense_ref`] for
/// every chunking exactly when nothing saturates before the final `sat16`.
fn dense_ref_unsaturated(p: &DenseParams, w: &[i16], bias: &[i32], x: &[i16]) -> Vec<i16> {
    (0..p.outputs)
        .map(|o| {
            let dot: i64 = (0..p.inputs).map(|i| i64::from(w[o * p.row_stride + i]) * i64::from(x[i])).sum();
            requantize_relu(2 * dot + i64::from(bias[o]), p.shift, p.relu)
        })
        .collect()
}

struct DenseCase {
    p: DenseParams,
    w: Vec<i16>,
    bias: Vec<i32>,
    x: Vec<i16>,
}

/// Random dense layer. Magnitudes: |w|, |x| <= 2^12, `inputs` <= 63 and |bias| <= 2^24, so
/// `2 * sum |w x| + |bias|` <= (2 * 63 + 1) * 2^24 < 2^31: no partial, no full sum and no bias add can leave
/// 32 bits, whatever the chunking. The pad columns of `w` (`inputs..row_stride`) are zero, as the op requires.
fn dense_case(rng: &mut Rng, inputs: usize, outputs: usize, shift: u8, relu: bool) -> DenseCase {
    assert!(inputs <= 63);
    let row_stride = inputs.div_ceil(2) * 2;
    let mut w = vec![0i16; outputs * row_stride];
    for o in 0..outputs {
        for i in 0..inputs {
            w[o * row_stride + i] = rng.range(-4096, 4096) as i16;
        }
    }
    DenseCase {
        p: DenseParams { inputs, row_stride, outputs, shift, relu },
        w,
        bias: rng.vec_i32(outputs, -(1 << 24), 1 << 24),
        x: rng.vec_i16(inputs, -4096, 4096),
    }
}

fn run_dense(c: &DenseCase, lea_len: usize, acc32_len: usize, work: Range<usize>) -> Vec<i16> {
    let mut out = vec![SENTINEL; c.p.outputs];
    let mut lea = vec![0x1234i16; lea_len]; // garbage: the op must not rely on a zeroed scratch
    let mut acc32 = vec![0x0765_4321i32; acc32_len];
    dense(&mut SoftBackend, &c.p, &c.w[..], &c.bias, &c.x, &mut out, &mut lea, &mut acc32, work).unwrap();
    out
}

/// Whole row in `lea` (a single `mac` per output): bit-exact against the i64 formula, over odd and even
/// `inputs`, several shifts (including ones that saturate some outputs at the final `sat16`) and ReLU.
#[test]
fn dense_whole_row_is_bit_exact() {
    let mut rng = Rng::new(0xD1);
    for &(inputs, outputs) in &[(1usize, 3usize), (7, 5), (16, 9), (33, 12), (63, 4)] {
        for &shift in &[12u8, 16, 20] {
            for relu in [false, true] {
                let c = dense_case(&mut rng, inputs, outputs, shift, relu);
                let expected = dense_ref_unsaturated(&c.p, &c.w, &c.bias, &c.x);
                assert_eq!(expected, dense_ref(&c.p, &c.w, &c.bias, &c.x, c.p.row_stride));
                for lea_len in [2 * c.p.row_stride, 2 * c.p.row_stride + 6] {
                    let got = run_dense(&c, lea_len, c.p.outputs, 0..c.p.outputs);
                    assert_eq!(got, expected, "inputs {inputs} shift {shift} relu {relu} lea {lea_len}");
                }
            }
        }
    }
}

/// A small `lea` splits each row into chunks (each its own `mac`), and a small `acc32` splits the outputs
/// into batches. With the magnitudes of [`dense_case`] no chunk saturates, so the chunked result must equal
/// the unchunked formula bit for bit.
#[test]
fn dense_chunked_and_batched_is_bit_exact() {
    let mut rng = Rng::new(0xD2);
    for &(inputs, outputs) in &[(9usize, 7usize), (31, 10), (50, 6), (63, 13)] {
        for relu in [false, true] {
            let c = dense_case(&mut rng, inputs, outputs, 15, relu);
            let expected = dense_ref_unsaturated(&c.p, &c.w, &c.bias, &c.x);
            // lea 4 -> chunk 2; 10 -> 4; 14 -> 6; 2*row_stride - 2 -> row_stride - 2 (one short of a row).
            for lea_len in [4usize, 10, 14, 2 * c.p.row_stride - 2] {
                let chunk = (lea_len / 2 / 2 * 2).min(c.p.row_stride);
                assert_eq!(dense_ref(&c.p, &c.w, &c.bias, &c.x, chunk), expected);
                for acc32_len in [1usize, 3, outputs + 5] {
                    let got = run_dense(&c, lea_len, acc32_len, 0..c.p.outputs);
                    assert_eq!(got, expected, "inputs {inputs} lea {lea_len} acc32 {acc32_len} relu {relu}");
                }
            }
        }
    }
}

/// Saturation where it is documented: `mac` saturates the doubled dot product to 32 bits, the bias is then
/// added and the sum saturated again. All-`i16::MIN` rows and inputs give `2 * 6 * 2^30 = 3 * 2^32`, which
/// saturates to `i32::MAX`; a negative bias then pulls it back below `i32::MAX` (so the intermediate
/// saturation is observable: without it the result would stay clamped at `i16::MAX`).
#[test]
fn dense_saturates_the_dot_product_before_the_bias() {
    let p = DenseParams { inputs: 6, row_stride: 6, outputs: 3, shift: 16, relu: false };
    let w = vec![i16::MIN; 18];
    let x = vec![i16::MIN; 6];
    let bias = vec![0, -(1 << 30), i32::MIN];
    let mut out = vec![0i16; 3];
    let (mut lea, mut acc32) = (vec![0i16; 12], vec![0i32; 3]);
    dense(&mut SoftBackend, &p, &w[..], &bias, &x, &mut out, &mut lea, &mut acc32, 0..3).unwrap();
    let expected: Vec<i16> =
        bias.iter().map(|&b| requantize_relu(sat32(i64::from(i32::MAX) + i64::from(b)), 16, false)).collect();
    assert_eq!(expected, [i16::MAX, 16384, 0]);
    assert_eq!(out, expected);
    assert_eq!(out, dense_ref(&p, &w, &bias, &x, 6));
}

/// `work` computes exactly the outputs it names: the rest keep the sentinel. Sub-ranges that together
/// cover the layer reproduce the full result; a range past `outputs` is clamped.
#[test]
fn dense_work_ranges_write_only_their_outputs() {
    let mut rng = Rng::new(0xD3);
    let c = dense_case(&mut rng, 21, 11, 15, true);
    let expected = dense_ref_unsaturated(&c.p, &c.w, &c.bias, &c.x);
    for &(lea_len, acc32_len) in &[(2 * c.p.row_stride, 11usize), (8, 2)] {
        for work in [0..0, 0..1, 3..7, 10..11, 4..100, 11..20] {
            let got = run_dense(&c, lea_len, acc32_len, work.clone());
            for (o, &y) in got.iter().enumerate() {
                let want = if work.contains(&o) { expected[o] } else { SENTINEL };
                assert_eq!(y, want, "work {work:?} output {o} lea {lea_len} acc32 {acc32_len}");
            }
        }
        // Tasks that partition the layer.
        let mut out = vec![SENTINEL; c.p.outputs];
        let mut lea = vec![0i16; lea_len];
        let mut acc32 = vec![0i32; acc32_len];
        for work in [0..4, 4..5, 5..11] {
            dense(&mut SoftBackend, &c.p, &c.w[..], &c.bias, &c.x, &mut out, &mut lea, &mut acc32, work).unwrap();
        }
        assert_eq!(out, expected);
    }
    // The output slice only needs to reach the end of the work range.
    let mut short = vec![SENTINEL; 5];
    let (mut lea, mut acc32) = (vec![0i16; 64], vec![0i32; 4]);
    dense(&mut SoftBackend, &c.p, &c.w[..], &c.bias, &c.x, &mut short, &mut lea, &mut acc32, 2..5).unwrap();
    assert_eq!(short[..2], [SENTINEL; 2]);
    assert_eq!(short[2..], expected[2..5]);
}

// ---------------------------------------------------------------------------------------------------------
// conv
// ---------------------------------------------------------------------------------------------------------

/// Exact reference of `conv`: cross-correlation with zero padding, per output `sat32(2 * sum)` (one `mac`),
/// plus the bias saturated to 32 bits, then requantize (round half up, sat16) and ReLU.
fn conv_ref(p: &ConvParams, w: &[i16], bias: &[i32], x: &[i16]) -> Vec<i16> {
    let mut out = vec![0i16; p.out_channels * p.out_height * p.out_width];
    for oc in 0..p.out_channels {
        for oy in 0..p.out_height {
            for ox in 0..p.out_width {
                let mut sum = 0i64;
                for c in 0..p.in_channels {
                    for ky in 0..p.kernel_h {
                        for kx in 0..p.kernel_w {
                            let iy = (oy * p.stride_h + ky * p.dilation_h) as i64 - p.pad_top as i64;
                            let ix = (ox * p.stride_w + kx * p.dilation_w) as i64 - p.pad_left as i64;
                            if iy < 0 || ix < 0 || iy >= p.in_height as i64 || ix >= p.in_width as i64 {
                                continue;
                            }
                            let xv = x[(c * p.in_height + iy as usize) * p.in_width + ix as usize];
                            let wv = w[oc * p.patch_stride + (c * p.kernel_h + ky) * p.kernel_w + kx];
                            sum += i64::from(xv) * i64::from(wv);
                        }
                    }
                }
                let acc = sat32(sat32(2 * sum) + i64::from(bias[oc]));
                out[(oc * p.out_height + oy) * p.out_width + ox] = requantize_relu(acc, p.shift, p.relu);
            }
        }
    }
    out
}

struct ConvCase {
    p: ConvParams,
    w: Vec<i16>,
    bias: Vec<i32>,
    x: Vec<i16>,
}

/// `(in_channels, in_h, in_w, out_channels, kernel_h, kernel_w, stride, dilation, pad_top/left,
/// pad_bottom/right)`, all (h, w) pairs.
type ConvShape =
    (usize, (usize, usize), usize, (usize, usize), (usize, usize), (usize, usize), (usize, usize), (usize, usize));

/// Random conv of the given shape. Output extents from the ONNX formula
/// `(in + pad_begin + pad_end - dilation * (kernel - 1) - 1) / stride + 1`. Magnitudes |w| <= 3000,
/// |x| <= 6000 with patches of at most 40 taps: `2 * 40 * 3000 * 6000 = 1.44e9 < 2^31`, and |bias| <= 2^24,
/// so nothing saturates before the final `sat16` (which the reference models anyway).
fn conv_case(rng: &mut Rng, shape: ConvShape, shift: u8, relu: bool) -> ConvCase {
    let (cin, (ih, iw), cout, (kh, kw), (sh, sw), (dh, dw), (pt, pl), (pb, pr)) = shape;
    let oh = (ih + pt + pb - dh * (kh - 1) - 1) / sh + 1;
    let ow = (iw + pl + pr - dw * (kw - 1) - 1) / sw + 1;
    let patch = cin * kh * kw;
    assert!(patch <= 40);
    let patch_stride = patch.div_ceil(2) * 2;
    let mut w = vec![0i16; cout * patch_stride];
    for oc in 0..cout {
        for t in 0..patch {
            w[oc * patch_stride + t] = rng.range(-3000, 3000) as i16;
        }
    }
    let p = ConvParams {
        in_channels: cin,
        in_height: ih,
        in_width: iw,
        out_channels: cout,
        out_height: oh,
        out_width: ow,
        kernel_h: kh,
        kernel_w: kw,
        stride_h: sh,
        stride_w: sw,
        dilation_h: dh,
        dilation_w: dw,
        pad_top: pt,
        pad_left: pl,
        patch_stride,
        shift,
        relu,
    };
    ConvCase { p, w, bias: rng.vec_i32(cout, -(1 << 24), 1 << 24), x: rng.vec_i16(cin * ih * iw, -6000, 6000) }
}

fn run_conv(c: &ConvCase, lea_len: usize, acc32_len: usize, work: Range<usize>) -> Vec<i16> {
    let mut out = vec![SENTINEL; c.p.out_channels * c.p.out_height * c.p.out_width];
    let mut lea = vec![0x1234i16; lea_len];
    let mut acc32 = vec![0x0765_4321i32; acc32_len];
    conv(&mut SoftBackend, &c.p, &c.w[..], &c.bias, &c.x, &mut out, &mut lea, &mut acc32, work).unwrap();
    out
}

const CONV_SHAPES: [ConvShape; 8] = [
    // 3x3, same padding.
    (3, (7, 9), 4, (3, 3), (1, 1), (1, 1), (1, 1), (1, 1)),
    // Stride 2, asymmetric padding, non-square kernel.
    (2, (8, 11), 3, (3, 2), (2, 2), (1, 1), (1, 2), (0, 1)),
    // Dilation 2 in both directions with padding 2.
    (2, (9, 10), 3, (3, 3), (1, 1), (2, 2), (2, 2), (2, 2)),
    // Dilation in height only (the contiguous row-copy path with dilated rows), stride 2 in width.
    (3, (9, 8), 2, (2, 3), (1, 2), (2, 1), (1, 0), (1, 2)),
    // Padding wider than the kernel's reach on one side (rows entirely in the padding).
    (1, (5, 6), 2, (3, 3), (1, 1), (1, 1), (3, 3), (3, 3)),
    // 1-D (height 1): kernel 5, stride 2, padding 2.
    (4, (1, 20), 5, (1, 5), (1, 2), (1, 1), (0, 2), (0, 2)),
    // 1-D with dilation 3 and stride 2.
    (3, (1, 23), 4, (1, 4), (1, 2), (1, 3), (0, 3), (0, 1)),
    // 1-D pointwise (odd patch of 1 tap per channel x 5 channels -> padded patch).
    (5, (1, 7), 3, (1, 1), (1, 1), (1, 1), (0, 0), (0, 0)),
];

/// Bit-exact against the i64 reference, with `lea` and `acc32` large enough for every output channel in
/// one pass.
#[test]
fn conv_is_bit_exact_in_one_pass() {
    let mut rng = Rng::new(0xC1);
    for (n, &shape) in CONV_SHAPES.iter().enumerate() {
        for (shift, relu) in [(13u8, false), (14, true), (11, false)] {
            let c = conv_case(&mut rng, shape, shift, relu);
            let expected = conv_ref(&c.p, &c.w, &c.bias, &c.x);
            let lea_len = (c.p.out_channels + 1) * c.p.patch_stride;
            let acc32_len = c.p.out_channels * c.p.out_width;
            assert_eq!(c.p.channels_per_pass(lea_len, acc32_len), Some(c.p.out_channels));
            let got = run_conv(&c, lea_len, acc32_len, 0..c.p.out_height);
            assert_eq!(got, expected, "shape #{n} {:?} shift {shift}", c.p);
        }
    }
}

/// Small `lea` or `acc32` force several channel passes (1 or 2 output channels at a time); the result must
/// not change.
#[test]
fn conv_in_several_channel_passes_is_bit_exact() {
    let mut rng = Rng::new(0xC2);
    for (n, &shape) in CONV_SHAPES.iter().enumerate() {
        let c = conv_case(&mut rng, shape, 13, n % 2 == 0);
        let expected = conv_ref(&c.p, &c.w, &c.bias, &c.x);
        let (ps, ow) = (c.p.patch_stride, c.p.out_width);
        let big_acc = c.p.out_channels * ow;
        // (lea, acc32): limited by lea to 1 and 2 kernels, by acc32 to 1 and 2 rows, and both (odd slack).
        for (lea_len, acc32_len) in [(2 * ps, big_acc), (3 * ps + 1, big_acc), (9 * ps, ow), (9 * ps, 2 * ow + 1)] {
            let per_pass = c.p.channels_per_pass(lea_len, acc32_len).unwrap();
            assert!(per_pass <= 2);
            let got = run_conv(&c, lea_len, acc32_len, 0..c.p.out_height);
            assert_eq!(got, expected, "shape #{n} lea {lea_len} acc32 {acc32_len} ({per_pass} per pass)");
        }
    }
}

/// `work` row ranges write only their rows, of every output channel; partitions reproduce the full result.
#[test]
fn conv_work_rows_write_only_their_rows() {
    let mut rng = Rng::new(0xC3);
    for &shape in &CONV_SHAPES[..4] {
        let c = conv_case(&mut rng, shape, 13, false);
        let expected = conv_ref(&c.p, &c.w, &c.bias, &c.x);
        let (oh, ow) = (c.p.out_height, c.p.out_width);
        for (lea_len, acc32_len) in [(9 * c.p.patch_stride, 9 * ow), (2 * c.p.patch_stride, ow)] {
            for work in [0..1, 1..3, oh - 1..oh, 2..oh + 10, oh..oh + 1] {
                let got = run_conv(&c, lea_len, acc32_len, work.clone());
                for (i, &y) in got.iter().enumerate() {
                    let oy = i / ow % oh;
                    let want = if work.contains(&oy) { expected[i] } else { SENTINEL };
                    assert_eq!(y, want, "{:?} work {work:?} index {i}", c.p);
                }
            }
            let mut out = vec![SENTINEL; expected.len()];
            let mut lea = vec![0i16; lea_len];
            let mut acc32 = vec![0i32; acc32_len];
            for work in [0..1, 1..oh / 2, oh / 2..oh] {
                conv(&mut SoftBackend, &c.p, &c.w[..], &c.bias, &c.x, &mut out, &mut lea, &mut acc32, work).unwrap();
            }
            assert_eq!(out, expected);
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// channel_affine
// ---------------------------------------------------------------------------------------------------------

/// `msp_scale_q15` then `msp_offset_q15`, as TI's code computes them: `(x * scale) >> (15 - shift)` (floor)
/// kept to 16 bits (DSPLib's scale wraps), then `sat16(. + offset)`.
fn affine_ref(x: i16, scale: i16, offset: i16, shift: u8) -> i16 {
    let scaled = ((i64::from(x) * i64::from(scale)) >> (15 - shift)) as i16;
    sat16(i64::from(scaled) + i64::from(offset))
}

/// Full-range data, scales and offsets (so the scale wraps, the offset saturates and negative floors occur),
/// odd and even plane lengths, every shift 0..=15, and the call's one work unit: bit-exact for every channel
/// when the work holds unit 0 (the task FLEX makes of it is `0..1`), nothing written otherwise, and the data
/// past `channels * plane` is never written.
#[test]
fn channel_affine_is_bit_exact() {
    let mut rng = Rng::new(0xA1);
    for &(channels, plane) in &[(1usize, 1usize), (3, 7), (4, 8), (5, 13), (2, 30)] {
        for shift in 0..=15u8 {
            let p = ChannelAffineParams { channels, plane, shift };
            let scales = rng.vec_i16(channels, i16::MIN, i16::MAX);
            let offsets = rng.vec_i16(channels, i16::MIN, i16::MAX);
            let n = channels * plane;
            let mut x = rng.vec_i16(n, i16::MIN, i16::MAX);
            x.extend([SENTINEL; 3]); // past the tensor
            let lea_len = plane.div_ceil(2) * 2;
            let works = [0..usize::MAX, 0..1, 1..4, 0..0];
            for work in works {
                let mut data = x.clone();
                let mut lea = vec![0x1234i16; lea_len];
                channel_affine(&mut SoftBackend, &p, &scales, &offsets, &mut data, &mut lea, work.clone()).unwrap();
                for (i, (&got, &before)) in data.iter().zip(&x).enumerate() {
                    let c = i / plane;
                    let want = if i < n && work.contains(&0) {
                        affine_ref(before, scales[c], offsets[c], shift)
                    } else {
                        before
                    };
                    assert_eq!(got, want, "channels {channels} plane {plane} shift {shift} work {work:?} i {i}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// circulant_dense
// ---------------------------------------------------------------------------------------------------------

/// Full DFT of a real vector: `(re, im)` of `V(k) = sum_n v[n] e^{-2 pi i k n / b}`, `k < b`.
fn dft_real(v: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let b = v.len();
    let mut re = vec![0.0; b];
    let mut im = vec![0.0; b];
    for k in 0..b {
        for (n, &x) in v.iter().enumerate() {
            let (s, c) = (-2.0 * PI * ((k * n) % b) as f64 / b as f64).sin_cos();
            re[k] += x * c;
            im[k] += x * s;
        }
    }
    (re, im)
}

/// `V` in the real-FFT packed layout (`SpectrumLayout::RealPacked`, read from `kernels/rfft.rs`): pair 0 =
/// (DC, Nyquist), pair k = (Re V(k), Im V(k)) for k = 1..b/2-1.
fn pack(re: &[f64], im: &[f64]) -> Vec<f64> {
    let b = re.len();
    let mut out = vec![re[0], re[b / 2]];
    for k in 1..b / 2 {
        out.extend([re[k], im[k]]);
    }
    out
}

/// The real vector whose packed spectrum is `packed` (Hermitian extension, normalised inverse DFT).
fn unpack_inverse(packed: &[f64]) -> Vec<f64> {
    let b = packed.len();
    (0..b)
        .map(|n| {
            let alt = if n % 2 == 0 { 1.0 } else { -1.0 };
            let mut sum = packed[0] + packed[1] * alt;
            for k in 1..b / 2 {
                let (s, c) = (2.0 * PI * ((k * n) % b) as f64 / b as f64).sin_cos();
                sum += 2.0 * (packed[2 * k] * c - packed[2 * k + 1] * s);
            }
            sum / b as f64
        })
        .collect()
}

struct CirculantCase {
    p: CirculantParams,
    /// Defining vectors `v_ij` (block-row-major), real values.
    v: Vec<Vec<f64>>,
    /// The stored spectra (Q`spec_q`), `p x q x b`.
    spectra: Vec<i16>,
    /// Defining vectors of the *quantized* spectra (what the op can at best compute).
    v_quant: Vec<Vec<f64>>,
    bias: Vec<i16>,
    x: Vec<i16>,
    /// Output fractional bits.
    out_q: u8,
}

/// Random block-circulant layer.
///
/// Q formats (from the docs): the input is shifted right by [`INPUT_SHIFT`] (Q15 -> Q13, inside
/// `FFT_INPUT_LIMIT`), `rfft` of it gives `X(k) / (b/2)` in Q13; storing `V(k)` in Q`s` makes each
/// `cmplx_mpy` product and their sum `V X / (b/2)` in Q(`s - 2`), and `irfft` returns the block divided by
/// `b/2`: the output is in Q(`s - 2 - L`), L = log2(b/2). `out_q` is the requested output format, lowered
/// until the spectra fit `i16` and every accumulated spectrum component stays inside `IRFFT_INPUT_LIMIT`
/// (with 10% margin). The stored spectrum is of `v_ij` itself, the block's first column
/// (`W[r][c] = v[(r - c) mod b]`, so `y = v (*) x` and `Y = V X`). `v` is uniform in +-`amp / sqrt(q b)`.
fn circulant_case(
    rng: &mut Rng,
    b: usize,
    (rows, cols): (usize, usize),
    (outputs, inputs): (usize, usize),
    amp: f64,
    out_q: u8,
    relu: bool,
) -> CirculantCase {
    let a = amp / ((cols * b) as f64).sqrt();
    let v: Vec<Vec<f64>> = (0..rows * cols).map(|_| (0..b).map(|_| rng.f64_sym(a)).collect()).collect();
    let x = rng.vec_i16(inputs, -16384, 16384);
    let packed: Vec<Vec<f64>> = v
        .iter()
        .map(|vij| {
            let (re, im) = dft_real(vij);
            pack(&re, &im)
        })
        .collect();
    let log_half = (b / 2).trailing_zeros() as i32;
    let peak = packed.iter().flatten().fold(0.0f64, |m, &z| m.max(z.abs()));
    let mut out_q = i32::from(out_q).min((32767.0 / peak).log2().floor() as i32 - 2 - log_half);
    // Accumulated spectrum of `W x` (real units, `Y / (b/2)` of the shifted input): raw in Q(out_q + L).
    let mut probe = CirculantCase {
        p: CirculantParams {
            block: b,
            block_rows: rows,
            block_cols: cols,
            inputs,
            outputs,
            input_shift: INPUT_SHIFT,
            rounding: (cols / 2) as i16,
            relu,
            row_chunk: 1,
        },
        v,
        spectra: Vec::new(),
        v_quant: Vec::new(),
        bias: Vec::new(),
        x,
        out_q: 0,
    };
    let y = circulant_product(&probe, &probe.v);
    let half = (b / 2) as f64;
    let accumulated = y
        .chunks_exact(b)
        .map(|blk| {
            let (re, im) = dft_real(blk);
            re.iter().chain(&im).fold(0.0f64, |m, z| m.max(z.abs())) / half
        })
        .fold(0.0f64, f64::max);
    while accumulated * f64::from(out_q + log_half).exp2() > 0.9 * f64::from(IRFFT_INPUT_LIMIT) {
        out_q -= 1;
    }
    let out_q = u8::try_from(out_q).expect("a positive output format");
    let spec_q = i32::from(out_q) + 2 + log_half;
    let scale = (spec_q as f64).exp2();
    let spectra: Vec<i16> = packed.iter().flatten().map(|&z| (z * scale).round() as i16).collect();
    let v_quant = spectra
        .chunks_exact(b)
        .map(|s| unpack_inverse(&s.iter().map(|&z| z as f64 / scale).collect::<Vec<_>>()))
        .collect();
    let bias_amp = 1i16 << out_q.saturating_sub(3); // +-1/8 in Q(out_q)
    probe.spectra = spectra;
    probe.v_quant = v_quant;
    probe.bias = rng.vec_i16(rows * b, -bias_amp, bias_amp);
    probe.out_q = out_q;
    probe
}

/// The input shift every case uses: half-scale inputs come inside `FFT_INPUT_LIMIT`.
const INPUT_SHIFT: i8 = 2;

/// `(W x)[o]` in output LSBs (Q`out_q`) for block-circulant weights with defining vectors `v`, no bias.
fn circulant_product(c: &CirculantCase, v: &[Vec<f64>]) -> Vec<f64> {
    let (b, q) = (c.p.block, c.p.block_cols);
    let x = |i: usize| if i < c.p.inputs { c.x[i] as f64 / 32768.0 } else { 0.0 };
    (0..c.p.block_rows * b)
        .map(|o| {
            let (i, r) = (o / b, o % b);
            let mut sum = 0.0;
            for j in 0..q {
                for col in 0..b {
                    // W[i*b + r][j*b + col] = v_ij[(r - col) mod b]
                    sum += v[i * q + j][(r + b - col) % b] * x(j * b + col);
                }
            }
            sum * (c.out_q as f64).exp2()
        })
        .collect()
}

fn run_circulant(c: &CirculantCase, work: Range<usize>) -> Vec<i16> {
    let mut out = vec![SENTINEL; c.p.outputs];
    let mut lea = vec![0x1234i16; c.p.lea_len()];
    circulant_dense(&mut SoftBackend, &c.p, &c.spectra[..], &c.bias, &c.x, &mut out, &mut lea, work).unwrap();
    out
}

/// Errors of one circulant run, in output LSBs (Q`out_q`).
#[derive(Debug)]
#[allow(dead_code)] // printed through `Debug`
struct CirculantErrors {
    /// max |op - f64 `W x + b`|: end to end.
    total: f64,
    /// max |op - f64 `W_quant x + b`|: the fixed-point pipeline alone (the stored spectra's rounding excluded).
    pipeline: f64,
    /// RMS over the outputs of the pipeline error.
    pipeline_rms: f64,
    /// Rigorous bound on max |`W_quant x - W x`| (the spectra's rounding).
    quant_bound: f64,
    /// The asserted bound on `pipeline`.
    pipeline_bound: f64,
}

/// Runs the whole layer and compares it with the f64 product, asserting the error bounds.
///
/// 1. Quantizing the spectra to Q`s` (done here, by the "compiler") is not the op's error; it is bounded
///    rigorously: output r of block row i moves by |sum_j (dv_ij (*) x_j)[r]| <= sum_j |dv_ij|_2 |x_j|_2
///    (Cauchy-Schwarz on each circular correlation), dv = v_quant - v. The pipeline is then compared with
///    `W_quant x + b`, the best the op can do with the stored spectra.
///
/// 2. The pipeline, in output LSBs. The accumulated spectrum is in Q(`out_q + L`) and the inverse divides by
///    b/2 = 2^L, so an error of e spectral LSB on every bin moves an output by at most `2 e` (b bins, each
///    weighted 1/(b/2)), and on average by far less. Sources: the q truncating products (at most 1 LSB
///    each, their mean cancelled by the op's `rounding`), the forward FFT of each input block (at most
///    log2 b + 2 of its LSB, times |V| < 1: at most that in spectral LSB summed over q blocks, see
///    `tests/fft.rs`), and the inverse's own stages (at most log2 b + 2 output LSB). Bound:
///    `2 (q + q (log2 b + 2)) / 4 + log2 b + 3`, the forward errors counted at a quarter (they are
///    independent across bins and blocks, and the inverse averages b of them). RMS: at most half of it.
fn check_circulant(c: &CirculantCase, label: &str) -> CirculantErrors {
    let (b, q) = (c.p.block, c.p.block_cols);
    let full = (c.out_q as f64).exp2();
    let exact = circulant_product(c, &c.v);
    let quant = circulant_product(c, &c.v_quant);

    // Stay inside every kernel's non-clamping range, so only rounding is measured: shifted inputs within
    // FFT_INPUT_LIMIT, |W x + b| below full scale (the saturating bias add), every accumulated spectrum
    // component inside IRFFT_INPUT_LIMIT.
    assert!(c.x.iter().all(|x| (x >> INPUT_SHIFT).abs() <= FFT_INPUT_LIMIT), "{label}: input beyond the limit");
    let peak = exact.iter().fold(0.0f64, |m, &y| m.max(y.abs()));
    let bias_peak = f64::from(c.bias.iter().map(|y| y.unsigned_abs()).max().unwrap());
    assert!(peak + bias_peak < 32000.0, "{label}: |W x + b| too large");
    let log_half = (b / 2).trailing_zeros() as i32;
    for blk in exact.chunks_exact(b) {
        let (re, im) = dft_real(blk);
        let raw =
            re.iter().chain(&im).fold(0.0f64, |m, z| m.max(z.abs())) / (b / 2) as f64 * f64::from(log_half).exp2();
        assert!(raw < f64::from(IRFFT_INPUT_LIMIT), "{label}: accumulated spectrum would clamp ({raw})");
    }

    let got = run_circulant(c, 0..c.p.block_rows);
    let (mut total, mut pipeline, mut sq) = (0.0f64, 0.0f64, 0.0);
    for o in 0..c.p.outputs {
        let with_bias = |y: f64| {
            let y = y + f64::from(c.bias[o]);
            if c.p.relu { y.max(0.0) } else { y }
        };
        let g = f64::from(got[o]);
        total = total.max((g - with_bias(exact[o])).abs());
        let e = g - with_bias(quant[o]);
        pipeline = pipeline.max(e.abs());
        sq += e * e;
    }
    let pipeline_rms = (sq / c.p.outputs as f64).sqrt();

    let x_norm: Vec<f64> = (0..q)
        .map(|j| {
            let block = (j * b..(j + 1) * b).filter(|&i| i < c.p.inputs);
            block.map(|i| (f64::from(c.x[i]) / 32768.0).powi(2)).sum::<f64>().sqrt()
        })
        .collect();
    let norm2 = |v: &[f64]| v.iter().map(|z| z * z).sum::<f64>();
    let mut quant_bound = 0.0f64;
    for i in 0..c.p.block_rows {
        let mut s = 0.0;
        for (j, x_j) in x_norm.iter().enumerate() {
            let (v, vq) = (&c.v[i * q + j], &c.v_quant[i * q + j]);
            let dv: Vec<f64> = v.iter().zip(vq).map(|(a, z)| a - z).collect();
            s += norm2(&dv).sqrt() * x_j;
        }
        quant_bound = quant_bound.max(s * full);
    }

    let (qf, log_b) = (q as f64, b.trailing_zeros() as f64);
    let pipeline_bound = 2.0 * (qf + qf * (log_b + 2.0)) / 4.0 + log_b + 3.0;
    let errors = CirculantErrors { total, pipeline, pipeline_rms, quant_bound, pipeline_bound };
    std::eprintln!("{label}: {errors:.2?}");
    assert!(pipeline_rms <= pipeline_bound / 2.0, "{label}: RMS error {pipeline_rms} > {}", pipeline_bound / 2.0);
    assert!(pipeline <= pipeline_bound, "{label}: pipeline error {pipeline} > {pipeline_bound}");
    assert!(total <= pipeline_bound + quant_bound, "{label}: total error {total}");
    errors
}

/// `(block, (p, q), (outputs, inputs), amp, out_q, relu)`.
type CirculantShape = (usize, (usize, usize), (usize, usize), f64, u8, bool);

const CIRCULANT_SHAPES: [CirculantShape; 7] = [
    // Whole blocks.
    (16, (3, 2), (48, 32), 1.0, 15, false),
    // Outputs truncated (41 of 48), inputs zero-padded (28 of 32), ReLU.
    (16, (3, 2), (41, 28), 1.0, 15, true),
    // Larger gain, Q14 output, 4 input blocks (the last one 14 of 16 inputs).
    (16, (2, 4), (30, 62), 2.0, 14, false),
    // b = 32 with a single partial input block.
    (32, (2, 1), (64, 18), 0.5, 15, false),
    (64, (2, 2), (128, 128), 1.0, 15, false),
    (64, (2, 2), (90, 100), 1.0, 15, true),
    (64, (3, 1), (150, 40), 2.0, 14, false),
];

/// Block-circulant layers of block 16, 32 and 64 against the f64 dense product `W x + b` (see
/// [`check_circulant`] for the bound; `--nocapture` prints every case). Measured worst end-to-end errors
/// over these 21 layers, in output LSBs: 2.5 at b = 16, 2.4 at b = 32, 4.0 at b = 64 (outputs in the format
/// the fixed-scaling inverse leaves, L bits coarser than the spectra).
#[test]
fn circulant_dense_matches_f64_dense_product() {
    let mut rng = Rng::new(0xB1);
    let mut worst = [0.0f64; 3];
    for (n, &(b, blocks, io, amp, out_q, relu)) in CIRCULANT_SHAPES.iter().enumerate() {
        for seed in 0..3 {
            let mut c = circulant_case(&mut rng, b, blocks, io, amp, out_q, relu);
            for row_chunk in [1, 2, c.p.block_cols] {
                c.p.row_chunk = row_chunk;
                let e = check_circulant(&c, &format!("shape #{n} (b {b}) seed {seed} row chunk {row_chunk}"));
                let k = b.trailing_zeros() as usize - 4;
                worst[k] = worst[k].max(e.total);
            }
        }
    }
    std::eprintln!("worst end-to-end error (LSB) at b = 16, 32, 64: {worst:.2?}");
}

/// `work` block ranges write only their output blocks (the last one truncated to `outputs`), and give the
/// same bits as a full run, one block at a time, in chunks (even or not dividing the row) or a whole row
/// at once; and every chunk gives the same bits (no sum saturates in these formats, so the order of the
/// saturating adds cannot matter).
#[test]
fn circulant_dense_work_ranges_write_only_their_blocks() {
    let mut rng = Rng::new(0xB2);
    let mut c = circulant_case(&mut rng, 16, (4, 5), (57, 80), 1.0, 15, false);
    let by_block = run_circulant(&c, 0..4);
    assert!(!by_block.contains(&SENTINEL));
    for row_chunk in [1, 2, 3, 5] {
        c.p.row_chunk = row_chunk;
        let full = run_circulant(&c, 0..4);
        assert_eq!(full, by_block, "chunks of {row_chunk} and single blocks differ");
        for work in [0..1, 1..3, 3..4, 2..9, 4..5, 0..0] {
            let got = run_circulant(&c, work.clone());
            for (o, &y) in got.iter().enumerate() {
                let want = if work.contains(&(o / 16)) { full[o] } else { SENTINEL };
                assert_eq!(y, want, "work {work:?} output {o} row chunk {row_chunk}");
            }
        }
    }
}

/// An odd number of inputs (here 61 of 64: the last block gets 13 inputs and 3 zeros).
/// `CirculantParams::inputs` documents only `inputs <= q * b`, and every other op accepts odd lengths.
#[test]
fn circulant_dense_accepts_odd_inputs() {
    let mut rng = Rng::new(0xB3);
    for (inputs, outputs) in [(61usize, 30usize), (1, 16), (31, 17)] {
        let c = circulant_case(&mut rng, 16, (2, 4), (outputs, inputs), 1.0, 15, false);
        check_circulant(&c, &format!("inputs {inputs}"));
    }
}

/// A full-scale constant input is clamped to `FFT_INPUT_LIMIT` before the real FFT, and its DC bin (twice
/// the block mean) to `IRFFT_INPUT_LIMIT` before the inverse; shifting the input right first
/// (`input_shift = 3`) keeps both inside, one bit coarser each: the output format is Q(s - input_shift - L)
/// with the spectra in Q`s` and L = log2(b/2).
#[test]
fn circulant_input_shift_keeps_full_scale_inputs_inside_the_limits() {
    let b = 16;
    // One block whose defining vector is an impulse: W = identity, so y = x.
    let mut v = vec![0.0; b];
    v[0] = 1.0;
    let spec_q = 14; // the spectrum of an impulse is 1 everywhere: 2^14 in Q14
    let (re, im) = dft_real(&v);
    let spectra: Vec<i16> = pack(&re, &im).iter().map(|&z| (z * f64::from(1 << spec_q)).round() as i16).collect();
    let x = vec![30000i16; b]; // 0.9155 in Q15
    let error = |input_shift: i8| {
        let p = CirculantParams {
            block: b,
            block_rows: 1,
            block_cols: 1,
            inputs: b,
            outputs: b,
            input_shift,
            rounding: 0,
            relu: false,
            row_chunk: 1,
        };
        let mut out = vec![0i16; b];
        let mut lea = vec![0i16; p.lea_len()];
        circulant_dense(&mut SoftBackend, &p, &spectra[..], &vec![0; b], &x, &mut out, &mut lea, 0..1).unwrap();
        // Output in Q(14 - input_shift - 3): 30000 in Q15 is 30000 / 2^(4 + input_shift) there.
        let expected = 30000 >> (4 + input_shift);
        out.iter().map(|&y| (i32::from(y) - expected).abs()).max().unwrap()
    };
    assert!(error(0) > 100, "expected the unshifted input to be clamped");
    assert!(error(3) <= 4, "shifted input off by {}", error(3));
}

// ---------------------------------------------------------------------------------------------------------
// circulant_conv
// ---------------------------------------------------------------------------------------------------------

/// `(in_channels, (in_h, in_w), (kernel_h, kernel_w), stride, pad, out_channels)`.
type CirculantConvShape = (usize, (usize, usize), (usize, usize), usize, usize, usize);

/// A block-circulant convolution is, pixel by pixel, the block-circulant product of its receptive field
/// gathered position by position (with zeros in the padding): every output pixel of `circulant_conv`
/// equals `circulant_dense` on that field, bit for bit, and each of those is checked against the f64
/// product `W x + b` with [`check_circulant`]'s bounds. The field is gathered here by direct indexing of the
/// CHW input, independently of the op. Shapes: a 3 x 3 convolution over 16 channels with padding (9 input
/// blocks), a strided pointwise one to 48 channels, a 1-D one over 32 channels, and 24 and 6 channels
/// padded to 32 and 16 (3 x 3 and 5 x 5, 40 output channels of 48), ReLU on and off.
#[test]
fn circulant_conv_is_the_circulant_product_of_every_receptive_field() {
    const SHAPES: [CirculantConvShape; 5] = [
        (16, (4, 5), (3, 3), 1, 1, 32),
        (32, (5, 6), (1, 1), 2, 0, 48),
        (32, (1, 9), (1, 3), 1, 1, 16),
        (24, (3, 4), (3, 3), 1, 1, 40),
        (6, (6, 6), (5, 5), 1, 0, 16),
    ];
    let mut rng = Rng::new(0xC1);
    for (n, &(cin, (ih, iw), (kh, kw), stride, pad, cout)) in SHAPES.iter().enumerate() {
        let b = 16;
        let padded = cin.next_multiple_of(b);
        let field = kh * kw * padded;
        let pad_h = if kh > 1 { pad } else { 0 };
        let (oh, ow) = ((ih + 2 * pad_h - kh) / stride + 1, (iw + 2 * pad - kw) / stride + 1);
        let relu = n % 2 == 1;
        let case = circulant_case(&mut rng, b, (cout.div_ceil(b), field / b), (cout, field), 1.0, 15, relu);
        let input = rng.vec_i16(cin * ih * iw, -16384, 16384);
        let p = CirculantConvParams {
            in_channels: cin,
            padded_channels: cin.next_multiple_of(b),
            in_height: ih,
            in_width: iw,
            out_height: oh,
            out_width: ow,
            kernel_h: kh,
            kernel_w: kw,
            stride_h: stride,
            stride_w: stride,
            dilation_h: 1,
            dilation_w: 1,
            pad_top: pad_h,
            pad_left: pad,
            circulant: CirculantParams { row_chunk: 4, ..case.p },
        };
        let mut got = vec![SENTINEL; cout * oh * ow];
        let mut lea = vec![0x1234i16; p.lea_len()];
        circulant_conv(&mut SoftBackend, &p, &case.spectra[..], &case.bias, &input, &mut got, &mut lea, 0..oh).unwrap();
        for (oy, ox) in (0..oh).flat_map(|y| (0..ow).map(move |x| (y, x))) {
            let mut x = vec![0i16; field];
            for (ky, kx, c) in (0..kh).flat_map(|ky| (0..kw).flat_map(move |kx| (0..cin).map(move |c| (ky, kx, c)))) {
                let (iy, ix) =
                    ((oy * stride + ky) as isize - pad_h as isize, (ox * stride + kx) as isize - pad as isize);
                if (0..ih as isize).contains(&iy) && (0..iw as isize).contains(&ix) {
                    x[(ky * kw + kx) * padded + c] = input[(c * ih + iy as usize) * iw + ix as usize];
                }
            }
            let pixel = CirculantCase {
                p: p.circulant,
                v: case.v.clone(),
                spectra: case.spectra.clone(),
                v_quant: case.v_quant.clone(),
                bias: case.bias.clone(),
                x,
                out_q: case.out_q,
            };
            let want = run_circulant(&pixel, 0..pixel.p.block_rows);
            for (o, &y) in want.iter().enumerate() {
                assert_eq!(got[(o * oh + oy) * ow + ox], y, "shape #{n}, pixel ({oy}, {ox}), channel {o}");
            }
            check_circulant(&pixel, &format!("shape #{n}, pixel ({oy}, {ox})"));
        }
    }
}

/// Work rows write only their output rows, with the bits of a whole run.
#[test]
fn circulant_conv_work_rows_write_only_their_rows() {
    let mut rng = Rng::new(0xC2);
    let (cin, cout, ih, iw, b) = (16, 16, 5, 4, 16);
    let case = circulant_case(&mut rng, b, (1, 9), (cout, 9 * cin), 1.0, 15, false);
    let input = rng.vec_i16(cin * ih * iw, -16384, 16384);
    let p = CirculantConvParams {
        in_channels: cin,
        padded_channels: cin,
        in_height: ih,
        in_width: iw,
        out_height: ih,
        out_width: iw,
        kernel_h: 3,
        kernel_w: 3,
        stride_h: 1,
        stride_w: 1,
        dilation_h: 1,
        dilation_w: 1,
        pad_top: 1,
        pad_left: 1,
        circulant: case.p,
    };
    let run = |work: Range<usize>| {
        let mut out = vec![SENTINEL; cout * ih * iw];
        let mut lea = vec![0i16; p.lea_len()];
        circulant_conv(&mut SoftBackend, &p, &case.spectra[..], &case.bias, &input, &mut out, &mut lea, work).unwrap();
        out
    };
    let full = run(0..ih);
    assert!(!full.contains(&SENTINEL));
    for work in [0..1, 1..3, 4..5, 3..9, 0..0] {
        let got = run(work.clone());
        for (at, &y) in got.iter().enumerate() {
            let want = if work.contains(&(at / iw % ih)) { full[at] } else { SENTINEL };
            assert_eq!(y, want, "work {work:?}, element {at}");
        }
    }
}

/// The LEA layout keeps every transformed block aligned for its FFT (DSPLib's real FFT of N points wants
/// its data on a 2N-byte boundary; the scratch starts on one): the row spectra, the staging row of padded
/// channels (here 5 pixels of 6 channels, 30 values) and everything after them come in whole blocks.
#[test]
fn circulant_conv_scratch_comes_in_whole_blocks() {
    let b = 16;
    let circulant = CirculantParams {
        block: b,
        block_rows: 1,
        block_cols: 25,
        inputs: 25 * b,
        outputs: 16,
        input_shift: 0,
        rounding: 0,
        relu: false,
        row_chunk: 4,
    };
    let p = CirculantConvParams {
        in_channels: 6,
        padded_channels: 16,
        in_height: 5,
        in_width: 5,
        out_height: 1,
        out_width: 1,
        kernel_h: 5,
        kernel_w: 5,
        stride_h: 1,
        stride_w: 1,
        dilation_h: 1,
        dilation_w: 1,
        pad_top: 0,
        pad_left: 0,
        circulant,
    };
    assert_eq!(p.staging_len(), 32);
    assert_eq!(p.band_len() % b, 0);
    assert_eq!((p.band_len() + p.staging_len()) % b, 0);
    assert_eq!(p.lea_len(), p.band_len() + 32 + circulant.lea_len());
}
