//! The LaunchPad's pins: LED1 (P1.0) and the backchannel UART's P2.0 (UCA0TXD) and P2.1 (UCA0RXD), then
//! the GPIO unlock. SLAU367 "Digital I/O": after every reset the pins stay in their reset state until
//! PM5CTL0.LOCKLPM5 is cleared, so the ports are configured first and unlocked last.

use crate::mmio::{clear8, read16, set8, write16};
use crate::registers::*;

/// LED1 off and an output; P2.0/P2.1 to the eUSCI_A0 function (SLASE54's pin table for P2.0/P2.1:
/// P2SEL1 = 1, P2SEL0 = 0); then the unlock.
pub fn init() {
    clear8(P1OUT, BIT0);
    set8(P1DIR, BIT0);
    set8(P2SEL1, BIT0 | BIT1);
    clear8(P2SEL0, BIT0 | BIT1);
    write16(PM5CTL0, read16(PM5CTL0) & !LOCKLPM5);
}

/// LED1 on: the inference is done and its result was sent.
pub fn led_on() {
    set8(P1OUT, BIT0);
}
