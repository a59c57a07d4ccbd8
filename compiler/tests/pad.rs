//! A constant Pad as PyTorch's `ZeroPad2d` and Keras's `ZeroPadding2D` export it: a separate node before a
//! Conv. A zero Pad of the spatial axes becomes the convolution's own padding (asymmetric included), and the
//! compiled model computes what tract computes; a Pad that cannot fold is refused by node name, with exit 2
//! and nothing written.

mod support;

use acec::graph::Op;
use acec::onnx::{self, ImportOptions};
use std::process::Command;

use support::{Attr, ModelBuilder, noise, temp_dir};

/// x (1 x 2 x 6 x 6) -> Pad (one row on top, two columns on the right, `value`) -> Conv 3x3 (3 channels)
/// -> Relu -> Flatten -> Gemm (4 outputs).
fn padded_cnn(value: f32) -> ModelBuilder {
    // Padded 7 x 8, convolved 5 x 6: 3 x 30 = 90 features.
    ModelBuilder::new(13)
        .input("x", &[Some(1), Some(2), Some(6), Some(6)])
        .int64_initializer("pads", &[8], vec![0, 0, 1, 0, 0, 0, 0, 2])
        .initializer("value", &[], vec![value])
        .initializer("w", &[3, 2, 3, 3], (0..54).map(|i| 0.4 * noise(i, 1)).collect())
        .initializer("b", &[3], vec![0.1, -0.2, 0.05])
        .initializer("fc", &[4, 90], (0..360).map(|i| 0.2 * noise(i, 2)).collect())
        .node("Pad", "zero_pad", &["x", "pads", "value"], &["p"], &[("mode", Attr::Str("constant"))])
        .node("Conv", "conv", &["p", "w", "b"], &["c"], &[])
        .node("Relu", "relu", &["c"], &["r"], &[])
        .node("Flatten", "flatten", &["r"], &["f"], &[])
        .node("Gemm", "dense", &["f", "fc"], &["y"], &[("transB", Attr::Int(1))])
        .output("y")
}

#[test]
fn a_zero_pad_before_a_conv_folds_and_matches_tract() {
    let dir = temp_dir("pad");
    let path = padded_cnn(0.0).write(&dir, "pad.onnx");
    let graph = onnx::load(&path, &ImportOptions::default()).expect("imports");
    assert!(!graph.layers.iter().any(|l| matches!(l.op, Op::Pad(_))), "the Pad folds: {:?}", graph.layers);
    let samples: Vec<Vec<f32>> = (0..8).map(|k| (0..72).map(|i| noise(i, 20 + k)).collect()).collect();
    support::assert_float_and_compiled_match_tract(&path, &samples, 8.0);
}

#[test]
fn a_pad_of_another_value_is_refused_by_name() {
    let dir = temp_dir("pad-refused");
    let path = padded_cnn(1.0).write(&dir, "pad.onnx");
    let out = dir.join("out");
    let acec = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_acec")).args(args).output().unwrap();
    let built = support::build(&path, &out);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert_eq!(built.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("zero_pad") && stderr.contains("Pad"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "nothing written");
    // inspect still shows the model, and marks the Pad.
    let inspected = acec(&["inspect", path.to_str().unwrap()]);
    assert!(inspected.status.success(), "{}", String::from_utf8_lossy(&inspected.stderr));
    assert!(String::from_utf8_lossy(&inspected.stdout).contains("zero_pad"));
}
