//! `acec compress` end to end on a real CNN (short: one ADMM round and one fine-tune epoch on 256 samples):
//! the written model is exactly block-circulant where asked, every weight lies on the Q15 grid `acec build`
//! picks, tract loads and runs it like acec's own interpreter, `acec build` compiles it exactly, and the
//! same seed writes the same bytes. Plus the bad inputs that must end with exit code 2 and no output file.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use acec::ace::{Call, Data};
use acec::graph::{Graph, Op, eval};
use acec::onnx::{self, ImportOptions};
use acec::pipeline::{self, Request};
use acec::rad::calibrate::max_abs;
use acec::rad::circulant::detect_block_size;
use acec::rad::circulant_view::MatrixView;
use acec::rad::quant::frac_bits_for;
use acec::reference::FloatReference;
use ndarray::{Array1, Array2};
use ndarray_npy::NpzWriter;
use support::{repo_root, temp_dir};

fn acec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acec")).args(args).output().expect("the acec binary runs")
}

fn fixture(path: &str) -> String {
    repo_root().join("fixtures").join(path).to_string_lossy().into_owned()
}

fn compress_lenet(out: &Path) -> Output {
    acec(&[
        "compress",
        &fixture("fmnist-lenet/model.onnx"),
        "--data",
        &fixture("data/fmnist-train.npz"),
        "--test",
        &fixture("data/fmnist-test.npz"),
        "--limit",
        "256",
        "--epochs",
        "1",
        "--block",
        "/fc1/Gemm=64",
        "-o",
        out.to_str().unwrap(),
    ])
}

/// Asserts `weight` is on the grid of its own largest magnitude (what `acec build` quantizes with).
fn assert_on_grid(name: &str, weight: &[f32]) {
    let frac = frac_bits_for(max_abs(weight));
    for &w in weight {
        let scaled = f64::from(w) * 2f64.powi(frac);
        assert_eq!(scaled, scaled.round(), "{name}: {w} is not a multiple of 2^-{frac}");
    }
}

