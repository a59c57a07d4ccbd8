//! Concatenation of computed tensors along channels (two branches of one input joined, as Inception or
//! SqueezeNet modules do) against tract: acec's float graph computes what tract computes, and the compiled
//! program (one step per part, each brought to the joined tensor's format) keeps the float result within
//! its Q15 formats. A concatenation that would interleave its inputs is refused by name.

mod support;

use acec::ace::Call;
use acec::graph::Op;
use acec::onnx::{self, ImportOptions};
use acec::pipeline::{self, Request};

use support::{Attr, ModelBuilder, noise, temp_dir};

/// x (1 x 2 x 5 x 5) -> [Conv 3x3 (3 channels) -> Relu] and [Conv 1x1 (2 channels, 3x larger weights)],
/// joined along `axis`, then Conv 3x3 (4 channels).
fn two_branches(axis: i64) -> ModelBuilder {
    ModelBuilder::new(13)
        .input("x", &[Some(1), Some(2), Some(5), Some(5)])
        .initializer("w1", &[3, 2, 3, 3], (0..54).map(|i| 0.3 * noise(i, 1)).collect())
        .initializer("w2", &[2, 2, 1, 1], (0..4).map(|i| 0.9 * noise(i, 2)).collect())
        .initializer("w3", &[4, 5, 3, 3], (0..180).map(|i| 0.2 * noise(i, 3)).collect())
        .node("Conv", "left", &["x", "w1"], &["a"], &[("pads", Attr::Ints(vec![1, 1, 1, 1]))])
        .node("Relu", "left_relu", &["a"], &["ar"], &[])
        .node("Conv", "right", &["x", "w2"], &["b"], &[])
        .node("Concat", "join", &["ar", "b"], &["c"], &[("axis", Attr::Int(axis))])
        .node("Conv", "mix", &["c", "w3"], &["y"], &[])
}

#[test]
fn channel_concatenation_matches_tract_and_compiles_within_its_formats() {
    let dir = temp_dir("concat");
    let path = two_branches(1).output("y").write(&dir, "concat.onnx");
    let graph = onnx::load(&path, &ImportOptions::default()).expect("imports");
    assert!(graph.layers.iter().any(|l| l.op == Op::Concat { axis: 1 }));
    let compiled = pipeline::compile(&Request::new(path.clone(), "msp430-lea")).expect("compiles");
    let parts = compiled.program.steps.iter().filter(|s| s.kind == "concat").count();
    assert_eq!(parts, 2, "one step per part: {:?}", compiled.program.steps);
    // The branches' formats differ (the 1x1 conv's weights are 3x larger): one part is shifted.
    let shifted = compiled.program.steps.iter().any(|s| matches!(s.call, Call::Rescale { params } if params.shift < 0));
    assert!(shifted, "{:?}", compiled.program.steps);
    let samples: Vec<Vec<f32>> = (0..4).map(|k| (0..50).map(|i| noise(i, 10 + k)).collect()).collect();
    support::assert_float_and_compiled_match_tract(&path, &samples, 8.0);
}

/// The generated crate's concat steps compile (`cargo check` of what `acec build` wrote).
#[test]
fn the_generated_crate_of_a_concatenation_compiles() {
    let dir = temp_dir("concat-crate");
    let path = two_branches(1).output("y").write(&dir, "concat.onnx");
    let out = dir.join("out");
    let built = support::build(&path, &out);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    assert!(std::fs::read_to_string(out.join("src/lib.rs")).unwrap().contains("ops::rescale("));
    support::assert_generated_crate_checks(&out);
}

#[test]
fn a_concatenation_that_interleaves_is_refused_by_name() {
    let dir = temp_dir("concat-interleaved");
    // Both branches are 3 x 5 x 5 here (the 1x1 conv made 3 channels wide): join along height.
    let path = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(2), Some(5), Some(5)])
        .initializer("w1", &[3, 2, 1, 1], (0..6).map(|i| noise(i, 1)).collect())
        .initializer("w2", &[3, 2, 1, 1], (0..6).map(|i| noise(i, 2)).collect())
        .node("Conv", "left", &["x", "w1"], &["a"], &[])
        .node("Conv", "right", &["x", "w2"], &["b"], &[])
        .node("Concat", "rows", &["a", "b"], &["y"], &[("axis", Attr::Int(2))])
        .output("y")
        .write(&dir, "rows.onnx");
    let Err(error) = pipeline::compile(&Request::new(path, "msp430-lea")) else { panic!("compiled") };
    let error = error.to_string();
    assert!(error.contains("'rows'") && error.contains("interleaves"), "{error}");
}
