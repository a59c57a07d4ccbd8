//! TI DSPLib 1.30's `msp_cmplx_fft_fixed_q15` (with `bitReverse = true`), computed exactly as its C source
//! computes it on the MSP430: `source/transform/msp_cmplx_fft_fixed_q15.c` (the non-LEA path) with the
//! MPY32 `__q15cmpy` of `include/DSPLib_support.h`.
//!
//! - The input is bit-reversed (`msp_cmplx_bitrev_q15`), then log2 N radix-2 stages run.
//! - Stage 1 uses `msp_cmplx_btfly_c0_fixed_q15` (W = 1) everywhere; stage 2 uses it at j = 0 and
//!   `msp_cmplx_btfly_c1_fixed_q15` (W = -i) at j = 1. Those butterflies do not multiply.
//! - Stages 3.. use `msp_cmplx_btfly_fixed_q15` with the table twiddle even at j = 0 (W = 32767/32768):
//!   `T = W * B` by `__q15cmpy`, then `B' = (A - T) >> 1`, `A' = (A + T) >> 1`.
//! - `__q15cmpy` runs the MPY32 in fractional mode (`MPYFRAC`): the 32-bit result register accumulates `2 a b`
//!   modulo 2^32 and `RESHI` (its high word) is read: `re = hi(2 (Wr Br - Wi Bi))`, `im = hi(2 (Wr Bi + Wi Br))`.
//! - `int` is 16 bits on the MSP430, so `A + T` and `A - T` wrap to 16 bits *before* the arithmetic shift.
//!
//! Every one of those steps is reproduced here with the same wrapping, so this function equals TI's C code on
//! every input, full scale included. It does not clamp: callers that must not depend on wrapping (the LEA's
//! datapath is not documented bit for bit, and may saturate where the C code wraps) keep every point's
//! modulus below one half, where nothing wraps: see [`super::fft`].
//!
//! Twiddles: TI's `msp_cmplx_twiddle_table_<N>_q15` holds `W_N^k = cos - i sin` rounded to Q15 (e.g. the
//! 64-point table starts 0x7FFF, 0x0000, 0x7F62, 0xF374 and has 0x8001 = -32767 at k = N/4);
//! [`super::twiddle::forward`] gives the same values from one 512-point table (checked against f64 there).

use super::twiddle;

/// TI's `msp_cmplx_fft_fixed_q15` on `data.len() / 2` interleaved complex points (a power of two, at least
/// 1; the caller checks lengths). See the module docs.
pub fn cmplx_fft_fixed(data: &mut [i16]) {
    cmplx_fft_fixed_staged(data, |_| {});
}

/// [`cmplx_fft_fixed`], calling `after_stage` on the whole buffer after each stage (for a backend that
/// perturbs every stage to model undocumented device rounding; the device path passes a no-op).
pub fn cmplx_fft_fixed_staged<F: FnMut(&mut [i16])>(data: &mut [i16], mut after_stage: F) {
    bit_reverse(data);
    let points = data.len() / 2;
    let mut half = 1;
    while half < points {
        let span = 2 * half;
        for j in 0..half {
            let w = twiddle::forward(j, span);
            let mut a = j;
            while a < points {
                let b = a + half;
                let t = match (half, j) {
                    (1, _) | (2, 0) => (data[2 * b], data[2 * b + 1]),
                    (2, _) => (data[2 * b + 1], data[2 * b].wrapping_neg()),
                    _ => q15_cmpy(w, (data[2 * b], data[2 * b + 1])),
                };
                butterfly(data, a, b, t);
                a += span;
            }
        }
        after_stage(data);
        half = span;
    }
}

/// `B' = (A - T) >> 1`, `A' = (A + T) >> 1`, sums wrapped to 16 bits first (C `int` on the MSP430).
///
/// The W = -i butterfly (`msp_cmplx_btfly_c1_fixed_q15`: `B'r = (Ar - Bi) >> 1`, `B'i = (Ai + Br) >> 1`,
/// `A'r = (Ar + Bi) >> 1`, `A'i = (Ai - Br) >> 1`) is this one with `T = (Bi, -Br)`: modulo 2^16,
/// subtracting the wrapped `-Br` is adding `Br`, even for `Br = -32768`.
#[inline]
fn butterfly(data: &mut [i16], a: usize, b: usize, (tr, ti): (i16, i16)) {
    let (ar, ai) = (data[2 * a], data[2 * a + 1]);
    data[2 * b] = ar.wrapping_sub(tr) >> 1;
    data[2 * b + 1] = ai.wrapping_sub(ti) >> 1;
    data[2 * a] = ar.wrapping_add(tr) >> 1;
    data[2 * a + 1] = ai.wrapping_add(ti) >> 1;
}

/// TI's `__q15cmpy(&aR, &aI, &bR, &bI)` (MPY32, fractional mode): `im = hi(2 (aI bR + aR bI))` and
/// `re = hi(2 ((-aI) bI + aR bR))` modulo 2^32, where `-aI` is negated in 16 bits (so `-(-32768)` stays
/// -32768, as the C code's `MPYS = -*aI` does).
#[inline]
pub(crate) fn q15_cmpy((ar, ai): (i16, i16), (br, bi): (i16, i16)) -> (i16, i16) {
    let (neg_ai, ar, ai, br, bi) = (ai.wrapping_neg() as i32, ar as i32, ai as i32, br as i32, bi as i32);
    let im = (ai * br).wrapping_add(ar * bi);
    let re = (neg_ai * bi).wrapping_add(ar * br);
    (high_word_of_double(re), high_word_of_double(im))
}

/// `RESHI` after the MPY32 accumulated `2 x` modulo 2^32: bits 15..30 of `x`.
#[inline]
pub(crate) const fn high_word_of_double(x: i32) -> i16 {
    (x.wrapping_shl(1) >> 16) as i16
}

/// Reorder interleaved complex points into bit-reversed index order (`msp_cmplx_bitrev_q15`).
fn bit_reverse(data: &mut [i16]) {
    let points = data.len() / 2;
    let bits = points.trailing_zeros();
    if bits == 0 {
        return;
    }
    for i in 0..points {
        let j = i.reverse_bits() >> (usize::BITS - bits);
        if i < j {
            data.swap(2 * i, 2 * j);
            data.swap(2 * i + 1, 2 * j + 1);
        }
    }
}
