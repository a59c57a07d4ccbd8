//! TI's declarations of the DSPLib functions acec calls and of their parameter structs, as data: every
//! prototype and struct transcribed from TI's MSP430 DSPLib 1.30.00.02 headers (`include/DSPLib_transform.h`,
//! `DSPLib_vector.h`, `DSPLib_filter.h`, `DSPLib_utility.h`, `DSPLib_types.h`; read in the copy shipped with
//! MSP430Ware 3.80.06.03, e.g. github.com/PiBoxY/msp430ware `dsplib/include/`), with each member's offset on
//! the MSP430 by the EABI rule in [`super::ctype`]. The declarations in [`super::ffi`] are checked against
//! this table: at compile time in the MSP430 build, and by `runtime/tests/dsplib_abi.rs` on the host.
//!
//! The table lists exactly the functions acec declares; a function added to `ffi.rs` needs its TI prototype
//! here (the checks refuse either without the other).

use super::ctype::{Arg, CType, Field, Function, Layout, Pointee, Scalar};

const U16: CType = CType::Scalar(Scalar::U16);
const I8: CType = CType::Scalar(Scalar::I8);
const Q15: CType = CType::Scalar(Scalar::I16);
const BOOL: CType = CType::Scalar(Scalar::Bool);
/// `const _q15 *` (also `const int16_t *`).
const Q15_IN: CType = CType::Ptr { mutable: false, to: Pointee::Scalar(Scalar::I16) };
/// `_q15 *` (also `int16_t *`).
const Q15_OUT: CType = CType::Ptr { mutable: true, to: Pointee::Scalar(Scalar::I16) };

/// `msp_status` (`DSPLib_types.h`): a C `enum` of the values 0..=9 (`MSP_SUCCESS` = 0), so `int`-sized
/// (SLAU132, "Data Representation in Registers and Memory": an `enum` occupies a whole 16-bit register).
const STATUS: Arg = Arg { name: "", spelling: "msp_status", ty: Q15 };

const fn field(name: &'static str, spelling: &'static str, ty: CType, offset: u16) -> Field {
    Field { name, spelling, ty, offset }
}

const fn arg(name: &'static str, spelling: &'static str, ty: CType) -> Arg {
    Arg { name, spelling, ty }
}

/// The first parameter of every DSPLib function: `const <struct> *params`.
const fn params(spelling: &'static str, layout: &'static Layout) -> Arg {
    arg("params", spelling, CType::Ptr { mutable: false, to: Pointee::Struct(layout) })
}

/// The members of the structs that hold a length only.
const LENGTH_ONLY: &[Field] = &[field("length", "uint16_t", U16, 0)];

const fn length_only(name: &'static str) -> Layout {
    Layout { name, fields: LENGTH_ONLY, size: 2 }
}

/// `msp_fft_q15_params` (`DSPLib_transform.h`): 1 byte of padding after `bitReverse` aligns the pointer.
pub const MSP_FFT_Q15_PARAMS: Layout = Layout {
    name: "msp_fft_q15_params",
    fields: &[
        field("length", "uint16_t", U16, 0),
        field("bitReverse", "bool", BOOL, 2),
        field("twiddleTable", "const _q15 *", Q15_IN, 4),
    ],
    size: 6,
};

/// `msp_cmplx_fft_q15_params` (`DSPLib_transform.h`): the same members as `msp_fft_q15_params`.
pub const MSP_CMPLX_FFT_Q15_PARAMS: Layout = Layout { name: "msp_cmplx_fft_q15_params", ..MSP_FFT_Q15_PARAMS };

/// `msp_split_q15_params` (`DSPLib_transform.h`).
pub const MSP_SPLIT_Q15_PARAMS: Layout = Layout {
    name: "msp_split_q15_params",
    fields: &[field("length", "uint16_t", U16, 0), field("twiddleTable", "const _q15 *", Q15_IN, 2)],
    size: 4,
};

/// `msp_fir_q15_params` (`DSPLib_filter.h`, 1.30: 1.2x has no `enableCircularBuffer`); 1 byte of tail
/// padding after the `bool`.
pub const MSP_FIR_Q15_PARAMS: Layout = Layout {
    name: "msp_fir_q15_params",
    fields: &[
        field("length", "uint16_t", U16, 0),
        field("tapLength", "uint16_t", U16, 2),
        field("coeffs", "const _q15 *", Q15_IN, 4),
        field("enableCircularBuffer", "bool", BOOL, 6),
    ],
    size: 8,
};

/// `msp_shift_q15_params` (`DSPLib_vector.h`): `shift` is `int8_t`, then 1 byte of tail padding.
pub const MSP_SHIFT_Q15_PARAMS: Layout = Layout {
    name: "msp_shift_q15_params",
    fields: &[field("length", "uint16_t", U16, 0), field("shift", "int8_t", I8, 2)],
    size: 4,
};

/// `msp_offset_q15_params` (`DSPLib_vector.h`).
pub const MSP_OFFSET_Q15_PARAMS: Layout = Layout {
    name: "msp_offset_q15_params",
    fields: &[field("length", "uint16_t", U16, 0), field("offset", "_q15", Q15, 2)],
    size: 4,
};

/// `msp_fill_q15_params` (`DSPLib_utility.h`).
pub const MSP_FILL_Q15_PARAMS: Layout = Layout {
    name: "msp_fill_q15_params",
    fields: &[field("length", "uint16_t", U16, 0), field("value", "_q15", Q15, 2)],
    size: 4,
};

