//! The stand-in called as C calls it (raw pointers, TI's structs), on the host: each function against the
//! kernel it forwards to, its statuses for the argument errors TI's code checks, and in-place operation.

use acec_dsplib_standin::types::*;
use acec_dsplib_standin::*;
use acec_runtime::SpectrumLayout;
use acec_runtime::kernels::{complex, fft_fixed, fir, split};

/// Deterministic test data (xorshift32), full scale.
fn data(len: usize, seed: u32) -> Vec<i16> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as i16
        })
        .collect()
}

fn fft_params(length: u16, bit_reverse: bool) -> msp_cmplx_fft_q15_params {
    msp_cmplx_fft_q15_params { length, bitReverse: bit_reverse, twiddleTable: core::ptr::null() }
}

#[test]
fn the_complex_fft_is_the_kernel_and_refuses_what_it_cannot_compute() {
    for points in [1u16, 2, 4, 16, 64, 512] {
        let input = data(2 * usize::from(points), u32::from(points));
        let mut expected = input.clone();
        fft_fixed::cmplx_fft_fixed(&mut expected);
        let mut got = input.clone();
        assert_eq!(unsafe { msp_cmplx_fft_fixed_q15(&fft_params(points, true), got.as_mut_ptr()) }, MSP_SUCCESS);
        assert_eq!(got, expected, "{points} points");
    }
    let mut buffer = data(2 * 1024, 7);
    let before = buffer.clone();
    for (length, bit_reverse, status) in [
        (16, false, MSP_SIZE_ERROR),
        (12, true, MSP_SIZE_ERROR),
        (0, true, MSP_SIZE_ERROR),
        (1024, true, MSP_TABLE_SIZE_ERROR),
    ] {
        let params = fft_params(length, bit_reverse);
        assert_eq!(unsafe { msp_cmplx_fft_fixed_q15(&params, buffer.as_mut_ptr()) }, status, "{length}");
    }
    assert_eq!(buffer, before, "a refused call leaves the data alone");
}

#[test]
fn the_split_is_the_kernel_and_refuses_short_and_odd_lengths() {
    for length in [4u16, 16, 64, 512] {
        let input = data(usize::from(length), 3);
        let mut expected = input.clone();
        split::split(&mut expected);
        let mut got = input.clone();
        let params = msp_split_q15_params { length, twiddleTable: core::ptr::null() };
        assert_eq!(unsafe { msp_split_q15(&params, got.as_mut_ptr()) }, MSP_SUCCESS);
        assert_eq!(got, expected, "{length}");
    }
    let mut buffer = data(1024, 5);
    for (length, status) in [(2, MSP_SIZE_ERROR), (48, MSP_SIZE_ERROR), (1024, MSP_TABLE_SIZE_ERROR)] {
        let params = msp_split_q15_params { length, twiddleTable: core::ptr::null() };
        assert_eq!(unsafe { msp_split_q15(&params, buffer.as_mut_ptr()) }, status, "{length}");
    }
}

#[test]
fn add_saturates_in_place_with_either_source_as_destination() {
    let a: Vec<i16> = (0..40).map(|i| if i % 2 == 0 { 30000 } else { -30000 + i }).collect();
    let b = data(40, 11);
    let expected: Vec<i16> = a.iter().zip(&b).map(|(x, y)| x.saturating_add(*y)).collect();
    let params = msp_add_q15_params { length: 40 };
    let mut out = vec![0i16; 40];
    assert_eq!(unsafe { msp_add_q15(&params, a.as_ptr(), b.as_ptr(), out.as_mut_ptr()) }, MSP_SUCCESS);
    assert_eq!(out, expected);
    let mut acc = b.clone();
    assert_eq!(unsafe { msp_add_q15(&params, a.as_ptr(), acc.as_ptr(), acc.as_mut_ptr()) }, MSP_SUCCESS);
    assert_eq!(acc, expected, "dst == srcB");
    let mut acc = a.clone();
    assert_eq!(unsafe { msp_add_q15(&params, acc.as_ptr(), b.as_ptr(), acc.as_mut_ptr()) }, MSP_SUCCESS);
    assert_eq!(acc, expected, "dst == srcA");
    let mut both = a.clone();
    let doubled: Vec<i16> = a.iter().map(|x| x.saturating_add(*x)).collect();
    assert_eq!(unsafe { msp_add_q15(&params, both.as_ptr(), both.as_ptr(), both.as_mut_ptr()) }, MSP_SUCCESS);
    assert_eq!(both, doubled, "srcA == srcB == dst");
    let odd = msp_add_q15_params { length: 39 };
    assert_eq!(unsafe { msp_add_q15(&odd, a.as_ptr(), b.as_ptr(), out.as_mut_ptr()) }, MSP_SIZE_ERROR);
}

