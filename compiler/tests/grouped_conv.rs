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

/// x (1 x 4 x 12 x 12) -> depthwise Conv 3x3 (pads 1), each channel's kernel one dominant centre tap
/// whose size differs by channel (1.9 against at most 0.9): the first channel's FIR weights need one more
/// integer bit, so lowered alone (on inputs that keep its outputs as small as the others') its FIR form
/// rounds to an output format one bit coarser than the others'.
fn depthwise_of_mixed_ranges() -> ModelBuilder {
    let gains = [1.9f32, 0.3, 0.9, 0.6];
    let weights = (0..36).map(|i| if i % 9 == 4 { gains[i / 9] } else { 0.02 * noise(i, 21) }).collect();
    ModelBuilder::new(13)
        .input("x", &[Some(1), Some(4), Some(12), Some(12)])
        .initializer("w", &[4, 1, 3, 3], weights)
        .initializer("b", &[4], (0..4).map(|i| 0.05 * noise(i, 22)).collect())
        .node("Conv", "dw", &["x", "w", "b"], &["y"], &[("group", Attr::Int(4)), ("pads", Attr::Ints(vec![1; 4]))])
        .output("y")
}

/// The groups of one layer write one buffer in one format. Lowered alone with calibrated ranges, these
/// channels' FIR forms (the cheapest by far) round to different formats; they must still be FIR forms,
/// all in the coarsest format, rather than every group falling back to dot products. Checked against
/// tract.
#[test]
fn depthwise_channels_of_different_ranges_share_one_format_as_fir_bands() {
    let dir = temp_dir("depthwise-formats");
    let path = depthwise_of_mixed_ranges().write(&dir, "depthwise.onnx");
    // The first channel's inputs are small, so its large weights still give outputs like the others'.
    let value = |i: usize, s: usize| if i < 144 { 0.1 } else { 1.0 } * noise(i, 30 + s);
    let samples: Vec<Vec<f32>> = (0..8).map(|s| (0..4 * 144).map(|i| value(i, s)).collect()).collect();
    let calib = dir.join("calib.npz");
    let x = ndarray::Array4::from_shape_vec((8, 4, 12, 12), samples.concat()).unwrap();
    let mut npz = ndarray_npy::NpzWriter::new(std::fs::File::create(&calib).unwrap());
    npz.add_array("x", &x).unwrap();
    npz.finish().unwrap();
    let request = Request { calib: Some(calib), ..Request::new(path.clone(), "msp430-lea") };
    let compiled = pipeline::compile(&request).expect("compiles");
    let steps = &compiled.program.steps;
    assert_eq!(steps.len(), 4, "one step per channel: {steps:?}");
    for step in steps {
        assert!(step.kind.starts_with("conv-fir"), "{}: {} ({:?})", step.layer, step.kind, step.choice);
        assert_eq!(step.output_frac, steps[0].output_frac, "{}", step.layer);
    }
    let reference = FloatReference::load(&path, compiled.graph.input_shape.dims()).expect("tract loads it");
    let lsb = 2f32.powi(-compiled.program.output_frac);
    for (k, x) in samples.iter().enumerate() {
        let tract = reference.run(x).expect("tract runs");
        let device = dequantize_output(&compiled.program, &run_compiled(&compiled.program, x).unwrap());
        for (i, (d, f)) in device.iter().zip(&tract).enumerate() {
            assert!((d - f).abs() <= 8.0 * lsb, "sample {k} output {i}: {d} vs tract {f} ({lsb} LSB)");
        }
    }
}
