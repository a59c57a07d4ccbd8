//! `relu(x) + m * relu(-x)` is a PReLU of slope `-m`: how TensorFlow computes Keras's `PReLU` layer, and
//! so how tf2onnx exports it (Relu, Neg, Relu, Mul by `-alpha`, Add). One layer instead of five: one table
//! step per run of equal slopes instead of two ReLUs, two channel-affine steps and an add.

use crate::graph::{Activation, Affine, Graph, Op, PRelu, values_along_axis};

/// Fuses every such pattern whose intermediate tensors nothing else reads.
pub fn fuse_prelu_pattern(graph: &mut Graph) {
    while let Some((add, x, slopes, parts)) = (0..graph.layers.len()).find_map(|i| matched(graph, i)) {
        let layer = &mut graph.layers[add];
        (layer.op, layer.inputs) = (Op::prelu(slopes), vec![x]);
        let mut parts = parts;
        parts.sort_unstable_by(|a, b| b.cmp(a));
        for part in parts {
            graph.remove_layer(part);
        }
    }
}

/// For the Add at `index` that ends the pattern: its index, `x`, the slopes, and the four layers it replaces.
fn matched(graph: &Graph, index: usize) -> Option<(usize, String, Vec<f32>, Vec<usize>)> {
    let layer = &graph.layers[index];
    let [first, second] = layer.inputs.as_slice() else { return None };
    if layer.op != Op::Add {
        return None;
    }
    // The producer of `tensor` when `op` holds for it and `reader` alone reads its output.
    let sole = |tensor: &str, reader: usize, op: &dyn Fn(&Op) -> bool| {
        let at = graph.producer(tensor)?;
        (op(&graph.layers[at].op) && graph.consumers(tensor) == [reader]).then_some(at)
    };
    let is_relu = |op: &Op| *op == Op::Activation(Activation::Relu);
    let scale = |op: &Op| match op {
        Op::Affine(Affine { mul: Some(m), add: None }) => Some(m.clone()),
        _ => None,
    };
    [(first, second), (second, first)].into_iter().find_map(|(positive, negative)| {
        let relu = sole(positive, index, &is_relu)?;
        let mul = sole(negative, index, &|op| scale(op).is_some())?;
        let relu_neg = sole(&graph.layers[mul].inputs[0], mul, &is_relu)?;
        let negates = |op: &Op| scale(op).is_some_and(|m| m.data.iter().all(|&v| v == -1.0));
        let neg = sole(&graph.layers[relu_neg].inputs[0], relu_neg, &negates)?;
        let x = &graph.layers[relu].inputs[0];
        if graph.layers[neg].inputs[0] != *x {
            return None;
        }
        let dims = layer.output_shape.dims();
        let m = scale(&graph.layers[mul].op)?;
        let slopes = values_along_axis(&m, dims, PRelu::channel_axis(dims))?.iter().map(|v| -v).collect();
        Some((index, x.clone(), slopes, vec![relu, mul, relu_neg, neg]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Layer, Shape, Tensor, eval};

    /// x -> relu 'pos'; x -> neg -> relu -> mul (by `-alpha`, [1, 2, 1, 1]) ; pos + mul, then a ReLU that
    /// reads `extra_reader` too when given (so the pattern's tensor has a second reader).
    fn keras_prelu(alpha: [f32; 2], branch: Option<&str>) -> Graph {
        let shape = Shape(vec![1, 2, 2, 2]);
        let layer = |name: &str, op: Op, inputs: &[&str]| {
            let mut l = Layer::new(name, op, shape.clone(), shape.clone());
            (l.inputs, l.output) = (inputs.iter().map(|s| s.to_string()).collect(), name.to_string());
            l
        };
        let affine = |m: Tensor| Op::Affine(Affine { mul: Some(m), add: None });
        let relu = Op::Activation(Activation::Relu);
        let mut layers = vec![
            layer("pos", relu.clone(), &["x"]),
            layer("neg", affine(Tensor::scalar(-1.0)), &["x"]),
            layer("relu_neg", relu.clone(), &["neg"]),
            layer("mul", affine(Tensor::new(vec![1, 2, 1, 1], alpha.iter().map(|a| -a).collect())), &["relu_neg"]),
            layer("add", Op::Add, &["pos", "mul"]),
        ];
        layers.push(layer("out", Op::Add, &["add", branch.unwrap_or("add")]));
        Graph { input_name: "x".into(), input_shape: shape, output_name: "out".into(), layers, notes: Vec::new() }
    }

    #[test]
    fn the_five_layers_become_one_prelu_that_computes_the_same() {
        let original = keras_prelu([0.25, -0.5], None);
        let mut fused = original.clone();
        fuse_prelu_pattern(&mut fused);
        assert_eq!(fused.layers.len(), 2, "{:?}", fused.layers);
        assert_eq!(fused.layers[0].op, Op::PRelu(PRelu { slopes: vec![0.25, -0.5] }));
        assert_eq!(fused.layers[0].inputs, ["x"]);
        let x: Vec<f32> = (0..8).map(|i| i as f32 - 3.5).collect();
        assert_eq!(eval::run(&fused, &x), eval::run(&original, &x));
        let mut shared = keras_prelu([0.3, 0.3], None);
        fuse_prelu_pattern(&mut shared);
        assert_eq!(shared.layers[0].op, Op::Activation(Activation::LeakyRelu { alpha: 0.3 }));
    }

    #[test]
    fn a_pattern_whose_tensor_another_layer_reads_stays() {
        let mut graph = keras_prelu([0.25, -0.5], Some("relu_neg"));
        fuse_prelu_pattern(&mut graph);
        assert_eq!(graph.layers.len(), 6);
    }
}
