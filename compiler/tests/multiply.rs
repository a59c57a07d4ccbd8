//! Mul of two computed tensors: a squeeze-excite block (a feature map times one sigmoid gate per channel,
//! MobileNetV3's and EfficientNet's) and a gated unit of one shape (SiLU as `x * sigmoid(x)`). Against
//! tract: both compile within their formats, in either operand order, and survive power failures bit for
//! bit; a broadcast with no kernel is refused by node name, with exit 2 and nothing written.

mod support;

use std::process::Command;

use acec::ace::Call;
use acec::pipeline::{self, Request};

use support::gated::{silu, squeeze_excite};
use support::{Attr, ModelBuilder, noise, temp_dir};

fn samples() -> Vec<Vec<f32>> {
    (0..8).map(|k| (0..72).map(|i| noise(i, 40 + k)).collect()).collect()
}

/// The planes of the program's multiply steps (1: element-wise).
fn multiply_planes(model: &ModelBuilder, test: &str) -> Vec<usize> {
    let dir = temp_dir(test);
    let program = pipeline::compile(&Request::new(model.write(&dir, "mul.onnx"), "msp430-lea")).unwrap().program;
    program
        .steps
        .iter()
        .filter_map(|s| match s.call {
            Call::Multiply { params, .. } => Some(params.plane),
            _ => None,
        })
        .collect()
}

#[test]
fn a_squeeze_excite_gate_matches_tract_in_either_operand_order() {
    for (order, inputs) in [("rg", ["r", "g"]), ("gr", ["g", "r"])] {
        let dir = temp_dir(&format!("multiply-se-{order}"));
        let model = squeeze_excite(inputs);
        support::assert_float_and_compiled_match_tract(&model.write(&dir, "se.onnx"), &samples(), 8.0);
        assert_eq!(multiply_planes(&model, &format!("multiply-se-steps-{order}")), [36], "one gate per 6x6 plane");
    }
}

#[test]
fn a_gated_unit_of_one_shape_matches_tract() {
    let dir = temp_dir("multiply-silu");
    support::assert_float_and_compiled_match_tract(&silu().write(&dir, "silu.onnx"), &samples(), 8.0);
    assert_eq!(multiply_planes(&silu(), "multiply-silu-steps"), [1], "element by element");
}

#[test]
fn products_survive_power_failures_bit_identically() {
    let dir = temp_dir("multiply-flex");
    support::assert_every_single_failure_is_survived(squeeze_excite(["r", "g"]).write(&dir, "se.onnx"), &samples()[0]);
    support::assert_every_single_failure_is_survived(silu().write(&dir, "silu.onnx"), &samples()[1]);
}

/// A gate per row (1 x 1 x 6 x 1) repeats across the channels: not one value per element, channel or
/// tensor.
#[test]
fn a_gate_broadcast_without_a_kernel_is_refused_by_name() {
    let dir = temp_dir("multiply-refused");
    let path = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(2), Some(6), Some(6)])
        .initializer("w1", &[1, 2, 1, 6], (0..12).map(|i| noise(i, 9)).collect())
        .initializer("fc", &[3, 72], (0..216).map(|i| 0.2 * noise(i, 3)).collect())
        .node("Conv", "rows", &["x", "w1"], &["g"], &[])
        .node("Mul", "row_gate", &["x", "g"], &["m"], &[])
        .node("Flatten", "flatten", &["m"], &["f"], &[])
        .node("Gemm", "dense", &["f", "fc"], &["y"], &[("transB", Attr::Int(1))])
        .output("y")
        .write(&dir, "rows.onnx");
    let out = dir.join("out");
    let built = support::build(&path, &out);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert_eq!(built.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("row_gate") && stderr.contains("one value per channel"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "nothing written");
    let inspected =
        Command::new(env!("CARGO_BIN_EXE_acec")).args(["inspect", path.to_str().unwrap()]).output().unwrap();
    assert!(inspected.status.success(), "{}", String::from_utf8_lossy(&inspected.stderr));
    assert!(String::from_utf8_lossy(&inspected.stdout).contains("row_gate"));
}

#[test]
fn the_generated_crate_of_a_gated_model_checks() {
    let dir = temp_dir("multiply-crate");
    let out = dir.join("out");
    let built = support::build(&squeeze_excite(["r", "g"]).write(&dir, "se.onnx"), &out);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    support::assert_generated_crate_checks(&out);
}
