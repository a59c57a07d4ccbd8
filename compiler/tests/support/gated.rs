//! Small gated models (Mul of two computed tensors) the multiply and firmware tests share.

use super::{Attr, ModelBuilder, noise};

/// x (1 x 2 x 6 x 6) -> Conv 3x3 pad 1 (4 channels) -> Relu 'r'; squeeze: GlobalAveragePool -> Conv 1x1
/// (4 -> 4) -> Sigmoid 'g' (1 x 4 x 1 x 1); excite: `mul_inputs` of r and g -> Flatten -> Gemm (3 outputs).
pub fn squeeze_excite(mul_inputs: [&str; 2]) -> ModelBuilder {
    ModelBuilder::new(13)
        .input("x", &[Some(1), Some(2), Some(6), Some(6)])
        .initializer("w1", &[4, 2, 3, 3], (0..72).map(|i| 0.4 * noise(i, 1)).collect())
        .initializer("w2", &[4, 4, 1, 1], (0..16).map(|i| 1.5 * noise(i, 2)).collect())
        .initializer("b2", &[4], (0..4).map(|i| 0.5 * noise(i, 5)).collect())
        .initializer("fc", &[3, 144], (0..432).map(|i| 0.2 * noise(i, 3)).collect())
        .node("Conv", "conv", &["x", "w1"], &["a"], &[("pads", Attr::Ints(vec![1, 1, 1, 1]))])
        .node("Relu", "relu", &["a"], &["r"], &[])
        .node("GlobalAveragePool", "squeeze", &["r"], &["s"], &[])
        .node("Conv", "excite", &["s", "w2", "b2"], &["e"], &[])
        .node("Sigmoid", "sigmoid", &["e"], &["g"], &[])
        .node("Mul", "gate", &mul_inputs, &["m"], &[])
        .node("Flatten", "flatten", &["m"], &["f"], &[])
        .node("Gemm", "dense", &["f", "fc"], &["y"], &[("transB", Attr::Int(1))])
        .output("y")
}

/// x -> Conv 3x3 pad 1 (3 channels) 'a' -> `a * sigmoid(a)` (SiLU) -> Flatten -> Gemm (3 outputs).
pub fn silu() -> ModelBuilder {
    ModelBuilder::new(13)
        .input("x", &[Some(1), Some(2), Some(6), Some(6)])
        .initializer("w1", &[3, 2, 3, 3], (0..54).map(|i| 0.5 * noise(i, 7)).collect())
        .initializer("fc", &[3, 108], (0..324).map(|i| 0.2 * noise(i, 8)).collect())
        .node("Conv", "conv", &["x", "w1"], &["a"], &[("pads", Attr::Ints(vec![1, 1, 1, 1]))])
        .node("Sigmoid", "sigmoid", &["a"], &["g"], &[])
        .node("Mul", "silu", &["a", "g"], &["m"], &[])
        .node("Flatten", "flatten", &["m"], &["f"], &[])
        .node("Gemm", "dense", &["f", "fc"], &["y"], &[("transB", Attr::Int(1))])
        .output("y")
}

/// Writes `count` seeded samples of the gated models' 2 x 6 x 6 input to `path` as an .npz (`x`, and `y`
/// labels 0..3, which the firmware commands read but these tests do not score).
pub fn write_samples(path: &std::path::Path, count: usize, seed: usize) {
    let x: Vec<f32> = (0..count * 72).map(|i| noise(i, seed)).collect();
    let x = ndarray::Array4::from_shape_vec((count, 2, 6, 6), x).unwrap();
    let y = ndarray::Array1::from_iter((0..count as i64).map(|i| i % 3));
    let mut npz = ndarray_npy::NpzWriter::new(std::fs::File::create(path).unwrap());
    npz.add_array("x", &x).unwrap();
    npz.add_array("y", &y).unwrap();
    npz.finish().unwrap();
}
