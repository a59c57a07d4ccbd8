//! An NHWC model as tf2onnx exports it from Keras with three input channels: `Transpose[0,3,1,2]` at the
//! input, NCHW convolutions, `Transpose[0,2,3,1]` before Flatten -> Dense. The second folds into the Dense
//! weights; the first is a gather step (runtime `permute`), so the crate takes the model's own NHWC input.
//! Against tract: the float graph computes what tract computes, the compiled program keeps it within its
//! formats, the generated crate compiles, and the tasks survive power failures bit for bit.

mod support;

use acec::ace::Call;
use acec::graph::{Op, eval};
use acec::onnx::{self, ImportOptions};
use acec::pipeline::{self, Request};

use support::{Attr, ModelBuilder, noise, repo_root, temp_dir};

/// x (1 x 6 x 6 x 3, NHWC) -> Transpose[0,3,1,2] -> Conv 3x3 pad 1 (4 channels) -> Relu ->
/// Transpose[0,2,3,1] -> Reshape (1 x 144) -> Gemm (5 outputs).
fn nhwc_cnn() -> ModelBuilder {
    ModelBuilder::new(13)
        .input("x", &[Some(1), Some(6), Some(6), Some(3)])
        .initializer("w", &[4, 3, 3, 3], (0..108).map(|i| 0.4 * noise(i, 1)).collect())
        .initializer("b", &[4], vec![0.1, -0.2, 0.05, 0.0])
        .int64_initializer("flat", &[2], vec![1, 144])
        .initializer("fc", &[144, 5], (0..720).map(|i| 0.2 * noise(i, 2)).collect())
        .node("Transpose", "to_nchw", &["x"], &["t"], &[("perm", Attr::Ints(vec![0, 3, 1, 2]))])
        .node("Conv", "conv", &["t", "w", "b"], &["c"], &[("pads", Attr::Ints(vec![1, 1, 1, 1]))])
        .node("Relu", "relu", &["c"], &["r"], &[])
        .node("Transpose", "to_nhwc", &["r"], &["u"], &[("perm", Attr::Ints(vec![0, 2, 3, 1]))])
        .node("Reshape", "flatten", &["u", "flat"], &["f"], &[])
        .node("MatMul", "dense", &["f", "fc"], &["y"], &[])
        .output("y")
}

fn sample(k: usize) -> Vec<f32> {
    (0..108).map(|i| noise(i, 20 + k)).collect()
}

#[test]
fn an_nhwc_input_is_gathered_on_the_device_and_matches_tract() {
    let dir = temp_dir("transpose");
    let path = nhwc_cnn().write(&dir, "nhwc.onnx");
    let graph = onnx::load(&path, &ImportOptions::default()).expect("imports");
    let transposes = graph.layers.iter().filter(|l| matches!(l.op, Op::Transpose { .. })).count();
    assert_eq!(transposes, 1, "the transpose before the Dense folds, the input's stays: {:?}", graph.layers);
    let compiled = pipeline::compile(&Request::new(path.clone(), "msp430-lea")).expect("compiles");
    let first = &compiled.program.steps[0];
    assert!(matches!(first.call, Call::Permute { .. }), "{first:?}");
    assert_eq!(compiled.program.input_shape, [1, 6, 6, 3], "the crate takes the model's NHWC input");
    support::assert_float_and_compiled_match_tract(&path, &(0..8).map(sample).collect::<Vec<_>>(), 8.0);
}

#[test]
fn the_gather_survives_power_failures_bit_identically() {
    let dir = temp_dir("transpose-flex");
    support::assert_every_single_failure_is_survived(nhwc_cnn().write(&dir, "nhwc.onnx"), &sample(1));
}

#[test]
fn the_generated_crate_of_an_nhwc_model_compiles() {
    let dir = temp_dir("transpose-crate");
    let path = nhwc_cnn().write(&dir, "nhwc.onnx");
    let out = dir.join("out");
    let built = support::build(&path, &out);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    assert!(std::fs::read_to_string(out.join("src/lib.rs")).unwrap().contains("ops::permute("));
    support::assert_generated_crate_checks(&out);
}

/// fixtures/fmnist-nhwc (PyTorch, a 14 x 14 x 4 NHWC input permuted to NCHW in the model, as tf2onnx's
/// exports of Keras models are): compiled accuracy equals float on the 1,000 test images.
#[test]
fn the_nhwc_fixture_keeps_its_float_accuracy() {
    let fixture = repo_root().join("fixtures/fmnist-nhwc");
    let request =
        Request { calib: Some(fixture.join("train.npz")), ..Request::new(fixture.join("model.onnx"), "msp430-lea") };
    let compiled = pipeline::compile(&request).unwrap();
    assert!(matches!(compiled.program.steps[0].call, Call::Permute { .. }), "{:?}", compiled.program.steps[0]);
    let data = acec::dataset::load(&fixture.join("test.npz"), compiled.graph.input_shape.dims()).unwrap();
    let a = acec::verify::compare(&compiled.program, &data, |x| eval::run(&compiled.graph, x)).unwrap();
    let (float, ours) = (a.float_accuracy.unwrap(), a.compiled_accuracy.unwrap());
    assert!(ours >= float - 0.01 && a.agreement >= 0.98, "float {float}, compiled {ours}, agreement {}", a.agreement);
}
