//! The DSPLib backend's corrections to DSPLib (`backend/dsplib/contract.rs`), checked on the host against
//! models of TI's DSPLib 1.30 code: the backend runs on the MSP430 only, so this test includes the module's
//! source file directly (it depends on nothing else) and composes it with the model, the way the backend
//! composes it with DSPLib.

#[path = "../src/backend/dsplib/contract.rs"]
mod contract;

use acec_runtime::{Accelerator, SoftBackend};

/// TI's `msp_shift_q15` as DSPLib 1.30 builds it for the LEA (`source/vector/msp_shift_q15.c`), in place
/// (`src == dst`, the backend's only use): a positive shift is a C `<<` stored to `_q15` (the low 16 bits
/// kept); a shift <= 0 goes to `msp_shift_right_q15`, which, with `src == dst`, has the LEA multiply every
/// element by `msp_shift_right_factor_q15[-shift]` = `0x8000 >> -shift` read as a signed Q15 factor, so
/// `0x8000` (shift 0) is -1.0. The LEA's rounding of a Q15 product is not documented; floor is assumed
/// (exact for the power-of-two factors of shifts -1..=-15, whatever the rounding, except the sign of -1.0).
fn ti_shift_in_place(data: &mut [i16], shift: i8) {
    if shift > 0 {
        data.iter_mut().for_each(|x| *x = ((*x as i32) << shift) as i16);
    } else {
        let factor = (0x8000u16 >> -shift) as i16;
        data.iter_mut().for_each(|x| *x = ((*x as i32 * factor as i32) >> 15) as i16);
    }
}

/// What `DsplibBackend::shift` does to `data` once its argument checks pass.
fn backend_shift(data: &mut [i16], shift: i8) {
    if contract::shift_calls_dsplib(shift) {
        ti_shift_in_place(data, shift);
    }
}

const DATA: [i16; 8] = [1, -2, 12345, -12345, i16::MAX, -i16::MAX, 0, 0x4000];

#[test]
fn dsplib_shift_by_zero_in_place_negates() {
    // The hazard itself, so the model is known to reproduce it.
    let mut data = DATA;
    ti_shift_in_place(&mut data, 0);
    assert_eq!(data, DATA.map(|x| -x));
}

#[test]
fn backend_shift_by_zero_is_the_identity() {
    let mut data = DATA;
    backend_shift(&mut data, 0);
    assert_eq!(data, DATA, "shift 0 must leave the data as it is (TI's call would negate it)");
    let mut soft = DATA;
    SoftBackend.shift(&mut soft, 0).unwrap();
    assert_eq!(data, soft);
}

#[test]
fn backend_shift_matches_the_soft_backend_at_every_other_shift() {
    let edges = [i16::MIN, i16::MIN + 1, -1, 1, i16::MAX];
    let data: Vec<i16> = DATA.iter().chain(&edges).copied().chain([0]).collect();
    for shift in (-15..=15).filter(|&s| s != 0) {
        let mut device = data.clone();
        backend_shift(&mut device, shift);
        let mut soft = data.clone();
        SoftBackend.shift(&mut soft, shift).unwrap();
        assert_eq!(device, soft, "shift {shift}");
    }
}

/// TI's `msp_max_q15` C path (`source/vector/msp_max_q15.c`, built without `MSP_USE_LEA`): it keeps the
/// running maximum with `>=`, so of equal maxima it reports the last one's index.
fn ti_max_c_path(src: &[i16]) -> (i16, u16) {
    let (mut max, mut index) = (i16::MIN, 0);
    for (i, &x) in src.iter().enumerate() {
        if x >= max {
            (max, index) = (x, i as u16);
        }
    }
    (max, index)
}

#[test]
fn max_reports_the_first_of_equal_maxima_whichever_one_dsplib_names() {
    let cases: [&[i16]; 5] = [
        &[3, 9, -1, 9, 9, 0],
        &[i16::MIN, i16::MIN],
        &[7, 7, 7, 7],
        &[-5, -2, -9, -2],
        &[0, 1, 2, 3, 4, 32767, 32767, 1],
    ];
    for src in cases {
        let (value, first) = SoftBackend.max(src).unwrap();
        let (ti_value, last) = ti_max_c_path(src);
        assert_eq!(ti_value, value);
        if src.iter().filter(|&&x| x == value).count() > 1 {
            assert_ne!(usize::from(last), first, "TI's C path names a later maximum than the first: {src:?}");
        }
        // TI's C path names the last maximum; the LEA's choice is undocumented: try every maximum.
        for (index, _) in src.iter().enumerate().filter(|&(_, &x)| x == value) {
            assert_eq!(contract::first_max_index(src, value, index as u16), Some(first), "{src:?} at {index}");
        }
    }
}

#[test]
fn a_max_report_that_does_not_hold_is_refused() {
    let src = [1, 5, 2, 5];
    assert_eq!(contract::first_max_index(&src, 5, 2), None, "src[2] is not 5");
    assert_eq!(contract::first_max_index(&src, 5, 4), None, "index past the end");
    assert_eq!(contract::first_max_index(&src, 5, u16::MAX), None);
}
