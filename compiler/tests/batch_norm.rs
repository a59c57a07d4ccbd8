//! A BatchNormalization that cannot fold into the layer before it, because a skip connection also reads
//! that layer's output (`x + BN(conv(x))`-style blocks): it stays a per-channel affine map and compiles to
//! the channel-affine step. Against tract, within its formats, and through every single power failure.

mod support;

use acec::ace::Call;
use acec::graph::Op;
use acec::onnx::{self, ImportOptions};
use acec::pipeline::{self, Request};

use support::{Attr, ModelBuilder, noise, temp_dir};

/// x (1 x 2 x 5 x 5) -> Conv 3x3 pad 1 (3 channels) 'conv' -> BatchNormalization 'bn'; conv + bn -> Relu
/// -> Flatten -> Gemm (3 outputs).
fn skip_over_batch_norm() -> ModelBuilder {
    ModelBuilder::new(13)
        .input("x", &[Some(1), Some(2), Some(5), Some(5)])
        .initializer("w", &[3, 2, 3, 3], (0..54).map(|i| 0.4 * noise(i, 1)).collect())
        .initializer("scale", &[3], vec![1.5, -0.75, 0.5])
        .initializer("shift", &[3], vec![0.1, 0.3, -0.2])
        .initializer("mean", &[3], vec![0.05, -0.1, 0.2])
        .initializer("var", &[3], vec![0.8, 1.2, 0.5])
        .initializer("fc", &[3, 75], (0..225).map(|i| 0.2 * noise(i, 3)).collect())
        .node("Conv", "conv", &["x", "w"], &["c"], &[("pads", Attr::Ints(vec![1, 1, 1, 1]))])
        .node("BatchNormalization", "bn", &["c", "scale", "shift", "mean", "var"], &["n"], &[])
        .node("Add", "skip", &["c", "n"], &["s"], &[])
        .node("Relu", "relu", &["s"], &["r"], &[])
        .node("Flatten", "flatten", &["r"], &["f"], &[])
        .node("Gemm", "dense", &["f", "fc"], &["y"], &[("transB", Attr::Int(1))])
        .output("y")
}

fn samples() -> Vec<Vec<f32>> {
    (0..8).map(|k| (0..50).map(|i| noise(i, 50 + k)).collect()).collect()
}

#[test]
fn a_batch_norm_beside_a_skip_is_a_channel_affine_step_and_matches_tract() {
    let dir = temp_dir("batch-norm");
    let path = skip_over_batch_norm().write(&dir, "bn.onnx");
    let graph = onnx::load(&path, &ImportOptions::default()).expect("imports");
    assert!(graph.layers.iter().any(|l| matches!(l.op, Op::Affine(_))), "not folded: {:?}", graph.layers);
    let program = pipeline::compile(&Request::new(path.clone(), "msp430-lea")).expect("compiles").program;
    assert!(program.steps.iter().any(|s| matches!(s.call, Call::ChannelAffine { .. })), "{:?}", program.steps);
    support::assert_float_and_compiled_match_tract(&path, &samples(), 8.0);
}

#[test]
fn a_standalone_batch_norm_survives_power_failures_bit_identically() {
    let dir = temp_dir("batch-norm-flex");
    support::assert_every_single_failure_is_survived(skip_over_batch_norm().write(&dir, "bn.onnx"), &samples()[0]);
}
