//! `acec build --firmware --board msp-exp430fr5994`: the LaunchPad image links for every simulator fixture
//! with the MPY32 helpers and without the simulator's; the same harness built for mspdebug's simulator
//! (harness feature `sim`) sends, through its FRAM mirror of the UART, the class and the logits that
//! `acec run --json` computes on the host. CI has no board: nothing here runs on one.
//!
//! Gated like `firmware.rs`: needs mspdebug and rust-src (ACEC_REQUIRE_FIRMWARE_TOOLS=1 makes a missing
//! tool a failure).

mod support;

use std::path::Path;

use acec::firmware::board::{BoardImage, link, uart_log};
use support::firmware::{SIMULATOR_FIXTURES, acec, build_firmware, text, tools_present};
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

    // One fixture through the simulator build of the same harness.
    let (fixture, data, block) = SIMULATOR_FIXTURES[3];
    assert_eq!(fixture, "digits-mlp-rad");
    let out = dir.join(fixture);
    link(&out, &BoardImage { simulator: true, dsplib: None }).unwrap();
    let elf = elf_at(&out.join("firmware.elf"));
    assert!(elf.symbols.contains_key("__mspabi_mpyi") && !elf.symbols.contains_key("__mspabi_mpyi_f5hw"));
    assert!(std::fs::read_to_string(out.join("firmware.md")).unwrap().contains("not for a board"));
    let uart = uart_log(&out.join("firmware.elf")).unwrap();
    let (class, logits) = parse_uart(&uart);
    let host = host_run(fixture, data, block);
    assert_eq!(Some(class), host["argmax"].as_u64(), "{uart}");
    let host_logits: Vec<i64> = host["output_q15"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    assert_eq!(logits, host_logits, "{uart}");
    eprintln!("{fixture} on the board harness in the simulator:\n{uart}");
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