#[test]
fn shift_wraps_left_floors_right_and_checks_its_range() {
    let src: Vec<i16> = vec![0x1234, -3, 0x4001, -32768];
    let shift = |shift: i8, data: &mut Vec<i16>| {
        let params = msp_shift_q15_params { length: data.len() as u16, shift };
        unsafe { msp_shift_q15(&params, data.as_ptr(), data.as_mut_ptr()) }
    };
    let mut left = src.clone();
    assert_eq!(shift(3, &mut left), MSP_SUCCESS);
    assert_eq!(left, vec![0x1234i16 << 3, -24, 0x0008, 0]);
    let mut right = src.clone();
    assert_eq!(shift(-3, &mut right), MSP_SUCCESS);
    assert_eq!(right, vec![0x0246, -1, 0x0800, -4096]);
    let mut same = src.clone();
    assert_eq!(shift(0, &mut same), MSP_SUCCESS);
    assert_eq!(same, src, "shift 0 is the identity (TI's C path)");
    assert_eq!(shift(16, &mut same), MSP_SHIFT_SIZE_ERROR);
    assert_eq!(shift(-16, &mut same), MSP_SHIFT_SIZE_ERROR);
    let mut out = vec![0i16; 4];
    let params = msp_shift_q15_params { length: 4, shift: -1 };
    assert_eq!(unsafe { msp_shift_q15(&params, src.as_ptr(), out.as_mut_ptr()) }, MSP_SUCCESS);
    assert_eq!(out, vec![0x091A, -2, 0x2000, -16384]);
}

#[test]
fn max_reports_the_last_of_equal_maxima_as_ti_c_code_does() {
    let src: Vec<i16> = vec![5, 9, -2, 9, 9, 1];
    let (mut value, mut index) = (0i16, 0u16);
    let params = msp_max_q15_params { length: 6 };
    assert_eq!(unsafe { msp_max_q15(&params, src.as_ptr(), &mut value, &mut index) }, MSP_SUCCESS);
    assert_eq!((value, index), (9, 4));
    let all_min = [i16::MIN; 4];
    let params = msp_max_q15_params { length: 4 };
    assert_eq!(unsafe { msp_max_q15(&params, all_min.as_ptr(), &mut value, &mut index) }, MSP_SUCCESS);
    assert_eq!((value, index), (i16::MIN, 3));
    let empty = msp_max_q15_params { length: 0 };
    assert_eq!(unsafe { msp_max_q15(&empty, core::ptr::null(), &mut value, &mut index) }, MSP_SUCCESS);
    assert_eq!((value, index), (i16::MIN, 0xFFFF));
    let odd = msp_max_q15_params { length: 5 };
    assert_eq!(unsafe { msp_max_q15(&odd, src.as_ptr(), &mut value, &mut index) }, MSP_SIZE_ERROR);
}

