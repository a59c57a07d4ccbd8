//! Where the LEA can reach: the operand placement DSPLib's LEA build checks, and what the LEA itself needs.
//!
//! TI's LEA build refuses an operand that is not in LEA RAM or not aligned, before it touches the LEA:
//! `MSP_LEA_VALID_ADDRESS(x, n)` (`include/DSPLib_lea.h`) is `x >= LEAMB && x < LEAMT && x % n == 0`, checked
//! under `#ifndef MSP_DISABLE_DIAGNOSTICS` for every operand of the functions acec calls (each
//! `source/**/msp_*.c`), and the call returns `MSP_LEA_INVALID_ADDRESS`. (`msp_copy_q15` checks only its
//! destination, yet the LEA command reads the source all the same: the LEA addresses its RAM in 32-bit
//! words, `MSP_LEA_CONVERT_ADDRESS(x)` = `x >> 2`. acec's backend copies on the CPU and never calls it.)
//!
//! The stand-in runs on the CPU, which reaches every address, so without these checks a firmware that
//! would fail on a board runs clean in the simulator. It makes them, stricter than TI's in one respect: the
//! whole operand, not only its first address, must lie below the LEA parameter stack that DSPLib's
//! `msp_lea_allocMemory` grows down from LEAMT (the top 0x138 bytes, as acec's memory plan and link script
//! reserve): an operand reaching into it would be overwritten by the command's own parameters.
//!
//! On the MSP430 the checks see real addresses; compiled for the host (the stand-in's own tests) pointers
//! are host addresses, so [`operand`] accepts them all there and [`check`] is tested on numbers instead.

use crate::types::{MSP_LEA_INVALID_ADDRESS, MSP_LEA_OUT_OF_RANGE, msp_status};

/// LEAMB on the MSP430FR5994: the bottom of the 4 KB of RAM shared with the LEA (SLASE54 memory map,
/// RAM shared with LEA 0x2C00-0x3BFF).
pub const LEA_BOTTOM: usize = 0x2C00;
/// The top of what operands may use: LEAMT (0x3C00) minus the 0x138-byte LEA parameter stack.
pub const LEA_OPERAND_TOP: usize = 0x3AC8;

/// The status for an operand of `bytes` bytes at `address` that must be `align`-byte aligned (a power of
/// two), or `None` when the LEA can use it. TI checks the first address and the alignment
/// (`MSP_LEA_INVALID_ADDRESS`); an operand that starts well but runs into the parameter stack gets past
/// that check and is an out-of-range access of the command (`MSP_LEA_OUT_OF_RANGE`).
pub const fn check(address: usize, bytes: usize, align: usize) -> Option<msp_status> {
    let starts_inside = address >= LEA_BOTTOM && address < LEA_OPERAND_TOP;
    if !starts_inside || address & (align - 1) != 0 {
        Some(MSP_LEA_INVALID_ADDRESS)
    } else if bytes > LEA_OPERAND_TOP - address {
        Some(MSP_LEA_OUT_OF_RANGE)
    } else {
        None
    }
}

/// [`check`] for an operand of `elements` values of `T` at `ptr`, on the MSP430; on the host, `None`.
pub fn operand<T>(ptr: *const T, elements: usize, align: usize) -> Option<msp_status> {
    if cfg!(target_arch = "msp430") { check(ptr as usize, elements * core::mem::size_of::<T>(), align) } else { None }
}

/// The first failing status of several operand checks (TI tests them together and reports one status).
pub fn first(checks: &[Option<msp_status>]) -> Option<msp_status> {
    checks.iter().find_map(|c| *c)
}
