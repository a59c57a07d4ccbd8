//! `extern "C"` declarations of the TI DSPLib (MSP430 DSP Library 1.30) functions the backend calls, and
//! their `#[repr(C)]` parameter structs, member for member as in `DSPLib_transform.h`, `DSPLib_vector.h`,
//! `DSPLib_filter.h` and `DSPLib_utility.h`. C types on msp430-none-elf: `uint16_t` = `u16`, `int8_t` = `i8`,
//! `_q15` = `int16_t` = `i16`, `_iq31` = `int32_t` = `i32`, `bool` = `_Bool` = Rust `bool` (1 byte),
//! pointers 16 bits (small data model).
//!
//! Declared through [`super::declare`]'s macros, so each declaration also exists as data that is checked
//! against TI's prototypes in [`super::abi`]: names, parameter count and types, return type, and every
//! struct's members and offsets (the MSP430 build asserts the real `offset_of!`/`size_of`; the host test
//! `runtime/tests/dsplib_abi.rs` runs the same checks with readable failures).

use super::abi;
use super::declare::{c_functions, c_structs};

/// `msp_status`, a C `enum`: `int`, 16 bits on MSP430 (`core::ffi::c_int` is `i16` there); `MSP_SUCCESS`
/// is 0.
pub type MspStatus = i16;
pub const MSP_SUCCESS: MspStatus = 0;

c_structs! {
    /// `msp_fft_q15_params` and `msp_cmplx_fft_q15_params` (same members).
    pub struct MspFftQ15Params mirrors [abi::MSP_FFT_Q15_PARAMS, abi::MSP_CMPLX_FFT_Q15_PARAMS] {
        /// Number of points, a power of two.
        pub length: u16,
        /// Bit-reverse the input first; DSPLib calls this mandatory unless the data is stored bit-reversed.
        pub bit_reverse: bool,
        /// Twiddle table; NULL is allowed when DSPLib is built for LEA (tables in LEA ROM).
        pub twiddle_table: *const i16,
    }

    /// `msp_split_q15_params`.
    pub struct MspSplitQ15Params mirrors [abi::MSP_SPLIT_Q15_PARAMS] {
        /// Length of the source data (real points), a power of two.
        pub length: u16,
        /// Twiddle table; NULL is allowed when DSPLib is built for LEA (tables in LEA ROM).
        pub twiddle_table: *const i16,
    }

    /// `msp_cmplx_mpy_q15_params`, `msp_mac_q15_params`, `msp_add_q15_params`, `msp_max_q15_params`: a
    /// length only.
    pub struct MspLengthParams mirrors [
        abi::MSP_CMPLX_MPY_Q15_PARAMS,
        abi::MSP_MAC_Q15_PARAMS,
        abi::MSP_ADD_Q15_PARAMS,
        abi::MSP_MAX_Q15_PARAMS,
    ] {
        pub length: u16,
    }

    /// `msp_fir_q15_params` (DSPLib 1.30; 1.2x lacks `enableCircularBuffer`).
    pub struct MspFirQ15Params mirrors [abi::MSP_FIR_Q15_PARAMS] {
        /// Output samples, a multiple of two.
        pub length: u16,
        /// Taps, a multiple of two.
        pub tap_length: u16,
        pub coeffs: *const i16,
        pub enable_circular_buffer: bool,
    }

    /// `msp_shift_q15_params`.
    pub struct MspShiftQ15Params mirrors [abi::MSP_SHIFT_Q15_PARAMS] {
        pub length: u16,
        /// Positive: left, negative: right.
        pub shift: i8,
    }

    /// `msp_offset_q15_params`.
    pub struct MspOffsetQ15Params mirrors [abi::MSP_OFFSET_Q15_PARAMS] {
        pub length: u16,
        pub offset: i16,
    }

    /// `msp_fill_q15_params`.
    pub struct MspFillQ15Params mirrors [abi::MSP_FILL_Q15_PARAMS] {
        pub length: u16,
        pub value: i16,
    }
}

c_functions! {
    /// The last step of a real FFT of `length` points, in place on the `length / 2`-point complex FFT of the
    /// input (`DSPLib_transform.h`); with LEA the data needs `2 * length`-byte alignment.
    pub fn msp_split_q15(params: *const MspSplitQ15Params, src: *mut i16) -> MspStatus;
    pub fn msp_cmplx_fft_fixed_q15(params: *const MspFftQ15Params, src: *mut i16) -> MspStatus;
    pub fn msp_cmplx_mpy_q15(
        params: *const MspLengthParams,
        src_a: *const i16,
        src_b: *const i16,
        dst: *mut i16,
    ) -> MspStatus;
    pub fn msp_mac_q15(params: *const MspLengthParams, src_a: *const i16, src_b: *const i16, result: *mut i32)
    -> MspStatus;
    pub fn msp_fir_q15(params: *const MspFirQ15Params, src: *const i16, dst: *mut i16) -> MspStatus;
    pub fn msp_add_q15(params: *const MspLengthParams, src_a: *const i16, src_b: *const i16, dst: *mut i16)
    -> MspStatus;
    pub fn msp_shift_q15(params: *const MspShiftQ15Params, src: *const i16, dst: *mut i16) -> MspStatus;
    pub fn msp_offset_q15(params: *const MspOffsetQ15Params, src: *const i16, dst: *mut i16) -> MspStatus;
    pub fn msp_fill_q15(params: *const MspFillQ15Params, dst: *mut i16) -> MspStatus;
    /// `index` receives the position DSPLib found the maximum at (its LEA path writes it unconditionally).
    pub fn msp_max_q15(params: *const MspLengthParams, src: *const i16, max: *mut i16, index: *mut u16)
    -> MspStatus;
}

/// The MSP430 build refuses declarations that differ from TI's prototypes (the host test
/// `runtime/tests/dsplib_abi.rs` names the difference).
#[cfg(target_arch = "msp430")]
const _: () = assert!(
    super::conform::check_functions(DECLARED, abi::FUNCTIONS).is_ok(),
    "a DSPLib declaration differs from TI's prototype: run `cargo test -p acec-runtime --test dsplib_abi`"
);
