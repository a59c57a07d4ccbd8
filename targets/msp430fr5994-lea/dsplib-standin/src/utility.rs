//! `DSPLib_utility.h`: fill and copy. Both lengths "must be a multiple of two" (the header); TI's code does
//! not check it, this stand-in returns `MSP_SIZE_ERROR` for an odd one (the restriction is the LEA's: its
//! commands move element pairs).

use acec_runtime::kernels::vector;

use crate::access;
use crate::types::{MSP_SIZE_ERROR, msp_copy_q15_params, msp_fill_q15_params, msp_status};

/// TI's `msp_fill_q15`: `dst[i] = value` (`source/utility/msp_fill_q15.c`; computed by
/// `kernels::vector::fill`).
///
/// # Safety
/// `params` valid; `dst` writable for `length` aligned `i16` that nothing else accesses.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msp_fill_q15(params: *const msp_fill_q15_params, dst: *mut i16) -> msp_status {
    // SAFETY: the caller's contract.
    let params = unsafe { &*params };
    if params.length & 1 != 0 {
        return MSP_SIZE_ERROR;
    }
    // SAFETY: the caller's contract.
    access::status(vector::fill(unsafe { access::slice_mut(dst, usize::from(params.length)) }, params.value))
}

/// TI's `msp_copy_q15`: `dst[i] = src[i]` (`source/utility/msp_copy_q15.c`; computed by
/// `kernels::vector::copy`, chunk by chunk, so `dst == src` is allowed as in TI's forward loop).
///
/// # Safety
/// `params` valid; `src` readable and `dst` writable for `length` aligned `i16`, equal or apart.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msp_copy_q15(
    params: *const msp_copy_q15_params,
    src: *const i16,
    dst: *mut i16,
) -> msp_status {
    // SAFETY: the caller's contract.
    let length = unsafe { (*params).length };
    if length & 1 != 0 {
        return MSP_SIZE_ERROR;
    }
    // SAFETY: the caller's contract; `binary`'s second source is unused.
    unsafe { access::binary(src, src, dst, usize::from(length), |a, _, out| vector::copy(a, out)) }
}
