//! `cargo bench -p acec --bench perf`: how fast acec itself is, and how fast the code it generates runs on
//! the host. Two tables:
//!
//! 1. **Build time** per fixture: `acec build` in process — import, calibration, lowering, memory plan,
//!    metered costs, FLEX partition and code generation (files rendered in memory, not written) — the best
//!    of [`BUILD_RUNS`] runs.
//! 2. **Host throughput** of generated crates: each variant of a model is generated, compiled with
//!    `cargo build --release` in a small harness, and its `infer` (soft backend) timed over the first test
//!    samples for about [`SECONDS`] s; printed as time per inference and as ratios to acec. The dense
//!    baseline is the same model with `BlockRequest::Never`; `paper_ace` is the published circulant method.
//!
//! Host numbers measure the kernels' arithmetic on this machine, not the device: the device's cycles come
//! from `acec report`. Nothing here is asserted (numbers that describe a measurement live in a benchmark's
//! output); without `--bench` (as under `cargo test --benches`) it only prints how to run it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use acec::ace::BlockRequest;
use acec::codegen::{self, Provenance, TaskEntry};
use acec::pipeline::{self, Compiled, Request};

/// Runs of each build; the best is reported (the others absorb cache and scheduler noise).
const BUILD_RUNS: usize = 3;
/// Test samples each throughput harness cycles through.
const SAMPLES: usize = 16;
/// Time each harness spends in its timed loop.
const SECONDS: f64 = 1.0;

struct Fixture {
    name: &'static str,
    data: &'static str,
    /// `--block`, for a model that only fits the device when compressed.
    block: Option<usize>,
}

const FIXTURES: [Fixture; 4] = [
    Fixture { name: "fmnist-lenet", data: "fmnist", block: None },
    Fixture { name: "fmnist-circulant", data: "fmnist", block: None },
    Fixture { name: "mnist1d-conv", data: "mnist1d", block: None },
    Fixture { name: "digits-mlp", data: "digits", block: Some(64) },
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the compiler crate is in the workspace").to_path_buf()
}

fn request(f: &Fixture, blocks: BlockRequest) -> Request {
    let root = repo_root();
    Request {
        blocks,
        calib: Some(root.join("fixtures/data").join(format!("{}-train.npz", f.data))),
        ..Request::new(root.join("fixtures").join(f.name).join("model.onnx"), "msp430-lea")
    }
}

fn blocks(f: &Fixture) -> BlockRequest {
    f.block.map_or(BlockRequest::Detect, BlockRequest::All)
}

/// The FLEX tasks `acec build` would emit (one task per step when the program needs no partition).
fn tasks(compiled: &Compiled) -> Vec<TaskEntry> {
    let program = &compiled.program;
    let whole = || (0..program.steps.len()).map(|i| (i, 0, program.steps[i].call.work_units())).collect();
    let Some(buffer) = &compiled.target.energy_buffer else { return whole() };
    let usable_pj = acec::flex::EnergyBuffer::from(buffer).usable_pj();
    match acec::flex::partition(program, &compiled.target, &compiled.cost_model, usable_pj) {
        Ok(plan) => plan.tasks.iter().map(|t| (t.step, t.start, t.end)).collect(),
        // A baseline too big for one charge still runs on the host without intermittent entry points' tasks.
        Err(_) => whole(),
    }
}

fn generate(compiled: &Compiled, crate_name: &str) -> Vec<codegen::GeneratedFile> {
    let fram_upper_address = compiled.target.region("fram_upper").map_or(0x1_0000, |r| r.start);
    let provenance = Provenance { model_file: "model.onnx", target: &compiled.target.name, fram_upper_address };
    codegen::generate(&compiled.program, crate_name, &provenance, &tasks(compiled), "benchmark build\n")
        .expect("code generation")
}

