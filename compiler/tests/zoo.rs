//! PyTorch exports of small models using the ops real exports contain (BatchNorm, Clip, average pooling with
//! padding, MatMul + Add, Shape/Gather chains, fp16 and external weights, several opsets): each imports, and
//! the imported graph computes what onnxruntime computed (`y` in the `.npz` beside each model).

mod support;

use std::fs::File;

use acec::graph::eval;
use acec::onnx::{self, ImportOptions};
use ndarray::ArrayD;
use ndarray_npy::NpzReader;
use support::repo_root;

#[test]
fn zoo_models_reproduce_onnxruntime() {
    let dir = repo_root().join("fixtures/zoo");
    let mut models: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "onnx"))
        .collect();
    models.sort();
    assert!(models.len() >= 8, "expected the zoo models in {}", dir.display());
    for model in &models {
        let mut npz = NpzReader::new(File::open(model.with_extension("npz")).unwrap()).unwrap();
        let x: ArrayD<f32> = npz.by_name("x").unwrap();
        let y: ArrayD<f32> = npz.by_name("y").unwrap();
        // The dynamic-batch model needs its shape fixed; giving every model its own shape is harmless.
        let options = ImportOptions { input_shapes: vec![("input".into(), x.shape().to_vec())] };
        let graph = onnx::load(model, &options).unwrap_or_else(|e| panic!("{}: {e}", model.display()));
        assert_eq!(graph.output_shape().dims(), y.shape(), "{}", model.display());
        let got = eval::run(&graph, x.as_slice().unwrap());
        for (i, (g, w)) in got.iter().zip(y.iter()).enumerate() {
            assert!((g - w).abs() <= 1e-4 * w.abs().max(1.0), "{} element {i}: {g} vs {w}", model.display());
        }
    }
}

#[test]
fn a_dynamic_batch_export_compiles_for_batch_one_and_says_so() {
    let model = repo_root().join("fixtures/zoo/zoo_dynamic_batch.onnx");
    let graph = onnx::load(&model, &ImportOptions::default()).expect("imports");
    assert_eq!(graph.input_shape.dims(), [1, 6]);
    assert_eq!(graph.notes.len(), 1);
    assert!(graph.notes[0].contains("free batch dimension") && graph.notes[0].contains("--input-shape input=1x6"));
}
