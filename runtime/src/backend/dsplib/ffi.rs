//! `extern "C"` declarations of the TI DSPLib (MSP430 DSP Library 1.30) functions the backend calls, and
//! their `#[repr(C)]` parameter structs, field for field as in `DSPLib_transform.h`, `DSPLib_vector.h`,
//! `DSPLib_filter.h` and `DSPLib_utility.h`. C types on msp430-none-elf: `uint16_t` = `u16`, `int8_t` = `i8`,
//! `_q15` = `int16_t` = `i16`, `_iq31` = `int32_t` = `i32`, `bool` = `_Bool` = Rust `bool` (1 byte),
//! pointers 16 bits (small data model).

/// `msp_status`, a C `enum`: `int`, 16 bits on MSP430 (`core::ffi::c_int` is `i16` there); `MSP_SUCCESS`
/// is 0.
pub type MspStatus = i16;
pub const MSP_SUCCESS: MspStatus = 0;

/// `msp_fft_q15_params` and `msp_cmplx_fft_q15_params` (same layout).
#[repr(C)]
pub struct MspFftQ15Params {
    /// Number of points, a power of two.
    pub length: u16,
    /// Bit-reverse the input first; DSPLib calls this mandatory unless the data is stored bit-reversed.
    pub bit_reverse: bool,
    /// Twiddle table; NULL is allowed when DSPLib is built for LEA (tables in LEA ROM).
    pub twiddle_table: *const i16,
}

/// `msp_cmplx_mpy_q15_params`, `msp_mac_q15_params`, `msp_add_q15_params`, `msp_max_q15_params`,
/// `msp_copy_q15_params`: a length only.
#[repr(C)]
pub struct MspLengthParams {
    pub length: u16,
}

/// `msp_fir_q15_params` (DSPLib 1.30; 1.2x lacks `enableCircularBuffer`).
#[repr(C)]
pub struct MspFirQ15Params {
    /// Output samples, a multiple of two.
    pub length: u16,
    /// Taps, a multiple of two.
    pub tap_length: u16,
    pub coeffs: *const i16,
    pub enable_circular_buffer: bool,
}

/// `msp_shift_q15_params`.
#[repr(C)]
pub struct MspShiftQ15Params {
    pub length: u16,
    /// Positive: left, negative: right.
    pub shift: i8,
}

/// `msp_offset_q15_params`.
#[repr(C)]
pub struct MspOffsetQ15Params {
    pub length: u16,
    pub offset: i16,
}

/// `msp_fill_q15_params`.
#[repr(C)]
pub struct MspFillQ15Params {
    pub length: u16,
    pub value: i16,
}

unsafe extern "C" {
    pub fn msp_fft_fixed_q15(params: *const MspFftQ15Params, src: *mut i16) -> MspStatus;
    pub fn msp_ifft_fixed_q15(params: *const MspFftQ15Params, src: *mut i16) -> MspStatus;
    pub fn msp_cmplx_fft_fixed_q15(params: *const MspFftQ15Params, src: *mut i16) -> MspStatus;
    pub fn msp_cmplx_ifft_fixed_q15(params: *const MspFftQ15Params, src: *mut i16) -> MspStatus;
    pub fn msp_cmplx_mpy_q15(params: *const MspLengthParams, a: *const i16, b: *const i16, dst: *mut i16) -> MspStatus;
    pub fn msp_mac_q15(params: *const MspLengthParams, a: *const i16, b: *const i16, result: *mut i32) -> MspStatus;
    pub fn msp_fir_q15(params: *const MspFirQ15Params, src: *const i16, dst: *mut i16) -> MspStatus;
    pub fn msp_add_q15(params: *const MspLengthParams, a: *const i16, b: *const i16, dst: *mut i16) -> MspStatus;
    pub fn msp_shift_q15(params: *const MspShiftQ15Params, src: *const i16, dst: *mut i16) -> MspStatus;
    pub fn msp_offset_q15(params: *const MspOffsetQ15Params, src: *const i16, dst: *mut i16) -> MspStatus;
    pub fn msp_fill_q15(params: *const MspFillQ15Params, dst: *mut i16) -> MspStatus;
    pub fn msp_max_q15(params: *const MspLengthParams, src: *const i16, max: *mut i16) -> MspStatus;
    pub fn msp_copy_q15(params: *const MspLengthParams, src: *const i16, dst: *mut i16) -> MspStatus;
}
