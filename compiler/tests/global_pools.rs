//! Global heads other exporters write, against tract, an independent runtime: ReduceMean over the spatial
//! axes (PyTorch's `x.mean((2, 3))`; axes as an attribute before opset 18 and as an input from 18, with
//! and without `keepdims`) and GlobalMaxPool, in 1-D and 2-D. acec's float graph computes what tract
//! computes, and the compiled program keeps the float result within its Q15 formats. A mean over other
//! axes is refused by name, with the shape kept so `inspect` goes on.

mod support;

use std::process::Command;

use acec::graph::eval;
use acec::onnx::{self, ImportOptions};
use acec::pipeline::{self, Request};
use acec::reference::FloatReference;
use acec::verify::{dequantize_output, run_compiled};
use support::{Attr, ModelBuilder, noise, temp_dir};

/// The global head under test, between a convolution and a dense layer.
#[derive(Clone, Copy, Debug)]
enum Head {
    /// ReduceMean over the spatial axes: (opset, keepdims).
    Mean(i64, bool),
    Max,
}

/// x (1 x 2 x spatial) -> Conv(4 outputs, kernel 3) -> Relu -> head -> Flatten -> Gemm(3).
fn model(spatial: &[i64], head: Head) -> ModelBuilder {
    let kernel: Vec<i64> = spatial.iter().map(|_| 3).collect();
    let taps = kernel.iter().product::<i64>() as usize;
    let mut shape = vec![Some(1), Some(2)];
    shape.extend(spatial.iter().map(|&d| Some(d)));
    let weight: Vec<i64> = [4, 2].into_iter().chain(kernel.iter().copied()).collect();
    let axes: Vec<i64> = (2..2 + spatial.len() as i64).collect();
    let opset = match head {
        Head::Mean(opset, _) => opset,
        Head::Max => 13,
    };
    let builder = ModelBuilder::new(opset)
        .input("x", &shape)
        .initializer("w", &weight, (0..8 * taps).map(|i| 0.5 * noise(i, 1)).collect())
        .initializer("b", &[4], (0..4).map(|i| 0.1 * noise(i, 2)).collect())
        .initializer("fc", &[3, 4], (0..12).map(|i| noise(i, 3)).collect())
        .node("Conv", "conv", &["x", "w", "b"], &["c"], &[])
        .node("Relu", "relu", &["c"], &["r"], &[]);
    let builder = match head {
        Head::Mean(opset, keepdims) => {
            let keep = ("keepdims", Attr::Int(i64::from(keepdims)));
            if opset < 18 {
                builder.node("ReduceMean", "mean", &["r"], &["g"], &[("axes", Attr::Ints(axes)), keep])
            } else {
                builder.int64_initializer("axes", &[axes.len() as i64], axes.clone()).node(
                    "ReduceMean",
                    "mean",
                    &["r", "axes"],
                    &["g"],
                    &[keep],
                )
            }
        }
        Head::Max => builder.node("GlobalMaxPool", "max", &["r"], &["g"], &[]),
    };
    builder
        .node("Flatten", "flatten", &["g"], &["f"], &[])
        .node("Gemm", "dense", &["f", "fc"], &["y"], &[("transB", Attr::Int(1))])
        .output("y")
}

#[test]
fn global_heads_match_tract_in_float_and_compile_within_their_formats() {
    let dir = temp_dir("global-pools");
    let heads = [Head::Mean(13, true), Head::Mean(13, false), Head::Mean(18, false), Head::Max];
    for spatial in [vec![10i64], vec![6, 7]] {
        for head in heads {
            let name = format!("{head:?}-{}d", spatial.len());
            let path = model(&spatial, head).write(&dir, &format!("{}.onnx", name.replace(['(', ')', ',', ' '], "")));
            let graph = onnx::load(&path, &ImportOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let shape = graph.input_shape.dims().to_vec();
            let reference = FloatReference::load(&path, &shape).expect("tract loads it");
            let compiled =
                pipeline::compile(&Request::new(path.clone(), "msp430-lea")).unwrap_or_else(|e| panic!("{name}: {e}"));
            let lsb = 2f32.powi(-compiled.program.output_frac);
            for sample in 0..4 {
                let x: Vec<f32> = (0..graph.input_shape.elements()).map(|i| noise(i, 10 + sample)).collect();
                let (ours, tract) = (eval::run(&graph, &x), reference.run(&x).expect("tract runs"));
                assert_eq!(ours.len(), 3, "{name}");
                for (k, (a, b)) in ours.iter().zip(&tract).enumerate() {
                    assert!((a - b).abs() <= 1e-5, "{name} sample {sample} output {k}: {a} vs tract {b}");
                }
                let device = dequantize_output(&compiled.program, &run_compiled(&compiled.program, &x).unwrap());
                for (k, (d, f)) in device.iter().zip(&tract).enumerate() {
                    assert!((d - f).abs() <= 8.0 * lsb, "{name} sample {sample} output {k}: {d} vs {f} ({lsb} LSB)");
                }
            }
        }
    }
}

/// A mean over the channels is not a global pool: `inspect` shows the layer with its shape and marks it,
/// `build` exits 2 naming the node and why.
#[test]
fn a_mean_over_other_axes_is_refused_by_name() {
    let dir = temp_dir("reduce-mean-channels");
    let path = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(4), Some(8)])
        .node("ReduceMean", "channel_mean", &["x"], &["y"], &[("axes", Attr::Ints(vec![1]))])
        .output("y")
        .write(&dir, "channels.onnx");
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_acec")).args(args).output().unwrap();
    let inspected = run(&["inspect", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&inspected.stdout);
    assert!(inspected.status.success(), "{}", String::from_utf8_lossy(&inspected.stderr));
    assert!(stdout.contains("channel_mean") && stdout.contains("1x1x8") && stdout.contains("no [1]"), "{stdout}");
    let built = run(&["build", path.to_str().unwrap(), "-o", dir.join("out").to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert_eq!(built.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("channel_mean") && stderr.contains("a mean over axes [1]"), "{stderr}");
    assert!(!dir.join("out").exists());
}
