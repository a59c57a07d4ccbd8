//! acec's DSPLib declarations (`backend/dsplib/ffi.rs`) against TI's DSPLib 1.30 prototypes and structs
//! (`backend/dsplib/abi.rs`), on the host.
//!
//! The backend is compiled for the MSP430 only (its `extern "C"` functions exist only in TI's library), so
//! the crate does not export these modules; this test includes their source files directly instead. They
//! depend on one another through `super::` and on nothing else, so they compile here unchanged, and the
//! descriptions they produce are target-independent data. What is target-dependent, the real offsets and
//! sizes of the structs, the MSP430 build asserts with `offset_of!`/`size_of` against the same table.

#[path = "../src/backend/dsplib/abi.rs"]
mod abi;
#[allow(dead_code, reason = "the device-only check `matches_device` is not used on the host")]
#[path = "../src/backend/dsplib/conform.rs"]
mod conform;
#[path = "../src/backend/dsplib/ctype.rs"]
mod ctype;
#[path = "../src/backend/dsplib/declare.rs"]
mod declare;
#[allow(dead_code, reason = "declared for the device: the host reads only their descriptions")]
#[path = "../src/backend/dsplib/ffi.rs"]
mod ffi;

use conform::{Mismatch, Problem};
use ctype::{Arg, CType, Function, Layout, Pointee, Scalar};

#[test]
fn every_declaration_matches_tis_prototype() {
    assert_eq!(conform::check_functions(ffi::DECLARED, abi::FUNCTIONS), Ok(()));
}

#[test]
fn tis_struct_table_follows_the_eabi_layout_rule() {
    for layout in abi::STRUCTS {
        assert_eq!(conform::check_placement(layout), Ok(()), "{}", layout.name);
    }
}

#[test]
fn every_rust_struct_matches_each_ti_struct_it_mirrors() {
    for (ours, mirrors) in ffi::STRUCTS {
        for theirs in *mirrors {
            assert_eq!(conform::check_layout(ours, theirs), Ok(()), "{} as {}", ours.name, theirs.name);
        }
    }
}

#[test]
fn every_ti_struct_is_mirrored_by_a_rust_struct() {
    for theirs in abi::STRUCTS {
        let mirrored = ffi::STRUCTS.iter().any(|(_, mirrors)| mirrors.iter().any(|m| m.name == theirs.name));
        assert!(mirrored, "{} has no Rust struct", theirs.name);
    }
}

/// The EABI rule on examples worked by hand from SLAA534 (sizes 1/2/4, alignment 1 for bytes and 2 for
/// the rest, 16-bit pointers): the padding before a pointer after a `bool`, tail padding after a byte, a
/// 32-bit member aligned to 2 only.
#[test]
fn eabi_rule_pads_as_the_msp430_abi_does() {
    let u8_ = CType::Scalar(Scalar::U8);
    let ptr = CType::Ptr { mutable: false, to: Pointee::Scalar(Scalar::I16) };
    let fft = ctype::place([
        ("length", "", CType::Scalar(Scalar::U16)),
        ("bitReverse", "", CType::Scalar(Scalar::Bool)),
        ("twiddleTable", "", ptr),
    ]);
    assert_eq!(fft.map(|f| f.offset), [0, 2, 4]);
    assert_eq!(ctype::struct_size(&fft), 6);
    let tail = ctype::place([("length", "", CType::Scalar(Scalar::U16)), ("shift", "", u8_)]);
    assert_eq!(ctype::struct_size(&tail), 4);
    let wide = ctype::place([("byte", "", u8_), ("word", "", CType::Scalar(Scalar::I32))]);
    assert_eq!(wide.map(|f| f.offset), [0, 2]);
    assert_eq!(ctype::struct_size(&wide), 6);
    let bytes = ctype::place([("a", "", u8_), ("b", "", u8_), ("c", "", u8_)]);
    assert_eq!(ctype::struct_size(&bytes), 3, "a struct of bytes is byte-aligned");
}

/// The declaration acec had before: three parameters, so DSPLib's LEA path wrote the index through
/// whatever the fourth argument register held.
#[test]
fn the_check_refuses_the_three_argument_msp_max_q15() {
    const LENGTH: Layout = ffi::MspLengthParams::LAYOUT;
    const OLD: Function = Function {
        name: "msp_max_q15",
        args: &[
            Arg { name: "params", spelling: "", ty: CType::Ptr { mutable: false, to: Pointee::Struct(&LENGTH) } },
            Arg { name: "src", spelling: "", ty: CType::Ptr { mutable: false, to: Pointee::Scalar(Scalar::I16) } },
            Arg { name: "max", spelling: "", ty: CType::Ptr { mutable: true, to: Pointee::Scalar(Scalar::I16) } },
        ],
        ret: Arg { name: "", spelling: "", ty: CType::Scalar(Scalar::I16) },
    };
    let theirs = conform::find("msp_max_q15", abi::FUNCTIONS).expect("in the table");
    let problem = Problem::Arity { ours: 3, theirs: 4 };
    assert_eq!(conform::check_function(&OLD, theirs), Err(Mismatch { item: "msp_max_q15", problem }));
}

#[test]
fn the_check_refuses_a_mistyped_or_misplaced_member() {
    // `shift` as `i16` instead of TI's `int8_t`.
    const WIDE: [ctype::Field; 2] =
        ctype::place([("length", "u16", CType::Scalar(Scalar::U16)), ("shift", "i16", CType::Scalar(Scalar::I16))]);
    let wide = Layout { name: "MspShiftQ15Params", fields: &WIDE, size: ctype::struct_size(&WIDE) };
    let field = Mismatch { item: "msp_shift_q15_params", problem: Problem::Field { index: 1 } };
    assert_eq!(conform::check_layout(&wide, &abi::MSP_SHIFT_Q15_PARAMS), Err(field));
    // FIR's members in 1.2x order (no `enableCircularBuffer`).
    const OLD_FIR: [ctype::Field; 3] = ctype::place([
        ("length", "u16", CType::Scalar(Scalar::U16)),
        ("tap_length", "u16", CType::Scalar(Scalar::U16)),
        ("coeffs", "*const i16", CType::Ptr { mutable: false, to: Pointee::Scalar(Scalar::I16) }),
    ]);
    let old = Layout { name: "MspFirQ15Params", fields: &OLD_FIR, size: ctype::struct_size(&OLD_FIR) };
    let count = Mismatch { item: "msp_fir_q15_params", problem: Problem::FieldCount { ours: 3, theirs: 4 } };
    assert_eq!(conform::check_layout(&old, &abi::MSP_FIR_Q15_PARAMS), Err(count));
}

#[test]
fn names_compare_across_snake_and_camel_case() {
    assert!(conform::same_name("tap_length", "tapLength"));
    assert!(conform::same_name("src_a", "srcA"));
    assert!(!conform::same_name("src_a", "srcB"));
    assert!(!conform::same_name("src", "srcA"));
}
