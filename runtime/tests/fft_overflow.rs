//! No overflow by construction: the four transforms, run on the worst inputs there are (full scale of both
//! signs, alternating, impulses, random), never form a sum that leaves 16 bits inside a DSPLib function.
//!
//! The check runs TI's two algorithms (`msp_cmplx_fft_fixed_q15`, `msp_split_q15`, structure as in their C
//! source) in 32-bit arithmetic, asserting that every sum the C code forms in 16-bit `int` fits, and that
//! the result equals the wrapping soft kernels'. So a device that saturates, one that wraps and one with
//! wider registers compute the same bits on every input the compiler can produce.
mod common;

use acec_runtime::KernelError;
use acec_runtime::kernels::fft::{self, FftSteps, SoftSteps};
use acec_runtime::kernels::twiddle;
use common::{FFT_LENGTHS, Rng};

/// The steps in i32, panicking on any 16-bit overflow the C code would have.
struct CheckedSteps;

fn fits(v: i32, what: &str) -> i32 {
    assert!((-32768..=32767).contains(&v), "{what} = {v} leaves 16 bits");
    v
}

/// `__q15cmpy` exactly (products in 32 bits, high word of the doubled sum), asserting the sums fit 32 bits
/// and their high words fit 16 (the MPY32 result register would otherwise wrap).
fn cmpy((ar, ai): (i32, i32), (br, bi): (i32, i32)) -> (i32, i32) {
    let re = 2 * (i64::from(ar) * i64::from(br) - i64::from(ai) * i64::from(bi));
    let im = 2 * (i64::from(ai) * i64::from(br) + i64::from(ar) * i64::from(bi));
    for v in [re, im] {
        assert!((-(1i64 << 31)..(1i64 << 31)).contains(&v), "MPY32 accumulator {v} wraps");
    }
    ((re >> 16) as i32, (im >> 16) as i32)
}

impl FftSteps for CheckedSteps {
    fn cmplx_fft_fixed(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        let points = data.len() / 2;
        let bits = points.trailing_zeros();
        let mut z: Vec<(i32, i32)> = (0..points)
            .map(|i| {
                let j = i.reverse_bits() >> (usize::BITS - bits);
                (i32::from(data[2 * j]), i32::from(data[2 * j + 1]))
            })
            .collect();
        let mut half = 1;
        while half < points {
            let span = 2 * half;
            for j in 0..half {
                let (wr, wi) = twiddle::forward(j, span);
                for a in (j..points).step_by(span) {
                    let b = a + half;
                    let t = match (half, j) {
                        (1, _) | (2, 0) => z[b],
                        (2, _) => (z[b].1, -z[b].0),
                        _ => cmpy((i32::from(wr), i32::from(wi)), z[b]),
                    };
                    let sum = (fits(z[a].0 + t.0, "A + T"), fits(z[a].1 + t.1, "A + T"));
                    let diff = (fits(z[a].0 - t.0, "A - T"), fits(z[a].1 - t.1, "A - T"));
                    z[a] = (sum.0 >> 1, sum.1 >> 1);
                    z[b] = (diff.0 >> 1, diff.1 >> 1);
                }
            }
            half = span;
        }
        for (i, (re, im)) in z.into_iter().enumerate() {
            data[2 * i] = re as i16;
            data[2 * i + 1] = im as i16;
        }
        Ok(())
    }

