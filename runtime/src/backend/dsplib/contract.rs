//! Where a DSPLib call, made as its documentation suggests, would break the [`crate::Accelerator`]
//! contract, and what the backend does instead. Pure functions with no other dependency, so the host test
//! `runtime/tests/dsplib_contract.rs` checks them against models of TI's code (this module is compiled into
//! the crate for the MSP430 only, like the rest of the backend).

/// Whether `shift` needs `msp_shift_q15` at all. A shift of 0 must not reach it: TI's
/// `source/vector/msp_shift_q15.c` (DSPLib 1.30) sends every shift <= 0 to its LEA helper
/// `msp_shift_right_q15`, which copies when `src != dst` but, in place (the backend's only use), multiplies
/// by `msp_shift_right_factor_q15[0]` = `0x8000`, which the LEA reads as the Q15 value -1.0: the data would
/// come back negated. Shift 0 is the identity, so the backend skips the call.
pub const fn shift_calls_dsplib(shift: i8) -> bool {
    shift != 0
}
