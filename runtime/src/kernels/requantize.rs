//! 32-bit accumulators back to Q15 (ours; DSPLib's `msp_iq31_to_q15` only truncates the high word).

use super::check;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::q15;

/// `dst[i] = sat16(round_half_up(src[i] / 2^shift))`, `shift` in 0..=31.
pub fn requantize(src: &[i32], shift: u8, dst: &mut [i16]) -> Result<(), KernelError> {
    check::shift_range(Kernel::Requantize, shift as i32, 0, 31)?;
    check::same_len(Kernel::Requantize, src.len(), dst.len())?;
    for (out, &x) in dst.iter_mut().zip(src) {
        *out = q15::requantize(x, shift);
    }
    Ok(())
}