    fn split(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        let n = data.len();
        let m = n / 2;
        let v = |i: usize, d: &[i16]| i32::from(d[i]);
        data[0] = fits(v(0, data) + v(1, data), "DC") as i16;
        data[1] = 0;
        for k in 1..m / 2 {
            let nk = m - k;
            let (kr, ki, nr, ni) = (v(2 * k, data), v(2 * k + 1, data), v(2 * nk, data), v(2 * nk + 1, data));
            let (wr, wi) = twiddle::forward(k, n);
            let d = (fits(kr - nr, "Zk - Z*nk"), fits(ki + ni, "Zk - Z*nk"));
            let (br, bi) = cmpy(d, (i32::from(wr >> 1), i32::from(wi >> 1)));
            let ar = fits(kr + nr, "Zk + Z*nk") >> 1;
            let ai = fits(ki - ni, "Zk + Z*nk") >> 1;
            data[2 * k] = fits(ar + bi, "G") as i16;
            data[2 * k + 1] = fits(ai - br, "G") as i16;
            data[2 * nk] = fits(ar - bi, "G") as i16;
            data[2 * nk + 1] = fits(-(ai + br), "G") as i16;
        }
        let q = m / 2;
        data[2 * q + 1] = fits(-v(2 * q + 1, data), "conj") as i16;
        Ok(())
    }
}

/// Worst cases and random full-scale vectors of `len` values.
fn hard_inputs(len: usize, rng: &mut Rng) -> Vec<Vec<i16>> {
    let mut inputs = vec![
        vec![i16::MAX; len],
        vec![i16::MIN; len],
        (0..len).map(|i| if i % 2 == 0 { i16::MAX } else { i16::MIN }).collect(),
        (0..len).map(|i| if (i / 2) % 2 == 0 { i16::MIN } else { i16::MAX }).collect(),
        (0..len).map(|i| if i == 0 { i16::MIN } else { 0 }).collect(),
    ];
    for _ in 0..6 {
        inputs.push(rng.vec_i16(len, i16::MIN, i16::MAX));
        // Values at and just beyond the limits, both signs.
        inputs.push(
            (0..len)
                .map(|_| [fft::FFT_INPUT_LIMIT, -fft::FFT_INPUT_LIMIT, i16::MIN][rng.range(0, 2) as usize])
                .collect(),
        );
    }
    inputs
}

#[test]
fn no_transform_overflows_on_any_input() {
    let mut rng = Rng::new(11);
    for n in FFT_LENGTHS {
        for (name, len) in [("rfft", n), ("irfft", n), ("cfft", 2 * n), ("cifft", 2 * n)] {
            for input in hard_inputs(len, &mut rng) {
                let run = |checked: bool| {
                    let mut data = input.clone();
                    let result = match (name, checked) {
                        ("rfft", true) => fft::rfft(&mut CheckedSteps, &mut data),
                        ("rfft", false) => fft::rfft(&mut SoftSteps, &mut data),
                        ("irfft", true) => fft::irfft(&mut CheckedSteps, &mut data),
                        ("irfft", false) => fft::irfft(&mut SoftSteps, &mut data),
                        ("cfft", true) => fft::cfft(&mut CheckedSteps, &mut data),
                        ("cfft", false) => fft::cfft(&mut SoftSteps, &mut data),
                        (_, true) => fft::cifft(&mut CheckedSteps, &mut data),
                        (_, false) => fft::cifft(&mut SoftSteps, &mut data),
                    };
                    result.unwrap();
                    data
                };
                assert_eq!(run(true), run(false), "{name} N = {n}: wrapping and exact arithmetic differ");
            }
        }
    }
}

/// The soft primitives are TI's C arithmetic, which wraps: without the clamp, a full-scale input overflows
/// (this is what the clamp is for, and why the soft kernel must not saturate on its own).
#[test]
fn the_c_arithmetic_wraps_at_full_scale() {
    // 16 points of 32767: stage 1 forms 32767 + 32767, which wraps to -2 in 16-bit `int`, halved to -1;
    // every later stage keeps -1 at bin 0 (hi(2 * 32767 * -1) = -1, (-1 + -1) >> 1 = -1).
    let mut data = [i16::MAX, 0].repeat(16);
    acec_runtime::kernels::fft_fixed::cmplx_fft_fixed(&mut data);
    assert_eq!((data[0], data[1]), (-1, 0));
}
