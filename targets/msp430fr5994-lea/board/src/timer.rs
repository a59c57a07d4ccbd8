//! The cycle count: Timer_A0 on SMCLK (= MCLK, 16 MHz) divided by 64 (ID /8, TAIDEX /8) in continuous mode,
//! polled, no interrupts. One count is 64 cycles (4 us); the 16-bit count wraps after 4,194,304 cycles
//! (262 ms), which `TAIFG` reports. It covers this boot only: from `start` (after the clock setup) to
//! `elapsed` (the inference done); work done before a reset and resumed is not in it.

use crate::mmio::{read16, write16};
use crate::registers::*;

/// SMCLK cycles per timer count.
pub const CYCLES_PER_COUNT: u32 = 64;

/// Restarts the count at 0 (TACLR also clears the dividers, as SLAU367 asks after setting TAIDEX).
pub fn start() {
    write16(TA0EX0, TAIDEX_7);
    write16(TA0CTL, TASSEL__SMCLK | ID__8 | MC__CONTINUOUS | TACLR);
}

/// SMCLK cycles since `start`, or `None` when the count wrapped.
pub fn elapsed() -> Option<u32> {
    let count = read16(TA0R);
    if read16(TA0CTL) & TAIFG != 0 {
        return None;
    }
    Some(u32::from(count) * CYCLES_PER_COUNT)
}
