//! `circulant_paper` (the published method: complex FFTs of zero-imaginary inputs, weight FFTs at run time,
//! time-domain accumulation) against the f64 block-circulant product of the same integer weights.

use acec_runtime::kernels::fft::FFT_INPUT_LIMIT;
use acec_runtime::ops::{CirculantPaperParams, circulant_paper};
use acec_runtime::{Kernel, Metered, SoftBackend};

/// splitmix64: deterministic test vectors without dependencies.
struct Rng(u64);

impl Rng {
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

    fn vec_i16(&mut self, len: usize, bound: i64) -> Vec<i16> {
        (0..len).map(|_| self.range(-bound, bound) as i16).collect()
    }
}

struct Case {
    p: CirculantPaperParams,
    /// Defining vectors, Q`w_q`, block-row-major.
    weights: Vec<i16>,
    /// Output format, `p * b` values.
    bias: Vec<i16>,
    /// Q15.
    x: Vec<i16>,
    w_q: i32,
    out_q: i32,
}

/// A random layer: inputs in +-11000 (Q15, inside `FFT_INPUT_LIMIT`), weight vectors with standard deviation
/// `amp / sqrt(3 q b)` (so `W x` stays near `0.11 amp`), the output format from the shift:
/// Q(15 + w - 15 - 2 log2 b + shift) (the forward FFTs and the inverse each divide by b).
fn case(rng: &mut Rng, b: usize, (rows, cols): (usize, usize), amp: f64, w_q: i32, shift: u8) -> Case {
    let bound = (amp / ((cols * b) as f64).sqrt() * f64::from(w_q).exp2()) as i64;
    let log2b = b.trailing_zeros() as i32;
    let out_q = w_q - 2 * log2b + i32::from(shift);
    let bias_bound = 1i64 << (out_q - 3);
    let p = CirculantPaperParams {
        block: b,
        block_rows: rows,
        block_cols: cols,
        inputs: cols * b,
        outputs: rows * b,
        shift,
        relu: false,
    };
    Case {
        p,
        weights: rng.vec_i16(rows * cols * b, bound),
        bias: rng.vec_i16(rows * b, bias_bound),
        x: rng.vec_i16(cols * b, 11000),
        w_q,
        out_q,
    }
}

/// `W x + b` in output LSBs, exact in f64, with `W[i b + r][j b + c] = w_ij[(r - c) mod b]`.
fn reference(c: &Case) -> Vec<f64> {
    let (b, q) = (c.p.block, c.p.block_cols);
    let scale = f64::from(c.out_q - c.w_q - 15).exp2();
    (0..c.p.outputs)
        .map(|o| {
            let (i, r) = (o / b, o % b);
            let mut sum = 0i64;
            for j in 0..q {
                for col in 0..b {
                    let w = c.weights[(i * q + j) * b + (r + b - col) % b];
                    sum += i64::from(w) * i64::from(c.x[j * b + col]);
                }
            }
            sum as f64 * scale + f64::from(c.bias[o])
        })
        .collect()
}

fn run(c: &Case, work: std::ops::Range<usize>) -> Vec<i16> {
    let mut out = vec![0x5A5A; c.p.outputs];
    let mut lea = vec![0x1234; c.p.lea_len()];
    circulant_paper(&mut SoftBackend, &c.p, &c.weights[..], &c.bias, &c.x, &mut out, &mut lea, work).unwrap();
    out
}

