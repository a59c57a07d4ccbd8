//! `acec build --firmware` and `acec run-firmware` end to end: the generated crate linked into MSP430
//! firmware, run in mspdebug's simulator with and without power failures, equals the host run bit for bit.
//!
//! Needs mspdebug and rustup's rust-src. CI installs both and sets ACEC_REQUIRE_FIRMWARE_TOOLS=1, which
//! turns a missing tool into a failure; elsewhere these tests skip (with a note) when a tool is missing.

mod support;

use std::path::Path;

use support::firmware::{SIMULATOR_FIXTURES, acec, build_firmware, text, tools_present};
use support::gated::{silu, squeeze_excite, write_samples};
use support::temp_dir;

/// Builds `fixture`'s firmware (with `extra` build arguments) into `out`, checks its stored expectation is
/// `acec run`'s output, runs it in the simulator uninterrupted and with 24 power failures for each of seeds
/// 1, 2, 3, and checks every run equals the host bit for bit with ACEC_DONE set once.
fn runs_bit_exact_through_power_failures(
    (fixture, data, block): (&str, &str, Option<&str>),
    extra: &[&str],
    out: &Path,
) {
    let model = &format!("fixtures/{fixture}/model.onnx");
    // A shared data set (`fmnist`: fixtures/data/fmnist-train.npz), or the fixture's own (`keras-dscnn/`).
    let (calib, test) = match data.strip_suffix('/') {
        Some(own) => (&format!("fixtures/{own}/train.npz"), &format!("fixtures/{own}/test.npz")),
        None => (&format!("fixtures/data/{data}-train.npz"), &format!("fixtures/data/{data}-test.npz")),
    };
    model_runs_bit_exact_through_power_failures((model, calib, test, block), extra, out);
}

/// [`runs_bit_exact_through_power_failures`] for any model and data sets (paths from the repository root,
/// or absolute).
fn model_runs_bit_exact_through_power_failures(
    (model, calib, test, block): (&str, &str, &str, Option<&str>),
    extra: &[&str],
    out: &Path,
) {
    let built = build_firmware(model, calib, test, block, extra, out);
    assert!(built.status.success(), "{model}: {}", text(&built));
    assert!(text(&built).contains("lower FRAM"), "the memory report is printed");
    for file in ["firmware.elf", "firmware.md", "firmware.json", "firmware/src/input.rs"] {
        assert!(out.join(file).exists(), "{model}: {file} missing");
    }
    // The host run it must reproduce is `acec run`'s (of the program `--firmware` builds).
    let mut run_args = vec!["run", model, "--target", "msp430-lea", "--calib", calib, "--data", test];
    run_args.push("--no-upper-fram");
    run_args.extend(["--index", "3", "--json"]);
    if let Some(block) = block {
        run_args.extend(["--block", block]);
    }
    let host: serde_json::Value = serde_json::from_slice(&acec(&run_args).stdout).unwrap();
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("firmware.json")).unwrap()).unwrap();
    assert_eq!(host["output_q15"], stored["output_q15"], "{model}");

    let ran = acec(&["run-firmware", out.to_str().unwrap(), "--failures", "24", "--seeds", "1,2,3", "--json"]);
    assert!(ran.status.success(), "{model} {extra:?}: {}", text(&ran));
    let report: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 4, "one uninterrupted run and one per seed");
    for run in runs {
        assert_eq!(run["output_q15"], host["output_q15"], "{model}: {run}");
        assert_eq!((run["done"].as_u64(), run["done_writes"].as_u64()), (Some(1), Some(1)), "{model}: {run}");
    }
    assert!(runs[1]["failures_after"].as_array().unwrap().len() == 24);
    eprintln!("{model} {extra:?}: MCLK per inference {} (uninterrupted)", runs[0]["mclk"]);

    // A wrong expectation is caught: the comparison can fail.
    let mut wrong = stored.clone();
    wrong["output_q15"][0] = serde_json::json!(stored["output_q15"][0].as_i64().unwrap() + 1);
    std::fs::write(out.join("firmware.json"), wrong.to_string()).unwrap();
    let mismatch = acec(&["run-firmware", out.to_str().unwrap(), "--failures", "0"]);
    assert_eq!(mismatch.status.code(), Some(1), "{}", text(&mismatch));
    assert!(text(&mismatch).contains("MISMATCH"));
}

