//! `DSPLib_transform.h`: the complex FFT with fixed scaling and the real FFT's split, the two transforms
//! acec's backend composes its four FFTs from (acec-runtime `kernels/fft.rs`).
//!
//! Twiddles come from the kernels' own table, which holds TI's values for every length dividing 512
//! (acec-runtime `kernels/twiddle.rs`); `twiddleTable` is not read, as in TI's LEA build, where it may be
//! NULL. A longer transform than that table covers is refused with `MSP_TABLE_SIZE_ERROR`, TI's status for a
//! table shorter than the length (`source/transform/msp_cmplx_fft_fixed_q15.c`, the C path).

use acec_runtime::kernels::twiddle::TABLE_POINTS;
use acec_runtime::kernels::{fft_fixed, split};

use crate::access;
use crate::lea_ram;
use crate::types::{
    MSP_SIZE_ERROR, MSP_SUCCESS, MSP_TABLE_SIZE_ERROR, msp_cmplx_fft_q15_params, msp_split_q15_params, msp_status,
};

/// TI's `msp_cmplx_fft_fixed_q15`: in place on `length` interleaved complex points, bit-reversed first,
/// halved at every radix-2 stage (`source/transform/msp_cmplx_fft_fixed_q15.c`, C path; computed by
/// `kernels::fft_fixed::cmplx_fft_fixed`).
///
/// Statuses: `MSP_SIZE_ERROR` when `length` is not a power of two (TI's check; TI's `length & (length - 1)`
/// test also lets 0 through, refused here: there is no FFT of no points) and when `bitReverse` is false
/// (the kernel always bit-reverses, and acec always asks for it: a caller that does not is refused rather
/// than given a different transform); `MSP_TABLE_SIZE_ERROR` above 512 points.
///
/// # Safety
/// `params` points to a valid struct; `src` to `2 * length` aligned `i16` that nothing else accesses.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msp_cmplx_fft_fixed_q15(params: *const msp_cmplx_fft_q15_params, src: *mut i16) -> msp_status {
    // SAFETY: the caller's contract.
    let params = unsafe { &*params };
    let points = usize::from(params.length);
    if !points.is_power_of_two() || !params.bitReverse {
        return MSP_SIZE_ERROR;
    }
    if points > TABLE_POINTS {
        return MSP_TABLE_SIZE_ERROR;
    }
    // TI: `MSP_LEA_VALID_ADDRESS(src, length*2)`, the alignment in bytes twice the number of points.
    if let Some(status) = lea_ram::operand(src, 2 * points, 2 * points) {
        return status;
    }
    // SAFETY: the caller's contract.
    fft_fixed::cmplx_fft_fixed(unsafe { access::slice_mut(src, 2 * points) });
    MSP_SUCCESS
}

/// TI's `msp_split_q15`: the last stage of a real FFT of `length` samples, in place on the `length / 2`-point
/// complex FFT of them (`source/transform/msp_split_q15.c`, C path; computed by `kernels::split::split`).
///
/// Statuses: `MSP_SIZE_ERROR` when `length` is not a power of two (TI's check) or below 4 (TI's C loop runs
/// `(length >> 2) - 1` times in 16 bits, which wraps there); `MSP_TABLE_SIZE_ERROR` above 512 samples.
///
/// # Safety
/// `params` points to a valid struct; `src` to `length` aligned `i16` that nothing else accesses.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msp_split_q15(params: *const msp_split_q15_params, src: *mut i16) -> msp_status {
    // SAFETY: the caller's contract.
    let params = unsafe { &*params };
    let length = usize::from(params.length);
    if !length.is_power_of_two() || length < 4 {
        return MSP_SIZE_ERROR;
    }
    if length > TABLE_POINTS {
        return MSP_TABLE_SIZE_ERROR;
    }
    // TI: `MSP_LEA_VALID_ADDRESS(src, length)`, the alignment in bytes the number of samples.
    if let Some(status) = lea_ram::operand(src, length, length) {
        return status;
    }
    // SAFETY: the caller's contract.
    split::split(unsafe { access::slice_mut(src, length) });
    MSP_SUCCESS
}
