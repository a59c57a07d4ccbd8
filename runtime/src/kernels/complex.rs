//! Element-wise products of spectra: the frequency-domain heart of a block-circulant layer.
//!
//! `cmplx_mpy` follows DSPLib `msp_cmplx_mpy_q15` (documented "without saturation"; TI's MPY32 path forms
//! `Ar*Br - Ai*Bi` in the 32-bit fractional accumulator and reads the high word: floor, wrap). `cmplx_mac` is
//! ours (DSPLib has no element-wise complex accumulate): it keeps the whole Q30 product in an `i32` and adds
//! with saturation, so summing many weight x input spectra loses no bits until one final requantize.

use super::check;
use crate::accelerator::SpectrumLayout;
use crate::cost::Kernel;
use crate::error::KernelError;

/// The exact products of one pair (Q30): complex `(ar + i*ai)(br + i*bi)`, or component-wise for the
/// packed DC/Nyquist pair. Always fits `i32`: a product lies in [-2^30 + 2^15, 2^30], so a sum or
/// difference of two lies within +-(2^31 - 2^15). (No 64-bit arithmetic: it is slow on the MSP430.)
#[inline]
fn pair_product(packed_real: bool, ar: i16, ai: i16, br: i16, bi: i16) -> (i32, i32) {
    let (ar, ai, br, bi) = (ar as i32, ai as i32, br as i32, bi as i32);
    if packed_real { (ar * br, ai * bi) } else { (ar * br - ai * bi, ar * bi + ai * br) }
}

#[inline]
fn is_packed_pair(layout: SpectrumLayout, pair: usize) -> bool {
    pair == 0 && layout == SpectrumLayout::RealPacked
}

/// `dst = a * b` element-wise, Q15 result truncated and wrapped (see module docs).
pub fn cmplx_mpy(layout: SpectrumLayout, a: &[i16], b: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
    check::binary_even(Kernel::CmplxMpy, a.len(), b.len(), dst.len())?;
    for (pair, ((x, y), out)) in a.chunks_exact(2).zip(b.chunks_exact(2)).zip(dst.chunks_exact_mut(2)).enumerate() {
        let (re, im) = pair_product(is_packed_pair(layout, pair), x[0], x[1], y[0], y[1]);
        out[0] = (re >> 15) as i16;
        out[1] = (im >> 15) as i16;
    }
    Ok(())
}

/// `acc += a * b` element-wise with exact Q30 products and saturating 32-bit adds (see module docs).
pub fn cmplx_mac(layout: SpectrumLayout, a: &[i16], b: &[i16], acc: &mut [i32]) -> Result<(), KernelError> {
    check::binary_even(Kernel::CmplxMac, a.len(), b.len(), acc.len())?;
    for (pair, ((x, y), out)) in a.chunks_exact(2).zip(b.chunks_exact(2)).zip(acc.chunks_exact_mut(2)).enumerate() {
        let (re, im) = pair_product(is_packed_pair(layout, pair), x[0], x[1], y[0], y[1]);
        out[0] = out[0].saturating_add(re);
        out[1] = out[1].saturating_add(im);
    }
    Ok(())
}
