//! TI DSPLib 1.30's `msp_split_q15`, computed exactly as its C source computes it on the MSP430
//! (`source/transform/msp_split_q15.c`, the non-LEA path): the last stage of a real FFT of N samples, run on
//! the N/2-point complex FFT `Z` of the samples read as complex pairs.
//!
//! For k = 1 .. N/4 - 1 and its mirror N/2 - k, with `W = W_N^k` from TI's twiddle table halved first
//! (`cR = Wr >> 1`, `cI = Wi >> 1`):
//! - `b = (Zr(k) - Zr(N/2-k), Zi(k) + Zi(N/2-k))`, then `b = __q15cmpy(b, c)` (MPY32 fractional mode);
//! - `aR = (Zr(k) + Zr(N/2-k)) >> 1`, `aI = (Zi(k) - Zi(N/2-k)) >> 1`;
//! - `G(k) = (aR + bI, aI - bR)`, `G(N/2-k) = (aR - bI, -(aI + bR))`.
//!
//! Bin N/4 is conjugated. Pair 0 becomes `(Zr(0) + Zi(0), 0)`: the C code drops the Nyquist bin
//! (`Zr(0) - Zi(0)`), and the LEA's own packing of that slot is not documented; callers that need it
//! overwrite pair 0 themselves ([`super::fft`]). Every sum is formed in 16-bit `int` and wraps, as C does on
//! the MSP430.

use super::fft_fixed::q15_cmpy;
use super::twiddle;

/// TI's `msp_split_q15` in place on `data.len() = N` values (N / 2 complex points, N a power of two of at
/// least 8; the caller checks lengths). See the module docs.
pub fn split(data: &mut [i16]) {
    let n = data.len();
    let m = n / 2;
    data[0] = data[0].wrapping_add(data[1]);
    data[1] = 0;
    for k in 1..m / 2 {
        let nk = m - k;
        let (kr, ki) = (data[2 * k], data[2 * k + 1]);
        let (nr, ni) = (data[2 * nk], data[2 * nk + 1]);
        let (wr, wi) = twiddle::forward(k, n);
        let (br, bi) = q15_cmpy((kr.wrapping_sub(nr), ki.wrapping_add(ni)), (wr >> 1, wi >> 1));
        let ar = kr.wrapping_add(nr) >> 1;
        let ai = ki.wrapping_sub(ni) >> 1;
        data[2 * k] = ar.wrapping_add(bi);
        data[2 * k + 1] = ai.wrapping_sub(br);
        data[2 * nk] = ar.wrapping_sub(bi);
        data[2 * nk + 1] = ai.wrapping_add(br).wrapping_neg();
    }
    let q = m / 2;
    data[2 * q + 1] = data[2 * q + 1].wrapping_neg();
}
