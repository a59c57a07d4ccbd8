//! The LaunchPad harness's register addresses and bit values (`targets/msp430fr5994-lea/board/src/
//! registers.rs`, the only place the harness takes them from) against a transcription of TI's device
//! header, and its baud-rate settings against SLAU367's formula and UCBRSx table.
//!
//! Header: `include/msp430fr5994.h` of TI's MSP430 GCC support files, `__MSP430_HEADER_VERSION__` 1206 (the
//! copy read: github.com/YuboLuo/mspgcc_v7.3.2.154, commit 194a28f2). An address there is a module base
//! (`__MSP430_BASEADDRESS_<module>__`) plus a register offset (`OFS_<register>`); the transcription below
//! keeps the header's names and values as they stand, so a reader can check it line by line.

#[path = "../../targets/msp430fr5994-lea/board/src/registers.rs"]
mod registers;

/// `#define __MSP430_BASEADDRESS_<module>__ <value>` lines of the header.
const BASES: &[(&str, u16)] = &[
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
const DEFINES: &[(&str, u16)] = &[
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

/// SLAU367 Table 30-4, "UCBRSx Settings for Fractional Portion of N = fBRCLK/Baud Rate": a row holds
/// from its fraction up to the next row's.
const UCBRS_TABLE: &[(f64, u16)] = &[
    (0.0000, 0x00),
    (0.0529, 0x01),
    (0.0715, 0x02),
    (0.0835, 0x04),
    (0.1001, 0x08),
    (0.1252, 0x10),
    (0.1430, 0x20),
    (0.1670, 0x11),
    (0.2147, 0x21),
    (0.2224, 0x22),
    (0.2503, 0x44),
    (0.3000, 0x25),
    (0.3335, 0x49),
    (0.3575, 0x4A),
    (0.3753, 0x52),
    (0.4003, 0x92),
    (0.4286, 0x53),
    (0.4378, 0x55),
    (0.5002, 0xAA),
    (0.5715, 0x6B),
    (0.6003, 0xAD),
    (0.6254, 0xB5),
    (0.6432, 0xB6),
    (0.6667, 0xD6),
    (0.7001, 0xB7),
    (0.7147, 0xBB),
    (0.7503, 0xDD),
    (0.7861, 0xED),
    (0.8004, 0xEE),
    (0.8333, 0xBF),
    (0.8464, 0xDF),
    (0.8572, 0xEF),
    (0.8751, 0xF7),
    (0.9004, 0xFB),
    (0.9170, 0xFD),
    (0.9288, 0xFE),
];

fn define(name: &str) -> u16 {
    BASES.iter().chain(DEFINES).find(|(n, _)| *n == name).unwrap_or_else(|| panic!("{name} not transcribed")).1
}

/// (registers.rs constant, its value, module base define, offset define).
macro_rules! addresses {
    ($($name:ident = $base:literal + $offset:literal),* $(,)?) => {
        [$((stringify!($name), u32::from(registers::$name), $base, $offset)),*]
    };
}

/// (registers.rs constant, its value): each has the header define of the same name.
macro_rules! bits {
    ($($name:ident),* $(,)?) => {
        [$((stringify!($name), u32::from(registers::$name))),*]
    };
}

#[test]
fn every_register_and_bit_is_the_device_headers() {
    let addresses = addresses![
        FRCTL0 = "__MSP430_BASEADDRESS_FRCTL_A__" + "OFS_FRCTL0",
        CSCTL0 = "__MSP430_BASEADDRESS_CS__" + "OFS_CSCTL0",
        CSCTL1 = "__MSP430_BASEADDRESS_CS__" + "OFS_CSCTL1",
        CSCTL2 = "__MSP430_BASEADDRESS_CS__" + "OFS_CSCTL2",
        CSCTL3 = "__MSP430_BASEADDRESS_CS__" + "OFS_CSCTL3",
        PM5CTL0 = "__MSP430_BASEADDRESS_PMM__" + "OFS_PM5CTL0",
        P1OUT = "__MSP430_BASEADDRESS_PORT1_R__" + "OFS_P1OUT",
        P1DIR = "__MSP430_BASEADDRESS_PORT1_R__" + "OFS_P1DIR",
        P2SEL0 = "__MSP430_BASEADDRESS_PORT2_R__" + "OFS_P2SEL0",
        P2SEL1 = "__MSP430_BASEADDRESS_PORT2_R__" + "OFS_P2SEL1",
        UCA0CTLW0 = "__MSP430_BASEADDRESS_EUSCI_A0__" + "OFS_UCA0CTLW0",
        UCA0BRW = "__MSP430_BASEADDRESS_EUSCI_A0__" + "OFS_UCA0BRW",
        UCA0MCTLW = "__MSP430_BASEADDRESS_EUSCI_A0__" + "OFS_UCA0MCTLW",
        UCA0TXBUF = "__MSP430_BASEADDRESS_EUSCI_A0__" + "OFS_UCA0TXBUF",
        UCA0IFG = "__MSP430_BASEADDRESS_EUSCI_A0__" + "OFS_UCA0IFG",
        TA0CTL = "__MSP430_BASEADDRESS_TA0__" + "OFS_TA0CTL",
        TA0R = "__MSP430_BASEADDRESS_TA0__" + "OFS_TA0R",
        TA0EX0 = "__MSP430_BASEADDRESS_TA0__" + "OFS_TA0EX0",
        MPY = "__MSP430_BASEADDRESS_MPY32__" + "OFS_MPY",
        OP2 = "__MSP430_BASEADDRESS_MPY32__" + "OFS_OP2",
        RESLO = "__MSP430_BASEADDRESS_MPY32__" + "OFS_RESLO",
        MPY32L = "__MSP430_BASEADDRESS_MPY32__" + "OFS_MPY32L",
        MPY32H = "__MSP430_BASEADDRESS_MPY32__" + "OFS_MPY32H",
        OP2L = "__MSP430_BASEADDRESS_MPY32__" + "OFS_OP2L",
        OP2H = "__MSP430_BASEADDRESS_MPY32__" + "OFS_OP2H",
        RES0 = "__MSP430_BASEADDRESS_MPY32__" + "OFS_RES0",
        RES1 = "__MSP430_BASEADDRESS_MPY32__" + "OFS_RES1",
    ];
    for (name, value, base, offset) in addresses {
        assert_eq!(value, u32::from(define(base)) + u32::from(define(offset)), "{name} = {base} + {offset}");
    }
    let bits = bits![
        FRCTLPW,
        NWAITS_1,
        CSKEY,
        DCORSEL,
        DCOFSEL_4,
        SELA__VLOCLK,
        SELS__DCOCLK,
        SELM__DCOCLK,
        DIVA__1,
        DIVS__1,
        DIVM__1,
        DIVA__4,
        DIVS__4,
        DIVM__4,
        LOCKLPM5,
        BIT0,
        BIT1,
        UCSWRST,
        UCSSEL__SMCLK,
        UCOS16,
        UCBRF0,
        UCBRS0,
        UCTXIFG,
        TASSEL__SMCLK,
        ID__8,
        TAIDEX_7,
        MC__CONTINUOUS,
        TACLR,
        TAIFG,
    ];
    for (name, value) in bits {
        assert_eq!(value, u32::from(define(name)), "{name}");
    }
    // Nothing in registers.rs escapes the check: every constant is an address, a bit or a baud setting.
    let source = include_str!("../../targets/msp430fr5994-lea/board/src/registers.rs");
    let checked: Vec<&str> = addresses.iter().map(|a| a.0).chain(bits.iter().map(|b| b.0)).collect();
    for line in source.lines().filter_map(|l| l.strip_prefix("pub const ")) {
        let name = line.split(':').next().unwrap();
        assert!(checked.contains(&name) || name.starts_with("BAUD_"), "{name} is not checked against the header");
    }
}

#[test]
fn the_baud_rate_settings_are_slau367s_for_115200_from_16_mhz() {
    // SLAU367 "Setting a Baud Rate": N = fBRCLK / baud; N >= 16, so UCOS16 = 1, UCBRx = INT(N / 16),
    // UCBRFx = INT((N / 16 - INT(N / 16)) * 16), UCBRSx from the fractional part of N in Table 30-4.
    let n = 16_000_000.0 / 115_200.0_f64;
    assert!(n >= 16.0);
    let ucbr = (n / 16.0).floor();
    let ucbrf = ((n / 16.0 - ucbr) * 16.0).floor();
    let fraction = n - n.floor();
    let ucbrs = UCBRS_TABLE.iter().rev().find(|(from, _)| fraction >= *from).unwrap().1;
    assert_eq!(
        (u16::try_from(ucbr as i64).unwrap(), u16::try_from(ucbrf as i64).unwrap(), ucbrs),
        (registers::BAUD_UCBR, registers::BAUD_UCBRF, registers::BAUD_UCBRS)
    );
    assert_eq!((registers::BAUD_UCBR, registers::BAUD_UCBRF, registers::BAUD_UCBRS), (8, 10, 0xF7));
}
