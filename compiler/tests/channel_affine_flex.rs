//! A per-channel affine map that no layer before it can absorb (here, on the model's input) compiles to one
//! `channel-affine` step, one FLEX work unit: under FLEX its task must transform every channel, as the
//! continuous run does. `acec sim` runs the tasks through power failures at every kernel boundary and
//! compares with the continuous run; before the fix, the task `0..1` transformed channel 0 only.

mod support;

use std::process::Command;

use support::{ModelBuilder, temp_dir};

#[test]
fn a_channel_affine_task_transforms_every_channel() {
    let dir = temp_dir("channel_affine_flex");
    // x (1 x 3 x 8) * scale_c + offset_c -> Flatten -> Gemm(24 -> 4).
    let noise = |i: usize| ((i * 37 + 11) % 17) as f32 / 17.0 - 0.5;
    let model = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(3), Some(8)])
        .initializer("scale", &[1, 3, 1], vec![0.5, -1.5, 2.0])
        .initializer("offset", &[1, 3, 1], vec![0.25, 0.1, -0.3])
        .initializer("fc", &[4, 24], (0..96).map(noise).collect())
        .node("Mul", "scale", &["x", "scale"], &["s"], &[])
        .node("Add", "offset", &["s", "offset"], &["a"], &[])
        .node("Flatten", "flatten", &["a"], &["f"], &[])
        .node("Gemm", "dense", &["f", "fc"], &["y"], &[("transB", support::Attr::Int(1))])
        .output("y")
        .write(&dir, "affine.onnx");
    let model = model.to_string_lossy().into_owned();
    let output = Command::new(env!("CARGO_BIN_EXE_acec")).args(["report", &model, "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let kinds: Vec<&str> =
        report["variants"]["acec"]["layers"].as_array().unwrap().iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds[0], "channel-affine", "{kinds:?}");
    let sim =
        Command::new(env!("CARGO_BIN_EXE_acec")).args(["sim", &model, "--exhaustive", "--json"]).output().unwrap();
    assert!(sim.status.success(), "{}", String::from_utf8_lossy(&sim.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&sim.stdout).unwrap();
    assert_eq!(doc["bit_identical"], true, "{doc}");
}
