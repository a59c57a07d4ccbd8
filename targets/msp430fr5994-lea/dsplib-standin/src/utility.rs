//! `DSPLib_utility.h`: fill, the one utility function acec calls (its backend copies on the CPU). Its length
//! "must be a multiple of two" (the header); TI's code does not check it, this stand-in returns
//! `MSP_SIZE_ERROR` for an odd one (the restriction is the LEA's: its commands move element pairs).

use acec_runtime::kernels::vector;

use crate::access;
use crate::lea_ram;
use crate::types::{MSP_SIZE_ERROR, msp_fill_q15_params, msp_status};

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
    if let Some(status) = lea_ram::operand(dst, usize::from(params.length), 4) {
        return status;
    }
    // SAFETY: the caller's contract.
    access::status(vector::fill(unsafe { access::slice_mut(dst, usize::from(params.length)) }, params.value))
}