/// `msp_cmplx_mpy_q15_params` (`DSPLib_vector.h`).
pub const MSP_CMPLX_MPY_Q15_PARAMS: Layout = length_only("msp_cmplx_mpy_q15_params");
/// `msp_mac_q15_params` (`DSPLib_vector.h`).
pub const MSP_MAC_Q15_PARAMS: Layout = length_only("msp_mac_q15_params");
/// `msp_add_q15_params` (`DSPLib_vector.h`).
pub const MSP_ADD_Q15_PARAMS: Layout = length_only("msp_add_q15_params");
/// `msp_max_q15_params` (`DSPLib_vector.h`).
pub const MSP_MAX_Q15_PARAMS: Layout = length_only("msp_max_q15_params");

/// Every parameter struct in the table.
pub const STRUCTS: &[&Layout] = &[
    &MSP_FFT_Q15_PARAMS,
    &MSP_CMPLX_FFT_Q15_PARAMS,
    &MSP_SPLIT_Q15_PARAMS,
    &MSP_FIR_Q15_PARAMS,
    &MSP_SHIFT_Q15_PARAMS,
    &MSP_OFFSET_Q15_PARAMS,
    &MSP_FILL_Q15_PARAMS,
    &MSP_CMPLX_MPY_Q15_PARAMS,
    &MSP_MAC_Q15_PARAMS,
    &MSP_ADD_Q15_PARAMS,
    &MSP_MAX_Q15_PARAMS,
];

/// The offsets and sizes written above are the EABI rule's for the member types.
#[cfg(target_arch = "msp430")]
const _: () = {
    let mut i = 0;
    while i < STRUCTS.len() {
        assert!(super::conform::check_placement(STRUCTS[i]).is_ok(), "an offset in abi.rs breaks the EABI rule");
        i += 1;
    }
};

/// TI's prototypes of the functions acec declares, in header order within each header.
pub const FUNCTIONS: &[Function] = &[
    // DSPLib_transform.h
    Function {
        name: "msp_split_q15",
        args: &[params("const msp_split_q15_params *", &MSP_SPLIT_Q15_PARAMS), arg("src", "int16_t *", Q15_OUT)],
        ret: STATUS,
    },
    Function {
        name: "msp_cmplx_fft_fixed_q15",
        args: &[
            params("const msp_cmplx_fft_q15_params *", &MSP_CMPLX_FFT_Q15_PARAMS),
            arg("src", "int16_t *", Q15_OUT),
        ],
        ret: STATUS,
    },
    // DSPLib_filter.h
    Function {
        name: "msp_fir_q15",
        args: &[
            params("const msp_fir_q15_params *", &MSP_FIR_Q15_PARAMS),
            arg("src", "const _q15 *", Q15_IN),
            arg("dst", "_q15 *", Q15_OUT),
        ],
        ret: STATUS,
    },
    // DSPLib_utility.h
    Function {
        name: "msp_fill_q15",
        args: &[params("const msp_fill_q15_params *", &MSP_FILL_Q15_PARAMS), arg("dst", "_q15 *", Q15_OUT)],
        ret: STATUS,
    },
    // DSPLib_vector.h
    Function {
        name: "msp_add_q15",
        args: &[
            params("const msp_add_q15_params *", &MSP_ADD_Q15_PARAMS),
            arg("srcA", "const _q15 *", Q15_IN),
            arg("srcB", "const _q15 *", Q15_IN),
            arg("dst", "_q15 *", Q15_OUT),
        ],
        ret: STATUS,
    },
    Function {
        name: "msp_mac_q15",
        args: &[
            params("const msp_mac_q15_params *", &MSP_MAC_Q15_PARAMS),
            arg("srcA", "const _q15 *", Q15_IN),
            arg("srcB", "const _q15 *", Q15_IN),
            arg("result", "_iq31 *", CType::Ptr { mutable: true, to: Pointee::Scalar(Scalar::I32) }),
        ],
        ret: STATUS,
    },
    Function {
        name: "msp_offset_q15",
        args: &[
            params("const msp_offset_q15_params *", &MSP_OFFSET_Q15_PARAMS),
            arg("src", "const _q15 *", Q15_IN),
            arg("dst", "_q15 *", Q15_OUT),
        ],
        ret: STATUS,
    },
    Function {
        name: "msp_shift_q15",
        args: &[
            params("const msp_shift_q15_params *", &MSP_SHIFT_Q15_PARAMS),
            arg("src", "const _q15 *", Q15_IN),
            arg("dst", "_q15 *", Q15_OUT),
        ],
        ret: STATUS,
    },
    Function {
        name: "msp_max_q15",
        args: &[
            params("const msp_max_q15_params *", &MSP_MAX_Q15_PARAMS),
            arg("src", "const _q15 *", Q15_IN),
            arg("max", "_q15 *", Q15_OUT),
            arg("index", "uint16_t *", CType::Ptr { mutable: true, to: Pointee::Scalar(Scalar::U16) }),
        ],
        ret: STATUS,
    },
    Function {
        name: "msp_cmplx_mpy_q15",
        args: &[
            params("const msp_cmplx_mpy_q15_params *", &MSP_CMPLX_MPY_Q15_PARAMS),
            arg("srcA", "const _q15 *", Q15_IN),
            arg("srcB", "const _q15 *", Q15_IN),
            arg("dst", "_q15 *", Q15_OUT),
        ],
        ret: STATUS,
    },
];
