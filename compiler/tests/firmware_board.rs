//! `acec build --firmware --board msp-exp430fr5994`: the LaunchPad image links for every simulator fixture
//! with the MPY32 helpers and without the simulator's, and for a model with weights in upper FRAM; the same
//! harness built for mspdebug's simulator (harness feature `sim`) sends, through its FRAM mirror of the
//! UART, the class and the logits that `acec run --json` computes on the host, leaves in the clock, FRAM,
//! pin, timer and UART registers (plain memory in the simulator) the values TI's device header gives, and
//! has its timer handler at the header's vector address. CI has no board: nothing here runs on one.
//!
//! Gated like `firmware.rs`: needs mspdebug and rust-src (ACEC_REQUIRE_FIRMWARE_TOOLS=1 makes a missing
//! tool a failure).

mod support;

use std::path::Path;

use acec::firmware::board::{BoardImage, link, simulate};
use support::firmware::{SIMULATOR_FIXTURES, acec, build_firmware, text, tools_present};
use support::fr5994_header::{VECTORS, address, define};
use support::temp_dir;

const BOARD: [&str; 2] = ["--board", "msp-exp430fr5994"];

/// The image's symbols and undefined symbols.
fn elf_at(path: &Path) -> acec::firmware::Elf {
    acec::firmware::parse_elf(&std::fs::read(path).unwrap()).unwrap()
}

/// `acec run --json` of the sample the firmware bakes in (index 3 of the test set).
fn host_run(fixture: &str, data: &str, block: Option<&str>) -> serde_json::Value {
    let (model, calib, test) = (
        format!("fixtures/{fixture}/model.onnx"),
        format!("fixtures/data/{data}-train.npz"),
        format!("fixtures/data/{data}-test.npz"),
    );
    let mut args = vec!["run", &model, "--target", "msp430-lea", "--calib", &calib, "--data", &test];
    args.extend(["--no-upper-fram", "--index", "3", "--json"]);
    if let Some(block) = block {
        args.extend(["--block", block]);
    }
    serde_json::from_slice(&acec(&args).stdout).unwrap()
}

/// The class and the logits of the board's UART text (`class C`, `logits L0 L1 ...`, `cycles N`).
fn parse_uart(text: &str) -> (u64, Vec<i64>) {
    let line = |key: &str| {
        text.lines().find_map(|l| l.strip_prefix(key)).unwrap_or_else(|| panic!("no {key:?} line in {text:?}"))
    };
    let class = line("class ").parse().unwrap();
    let logits = line("logits ").split(' ').map(|v| v.parse().unwrap()).collect();
    assert!(line("cycles ").starts_with(|c: char| c.is_ascii_digit() || c == '>'), "{text}");
    (class, logits)
}

