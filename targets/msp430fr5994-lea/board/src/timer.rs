//! The cycle count: Timer_A0 on SMCLK (= MCLK, 16 MHz) divided by 64 (ID /8, TAIDEX /8) in continuous mode,
//! and its overflow interrupt (TIMER0_A1_VECTOR, placed by `vectors.x`) counting the wraps of the 16-bit
//! count. One count is 64 cycles (4 us); 1,024 wraps (268 s) exceed the 32-bit cycle count. It covers this
//! boot only: from `start` (after the clock setup) to `stop` (the inference done); work done before a
//! reset and resumed is not in it. mspdebug's simulator has no Timer_A: there the count is meaningless.

use crate::mmio::{read16, write16};
use crate::registers::*;

/// SMCLK cycles per timer count.
pub const CYCLES_PER_COUNT: u32 = 64;

/// Wraps of the count since `start`, counted by `acec_ta0_overflow` (SRAM: zeroed by startup at every boot).
#[unsafe(no_mangle)]
static mut ACEC_TIMER_WRAPS: u16 = 0;

// The overflow handler: clears TAIFG and counts. It touches nothing else (no multiplier, no model state),
// so it may interrupt any code, the EABI helpers included.
core::arch::global_asm!(
    r#"
    .section .text.acec_ta0_overflow,"ax",@progbits
    .globl acec_ta0_overflow
acec_ta0_overflow:
    bic #{taifg}, &{ta0ctl}
    add #1, &{wraps}
    reti

    .section __interrupt_vector_timer0_a1,"a",@progbits
    .word acec_ta0_overflow
"#,
    taifg = const TAIFG,
    ta0ctl = const TA0CTL,
    wraps = sym ACEC_TIMER_WRAPS,
);

/// Restarts the count at 0 (TACLR also clears the dividers, as SLAU367 asks after setting TAIDEX) with the
/// overflow interrupt on, and enables interrupts (GIE; TI's `nop` on either side of `eint`). The only other
/// interrupt an image takes is DSPLib's LEA interrupt (`--dsplib`), which its functions wait for in LPM0.
pub fn start() {
    write16(TA0EX0, TAIDEX_7);
    write16(TA0CTL, TASSEL__SMCLK | ID__8 | MC__CONTINUOUS | TACLR | TAIE);
    // SAFETY: enabling interrupts; both handlers are above and in DSPLib, and neither touches Rust state.
    unsafe { core::arch::asm!("nop", "eint", "nop") };
}

/// Stops the count and interrupts; the SMCLK cycles since `start`, or `None` when they exceed 32 bits.
pub fn stop() -> Option<u32> {
    // SAFETY: disabling interrupts.
    unsafe { core::arch::asm!("dint", "nop") };
    write16(TA0CTL, TASSEL__SMCLK | ID__8 | MC__STOP);
    // A wrap not yet counted (interrupts went off first) leaves TAIFG set.
    let pending = u32::from(read16(TA0CTL) & TAIFG != 0);
    // SAFETY: interrupts are off: nothing else writes it now.
    let wraps = u32::from(unsafe { core::ptr::read_volatile(core::ptr::addr_of!(ACEC_TIMER_WRAPS)) }) + pending;
    let counts = wraps.checked_mul(0x1_0000)?.checked_add(u32::from(read16(TA0R)))?;
    counts.checked_mul(CYCLES_PER_COUNT)
}
