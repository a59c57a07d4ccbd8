//! The layers before the first dense layer stay as they are (on the build's Q15 grid) while the rest
//! trains: only dense layers become block-circulant, so the convolutional feature extractor in front of them
//! is computed once per sample instead of forward and backward in every batch of every epoch. On the LeNet
//! fixture 60 epochs took about 20 s this way and several minutes with the convolutions training too (which
//! also recovered less accuracy on the 4,000-sample training set); that is what lets `--block auto` train
//! several configurations in a few minutes.

use crate::graph::{Graph, Op};
use crate::rad::admm::{AdmmError, Net, train};

use super::data::Examples;

/// A graph cut before its first dense layer.
pub struct Split {
    /// The fixed front (possibly no layers), input to features.
    pub front: Graph,
    /// The trainable rest, features to output.
    pub rest: Graph,
}

impl Split {
    pub fn new(graph: &Graph) -> Split {
        let first = graph.layers.iter().position(|l| matches!(l.op, Op::Dense(_))).unwrap_or(0);
        let features = graph.layers.get(first).map_or(graph.input_shape.clone(), |l| l.input_shape.clone());
        let front = Graph {
            input_name: graph.input_name.clone(),
            input_shape: graph.input_shape.clone(),
            output_name: "features".into(),
            layers: graph.layers[..first].to_vec(),
            notes: graph.notes.clone(),
        };
        let rest = Graph {
            input_name: "features".into(),
            input_shape: features,
            output_name: graph.output_name.clone(),
            layers: graph.layers[first..].to_vec(),
            notes: Vec::new(),
        };
        Split { front, rest }
    }

    /// Index of the rest's first layer in the whole graph.
    pub fn offset(&self) -> usize {
        self.front.layers.len()
    }

    /// The samples as the rest sees them: the front's outputs, same labels, references and teacher outputs.
    pub fn features(&self, data: &Examples) -> Result<Examples, AdmmError> {
        let x = if self.front.layers.is_empty() {
            data.x.clone()
        } else {
            train::logits(&Net::from_graph(&self.front)?, &data.samples())?
        };
        Ok(data.with_x(x))
    }

    /// The whole graph with a trained rest.
    pub fn join(&self, rest: Graph) -> Graph {
        let mut layers = self.front.layers.clone();
        layers.extend(rest.layers);
        Graph {
            input_name: self.front.input_name.clone(),
            input_shape: self.front.input_shape.clone(),
            output_name: rest.output_name,
            layers,
            notes: self.front.notes.clone(),
        }
    }
}
