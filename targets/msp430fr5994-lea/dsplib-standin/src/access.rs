//! From C's pointers and lengths to the slices the kernels take, and back to a status.
//!
//! DSPLib allows in-place operation (a destination equal to a source; `DSPLib_vector.h` documents it per
//! function), which Rust must not express as a shared and a mutable slice of the same memory. Element-wise
//! functions therefore read their sources into stack chunks first ([`binary`], [`unary`]): each element
//! depends on its own inputs only, so chunking changes no result, and `dst == src` is then sound. A
//! destination that overlaps a source only in part is outside DSPLib's documented use, as it is here.

use acec_runtime::KernelError;

use crate::types::{MSP_SIZE_ERROR, MSP_SUCCESS, msp_status};

/// Elements per stack chunk: even, so a chunk never splits a complex pair or an LEA element pair.
const CHUNK: usize = 16;

/// `len` elements at `ptr` (none when `len == 0`, whatever `ptr` is).
///
/// # Safety
/// For `len > 0`, `ptr` is aligned and valid for reads of `len` `i16` for `'a`, and nothing writes them then.
pub unsafe fn slice<'a>(ptr: *const i16, len: usize) -> &'a [i16] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller's contract.
    unsafe { core::slice::from_raw_parts(ptr, len) }
}

/// `len` elements at `ptr`, mutable (none when `len == 0`).
///
/// # Safety
/// For `len > 0`, `ptr` is aligned and valid for reads and writes of `len` `i16` for `'a`, and nothing else
/// accesses them then.
pub unsafe fn slice_mut<'a>(ptr: *mut i16, len: usize) -> &'a mut [i16] {
    if len == 0 {
        return &mut [];
    }
    // SAFETY: the caller's contract.
    unsafe { core::slice::from_raw_parts_mut(ptr, len) }
}

/// The status of a kernel call made after DSPLib's own checks passed: a kernel that still refuses its
/// arguments found a size outside the function's restrictions, which DSPLib reports as `MSP_SIZE_ERROR`.
pub fn status(result: Result<(), KernelError>) -> msp_status {
    match result {
        Ok(()) => MSP_SUCCESS,
        Err(_) => MSP_SIZE_ERROR,
    }
}

/// `dst[..len] = f(a[..len], b[..len])`, `f` element-wise (or pair-wise), through stack chunks.
///
/// # Safety
/// `a` and `b` valid for reads and `dst` for writes of `len` aligned `i16`; `dst` equal to a source or apart
/// from both.
pub unsafe fn binary(
    a: *const i16,
    b: *const i16,
    dst: *mut i16,
    len: usize,
    mut f: impl FnMut(&[i16], &[i16], &mut [i16]) -> Result<(), KernelError>,
) -> msp_status {
    let (mut left, mut right, mut out) = ([0i16; CHUNK], [0i16; CHUNK], [0i16; CHUNK]);
    let mut at = 0;
    while at < len {
        let n = CHUNK.min(len - at);
        // SAFETY: `at + n <= len`; the sources are read before anything is written to `dst` in this chunk.
        unsafe {
            core::ptr::copy(a.add(at), left.as_mut_ptr(), n);
            core::ptr::copy(b.add(at), right.as_mut_ptr(), n);
        }
        if let Err(e) = f(&left[..n], &right[..n], &mut out[..n]) {
            return status(Err(e));
        }
        // SAFETY: as above.
        unsafe { core::ptr::copy(out.as_ptr(), dst.add(at), n) };
        at += n;
    }
    MSP_SUCCESS
}

/// `dst[..len] = f(src[..len])`, `f` element-wise and in place on its chunk.
///
/// # Safety
/// As [`binary`], with one source.
pub unsafe fn unary(
    src: *const i16,
    dst: *mut i16,
    len: usize,
    mut f: impl FnMut(&mut [i16]) -> Result<(), KernelError>,
) -> msp_status {
    let mut chunk = [0i16; CHUNK];
    let mut at = 0;
    while at < len {
        let n = CHUNK.min(len - at);
        // SAFETY: `at + n <= len`.
        unsafe { core::ptr::copy(src.add(at), chunk.as_mut_ptr(), n) };
        if let Err(e) = f(&mut chunk[..n]) {
            return status(Err(e));
        }
        // SAFETY: as above.
        unsafe { core::ptr::copy(chunk.as_ptr(), dst.add(at), n) };
        at += n;
    }
    MSP_SUCCESS
}
