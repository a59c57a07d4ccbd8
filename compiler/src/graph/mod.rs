//! The typed layer graph: what a model computes, with a static shape for every tensor.

mod dag;
pub mod eval;
mod layer;
pub mod ops;
pub mod passes;
mod tensor;

pub use layer::{Affine, Conv, Dense, Layer, Op, Pool, Refusal, SoftmaxAxis};
pub use ops::activation::Activation;
pub use ops::mul::Mul;
pub use ops::pad::Pad;
pub use ops::prelu::PRelu;
pub use tensor::{
    Shape, Tensor, broadcast_binary, broadcast_indices, broadcast_shapes, permuted_indices, values_along_axis,
};

/// A model: one input, a DAG of layers in topological order (see `dag.rs`), one output, which the last
/// layer writes.
#[derive(Clone, Debug, PartialEq)]
pub struct Graph {
    pub input_name: String,
    pub input_shape: Shape,
    pub output_name: String,
    pub layers: Vec<Layer>,
    /// What the importer assumed where the model left a choice open (a batch dimension of 1), one line
    /// each, for the commands to print as notes.
    pub notes: Vec<String>,
}

impl Graph {
    /// The shape of the model output: what the last layer produces (the input shape for an empty model).
    pub fn output_shape(&self) -> &Shape {
        self.layers.last().map_or(&self.input_shape, |layer| &layer.output_shape)
    }
}
