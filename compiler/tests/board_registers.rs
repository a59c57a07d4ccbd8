//! The LaunchPad harness's register addresses and bit values (`targets/msp430fr5994-lea/board/src/
//! registers.rs`, the only place the harness takes them from) against a transcription of TI's device
//! header, its interrupt vectors (`board/vectors.x`) against the header's vector numbers and addresses,
//! and its baud-rate settings against SLAU367's formula and UCBRSx table.
//!
//! The transcription (TI's `msp430fr5994.h`, header version 1206) is `support/fr5994_header.rs`.

mod support;

#[path = "../../targets/msp430fr5994-lea/board/src/registers.rs"]
mod registers;

use support::fr5994_header::{VECTORS, address, define};

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
        assert_eq!(value, u32::from(address(base, offset)), "{name} = {base} + {offset}");
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
        TAIE,
        MC__STOP,
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

#[test]
fn the_vector_script_puts_each_handler_at_the_headers_vector_address() {
    let script = include_str!("../../targets/msp430fr5994-lea/board/vectors.x");
    for (name, number, address) in VECTORS {
        let region = format!("VECT{number} (rx) : ORIGIN = 0x{address:04X}, LENGTH = 2");
        let section = format!("__interrupt_vector_{number} : {{ KEEP(*(__interrupt_vector_{number}))");
        assert!(script.contains(&region), "{name}: no `{region}` in vectors.x");
        assert!(script.contains(&section) && script.contains(&format!("> VECT{number}\n")), "{name}");
    }
}