#[test]
fn compressed_fixtures_run_bit_exact_in_the_simulator_through_power_failures() {
    if !tools_present() {
        return;
    }
    let dir = temp_dir("firmware");
    for case in SIMULATOR_FIXTURES {
        runs_bit_exact_through_power_failures(case, &[], &dir.join(case.0));
    }
}

/// Depthwise-separable CNNs, from Keras (keras-dscnn) and PyTorch (fmnist-mobilenet, MobileNetV1-style;
/// kws-dscnn, the MLPerf Tiny keyword-spotting DS-CNN at 24 channels, on 49 x 10 MFCCs):
/// their grouped convolutions' steps read and write slices of the activation buffers, on the MSP430 ISA as
/// on the host, through power failures.
#[test]
fn depthwise_convolutions_run_bit_exact_in_the_simulator_through_power_failures() {
    if !tools_present() {
        return;
    }
    let dir = temp_dir("firmware-depthwise");
    runs_bit_exact_through_power_failures(("keras-dscnn", "keras-dscnn/", None), &[], &dir.join("keras-dscnn"));
    runs_bit_exact_through_power_failures(("fmnist-mobilenet", "fmnist", None), &[], &dir.join("fmnist-mobilenet"));
    runs_bit_exact_through_power_failures(("kws-dscnn", "kws", None), &[], &dir.join("kws-dscnn"));
}

/// Block-circulant convolutions (acec compress: the MobileNet's pointwise convolutions, the ResNet's last
/// 3 x 3 convolutions and shortcut, all at block 16): `circulant_conv`'s row permutes, ring of row spectra
/// and per-pixel FFT products on the MSP430 ISA equal the host run bit for bit, through power failures.
#[test]
fn circulant_convolutions_run_bit_exact_in_the_simulator_through_power_failures() {
    if !tools_present() {
        return;
    }
    let dir = temp_dir("firmware-circulant-conv");
    for fixture in ["fmnist-mobilenet-rad", "fmnist-resnet-rad"] {
        runs_bit_exact_through_power_failures((fixture, "fmnist", None), &[], &dir.join(fixture));
    }
}

/// Tanh, Sigmoid and HardSwish (fmnist-smooth-mlp): the `lookup` kernel's tables on the MSP430 ISA (a
/// 16 x 16-bit product through the hardware multiplier, 16-bit shifts) equal the host run bit for bit,
/// through power failures.
#[test]
fn activation_tables_run_bit_exact_in_the_simulator_through_power_failures() {
    if !tools_present() {
        return;
    }
    let dir = temp_dir("firmware-activations");
    runs_bit_exact_through_power_failures(("fmnist-smooth-mlp", "fmnist", None), &[], &dir.join("fmnist-smooth-mlp"));
}

/// NHWC inputs of 4 channels, from PyTorch (fmnist-nhwc) and Keras through tf2onnx (keras-nhwc, whose
/// per-channel PReLU is one table step per slope on its channel's slice): the `permute` gather that lays the
/// input out as the convolutions read it, on the MSP430 ISA, equals the host run bit for bit, through power
/// failures.
#[test]
fn an_nhwc_input_gather_runs_bit_exact_in_the_simulator_through_power_failures() {
    if !tools_present() {
        return;
    }
    let dir = temp_dir("firmware-nhwc");
    runs_bit_exact_through_power_failures(("fmnist-nhwc", "fmnist-nhwc/", None), &[], &dir.join("fmnist-nhwc"));
    runs_bit_exact_through_power_failures(("keras-nhwc", "keras-nhwc/", None), &[], &dir.join("keras-nhwc"));
}

/// Mul of two computed tensors on the MSP430 ISA: a squeeze-excite gate (one value per channel, the
/// `scale` path) and SiLU's `x * sigmoid(x)` (the complex-multiply path), bit exact through power failures.
#[test]
fn gated_products_run_bit_exact_in_the_simulator_through_power_failures() {
    if !tools_present() {
        return;
    }
    let dir = temp_dir("firmware-gated");
    let (calib, test) = (dir.join("calib.npz"), dir.join("test.npz"));
    write_samples(&calib, 16, 60);
    write_samples(&test, 4, 61);
    let data = (calib.to_str().unwrap(), test.to_str().unwrap());
    for (name, model) in [("squeeze-excite", squeeze_excite(["r", "g"])), ("silu", silu())] {
        let path = model.write(&dir, &format!("{name}.onnx"));
        let case = (path.to_str().unwrap(), data.0, data.1, None);
        model_runs_bit_exact_through_power_failures(case, &[], &dir.join(name));
    }
}

