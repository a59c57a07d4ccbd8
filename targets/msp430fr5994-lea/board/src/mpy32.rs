//! The EABI multiply helpers on the FR5994's MPY32 (SLAU367 "32-Bit Hardware Multiplier"). The image is
//! compiled with LLVM's target feature `hwmultf5` (the F5 family's MPY32), so LLVM calls
//! `__mspabi_mpyi_f5hw` / `__mspabi_mpyl_f5hw` and never the plain `__mspabi_mpyi` / `__mspabi_mpyl` of
//! `startup.rs`, whose multiplier at 0x0130 exists only in mspdebug's simulator (0x0130 is PM5CTL0 on
//! the device): the linker drops those, and acec refuses a board image that still has them. Not in the
//! `sim` build, which keeps the simulator's helpers.
//!
//! No interrupt handler multiplies, so no helper saves the multiplier's state. Results are read with
//! absolute addressing right after the last operand write: SLAU367's result-availability table has RESLO
//! after 3 cycles (16 x 16), RES0 after 3 and RES1 after 5 (32 x 32, counted from OP2H), and each read
//! itself takes 3 cycles.

use crate::registers::{MPY, MPY32H, MPY32L, OP2, OP2H, OP2L, RES0, RES1, RESLO};

core::arch::global_asm!(
    r#"
    .section .text.__mspabi_mpyi_f5hw,"ax",@progbits
    .globl __mspabi_mpyi_f5hw
; r12 = r12 * r13 (low 16 bits: signed and unsigned agree)
__mspabi_mpyi_f5hw:
    mov r12, &{mpy}
    mov r13, &{op2}
    mov &{reslo}, r12
    ret

    .section .text.__mspabi_mpyl_f5hw,"ax",@progbits
    .globl __mspabi_mpyl_f5hw
; r13:r12 = r13:r12 * r15:r14 (low 32 bits)
__mspabi_mpyl_f5hw:
    mov r12, &{mpy32l}
    mov r13, &{mpy32h}
    mov r14, &{op2l}
    mov r15, &{op2h}
    mov &{res0}, r12
    mov &{res1}, r13
    ret
"#,
    mpy = const MPY,
    op2 = const OP2,
    reslo = const RESLO,
    mpy32l = const MPY32L,
    mpy32h = const MPY32H,
    op2l = const OP2L,
    op2h = const OP2H,
    res0 = const RES0,
    res1 = const RES1,
);
