//! Real FFT of N points as an N/2-point complex FFT plus a split stage (`msp_fft_fixed_q15`), and its inverse.
//!
//! Forward, from TI's DSPLib source (`msp_fft_fixed_q15.c`, `msp_split_q15.c` CPU path):
//! 1. the N real samples are read as N/2 complex points `z[n] = x[2n] + i*x[2n+1]` and transformed with the
//!    fixed-scaling complex FFT ([`super::fft`]), giving `Z(k) / (N/2)`;
//! 2. the split stage forms, for k = 1 .. N/4 and its mirror N/2 - k,
//!    `A = (Z(k) + Z*(N/2-k)) >> 1`, `B = ((Z(k) - Z*(N/2-k)) * (W_N^k >> 1)) >> 15` (twiddle halved first,
//!    products truncated) and `G(k) = A - i*B`, `G(N/2-k) = A* - i*B*`; bin N/4 is conjugated.
//!    The split stage does not scale ("each stage, with the exception of the final split stage, scales by
//!    0.5"), so `G(k) = X(k) / (N/2)`: a 256-point Q15 input comes out as Q8, as TI's table says.
//!
//! Range: the N samples are paired into complex points; pairs with modulus below 1 (e.g. |x| < 1/sqrt(2))
//! never saturate in either direction (see [`super::fft`]).
//! Packing of bin 0 (DC) and bin N/2 (Nyquist), both real: DC = `Zr(0) + Zi(0)` goes to the real slot of
//! pair 0 and Nyquist = `Zr(0) - Zi(0)` to the imaginary slot. TI's 2016 CPU split writes 0 in that slot
//! (dropping Nyquist, so the inverse could not be exact); we keep Nyquist there, the usual packed-real
//! layout, so that [`irfft`] is an exact inverse. Deviation, stated: the split sums are formed in 32 bits and
//! saturated to Q15 (TI's C fallback wraps in 16-bit `int`), because the split may exceed Q15 by up to 2x.
//!
//! Inverse: the algebraic inverse of the split (`Y(k) = A + i*B` with `A = (G(k) + G*(N/2-k)) / 2`,
//! `B = (G(k) - G*(N/2-k)) * conj(W_N^k) / 2`; `Y(0) = ((DC + Nyq) / 2, (DC - Nyq) / 2)`), then the
//! unnormalised inverse complex FFT ([`super::fft`]): Q(15 - log2(N/2)) in, Q15 out. Like the inverse FFT it
//! rounds half up where the forward truncates (see [`super::fft`] for why).

use super::check;
use super::fft;
use super::twiddle;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::q15::saturate_i16;

/// Forward real FFT in place, `data.len() = N`, a power of two in 16..=512. See module docs.
pub fn rfft(data: &mut [i16]) -> Result<(), KernelError> {
    check::fft_len(Kernel::Rfft, data.len())?;
    fft::forward_in_place(data);
    split(data);
    Ok(())
}

/// Inverse real FFT in place; exact inverse of [`rfft`]. See module docs.
pub fn irfft(data: &mut [i16]) -> Result<(), KernelError> {
    check::fft_len(Kernel::Irfft, data.len())?;
    inverse_split(data);
    fft::inverse_in_place(data);
    Ok(())
}

/// `(c >> 1, s >> 1)` of `W_N^k = cos - i*sin`: halved twiddle as in `msp_split_q15`.
#[inline]
fn half_twiddle(k: usize, n: usize) -> (i32, i32) {
    let (c, s) = twiddle::forward(k, n);
    ((c >> 1) as i32, (s >> 1) as i32)
}

/// Product of a 32-bit complex difference with a halved Q15 twiddle, truncated: fits i32 because
/// |d| < 2^16 and |c| < 2^14, so each sum stays below 2^31 (no 64-bit arithmetic on the MSP430).
#[inline]
fn mul_half_twiddle(dr: i32, di: i32, cr: i32, ci: i32) -> (i32, i32) {
    ((dr * cr - di * ci) >> 15, (dr * ci + di * cr) >> 15)
}

/// As [`mul_half_twiddle`] but rounded half up, for the inverse split.
#[inline]
fn mul_half_twiddle_round(dr: i32, di: i32, cr: i32, ci: i32) -> (i32, i32) {
    const HALF: i32 = 1 << 14;
    ((dr * cr - di * ci + HALF) >> 15, (dr * ci + di * cr + HALF) >> 15)
}

/// `(a + b) / 2` rounded half up.
#[inline]
const fn halve_round(sum: i32) -> i32 {
    (sum + 1) >> 1
}

fn split(data: &mut [i16]) {
    let n = data.len();
    let m = n / 2;
    let (zr0, zi0) = (data[0] as i32, data[1] as i32);
    data[0] = saturate_i16(zr0 + zi0);
    data[1] = saturate_i16(zr0 - zi0);
    for k in 1..m / 2 {
        let nk = m - k;
        let (kr, ki) = (data[2 * k] as i32, data[2 * k + 1] as i32);
        let (nr, ni) = (data[2 * nk] as i32, data[2 * nk + 1] as i32);
        let (cr, ci) = half_twiddle(k, n);
        let (br, bi) = mul_half_twiddle(kr - nr, ki + ni, cr, ci);
        let ar = (kr + nr) >> 1;
        let ai = (ki - ni) >> 1;
        data[2 * k] = saturate_i16(ar + bi);
        data[2 * k + 1] = saturate_i16(ai - br);
        data[2 * nk] = saturate_i16(ar - bi);
        data[2 * nk + 1] = saturate_i16(-(ai + br));
    }
    let q = m / 2;
    data[2 * q + 1] = saturate_i16(-(data[2 * q + 1] as i32));
}

fn inverse_split(data: &mut [i16]) {
    let n = data.len();
    let m = n / 2;
    let (dc, nyquist) = (data[0] as i32, data[1] as i32);
    data[0] = halve_round(dc + nyquist) as i16;
    data[1] = halve_round(dc - nyquist) as i16;
    for k in 1..m / 2 {
        let nk = m - k;
        let (kr, ki) = (data[2 * k] as i32, data[2 * k + 1] as i32);
        let (nr, ni) = (data[2 * nk] as i32, data[2 * nk + 1] as i32);
        let (cr, ci) = half_twiddle(k, n);
        let (br, bi) = mul_half_twiddle_round(kr - nr, ki + ni, cr, -ci);
        let ar = halve_round(kr + nr);
        let ai = halve_round(ki - ni);
        data[2 * k] = saturate_i16(ar - bi);
        data[2 * k + 1] = saturate_i16(ai + br);
        data[2 * nk] = saturate_i16(ar + bi);
        data[2 * nk + 1] = saturate_i16(br - ai);
    }
    let q = m / 2;
    data[2 * q + 1] = saturate_i16(-(data[2 * q + 1] as i32));
}
