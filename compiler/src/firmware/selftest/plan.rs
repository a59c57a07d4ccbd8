//! Which cases the self-test runs: per kernel, the call's scalars and input vectors, chosen to reach the
//! edges of each kernel's arithmetic (zeros, full scale of both signs, alternating full scale, an impulse,
//! saturating and wrapping sums, every shift edge, ties for the maxima) plus seeded pseudo-random vectors.
//! Only what to call; where the operands go is `arena.rs`, what the host computes `expect.rs`.

use acec_runtime::Kernel;

use crate::xorshift::XorShift;

/// An input vector, by how it is made (so `selftest.json` can say what was tested).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    Zeros,
    /// Every element 32767.
    PlusFull,
    /// Every element -32768.
    MinusFull,
    /// 32767, -32768, 32767, ...
    Alternating,
    /// 32767, then zeros.
    Impulse,
    /// Uniform over all of i16, from `XorShift::new(seed)` (the same seed gives the same prefix at every
    /// length, so shorter cases reuse a longer one's data).
    Random(u64),
    /// Small random values (|x| < 1024) with the maximum 30000 twice, at a quarter and at three quarters.
    Ties(u64),
    /// 32-bit values (two words each, low first), uniform over all of i32.
    Random32(u64),
    /// 32-bit values alternating i32::MAX, i32::MIN.
    Full32,
}

impl Pattern {
    /// `len` words of the pattern (for the 32-bit patterns, `len / 2` values).
    pub fn words(self, len: usize) -> Vec<i16> {
        let alternate = |i: usize, hi: i32, lo: i32| if i.is_multiple_of(2) { hi } else { lo };
        match self {
            Pattern::Zeros => vec![0; len],
            Pattern::PlusFull => vec![i16::MAX; len],
            Pattern::MinusFull => vec![i16::MIN; len],
            Pattern::Alternating => (0..len).map(|i| alternate(i, 32767, -32768) as i16).collect(),
            Pattern::Impulse => (0..len).map(|i| if i == 0 { i16::MAX } else { 0 }).collect(),
            Pattern::Random(seed) => {
                let mut rng = XorShift::new(seed);
                (0..len).map(|_| rng.next_u64() as i16).collect()
            }
            Pattern::Ties(seed) => {
                let mut rng = XorShift::new(seed);
                let mut words: Vec<i16> = (0..len).map(|_| (rng.next_u64() % 2048) as i16 - 1024).collect();
                for at in [len / 4, 3 * len / 4] {
                    if let Some(w) = words.get_mut(at) {
                        *w = 30000;
                    }
                }
                words
            }
            Pattern::Random32(seed) => {
                let mut rng = XorShift::new(seed);
                (0..len / 2).flat_map(|_| super::case::words(rng.next_u64() as i32)).collect()
            }
            Pattern::Full32 => {
                (0..len / 2).flat_map(|i| super::case::words(alternate(i, i32::MAX, i32::MIN))).collect()
            }
        }
    }

    pub fn describe(self) -> String {
        match self {
            Pattern::Zeros => "zeros".into(),
            Pattern::PlusFull => "+full scale".into(),
            Pattern::MinusFull => "-full scale".into(),
            Pattern::Alternating => "alternating full scale".into(),
            Pattern::Impulse => "impulse".into(),
            Pattern::Random(seed) => format!("random (seed {seed})"),
            Pattern::Ties(seed) => format!("tied maxima (seed {seed})"),
            Pattern::Random32(seed) => format!("random 32-bit (seed {seed})"),
            Pattern::Full32 => "alternating 32-bit full scale".into(),
        }
    }
}

/// Where a case's output goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lands {
    /// Over input `k` (in place).
    Over(usize),
    /// In its own place after the inputs, this many words.
    Apart(usize),
    /// Returned, this many 32-bit values.
    Returned(usize),
}

/// One call: the kernel, its named scalars (in the order of `case.rs`'s `args`), its inputs
/// (`(pattern, words)`, in slot order) and where its output lands.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    pub kernel: Kernel,
    pub args: Vec<(&'static str, i16)>,
    pub inputs: Vec<(Pattern, usize)>,
    pub lands: Lands,
}

