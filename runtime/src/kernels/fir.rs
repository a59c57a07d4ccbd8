//! FIR filter with `msp_fir_q15` semantics (non-circular mode).
//!
//! From TI's DSPLib source (`source/filter/msp_fir_q15.c`): for output i the taps run backwards over the
//! input, `sum_{j<T} src[i + j] * coeffs[T - 1 - j]` (a true convolution; the first T - 1 input samples are
//! history), accumulated in a 32-bit `_iq31` (`result += a*b`, wrapping), then `__saturate(result >> 15)`:
//! floor, then saturate to Q15. Tap and output counts must be even. This is TI's plain-C path bit for bit;
//! the MPY32 path (saturating fractional MAC) agrees whenever the 32-bit sum does not overflow.

use super::check;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::q15::saturate_i16;

/// `dst[i] = sat16((sum_k coeffs[k] * src[i + T - 1 - k]) >> 15)`, `src.len() == dst.len() + T - 1`.
pub fn fir(src: &[i16], coeffs: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
    let taps = coeffs.len();
    check::non_empty(Kernel::Fir, taps)?;
    check::even(Kernel::Fir, taps)?;
    check::even(Kernel::Fir, dst.len())?;
    check::same_len(Kernel::Fir, dst.len() + taps - 1, src.len())?;
    for (i, out) in dst.iter_mut().enumerate() {
        let window = &src[i..i + taps];
        let acc =
            window.iter().zip(coeffs.iter().rev()).fold(0i32, |acc, (&x, &c)| acc.wrapping_add(x as i32 * c as i32));
        *out = saturate_i16(acc >> 15);
    }
    Ok(())
}
