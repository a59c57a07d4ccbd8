//! `DSPLib_filter.h`: the Q15 FIR filter.

use acec_runtime::kernels::{fir, vector};

use crate::access;
use crate::lea_ram;
use crate::types::{MSP_SIZE_ERROR, msp_fir_q15_params, msp_status};

/// TI's `msp_fir_q15` without the circular buffer: `dst[i] = sat16((sum_j src[i + j] * coeffs[T-1-j]) >> 15)`
/// for `i < length`, `T = tapLength`, so `src` holds `length + T - 1` samples, the first `T - 1` of them
/// history (`source/filter/msp_fir_q15.c`, C path; computed by `kernels::fir::fir`). With no taps the C path
/// sums nothing: every output is 0.
///
/// Statuses: `MSP_SIZE_ERROR` when `length` or `tapLength` is odd (TI's check) and when
/// `enableCircularBuffer` is set: that mode reads `src` as a ring addressed by masking the pointer, which
/// acec never uses and this stand-in does not implement (refused, never approximated).
///
/// # Safety
/// `params` points to a valid struct whose `coeffs` holds `tapLength` aligned `i16`; `src` holds
/// `length + tapLength - 1` and `dst` `length` aligned `i16`, `dst` apart from both.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msp_fir_q15(params: *const msp_fir_q15_params, src: *const i16, dst: *mut i16) -> msp_status {
    // SAFETY: the caller's contract.
    let params = unsafe { &*params };
    let (length, taps) = (usize::from(params.length), usize::from(params.tapLength));
    if length & 1 != 0 || taps & 1 != 0 || params.enableCircularBuffer {
        return MSP_SIZE_ERROR;
    }
    let placed = [
        lea_ram::operand(src, length + taps.saturating_sub(1), 4),
        lea_ram::operand(dst, length, 4),
        lea_ram::operand(params.coeffs, taps, 4),
    ];
    if let Some(status) = lea_ram::first(&placed) {
        return status;
    }
    // SAFETY: the caller's contract.
    let dst = unsafe { access::slice_mut(dst, length) };
    if taps == 0 {
        return access::status(vector::fill(dst, 0));
    }
    // SAFETY: the caller's contract.
    let (src, coeffs) = unsafe { (access::slice(src, length + taps - 1), access::slice(params.coeffs, taps)) };
    access::status(fir::fir(src, coeffs, dst))
}
