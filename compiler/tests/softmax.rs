//! A final softmax is dropped by default (logits out, same class) and kept with `keep_softmax`
//! (probabilities out, in Q15, close to the float model's).

mod support;

use acec::ace::Call;
use acec::graph::eval;
use acec::pipeline::{self, Request};
use acec::verify;
use support::{Attr, ModelBuilder, temp_dir};

/// The model, written to a directory of the calling test's own (tests run in parallel).
fn model(test: &str) -> std::path::PathBuf {
    let weights: Vec<f32> = (0..4 * 8).map(|i| ((i * 37 % 23) as f32 - 11.0) / 8.0).collect();
    ModelBuilder::new(13)
        .input("x", &[Some(1), Some(8)])
        .initializer("w", &[4, 8], weights)
        .initializer("b", &[4], vec![0.5, -0.25, 0.0, 1.0])
        .node("Gemm", "fc", &["x", "w", "b"], &["y"], &[("transB", Attr::Int(1))])
        .node("Softmax", "probabilities", &["y"], &["p"], &[("axis", Attr::Int(1))])
        .output("p")
        .write(&temp_dir(test), "softmax.onnx")
}

fn compile(test: &str, keep_softmax: bool) -> pipeline::Compiled {
    let request = Request { keep_softmax, ..Request::new(model(test), "msp430-lea") };
    pipeline::compile(&request).unwrap()
}

#[test]
fn a_final_softmax_is_dropped_unless_kept() {
    let dropped = compile("softmax-dropped", false);
    assert!(dropped.program.steps.iter().all(|s| !matches!(s.call, Call::Softmax { .. })));
    assert_eq!(dropped.program.dropped.len(), 1);

    let kept = compile("softmax-kept", true);
    assert!(matches!(kept.program.steps.last().unwrap().call, Call::Softmax { .. }));
    assert!(kept.program.dropped.is_empty());
    assert_eq!(kept.program.output_frac, 15);
    assert!(kept.costs.last().unwrap().cycles > 0, "the softmax is costed");
}

#[test]
fn kept_softmax_probabilities_match_the_float_model() {
    let kept = compile("softmax-probabilities", true);
    let mut worst = 0f32;
    for k in 0..50 {
        let x: Vec<f32> = (0..8).map(|i| (((i * 7 + k * 13) % 17) as f32 - 8.0) / 8.0).collect();
        let want = eval::run(&kept.graph, &x);
        let q = verify::run_compiled(&kept.program, &x).unwrap();
        let got = verify::dequantize_output(&kept.program, &q);
        let sum: f32 = got.iter().sum();
        assert!((sum - 1.0).abs() < 2e-3, "probabilities sum to {sum}");
        for (g, w) in got.iter().zip(&want) {
            worst = worst.max((g - w).abs());
        }
    }
    // The logits are quantized (Q formats from a static bound), the softmax adds at most 2 LSB of Q15.
    assert!(worst < 0.01, "worst probability error {worst}");
}
