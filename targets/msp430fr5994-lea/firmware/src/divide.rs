//! The MSP430 EABI helpers LLVM calls and Rust's `compiler_builtins` does not provide for msp430-none-elf:
//! division (restoring shift-subtract: only shifts, compares and subtractions) and variable 32-bit shifts
//! (arithmetic and logical, left and right), so
//! nothing here calls back into a helper.

/// `(quotient, remainder)` of `n / d` for `d != 0` (division by zero yields `(u32::MAX, n)`). Shifts are
/// by one bit only: variable 32-bit shifts would call `__mspabi_slll`/`__mspabi_srll`.
fn divide_u32(mut n: u32, d: u32) -> (u32, u32) {
    if d == 0 {
        return (u32::MAX, n);
    }
    let (mut quotient, mut remainder) = (0u32, 0u32);
    for _ in 0..32 {
        remainder = (remainder << 1) | u32::from(n & 0x8000_0000 != 0);
        n <<= 1;
        quotient <<= 1;
        if remainder >= d {
            remainder -= d;
            quotient |= 1;
        }
    }
    (quotient, remainder)
}

/// 16-bit version of [`divide_u32`] (16 steps instead of 32).
fn divide_u16(mut n: u16, d: u16) -> (u16, u16) {
    if d == 0 {
        return (u16::MAX, n);
    }
    let (mut quotient, mut remainder) = (0u16, 0u16);
    for _ in 0..16 {
        remainder = (remainder << 1) | u16::from(n & 0x8000 != 0);
        n <<= 1;
        quotient <<= 1;
        if remainder >= d {
            remainder -= d;
            quotient |= 1;
        }
    }
    (quotient, remainder)
}

#[unsafe(no_mangle)]
pub extern "C" fn __mspabi_divu(n: u16, d: u16) -> u16 {
    divide_u16(n, d).0
}

#[unsafe(no_mangle)]
pub extern "C" fn __mspabi_remu(n: u16, d: u16) -> u16 {
    divide_u16(n, d).1
}

#[unsafe(no_mangle)]
pub extern "C" fn __mspabi_divul(n: u32, d: u32) -> u32 {
    divide_u32(n, d).0
}

/// Signed 32-bit division, truncating toward zero (C semantics).
#[unsafe(no_mangle)]
pub extern "C" fn __mspabi_divli(n: i32, d: i32) -> i32 {
    let q = divide_u32(n.unsigned_abs(), d.unsigned_abs()).0 as i32;
    if (n < 0) != (d < 0) { q.wrapping_neg() } else { q }
}

/// `x` shifted one bit at a time by `step`, `n` times (`n` <= 0: unchanged), as the CPU shifts: the
/// variable 32-bit shifts LLVM calls the EABI helpers below for.
fn shift_bits(x: u32, n: i16, step: fn(u32) -> u32) -> u32 {
    (0..n.max(0)).fold(x, |x, _| step(x))
}

/// `x >> n` (arithmetic) for `n` in 0..=31 (the runtime's requantize shifts by a run-time amount).
#[unsafe(no_mangle)]
pub extern "C" fn __mspabi_sral(x: i32, n: i16) -> i32 {
    shift_bits(x as u32, n, |x| ((x as i32) >> 1) as u32) as i32
}

/// `x << n` for `n` in 0..=31 (the softmax kernel shifts by a run-time amount).
#[unsafe(no_mangle)]
pub extern "C" fn __mspabi_slll(x: u32, n: i16) -> u32 {
    shift_bits(x, n, |x| x << 1)
}

/// `x >> n` (logical) for `n` in 0..=31.
#[unsafe(no_mangle)]
pub extern "C" fn __mspabi_srll(x: u32, n: i16) -> u32 {
    shift_bits(x, n, |x| x >> 1)
}
