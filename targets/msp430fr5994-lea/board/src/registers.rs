//! Every MSP430FR5994 register address and bit value the LaunchPad harness uses, in one place, as TI's
//! device header defines them: `msp430fr5994.h` of TI's MSP430 GCC support files
//! (`__MSP430_HEADER_VERSION__` 1206). An address is the header's module base
//! (`__MSP430_BASEADDRESS_<module>__`) plus the register's offset (`OFS_<register>`); a bit value is the
//! header's `#define` of the same name. Meaning: SLAU367 (FR58xx/FR59xx family user's guide) and SLASE54
//! (the FR5994 datasheet). `compiler/tests/board_registers.rs` checks each value against a transcription of
//! the header, so nothing here is typed twice by hand.
#![allow(dead_code)] // the `sim` build leaves the MPY32 helpers out; the host test reads every constant

// FRAM controller (FRCTL_A, base 0x0140): one wait state is needed above 8 MHz.
/// `__MSP430_BASEADDRESS_FRCTL_A__` + `OFS_FRCTL0`.
pub const FRCTL0: u16 = 0x0140;
/// `FRCTLPW`: the password in the high byte of every FRCTL0 write.
pub const FRCTLPW: u16 = 0xA500;
/// `NWAITS_1`: one FRAM wait state.
pub const NWAITS_1: u16 = 0x0010;

// Clock system (CS, base 0x0160).
/// `__MSP430_BASEADDRESS_CS__` + `OFS_CSCTL0`: the password register.
pub const CSCTL0: u16 = 0x0160;
/// `__MSP430_BASEADDRESS_CS__` + `OFS_CSCTL1`: DCO range and frequency.
pub const CSCTL1: u16 = 0x0162;
/// `__MSP430_BASEADDRESS_CS__` + `OFS_CSCTL2`: clock sources.
pub const CSCTL2: u16 = 0x0164;
/// `__MSP430_BASEADDRESS_CS__` + `OFS_CSCTL3`: clock dividers.
pub const CSCTL3: u16 = 0x0166;
/// `CSKEY`: unlocks the CS registers; any other value in the high byte locks them.
pub const CSKEY: u16 = 0xA500;
/// `DCORSEL`: the DCO's high range.
pub const DCORSEL: u16 = 0x0040;
/// `DCOFSEL_4`: 16 MHz with `DCORSEL` (the header's comment: "If DCORSEL = 1: 16 MHz").
pub const DCOFSEL_4: u16 = 0x0008;
/// `SELA__VLOCLK`: ACLK from the VLO (ACLK is unused; the VLO needs no crystal).
pub const SELA__VLOCLK: u16 = 0x0100;
/// `SELS__DCOCLK`: SMCLK (the UART and the timer) from the DCO.
pub const SELS__DCOCLK: u16 = 0x0030;
/// `SELM__DCOCLK`: MCLK (the CPU) from the DCO.
pub const SELM__DCOCLK: u16 = 0x0003;
/// `DIVA__1`.
pub const DIVA__1: u16 = 0x0000;
/// `DIVS__1`.
pub const DIVS__1: u16 = 0x0000;
/// `DIVM__1`.
pub const DIVM__1: u16 = 0x0000;
/// `DIVA__4`.
pub const DIVA__4: u16 = 0x0200;
/// `DIVS__4`.
pub const DIVS__4: u16 = 0x0020;
/// `DIVM__4`.
pub const DIVM__4: u16 = 0x0002;

// Power management (PMM, base 0x0120). The simulator's multiplier sits at this very address.
/// `__MSP430_BASEADDRESS_PMM__` + `OFS_PM5CTL0`.
pub const PM5CTL0: u16 = 0x0130;
/// `LOCKLPM5`: set at every reset; the pins keep their reset state until it is cleared.
pub const LOCKLPM5: u16 = 0x0001;

// Digital I/O (PORT1_R and PORT2_R, both based at 0x0200 with the port's own offsets; byte registers).
/// `__MSP430_BASEADDRESS_PORT1_R__` + `OFS_P1OUT`.
pub const P1OUT: u16 = 0x0202;
/// `__MSP430_BASEADDRESS_PORT1_R__` + `OFS_P1DIR`.
pub const P1DIR: u16 = 0x0204;
/// `__MSP430_BASEADDRESS_PORT2_R__` + `OFS_P2SEL0`.
pub const P2SEL0: u16 = 0x020B;
/// `__MSP430_BASEADDRESS_PORT2_R__` + `OFS_P2SEL1`.
pub const P2SEL1: u16 = 0x020D;
/// `BIT0`: P1.0 is LED1 (red) on the MSP-EXP430FR5994; P2.0 is UCA0TXD.
pub const BIT0: u8 = 0x01;
/// `BIT1`: P2.1 is UCA0RXD.
pub const BIT1: u8 = 0x02;

