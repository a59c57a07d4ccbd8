//! A transcription of TI's MSP430FR5994 device header, the independent reference the board harness's
//! register values are checked against (tests `board_registers.rs` and `firmware_board.rs`).
//!
//! Header: `include/msp430fr5994.h` of TI's MSP430 GCC support files, `__MSP430_HEADER_VERSION__` 1206 (the
//! copy read: github.com/YuboLuo/mspgcc_v7.3.2.154, commit 194a28f2). An address there is a module base
//! (`__MSP430_BASEADDRESS_<module>__`) plus a register offset (`OFS_<register>`); the tables keep the
//! header's names and values as they stand, so a reader can check them line by line.

/// `#define __MSP430_BASEADDRESS_<module>__ <value>` lines of the header.
pub const BASES: &[(&str, u16)] = &[
    ("__MSP430_BASEADDRESS_FRCTL_A__", 0x0140),
    ("__MSP430_BASEADDRESS_CS__", 0x0160),
    ("__MSP430_BASEADDRESS_PMM__", 0x0120),
    ("__MSP430_BASEADDRESS_PORT1_R__", 0x200),
    ("__MSP430_BASEADDRESS_PORT2_R__", 0x200),
    ("__MSP430_BASEADDRESS_EUSCI_A0__", 0x05C0),
    ("__MSP430_BASEADDRESS_TA0__", 0x0340),
    ("__MSP430_BASEADDRESS_MPY32__", 0x04C0),
];

/// `#define OFS_<register> (<value>)` and bit `#define`s of the header.
pub const DEFINES: &[(&str, u16)] = &[
    ("OFS_FRCTL0", 0x0000),
    ("FRCTLPW", 0xa500),
    ("NWAITS_1", 0x0010),
    ("OFS_CSCTL0", 0x0000),
    ("OFS_CSCTL1", 0x0002),
    ("OFS_CSCTL2", 0x0004),
    ("OFS_CSCTL3", 0x0006),
    ("CSKEY", 0xa500),
    ("DCORSEL", 0x0040),
    ("DCOFSEL_4", 0x0008),
    ("SELA__VLOCLK", 0x0100),
    ("SELS__DCOCLK", 0x0030),
    ("SELM__DCOCLK", 0x0003),
    ("DIVA__1", 0x0000),
    ("DIVS__1", 0x0000),
    ("DIVM__1", 0x0000),
    ("DIVA__4", 0x0200),
    ("DIVS__4", 0x0020),
    ("DIVM__4", 0x0002),
    ("OFS_PM5CTL0", 0x0010),
    ("LOCKLPM5", 0x0001),
    ("OFS_P1OUT", 0x0002),
    ("OFS_P1DIR", 0x0004),
    ("OFS_P2SEL0", 0x000B),
    ("OFS_P2SEL1", 0x000D),
    ("BIT0", 0x0001),
    ("BIT1", 0x0002),
    ("OFS_UCA0CTLW0", 0x0000),
    ("OFS_UCA0BRW", 0x0006),
    ("OFS_UCA0MCTLW", 0x0008),
    ("OFS_UCA0TXBUF", 0x000E),
    ("OFS_UCA0IFG", 0x001C),
    ("UCSWRST", 0x0001),
    ("UCSSEL__SMCLK", 0x0080),
    ("UCOS16", 0x0001),
    ("UCBRF0", 0x0010),
    ("UCBRS0", 0x0100),
    ("UCTXIFG", 0x0002),
    ("OFS_TA0CTL", 0x0000),
    ("OFS_TA0R", 0x0010),
    ("OFS_TA0EX0", 0x0020),
    ("TASSEL__SMCLK", 0x0200),
    ("ID__8", 0x00c0),
    ("TAIDEX_7", 0x0007),
    ("MC__CONTINUOUS", 0x0020),
    ("TACLR", 0x0004),
    ("TAIFG", 0x0001),
    ("TAIE", 0x0002),
    ("MC__STOP", 0x0000),
    ("OFS_MPY", 0x0000),
    ("OFS_OP2", 0x0008),
    ("OFS_RESLO", 0x000A),
    ("OFS_MPY32L", 0x0010),
    ("OFS_MPY32H", 0x0012),
    ("OFS_OP2L", 0x0020),
    ("OFS_OP2H", 0x0022),
    ("OFS_RES0", 0x0024),
    ("OFS_RES1", 0x0026),
];

/// `#define <name>_VECTOR (<number>) /* <address> */` lines of the header: the interrupt vectors the board
/// harness fills (`vectors.x`).
pub const VECTORS: &[(&str, u16, u16)] = &[("LEA_VECTOR", 18, 0xFFB4), ("TIMER0_A1_VECTOR", 44, 0xFFE8)];

/// The value of the header's `#define name`.
pub fn define(name: &str) -> u16 {
    BASES.iter().chain(DEFINES).find(|(n, _)| *n == name).unwrap_or_else(|| panic!("{name} not transcribed")).1
}

/// The address `base + offset` of two of the header's defines.
pub fn address(base: &str, offset: &str) -> u16 {
    define(base) + define(offset)
}
