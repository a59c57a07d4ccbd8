//! The crate `build.rs` generated classifies the digits test set like the float model does, run by tract
//! (an independent runtime), and as accurately as onnxruntime measured when the fixture was made.

use std::path::Path;

use acec::dataset;
use acec::reference::FloatReference;
use acec_example_digits::{INPUT_LEN, classify, model};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures");

/// onnxruntime's accuracy on the 400 test digits (`fixtures/digits-mlp-rad/meta.json`).
const ONNXRUNTIME_ACCURACY: f64 = 0.9575;

#[test]
fn the_generated_module_agrees_with_the_float_model() {
    let fixtures = Path::new(FIXTURES);
    let model = fixtures.join("digits-mlp-rad/model.onnx");
    let shape = [1, INPUT_LEN];
    let reference = FloatReference::load(&model, &shape).expect("tract loads the fixture");
    let data = dataset::load(&fixtures.join("data/digits-test.npz"), &shape).expect("the test set loads");
    let labels = data.y.clone().expect("the test set has labels");
    let (mut agree, mut correct) = (0, 0);
    for (i, &label) in labels.iter().enumerate() {
        let pixels: &[f32; INPUT_LEN] = data.sample(i).try_into().expect("64 pixels");
        // SAFETY: the test runs one inference at a time.
        let (class, logits) = unsafe { classify(&mut model::SoftBackend, pixels) }.expect("kernels run");
        let expected = reference.run(pixels).expect("tract runs");
        let float_class = (0..expected.len()).max_by(|&a, &b| expected[a].total_cmp(&expected[b])).unwrap();
        agree += usize::from(class == float_class);
        correct += usize::from(class as i64 == label);
        let logit = |k: usize| f64::from(logits[k]) / f64::from(1 << model::OUTPUT_FRAC_BITS);
        assert_eq!(class, (0..logits.len()).max_by(|&a, &b| logit(a).total_cmp(&logit(b)).then(b.cmp(&a))).unwrap());
    }
    let n = labels.len() as f64;
    let (agreement, accuracy) = (agree as f64 / n, correct as f64 / n);
    assert!(agreement >= 0.97, "top-1 agreement with the float model {agreement:.4}");
    assert!(accuracy >= ONNXRUNTIME_ACCURACY - 0.02, "accuracy {accuracy:.4} vs onnxruntime {ONNXRUNTIME_ACCURACY}");
}

#[test]
fn cargo_reruns_the_build_script_when_the_model_or_its_data_change() {
    // Cargo keeps what a build script printed in `output`, beside its OUT_DIR.
    let out_dir = Path::new(env!("OUT_DIR"));
    let printed = std::fs::read_to_string(out_dir.join("../output")).expect("the build script's output");
    for input in ["digits-mlp-rad/model.onnx", "data/digits-train.npz"] {
        let rerun = printed.lines().any(|l| l.starts_with("cargo:rerun-if-changed=") && l.ends_with(input));
        assert!(rerun, "no rerun-if-changed for {input} in:\n{printed}");
    }
    let report = std::fs::read_to_string(out_dir.join("digits_mlp_rad/report.md")).expect("the report beside model.rs");
    assert!(report.contains("/0/Gemm"), "{report}");
}
