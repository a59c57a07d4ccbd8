//! Graph simplifications, each a named value that can be run and tested alone.
//!
//! Importers emit what the model literally says (BatchNormalization and `Add` by a constant become
//! [`Op::Affine`] layers); these passes fold that into the weights so later stages see fewer layers.
//! Each fuses a pair only where the second layer is the first's sole reader ([`Graph::is_chained`]), so a
//! branch (a residual connection) keeps the tensor it reads.

mod pad_into_conv;
mod prelu_pattern;
mod transpose_into_dense;

pub use pad_into_conv::fold_pad_into_conv;
pub use prelu_pattern::fuse_prelu_pattern;
pub use transpose_into_dense::fold_transpose_into_dense;

use super::{Affine, Graph, Op, Tensor, broadcast_binary, values_along_axis};

/// A graph rewrite with a name, for logs and tests.
pub struct Pass {
    pub name: &'static str,
    pub run: fn(&mut Graph),
}

/// The passes every import runs, in order.
pub const STANDARD: &[Pass] = &[
    Pass { name: "fold-pad-into-conv", run: fold_pad_into_conv },
    Pass { name: "fuse-prelu-pattern", run: fuse_prelu_pattern },
    Pass { name: "merge-affines", run: merge_affines },
    Pass { name: "fold-affine-into-weights", run: fold_affine_into_weights },
    Pass { name: "drop-identity-affines", run: drop_identity_affines },
    Pass { name: "merge-reshapes", run: merge_reshapes },
    Pass { name: "fold-transpose-into-dense", run: fold_transpose_into_dense },
];

pub fn run_standard(graph: &mut Graph) {
    for pass in STANDARD {
        (pass.run)(graph);
    }
}

/// `(x * m1 + a1) * m2 + a2` becomes `x * (m1 m2) + (a1 m2 + a2)`.
pub fn merge_affines(graph: &mut Graph) {
    let mut i = 1;
    while i < graph.layers.len() {
        let merged = match (&graph.layers[i - 1].op, &graph.layers[i].op) {
            (Op::Affine(first), Op::Affine(second)) if graph.is_chained(i) => compose(first, second),
            _ => None,
        };
        match merged {
            Some(affine) => {
                let second = graph.remove_layer(i);
                let first = &mut graph.layers[i - 1];
                first.op = Op::Affine(affine);
                first.output_shape = second.output_shape;
            }
            None => i += 1,
        }
    }
}

fn compose(first: &Affine, second: &Affine) -> Option<Affine> {
    let mul = match (&first.mul, &second.mul) {
        (Some(m1), Some(m2)) => Some(broadcast_binary(m1, m2, |a, b| a * b)?),
        (m1, m2) => m1.clone().or_else(|| m2.clone()),
    };
    let scaled_add = match (&first.add, &second.mul) {
        (Some(a1), Some(m2)) => Some(broadcast_binary(a1, m2, |a, b| a * b)?),
        (a1, _) => a1.clone(),
    };
    let add = match (scaled_add, &second.add) {
        (Some(a1), Some(a2)) => Some(broadcast_binary(&a1, a2, |a, b| a + b)?),
        (a1, a2) => a1.or_else(|| a2.clone()),
    };
    Some(Affine { mul, add })
}

/// An affine layer that scales and shifts each output channel of the Dense or Conv before it is folded into
/// that layer's weight and bias: `m (W x + b) + a = (m W) x + (m b + a)`.
pub fn fold_affine_into_weights(graph: &mut Graph) {
    let mut i = 1;
    while i < graph.layers.len() {
        let Op::Affine(affine) = &graph.layers[i].op else {
            i += 1;
            continue;
        };
        let affine = affine.clone();
        let shape = graph.layers[i].output_shape.0.clone();
        if graph.is_chained(i) && fold_into(&mut graph.layers[i - 1].op, &affine, &shape) {
            graph.remove_layer(i);
        } else {
            i += 1;
        }
    }
}

fn fold_into(op: &mut Op, affine: &Affine, shape: &[usize]) -> bool {
    let (weight, bias, axis) = match op {
        Op::Dense(dense) => (&mut dense.weight, &mut dense.bias, shape.len().saturating_sub(1)),
        Op::Conv(conv) if shape.len() > 1 => (&mut conv.weight, &mut conv.bias, 1),
        _ => return false,
    };
    let per_channel = |t: &Option<Tensor>, neutral: f32| match t {
        Some(t) => values_along_axis(t, shape, axis),
        None => Some(vec![neutral; shape[axis]]),
    };
    let (Some(mul), Some(add)) = (per_channel(&affine.mul, 1.0), per_channel(&affine.add, 0.0)) else {
        return false;
    };
    let row = weight.len() / mul.len();
    for (channel, &m) in mul.iter().enumerate() {
        weight.data[channel * row..(channel + 1) * row].iter_mut().for_each(|w| *w *= m);
        bias[channel] = bias[channel] * m + add[channel];
    }
    true
}

