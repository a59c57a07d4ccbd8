//! Radix-2 complex FFT with DSPLib's fixed scaling (`msp_cmplx_fft_fixed_q15`) and its exact inverse.
//!
//! Semantics, from TI's DSPLib 1.30 source (`source/transform/msp_cmplx_fft_fixed_q15.c`, MPY32 path) and
//! header (`DSPLib_transform.h`):
//! - input is bit-reversed first (`msp_cmplx_bitrev_q15`), then log2 N decimation-in-time stages;
//! - every butterfly is `A' = (A + W*B) >> 1`, `B' = (A - W*B) >> 1`: fixed scaling by 1/2 per stage, so the
//!   output is `X(k) / N` ("Q15 in, Q(15 - log2 N) out");
//! - `W*B` is `__q15cmpy` in MPY32 fractional mode: `re = (Wr*Br - Wi*Bi) >> 15`, `im = (Wr*Bi + Wi*Br) >> 15`,
//!   each sum formed in 32 bits and truncated (floor) (TI then wraps the high word to 16 bits);
//! - stages 1 and 2 use exact butterflies for `W = 1` and `W = -i` (no multiply); stages 3.. multiply by
//!   the table value even for `j = 0` (so `W = 32767/32768`), as TI's code does.
//!
//! Deviation, stated: `W*B` and `A ± W*B` are kept in 32 bits and the halved sum is saturated to Q15. TI's C
//! fallback wraps both to 16 bits; the two agree whenever every point has modulus below 1 (then nothing
//! exceeds Q15), and a complex input whose modulus exceeds 1 (both parts near full scale) saturates here
//! instead of wrapping. The LEA datapath is documented only as "scaling by 2 at each stage".
//!
//! The inverse is not in TI's source we could read; TI documents it as "the direct inverse of the forward
//! FFT with fixed scaling" (`msp_cmplx_ifft_fixed_q15`, `msp_ifft_fixed_q15`: Q8 in, Q15 out at 256 points).
//! So it is the unnormalised inverse DFT of the scaled spectrum: conjugate twiddles, no halving, butterfly
//! sums saturated to Q15 (our choice: saturation is the safe reading where the true result exceeds Q15).
//! Products in the inverse are rounded half up, not truncated: TI does not document the inverse's rounding,
//! and an unnormalised inverse multiplies a truncation bias by up to N (measured: round-trip error ~N/4 LSB
//! with floor, ~sqrt(N) LSB with rounding).
//! Every intermediate value of the inverse is bounded by the largest modulus of the time-domain result, so
//! results with modulus below 1 never saturate.

use super::check;
use super::twiddle;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::q15::saturate_i16;

/// Forward complex FFT, in place: `data.len() / 2` points, a power of two in 16..=512. See module docs.
pub fn cfft(data: &mut [i16]) -> Result<(), KernelError> {
    check::even(Kernel::Cfft, data.len())?;
    check::fft_len(Kernel::Cfft, data.len() / 2)?;
    forward_in_place(data);
    Ok(())
}

/// Inverse complex FFT, in place; exact inverse of [`cfft`]. See module docs.
pub fn cifft(data: &mut [i16]) -> Result<(), KernelError> {
    check::even(Kernel::Cifft, data.len())?;
    check::fft_len(Kernel::Cifft, data.len() / 2)?;
    inverse_in_place(data);
    Ok(())
}

/// Reorder interleaved complex points into bit-reversed index order (`msp_cmplx_bitrev_q15`).
pub(crate) fn bit_reverse(data: &mut [i16]) {
    let points = data.len() / 2;
    let bits = points.trailing_zeros();
    for i in 0..points {
        let j = i.reverse_bits() >> (usize::BITS - bits);
        if i < j {
            data.swap(2 * i, 2 * j);
            data.swap(2 * i + 1, 2 * j + 1);
        }
    }
}

/// `W * B` as DSPLib's `__q15cmpy` computes it (32-bit sums, floor), kept in 32 bits (see module docs).
#[inline]
pub(crate) fn twiddle_mul(wr: i16, wi: i16, br: i16, bi: i16) -> (i32, i32) {
    // |W| components are at most 32767, so each sum is below 2 * 32767 * 32768 < 2^31: no overflow.
    let (wr, wi, br, bi) = (wr as i32, wi as i32, br as i32, bi as i32);
    ((wr * br - wi * bi) >> 15, (wr * bi + wi * br) >> 15)
}

/// `W * B` rounded half up instead of truncated: the inverse's product (see module docs).
#[inline]
pub(crate) fn twiddle_mul_round(wr: i16, wi: i16, br: i16, bi: i16) -> (i32, i32) {
    let (wr, wi, br, bi) = (wr as i32, wi as i32, br as i32, bi as i32);
    const HALF: i32 = 1 << 14;
    ((wr * br - wi * bi + HALF) >> 15, (wr * bi + wi * br + HALF) >> 15)
}

/// Forward transform for any power-of-two point count 2..=512 (the real FFT uses N/2 points).
pub(crate) fn forward_in_place(data: &mut [i16]) {
    bit_reverse(data);
    let points = data.len() / 2;
    let mut half = 1;
    while half < points {
        let span = 2 * half;
        for j in 0..half {
            let (wr, wi) = twiddle::forward(j, span);
            let mut a = j;
            while a < points {
                let b = a + half;
                let (ar, ai) = (data[2 * a] as i32, data[2 * a + 1] as i32);
                let (br, bi) = (data[2 * b], data[2 * b + 1]);
                let (tr, ti) = match (half, j) {
                    (1, _) | (2, 0) => (br as i32, bi as i32),
                    (2, _) => (bi as i32, -(br as i32)),
                    _ => twiddle_mul(wr, wi, br, bi),
                };
                data[2 * a] = saturate_i16((ar + tr) >> 1);
                data[2 * a + 1] = saturate_i16((ai + ti) >> 1);
                data[2 * b] = saturate_i16((ar - tr) >> 1);
                data[2 * b + 1] = saturate_i16((ai - ti) >> 1);
                a += span;
            }
        }
        half = span;
    }
}

/// Inverse transform (unnormalised, saturating) for any power-of-two point count 2..=512.
pub(crate) fn inverse_in_place(data: &mut [i16]) {
    bit_reverse(data);
    let points = data.len() / 2;
    let mut half = 1;
    while half < points {
        let span = 2 * half;
        for j in 0..half {
            let (wr, wi) = twiddle::forward(j, span);
            let wi_conj = wi.wrapping_neg();
            let mut a = j;
            while a < points {
                let b = a + half;
                let (ar, ai) = (data[2 * a] as i32, data[2 * a + 1] as i32);
                let (br, bi) = (data[2 * b], data[2 * b + 1]);
                let (tr, ti) = match (half, j) {
                    (1, _) | (2, 0) => (br as i32, bi as i32),
                    (2, _) => (-(bi as i32), br as i32),
                    _ => twiddle_mul_round(wr, wi_conj, br, bi),
                };
                data[2 * a] = saturate_i16(ar + tr);
                data[2 * a + 1] = saturate_i16(ai + ti);
                data[2 * b] = saturate_i16(ar - tr);
                data[2 * b + 1] = saturate_i16(ai - ti);
                a += span;
            }
        }
        half = span;
    }
}
