//! Tanh, Sigmoid, HardSwish, HardSigmoid, LeakyRelu and Clip (ReLU6) between dense layers, against
//! tract: acec's float graph computes what tract computes; the compiled program (one `lookup` table step
//! per activation, each within 2 LSB of the f64 function on every input: `ace::lower::activation`) keeps the
//! float result; the generated crate compiles; and the tasks survive power failures bit for bit.

mod support;

use acec::ace::Call;
use acec::graph::{Op, eval};
use acec::onnx::{self, ImportOptions};
use acec::pipeline::{self, Request};
use acec::reference::FloatReference;
use acec::verify::{dequantize_output, run_compiled};

use support::{Attr, ModelBuilder, noise, temp_dir};

const WIDTH: usize = 24;

/// x (1 x 16) -> Gemm -> Tanh -> Gemm -> Sigmoid -> Gemm -> HardSwish -> Gemm -> HardSigmoid -> Gemm ->
/// LeakyRelu -> Gemm -> Clip(0, 6) -> Gemm (8 outputs). Weights scaled so each activation sees inputs
/// of a few units, across its curve.
fn activations_mlp() -> ModelBuilder {
    let acts: [(&str, Vec<(&str, Attr)>); 6] = [
        ("Tanh", vec![]),
        ("Sigmoid", vec![]),
        ("HardSwish", vec![]),
        ("HardSigmoid", vec![("alpha", Attr::Float(0.25)), ("beta", Attr::Float(0.4))]),
        ("LeakyRelu", vec![("alpha", Attr::Float(0.1))]),
        ("Clip", vec![]),
    ];
    let mut m = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(16)])
        .initializer("clip_min", &[], vec![0.0])
        .initializer("clip_max", &[], vec![6.0]);
    let mut current = "x".to_string();
    let mut inputs = 16;
    for (k, (op, attrs)) in acts.into_iter().enumerate() {
        let (w, b, y, a) = (format!("w{k}"), format!("b{k}"), format!("y{k}"), format!("a{k}"));
        let scale = 4.0 / (inputs as f32).sqrt();
        m = m
            .initializer(&w, &[WIDTH as i64, inputs as i64], (0..WIDTH * inputs).map(|i| scale * noise(i, k)).collect())
            .initializer(&b, &[WIDTH as i64], (0..WIDTH).map(|i| 0.5 * noise(i, 50 + k)).collect())
            .node("Gemm", &format!("fc{k}"), &[&current, &w, &b], &[&y], &[("transB", Attr::Int(1))]);
        let act_inputs: Vec<&str> = if op == "Clip" { vec![&y, "clip_min", "clip_max"] } else { vec![&y] };
        m = m.node(op, &op.to_lowercase(), &act_inputs, &[&a], &attrs);
        current = a;
        inputs = WIDTH;
    }
    m.initializer("w_out", &[8, WIDTH as i64], (0..8 * WIDTH).map(|i| noise(i, 99) / 3.0).collect())
        .initializer("b_out", &[8], vec![0.0; 8])
        .node("Gemm", "out", &[&current, "w_out", "b_out"], &["y"], &[("transB", Attr::Int(1))])
        .output("y")
}

/// An input in [-1, 1): the range the static bound assumes without `--calib`.
fn sample(k: usize) -> Vec<f32> {
    (0..16).map(|i| noise(i, 200 + k)).collect()
}

fn request(path: std::path::PathBuf) -> Request {
    Request::new(path, "msp430-lea")
}

#[test]
fn each_activation_matches_tract_and_compiles_to_a_table_within_its_formats() {
    let dir = temp_dir("activations");
    let path = activations_mlp().write(&dir, "acts.onnx");
    let graph = onnx::load(&path, &ImportOptions::default()).expect("imports");
    let kinds: Vec<&str> =
        graph.layers.iter().filter(|l| matches!(l.op, Op::Activation(_))).map(|l| l.op.kind()).collect();
    assert_eq!(kinds, ["Tanh", "Sigmoid", "HardSwish", "HardSigmoid", "LeakyRelu", "Clip"]);
    let reference = FloatReference::load(&path, graph.input_shape.dims()).expect("tract loads it");
    let compiled = pipeline::compile(&request(path.clone())).expect("compiles");
    let tables = compiled.program.steps.iter().filter(|s| matches!(s.call, Call::Lookup { .. })).count();
    assert_eq!(tables, 6, "one lookup step per activation: {:?}", compiled.program.steps);
    let mut worst = 0f32;
    for k in 0..32 {
        let x = sample(k);
        let (ours, tract) = (eval::run(&graph, &x), reference.run(&x).expect("tract runs"));
        for (i, (a, b)) in ours.iter().zip(&tract).enumerate() {
            assert!((a - b).abs() <= 1e-4 * b.abs().max(1.0), "sample {k} output {i}: {a} vs tract {b}");
        }
        let device = dequantize_output(&compiled.program, &run_compiled(&compiled.program, &x).unwrap());
        let scale = tract.iter().fold(0f32, |m, v| m.max(v.abs()));
        for (d, f) in device.iter().zip(&tract) {
            worst = worst.max((d - f).abs() / scale);
        }
    }
    // Seven Q15 layers in a row: each rounds, and each activation adds at most 2 LSB of its own format.
    assert!(worst <= 0.01, "compiled output {:.4} of full scale from tract", worst);
}

#[test]
fn the_activation_tables_survive_power_failures_bit_identically() {
    let dir = temp_dir("activations-flex");
    support::assert_every_single_failure_is_survived(activations_mlp().write(&dir, "acts.onnx"), &sample(3));
}

/// The generated crate's lookup steps compile (`cargo check` of what `acec build` wrote).
#[test]
fn the_generated_crate_of_the_activations_compiles() {
    let dir = temp_dir("activations-crate");
    let path = activations_mlp().write(&dir, "acts.onnx");
    let out = dir.join("out");
    let built = support::build(&path, &out);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    assert_eq!(std::fs::read_to_string(out.join("src/lib.rs")).unwrap().matches("ops::lookup(").count(), 6);
    support::assert_generated_crate_checks(&out);
}