// eUSCI_A0 (base 0x05C0): the UART on the LaunchPad's eZ-FET backchannel.
/// `__MSP430_BASEADDRESS_EUSCI_A0__` + `OFS_UCA0CTLW0`.
pub const UCA0CTLW0: u16 = 0x05C0;
/// `__MSP430_BASEADDRESS_EUSCI_A0__` + `OFS_UCA0BRW`.
pub const UCA0BRW: u16 = 0x05C6;
/// `__MSP430_BASEADDRESS_EUSCI_A0__` + `OFS_UCA0MCTLW`.
pub const UCA0MCTLW: u16 = 0x05C8;
/// `__MSP430_BASEADDRESS_EUSCI_A0__` + `OFS_UCA0TXBUF`.
pub const UCA0TXBUF: u16 = 0x05CE;
/// `__MSP430_BASEADDRESS_EUSCI_A0__` + `OFS_UCA0IFG`.
pub const UCA0IFG: u16 = 0x05DC;
/// `UCSWRST`: holds the eUSCI in reset while it is configured.
pub const UCSWRST: u16 = 0x0001;
/// `UCSSEL__SMCLK`: the baud-rate clock is SMCLK.
pub const UCSSEL__SMCLK: u16 = 0x0080;
/// `UCOS16`: oversampling baud-rate generation.
pub const UCOS16: u16 = 0x0001;
/// `UCBRF0`: the unit of the first modulation stage UCBRFx (bits 4..7).
pub const UCBRF0: u16 = 0x0010;
/// `UCBRS0`: the unit of the second modulation stage UCBRSx (bits 8..15).
pub const UCBRS0: u16 = 0x0100;
/// `UCTXIFG`: the transmit buffer is empty.
pub const UCTXIFG: u16 = 0x0002;

// 115200 8N1 from SMCLK = 16 MHz (SLAU367 "Setting a Baud Rate": N = 16e6 / 115200 = 138.89; with UCOS16,
// UCBRx = INT(N / 16) = 8, UCBRFx = INT(((N / 16) - 8) * 16) = 10, UCBRSx = 0xF7 from the fraction 0.889 of
// N in the table of UCBRSx settings; the same row as SLAU367's baud-rate table for 16 MHz / 115200). The
// test recomputes them from the formula.
/// UCBRx for 115200 baud from 16 MHz.
pub const BAUD_UCBR: u16 = 8;
/// UCBRFx for 115200 baud from 16 MHz.
pub const BAUD_UCBRF: u16 = 10;
/// UCBRSx for 115200 baud from 16 MHz.
pub const BAUD_UCBRS: u16 = 0xF7;

// Timer_A0 (TA0, base 0x0340): the cycle count.
/// `__MSP430_BASEADDRESS_TA0__` + `OFS_TA0CTL`.
pub const TA0CTL: u16 = 0x0340;
/// `__MSP430_BASEADDRESS_TA0__` + `OFS_TA0R`.
pub const TA0R: u16 = 0x0350;
/// `__MSP430_BASEADDRESS_TA0__` + `OFS_TA0EX0`.
pub const TA0EX0: u16 = 0x0360;
/// `TASSEL__SMCLK`.
pub const TASSEL__SMCLK: u16 = 0x0200;
/// `ID__8`: input divider /8.
pub const ID__8: u16 = 0x00C0;
/// `TAIDEX_7`: expansion divider /8 (with `ID__8`: one count per 64 SMCLK cycles).
pub const TAIDEX_7: u16 = 0x0007;
/// `MC__STOP`: the count halts.
pub const MC__STOP: u16 = 0x0000;
/// `MC__CONTINUOUS`: counts 0 to 0xFFFF and wraps, setting `TAIFG`.
pub const MC__CONTINUOUS: u16 = 0x0020;
/// `TACLR`: clears the count and the dividers.
pub const TACLR: u16 = 0x0004;
/// `TAIFG`: the count wrapped.
pub const TAIFG: u16 = 0x0001;
/// `TAIE`: a wrap raises TIMER0_A1_VECTOR.
pub const TAIE: u16 = 0x0002;

// MPY32 (base 0x04C0): the hardware multiplier the board's EABI helpers use.
/// `__MSP430_BASEADDRESS_MPY32__` + `OFS_MPY`: 16-bit first operand, unsigned multiply.
pub const MPY: u16 = 0x04C0;
/// `__MSP430_BASEADDRESS_MPY32__` + `OFS_OP2`: 16-bit second operand; writing it starts the multiply.
pub const OP2: u16 = 0x04C8;
/// `__MSP430_BASEADDRESS_MPY32__` + `OFS_RESLO`.
pub const RESLO: u16 = 0x04CA;
/// `__MSP430_BASEADDRESS_MPY32__` + `OFS_MPY32L`: 32-bit first operand, low word, unsigned multiply.
pub const MPY32L: u16 = 0x04D0;
/// `__MSP430_BASEADDRESS_MPY32__` + `OFS_MPY32H`.
pub const MPY32H: u16 = 0x04D2;
/// `__MSP430_BASEADDRESS_MPY32__` + `OFS_OP2L`.
pub const OP2L: u16 = 0x04E0;
/// `__MSP430_BASEADDRESS_MPY32__` + `OFS_OP2H`: writing it starts the 32 x 32 multiply.
pub const OP2H: u16 = 0x04E2;
/// `__MSP430_BASEADDRESS_MPY32__` + `OFS_RES0`: result bits 0..15.
pub const RES0: u16 = 0x04E4;
/// `__MSP430_BASEADDRESS_MPY32__` + `OFS_RES1`: result bits 16..31.
pub const RES1: u16 = 0x04E6;
