//! The stand-in's operand placement rule on MSP430 addresses, against TI's `MSP_LEA_VALID_ADDRESS`
//! (`include/DSPLib_lea.h`: LEAMB <= x < LEAMT and x aligned) and the LEA RAM of the FR5994 (SLASE54:
//! 0x2C00-0x3BFF, the top 0x138 bytes the LEA parameter stack).

use acec_dsplib_standin::lea_ram::{LEA_BOTTOM, LEA_OPERAND_TOP, check};
use acec_dsplib_standin::types::{MSP_LEA_INVALID_ADDRESS, MSP_LEA_OUT_OF_RANGE};

#[test]
fn operands_inside_lea_ram_and_aligned_pass() {
    for (address, bytes, align) in [(0x2C00, 4, 4), (0x2C04, 128, 4), (0x3000, 2048, 2048), (0x3AC4, 4, 4)] {
        assert_eq!(check(address, bytes, align), None, "{address:#x} {bytes} {align}");
    }
    assert_eq!(check(LEA_OPERAND_TOP - 64, 64, 4), None);
}

#[test]
fn operands_dsplib_checks_outside_lea_ram_or_misaligned_are_invalid_addresses() {
    // SRAM (a stack variable), FRAM (weights, activations), misaligned, and the parameter stack.
    for (address, align) in [(0x2BFC, 4), (0x1C00, 4), (0x4000, 4), (0x2C02, 4), (0x2C40, 128), (0x3AC8, 4)] {
        assert_eq!(check(address, 4, align), Some(MSP_LEA_INVALID_ADDRESS), "{address:#x}");
    }
}

#[test]
fn an_operand_running_into_the_parameter_stack_is_an_out_of_range_access() {
    // TI accepts it by its first address; the command's parameters would overwrite its end.
    assert_eq!(check(0x3A00, 0x100, 4), Some(MSP_LEA_OUT_OF_RANGE));
    assert_eq!(check(LEA_BOTTOM, LEA_OPERAND_TOP - LEA_BOTTOM + 2, 4), Some(MSP_LEA_OUT_OF_RANGE));
}