#[test]
/// The DSPLib backend's FFI path on the MSP430 ISA: the `dsplib` firmware with TI's functions from the Rust
/// stand-in (targets/msp430fr5994-lea/dsplib-standin/) equals the host run bit for bit, through power
/// failures, for the simulator fixtures whose dsplib build fits lower FRAM. digits-mlp-rad is circulant: it
/// calls msp_cmplx_fft_fixed_q15 and msp_split_q15 through the backend's transforms.
fn the_dsplib_backend_over_the_stand_in_runs_bit_exact_in_the_simulator_through_power_failures() {
    if !tools_present() {
        return;
    }
    let dir = temp_dir("firmware-standin");
    // fmnist-circulant does not fit: the dsplib build (backend, the soft kernels it falls back on, stand-in)
    // overflows lower FRAM by 4,716 bytes, which the simulator has nothing beyond.
    for case in SIMULATOR_FIXTURES.into_iter().filter(|case| case.0 != "fmnist-circulant") {
        let out = dir.join(case.0);
        runs_bit_exact_through_power_failures(case, &["--dsplib-standin"], &out);
        let elf = acec::firmware::parse_elf(&std::fs::read(out.join("firmware.elf")).unwrap()).unwrap();
        assert!(elf.undefined.is_empty(), "{}: {:?}", case.0, elf.undefined);
        let report = std::fs::read_to_string(out.join("firmware.md")).unwrap();
        assert!(report.contains("DSPLib stand-in"), "{report}");
    }
}

#[test]
fn builds_the_simulator_cannot_run_are_refused() {
    let dir = temp_dir("firmware-refused");
    // Uncompressed LeNet keeps its fc1 weights in upper FRAM (DMA): not for the simulator.
    let out = dir.join("lenet");
    let refused = build_firmware(
        "fixtures/fmnist-lenet/model.onnx",
        "fixtures/data/fmnist-train.npz",
        "fixtures/data/fmnist-test.npz",
        None,
        &[],
        &out,
    );
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("upper FRAM"), "{}", text(&refused));
    assert!(!out.exists(), "a refused build wrote {}", out.display());
    // --firmware needs its sample.
    let no_data = acec(&["build", "fixtures/fmnist-circulant/model.onnx", "--firmware"]);
    assert_eq!(no_data.status.code(), Some(2), "{}", text(&no_data));
    assert!(text(&no_data).contains("--data"));
}

#[test]
fn the_dsplib_variant_of_the_firmware_links_with_only_dsplib_missing() {
    if !tools_present() {
        return;
    }
    let out = temp_dir("firmware-dsplib").join("fw");
    let built = build_firmware(
        "fixtures/fmnist-circulant/model.onnx",
        "fixtures/data/fmnist-train.npz",
        "fixtures/data/fmnist-test.npz",
        None,
        &[],
        &out,
    );
    assert!(built.status.success(), "{}", text(&built));
    // TI's DSPLib is not available here: everything else must compile and link, and the only undefined
    // symbols left are DSPLib's (what a device build links from TI's library).
    let elf_path = out.join("firmware-dsplib.elf");
    acec::firmware::link(&out.join("firmware"), &elf_path, acec::firmware::Backend::Dsplib).unwrap();
    let elf = acec::firmware::parse_elf(&std::fs::read(&elf_path).unwrap()).unwrap();
    assert!(elf.undefined.iter().all(|s| s.starts_with("msp_")), "{:?}", elf.undefined);
    // The transforms are composed of TI's fixed-scaling complex FFT and split (runtime kernels/fft.rs); TI's
    // real and inverse FFTs are never called.
    for needed in ["msp_cmplx_fft_fixed_q15", "msp_split_q15", "msp_cmplx_mpy_q15"] {
        assert!(elf.undefined.iter().any(|s| s == needed), "{needed} not called: {:?}", elf.undefined);
    }
    for avoided in ["msp_fft_fixed_q15", "msp_ifft_fixed_q15", "msp_cmplx_ifft_fixed_q15"] {
        assert!(!elf.undefined.iter().any(|s| s == avoided), "{avoided} is called: {:?}", elf.undefined);
    }
    assert!(elf.symbols.contains_key("ACEC_OUTPUT") && elf.symbols.contains_key("acec_halt"));
}