impl Spec {
    fn new(kernel: Kernel, args: &[(&'static str, i16)], inputs: &[(Pattern, usize)], lands: Lands) -> Self {
        Spec { kernel, args: args.to_vec(), inputs: inputs.to_vec(), lands }
    }

    /// What a person reads: `rfft 512 words: random (seed 1)`, `shift=-15 64 words: ...`.
    pub fn describe(&self) -> String {
        let args: Vec<String> = self.args.iter().map(|(n, v)| format!("{n}={v}")).collect();
        let inputs: Vec<String> = self.inputs.iter().map(|(p, n)| format!("{n} words {}", p.describe())).collect();
        let inputs = if inputs.is_empty() { "no input".into() } else { inputs.join(" x ") };
        format!("{} {}{inputs}", self.kernel.name(), args.iter().map(|a| format!("{a} ")).collect::<String>())
    }
}

use Pattern::{Alternating, Full32, Impulse, MinusFull, PlusFull, Random, Random32, Ties, Zeros};

/// The five fixed edge vectors.
const EDGES: [Pattern; 5] = [Zeros, PlusFull, MinusFull, Alternating, Impulse];

/// Pairs of input patterns for the binary kernels: both signs of full scale against each other, the
/// alternating extremes, zeros and an impulse against noise, noise against noise.
const PAIRS: [(Pattern, Pattern); 7] = [
    (PlusFull, PlusFull),
    (MinusFull, MinusFull),
    (MinusFull, PlusFull),
    (Alternating, Alternating),
    (Zeros, Random(2)),
    (Impulse, Random(2)),
    (Random(1), Random(2)),
];

/// The length of most element-wise cases: long enough for the LEA's pipelining to matter, short because
/// every case's expected output takes FRAM.
const SHORT: usize = 32;

/// Every power of two from 16 to `max`.
fn powers_of_two(max: usize) -> impl Iterator<Item = usize> {
    (4..=max.trailing_zeros()).map(|k| 1 << k)
}

/// The transforms at every length that fits LEA RAM (rfft/irfft 16..=512 samples, cfft/cifft 16..=256
/// points) on noise; every edge vector at the two shortest lengths, and full scale (the largest moduli
/// through the most stages) at the longest. The kernels clamp their inputs, so full scale is legal.
///
/// Why not every edge at every length: an output is as long as its input and only zeros repeat, so that
/// would take ~40 KB of expectations, more than lower FRAM leaves beside the code.
fn transforms(specs: &mut Vec<Spec>) {
    for (kernel, max_points, words_per_point) in
        [(Kernel::Rfft, 512, 1), (Kernel::Irfft, 512, 1), (Kernel::Cfft, 256, 2), (Kernel::Cifft, 256, 2)]
    {
        for n in powers_of_two(max_points) {
            let words = n * words_per_point;
            let edges: &[Pattern] = match n {
                16 | 32 => &EDGES,
                _ if n == max_points => &[PlusFull],
                _ => &[],
            };
            for &pattern in edges.iter().chain(&[Random(1)]) {
                specs.push(Spec::new(kernel, &[], &[(pattern, words)], Lands::Over(0)));
            }
        }
    }
}

/// The spectrum products in both layouts (0 complex, 1 real-packed): wrapping products of full scale,
/// and saturating 32-bit accumulation.
fn spectrum_products(specs: &mut Vec<Spec>) {
    for layout in [0, 1] {
        let args = [("layout", layout)];
        for (a, b) in PAIRS {
            specs.push(Spec::new(Kernel::CmplxMpy, &args, &[(a, SHORT), (b, SHORT)], Lands::Apart(SHORT)));
        }
        let long = [(Random(1), 128), (Random(2), 128)];
        specs.push(Spec::new(Kernel::CmplxMpy, &args, &long, Lands::Apart(128)));
        for (a, b, acc) in
            [(Random(1), Random(2), Random32(3)), (PlusFull, PlusFull, Full32), (MinusFull, PlusFull, Full32)]
        {
            specs.push(Spec::new(Kernel::CmplxMac, &args, &[(a, SHORT), (b, SHORT), (acc, 2 * SHORT)], Lands::Over(2)));
        }
    }
}

/// Dot products (saturating Q31 at full scale) and FIR filters at 2 to 32 taps.
fn dot_products_and_filters(specs: &mut Vec<Spec>) {
    for (a, b) in PAIRS {
        specs.push(Spec::new(Kernel::Mac, &[], &[(a, 64), (b, 64)], Lands::Returned(1)));
    }
    for len in [2, 256] {
        for (a, b) in [(PlusFull, PlusFull), (Random(1), Random(2))] {
            specs.push(Spec::new(Kernel::Mac, &[], &[(a, len), (b, len)], Lands::Returned(1)));
        }
    }
    const OUT: usize = 32;
    for taps in [2, 8, 16, 32] {
        let inputs = [(Random(1), OUT + taps - 1), (Random(2), taps)];
        specs.push(Spec::new(Kernel::Fir, &[], &inputs, Lands::Apart(OUT)));
    }
    for (src, taps) in PAIRS.into_iter().take(6) {
        specs.push(Spec::new(Kernel::Fir, &[], &[(src, OUT + 7), (taps, 8)], Lands::Apart(OUT)));
    }
}

/// The element-wise kernels at their edges: saturating adds and offsets, every shift edge (0 is skipped
/// by the backend, +-15 the extremes), fills of the extremes, maxima with ties and all-equal vectors.
fn element_wise(specs: &mut Vec<Spec>) {
    for (a, b) in PAIRS {
        specs.push(Spec::new(Kernel::Add, &[], &[(a, SHORT), (b, SHORT)], Lands::Over(1)));
    }
    specs.push(Spec::new(Kernel::Add, &[], &[(Random(1), 2), (Random(2), 2)], Lands::Over(1)));
    let unary =
        |kernel, args: &[(&'static str, i16)], pattern, len| Spec::new(kernel, args, &[(pattern, len)], Lands::Over(0));
    for shift in [0, -15, 15, 1, -1, 8, -8] {
        specs.push(unary(Kernel::Shift, &[("shift", shift)], Random(1), SHORT));
    }
    for (pattern, shift) in [
        (Alternating, 15),
        (Alternating, -15),
        (PlusFull, 1),
        (MinusFull, 1),
        (MinusFull, -15),
        (Impulse, -1),
        (Zeros, 3),
    ] {
        specs.push(unary(Kernel::Shift, &[("shift", shift)], pattern, SHORT));
    }
    for offset in [0, 1, -1, i16::MAX, i16::MIN] {
        specs.push(unary(Kernel::Offset, &[("offset", offset)], Random(1), SHORT));
    }
    for (pattern, offset) in
        [(PlusFull, 1), (MinusFull, -1), (Alternating, i16::MAX), (Alternating, i16::MIN), (Zeros, -5)]
    {
        specs.push(unary(Kernel::Offset, &[("offset", offset)], pattern, SHORT));
    }
    for len in [2, SHORT] {
        for value in [0, i16::MAX, i16::MIN, 12345] {
            specs.push(Spec::new(Kernel::Fill, &[("value", value)], &[], Lands::Apart(len)));
        }
    }
    for pattern in [Ties(4)].into_iter().chain(EDGES).chain([Random(1)]) {
        specs.push(Spec::new(Kernel::Max, &[], &[(pattern, 64)], Lands::Returned(2)));
    }
    for len in [2, 256] {
        specs.push(Spec::new(Kernel::Max, &[], &[(Random(1), len)], Lands::Returned(2)));
    }
    for (pattern, len) in [
        (Random(1), 2),
        (Random(1), SHORT),
        (Random(1), 256),
        (PlusFull, SHORT),
        (MinusFull, SHORT),
        (Alternating, SHORT),
    ] {
        specs.push(Spec::new(Kernel::Copy, &[], &[(pattern, len)], Lands::Apart(len)));
    }
    for (pattern, scale, shift) in [
        (Random(1), 16384, 1),
        (PlusFull, i16::MIN, 0),
        (MinusFull, i16::MIN, 0),
        (Random(1), i16::MAX, 15),
        (Alternating, 12345, 3),
    ] {
        specs.push(unary(Kernel::Scale, &[("scale", scale), ("shift", shift)], pattern, SHORT));
    }
}

/// The kernels that run on the CPU in `DsplibBackend` too: once or twice each, with odd lengths where
/// they allow them.
fn cpu_kernels(specs: &mut Vec<Spec>) {
    for (pattern, shift) in [(Random32(5), 0), (Random32(5), 15), (Random32(5), 31), (Full32, 0), (Full32, 16)] {
        specs.push(Spec::new(Kernel::Requantize, &[("shift", shift)], &[(pattern, 66)], Lands::Apart(33)));
    }
    for pattern in [Random(1), Alternating] {
        specs.push(Spec::new(Kernel::Relu, &[], &[(pattern, 33)], Lands::Over(0)));
    }
    // Two channels of 4x4 with a 2x2 window, stride 2; one channel of 1x16 with a 1x3 window, stride 2.
    let square =
        |floor| [("height", 4), ("width", 4), ("window_h", 2), ("window_w", 2), ("stride", 2), ("floor", floor)];
    let row = [("height", 1), ("width", 16), ("window_h", 1), ("window_w", 3), ("stride", 2), ("floor", i16::MIN)];
    specs.push(Spec::new(Kernel::MaxPool, &square(i16::MIN), &[(Random(1), 32)], Lands::Apart(8)));
    specs.push(Spec::new(Kernel::MaxPool, &square(0), &[(Random(1), 32)], Lands::Apart(8)));
    specs.push(Spec::new(Kernel::MaxPool, &row, &[(Alternating, 16)], Lands::Apart(7)));
    for pattern in [Random(1), PlusFull, MinusFull] {
        specs.push(Spec::new(Kernel::AvgPool, &square(0)[..5], &[(pattern, 32)], Lands::Apart(8)));
    }
    specs.push(Spec::new(Kernel::AvgPool, &row[..5], &[(Random(1), 16)], Lands::Apart(7)));
    for (pattern, len) in [(Ties(4), 33), (MinusFull, 5)] {
        specs.push(Spec::new(Kernel::Argmax, &[], &[(pattern, len)], Lands::Returned(1)));
    }
    specs.push(Spec::new(Kernel::ToComplex, &[], &[(Random(1), 33)], Lands::Apart(66)));
    specs.push(Spec::new(Kernel::RealPart, &[], &[(Random(1), 66)], Lands::Apart(33)));
    // A 33-entry table 1024 codes apart from -16384 (steps up to 31,024, within the kernel's 32,767): random
    // inputs over all of i16 reach both clamps and every interpolation; full scale reaches the last entry.
    let table = [("base", -16384), ("step_log2", 10)];
    for pattern in [Random(1), PlusFull] {
        specs.push(Spec::new(Kernel::Lookup, &table, &[(pattern, 65), (Ties(6), 33)], Lands::Apart(65)));
    }
    // tf2onnx's input transpose of a 4 x 5 x 3 NHWC image to CHW, and a 6 x 10 matrix transposed.
    let nhwc = [("c", 3), ("h", 4), ("w", 5), ("c_stride", 1), ("h_stride", 15), ("w_stride", 3)];
    specs.push(Spec::new(Kernel::Permute, &nhwc, &[(Random(1), 60)], Lands::Apart(60)));
    let matrix = [("one", 1), ("cols", 10), ("rows", 6), ("zero", 0), ("col_stride", 1), ("row_stride", 10)];
    specs.push(Spec::new(Kernel::Permute, &matrix, &[(Alternating, 60)], Lands::Apart(60)));
}

/// Every case, grouped by kernel.
pub fn specs() -> Vec<Spec> {
    let mut specs = Vec::new();
    transforms(&mut specs);
    spectrum_products(&mut specs);
    dot_products_and_filters(&mut specs);
    element_wise(&mut specs);
    cpu_kernels(&mut specs);
    specs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kernel_the_device_program_uses_is_tested() {
        let specs = specs();
        let untested: Vec<&str> = Kernel::ALL
            .into_iter()
            .filter(|k| !matches!(k, Kernel::FarCopy | Kernel::Softmax))
            .filter(|k| !specs.iter().any(|s| s.kernel == *k))
            .map(Kernel::name)
            .collect();
        assert!(untested.is_empty(), "{untested:?}");
    }

    #[test]
    fn every_transform_length_and_edge_is_present() {
        let specs = specs();
        let has = |kernel: Kernel, pattern: Pattern, words: usize| {
            specs.iter().any(|s| s.kernel == kernel && s.inputs == [(pattern, words)])
        };
        for (kernel, lengths) in [
            (Kernel::Rfft, [16, 32, 64, 128, 256, 512]),
            (Kernel::Irfft, [16, 32, 64, 128, 256, 512]),
            (Kernel::Cfft, [32, 64, 128, 256, 512, 512]),
            (Kernel::Cifft, [32, 64, 128, 256, 512, 512]),
        ] {
            for words in lengths {
                assert!(has(kernel, Random(1), words), "{} {words}", kernel.name());
            }
            for pattern in EDGES {
                assert!(has(kernel, pattern, lengths[0]) && has(kernel, pattern, lengths[1]), "{pattern:?}");
            }
            assert!(has(kernel, PlusFull, 512), "{} at full scale and full length", kernel.name());
        }
    }

    #[test]
    fn the_shift_and_maximum_edges_are_present() {
        let specs = specs();
        for shift in [0, -15, 15, 1] {
            assert!(specs.iter().any(|s| s.kernel == Kernel::Shift && s.args == [("shift", shift)]), "{shift}");
        }
        let max_inputs: Vec<Pattern> =
            specs.iter().filter(|s| s.kernel == Kernel::Max).map(|s| s.inputs[0].0).collect();
        for pattern in [Ties(4), Zeros, PlusFull, MinusFull] {
            assert!(max_inputs.contains(&pattern), "{pattern:?}");
        }
        let layouts: Vec<i16> = specs.iter().filter(|s| s.kernel == Kernel::CmplxMpy).map(|s| s.args[0].1).collect();
        assert!(layouts.contains(&0) && layouts.contains(&1));
    }

    #[test]
    fn patterns_are_what_they_say() {
        assert_eq!(Alternating.words(4), [32767, -32768, 32767, -32768]);
        assert_eq!(Impulse.words(3), [32767, 0, 0]);
        assert_eq!(Random(1).words(8)[..4], Random(1).words(4)[..], "a prefix at every length");
        let ties = Ties(4).words(64);
        assert_eq!(ties.iter().filter(|&&w| w == 30000).count(), 2);
        assert!(ties.iter().all(|&w| w == 30000 || w.abs() <= 1024));
        assert_eq!(Full32.words(4), [-1, 32767, 0, -32768]);
    }
}
