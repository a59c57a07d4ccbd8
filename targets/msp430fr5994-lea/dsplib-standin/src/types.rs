//! TI's DSPLib 1.30 types at the C boundary, transcribed from its headers (`include/DSPLib_types.h`,
//! `DSPLib_transform.h`, `DSPLib_vector.h`, `DSPLib_filter.h`, `DSPLib_utility.h`; MSP430Ware 3.80.06.03)
//! with TI's own names, so each struct reads against the header member for member.
//!
//! C types on msp430-none-elf (TI's MSP430 EABI, SLAA534 section 2; Rust's target shares its small data
//! model): `uint16_t` = `u16`, `int8_t` = `i8`, `_q15` = `int16_t` = `i16`, `_iq31` = `int32_t` = `i32`,
//! `bool` = `_Bool` = Rust `bool` (1 byte), data pointers 16 bits. `#[repr(C)]` then places the members as
//! the EABI does; the MSP430 build asserts the offsets and sizes acec-runtime's `dsplib/abi.rs` tabulates
//! from the same headers (written out again below, so a drift in either shows).
#![allow(non_camel_case_types, non_snake_case, reason = "TI's C names, as in the headers")]

/// `msp_status` (`DSPLib_types.h`): a C `enum`, so `int`-sized, 16 bits on the MSP430 (SLAU132, "Data
/// Representation in Registers and Memory").
pub type msp_status = i16;
/// "Successful operation."
pub const MSP_SUCCESS: msp_status = 0;
/// "Invalid size, see API for restrictions."
pub const MSP_SIZE_ERROR: msp_status = 1;
/// "Invalid shift size, see API for restrictions."
pub const MSP_SHIFT_SIZE_ERROR: msp_status = 2;
/// "Invalid table size, see API for restrictions."
pub const MSP_TABLE_SIZE_ERROR: msp_status = 3;
/// "Address is not within LEA RAM section."
pub const MSP_LEA_INVALID_ADDRESS: msp_status = 5;
/// "Command resulted in out of range memory access."
pub const MSP_LEA_OUT_OF_RANGE: msp_status = 6;

/// `msp_cmplx_fft_q15_params` (`DSPLib_transform.h`).
#[repr(C)]
pub struct msp_cmplx_fft_q15_params {
    /// "Length of the source data, must be a power of two" (complex points).
    pub length: u16,
    /// "Bit reverse the input data."
    pub bitReverse: bool,
    /// "When using LEA this can be a NULL pointer."
    pub twiddleTable: *const i16,
}

/// `msp_split_q15_params` (`DSPLib_transform.h`).
#[repr(C)]
pub struct msp_split_q15_params {
    /// "Length of the source data, must be a power of two" (real values: `length / 2` complex points).
    pub length: u16,
    /// "When using LEA this can be a NULL pointer."
    pub twiddleTable: *const i16,
}

/// `msp_fir_q15_params` (`DSPLib_filter.h`, DSPLib 1.30).
#[repr(C)]
pub struct msp_fir_q15_params {
    /// "Length of the source data, must be a multiple of two" (output samples).
    pub length: u16,
    /// "Length of FIR coefficients, must be a multiple of two."
    pub tapLength: u16,
    /// "Pointer to real FIR filter coefficients."
    pub coeffs: *const i16,
    /// "Enable circular buffer."
    pub enableCircularBuffer: bool,
}

/// `msp_shift_q15_params` (`DSPLib_vector.h`).
#[repr(C)]
pub struct msp_shift_q15_params {
    /// "Length of source and destination data, must be a multiple of two."
    pub length: u16,
    /// "Positive values will shift to the left and negative values will shift to the right."
    pub shift: i8,
}

/// `msp_offset_q15_params` (`DSPLib_vector.h`).
#[repr(C)]
pub struct msp_offset_q15_params {
    /// "Length of source and destination data, must be a multiple of two."
    pub length: u16,
    /// "Offset to add to each vector element."
    pub offset: i16,
}

/// `msp_fill_q15_params` (`DSPLib_utility.h`).
#[repr(C)]
pub struct msp_fill_q15_params {
    /// "Length of the source data, must be a multiple of two."
    pub length: u16,
    /// "Scalar constant to fill the destination vector with."
    pub value: i16,
}

/// The structs that hold a length only: `msp_cmplx_mpy_q15_params` (complex elements), `msp_mac_q15_params`,
/// `msp_add_q15_params`, `msp_max_q15_params` (`DSPLib_vector.h`); each "must be a multiple of two".
#[repr(C)]
pub struct msp_length_q15_params {
    pub length: u16,
}

pub type msp_cmplx_mpy_q15_params = msp_length_q15_params;
pub type msp_mac_q15_params = msp_length_q15_params;
pub type msp_add_q15_params = msp_length_q15_params;
pub type msp_max_q15_params = msp_length_q15_params;

/// The EABI layouts (acec-runtime `backend/dsplib/abi.rs`: offsets of every member, sizes).
#[cfg(target_arch = "msp430")]
const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(offset_of!(msp_cmplx_fft_q15_params, bitReverse) == 2);
    assert!(offset_of!(msp_cmplx_fft_q15_params, twiddleTable) == 4);
    assert!(size_of::<msp_cmplx_fft_q15_params>() == 6);
    assert!(offset_of!(msp_split_q15_params, twiddleTable) == 2);
    assert!(size_of::<msp_split_q15_params>() == 4);
    assert!(offset_of!(msp_fir_q15_params, tapLength) == 2);
    assert!(offset_of!(msp_fir_q15_params, coeffs) == 4);
    assert!(offset_of!(msp_fir_q15_params, enableCircularBuffer) == 6);
    assert!(size_of::<msp_fir_q15_params>() == 8);
    assert!(offset_of!(msp_shift_q15_params, shift) == 2);
    assert!(size_of::<msp_shift_q15_params>() == 4);
    assert!(offset_of!(msp_offset_q15_params, offset) == 2);
    assert!(size_of::<msp_offset_q15_params>() == 4);
    assert!(offset_of!(msp_fill_q15_params, value) == 2);
    assert!(size_of::<msp_fill_q15_params>() == 4);
    assert!(size_of::<msp_length_q15_params>() == 2);
};