/// The error bound, in output LSBs. Everything before the shift happens in the inverse's output LSBs
/// (Q(w - 2 log2 b)), and the shift multiplies by `g = 2^shift`. Per input block: the forward FFTs floor at
/// most `log2 b + 2` LSB of `X/b` and `W/b` (`tests/fft.rs`), which the product carries over at most once
/// each (both operands have modulus below 1), the product floors once more, and the inverse's halving
/// stages floor at most `log2 b + 2` of its output LSB: at most `2 (log2 b + 3)` before the shift, `q` times
/// over the time-domain accumulation, plus the output's own rounding `g`. RMS: at most half of it.
fn check(c: &Case, label: &str) -> (f64, f64) {
    let (b, q) = (c.p.block as f64, c.p.block_cols as f64);
    let g = f64::from(c.p.shift).exp2();
    let got = run(c, 0..c.p.block_rows);
    let want = reference(c);
    let peak = want.iter().fold(0f64, |m, v| m.max(v.abs()));
    assert!(peak < 30000.0, "{label}: the case itself leaves the i16 range ({peak})");
    assert!(c.weights.iter().chain(&c.x).all(|v| v.abs() <= FFT_INPUT_LIMIT), "{label}: operands would clamp");
    let (mut sq, mut worst) = (0.0, 0f64);
    for (&y, &r) in got.iter().zip(&want) {
        let e = f64::from(y) - r;
        sq += e * e;
        worst = worst.max(e.abs());
    }
    let rms = (sq / got.len() as f64).sqrt();
    let bound = g * q * 2.0 * (b.log2() + 3.0) + g;
    eprintln!("{label}: rms {rms:.1}, max {worst:.1} (bound {bound:.0})");
    assert!(rms <= bound / 2.0, "{label}: rms {rms} > {}", bound / 2.0);
    assert!(worst <= bound, "{label}: max {worst} > {bound}");
    (rms, worst)
}

/// `(block, (p, q), amp, weight frac, shift)`.
type Shape = (usize, (usize, usize), f64, i32, u8);

/// Layers of block 16, 32 and 64 (the shift `2 log2 b` that gives Q15 from Q15 weights, and a smaller one with
/// finer weights)
/// against the f64 product; `--nocapture` prints each case's errors.
#[test]
fn circulant_paper_matches_f64_product() {
    let mut rng = Rng(0xD1);
    let shapes: [Shape; 5] = [
        (16, (2, 2), 1.0, 15, 8),
        (16, (3, 4), 1.0, 15, 8),
        (32, (2, 2), 1.0, 15, 10),
        (64, (2, 2), 1.0, 15, 12),
        (64, (1, 3), 0.5, 17, 8),
    ];
    for (n, &(b, blocks, amp, w_q, shift)) in shapes.iter().enumerate() {
        for seed in 0..3 {
            let c = case(&mut rng, b, blocks, amp, w_q, shift);
            check(&c, &format!("shape #{n} (b {b}, shift {shift}) seed {seed}"));
        }
    }
}

/// `work` ranges write only their blocks and give the bits of a full run.
#[test]
fn circulant_paper_work_ranges_write_only_their_blocks() {
    let c = case(&mut Rng(7), 16, (3, 2), 1.0, 15, 4);
    let full = run(&c, 0..3);
    let part = run(&c, 1..2);
    assert_eq!(&part[16..32], &full[16..32]);
    assert!(part[..16].iter().chain(&part[32..]).all(|&v| v == 0x5A5A));
}

/// The kernel sequence of the published method, per (output block, input block) pair: two copies in, two
/// CPU interleaves, two complex FFTs, one complex multiply, one inverse, one shift, one real-part loop;
/// per output block a bias copy and add and an output copy; adds for every input block after the first.
#[test]
fn circulant_paper_calls_the_published_kernel_sequence() {
    let c = case(&mut Rng(9), 16, (3, 4), 1.0, 15, 4);
    let table = acec_runtime::CostTable::new(acec_runtime::EnergyRates::default());
    let mut metered = Metered::new(SoftBackend, &table);
    let (mut out, mut lea) = (vec![0; c.p.outputs], vec![0; c.p.lea_len()]);
    circulant_paper(&mut metered, &c.p, &c.weights[..], &c.bias, &c.x, &mut out, &mut lea, 0..3).unwrap();
    let pairs = 3 * 4;
    let calls = |k: Kernel| metered.meter().kernel(k).calls;
    assert_eq!(calls(Kernel::Cfft), 2 * pairs);
    assert_eq!(calls(Kernel::ToComplex), 2 * pairs);
    assert_eq!(calls(Kernel::CmplxMpy), pairs);
    assert_eq!(calls(Kernel::Cifft), pairs);
    assert_eq!(calls(Kernel::Shift), pairs);
    assert_eq!(calls(Kernel::RealPart), pairs);
    assert_eq!(calls(Kernel::Add), 3 * 3 + 3);
    assert_eq!(calls(Kernel::Copy), 2 * pairs + 2 * 3);
    assert_eq!(calls(Kernel::Rfft) + calls(Kernel::Irfft), 0);
}
