//! The commands' scriptable surface: JSON fields, exit codes, and messages for bad arguments.

mod support;

use std::process::{Command, Output};

use support::{Attr, ModelBuilder, repo_root, temp_dir};

fn acec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acec")).current_dir(repo_root()).args(args).output().expect("acec runs")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

const DIGITS: &str = "fixtures/digits-mlp/model.onnx";
const CALIB: &str = "fixtures/data/digits-train.npz";
const TEST: &str = "fixtures/data/digits-test.npz";

#[test]
fn verify_json_has_the_documented_fields() {
    let doc = json(&acec(&["verify", DIGITS, "--calib", CALIB, "--data", TEST, "--limit", "50", "--json"]));
    assert_eq!(doc["samples"], 50);
    for field in ["float_accuracy", "compiled_accuracy", "agreement"] {
        let v = doc[field].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&v), "{field} = {v}");
    }
    assert!(doc["max_abs_error"].as_f64().unwrap() >= 0.0);
    assert!(doc.get("jitter").is_none(), "no --lsb-jitter, no jitter object");
}

/// `--block 64`: the hidden layers run as FFTs, where the jitter acts.
fn verify_jittered(extra: &[&str]) -> Output {
    let mut args = vec!["verify", DIGITS, "--calib", CALIB, "--data", TEST, "--limit", "40", "--block", "64"];
    args.extend_from_slice(extra);
    acec(&args)
}

#[test]
fn verify_lsb_jitter_0_is_the_unperturbed_run() {
    let doc = json(&verify_jittered(&["--lsb-jitter", "0", "--json"]));
    let j = &doc["jitter"];
    assert_eq!((j["lsb"].as_u64(), j["seed"].as_u64()), (Some(0), Some(1)));
    assert_eq!(j["agreement_unperturbed"].as_f64(), Some(1.0));
    assert_eq!(j["max_abs_change"].as_f64(), Some(0.0));
    assert_eq!(j["accuracy"], doc["compiled_accuracy"]);
    assert_eq!(j["agreement_float"], doc["agreement"]);
}

#[test]
fn verify_lsb_jitter_perturbs_the_same_way_per_seed() {
    let args = ["--lsb-jitter", "2", "--jitter-seed", "3", "--json"];
    let doc = json(&verify_jittered(&args));
    let j = &doc["jitter"];
    assert_eq!((j["lsb"].as_u64(), j["seed"].as_u64()), (Some(2), Some(3)));
    assert!(j["max_abs_change"].as_f64().unwrap() > 0.0, "{j}");
    for field in ["accuracy", "agreement_float", "agreement_unperturbed"] {
        let v = j[field].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&v), "{field} = {v}");
    }
    assert_eq!(json(&verify_jittered(&args)), doc);
    let text = verify_jittered(&["--lsb-jitter", "2", "--jitter-seed", "3"]);
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("+-2 LSB jitter (seed 3): top-1 agreement with unperturbed"), "{text}");
}

#[test]
fn bad_lsb_jitter_exits_2() {
    for k in ["-1", "65", "one"] {
        assert_exit_2(&verify_jittered(&["--lsb-jitter", k]), "expected an integer K in 0..=64");
    }
    assert_exit_2(&verify_jittered(&["--jitter-seed", "3"]), "--lsb-jitter");
}

