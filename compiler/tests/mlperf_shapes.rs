//! The fixtures in the shapes of the MLPerf Tiny models (keyword spotting: kws-dscnn, and keras-dscnn's
//! smaller depthwise-separable CNN from Keras; visual wake words:
//! fmnist-mobilenet; anomaly detection: keras-ad-rad; image classification: fmnist-resnet, whose own tests
//! are in residual.rs) survive a power failure before every kernel call (every `stride`-th, for the larger
//! ones) and inside every commit write, each run bit-identical to the continuous one (`acec sim
//! --exhaustive`, the reference being the continuous run of the same program).

mod support;

use std::process::Command;

use support::repo_root;

/// (fixture, calibration and test data under fixtures/, every how many kernel calls a failure is injected)
const CASES: &[(&str, &str, &str, usize)] = &[
    ("kws-dscnn", "data/kws-train.npz", "data/kws-test.npz", 200),
    ("keras-dscnn", "keras-dscnn/train.npz", "keras-dscnn/test.npz", 3),
    ("fmnist-mobilenet", "data/fmnist-train.npz", "data/fmnist-test.npz", 40),
    ("keras-ad-rad", "keras-ad/train.npz", "keras-ad/test.npz", 1),
];

#[test]
fn mlperf_shaped_fixtures_survive_exhaustive_power_failures_bit_identically() {
    for (fixture, calib, test, stride) in CASES {
        let path = |p: &str| repo_root().join("fixtures").join(p).to_string_lossy().into_owned();
        let model = path(&format!("{fixture}/model.onnx"));
        let output = Command::new(env!("CARGO_BIN_EXE_acec"))
            .args(["sim", &model, "--calib", &path(calib), "--data", &path(test), "--index", "2"])
            .args(["--exhaustive", "--stride", &stride.to_string(), "--json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{fixture}: {}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["completed"], true, "{fixture}: {report}");
        assert_eq!(report["bit_identical"], true, "{fixture}: {report}");
        let (runs, injected) = (report["runs"].as_u64().unwrap(), report["failures_injected"].as_u64().unwrap());
        assert!(runs > 20 && injected == runs, "{fixture}: {runs} runs, {injected} failures");
    }
}
