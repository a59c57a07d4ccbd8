//! `acec build` end to end on every fixture: the crate is written, deterministic, matches its snapshot,
//! compiles on the host, and computes exactly what the compiler's host run computes.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use acec::ace::exec::Machine;
use acec::cli::parse_block;
use acec::pipeline::{self, Request};
use acec::verify::quantize_input;
use acec_runtime::SoftBackend;
use support::{repo_root, temp_dir};

/// (fixture, calibration data, test data (under fixtures/), block option, target): the uncompressed models keep their largest
/// weights in upper FRAM (read through `far`), the compressed ones fit below 64 KB.
const CASES: &[(&str, &str, &str, Option<&str>, &str)] = &[
    ("fmnist-lenet", "data/fmnist-train", "data/fmnist-test", None, "msp430-lea"),
    ("fmnist-circulant", "data/fmnist-train", "data/fmnist-test", None, "msp430-lea"),
    ("mnist1d-conv", "data/mnist1d-train", "data/mnist1d-test", None, "msp430-lea"),
    ("digits-mlp", "data/digits-train", "data/digits-test", Some("64"), "msp430-lea"),
    // Depthwise convolutions: one step per group, each on its channels' slice of the activations.
    ("keras-dscnn", "keras-dscnn/train", "keras-dscnn/test", None, "msp430-lea"),
    // A regression model: the MLPerf Tiny autoencoder shape, compressed by `acec compress` (block 16).
    ("keras-ad-rad", "keras-ad/train", "keras-ad/test", None, "msp430-lea"),
    // Residual connections: three activation buffers, an Add reading two of them.
    ("fmnist-resnet", "data/fmnist-train", "data/fmnist-test", None, "msp430-lea"),
    // Tanh, Sigmoid, HardSwish: one lookup table each.
    ("fmnist-smooth-mlp", "data/fmnist-train", "data/fmnist-test", None, "msp430-lea"),
    // An NHWC input of 4 channels: a gather step lays it out as the convolutions read it.
    ("fmnist-nhwc", "fmnist-nhwc/train", "fmnist-nhwc/test", None, "msp430-lea"),
    // A Keras (tf2onnx) export of a 4-channel NHWC input with a per-channel PReLU: a table step per slope.
    ("keras-nhwc", "keras-nhwc/train", "keras-nhwc/test", None, "msp430-lea"),
];
fn fixture(name: &str) -> PathBuf {
    repo_root().join("fixtures").join(name).join("model.onnx")
}

fn data(name: &str) -> PathBuf {
    repo_root().join("fixtures").join(format!("{name}.npz"))
}

fn acec_build(model: &Path, calib: &Path, block: Option<&str>, out: &Path, target: &str) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_acec"));
    cmd.arg("build").arg(model).args(["--target", target, "--calib"]).arg(calib).arg("-o").arg(out);
    if let Some(block) = block {
        cmd.args(["--block", block]);
    }
    cmd.output().expect("acec runs")
}

#[test]
fn builds_are_deterministic_and_match_snapshots() {
    let dir = temp_dir("build-snapshots");
    let mut ids = Vec::new();
    for (name, calib, _, block, target) in CASES {
        let (first, second) = (dir.join(format!("{name}-1")), dir.join(format!("{name}-2")));
        for out in [&first, &second] {
            let output = acec_build(&fixture(name), &data(calib), *block, out, target);
            assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        }
        for file in ["Cargo.toml", "src/lib.rs", "report.md", "report.json", "acec-runtime/src/lib.rs"] {
            let a = std::fs::read(first.join(file)).unwrap();
            let b = std::fs::read(second.join(file)).unwrap();
            assert!(a == b, "{name}: {file} differs between two identical builds");
        }
        let lib = std::fs::read_to_string(first.join("src/lib.rs")).unwrap();
        ids.push(checked_program_id(&first));
        insta::with_settings!({ snapshot_path => repo_root().join("snapshots"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{name}-{target}-lib.rs"), lib);
        });
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), CASES.len(), "two different programs share a PROGRAM_ID");
}

