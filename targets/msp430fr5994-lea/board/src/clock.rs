//! MCLK and SMCLK at 16 MHz from the DCO, after the FRAM wait state that speed needs (SLAU367, "Clock System"
//! and "FRAM Controller"; SLASE54: 1 wait state above 8 MHz). Runs at every boot: the CS and FRCTL settings
//! are lost at every reset, brown-outs included.

use crate::mmio::write16;
use crate::registers::*;

/// FRAM first, then the clock: MCLK must never run above 8 MHz from FRAM without the wait state.
/// `startup.rs` (shared with the simulator image) writes the same FRCTL0 value at reset; it is written
/// again here from the header's names so that this order is visible, and checked, in one place.
pub fn init() {
    write16(FRCTL0, FRCTLPW | NWAITS_1);
    write16(CSCTL0, CSKEY);
    // TI's FR5994 code examples divide every clock by 4 while the DCO frequency changes (the device's DCO
    // can overshoot during the switch), then return to /1 once it has settled.
    write16(CSCTL3, DIVA__4 | DIVS__4 | DIVM__4);
    write16(CSCTL1, DCORSEL | DCOFSEL_4);
    write16(CSCTL2, SELA__VLOCLK | SELS__DCOCLK | SELM__DCOCLK);
    settle();
    write16(CSCTL3, DIVA__1 | DIVS__1 | DIVM__1);
    // Any value but the password in the high byte locks the CS registers again.
    write16(CSCTL0, 0);
}

/// About 60 MCLK cycles (TI's examples wait that long for the DCO before removing the dividers).
fn settle() {
    for _ in 0..16 {
        // SAFETY: a `nop`.
        unsafe { core::arch::asm!("nop") };
    }
}
