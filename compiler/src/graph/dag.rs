//! The graph as a dataflow DAG: every layer reads named tensors (the model input or earlier layers'
//! outputs) and writes one; layers are kept in a topological order with the model output's producer last.
//! Passes edit it through these helpers, so a rewrite of a chain never breaks a branch beside it.

use super::{Graph, Layer, Shape};

impl Graph {
    /// A sequential graph: each layer reads the one before it (the first reads the input); each layer's
    /// output tensor is named after it. For tests and for graphs built in code.
    pub fn chain(input_name: &str, input_shape: Shape, output_name: &str, layers: Vec<Layer>) -> Graph {
        let mut previous = input_name.to_string();
        let layers = layers
            .into_iter()
            .map(|mut layer| {
                layer.inputs = vec![std::mem::take(&mut previous)];
                layer.output = format!("{}:out", layer.name);
                previous = layer.output.clone();
                layer
            })
            .collect();
        Graph { input_name: input_name.into(), input_shape, output_name: output_name.into(), layers, notes: Vec::new() }
    }

    /// The index of the layer that writes `tensor` (`None`: the model input).
    pub fn producer(&self, tensor: &str) -> Option<usize> {
        self.layers.iter().position(|l| l.output == tensor)
    }

    /// The indices of the layers that read `tensor`, in order (a layer reading it twice counts once).
    pub fn consumers(&self, tensor: &str) -> Vec<usize> {
        (0..self.layers.len()).filter(|&i| self.layers[i].inputs.iter().any(|t| t == tensor)).collect()
    }

    /// The producer of layer `index`'s first input (`None`: the model input).
    pub fn input_producer(&self, index: usize) -> Option<usize> {
        self.layers[index].inputs.first().and_then(|t| self.producer(t))
    }

    /// Whether layer `index` continues a chain: it reads only the output of layer `index - 1`, and nothing
    /// else reads that output. Passes fuse only such pairs, so no branch loses the tensor it reads.
    pub fn is_chained(&self, index: usize) -> bool {
        let Some(before) = index.checked_sub(1).map(|i| &self.layers[i]) else { return false };
        let layer = &self.layers[index];
        layer.inputs.len() == 1 && layer.inputs[0] == before.output && self.consumers(&before.output) == [index]
    }

    /// Whether every layer reads only the layer before it (or, the first, the input): no branches.
    pub fn is_sequential(&self) -> bool {
        self.layers.iter().enumerate().all(|(i, layer)| {
            let previous = if i == 0 { &self.input_name } else { &self.layers[i - 1].output };
            layer.inputs.len() == 1 && &layer.inputs[0] == previous
        })
    }

    /// Removes layer `index` (a one-input layer whose output equals its input, or one folded into its
    /// producer): whatever read its output reads its input instead.
    pub fn remove_layer(&mut self, index: usize) -> Layer {
        let removed = self.layers.remove(index);
        if let Some(input) = removed.inputs.first() {
            for layer in &mut self.layers {
                for tensor in &mut layer.inputs {
                    if *tensor == removed.output {
                        *tensor = input.clone();
                    }
                }
            }
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use crate::graph::{Activation, Graph, Layer, Op, Shape};

    fn relu(name: &str) -> Layer {
        Layer::new(name, Op::Activation(Activation::Relu), Shape(vec![1, 4]), Shape(vec![1, 4]))
    }

    /// x -> a -> b, and c reads a as well (a branch): b is not chained to a; removing b keeps c's input.
    #[test]
    fn a_branch_is_not_a_chain_and_survives_removals() {
        let mut graph = Graph::chain("x", Shape(vec![1, 4]), "y", vec![relu("a"), relu("b"), relu("c")]);
        assert!(graph.is_sequential());
        assert!(graph.is_chained(1));
        graph.layers[2].inputs = vec!["a:out".into()];
        assert!(!graph.is_sequential());
        assert!(!graph.is_chained(1), "a's output has two readers");
        assert_eq!(graph.consumers("a:out"), vec![1, 2]);
        let removed = graph.remove_layer(1);
        assert_eq!(removed.name, "b");
        assert_eq!(graph.layers[1].inputs, vec!["a:out".to_string()]);
        assert_eq!(graph.producer("a:out"), Some(0));
        assert_eq!(graph.input_producer(0), None);
    }
}
