//! `DSPLib_vector.h`: the Q15 vector functions acec calls. Every length here "must be a multiple of two"
//! (the header, per struct); an odd one is `MSP_SIZE_ERROR`, which TI's code returns for it in `msp_add_q15`,
//! `msp_mac_q15`, `msp_offset_q15` and `msp_max_q15` and which this stand-in also returns, by the same
//! documented restriction, in `msp_shift_q15` and `msp_cmplx_mpy_q15` (whose code does not check).

use acec_runtime::SpectrumLayout;
use acec_runtime::kernels::{complex, dot, vector};

use crate::access;
use crate::lea_ram;
use crate::types::{
    MSP_SHIFT_SIZE_ERROR, MSP_SIZE_ERROR, MSP_SUCCESS, msp_add_q15_params, msp_cmplx_mpy_q15_params,
    msp_mac_q15_params, msp_max_q15_params, msp_offset_q15_params, msp_shift_q15_params, msp_status,
};

/// `MSP_SIZE_ERROR` for an odd length.
fn even(length: u16) -> Result<usize, msp_status> {
    if length & 1 == 0 { Ok(usize::from(length)) } else { Err(MSP_SIZE_ERROR) }
}

/// TI's `msp_add_q15`: `dst = sat16(src_a + src_b)` (`source/vector/msp_add_q15.c`, C path
/// `__saturated_add_q15`; computed by `kernels::vector::add`). In place allowed.
///
/// # Safety
/// `params` valid; `src_a`, `src_b` readable and `dst` writable for `length` aligned `i16`, `dst` equal to a
/// source or apart from both.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msp_add_q15(
    params: *const msp_add_q15_params,
    src_a: *const i16,
    src_b: *const i16,
    dst: *mut i16,
) -> msp_status {
    // SAFETY: the caller's contract.
    let length = match even(unsafe { (*params).length }) {
        Ok(n) => n,
        Err(status) => return status,
    };
    let placed =
        [lea_ram::operand(src_a, length, 4), lea_ram::operand(src_b, length, 4), lea_ram::operand(dst, length, 4)];
    if let Some(status) = lea_ram::first(&placed) {
        return status;
    }
    // SAFETY: the caller's contract. `add` accumulates into its second argument: that is `src_b` copied.
    unsafe {
        access::binary(src_a, src_b, dst, length, |a, b, out| {
            out.copy_from_slice(b);
            vector::add(a, out)
        })
    }
}

/// TI's `msp_mac_q15`: `*result = 2 * sum(src_a[i] * src_b[i])` in Q31 (`source/vector/msp_mac_q15.c`; the
/// MPY32 path saturates, the plain C path wraps; computed by `kernels::dot::mac`, which equals both while
/// the sum fits and saturates where it would not).
///
/// # Safety
/// `params` valid; `src_a`, `src_b` readable for `length` aligned `i16`; `result` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msp_mac_q15(
    params: *const msp_mac_q15_params,
    src_a: *const i16,
    src_b: *const i16,
    result: *mut i32,
) -> msp_status {
    // SAFETY: the caller's contract.
    let length = match even(unsafe { (*params).length }) {
        Ok(n) => n,
        Err(status) => return status,
    };
    let placed =
        [lea_ram::operand(src_a, length, 4), lea_ram::operand(src_b, length, 4), lea_ram::operand(result, 1, 4)];
    if let Some(status) = lea_ram::first(&placed) {
        return status;
    }
    // SAFETY: the caller's contract; both sources are only read.
    let (a, b) = unsafe { (access::slice(src_a, length), access::slice(src_b, length)) };
    match dot::mac(a, b) {
        Ok(sum) => {
            // SAFETY: the caller's contract.
            unsafe { result.write(sum) };
            MSP_SUCCESS
        }
        Err(e) => access::status(Err(e)),
    }
}

/// TI's `msp_offset_q15`: `dst = sat16(src + offset)` (`source/vector/msp_offset_q15.c`, C path; computed by
/// `kernels::vector::offset`). In place allowed.
///
/// # Safety
/// `params` valid; `src` readable and `dst` writable for `length` aligned `i16`, equal or apart.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msp_offset_q15(
    params: *const msp_offset_q15_params,
    src: *const i16,
    dst: *mut i16,
) -> msp_status {
    // SAFETY: the caller's contract.
    let params = unsafe { &*params };
    // SAFETY: the caller's contract.
    unsafe { unary_call(params.length, src, dst, |chunk| vector::offset(chunk, params.offset)) }
}