#[test]
fn compressed_lenet_is_exact_loads_in_tract_and_builds_exactly() {
    let dir = temp_dir("compress-lenet");
    let out = dir.join("lenet-rad.onnx");
    let output = compress_lenet(&out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(dir.join("lenet-rad.report.md").is_file() && dir.join("lenet-rad.report.json").is_file());
    let leftovers: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(leftovers.len(), 3, "only the model and its two reports: {leftovers:?}");

    // Structure: fc1 exactly circulant at 64, the other weighted layers not circulant, all on the Q15 grid.
    let graph: Graph = onnx::load(&out, &ImportOptions::default()).unwrap();
    let original = onnx::load(Path::new(&fixture("fmnist-lenet/model.onnx")), &ImportOptions::default()).unwrap();
    assert_eq!(graph.layers.len(), original.layers.len());
    for layer in &graph.layers {
        match &layer.op {
            Op::Dense(d) => {
                let block = detect_block_size(&d.weight.data, d.outputs(), d.inputs());
                assert_eq!(block, (layer.name == "/fc1/Gemm").then_some(64), "{}", layer.name);
                assert_on_grid(&layer.name, &d.weight.data);
            }
            Op::Conv(c) => assert_on_grid(&layer.name, &c.weight.data),
            _ => {}
        }
    }

    // tract runs the written file and agrees with acec's interpreter of the re-imported graph.
    let test = acec::dataset::load(Path::new(&fixture("data/fmnist-test.npz")), graph.input_shape.dims()).unwrap();
    let tract = FloatReference::load(&out, graph.input_shape.dims()).unwrap();
    for i in 0..8 {
        let (a, b) = (tract.run(test.sample(i)).unwrap(), eval::run(&graph, test.sample(i)));
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() <= 1e-4 * y.abs().max(1.0), "sample {i}: tract {x} vs acec {y}");
        }
    }

    // acec build detects fc1 at block 64 by itself, and every MAC layer's Q15 weights are the written
    // weights exactly (no second rounding).
    let compiled = pipeline::compile(&Request {
        calib: Some(PathBuf::from(fixture("data/fmnist-train.npz"))),
        ..Request::new(out.clone(), "msp430-lea")
    })
    .unwrap();
    assert!(compiled.plan.is_ok(), "fits msp430-lea: {:?}", compiled.plan.err());
    let program = &compiled.program;
    assert!(program.steps.iter().any(|s| s.kind == "circulant-fft b=64" && s.layer.starts_with("/fc1/Gemm")));
    let mut exact_layers = 0;
    for step in &program.steps {
        // Where the build stores float weight `index` (row-major, as in the graph) among its integers.
        let (weights, position): (_, Box<dyn Fn(usize) -> usize>) = match &step.call {
            Call::Dense { params, weights, .. } => {
                let (row, stride) = (params.inputs, params.row_stride);
                (weights, Box::new(move |i| (i / row) * stride + i % row))
            }
            Call::Conv { params, weights, .. } => {
                let (row, stride) = (params.in_channels * params.kernel_h * params.kernel_w, params.patch_stride);
                (weights, Box::new(move |i| (i / row) * stride + i % row))
            }
            Call::ConvFir { params: p, weights, .. } => {
                let kw = p.in_width + 2 * p.pad_left - p.out_width + 1;
                let p = *p;
                (
                    weights,
                    Box::new(move |i| {
                        let (kx, rest) = (i % kw, i / kw);
                        let (ky, rest) = (rest % p.kernel_h, rest / p.kernel_h);
                        let (c, oc) = (rest % p.in_channels, rest / p.in_channels);
                        ((c * p.kernel_h + ky) * p.out_channels + oc) * p.taps + (p.taps - 1 - kx)
                    }),
                )
            }
            _ => continue,
        };
        let layer = &graph.layers[graph.layers.iter().position(|l| step.layer.starts_with(&l.name)).unwrap()];
        let float = match &layer.op {
            Op::Dense(d) => &d.weight.data,
            Op::Conv(c) => &c.weight.data,
            _ => unreachable!(),
        };
        // The build's integers are the written floats times one power of two, exactly.
        let Data::I16(q) = &program.buffers[weights.0].data else { panic!("i16 weights") };
        let (first, w0) = float.iter().enumerate().find(|(_, w)| **w != 0.0).unwrap();
        let frac = (f64::from(q[position(first)]) / f64::from(*w0)).log2();
        assert_eq!(frac, frac.round(), "{}: scale 2^{frac}", layer.name);
        for (i, &w) in float.iter().enumerate() {
            assert_eq!(f64::from(q[position(i)]), f64::from(w) * 2f64.powi(frac as i32), "{}", layer.name);
        }
        exact_layers += 1;
    }
    // Convolutions compiled as FFTs store spectra the build computes from the written weights in f64: no
    // integer copy of the weights to compare. Every other weighted layer, fc2 at least, is exact.
    let weighted = program
        .steps
        .iter()
        .filter(|s| matches!(s.call, Call::Dense { .. } | Call::Conv { .. } | Call::ConvFir { .. }));
    assert_eq!(exact_layers, weighted.count());
    assert!(exact_layers >= 1, "fc2 compiles exactly");

    // The report says what happened.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("lenet-rad.report.json")).unwrap()).unwrap();
    let fc1 = report["layers"].as_array().unwrap().iter().find(|l| l["name"] == "/fc1/Gemm").unwrap();
    assert_eq!(
        (fc1["block"].as_u64(), fc1["params_before"].as_u64(), fc1["params_after"].as_u64()),
        (Some(64), Some(65_792), Some(1_280))
    );
    assert_eq!(report["rounds"].as_array().unwrap().len(), 1);
    // The reported accuracy is that of the written file (here through acec's interpreter, which agrees with
    // tract above), and two short epochs already keep most of what the model knew.
    let labels = test.y.as_ref().unwrap();
    let correct = (0..test.len())
        .filter(|&i| acec::verify::argmax(&eval::run(&graph, test.sample(i))) == labels[i] as usize)
        .count();
    let accuracy = correct as f64 / test.len() as f64;
    assert!(
        (report["accuracy_after"].as_f64().unwrap() - accuracy).abs() < 1e-9,
        "{} vs {accuracy}",
        report["accuracy_after"]
    );
    assert!(accuracy > 0.3, "{accuracy}");

    // Same seed, same data: the same bytes.
    let again = dir.join("again.onnx");
    assert!(compress_lenet(&again).status.success());
    assert!(std::fs::read(&out).unwrap() == std::fs::read(&again).unwrap(), "a rerun with the same seed differs");
}

fn write_npz(path: &Path, x: Array2<f32>, y: Array1<i64>) {
    let mut npz = NpzWriter::new(std::fs::File::create(path).unwrap());
    npz.add_array("x", &x).unwrap();
    npz.add_array("y", &y).unwrap();
    npz.finish().unwrap();
}

