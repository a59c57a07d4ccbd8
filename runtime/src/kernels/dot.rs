//! Dot product to Q31 (`msp_mac_q15`).
//!
//! TI's MPY32 path accumulates `2 * a * b` in fractional mode with `MPYSAT` and returns the 32-bit result;
//! TI's plain-C path sums in 32 bits and doubles. We sum exactly in 64 bits and saturate once at the end:
//! equal to both whenever they do not overflow, and the saturated value where they would.

use super::check;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::q15::saturate_i32;

/// `sat32(2 * sum(a[i] * b[i]))`: Q15 . Q15 -> Q31.
pub fn mac(a: &[i16], b: &[i16]) -> Result<i32, KernelError> {
    check::same_len(Kernel::Mac, a.len(), b.len())?;
    check::even(Kernel::Mac, a.len())?;
    // Each Q30 product fits i32 exactly. The running sum is kept in an i32 that spills into an i64 only when
    // it would overflow, so the MSP430 never multiplies in 64 bits (LLVM would otherwise widen the product).
    let mut spilled: i64 = 0;
    let mut partial: i32 = 0;
    for (&x, &y) in a.iter().zip(b) {
        let product = x as i32 * y as i32;
        partial = match partial.checked_add(product) {
            Some(sum) => sum,
            None => {
                spilled += partial as i64;
                product
            }
        };
    }
    let sum = spilled + partial as i64;
    Ok(saturate_i32(sum << 1))
}
