//! Sub of two computed tensors of one shape (a difference of branches, as in a residual `x - f(x)` or a
//! difference-of-features block): the second operand negated, then the residual Add. Against tract: the
//! negation folds into a convolution that alone produces the second operand (no extra step), stays a
//! channel-affine step when it cannot fold, and both compile within their formats and survive power
//! failures bit for bit.

mod support;

use acec::ace::Call;
use acec::pipeline::{self, Request};

use support::{Attr, ModelBuilder, noise, temp_dir};

/// x (1 x 2 x 5 x 5) -> Conv 3x3 pad 1 (3 channels) 'left' and, when `conv_right`, Conv 1x1 (3 channels)
/// 'right' (else Tanh of the left), left - right, -> Relu -> Flatten -> Gemm (3 outputs).
fn difference(conv_right: bool) -> ModelBuilder {
    let model = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(2), Some(5), Some(5)])
        .initializer("w1", &[3, 2, 3, 3], (0..54).map(|i| 0.4 * noise(i, 1)).collect())
        .initializer("w2", &[3, 2, 1, 1], (0..6).map(|i| 0.8 * noise(i, 2)).collect())
        .initializer("fc", &[3, 75], (0..225).map(|i| 0.2 * noise(i, 3)).collect())
        .node("Conv", "left", &["x", "w1"], &["a"], &[("pads", Attr::Ints(vec![1, 1, 1, 1]))]);
    let model = if conv_right {
        model.node("Conv", "right", &["x", "w2"], &["b"], &[])
    } else {
        model.node("Tanh", "right", &["a"], &["b"], &[])
    };
    model
        .node("Sub", "difference", &["a", "b"], &["d"], &[])
        .node("Relu", "relu", &["d"], &["r"], &[])
        .node("Flatten", "flatten", &["r"], &["f"], &[])
        .node("Gemm", "dense", &["f", "fc"], &["y"], &[("transB", Attr::Int(1))])
        .output("y")
}

fn samples() -> Vec<Vec<f32>> {
    (0..8).map(|k| (0..50).map(|i| noise(i, 40 + k)).collect()).collect()
}

fn negations(conv_right: bool) -> usize {
    let dir = temp_dir(&format!("subtract-steps-{conv_right}"));
    let compiled = pipeline::compile(&Request::new(difference(conv_right).write(&dir, "sub.onnx"), "msp430-lea"));
    let program = compiled.expect("compiles").program;
    assert_eq!(program.steps.iter().filter(|s| matches!(s.call, Call::Add { .. })).count(), 1, "{:?}", program.steps);
    program.steps.iter().filter(|s| matches!(s.call, Call::ChannelAffine { .. })).count()
}

#[test]
fn a_difference_of_two_convolutions_matches_tract_with_the_negation_folded() {
    let dir = temp_dir("subtract");
    support::assert_float_and_compiled_match_tract(&difference(true).write(&dir, "sub.onnx"), &samples(), 8.0);
    assert_eq!(negations(true), 0, "the negation folds into 'right'");
}

#[test]
fn a_negation_that_cannot_fold_is_a_channel_affine_step_and_matches_tract() {
    let dir = temp_dir("subtract-affine");
    support::assert_float_and_compiled_match_tract(&difference(false).write(&dir, "sub.onnx"), &samples(), 8.0);
    assert_eq!(negations(false), 1, "a table step cannot take the negation");
}

#[test]
fn a_difference_survives_power_failures_bit_identically() {
    for conv_right in [true, false] {
        let dir = temp_dir(&format!("subtract-flex-{conv_right}"));
        support::assert_every_single_failure_is_survived(difference(conv_right).write(&dir, "sub.onnx"), &samples()[0]);
    }
}