/// Removes affine layers that multiply by one and add zero (what `Mul` by 1 or folded pairs leave).
pub fn drop_identity_affines(graph: &mut Graph) {
    let is_identity = |affine: &Affine| {
        affine.mul.as_ref().is_none_or(|m| m.uniform_value() == Some(1.0))
            && affine.add.as_ref().is_none_or(|a| a.uniform_value() == Some(0.0))
    };
    let mut i = 0;
    while i < graph.layers.len() {
        let layer = &graph.layers[i];
        match &layer.op {
            Op::Affine(affine) if is_identity(affine) && layer.input_shape == layer.output_shape => {
                graph.remove_layer(i);
            }
            _ => i += 1,
        }
    }
}

/// Consecutive reshapes become one; a reshape that changes nothing disappears.
pub fn merge_reshapes(graph: &mut Graph) {
    let mut i = 0;
    while i < graph.layers.len() {
        if !matches!(graph.layers[i].op, Op::Reshape) {
            i += 1;
            continue;
        }
        if i + 1 < graph.layers.len() && matches!(graph.layers[i + 1].op, Op::Reshape) && graph.is_chained(i + 1) {
            let next = graph.remove_layer(i + 1);
            graph.layers[i].output_shape = next.output_shape;
        } else if graph.layers[i].input_shape == graph.layers[i].output_shape {
            graph.remove_layer(i);
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Dense, Layer, Shape};

    fn layer(name: &str, op: Op, input: Vec<usize>, output: Vec<usize>) -> Layer {
        Layer::new(name, op, Shape(input), Shape(output))
    }

    fn dense_then_affine() -> Graph {
        let dense = Dense { weight: Tensor::new(vec![2, 2], vec![1., 2., 3., 4.]), bias: vec![1., -1.] };
        let affine = Affine {
            mul: Some(Tensor::new(vec![2], vec![2., 10.])),
            add: Some(Tensor::new(vec![1, 2], vec![0.5, 0.25])),
        };
        Graph::chain(
            "x",
            Shape(vec![1, 2]),
            "y",
            vec![
                layer("fc", Op::Dense(dense), vec![1, 2], vec![1, 2]),
                layer("bn", Op::Affine(affine), vec![1, 2], vec![1, 2]),
            ],
        )
    }

    /// A batch norm whose input a residual branch also reads is not folded: the branch needs the unscaled
    /// values.
    #[test]
    fn an_affine_is_not_folded_into_a_layer_a_branch_also_reads() {
        let mut graph = dense_then_affine();
        let add = Layer {
            inputs: vec!["fc:out".into(), "bn:out".into()],
            output: "sum".into(),
            ..layer("add", Op::Add, vec![1, 2], vec![1, 2])
        };
        graph.layers.push(add);
        let before = graph.clone();
        fold_affine_into_weights(&mut graph);
        assert_eq!(graph, before);
        let x = [0.3, -0.7];
        assert_eq!(crate::graph::eval::run(&graph, &x), crate::graph::eval::run(&before, &x));
    }

    #[test]
    fn per_output_affine_folds_into_dense() {
        let mut graph = dense_then_affine();
        fold_affine_into_weights(&mut graph);
        assert_eq!(graph.layers.len(), 1);
        let Op::Dense(dense) = &graph.layers[0].op else { panic!("dense expected") };
        assert_eq!(dense.weight.data, vec![2., 4., 30., 40.]);
        assert_eq!(dense.bias, vec![2.5, -9.75]);
    }

    #[test]
    fn consecutive_affines_compose() {
        let graph = dense_then_affine();
        let second = Affine { mul: Some(Tensor::scalar(3.)), add: Some(Tensor::scalar(1.)) };
        let mut layers = graph.layers;
        layers.push(layer("scale", Op::Affine(second), vec![1, 2], vec![1, 2]));
        let mut graph = Graph::chain("x", Shape(vec![1, 2]), "y", layers);
        merge_affines(&mut graph);
        assert_eq!(graph.layers.len(), 2);
        let Op::Affine(affine) = &graph.layers[1].op else { panic!("affine expected") };
        assert_eq!(affine.mul.as_ref().unwrap().data, vec![6., 30.]);
        assert_eq!(affine.add.as_ref().unwrap().data, vec![2.5, 1.75]);
    }

    #[test]
    fn reshape_chain_collapses() {
        let layers = vec![layer("a", Op::Reshape, vec![1, 2], vec![2]), layer("b", Op::Reshape, vec![2], vec![1, 2])];
        let mut graph = Graph::chain("x", Shape(vec![1, 2]), "y", layers);
        merge_reshapes(&mut graph);
        assert!(graph.layers.is_empty());
    }
}