/// TI's `msp_shift_q15`: `shift > 0` shifts left without saturating (`*src << shift` in 16-bit `int`: the
/// bits shifted out are lost), `shift < 0` shifts right arithmetically (floor); `source/vector/msp_shift_q15.c`,
/// C path, computed by `kernels::vector::shift`. `MSP_SHIFT_SIZE_ERROR` outside -15..=15 (TI's check).
///
/// Shift 0 is the identity, as in TI's C path and, out of place, its LEA build (a copy). In place, the LEA
/// build multiplies by `0x8000`, the LEA's -1.0 (acec-runtime `dsplib/contract.rs`): a quirk of the device
/// library this stand-in does not reproduce, since the backend never makes that call.
///
/// # Safety
/// `params` valid; `src` readable and `dst` writable for `length` aligned `i16`, equal or apart.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msp_shift_q15(
    params: *const msp_shift_q15_params,
    src: *const i16,
    dst: *mut i16,
) -> msp_status {
    // SAFETY: the caller's contract.
    let params = unsafe { &*params };
    if !(-15..=15).contains(&params.shift) {
        return MSP_SHIFT_SIZE_ERROR;
    }
    // SAFETY: the caller's contract.
    unsafe { unary_call(params.length, src, dst, |chunk| vector::shift(chunk, params.shift)) }
}

/// TI's `msp_max_q15`: the largest element and its index. The C path (`source/vector/msp_max_q15.c`)
/// compares with `>=`, so among equal maxima it reports the **last**; this stand-in does the same (the value
/// from `kernels::vector::max`, then the last index holding it), which makes the backend's conversion to the
/// first maximum (acec-runtime `dsplib/contract.rs`) run. An empty vector gives what the C path writes:
/// `INT16_MIN` at index `length - 1` = 0xFFFF.
///
/// # Safety
/// `params` valid; `src` readable for `length` aligned `i16`; `max` and `index` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msp_max_q15(
    params: *const msp_max_q15_params,
    src: *const i16,
    max: *mut i16,
    index: *mut u16,
) -> msp_status {
    // SAFETY: the caller's contract.
    let length = match even(unsafe { (*params).length }) {
        Ok(n) => n,
        Err(status) => return status,
    };
    // TI checks the source only: the LEA writes the maximum to its own stack, and the CPU copies it out.
    if let Some(status) = lea_ram::operand(src, length, 4) {
        return status;
    }
    let (value, last) = if length == 0 {
        (i16::MIN, u16::MAX)
    } else {
        // SAFETY: the caller's contract; `src` is only read.
        let src = unsafe { access::slice(src, length) };
        let value = match vector::max(src) {
            Ok((value, _first)) => value,
            Err(e) => return access::status(Err(e)),
        };
        // `value` occurs in `src`; a `u16` length bounds every index.
        (value, src.iter().rposition(|&x| x == value).unwrap_or(0) as u16)
    };
    // SAFETY: the caller's contract.
    unsafe {
        max.write(value);
        index.write(last);
    }
    MSP_SUCCESS
}

/// TI's `msp_cmplx_mpy_q15`: element-wise complex product of `length` interleaved points, the MPY32 path of
/// `source/vector/msp_cmplx_mpy_q15.c` (fractional mode, `RESHI`: truncated, not saturated); computed by
/// `kernels::complex::cmplx_mpy` with `SpectrumLayout::Complex` (every pair a complex number). In place
/// allowed.
///
/// # Safety
/// `params` valid; `src_a`, `src_b` readable and `dst` writable for `2 * length` aligned `i16`, `dst` equal to a
/// source or apart from both.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msp_cmplx_mpy_q15(
    params: *const msp_cmplx_mpy_q15_params,
    src_a: *const i16,
    src_b: *const i16,
    dst: *mut i16,
) -> msp_status {
    // SAFETY: the caller's contract.
    let points = match even(unsafe { (*params).length }) {
        Ok(n) => n,
        Err(status) => return status,
    };
    let placed = [
        lea_ram::operand(src_a, 2 * points, 4),
        lea_ram::operand(src_b, 2 * points, 4),
        lea_ram::operand(dst, 2 * points, 4),
    ];
    if let Some(status) = lea_ram::first(&placed) {
        return status;
    }
    // SAFETY: the caller's contract; chunks hold whole pairs.
    unsafe {
        access::binary(src_a, src_b, dst, 2 * points, |a, b, out| {
            complex::cmplx_mpy(SpectrumLayout::Complex, a, b, out)
        })
    }
}

/// What the one-source functions (`msp_offset_q15`, `msp_shift_q15`) do after their own argument checks: TI's
/// even-length check, its placement checks (source and destination in LEA RAM, 4-byte aligned), then `f`
/// chunk by chunk.
///
/// # Safety
/// As [`access::unary`], for `length` elements.
unsafe fn unary_call(
    length: u16,
    src: *const i16,
    dst: *mut i16,
    f: impl FnMut(&mut [i16]) -> Result<(), acec_runtime::KernelError>,
) -> msp_status {
    let length = match even(length) {
        Ok(n) => n,
        Err(status) => return status,
    };
    let placed = [lea_ram::operand(src, length, 4), lea_ram::operand(dst, length, 4)];
    if let Some(status) = lea_ram::first(&placed) {
        return status;
    }
    // SAFETY: the caller's contract.
    unsafe { access::unary(src, dst, length, f) }
}