/// Runs compress on digits-mlp with this training file; asserts exit 2, the needles, and no output file.
fn assert_rejected(dir: &Path, data: &Path, needles: &[&str]) {
    let out = dir.join("out.onnx");
    let output = acec(&[
        "compress",
        &fixture("digits-mlp/model.onnx"),
        "--data",
        data.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    }
    assert!(!out.exists() && !dir.join("out.report.md").exists(), "no output after an error");
}

#[test]
fn bad_training_data_is_rejected_with_exit_code_2() {
    let dir = temp_dir("compress-bad-data");
    let wrong_shape = dir.join("shape.npz");
    write_npz(&wrong_shape, Array2::zeros((4, 63)), Array1::zeros(4));
    assert_rejected(&dir, &wrong_shape, &["shape.npz", "[4, 63]", "N x 64"]);

    let bad_labels = dir.join("labels.npz");
    write_npz(&bad_labels, Array2::zeros((4, 64)), Array1::from(vec![0, 3, 10, 1]));
    assert_rejected(&dir, &bad_labels, &["labels.npz", "label 10 of sample 2", "0..=9"]);

    let negative = dir.join("negative.npz");
    write_npz(&negative, Array2::zeros((2, 64)), Array1::from(vec![-1, 0]));
    assert_rejected(&dir, &negative, &["label -1 of sample 0"]);

    let no_samples = dir.join("none.npz");
    write_npz(&no_samples, Array2::zeros((0, 64)), Array1::zeros(0));
    assert_rejected(&dir, &no_samples, &["none.npz", "no samples"]);

    let empty = dir.join("empty.npz");
    std::fs::write(&empty, b"").unwrap();
    assert_rejected(&dir, &empty, &["empty.npz", "not an .npz archive"]);
}

/// A pointwise convolution compressed (CirCNN's structure: block-circulant over the channels at every
/// kernel position): the written model holds it exactly block-circulant in that view and on the Q15 grid,
/// tract runs it like acec's interpreter, and `acec build` finds the block by itself and compiles it as
/// FFT products per pixel, within a few LSB of the float model. Short: one epoch on 256 samples.
#[test]
fn a_compressed_pointwise_convolution_is_circulant_and_builds_as_fft_products() {
    let dir = temp_dir("compress-pointwise");
    let out = dir.join("mobilenet-rad.onnx");
    let layer = "/features/features.24/Conv";
    let output = acec(&[
        "compress",
        &fixture("fmnist-mobilenet/model.onnx"),
        "--data",
        &fixture("data/fmnist-train.npz"),
        "--limit",
        "256",
        "--epochs",
        "1",
        "--block",
        &format!("{layer}=16"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let graph: Graph = onnx::load(&out, &ImportOptions::default()).unwrap();
    for l in &graph.layers {
        let Op::Conv(c) = &l.op else { continue };
        let block = MatrixView::of_shape(c.weight.shape.dims()).detect_block_size(&c.weight.data, 64);
        assert_eq!(block, (l.name == layer).then_some(16), "{}", l.name);
        assert_on_grid(&l.name, &c.weight.data);
    }
    let test = acec::dataset::load(Path::new(&fixture("data/fmnist-test.npz")), graph.input_shape.dims()).unwrap();
    let tract = FloatReference::load(&out, graph.input_shape.dims()).unwrap();
    let compiled = pipeline::compile(&Request {
        calib: Some(PathBuf::from(fixture("data/fmnist-train.npz"))),
        ..Request::new(out.clone(), "msp430-lea")
    })
    .unwrap();
    let step = compiled.program.steps.iter().find(|s| s.layer.starts_with(layer)).unwrap();
    assert_eq!(step.kind, "circulant-conv b=16");
    assert_eq!((step.params_dense, step.params_stored), (2_112, 2_048 / 16 + 64));
    for i in 0..8 {
        let (a, b) = (tract.run(test.sample(i)).unwrap(), eval::run(&graph, test.sample(i)));
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() <= 1e-4 * y.abs().max(1.0), "sample {i}: tract {x} vs acec {y}");
        }
    }
    // The compiled model (every layer in Q15, this one by FFTs) classifies as the float model does, as
    // `accuracy.rs` asks of every fixture.
    let agree = (0..200)
        .filter(|&i| {
            let device = acec::verify::run_compiled(&compiled.program, test.sample(i)).unwrap();
            acec::verify::argmax(&device.iter().map(|&v| f32::from(v)).collect::<Vec<_>>())
                == acec::verify::argmax(&eval::run(&graph, test.sample(i)))
        })
        .count();
    assert!(agree >= 196, "the compiled model agrees with the float one on {agree} of 200 samples");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("mobilenet-rad.report.json")).unwrap()).unwrap();
    let row = report["layers"].as_array().unwrap().iter().find(|l| l["name"] == layer).unwrap();
    assert_eq!((row["block"].as_u64(), row["params_after"].as_u64()), (Some(16), Some(192)));
}

