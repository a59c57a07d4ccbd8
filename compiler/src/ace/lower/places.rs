//! Where every tensor lives while the program runs: activation buffers assigned by lifetime over the
//! graph. A tensor takes the first buffer that holds nothing still to be read; a buffer is free again
//! once the last reader of each tensor in it has run. A sequential model gets the two ping-pong buffers
//! it always had; a residual connection keeps its tensor in a third while the branch beside it runs.

use std::collections::HashMap;

use super::super::program::Act;
use crate::graph::Graph;

#[derive(Clone, Copy, Debug)]
struct Place {
    act: Act,
    frac: i32,
}

pub(super) struct Places {
    tensors: HashMap<String, Place>,
    /// Layers still to run that read each tensor.
    readers: HashMap<String, usize>,
    /// The model output, which stays live to the end.
    output: String,
    /// Elements each buffer must hold.
    lens: Vec<usize>,
}

impl Places {
    /// The model input in buffer 0, in Q`input_frac`.
    pub(super) fn new(graph: &Graph, input_frac: i32) -> Places {
        let mut readers = HashMap::new();
        for layer in &graph.layers {
            let mut read: Vec<&String> = layer.inputs.iter().collect();
            read.dedup();
            for tensor in read {
                *readers.entry(tensor.clone()).or_insert(0) += 1;
            }
        }
        let output = graph.layers.last().map_or_else(|| graph.input_name.clone(), |l| l.output.clone());
        let tensors = HashMap::from([(graph.input_name.clone(), Place { act: Act(0), frac: input_frac })]);
        Places { tensors, readers, output, lens: vec![graph.input_shape.elements()] }
    }

    /// The buffer and format of `tensor`, which an earlier layer wrote (the import orders them so).
    pub(super) fn read(&self, tensor: &str) -> (Act, i32) {
        let place = self.tensors[tensor];
        (place.act, place.frac)
    }

    /// A buffer that holds no tensor still to be read (and not the output): the first such, or a new one.
    pub(super) fn free_buffer(&mut self) -> Act {
        let live = |act: Act| {
            self.tensors.iter().any(|(tensor, place)| {
                place.act == act && (*tensor == self.output || self.readers.get(tensor).is_some_and(|&n| n > 0))
            })
        };
        match (0..self.lens.len()).map(Act).find(|&act| !live(act)) {
            Some(act) => act,
            None => {
                self.lens.push(0);
                Act(self.lens.len() - 1)
            }
        }
    }

    /// Records that `tensor` is in `act`, in Q`frac`, over its first `len` elements.
    pub(super) fn place(&mut self, tensor: &str, act: Act, frac: i32, len: usize) {
        self.lens[act.0] = self.lens[act.0].max(len);
        self.tensors.insert(tensor.to_string(), Place { act, frac });
    }

    /// `tensor` is `source` under another name (a reshape, a dropped softmax): same buffer, same format.
    pub(super) fn alias(&mut self, tensor: &str, source: &str) {
        let place = self.tensors[source];
        self.tensors.insert(tensor.to_string(), place);
    }

    /// One layer that read `inputs` has run.
    pub(super) fn consumed(&mut self, inputs: &[String]) {
        let mut read: Vec<&String> = inputs.iter().collect();
        read.dedup();
        for tensor in read {
            if let Some(n) = self.readers.get_mut(tensor) {
                *n = n.saturating_sub(1);
            }
        }
    }

    /// Elements of each buffer, in buffer order.
    pub(super) fn lens(&self) -> &[usize] {
        &self.lens
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Activation, Layer, Op, Shape};

    fn relu(name: &str, input: &str) -> Layer {
        let mut layer = Layer::new(name, Op::Activation(Activation::Relu), Shape(vec![1, 4]), Shape(vec![1, 4]));
        (layer.inputs, layer.output) = (vec![input.into()], name.into());
        layer
    }

    /// x -> a -> b -> c, then d = a + c: a stays in its buffer while b and c take the other two.
    #[test]
    fn a_skip_connection_keeps_its_buffer_until_the_add() {
        let mut add = relu("d", "a");
        (add.op, add.inputs) = (Op::Add, vec!["a".into(), "c".into()]);
        let layers = vec![relu("a", "x"), relu("b", "a"), relu("c", "b"), add];
        let graph = Graph {
            input_name: "x".into(),
            input_shape: Shape(vec![1, 4]),
            output_name: "d".into(),
            layers,
            notes: vec![],
        };
        let mut places = Places::new(&graph, 12);
        let mut written = Vec::new();
        for layer in &graph.layers {
            let act = places.free_buffer();
            // A layer never writes a buffer it reads.
            assert!(layer.inputs.iter().all(|t| places.read(t).0 != act), "{}", layer.name);
            places.place(&layer.output, act, 12, 4);
            places.consumed(&layer.inputs);
            written.push(act.0);
        }
        assert_eq!(written, vec![1, 0, 2, 0], "a in 1; b in 0 (x is dead); c in 2 (a is live); d in 0");
        assert_eq!(places.lens().len(), 3);
    }
}
