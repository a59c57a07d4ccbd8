//! A layout Transpose that only feeds a flattening Reshape and a Dense layer is a permutation of that
//! layer's input columns: tf2onnx puts `Transpose[0,2,3,1]` (NCHW back to Keras's NHWC) before every
//! Flatten -> Dense, and folding it costs nothing at run time.

use crate::graph::{Graph, Op, Shape, permuted_indices};

/// Removes every Transpose whose result reaches a Dense layer through elementwise activations and
/// reshapes only, with that Dense consuming the whole tensor as one vector; permutes the Dense's weight
/// columns so it reads the untransposed layout.
pub fn fold_transpose_into_dense(graph: &mut Graph) {
    let mut i = 0;
    while i < graph.layers.len() {
        if !fold_at(graph, i) {
            i += 1;
        }
    }
}

/// Folds the Transpose at `index` if the layers after it allow it.
fn fold_at(graph: &mut Graph, index: usize) -> bool {
    let Op::Transpose { perm } = &graph.layers[index].op else { return false };
    let perm = perm.clone();
    let untransposed = graph.layers[index].input_shape.clone();
    let mut dense_at = None;
    let mut reshaped = false;
    for (k, layer) in graph.layers.iter().enumerate().skip(index + 1) {
        // Every layer up to the Dense must be the sole reader of the one before it.
        if !graph.is_chained(k) {
            return false;
        }
        match &layer.op {
            Op::Reshape => reshaped = true,
            // Elementwise: it commutes with any permutation (as long as no reshape came first).
            Op::Activation(_) if !reshaped => {}
            Op::Dense(dense) if is_flat(&layer.input_shape) && dense.inputs() == layer.input_shape.elements() => {
                dense_at = Some(k);
                break;
            }
            _ => return false,
        }
    }
    let Some(dense_at) = dense_at else { return false };
    // Input column j of the Dense reads element `source[j]` of the untransposed tensor.
    let source = permuted_indices(untransposed.dims(), &perm);
    let Op::Dense(dense) = &mut graph.layers[dense_at].op else { return false };
    let (outputs, inputs) = (dense.outputs(), dense.inputs());
    let mut weight = vec![0.0; dense.weight.len()];
    for o in 0..outputs {
        for (j, &s) in source.iter().enumerate() {
            weight[o * inputs + s] = dense.weight.data[o * inputs + j];
        }
    }
    dense.weight.data = weight;
    let removed = graph.remove_layer(index);
    // The activations between now see the untransposed shape; the first reshape reads it.
    for layer in &mut graph.layers[index..dense_at - 1] {
        match layer.op {
            Op::Activation(_) => {
                layer.input_shape = untransposed.clone();
                layer.output_shape = untransposed.clone();
            }
            _ => {
                layer.input_shape = untransposed.clone();
                break;
            }
        }
    }
    debug_assert_eq!(removed.input_shape, untransposed);
    true
}

/// A shape whose every axis but the last has extent 1: one vector.
fn is_flat(shape: &Shape) -> bool {
    shape.dims().iter().rev().skip(1).all(|&d| d == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::eval::run;
    use crate::graph::{Activation, Dense, Layer, Tensor};

    fn layer(name: &str, op: Op, input: &[usize], output: &[usize]) -> Layer {
        Layer::new(name, op, Shape(input.to_vec()), Shape(output.to_vec()))
    }

    /// Relu -> Transpose[0,2,3,1] -> Relu -> Flatten -> Dense over a 1x2x3x2 tensor, as tf2onnx writes a
    /// Keras Flatten -> Dense.
    fn keras_flatten() -> Graph {
        let weight: Vec<f32> = (0..3 * 12).map(|v| (v as f32 * 0.37).sin()).collect();
        let dense = Dense { weight: Tensor::new(vec![3, 12], weight), bias: vec![0.1, -0.2, 0.3] };
        Graph::chain(
            "x",
            Shape(vec![1, 2, 3, 2]),
            "y",
            vec![
                layer("relu0", Op::Activation(Activation::Relu), &[1, 2, 3, 2], &[1, 2, 3, 2]),
                layer("t", Op::Transpose { perm: vec![0, 2, 3, 1] }, &[1, 2, 3, 2], &[1, 3, 2, 2]),
                layer("relu1", Op::Activation(Activation::Relu), &[1, 3, 2, 2], &[1, 3, 2, 2]),
                layer("flatten", Op::Reshape, &[1, 3, 2, 2], &[1, 12]),
                layer("fc", Op::Dense(dense), &[1, 12], &[1, 3]),
            ],
        )
    }

    #[test]
    fn the_folded_graph_computes_what_the_transposed_one_did() {
        let original = keras_flatten();
        let mut folded = original.clone();
        fold_transpose_into_dense(&mut folded);
        assert!(folded.layers.iter().all(|l| !matches!(l.op, Op::Transpose { .. })));
        assert_eq!(folded.layers.len(), 4);
        assert_eq!(folded.layers[1].input_shape, Shape(vec![1, 2, 3, 2]), "relu1 sees the untransposed shape");
        assert_eq!(folded.layers[2].input_shape, Shape(vec![1, 2, 3, 2]), "the reshape reads it");
        let x: Vec<f32> = (0..12).map(|v| (v as f32 * 1.3).cos()).collect();
        assert_eq!(run(&original, &x), run(&folded, &x));
    }

    #[test]
    fn a_transpose_feeding_anything_else_stays() {
        let mut graph = keras_flatten();
        // A Dense over the last axis of an unflattened tensor: the permutation is not a column permutation.
        graph.remove_layer(3);
        graph.layers[3].input_shape = Shape(vec![1, 3, 2, 2]);
        let before = graph.clone();
        fold_transpose_into_dense(&mut graph);
        assert_eq!(graph, before);
    }
}
