//! The layers before the first dense layer or block-circulant convolution stay as they are (on the build's
//! Q15 grid) while the rest trains: the convolutional feature extractor in front of the layers that change
//! is computed once per sample instead of forward and backward in every batch of every epoch. On the LeNet
//! fixture 60 epochs took about 20 s this way and several minutes with the convolutions training too (which
//! also recovered less accuracy on the 4,000-sample training set); that is what lets `--block auto` train
//! several configurations in a few minutes.

use crate::graph::{Graph, Op};
use crate::rad::admm::{AdmmError, Net, train};

use super::data::Examples;

/// A graph cut before its first dense layer or before the first of the `trained` layers (graph indices of
/// the layers to become block-circulant), whichever comes first.
pub struct Split {
    /// The fixed front (possibly no layers), input to features.
    pub front: Graph,
    /// The trainable rest, features to output.
    pub rest: Graph,
}

impl Split {
    pub fn new(graph: &Graph, trained: &[usize]) -> Split {
        let first_dense = graph.layers.iter().position(|l| matches!(l.op, Op::Dense(_))).unwrap_or(0);
        let wanted = trained.iter().copied().fold(first_dense, usize::min);
        // The latest cut at or before it that only the tensor just before it crosses (not inside a residual
        // block, whose skip connection would cross too).
        let first = (0..=wanted).rev().find(|&cut| is_chain_cut(graph, cut)).unwrap_or(0);
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

/// Whether the layers from `cut` on read nothing made before `cut` but the tensor just before it (the
/// previous layer's output, or the model's input at 0): the graph is a chain there.
fn is_chain_cut(graph: &Graph, cut: usize) -> bool {
    let before = if cut == 0 { graph.input_name.as_str() } else { graph.layers[cut - 1].output.as_str() };
    let made_after: Vec<&str> = graph.layers[cut..].iter().map(|l| l.output.as_str()).collect();
    graph.layers[cut..]
        .iter()
        .flat_map(|l| l.inputs.iter().map(String::as_str))
        .all(|input| input == before || made_after.contains(&input))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::eval;
    use crate::onnx::{self, ImportOptions};

    /// Asked to train a convolution inside a residual block, the split moves the cut back to where only one
    /// tensor crosses it (before the block), and the fixed front followed by the rest computes what the
    /// whole graph computes.
    #[test]
    fn a_cut_never_falls_inside_a_residual_block() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let graph = onnx::load(&root.join("fmnist-resnet/model.onnx"), &ImportOptions::default()).unwrap();
        let add = graph.layers.iter().position(|l| matches!(l.op, Op::Add)).unwrap();
        let inside = (0..add).rev().find(|&i| matches!(graph.layers[i].op, Op::Conv(_))).unwrap();
        assert!(!is_chain_cut(&graph, inside));
        let split = Split::new(&graph, &[inside]);
        assert!(split.offset() < inside && is_chain_cut(&graph, split.offset()), "cut at {}", split.offset());
        let x: Vec<f32> = (0..784).map(|i| ((i * 37) % 101) as f32 / 101.0).collect();
        let features = eval::run(&split.front, &x);
        let (whole, parts) = (eval::run(&graph, &x), eval::run(&split.rest, &features));
        for (a, b) in whole.iter().zip(&parts) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
    }
}
