//! The typed layers of a model. No ONNX types here: every later stage reads only this.

use super::ops::activation::Activation;
use super::ops::mul::Mul;
use super::ops::pad::Pad;
use super::ops::prelu::PRelu;
use super::tensor::{Shape, Tensor};

/// One layer of the model: a node of the dataflow graph (see `dag.rs`).
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// The name of the ONNX node it came from (or of the first node of a fused group).
    pub name: String,
    pub op: Op,
    /// The tensors it reads, by name, in operand order: the model input or earlier layers' outputs.
    pub inputs: Vec<String>,
    /// The tensor it writes.
    pub output: String,
    /// The shape of its first input.
    pub input_shape: Shape,
    pub output_shape: Shape,
}

impl Layer {
    /// A layer not yet wired to tensors (see [`crate::graph::Graph::chain`]).
    pub fn new(name: &str, op: Op, input_shape: Shape, output_shape: Shape) -> Layer {
        Layer { name: name.into(), op, inputs: Vec::new(), output: String::new(), input_shape, output_shape }
    }
}

/// What a layer computes.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Dense(Dense),
    Conv(Conv),
    MaxPool(Pool),
    AvgPool(Pool),
    /// Mean over every spatial axis, keeping them as size 1.
    GlobalAvgPool,
    /// The element-wise sum of two computed tensors of one shape (a residual connection).
    Add,
    /// The element-wise product of two computed tensors, the second (a gate) broadcast to the first.
    Mul(Mul),
    /// Computed tensors of one shape but along `axis`, joined along it (in operand order).
    Concat {
        axis: usize,
    },
    Activation(Activation),
    /// `y = x * mul + add`, each broadcast to the layer's shape (numpy rules).
    Affine(Affine),
    /// Same elements, new shape (Flatten, Reshape, Squeeze, Unsqueeze).
    Reshape,
    Transpose {
        perm: Vec<usize>,
    },
    Pad(Pad),
    PRelu(PRelu),
    Softmax(SoftmaxAxis),
    LogSoftmax(SoftmaxAxis),
    /// A node acec cannot compile, kept with its shapes so `inspect` can show the whole model and every
    /// reason at once; a build's import refuses a graph that holds one (see `onnx::import`).
    Refused(Refusal),
}

/// Why a node cannot be compiled.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The ONNX op, as the model names it (`Tanh`, `Conv`).
    pub op_type: String,
    /// What is missing: the op, or the attribute or size that is not supported, and what would help.
    pub reason: String,
}

impl Op {
    /// A PReLU of these per-channel slopes: a LeakyRelu when they are all one slope.
    pub fn prelu(slopes: Vec<f32>) -> Op {
        match slopes.as_slice() {
            [first, rest @ ..] if rest.iter().all(|s| s == first) => {
                Op::Activation(Activation::LeakyRelu { alpha: *first })
            }
            _ => Op::PRelu(PRelu { slopes }),
        }
    }

    /// A short human name, as `inspect` prints it.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::Dense(_) => "Dense",
            Op::Conv(_) => "Conv",
            Op::MaxPool(_) => "MaxPool",
            Op::AvgPool(_) => "AvgPool",
            Op::GlobalAvgPool => "GlobalAvgPool",
            Op::Add => "Add",
            Op::Mul(_) => "Mul",
            Op::Concat { .. } => "Concat",
            Op::Activation(a) => a.onnx_op(),
            Op::Affine(_) => "Affine",
            Op::Reshape => "Reshape",
            Op::Transpose { .. } => "Transpose",
            Op::Pad(_) => "Pad",
            Op::PRelu(_) => "PRelu",
            Op::Softmax(_) => "Softmax",
            Op::LogSoftmax(_) => "LogSoftmax",
            Op::Refused(_) => "refused",
        }
    }
}

/// A fully connected layer over the last axis: `y[.., o] = sum_i weight[o][i] * x[.., i] + bias[o]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    /// `outputs x inputs`, row-major (PyTorch's `Linear.weight` layout).
    pub weight: Tensor,
    /// One value per output.
    pub bias: Vec<f32>,
}

impl Dense {
    pub fn outputs(&self) -> usize {
        self.weight.shape.0[0]
    }

    pub fn inputs(&self) -> usize {
        self.weight.shape.0[1]
    }
}

/// A 1-D or 2-D convolution (cross-correlation, as ONNX and PyTorch define it), grouped or not.
#[derive(Clone, Debug, PartialEq)]
pub struct Conv {
    /// `out_channels x in_channels / group x kernel...` (one kernel axis per spatial axis).
    pub weight: Tensor,
    /// One value per output channel.
    pub bias: Vec<f32>,
    pub strides: Vec<usize>,
    /// Explicit padding: the begin of every spatial axis, then the end of every spatial axis.
    pub pads: Vec<usize>,
    pub dilations: Vec<usize>,
    /// Input and output channels split into this many independent groups (1: a plain convolution; as many
    /// as the input channels: a depthwise one). Output channel `o` reads the input channels of group
    /// `o / (out_channels / group)`.
    pub group: usize,
}

impl Conv {
    pub fn out_channels(&self) -> usize {
        self.weight.shape.0[0]
    }

    /// The kernel extent per spatial axis.
    pub fn kernel(&self) -> &[usize] {
        &self.weight.shape.0[2..]
    }
}

/// A pooling window over the spatial axes.
#[derive(Clone, Debug, PartialEq)]
pub struct Pool {
    pub kernel: Vec<usize>,
    pub strides: Vec<usize>,
    /// Begin pads of every spatial axis, then end pads.
    pub pads: Vec<usize>,
    /// Average pooling only: whether padded cells count in the divisor.
    pub count_include_pad: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Affine {
    pub mul: Option<Tensor>,
    pub add: Option<Tensor>,
}

impl Affine {
    /// `-x`: how ONNX's Neg, and the second operand of a Sub of two computed tensors, import.
    pub fn negation() -> Affine {
        Affine { mul: Some(Tensor::scalar(-1.0)), add: None }
    }
}

/// Where a softmax normalises.
#[derive(Clone, Debug, PartialEq)]
pub struct SoftmaxAxis {
    pub axis: usize,
    /// Opsets before 13 flatten every axis from `axis` on into one before normalising.
    pub flatten_from_axis: bool,
}
