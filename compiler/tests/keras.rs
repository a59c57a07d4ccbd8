//! Keras exports through tf2onnx (`fixtures/gen/keras/`), the most common TinyML path: a free batch
//! dimension, an NHWC input, the `Transpose[0,2,3,1]` before Flatten, and (Keras 3) Flatten's shape chain
//! through Slice. Each compiles with no option: the transpose folds into the Dense weights, the batch is
//! 1 with a note, and the result matches onnxruntime (float) and keeps its accuracy (compiled). `keras-dscnn`
//! adds depthwise convolutions (tf2onnx's Conv with group = channels). `keras-nhwc` has a four-channel input
//! (tf2onnx's input Transpose, a gather step), ZeroPadding2D (folded by tf2onnx into the Conv) and a
//! per-channel PReLU, which tf2onnx writes as `relu(x) - alpha * relu(-x)` and acec fuses back into one layer.

mod support;

use std::fs::File;

use acec::graph::{Op, eval};
use acec::onnx::{self, ImportOptions};
use acec::pipeline::{self, Request};
use acec::verify::compare;
use ndarray::ArrayD;
use ndarray_npy::NpzReader;
use support::repo_root;

const FIXTURES: [&str; 4] = ["keras-cnn", "keras3-cnn", "keras-dscnn", "keras-nhwc"];

/// Each fixture's input as the crate takes it: NHWC, as Keras gives it.
fn input_dims(fixture: &str) -> [usize; 4] {
    if fixture == "keras-nhwc" { [1, 14, 14, 4] } else { [1, 28, 28, 1] }
}

#[test]
fn the_imported_graph_computes_what_onnxruntime_computed() {
    for fixture in FIXTURES {
        let dir = repo_root().join("fixtures").join(fixture);
        let graph = onnx::load(&dir.join("model.onnx"), &ImportOptions::default()).expect("imports");
        assert_eq!(graph.input_shape.dims(), input_dims(fixture), "{fixture}");
        assert!(graph.notes.iter().any(|n| n.contains("free batch dimension")), "{fixture}: {:?}", graph.notes);
        // The Transpose before Flatten folds into the Dense; an input of several channels keeps its own.
        let transposes = graph.layers.iter().filter(|l| matches!(l.op, Op::Transpose { .. })).count();
        assert_eq!(transposes, usize::from(fixture == "keras-nhwc"), "{fixture}: {:?}", graph.layers);
        let mut npz = NpzReader::new(File::open(dir.join("expected.npz")).unwrap()).unwrap();
        let x: ArrayD<f32> = npz.by_name("x").unwrap();
        let logits: ArrayD<f32> = npz.by_name("logits").unwrap();
        let (samples, per_sample) = (x.shape()[0], x.len() / x.shape()[0]);
        let x = x.as_slice().unwrap();
        for s in 0..samples {
            let got = eval::run(&graph, &x[s * per_sample..(s + 1) * per_sample]);
            for (k, (g, w)) in got.iter().zip(logits.as_slice().unwrap()[s * 10..(s + 1) * 10].iter()).enumerate() {
                assert!((g - w).abs() <= 1e-4 * w.abs().max(1.0), "{fixture} sample {s} logit {k}: {g} vs {w}");
            }
        }
    }
}

#[test]
fn compiled_keras_models_keep_their_float_accuracy() {
    for fixture in FIXTURES {
        let dir = repo_root().join("fixtures").join(fixture);
        let request =
            Request { calib: Some(dir.join("train.npz")), ..Request::new(dir.join("model.onnx"), "msp430-lea") };
        let compiled = pipeline::compile(&request).unwrap_or_else(|e| panic!("{fixture}: {e}"));
        assert!(compiled.plan.is_ok(), "{fixture} does not fit: {:?}", compiled.plan.err());
        let data = acec::dataset::load(&dir.join("test.npz"), compiled.graph.input_shape.dims()).unwrap();
        let a = compare(&compiled.program, &data, |x| eval::run(&compiled.graph, x)).unwrap();
        let (float, compiled_accuracy) = (a.float_accuracy.unwrap(), a.compiled_accuracy.unwrap());
        assert!(compiled_accuracy >= float - 0.01, "{fixture}: float {float}, compiled {compiled_accuracy}");
        assert!(a.agreement >= 0.98, "{fixture}: agreement {}", a.agreement);
    }
}

/// tf2onnx's five-node PReLU (Relu, Neg, Relu, Mul, Add) is one PReLU layer with Keras's eight slopes.
#[test]
fn the_keras_prelu_is_one_layer() {
    let dir = repo_root().join("fixtures/keras-nhwc");
    let graph = onnx::load(&dir.join("model.onnx"), &ImportOptions::default()).expect("imports");
    let prelus: Vec<_> =
        graph.layers.iter().filter_map(|l| if let Op::PRelu(p) = &l.op { Some(p) } else { None }).collect();
    assert!(matches!(prelus.as_slice(), [p] if p.slopes.len() == 8), "{:?}", graph.layers);
    assert!(!graph.layers.iter().any(|l| matches!(l.op, Op::Add | Op::Affine(_))), "{:?}", graph.layers);
}
