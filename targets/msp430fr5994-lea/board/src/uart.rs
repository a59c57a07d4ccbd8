//! eUSCI_A0 as a UART at 115200 8N1 from SMCLK = 16 MHz (SLAU367 "eUSCI UART Mode"), transmit only, and a
//! FRAM mirror of everything sent (`ACEC_UART_LOG`, `ACEC_UART_LEN`) that a debugger or mspdebug's
//! simulator reads back with `md`: the simulator has no eUSCI, so the mirror is what its test checks.

use crate::mmio::{read16, write16};
use crate::registers::*;

/// Bytes of the mirror; text beyond it is sent but not mirrored.
const LOG_BYTES: usize = 256;

/// The text sent since the last `open`, in FRAM (`.acec.result`: loaded as zeros, never touched by startup).
#[unsafe(no_mangle)]
#[unsafe(link_section = ".acec.result")]
pub static mut ACEC_UART_LOG: [u8; LOG_BYTES] = [0; LOG_BYTES];

/// How many bytes of `ACEC_UART_LOG` are valid: 0 while a text is being sent, written once it is complete.
#[unsafe(no_mangle)]
#[unsafe(link_section = ".acec.result")]
pub static mut ACEC_UART_LEN: u16 = 0;

/// The open UART and the mirror's write position.
pub struct Uart {
    mirrored: usize,
}

impl Uart {
    /// Configures eUSCI_A0 (held in reset while its registers change) and empties the mirror.
    pub fn open() -> Self {
        write16(UCA0CTLW0, UCSWRST);
        write16(UCA0CTLW0, UCSWRST | UCSSEL__SMCLK);
        write16(UCA0BRW, BAUD_UCBR);
        write16(UCA0MCTLW, UCOS16 | (BAUD_UCBRF * UCBRF0) | (BAUD_UCBRS * UCBRS0));
        write16(UCA0CTLW0, UCSSEL__SMCLK);
        // SAFETY: single-threaded; a volatile store to a static.
        unsafe { core::ptr::write_volatile(core::ptr::addr_of_mut!(ACEC_UART_LEN), 0) };
        Uart { mirrored: 0 }
    }

    pub fn text(&mut self, text: &str) {
        text.bytes().for_each(|b| self.byte(b));
    }

    pub fn byte(&mut self, byte: u8) {
        wait_for_transmit_buffer();
        write16(UCA0TXBUF, u16::from(byte));
        if self.mirrored < LOG_BYTES {
            // SAFETY: single-threaded; in bounds (checked above).
            unsafe { core::ptr::write_volatile(core::ptr::addr_of_mut!(ACEC_UART_LOG[self.mirrored]), byte) };
            self.mirrored += 1;
        }
    }

    /// Marks the mirrored text complete.
    pub fn close(self) {
        // SAFETY: single-threaded; a volatile store to a static.
        unsafe { core::ptr::write_volatile(core::ptr::addr_of_mut!(ACEC_UART_LEN), self.mirrored as u16) };
    }
}

/// Until UCTXIFG says the transmit buffer is free. Feature `sim`: not at all, because mspdebug's
/// simulator has no eUSCI and the flag, plain memory there, would never be set.
fn wait_for_transmit_buffer() {
    if cfg!(feature = "sim") {
        return;
    }
    while read16(UCA0IFG) & UCTXIFG == 0 {}
}
