//! The shipped fixtures import, and the imported graph computes what onnxruntime computed for them.

mod support;

use std::fs::File;
use std::path::Path;
use std::process::Command;

use acec::graph::eval;
use acec::onnx::{self, ImportOptions};
use acec::report::inspect::inspect;
use ndarray::ArrayD;
use ndarray_npy::NpzReader;
use support::repo_root;

const FIXTURES: &[&str] = &[
    "fmnist-lenet",
    "fmnist-circulant",
    "mnist1d-conv",
    "digits-mlp",
    "fmnist-lenet-rad",
    "digits-mlp-rad",
    "fmnist-resnet",
    "fmnist-mobilenet",
    "fmnist-smooth-mlp",
    "fmnist-nhwc",
    "kws-dscnn",
];

/// The classes a fixture's model scores: the width of onnxruntime's logits in its expected.npz.
fn classes(fixture: &str) -> usize {
    read_array(&repo_root().join("fixtures").join(fixture).join("expected.npz"), "logits").shape()[1]
}

fn meta(fixture: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(repo_root().join("fixtures").join(fixture).join("meta.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn read_array(path: &Path, name: &str) -> ArrayD<f32> {
    let mut npz = NpzReader::new(File::open(path).unwrap()).unwrap();
    npz.by_name(name).unwrap()
}

#[test]
fn every_fixture_imports_with_its_parameter_count() {
    for fixture in FIXTURES {
        let graph =
            onnx::load(&repo_root().join("fixtures").join(fixture).join("model.onnx"), &ImportOptions::default())
                .unwrap_or_else(|e| panic!("{fixture}: {e}"));
        let inspection = inspect(&graph);
        assert_eq!(inspection.totals.params, meta(fixture)["parameters"].as_u64().unwrap(), "{fixture}");
        assert_eq!(inspection.output_shape, vec![1, classes(fixture)], "{fixture}");
    }
}

#[test]
fn imported_graphs_reproduce_onnxruntime_logits() {
    for fixture in FIXTURES {
        let dir = repo_root().join("fixtures").join(fixture);
        let graph = onnx::load(&dir.join("model.onnx"), &ImportOptions::default()).unwrap();
        let test_data = repo_root().join("fixtures").join(meta(fixture)["test_data"].as_str().unwrap());
        let data = acec::dataset::load(&test_data, graph.input_shape.dims()).unwrap();
        let expected = read_array(&dir.join("expected.npz"), "logits");
        let rows = expected.shape()[0];
        let width = expected.shape()[1];
        let expected: Vec<f32> = expected.iter().copied().collect();
        for i in 0..rows {
            let logits = eval::run(&graph, data.sample(i));
            assert_eq!(logits.len(), width, "{fixture}");
            for (k, (got, want)) in logits.iter().zip(&expected[i * width..(i + 1) * width]).enumerate() {
                assert!(
                    (got - want).abs() <= 1e-4 * want.abs().max(1.0),
                    "{fixture} sample {i} logit {k}: {got} vs {want}"
                );
            }
        }
    }
}

#[test]
fn circulant_structure_is_discovered_only_where_trained_in() {
    for fixture in FIXTURES {
        let graph =
            onnx::load(&repo_root().join("fixtures").join(fixture).join("model.onnx"), &ImportOptions::default())
                .unwrap();
        let blocks: Vec<Option<usize>> = inspect(&graph).layers.iter().map(|l| l.circulant_block).collect();
        let found: Vec<usize> = blocks.iter().flatten().copied().collect();
        if *fixture == "fmnist-circulant" {
            assert_eq!(found, vec![64], "{fixture}: {blocks:?}");
        } else if fixture.ends_with("-rad") {
            // acec compress's outputs: exactly the blocks their meta.json records.
            let recorded: Vec<usize> =
                meta(fixture)["blocks"].as_object().unwrap().values().map(|b| b.as_u64().unwrap() as usize).collect();
            assert_eq!(found, recorded, "{fixture}: {blocks:?}");
        } else {
            assert!(found.is_empty(), "{fixture}: {blocks:?}");
        }
    }
}

#[test]
fn inspect_json_has_the_documented_fields() {
    let model = repo_root().join("fixtures/fmnist-circulant/model.onnx");
    let output = Command::new(env!("CARGO_BIN_EXE_acec")).args(["inspect", "--json"]).arg(&model).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("inspect --json prints JSON");
    let layers = doc["layers"].as_array().unwrap();
    for field in ["name", "op", "reads", "input_shape", "output_shape", "params", "macs", "circulant_block"] {
        assert!(layers.iter().all(|l| l.get(field).is_some()), "missing layers[].{field}");
    }
    let params: u64 = layers.iter().map(|l| l["params"].as_u64().unwrap()).sum();
    assert_eq!(doc["totals"]["params"].as_u64(), Some(params));
    assert!(doc["totals"]["macs"].as_u64().unwrap() > 0);
    assert!(layers.iter().any(|l| l["circulant_block"] == 64));
}
