//! `cmplx_mpy` and `cmplx_mac` at full scale (every combination of -32768, ±32767 and a few inner values in
//! all four inputs), against references written from TI's documented behaviour rather than from the kernel:
//! a register model of the MPY32 sequence in DSPLib 1.30 `source/vector/msp_cmplx_mpy_q15.c`, and the
//! exact i64 sum saturated to i32 for acec's own `cmplx_mac`.

use acec_runtime::{Accelerator, SoftBackend, SpectrumLayout};

/// The 16x16 part of the MPY32 (TI SLAU367, "32-Bit Hardware Multiplier (MPY32)") as `msp_cmplx_mpy_q15`
/// drives it: `MPYS`/`MACS` are 16-bit registers (a C `int` stored there keeps its low 16 bits); writing
/// `OP2` multiplies, signed, and either replaces (`MPYS`) or adds to (`MACS`) the 32-bit result `RES1:RES0`,
/// with no saturation (`MPYSAT` clear: overflow wraps); with `MPYFRAC` set, reading `RESHI` (= `RES1`)
/// returns the result shifted left one bit.
#[derive(Default)]
struct Mpy32 {
    op1: i16,
    accumulate: bool,
    res: u32,
}

impl Mpy32 {
    fn mpys(&mut self, value: i32) {
        (self.op1, self.accumulate) = (value as i16, false);
    }

    fn macs(&mut self, value: i32) {
        (self.op1, self.accumulate) = (value as i16, true);
    }

    fn op2(&mut self, value: i16) {
        let product = (i64::from(self.op1) * i64::from(value)) as u32;
        self.res = if self.accumulate { self.res.wrapping_add(product) } else { product };
    }

    fn reshi_fractional(&self) -> i16 {
        ((self.res << 1) >> 16) as u16 as i16
    }
}

/// One complex pair through TI's MPY32 loop body: C `int` operands, `-CMPLX_IMAG(srcA)` included.
fn ti_cmplx_mpy(ar: i16, ai: i16, br: i16, bi: i16) -> [i16; 2] {
    let mut mpy = Mpy32::default();
    mpy.mpys(ar.into());
    mpy.op2(br);
    mpy.macs(-i32::from(ai));
    mpy.op2(bi);
    let re = mpy.reshi_fractional();
    mpy.mpys(ar.into());
    mpy.op2(bi);
    mpy.macs(ai.into());
    mpy.op2(br);
    [re, mpy.reshi_fractional()]
}

/// One real product through the MPY32: `MPYS = a, OP2 = b`, read `RESHI`.
fn ti_real_mpy(a: i16, b: i16) -> i16 {
    let mut mpy = Mpy32::default();
    mpy.mpys(a.into());
    mpy.op2(b);
    mpy.reshi_fractional()
}

const VALUES: [i16; 9] = [i16::MIN, i16::MIN + 1, -16384, -1, 0, 1, 16384, i16::MAX - 1, i16::MAX];

/// Every (ar, ai, br, bi) over [`VALUES`], as interleaved vectors `a` and `b`.
fn all_pairs() -> (Vec<i16>, Vec<i16>) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for ar in VALUES {
        for ai in VALUES {
            for br in VALUES {
                for bi in VALUES {
                    a.extend([ar, ai]);
                    b.extend([br, bi]);
                }
            }
        }
    }
    (a, b)
}

#[test]
fn cmplx_mpy_is_tis_mpy32_result_for_every_full_scale_pair() {
    let (a, b) = all_pairs();
    let mut dst = vec![0i16; a.len()];
    SoftBackend.cmplx_mpy(SpectrumLayout::Complex, &a, &b, &mut dst).unwrap();
    for ((x, y), got) in a.chunks(2).zip(b.chunks(2)).zip(dst.chunks(2)) {
        assert_eq!(got, ti_cmplx_mpy(x[0], x[1], y[0], y[1]), "a {x:?} b {y:?}");
    }
}