/// Best wall time of `acec build` (without writing files), in milliseconds.
fn build_ms(f: &Fixture) -> f64 {
    (0..BUILD_RUNS)
        .map(|_| {
            let start = Instant::now();
            let compiled = pipeline::compile(&request(f, blocks(f))).expect("fixture compiles");
            let files = generate(&compiled, f.name);
            std::hint::black_box(files);
            start.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

const HARNESS: &str = r#"use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let text = std::fs::read_to_string(args.next().expect("inputs file")).expect("inputs readable");
    let seconds: f64 = args.next().expect("seconds").parse().expect("seconds is a number");
    let inputs: Vec<[i16; model::INPUT_LEN]> = text
        .lines()
        .map(|l| {
            let v: Vec<i16> = l.split_whitespace().map(|t| t.parse().expect("i16")).collect();
            v.try_into().expect("INPUT_LEN values per line")
        })
        .collect();
    let mut out = [0i16; model::OUTPUT_LEN];
    let mut acc = model::SoftBackend;
    let mut checksum = 0usize;
    // Warm-up pass, then whole passes over the inputs until the time is up.
    for x in &inputs {
        // SAFETY: single-threaded; no other entry point of the model runs.
        checksum += unsafe { model::infer(&mut acc, x, &mut out) }.expect("inference");
    }
    let (start, mut runs) = (Instant::now(), 0u64);
    while start.elapsed().as_secs_f64() < seconds {
        for x in &inputs {
            // SAFETY: as above.
            checksum += unsafe { model::infer(&mut acc, std::hint::black_box(x), &mut out) }.expect("inference");
            runs += 1;
        }
    }
    println!("{} {runs} {checksum}", start.elapsed().as_nanos() as f64 / runs as f64);
}
"#;

/// Nanoseconds per `infer` of `compiled`'s generated crate, built in release mode under `work`.
fn infer_ns(compiled: &Compiled, f: &Fixture, variant: &str, work: &Path) -> f64 {
    let crate_name = format!("{}-{variant}", f.name);
    let dir = work.join(&crate_name);
    let model_dir = dir.join("model");
    for file in generate(compiled, &crate_name) {
        let path = model_dir.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("a file in a directory")).expect("bench dir writable");
        std::fs::write(&path, &file.contents).expect("bench dir writable");
    }
    let harness = dir.join("harness");
    std::fs::create_dir_all(harness.join("src")).expect("bench dir writable");
    let manifest = format!(
        "[package]\nname = \"harness\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\n\
         model = {{ path = {:?}, package = {crate_name:?} }}\n\n[workspace]\n",
        model_dir.display().to_string()
    );
    std::fs::write(harness.join("Cargo.toml"), manifest).expect("bench dir writable");
    std::fs::write(harness.join("src/main.rs"), HARNESS).expect("bench dir writable");

    let root = repo_root();
    let data = acec::dataset::load(
        &root.join("fixtures/data").join(format!("{}-test.npz", f.data)),
        compiled.graph.input_shape.dims(),
    )
    .expect("test data");
    let lines: Vec<String> = (0..SAMPLES.min(data.len()))
        .map(|i| {
            let q = acec::verify::quantize_input(&compiled.program, data.sample(i));
            q.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" ")
        })
        .collect();
    let inputs = dir.join("inputs.txt");
    std::fs::write(&inputs, lines.join("\n") + "\n").expect("bench dir writable");

    let run = Command::new(env!("CARGO"))
        .args(["run", "--release", "--quiet", "--manifest-path"])
        .arg(harness.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(work.join("target"))
        .arg("--")
        .arg(&inputs)
        .arg(SECONDS.to_string())
        .output()
        .expect("cargo runs");
    assert!(run.status.success(), "{crate_name}: {}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8_lossy(&run.stdout);
    stdout.split_whitespace().next().and_then(|ns| ns.parse().ok()).expect("the harness prints ns per inference")
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("acec's benchmarks: run `cargo bench -p acec --bench perf`");
        return;
    }
    println!("Build time (acec build in process, no file writes; best of {BUILD_RUNS}):\n");
    println!("{:<18} {:>7} {:>10}", "fixture", "block", "build ms");
    for f in &FIXTURES {
        let block = f.block.map_or("detect".to_string(), |b| b.to_string());
        println!("{:<18} {block:>7} {:>10.1}", f.name, build_ms(f));
    }

    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("acec-bench");
    println!(
        "\nHost throughput of generated crates (soft backend, release build, {SAMPLES} test samples, {SECONDS} s):\n"
    );
    println!("{:<18} {:<10} {:>12} {:>12} {:>10}", "fixture", "variant", "us/infer", "infer/s", "vs acec");
    for f in FIXTURES.iter().filter(|f| f.name == "fmnist-circulant" || f.name == "digits-mlp") {
        let variants = [
            ("acec", pipeline::compile(&request(f, blocks(f)))),
            ("dense", pipeline::compile(&request(f, BlockRequest::Never))),
            ("paper_ace", pipeline::compile_with(&request(f, blocks(f)), pipeline::Methods::PAPER)),
        ];
        let mut acec_ns = None;
        for (variant, compiled) in variants {
            let ns = infer_ns(&compiled.expect("fixture compiles"), f, variant, &work);
            let base = *acec_ns.get_or_insert(ns);
            println!("{:<18} {variant:<10} {:>12.1} {:>12.0} {:>9.2}x", f.name, ns / 1e3, 1e9 / ns, ns / base);
        }
    }
}
