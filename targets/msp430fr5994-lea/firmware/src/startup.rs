//! Reset entry (also used by targets/measure): stack, watchdog off, FRAM wait state,
//! `.data` copy and `.bss` clear ONLY (the FRAM sections `.acec.fram_data`, `.acec.persistent`,
//! `.acec.result` and the scratch `.acec.sram`/`.leaRAM` are never touched here), then `main`.
//! Plus the MSP430 EABI multiply helpers LLVM calls (`__mspabi_mpyi`, `__mspabi_mpyl`), on the 16-bit
//! hardware multiplier that mspdebug's `hwmult` simulates at the classic address 0x0130 (the FR5994's
//! MPY32 has the same 16-bit registers at 0x04C0: MPY +0, OP2 +8, RESLO +0xA, RESHI +0xC; change the
//! base for real hardware).

core::arch::global_asm!(
    r#"
    .section .text._start,"ax",@progbits
    .globl _start
_start:
    mov #_stack_top, r1
    mov #0x5a80, &0x015c        ; WDTCTL = WDTPW | WDTHOLD
    mov #0xa510, &0x0140        ; FRCTL0 = FRCTLPW | NWAITS_1 (needed above 8 MHz; plain RAM in the sim)
    mov #_sidata, r12
    mov #_sdata, r13
1:  cmp #_edata, r13
    jhs 2f
    mov @r12+, r14
    mov r14, 0(r13)
    add #2, r13
    jmp 1b
2:  mov #_sbss, r13
3:  cmp #_ebss, r13
    jhs 4f
    mov #0, 0(r13)
    add #2, r13
    jmp 3b
4:  call #main
5:  jmp 5b

    .section .text.__mspabi_mpyi,"ax",@progbits
    .globl __mspabi_mpyi
; r12 = r12 * r13 (low 16 bits)
__mspabi_mpyi:
    mov r12, &0x0130            ; MPY (unsigned: the low word is the same)
    mov r13, &0x0138            ; OP2
    mov &0x013a, r12            ; RESLO
    ret

    .section .text.__mspabi_mpyl,"ax",@progbits
    .globl __mspabi_mpyl
; r13:r12 = r13:r12 * r15:r14 (low 32 bits) = lo_a*lo_b + ((lo_a*hi_b + hi_a*lo_b) << 16);
; uses only the caller-saved r12..r15.
__mspabi_mpyl:
    mov r12, &0x0130            ; lo_a * hi_b, low word
    mov r15, &0x0138
    mov &0x013a, r15
    mov r13, &0x0130            ; + hi_a * lo_b, low word
    mov r14, &0x0138
    add &0x013a, r15
    mov r12, &0x0130            ; lo_a * lo_b, 32 bits
    mov r14, &0x0138
    mov &0x013a, r12
    mov &0x013c, r13
    add r15, r13
    ret
"#
);