#[test]
fn cmplx_mpy_packed_pair_is_two_real_mpy32_products() {
    for (ar, ai, br, bi) in [(i16::MIN, i16::MIN, i16::MIN, i16::MIN), (i16::MAX, i16::MIN, i16::MIN, i16::MAX)] {
        let mut dst = [0i16; 4];
        SoftBackend.cmplx_mpy(SpectrumLayout::RealPacked, &[ar, ai, ar, ai], &[br, bi, br, bi], &mut dst).unwrap();
        assert_eq!(dst[..2], [ti_real_mpy(ar, br), ti_real_mpy(ai, bi)]);
        assert_eq!(dst[2..], ti_cmplx_mpy(ar, ai, br, bi), "only pair 0 is packed");
    }
}

/// The cases that show what "TI's C" means at the edges, worked by hand.
#[test]
fn cmplx_mpy_edges_worked_by_hand() {
    let mpy = |a: [i16; 2], b: [i16; 2]| {
        let mut dst = [0i16; 2];
        SoftBackend.cmplx_mpy(SpectrumLayout::Complex, &a, &b, &mut dst).unwrap();
        dst
    };
    // (-1 - i)^2 = 2i: the imaginary sum 2^31 wraps to 0 (a panic in debug builds before).
    assert_eq!(mpy([i16::MIN; 2], [i16::MIN; 2]), [0, 0]);
    // (-i) * (0.5i) = +0.5, but TI writes -Ai = 32768 to the 16-bit MACS register as -32768: -0.5.
    assert_eq!(mpy([0, i16::MIN], [0, 16384]), [-16384, 0]);
    // Below -32768 the negation is exact: (-(1 - 2^-15) i) * (0.5i) = 0.5 - 2^-16, floored.
    assert_eq!(mpy([0, i16::MIN + 1], [0, 16384]), [16383, 0]);
    // (1 - 2^-15)^2 (1 + i)^2 = 2i (1 - 2^-15)^2: beyond Q15, wraps to negative.
    assert_eq!(mpy([i16::MAX; 2], [i16::MAX; 2]), [0, ((2 * 32767i64 * 32767) >> 15) as i16]);
}

/// The exact `acc + a * b` (i64), saturated to i32.
fn exact_mac(acc: i32, product: i64) -> i32 {
    (i64::from(acc) + product).clamp(i32::MIN.into(), i32::MAX.into()) as i32
}

#[test]
fn cmplx_mac_is_exact_or_saturated_for_every_full_scale_pair_and_accumulator() {
    let (a, b) = all_pairs();
    let accs = [i32::MIN, i32::MIN + 1, -(1 << 30), -(1 << 15), -1, 0, 1, 1 << 30, i32::MAX - 1, i32::MAX];
    for layout in [SpectrumLayout::Complex, SpectrumLayout::RealPacked] {
        for &start in &accs {
            let mut acc = vec![start; a.len()];
            SoftBackend.cmplx_mac(layout, &a, &b, &mut acc).unwrap();
            for (pair, ((x, y), got)) in a.chunks(2).zip(b.chunks(2)).zip(acc.chunks(2)).enumerate() {
                let [ar, ai, br, bi] = [x[0], x[1], y[0], y[1]].map(i64::from);
                let (re, im) = if pair == 0 && layout == SpectrumLayout::RealPacked {
                    (ar * br, ai * bi)
                } else {
                    (ar * br - ai * bi, ar * bi + ai * br)
                };
                let want = [exact_mac(start, re), exact_mac(start, im)];
                assert_eq!(got, want, "{layout:?} acc {start} a {x:?} b {y:?}");
            }
        }
    }
}

/// Accumulating the all -32768 pair (imaginary product 2^31) never turns a sum negative.
#[test]
fn cmplx_mac_does_not_flip_sign_at_full_scale() {
    let mut acc = [0i32, 0];
    SoftBackend.cmplx_mac(SpectrumLayout::Complex, &[i16::MIN; 2], &[i16::MIN; 2], &mut acc).unwrap();
    assert_eq!(acc, [0, i32::MAX]);
    let mut acc = [0i32, -(1 << 30)];
    SoftBackend.cmplx_mac(SpectrumLayout::Complex, &[i16::MIN; 2], &[i16::MIN; 2], &mut acc).unwrap();
    assert_eq!(acc, [0, 1 << 30], "-2^30 + 2^31 is exact");
}