#[test]
fn the_board_image_links_for_every_simulator_fixture_and_prints_the_host_result_in_the_simulator() {
    if !tools_present() {
        return;
    }
    let dir = temp_dir("firmware-board");
    for (fixture, data, block) in SIMULATOR_FIXTURES {
        let out = dir.join(fixture);
        let model = format!("fixtures/{fixture}/model.onnx");
        let (calib, test) = (format!("fixtures/data/{data}-train.npz"), format!("fixtures/data/{data}-test.npz"));
        let built = build_firmware(&model, &calib, &test, block, &BOARD, &out);
        assert!(built.status.success(), "{fixture}: {}", text(&built));
        let elf = elf_at(&out.join("firmware.elf"));
        assert!(elf.undefined.is_empty(), "{fixture}: {:?}", elf.undefined);
        for symbol in ["__mspabi_mpyi_f5hw", "__mspabi_mpyl_f5hw", "ACEC_UART_LOG", "ACEC_UART_LEN", "acec_halt"] {
            assert!(elf.symbols.contains_key(symbol), "{fixture}: no {symbol}");
        }
        // The simulator's helpers (multiplier at 0x0130, PM5CTL0 on the device) are not in a board image.
        for symbol in ["__mspabi_mpyi", "__mspabi_mpyl"] {
            assert!(!elf.symbols.contains_key(symbol), "{fixture}: {symbol} in the board image");
        }
        assert!(std::fs::read_to_string(out.join("firmware.md")).unwrap().contains("MPY32 at 0x04C0"));
    }

    // A model the simulator cannot take: uncompressed LeNet keeps its fc1 weights in upper FRAM, which the
    // board reads by DMA (the board build does not imply --no-upper-fram).
    let out = dir.join("fmnist-lenet");
    let (calib, test) = ("fixtures/data/fmnist-train.npz", "fixtures/data/fmnist-test.npz");
    let built = build_firmware("fixtures/fmnist-lenet/model.onnx", calib, test, None, &BOARD, &out);
    assert!(built.status.success(), "fmnist-lenet: {}", text(&built));
    let elf = elf_at(&out.join("firmware.elf"));
    assert!(elf.undefined.is_empty(), "{:?}", elf.undefined);
    assert!(elf.sections.iter().any(|s| s.name == ".acec.fram_upper" && s.address == 0x1_0000 && s.size > 0));

    // One fixture through the simulator build of the same harness.
    let (fixture, data, block) = SIMULATOR_FIXTURES[3];
    assert_eq!(fixture, "digits-mlp-rad");
    let out = dir.join(fixture);
    // The board image itself is not for `run-firmware`, and says so.
    let refused = acec(&["run-firmware", out.to_str().unwrap(), "--failures", "0"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("LaunchPad image"), "{}", text(&refused));
    link(&out, &BoardImage { simulator: true, dsplib: None }).unwrap();
    let elf = elf_at(&out.join("firmware.elf"));
    assert!(elf.symbols.contains_key("__mspabi_mpyi") && !elf.symbols.contains_key("__mspabi_mpyi_f5hw"));
    assert!(std::fs::read_to_string(out.join("firmware.md")).unwrap().contains("not for a board"));
    let registers = expected_registers();
    let timer_vector = VECTORS.iter().find(|v| v.0 == "TIMER0_A1_VECTOR").unwrap().2;
    let mut addresses: Vec<u64> = registers.iter().map(|r| u64::from(r.1)).collect();
    addresses.push(u64::from(timer_vector));
    let run = simulate(&out.join("firmware.elf"), &addresses).unwrap();
    let uart = run.uart;
    let (class, logits) = parse_uart(&uart);
    let host = host_run(fixture, data, block);
    assert_eq!(Some(class), host["argmax"].as_u64(), "{uart}");
    let host_logits: Vec<i64> = host["output_q15"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    assert_eq!(logits, host_logits, "{uart}");
    // The timer's overflow handler is at TIMER0_A1_VECTOR (vectors.x, the same script that places DSPLib's).
    let handler = run.memory.word(u64::from(timer_vector)).map(u64::from);
    assert_eq!(handler, elf.symbols.get("acec_ta0_overflow").copied(), "TIMER0_A1_VECTOR");
    for (name, at, mask, value) in registers {
        let written = run.memory.word(u64::from(at)).unwrap() & mask;
        assert_eq!(written, value, "{name} at {at:#06x}: {written:#06x}, the header says {value:#06x}");
    }
    eprintln!("{fixture} on the board harness in the simulator:\n{uart}");
}

/// The bits of `defines` together.
fn bits(defines: &[&str]) -> u16 {
    defines.iter().fold(0, |all, name| all | define(name))
}

/// (register, address, bits that matter, the value the harness last wrote there), from the header
/// transcription and SLAU367 (the baud-rate divisors 8, 10, 0xF7: `board_registers.rs` derives them). The
/// CS password register is not checked (its last write, the relock, is 0). Byte registers are the low byte
/// of the word read.
fn expected_registers() -> Vec<(&'static str, u16, u16, u16)> {
    let (cs, usci, ta0) =
        ("__MSP430_BASEADDRESS_CS__", "__MSP430_BASEADDRESS_EUSCI_A0__", "__MSP430_BASEADDRESS_TA0__");
    let (port1, port2) = ("__MSP430_BASEADDRESS_PORT1_R__", "__MSP430_BASEADDRESS_PORT2_R__");
    let pins = bits(&["BIT0", "BIT1"]);
    vec![
        ("FRCTL0", address("__MSP430_BASEADDRESS_FRCTL_A__", "OFS_FRCTL0"), 0xFFFF, bits(&["FRCTLPW", "NWAITS_1"])),
        ("CSCTL1", address(cs, "OFS_CSCTL1"), 0xFFFF, bits(&["DCORSEL", "DCOFSEL_4"])),
        ("CSCTL2", address(cs, "OFS_CSCTL2"), 0xFFFF, bits(&["SELA__VLOCLK", "SELS__DCOCLK", "SELM__DCOCLK"])),
        ("CSCTL3", address(cs, "OFS_CSCTL3"), 0xFFFF, bits(&["DIVA__1", "DIVS__1", "DIVM__1"])),
        ("P1DIR", address(port1, "OFS_P1DIR"), define("BIT0"), define("BIT0")),
        ("P1OUT (LED1 on)", address(port1, "OFS_P1OUT"), define("BIT0"), define("BIT0")),
        ("P2SEL1", address(port2, "OFS_P2SEL1"), pins, pins),
        ("P2SEL0", address(port2, "OFS_P2SEL0"), pins, 0),
        ("UCA0CTLW0", address(usci, "OFS_UCA0CTLW0"), 0xFFFF, define("UCSSEL__SMCLK")),
        ("UCA0BRW", address(usci, "OFS_UCA0BRW"), 0xFFFF, 8),
        (
            "UCA0MCTLW",
            address(usci, "OFS_UCA0MCTLW"),
            0xFFFF,
            define("UCOS16") | (10 * define("UCBRF0")) | (0xF7 * define("UCBRS0")),
        ),
        ("TA0CTL (stopped)", address(ta0, "OFS_TA0CTL"), 0xFFFF, bits(&["TASSEL__SMCLK", "ID__8", "MC__STOP"])),
        ("TA0EX0", address(ta0, "OFS_TA0EX0"), 0xFFFF, define("TAIDEX_7")),
    ]
}

#[test]
fn a_missing_dsplib_archive_is_refused_before_anything_is_built() {
    let out = temp_dir("firmware-board-dsplib").join("fw");
    let mut extra = BOARD.to_vec();
    extra.extend(["--dsplib", "/nonexistent/libdsplib.a"]);
    let refused = build_firmware(
        "fixtures/digits-mlp-rad/model.onnx",
        "fixtures/data/digits-train.npz",
        "fixtures/data/digits-test.npz",
        None,
        &extra,
        &out,
    );
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("/nonexistent/libdsplib.a: no such file"), "{}", text(&refused));
    assert!(text(&refused).contains("runtime/README.md"), "{}", text(&refused));
    assert!(!out.exists());
}