/// The `PROGRAM_ID` the crate in `dir` declares, checked from the output directory alone to be what the doc
/// of `codegen/program_id.rs` says: FNV-1a 32 of `src/lib.rs` with the value written as `0`, the record
/// format, `acec-runtime/Cargo.toml`, then every runtime source by path, each part followed by a 0 byte.
fn checked_program_id(dir: &Path) -> u32 {
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
    let declared = lib.lines().find(|l| l.starts_with("pub const PROGRAM_ID: u32 = 0x")).expect("PROGRAM_ID");
    let digits = declared.trim_start_matches("pub const PROGRAM_ID: u32 = 0x").trim_end_matches(';');
    let id = u32::from_str_radix(&digits.replace('_', ""), 16).unwrap();
    let mut bytes = lib.replacen(declared, "pub const PROGRAM_ID: u32 = 0;", 1).into_bytes();
    bytes.extend_from_slice(&acec_runtime::flex::RECORD_FORMAT.to_le_bytes());
    let runtime = dir.join("acec-runtime");
    bytes.extend(std::fs::read(runtime.join("Cargo.toml")).unwrap());
    bytes.push(0);
    let mut sources = Vec::new();
    rust_files(&runtime, &runtime, &mut sources);
    sources.sort();
    for path in sources {
        bytes.extend(path.as_bytes());
        bytes.push(0);
        bytes.extend(std::fs::read(runtime.join(&path)).unwrap());
        bytes.push(0);
    }
    assert_eq!(acec::codegen::program_id::fnv1a32(&bytes), id, "PROGRAM_ID is not the hash of its crate");
    id
}

/// Paths (relative to `base`, `/`-separated) of the `.rs` files under `dir`.
fn rust_files(dir: &Path, base: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn generated_crates_compile_and_match_the_host_run_bit_for_bit() {
    let dir = temp_dir("build-host");
    let cargo_target = repo_root().join("target/generated-crates");
    for (name, calib, test, block, target) in CASES {
        let out = dir.join(name);
        let output = acec_build(&fixture(name), &data(calib), *block, &out, target);
        assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));

        // The compiler's own host run on the first test samples.
        let request = Request {
            blocks: parse_block(*block).unwrap(),
            calib: Some(data(calib)),
            ..Request::new(fixture(name), target)
        };
        let compiled = pipeline::compile(&request).unwrap();
        let samples = acec::dataset::load(&data(test), compiled.graph.input_shape.dims()).unwrap();
        let mut inputs = String::new();
        let mut expected = String::new();
        for i in 0..8 {
            let q = quantize_input(&compiled.program, samples.sample(i));
            let mut machine = Machine::new(&compiled.program);
            let y = machine.infer(&mut SoftBackend, &q).unwrap();
            inputs.push_str(&join(&q));
            inputs.push('\n');
            expected.push_str(&join(&y));
            expected.push('\n');
        }

        let crate_name = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
        let crate_name =
            crate_name.lines().find_map(|l| l.strip_prefix("name = \"")).unwrap().trim_end_matches('"').to_string();
        let harness = write_harness(&dir.join(format!("{name}-harness")), &out, &crate_name);
        std::fs::write(harness.join("inputs.txt"), &inputs).unwrap();
        let run = Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--manifest-path"])
            .arg(harness.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&cargo_target)
            .arg("--")
            .arg(harness.join("inputs.txt"))
            .output()
            .unwrap();
        assert!(run.status.success(), "{name}: generated crate failed: {}", String::from_utf8_lossy(&run.stderr));
        assert_eq!(
            String::from_utf8_lossy(&run.stdout),
            expected,
            "{name}: generated crate disagrees with the host run"
        );
    }
}

fn join(values: &[i16]) -> String {
    values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" ")
}

/// A binary crate that runs the generated crate on inputs from a file, one sample per line.
fn write_harness(dir: &Path, model: &Path, crate_name: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"harness\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\n\
         model = {{ path = {:?}, package = {crate_name:?} }}\nacec-runtime = {{ path = {:?} }}\n\n[workspace]\n",
        model.display().to_string(),
        model.join("acec-runtime").display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    let main = r#"
fn main() {
    let path = std::env::args().nth(1).expect("inputs file");
    let text = std::fs::read_to_string(path).expect("readable");
    for line in text.lines() {
        let values: Vec<i16> = line.split_whitespace().map(|t| t.parse().expect("i16")).collect();
        let input: [i16; model::INPUT_LEN] = values.try_into().expect("INPUT_LEN values");
        let mut output = [0i16; model::OUTPUT_LEN];
        // SAFETY: one thread, one entry point at a time.
        unsafe {
            model::infer(&mut model::SoftBackend, &input, &mut output).expect("kernels accept the calls");
            // The intermittent entry points, run without failures, give the same result.
            model::start(&input);
            let status = model::resume(&mut model::SoftBackend).expect("kernels accept the calls");
            assert!(matches!(status, acec_runtime::flex::Status::Done { .. }));
            let mut resumed = [0i16; model::OUTPUT_LEN];
            model::output(&mut resumed);
            assert_eq!(resumed, output, "start/resume disagrees with infer");
            model::acknowledge();
            assert_eq!(model::resume(&mut model::SoftBackend).expect("idle"), acec_runtime::flex::Status::Idle);
        }
        let text: Vec<String> = output.iter().map(|v| v.to_string()).collect();
        println!("{}", text.join(" "));
    }
}
"#;
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    dir.to_path_buf()
}
