//! `scale` against TI's DSPLib 1.30 `msp_scale_q15` (`source/vector/msp_scale_q15.c`) reproduced step by
//! step, for every Q15 input at every shift and at full-scale multipliers.

use acec_runtime::{Accelerator, SoftBackend};

/// TI's branch for MPY32 devices (the FR5994), step by step: `scale` as `int32_t` shifted left once per unit
/// of `shift`; `MPYS32L`/`MPYS32H` take its two words (a signed 32-bit operand); writing `OP2 = x` starts a
/// signed 32 x 16 multiply into `RES3..RES0`; with `MPYFRAC` set and `MPYSAT` clear, a read of `RESHI`
/// (the same register as `RES1`) returns bits 16..31 of the result shifted left one bit (TI SLAU367,
/// "MPY32": fractional mode).
fn ti_mpy32(x: i16, scale: i16, shift: u8) -> i16 {
    let mut combined = i32::from(scale);
    for _ in 0..shift {
        combined <<= 1;
    }
    let (mpys32l, mpys32h) = (combined as u16, (combined >> 16) as u16);
    let operand = i64::from((u32::from(mpys32h) << 16 | u32::from(mpys32l)) as i32);
    let res = operand * i64::from(x);
    ((res << 1) >> 16) as u16 as i16
}

/// TI's branch for devices without MPY32: `(_q15)(((int32_t)x * (int32_t)scale) >> (15 - shift))`, the
/// cast keeping the low 16 bits.
fn ti_c(x: i16, scale: i16, shift: u8) -> i16 {
    ((i32::from(x) * i32::from(scale)) >> (15 - shift)) as i16
}

#[test]
fn scale_is_msp_scale_q15_for_every_input_and_shift() {
    let inputs: Vec<i16> = (i16::MIN..=i16::MAX).collect();
    let scales = [i16::MIN, i16::MIN + 1, -16384, -12345, -1, 0, 1, 3, 16384, 23170, i16::MAX - 1, i16::MAX];
    for shift in 0..=15u8 {
        for scale in scales {
            let mut data = inputs.clone();
            SoftBackend.scale(&mut data, scale, shift).unwrap();
            for (&x, &got) in inputs.iter().zip(&data) {
                let want = ti_mpy32(x, scale, shift);
                assert_eq!(ti_c(x, scale, shift), want, "TI's two branches differ: x {x} scale {scale} shift {shift}");
                assert_eq!(got, want, "x {x} scale {scale} shift {shift}");
            }
        }
    }
}

#[test]
fn scale_wraps_where_the_product_leaves_q15() {
    let mut data = [i16::MIN, i16::MIN, 16384, 16384];
    SoftBackend.scale(&mut data[..2], i16::MIN, 0).unwrap();
    assert_eq!(data[..2], [i16::MIN; 2], "-1 * -1 = +1 wraps to -1");
    SoftBackend.scale(&mut data[2..], 16384, 2).unwrap();
    assert_eq!(data[2..], [i16::MIN; 2], "0.5 * 0.5 * 4 = +1 wraps to -1");
    let mut data = [i16::MAX, -i16::MAX];
    SoftBackend.scale(&mut data, i16::MAX, 15).unwrap();
    assert_eq!(data, [ti_c(i16::MAX, i16::MAX, 15), ti_c(-i16::MAX, i16::MAX, 15)]);
}
