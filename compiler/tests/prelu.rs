//! PReLU as PyTorch exports it: `nn.PReLU(C)` after a convolution has its slope as a [C, 1, 1] initializer,
//! `nn.PReLU()` as a [1] one. Against tract: the per-channel form compiles to one table step per run of
//! equal slopes and stays within its formats, the single slope is a LeakyRelu, the tasks survive power
//! failures bit for bit and the generated crate compiles.

mod support;

use acec::ace::Call;
use acec::graph::{Activation, Op};
use acec::onnx::{self, ImportOptions};
use acec::pipeline::{self, Request};

use support::{Attr, ModelBuilder, noise, temp_dir};

/// x (1 x 2 x 5 x 5) -> Conv 3x3 pad 1 (4 channels) -> PRelu(`slopes`) -> Flatten -> Gemm (3 outputs).
fn conv_prelu(slopes: &[f32]) -> ModelBuilder {
    let slope_dims: &[i64] = if slopes.len() == 1 { &[1] } else { &[slopes.len() as i64, 1, 1] };
    ModelBuilder::new(13)
        .input("x", &[Some(1), Some(2), Some(5), Some(5)])
        .initializer("w", &[4, 2, 3, 3], (0..72).map(|i| 0.4 * noise(i, 1)).collect())
        .initializer("b", &[4], vec![0.1, -0.2, 0.05, 0.0])
        .initializer("slope", slope_dims, slopes.to_vec())
        .initializer("fc", &[3, 100], (0..300).map(|i| 0.2 * noise(i, 2)).collect())
        .node("Conv", "conv", &["x", "w", "b"], &["c"], &[("pads", Attr::Ints(vec![1, 1, 1, 1]))])
        .node("PRelu", "prelu", &["c", "slope"], &["p"], &[])
        .node("Flatten", "flatten", &["p"], &["f"], &[])
        .node("Gemm", "dense", &["f", "fc"], &["y"], &[("transB", Attr::Int(1))])
        .output("y")
}

/// Channels 1 and 2 share a slope; one is negative and one steeper than 1, so both signs of the output
/// below zero and a wider output range are exercised.
const SLOPES: [f32; 4] = [0.25, -0.5, -0.5, 1.5];

fn samples() -> Vec<Vec<f32>> {
    (0..8).map(|k| (0..50).map(|i| noise(i, 30 + k)).collect()).collect()
}

#[test]
fn a_per_channel_prelu_compiles_a_table_per_slope_and_matches_tract() {
    let dir = temp_dir("prelu");
    let path = conv_prelu(&SLOPES).write(&dir, "prelu.onnx");
    let graph = onnx::load(&path, &ImportOptions::default()).expect("imports");
    assert!(graph.layers.iter().any(|l| matches!(&l.op, Op::PRelu(p) if p.slopes == SLOPES)), "{:?}", graph.layers);
    let compiled = pipeline::compile(&Request::new(path.clone(), "msp430-lea")).expect("compiles");
    let lookups: Vec<_> = compiled.program.steps.iter().filter(|s| matches!(s.call, Call::Lookup { .. })).collect();
    // Three runs of equal slopes, each over its channels' 25 elements.
    let slices: Vec<(usize, usize)> = lookups.iter().map(|s| (s.input_offset, s.output_len)).collect();
    assert_eq!(slices, [(0, 25), (25, 50), (75, 25)], "{lookups:?}");
    support::assert_float_and_compiled_match_tract(&path, &samples(), 8.0);
}

#[test]
fn one_slope_for_every_channel_is_a_leaky_relu() {
    let dir = temp_dir("prelu-one");
    let path = conv_prelu(&[0.25]).write(&dir, "prelu.onnx");
    let graph = onnx::load(&path, &ImportOptions::default()).expect("imports");
    assert!(graph.layers.iter().any(|l| l.op == Op::Activation(Activation::LeakyRelu { alpha: 0.25 })));
    support::assert_float_and_compiled_match_tract(&path, &samples(), 8.0);
}

#[test]
fn a_per_channel_prelu_survives_power_failures_bit_identically() {
    let dir = temp_dir("prelu-flex");
    support::assert_every_single_failure_is_survived(conv_prelu(&SLOPES).write(&dir, "prelu.onnx"), &samples()[0]);
}

#[test]
fn the_generated_crate_of_a_prelu_model_compiles() {
    let dir = temp_dir("prelu-crate");
    let path = conv_prelu(&SLOPES).write(&dir, "prelu.onnx");
    let out = dir.join("out");
    let built = support::build(&path, &out);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    assert_eq!(std::fs::read_to_string(out.join("src/lib.rs")).unwrap().matches("ops::lookup(").count(), 3);
    support::assert_generated_crate_checks(&out);
}

#[test]
fn a_slope_that_varies_within_a_channel_is_refused_by_name() {
    let dir = temp_dir("prelu-refused");
    // One slope per column: it varies along the width, not the channels.
    let path = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(2), Some(5), Some(5)])
        .initializer("slope", &[5], vec![0.1, 0.2, 0.3, 0.4, 0.5])
        .node("PRelu", "by_column", &["x", "slope"], &["y"], &[])
        .output("y")
        .write(&dir, "prelu.onnx");
    let out = dir.join("out");
    let built = support::build(&path, &out);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert_eq!(built.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("by_column") && stderr.contains("one per channel"), "{stderr}");
    assert!(!out.exists(), "nothing written");
}