#[test]
fn run_json_prints_raw_and_float_outputs() {
    let doc = json(&acec(&["run", DIGITS, "--calib", CALIB, "--data", TEST, "--index", "3", "--json"]));
    let raw: Vec<i64> = doc["output_q15"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    let floats: Vec<f64> = doc["output"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let frac = doc["output_frac_bits"].as_i64().unwrap() as i32;
    assert_eq!(raw.len(), 10);
    for (r, f) in raw.iter().zip(&floats) {
        assert!((*r as f64 / 2f64.powi(frac) - f).abs() < 1e-6);
    }
    let argmax = doc["argmax"].as_u64().unwrap() as usize;
    assert!(raw.iter().all(|&v| v <= raw[argmax]));
}

#[test]
fn sim_json_reports_a_bit_identical_intermittent_run() {
    let doc = json(&acec(&[
        "sim",
        DIGITS,
        "--calib",
        CALIB,
        "--block",
        "64",
        "--capacitor",
        "47uF",
        "--power",
        "300uW",
        "--json",
    ]));
    assert_eq!(doc["completed"], true);
    assert_eq!(doc["bit_identical"], true);
    for field in ["reboots", "failures_injected", "time_to_inference_s", "checkpoint_overhead_pct"] {
        assert!(doc[field].as_f64().is_some(), "{field}");
    }
}

/// `--buffer inas` is the energy buffer of iNAS's cost model (100 uF, 2.8 -> 2.4 V, no regulator loss):
/// a charge holds 0.5 C (V_on^2 - V_off^2) = 104 uJ against the default's 0.8 x 0.5 x 100 uF x (3.0^2 - 1.8^2)
/// = 230.4 uJ, and the task budget (a charge less the boot and commit reserve) drops by the difference.
#[test]
fn sim_buffer_presets_change_the_energy_of_a_charge() {
    let budget = |buffer: &str| {
        let doc = json(&acec(&["sim", DIGITS, "--calib", CALIB, "--block", "64", "--buffer", buffer, "--json"]));
        assert_eq!(doc["bit_identical"], true, "{buffer}");
        doc["budget_uj"].as_f64().expect("budget_uj")
    };
    let charge = |c_uf: f64, v_on: f64, v_off: f64, eff: f64| 0.5 * c_uf * (v_on * v_on - v_off * v_off) * eff;
    let expected = charge(100.0, 3.0, 1.8, 0.8) - charge(100.0, 2.8, 2.4, 1.0);
    let drop = budget("default") - budget("inas");
    assert!((drop - expected).abs() < 0.01, "the budget drops {drop:.3} uJ, expected {expected:.3}");
    assert_exit_2(&acec(&["sim", DIGITS, "--buffer", "huge"]), "default, inas");
}

#[test]
fn report_json_has_every_variant_and_the_plots_match_it() {
    let dir = temp_dir("report-plots");
    let doc =
        json(&acec(&["report", DIGITS, "--calib", CALIB, "--block", "64", "--json", "-o", dir.to_str().unwrap()]));
    let mut bars = 0;
    for name in ["acec", "dense_cpu", "dense_lea", "paper_ace", "bound"] {
        assert!(doc["variants"][name]["cycles"].as_u64().unwrap() > 0, "{name}");
        assert!(doc["variants"][name]["energy_uj"].as_f64().unwrap() > 0.0, "{name}");
        let layers = doc["variants"][name]["layers"].as_array().unwrap();
        assert!(!layers.is_empty(), "{name}");
        bars += layers.len();
    }
    // acec's own method beats the published one on the same circulant layers.
    assert!(doc["ratios"]["paper_ace/acec"].as_f64().unwrap() > 1.0);

    // cycles.svg: one bar per layer per variant, carrying the JSON's numbers.
    let cycles = std::fs::read_to_string(dir.join("cycles.svg")).unwrap();
    assert_well_formed(&cycles);
    assert_eq!(cycles.matches("class=\"bar\"").count(), bars);
    let acec_fc = doc["variants"]["acec"]["layers"][1]["cycles"].as_u64().unwrap();
    assert!(
        cycles.contains(&format!("data-series=\"acec\" data-group=\"/2/Gemm + /3/Relu\" data-value=\"{acec_fc}\""))
    );

    // tasks.svg: two stacked bars per FLEX task, each under the one-charge line.
    let tasks = std::fs::read_to_string(dir.join("tasks.svg")).unwrap();
    assert_well_formed(&tasks);
    let flex = &doc["flex"];
    let count = flex["tasks"].as_array().unwrap().len();
    assert!(count > 0);
    assert_eq!(tasks.matches("class=\"bar\"").count(), 2 * count);
    let charge = flex["charge_uj"].as_f64().unwrap();
    assert!(tasks.contains(&format!("class=\"budget\" data-value=\"{charge:.3}\"")));
    for task in flex["tasks"].as_array().unwrap() {
        assert!(task["energy_uj"].as_f64().unwrap() + flex["overhead_uj"].as_f64().unwrap() <= charge);
    }
    assert!(std::fs::read_to_string(dir.join("report.md")).unwrap().contains("paper_ace"));
}

/// Every element is closed, in order (`<a>..</a>` or `<a/>`), and there is one root: enough XML to catch a
/// broken writer without an XML crate.
fn assert_well_formed(svg: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>').expect("unclosed tag");
        let tag = &rest[start + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
        } else {
            let name = tag.split_whitespace().next().unwrap().trim_end_matches('/');
            if stack.is_empty() {
                roots += 1;
            }
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert_eq!(roots, 1);
}

#[test]
fn targets_lists_the_three_targets() {
    let output = acec(&["targets"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for name in ["msp430-lea", "msp430", "host"] {
        assert!(text.lines().any(|l| l.starts_with(name)), "{name} missing in:\n{text}");
    }
}

fn assert_exit_2(output: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
}

#[test]
fn a_model_too_big_for_the_device_is_refused_and_nothing_is_written() {
    // Three 256 x 256 dense layers: 393 KB of Q15 weights, more than all 256 KB of FRAM.
    let dir = temp_dir("too-big");
    let mut model = ModelBuilder::new(13).input("x", &[Some(1), Some(256)]);
    let mut input = "x".to_string();
    for layer in 0..3 {
        let (w, y) = (format!("w{layer}"), format!("y{layer}"));
        model = model.initializer(&w, &[256, 256], (0..65536).map(|i| (i % 7) as f32 / 700.0).collect()).node(
            "Gemm",
            &format!("fc{layer}"),
            &[&input, &w],
            &[&y],
            &[("transB", Attr::Int(1))],
        );
        input = y;
    }
    let path = model.output(&input).write(&dir, "big.onnx");
    let out = dir.join("out");
    let output = acec(&["build", path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_exit_2(&output, "fram_upper needs");
    // The advice is to train the layers, with the command to paste, not to project them.
    let compress = format!("`acec compress {} --data TRAIN.npz --target msp430-lea -o big-rad.onnx`", path.display());
    assert_exit_2(&output, &compress);
    assert_exit_2(&output, "train these layers block-circulant (fc0, fc1, fc2)");
    assert_exit_2(&output, "then `acec build big-rad.onnx --target msp430-lea`");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("--block"), "no --block advice");
    assert!(!out.exists(), "a refused build wrote {}", out.display());
}

/// fmnist-resnet's weights are in its convolutions (its one dense layer holds 640 bytes): with
/// --no-upper-fram it is 18 KB over, and `acec compress` can train its plain convolutions block-circulant,
/// so `build` says so, naming them, with the command to paste.
#[test]
fn a_cnn_over_fram_is_told_to_compress_its_convolutions() {
    let out = temp_dir("resnet-over").join("out");
    let model = "fixtures/fmnist-resnet/model.onnx";
    let output = acec(&[
        "build",
        model,
        "--calib",
        "fixtures/data/fmnist-train.npz",
        "--no-upper-fram",
        "-o",
        out.to_str().unwrap(),
    ]);
    // Not the stem (one input channel: block 16 would store more than its weights), nor the 10-output
    // classifier (no block the FFT runs divides 10).
    assert_exit_2(&output, "train these layers block-circulant (/stacks/stacks.0/body/body.0/body.0.0/Conv,");
    assert_exit_2(&output, "/stacks/stacks.2/shortcut/shortcut.0/Conv)");
    assert_exit_2(&output, &format!("`acec compress {model} --data fixtures/data/fmnist-train.npz"));
    assert!(!out.exists());
}

/// A model whose weights sit in a grouped convolution (64 K of them, 2 groups), which `acec compress`
/// cannot make block-circulant, behind a small plain convolution it can (2 K weights): compressing that
/// would not save the bytes the model is over, so `build` says so and does not suggest it.
#[test]
fn no_compress_advice_when_the_compressible_layers_cannot_save_enough() {
    let dir = temp_dir("grouped-over");
    let model = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(16), Some(1), Some(1)])
        .initializer("w0", &[128, 16, 1, 1], (0..2048).map(|i| (i % 11) as f32 / 1100.0).collect())
        .node("Conv", "plain", &["x", "w0"], &["p"], &[])
        .initializer("w", &[1024, 64, 1, 1], (0..65536).map(|i| (i % 13) as f32 / 1300.0).collect())
        .node("Conv", "grouped", &["p", "w"], &["a"], &[("group", Attr::Int(2))])
        .node("Flatten", "flatten", &["a"], &["f"], &[])
        .initializer("w2", &[10, 1024], (0..10240).map(|i| (i % 7) as f32 / 700.0).collect())
        .node("Gemm", "fc", &["f", "w2"], &["y"], &[("transB", Attr::Int(1))])
        .output("y")
        .write(&dir, "grouped.onnx");
    let out = dir.join("out");
    let output = acec(&["build", model.to_str().unwrap(), "--no-upper-fram", "-o", out.to_str().unwrap()]);
    assert_exit_2(&output, "can make block-circulant on this target hold only 4096 bytes of weights");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("`acec compress"), "no command to paste");
    assert!(!out.exists());
}

#[test]
fn weights_beyond_lower_fram_go_to_upper_fram() {
    let out = temp_dir("upper-fram").join("out");
    let output = acec(&["build", DIGITS, "--calib", CALIB, "-o", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("in upper FRAM, read by DMA"));
    // Dense layers store what the model has: the same size, not "1.00x smaller".
    assert!(stdout.contains("85,002 parameters stored (the same size)"), "{stdout}");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("fram_upper: "), "{report}");
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("link_section = \".acec.fram_upper.00\"") && lib.contains("&far("));
}

#[test]
fn bad_arguments_exit_2_with_the_fix() {
    assert_exit_2(&acec(&["build", DIGITS, "--block", "48"]), "not a power of two");
    assert_exit_2(
        &acec(&["build", DIGITS, "--block", "nope=64"]),
        "no dense layer or ungrouped convolution named 'nope'",
    );
    assert_exit_2(&acec(&["build", DIGITS, "--target", "esp32"]), "msp430-lea");
    assert_exit_2(&acec(&["verify", DIGITS, "--data", "fixtures/data/fmnist-test.npz"]), "N x 64");
    assert_exit_2(&acec(&["run", DIGITS, "--data", TEST, "--index", "100000"]), "out of range");
    assert_exit_2(&acec(&["sim", DIGITS, "--block", "64", "--capacitor", "lots"]), "47uF");
}

#[test]
fn build_refuses_to_replace_a_directory_it_did_not_write() {
    let dir = temp_dir("not-ours");
    std::fs::write(dir.join("precious.txt"), "keep me").unwrap();
    let output = acec(&["build", DIGITS, "--calib", CALIB, "--block", "64", "-o", dir.to_str().unwrap()]);
    assert_exit_2(&output, "not an acec output directory");
    assert!(dir.join("precious.txt").exists());
}

/// `acec --version` names the cost tables every modeled figure comes from: the content hash is FNV-1a 32 of
/// the three `target.json` files in the order the compiler lists them, recomputed here from the checkout.
#[test]
fn version_names_the_cost_tables() {
    let output = acec(&["--version"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let tables = ["targets/msp430-lea/target.json", "targets/msp430/target.json", "targets/host/target.json"];
    let bytes: Vec<u8> = tables.iter().flat_map(|t| std::fs::read(repo_root().join(t)).unwrap()).collect();
    let hash = acec::codegen::program_id::fnv1a32(&bytes);
    assert!(text.contains(&format!("content fnv1a {hash:08x}")), "{text}");
    assert!(text.contains("cost tables: commit "), "{text}");
}

/// What `cargo install --path compiler` gives works from any directory: the binary carries the runtime and
/// the cost tables, so a build from elsewhere writes a crate that reaches nothing outside its own directory.
#[test]
fn build_works_from_any_directory() {
    let dir = temp_dir("build-elsewhere");
    let model = repo_root().join("fixtures/digits-mlp-rad/model.onnx");
    let calib = repo_root().join(CALIB);
    let output = Command::new(env!("CARGO_BIN_EXE_acec"))
        .current_dir(&dir)
        .arg("build")
        .arg(&model)
        .arg("--calib")
        .arg(&calib)
        .args(["-o", "out"])
        .output()
        .expect("acec runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let manifest = std::fs::read_to_string(dir.join("out/Cargo.toml")).unwrap();
    assert!(manifest.contains("path = \"acec-runtime\"") && !manifest.contains(".."), "{manifest}");
    assert!(dir.join("out/acec-runtime/src/lib.rs").exists());
}

/// `acec report` shows how its figures depend on DSPLib's call overhead: every variant's totals at x0.25,
/// x1 and x2 and the ranking under each; x1 is the variant's own total, more overhead never costs less,
/// and a DSPLib built without diagnostics (`--dsplib-diagnostics off`) makes acec cheaper.
#[test]
fn report_shows_the_sensitivity_to_dsplib_overhead() {
    let report = |extra: &[&str]| {
        let mut args = vec!["report", DIGITS, "--calib", CALIB, "--block", "64", "--json"];
        args.extend_from_slice(extra);
        json(&acec(&args))
    };
    let doc = report(&[]);
    for name in ["acec", "dense_cpu", "dense_lea", "paper_ace", "bound"] {
        let v = &doc["variants"][name];
        let at = |s: &str| v["sensitivity"][s]["cycles"].as_u64().unwrap();
        assert_eq!(at("x1"), v["cycles"].as_u64().unwrap(), "{name}");
        assert!(at("x0.25") <= at("x1") && at("x1") <= at("x2"), "{name}");
    }
    let cpu = &doc["variants"]["dense_cpu"]["sensitivity"];
    assert_eq!(cpu["x0.25"], cpu["x2"], "the CPU baseline calls no DSPLib");
    for setting in ["x0.25", "x1", "x2"] {
        let ranked: Vec<&str> =
            doc["rankings"][setting].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        assert_eq!(ranked.len(), 4, "every variant but the bound: {ranked:?}");
        let cycles = |n: &str| doc["variants"][n]["sensitivity"][setting]["cycles"].as_u64().unwrap();
        assert!(ranked.windows(2).all(|w| cycles(w[0]) <= cycles(w[1])), "{setting}: {ranked:?}");
    }
    let without = report(&["--dsplib-diagnostics", "off"]);
    assert!(without["variants"]["acec"]["cycles"].as_u64() < doc["variants"]["acec"]["cycles"].as_u64());
    let bad = acec(&["report", DIGITS, "--dsplib-diagnostics", "maybe"]);
    assert_eq!(bad.status.code(), Some(2), "{}", String::from_utf8_lossy(&bad.stderr));
}

/// `build --block` on weights that were not trained block-circulant warns, per projected layer, with the
/// SNR the report measures, what it means, and the `acec compress` that trains them instead; a model
/// trained circulant builds without a warning.
#[test]
fn build_block_warns_per_layer_whose_projection_loses_the_signal() {
    let out = temp_dir("projection-warning").join("out");
    let output = acec(&["build", DIGITS, "--calib", CALIB, "--block", "64", "-o", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let mut projected = 0;
    for layer in report["layers"].as_array().unwrap() {
        let name = layer["layer"].as_str().unwrap().split(" + ").next().unwrap();
        let warning = stderr.lines().find(|l| l.starts_with(&format!("warning: layer '{name}' (--block 64)")));
        match (layer["block"].as_u64(), layer["snr_db"].as_f64()) {
            (Some(64), Some(snr)) if snr < 20.0 => {
                let warning = warning.unwrap_or_else(|| panic!("no warning for {name} at {snr} dB: {stderr}"));
                assert!(warning.contains(&format!("its output keeps {snr:.1} dB SNR")), "{warning}");
                assert!(warning.contains("below 20 dB") && warning.contains("accuracy drop"), "{warning}");
                projected += 1;
            }
            _ => assert!(warning.is_none(), "{name}: {warning:?}"),
        }
    }
    assert_eq!(projected, 2, "both hidden layers are projected: {stderr}");
    let fix = format!("`acec compress {DIGITS} --data {CALIB} --target msp430-lea --block 64 -o digits-mlp-rad.onnx`");
    assert!(stderr.contains(&fix), "{fix} in {stderr}");

    let trained = temp_dir("projection-none").join("out");
    let model = "fixtures/digits-mlp-rad/model.onnx";
    let output = acec(&["build", model, "--calib", CALIB, "-o", trained.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Without `--calib`, build, verify, run and sim say in one line which inputs the ranges assume and how
/// to pass real ones; with it they do not.
#[test]
fn commands_without_calibration_say_which_inputs_they_assume() {
    let bound = acec::pipeline::STATIC_INPUT_BOUND;
    let note = format!("note: no --calib: activation ranges assume inputs in [-{bound}, {bound}]");
    let out = temp_dir("calib-note").join("out");
    let commands: [Vec<&str>; 4] = [
        vec!["build", DIGITS, "-o", out.to_str().unwrap()],
        vec!["verify", DIGITS, "--data", TEST, "--limit", "5"],
        vec!["run", DIGITS, "--data", TEST],
        vec!["sim", DIGITS, "--block", "64", "--failures", "2"],
    ];
    for args in &commands {
        let output = acec(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&note)).collect();
        assert_eq!(lines.len(), 1, "{args:?}: {stderr}");
        assert!(lines[0].contains("--calib FILE.npz"), "{}", lines[0]);
        let with_calib: Vec<&str> = args.iter().copied().chain(["--calib", CALIB]).collect();
        let output = acec(&with_calib);
        assert!(output.status.success() && !String::from_utf8_lossy(&output.stderr).contains("no --calib"));
    }
}

/// `acec report` on what `compress` may choose, a 256-point circulant layer: the published method needs
/// more LEA scratch than the target has there, so that baseline is `n/a` with the reason, in markdown and
/// JSON, and the rest of the report is there (exit 0).
#[test]
fn report_shows_a_baseline_it_cannot_compile_as_not_available() {
    let dir = temp_dir("report-na");
    // fc1: one 256 x 256 circulant block, W[r][c] = v[(r - c) mod 256]; fc2: dense.
    let v: Vec<f32> = (0..256).map(|i| ((i * 29 % 53) as f32 - 26.0) / 2000.0).collect();
    let circulant: Vec<f32> = (0..256 * 256).map(|i| v[(i / 256 + 256 - i % 256) % 256]).collect();
    let path = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(256)])
        .initializer("w1", &[256, 256], circulant)
        .initializer("w2", &[10, 256], (0..2560).map(|i| ((i % 13) as f32 - 6.0) / 100.0).collect())
        .node("Gemm", "fc1", &["x", "w1"], &["h"], &[("transB", Attr::Int(1))])
        .node("Relu", "relu", &["h"], &["r"], &[])
        .node("Gemm", "fc2", &["r", "w2"], &["y"], &[("transB", Attr::Int(1))])
        .output("y")
        .write(&dir, "circulant256.onnx");
    let model = path.to_str().unwrap();
    let doc = json(&acec(&["report", model, "--json"]));
    let reason = doc["unavailable"]["paper_ace"].as_str().expect("paper_ace is unavailable");
    assert!(reason.contains("fc1") && reason.contains("LEA scratch at block 256"), "{reason}");
    assert!(doc["variants"].get("paper_ace").is_none());
    assert!(doc["ratios"].get("paper_ace/acec").is_none());
    for name in ["acec", "dense_cpu", "dense_lea", "bound"] {
        assert!(doc["variants"][name]["cycles"].as_u64().unwrap() > 0, "{name}");
    }
    assert!(doc["variants"]["acec"]["layers"][0]["kind"].as_str().unwrap().starts_with("circulant-fft b=256"));

    let out = dir.join("report");
    let output = acec(&["report", model, "-o", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let markdown = String::from_utf8_lossy(&output.stdout);
    let row = markdown.lines().find(|l| l.starts_with("paper_ace ")).expect("a paper_ace row");
    assert!(row.contains("n/a") && row.contains(reason), "{row}");
    assert!(markdown.contains("- paper_ace/acec: n/a"), "{markdown}");
    assert!(markdown.contains("- dense_lea/acec: "), "{markdown}");
    assert_eq!(std::fs::read_to_string(out.join("report.md")).unwrap(), markdown);
    assert!(out.join("cycles.svg").is_file());
}

/// `acec report` charges each engine its own current (datasheet SLASE54 at 3 V: a CPU-active cycle
/// 118 uA/MHz, an LEA cycle the LEA's 86 plus LPM0's 15 uA/MHz), per layer, so its energy ratios are not
/// its cycle ratios: the CPU-only baseline spends more per cycle than acec, whose LEA cycles are cheaper.
#[test]
fn report_energy_is_by_engine() {
    let doc = json(&acec(&["report", DIGITS, "--calib", CALIB, "--block", "64", "--json"]));
    let (cpu_pj, lea_pj) = (118.0 * 3.0, (86.0 + 15.0) * 3.0);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0);
    for name in ["acec", "dense_lea", "paper_ace", "bound"] {
        let v = &doc["variants"][name];
        for layer in v["layers"].as_array().unwrap() {
            let cycles = layer["cycles"].as_u64().unwrap() as f64;
            let lea = layer["lea_cycles"].as_u64().unwrap() as f64;
            let e = &layer["energy"];
            assert!(close(e["cpu_uj"].as_f64().unwrap() * 1e6, (cycles - lea) * cpu_pj), "{name} {layer}");
            assert!(close(e["lea_uj"].as_f64().unwrap() * 1e6, lea * lea_pj), "{name} {layer}");
            let sum =
                e["cpu_uj"].as_f64().unwrap() + e["multiplier_uj"].as_f64().unwrap() + e["lea_uj"].as_f64().unwrap();
            assert!(close(sum, layer["energy_uj"].as_f64().unwrap()), "{name} {layer}");
        }
    }
    let cpu = &doc["variants"]["dense_cpu"];
    assert_eq!(cpu["lea_cycles"], 0, "the CPU baseline never wakes the LEA");
    assert!(cpu["energy"]["multiplier_uj"].as_f64().unwrap() > 0.0, "its dot products run the multiplier");
    assert!(doc["variants"]["acec"]["lea_cycles"].as_u64().unwrap() > 0);
    let ratio = |key: &str| doc["ratios"][key].as_f64().unwrap();
    assert!((ratio("dense_cpu/acec energy") - ratio("dense_cpu/acec")).abs() > 0.01 * ratio("dense_cpu/acec"));
    assert!(ratio("acec/bound energy") != ratio("acec/bound"));
}