#[test]
fn blocks_the_target_cannot_run_are_rejected() {
    let dir = temp_dir("compress-bad-block");
    let train = PathBuf::from(fixture("data/digits-train.npz"));
    let run = |block: &str| {
        let out = dir.join("out.onnx");
        let output = acec(&[
            "compress",
            &fixture("digits-mlp/model.onnx"),
            "--data",
            train.to_str().unwrap(),
            "--block",
            block,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(!out.exists());
        (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let (code, stderr) = run("/2/Gemm=8");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("allows blocks 256, 128, 64, 32, 16"), "{stderr}");
    let (code, stderr) = run("/1/Relu=16");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("is neither a dense layer nor a convolution"), "{stderr}");
    let (code, stderr) = run("fast");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("expected auto, N or LAYER=N"), "{stderr}");
}

/// A compress of the LeNet long enough to be stopped (500 epochs), writing `dir/out.onnx`.
fn long_compress(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acec"));
    command
        .args(["compress", &fixture("fmnist-lenet/model.onnx"), "--data", &fixture("data/fmnist-train.npz")])
        .args(["--epochs", "500", "-o", dir.join("out.onnx").to_str().unwrap()]);
    command
}

/// A killed run (SIGKILL, which no handler sees) leaves no file behind: nothing is written until training
/// is over.
#[test]
fn an_interrupted_run_leaves_no_output() {
    let dir = temp_dir("compress-interrupted");
    let mut child = long_compress(&dir).stderr(std::process::Stdio::null()).spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert!(child.try_wait().unwrap().is_none(), "still training after 3 s");
    child.kill().unwrap();
    child.wait().unwrap();
    let left: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Ctrl-C (SIGINT, as a terminal sends it) stops the run cleanly: exit code 130, a message naming what
/// was stopped, and no file. The signal is sent once compress says it is listening for it.
#[test]
fn ctrl_c_stops_with_exit_code_130_a_message_and_no_output() {
    use std::io::{BufRead, BufReader, Read};

    let dir = temp_dir("compress-ctrl-c");
    let mut child =
        long_compress(&dir).stderr(std::process::Stdio::piped()).stdout(std::process::Stdio::null()).spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.contains("Ctrl-C stops the run cleanly"), "{first}");
    let kill = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(rest.contains("interrupted (Ctrl-C) while ") && rest.contains("stopped before writing anything"), "{rest}");
    let left: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The command a model too big for the device is told to run works as printed: pasted into a shell (with
/// one quick epoch added), it writes a model that `acec build`, as printed next, compiles.
#[test]
fn the_compress_command_a_misfit_suggests_works_when_pasted() {
    let dir = temp_dir("compress-pasted");
    // Two 256 x 256 dense layers and a 10-class output layer: 267 KB of Q15 weights, more than all 256 KB of
    // FRAM. (Ten outputs, as its labels say: with as many outputs as inputs it would be ambiguous, an
    // autoencoder or a classifier, and compress would ask for --task.)
    let mut model = support::ModelBuilder::new(13).input("x", &[Some(1), Some(256)]);
    let mut input = "x".to_string();
    for layer in 0..3 {
        let (w, y) = (format!("w{layer}"), format!("y{layer}"));
        let outputs = if layer == 2 { 10 } else { 256 };
        let weights = (0..outputs * 256).map(|i| ((i * 7919 + layer * 13) % 201) as f32 / 2000.0 - 0.05).collect();
        model = model.initializer(&w, &[outputs as i64, 256], weights).node(
            "Gemm",
            &format!("fc{layer}"),
            &[&input, &w],
            &[&y],
            &[("transB", support::Attr::Int(1))],
        );
        input = y;
    }
    let path = model.output(&input).write(&dir, "big.onnx");
    let samples = 64;
    let x = Array2::from_shape_fn((samples, 256), |(s, i)| (((s * 31 + i * 17) % 97) as f32 / 97.0) - 0.5);
    let y = Array1::from_shape_fn(samples, |s| (s % 10) as i64);
    let data = dir.join("labelled.npz");
    write_npz(&data, x, y);

    let output = acec(&["build", path.to_str().unwrap(), "--calib", data.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let commands: Vec<&str> = stderr.split('`').skip(1).step_by(2).filter(|c| c.starts_with("acec ")).collect();
    let [compress, build] = commands[..] else { panic!("two commands in: {stderr}") };
    assert!(compress.starts_with("acec compress ") && build.starts_with("acec build "), "{stderr}");
    let run = |command: &str| {
        let line = command.replacen("acec", env!("CARGO_BIN_EXE_acec"), 1);
        Command::new("sh").arg("-c").arg(line).current_dir(&dir).output().expect("sh runs")
    };
    let compressed = run(&format!("{compress} --epochs 1"));
    assert!(compressed.status.success(), "{compress}: {}", String::from_utf8_lossy(&compressed.stderr));
    let built = run(build);
    assert!(built.status.success(), "{build}: {}", String::from_utf8_lossy(&built.stderr));
}
