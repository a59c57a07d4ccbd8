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

/// The index of the first element equal to `value`, given that DSPLib's `msp_max_q15` reported the maximum
/// `value` at `index`; `None` if that report does not hold (`index` outside `src`, or `src[index] != value`).
///
/// The contract promises the first maximum; TI does not say which one its LEA path's `index` is
/// (`LEACMD__MAX` is undocumented microcode), and the C path in `source/vector/msp_max_q15.c` reports the
/// last (it compares with `>=`). Every maximum before `index` is within `src[..=index]`, so the search for
/// the first one stops at `index` at the latest.
pub fn first_max_index(src: &[i16], value: i16, index: u16) -> Option<usize> {
    let index = usize::from(index);
    if src.get(index) != Some(&value) {
        return None;
    }
    src[..=index].iter().position(|&x| x == value)
}