#[test]
fn mac_doubles_into_q31_and_saturates() {
    let a: Vec<i16> = vec![16384, -16384, 100, 7];
    let b: Vec<i16> = vec![16384, 16384, -3, 5];
    let mut result = 0i32;
    let params = msp_mac_q15_params { length: 4 };
    assert_eq!(unsafe { msp_mac_q15(&params, a.as_ptr(), b.as_ptr(), &mut result) }, MSP_SUCCESS);
    assert_eq!(result, 2 * (16384 * 16384 - 16384 * 16384 - 300 + 35));
    let full = [i16::MIN; 2];
    let params = msp_mac_q15_params { length: 2 };
    assert_eq!(unsafe { msp_mac_q15(&params, full.as_ptr(), full.as_ptr(), &mut result) }, MSP_SUCCESS);
    assert_eq!(result, i32::MAX);
    let odd = msp_mac_q15_params { length: 3 };
    assert_eq!(unsafe { msp_mac_q15(&odd, a.as_ptr(), b.as_ptr(), &mut result) }, MSP_SIZE_ERROR);
}

#[test]
fn fir_reads_history_then_samples_and_refuses_odd_and_circular_calls() {
    let (length, taps) = (8usize, 4usize);
    let src = data(length + taps - 1, 9);
    let coeffs = data(taps, 13);
    let mut expected = vec![0i16; length];
    fir::fir(&src, &coeffs, &mut expected).unwrap();
    let params = |length, taps, circular| msp_fir_q15_params {
        length,
        tapLength: taps,
        coeffs: coeffs.as_ptr(),
        enableCircularBuffer: circular,
    };
    let mut out = vec![1i16; length];
    assert_eq!(unsafe { msp_fir_q15(&params(8, 4, false), src.as_ptr(), out.as_mut_ptr()) }, MSP_SUCCESS);
    assert_eq!(out, expected);
    assert_eq!(unsafe { msp_fir_q15(&params(8, 0, false), src.as_ptr(), out.as_mut_ptr()) }, MSP_SUCCESS);
    assert_eq!(out, vec![0; length], "no taps sum to 0");
    for (l, t, c) in [(7, 4, false), (8, 3, false), (8, 4, true)] {
        assert_eq!(unsafe { msp_fir_q15(&params(l, t, c), src.as_ptr(), out.as_mut_ptr()) }, MSP_SIZE_ERROR);
    }
}

#[test]
fn complex_multiply_is_the_complex_layout_kernel_and_works_in_place() {
    let (a, b) = (data(64, 17), data(64, 19));
    let mut expected = vec![0i16; 64];
    complex::cmplx_mpy(SpectrumLayout::Complex, &a, &b, &mut expected).unwrap();
    let params = msp_cmplx_mpy_q15_params { length: 32 };
    let mut in_place = a.clone();
    assert_eq!(
        unsafe { msp_cmplx_mpy_q15(&params, in_place.as_ptr(), b.as_ptr(), in_place.as_mut_ptr()) },
        MSP_SUCCESS
    );
    assert_eq!(in_place, expected);
    let odd = msp_cmplx_mpy_q15_params { length: 31 };
    assert_eq!(unsafe { msp_cmplx_mpy_q15(&odd, a.as_ptr(), b.as_ptr(), in_place.as_mut_ptr()) }, MSP_SIZE_ERROR);
}

#[test]
fn offset_saturates_and_fill_moves_pairs() {
    let mut x: Vec<i16> = vec![32000, -32000, 0, 1];
    let params = msp_offset_q15_params { length: 4, offset: 1000 };
    assert_eq!(unsafe { msp_offset_q15(&params, x.as_ptr(), x.as_mut_ptr()) }, MSP_SUCCESS);
    assert_eq!(x, vec![32767, -31000, 1000, 1001]);
    let params = msp_fill_q15_params { length: 4, value: -7 };
    assert_eq!(unsafe { msp_fill_q15(&params, x.as_mut_ptr()) }, MSP_SUCCESS);
    assert_eq!(x, vec![-7; 4]);
    let src = data(36, 23);
    let mut dst = vec![0i16; 36];
    let odd = msp_fill_q15_params { length: 3, value: 0 };
    assert_eq!(unsafe { msp_fill_q15(&odd, dst.as_mut_ptr()) }, MSP_SIZE_ERROR);
    let odd = msp_offset_q15_params { length: 3, offset: 0 };
    assert_eq!(unsafe { msp_offset_q15(&odd, src.as_ptr(), dst.as_mut_ptr()) }, MSP_SIZE_ERROR);
}
