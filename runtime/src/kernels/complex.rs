//! Element-wise products of spectra: the frequency-domain heart of a block-circulant layer.
//!
//! `cmplx_mpy` computes what TI's DSPLib 1.30 `msp_cmplx_mpy_q15` computes in C on a device with the MPY32
//! multiplier, as the FR5994 has (`source/vector/msp_cmplx_mpy_q15.c`, the `__MSP430_HAS_MPY32__` branch
//! built without `MSP_USE_LEA`). It sets fractional mode (`MPYFRAC`, saturation off), and per complex pair
//! writes `MPYS = Ar, OP2 = Br, MACS = -Ai, OP2 = Bi` and reads `RESHI` as the real part, then `MPYS = Ar,
//! OP2 = Bi, MACS = Ai, OP2 = Br` and reads `RESHI` as the imaginary part. The MPY32 (TI SLAU367, chapter
//! "32-Bit Hardware Multiplier (MPY32)": MACS accumulates into the 32-bit result without detecting
//! overflow; in fractional mode a read returns the result shifted left one bit) thus returns bits 15..30
//! of the 32-bit sum of the two products: the sum's floor by 2^15, wrapped to 16 bits ("without
//! saturation", as TI documents). One detail of that sequence is kept too: `-Ai` is stored to the 16-bit
//! `MACS` register, so for `Ai = -32768` the operand stays -32768 and the real part is `Ar*Br + Ai*Bi`.
//! The LEA command the DSPLib backend runs instead (`LEACMD__MPYCOMPLEXMATRIX`) is not documented bit for
//! bit.
//!
//! `cmplx_mac` is ours (DSPLib has no element-wise complex accumulate): `acc = sat32(acc + a * b)` with the
//! exact Q30 product, so summing many weight x input spectra loses no bits until one final requantize, and
//! a sum beyond `i32` saturates rather than wrapping. (The exact imaginary product reaches 2^31, one past
//! `i32::MAX`, when all four inputs are -32768; it is added without 64-bit arithmetic, slow on the MSP430.)

use super::check;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::shapes::SpectrumLayout;

/// `a * b` of two Q15 values as the Q30 `i32` the MPY32 forms (exact: within [-2^30 + 2^15, 2^30]).
#[inline(always)]
fn product(a: i16, b: i16) -> i32 {
    a as i32 * b as i32
}

/// The MPY32's fractional `RESHI` after the product `p` and the accumulated product `q`: bits 15..30 of
/// `p + q` taken mod 2^32.
#[inline(always)]
fn reshi(p: i32, q: i32) -> i16 {
    (p.wrapping_add(q) >> 15) as i16
}

/// `sat32(acc + p + q)` exactly, for `p` and `q` each a [`product`]. Only `2^30 + 2^30` leaves `i32`, and
/// then `acc + 2^31` either saturates (`acc >= 0`) or is `acc - i32::MIN`, in range.
#[inline(always)]
fn accumulate(acc: i32, p: i32, q: i32) -> i32 {
    match p.checked_add(q) {
        Some(sum) => acc.saturating_add(sum),
        None if acc < 0 => acc.wrapping_sub(i32::MIN),
        None => i32::MAX,
    }
}

/// `dst = a * b` element-wise, Q15 result truncated and wrapped as TI's MPY32 code gives it (see module
/// docs). The packed DC/Nyquist pair multiplies component-wise, one `MPYS` product each.
pub fn cmplx_mpy(layout: SpectrumLayout, a: &[i16], b: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
    check::binary_even(Kernel::CmplxMpy, a.len(), b.len(), dst.len())?;
    check::layout(Kernel::CmplxMpy, layout, a.len())?;
    for (pair, ((x, y), out)) in a.chunks_exact(2).zip(b.chunks_exact(2)).zip(dst.chunks_exact_mut(2)).enumerate() {
        let ([ar, ai], [br, bi]) = ([x[0], x[1]], [y[0], y[1]]);
        let (re, im) = if layout.is_packed_pair(pair) {
            (reshi(product(ar, br), 0), reshi(product(ai, bi), 0))
        } else {
            (reshi(product(ar, br), product(ai.wrapping_neg(), bi)), reshi(product(ar, bi), product(ai, br)))
        };
        out[0] = re;
        out[1] = im;
    }
    Ok(())
}

/// `acc += a * b` element-wise with exact Q30 products, each part saturated to `i32` (see module docs).
pub fn cmplx_mac(layout: SpectrumLayout, a: &[i16], b: &[i16], acc: &mut [i32]) -> Result<(), KernelError> {
    check::binary_even(Kernel::CmplxMac, a.len(), b.len(), acc.len())?;
    check::layout(Kernel::CmplxMac, layout, a.len())?;
    for (pair, ((x, y), out)) in a.chunks_exact(2).zip(b.chunks_exact(2)).zip(acc.chunks_exact_mut(2)).enumerate() {
        let ([ar, ai], [br, bi]) = ([x[0], x[1]], [y[0], y[1]]);
        if layout.is_packed_pair(pair) {
            out[0] = out[0].saturating_add(product(ar, br));
            out[1] = out[1].saturating_add(product(ai, bi));
        } else {
            // -(ai * bi) lies in [-2^30, 2^30 - 2^15]: the negation cannot overflow.
            out[0] = accumulate(out[0], product(ar, br), -product(ai, bi));
            out[1] = accumulate(out[1], product(ar, bi), product(ai, br));
        }
    }
    Ok(())
}
