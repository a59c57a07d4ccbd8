//! Grouped convolutions (group 2, two input channels a group, 1-D and 2-D) against tract, an independent
//! runtime: acec's float graph computes what tract computes, and the compiled program (one step per group,
//! on slices of the activations) keeps the float result within its Q15 formats.

mod support;

use acec::graph::eval;
use acec::onnx::{self, ImportOptions};
use acec::pipeline::{self, Request};
use acec::reference::FloatReference;
use acec::verify::{dequantize_output, run_compiled};
use support::{Attr, ModelBuilder, noise, temp_dir};

/// x (1 x 4 x spatial) -> Conv(group 2, 6 outputs, kernel 3, pads 1) -> Relu -> Conv(group 2, 4 outputs).
fn grouped_model(spatial: &[i64]) -> ModelBuilder {
    let kernel: Vec<i64> = spatial.iter().map(|_| 3).collect();
    let taps: i64 = kernel.iter().product();
    let mut shape = vec![Some(1), Some(4)];
    shape.extend(spatial.iter().map(|&d| Some(d)));
    let pads: Vec<i64> = spatial.iter().chain(spatial).map(|_| 1).collect();
    let w1: Vec<i64> = [6, 2].into_iter().chain(kernel.iter().copied()).collect();
    let w2: Vec<i64> = [4, 3].into_iter().chain(kernel.iter().copied()).collect();
    ModelBuilder::new(13)
        .input("x", &shape)
        .initializer("w1", &w1, (0..(12 * taps) as usize).map(|i| 0.4 * noise(i, 1)).collect())
        .initializer("b1", &[6], (0..6).map(|i| 0.1 * noise(i, 2)).collect())
        .initializer("w2", &w2, (0..(12 * taps) as usize).map(|i| 0.4 * noise(i, 3)).collect())
        .initializer("b2", &[4], (0..4).map(|i| 0.1 * noise(i, 4)).collect())
        .node("Conv", "g1", &["x", "w1", "b1"], &["a"], &[("group", Attr::Int(2)), ("pads", Attr::Ints(pads))])
        .node("Relu", "r1", &["a"], &["b"], &[])
        .node("Conv", "g2", &["b", "w2", "b2"], &["y"], &[("group", Attr::Int(2))])
        .output("y")
}

#[test]
fn grouped_convolutions_match_tract_in_float_and_compile_within_their_formats() {
    let dir = temp_dir("grouped-conv");
    for spatial in [vec![9i64], vec![6, 7]] {
        let path = grouped_model(&spatial).write(&dir, &format!("grouped-{}d.onnx", spatial.len()));
        let graph = onnx::load(&path, &ImportOptions::default()).expect("imports");
        let shape = graph.input_shape.dims().to_vec();
        let reference = FloatReference::load(&path, &shape).expect("tract loads it");
        let compiled = pipeline::compile(&Request::new(path.clone(), "msp430-lea")).expect("compiles");
        let groups = compiled.program.steps.iter().filter(|s| s.layer.contains("[group")).count();
        assert_eq!(groups, 4, "two steps per grouped layer: {:?}", compiled.program.steps);
        for sample in 0..4 {
            let x: Vec<f32> = (0..graph.input_shape.elements()).map(|i| noise(i, 10 + sample)).collect();
            let (ours, tract) = (eval::run(&graph, &x), reference.run(&x).expect("tract runs"));
            for (k, (a, b)) in ours.iter().zip(&tract).enumerate() {
                assert!((a - b).abs() <= 1e-5, "{spatial:?} sample {sample} output {k}: {a} vs tract {b}");
            }
            let device = dequantize_output(&compiled.program, &run_compiled(&compiled.program, &x).unwrap());
            // Q15 formats for inputs in [-1, 1]: a few output LSBs of error at most.
            let lsb = 2f32.powi(-compiled.program.output_frac);
            for (k, (d, f)) in device.iter().zip(&tract).enumerate() {
                assert!((d - f).abs() <= 8.0 * lsb, "{spatial:?} sample {sample} output {k}: {d} vs {f} ({lsb} LSB)");
            }
        }
    }
}
