//! The importer's view of one node: its inputs resolved to constants or computed values, its attributes,
//! and the graph being built.

use std::collections::HashMap;
use std::path::Path;

use onnx_protobuf::NodeProto;

use super::ImportError;
use super::attrs::Attrs;
use super::constant::ConstTensor;
use crate::graph::{Layer, Op, Refusal, Shape};

/// A named ONNX value during import.
#[derive(Clone, Debug)]
pub enum Value {
    /// Known at compile time (an initializer, a `Constant`, or folded shape arithmetic).
    Const(ConstTensor),
    /// Computed at run time: the graph tensor `tensor` (the model input or a layer's output).
    Computed { shape: Shape, tensor: String },
}

/// Everything an op importer needs for one node.
pub struct NodeContext<'a> {
    pub node: &'a NodeProto,
    pub opset: i64,
    pub model_dir: &'a Path,
    values: &'a HashMap<String, Value>,
    layers: &'a mut Vec<Layer>,
    /// The tensor the next pushed layer reads: the node's first computed input, then each layer the node
    /// pushed (a node may become a chain of layers).
    reading: Option<String>,
}

impl<'a> NodeContext<'a> {
    pub fn new(
        node: &'a NodeProto,
        opset: i64,
        model_dir: &'a Path,
        values: &'a HashMap<String, Value>,
        layers: &'a mut Vec<Layer>,
    ) -> Self {
        let reading = node.input.iter().find_map(|name| match values.get(name) {
            Some(Value::Computed { tensor, .. }) => Some(tensor.clone()),
            _ => None,
        });
        NodeContext { node, opset, model_dir, values, layers, reading }
    }

    pub fn attrs(&self) -> Attrs<'a> {
        Attrs::new(self.node)
    }

    /// Whether optional input `i` is present (ONNX marks an omitted optional input with an empty name).
    pub fn has_input(&self, i: usize) -> bool {
        self.node.input.get(i).is_some_and(|name| !name.is_empty())
    }

    pub fn input(&self, i: usize) -> Result<&'a Value, ImportError> {
        let name = self
            .node
            .input
            .get(i)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| self.shape_error(format!("input {i} is missing")))?;
        self.values.get(name).ok_or_else(|| ImportError::UndefinedValue {
            node: self.node.name.clone(),
            op_type: self.node.op_type.clone(),
            input: name.clone(),
        })
    }

    /// Input `i`, which must be known at compile time.
    pub fn const_input(&self, i: usize) -> Result<&'a ConstTensor, ImportError> {
        match self.input(i)? {
            Value::Const(t) => Ok(t),
            Value::Computed { .. } => Err(self.unsupported(format!(
                "input {i} ('{}') must be a constant (an initializer); computed values are only supported as the first input",
                self.node.input[i]
            ))),
        }
    }

    /// Input `i` when it is a computed value: its shape.
    pub fn computed_input(&self, i: usize) -> Result<Shape, ImportError> {
        self.computed(i).map(|(shape, _)| shape.clone())
    }

    /// The graph tensor behind computed input `i`.
    pub fn computed_tensor(&self, i: usize) -> Result<String, ImportError> {
        self.computed(i).map(|(_, tensor)| tensor.clone())
    }

    fn computed(&self, i: usize) -> Result<(&'a Shape, &'a String), ImportError> {
        match self.input(i)? {
            Value::Computed { shape, tensor } => Ok((shape, tensor)),
            Value::Const(_) => Err(self.unsupported(format!(
                "input {i} ('{}') is a constant; expected a computed tensor",
                self.node.input[i]
            ))),
        }
    }

    /// The layer already imported that writes `tensor`, if a layer does (not the model input).
    pub fn producer(&self, tensor: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.output == tensor)
    }

    /// Appends a layer that reads the node's computed input (or the layer this node pushed last), and
    /// returns its output value.
    pub fn push_layer(&mut self, op: Op, input_shape: Shape, output_shape: Vec<usize>) -> Value {
        let inputs = self.reading.clone().into_iter().collect();
        self.push_layer_reading(inputs, op, input_shape, output_shape)
    }

    /// Appends a layer that reads the given tensors (the node's computed inputs), and returns its output.
    pub fn push_layer_reading(
        &mut self,
        inputs: Vec<String>,
        op: Op,
        input_shape: Shape,
        output_shape: Vec<usize>,
    ) -> Value {
        // The node's own output name, made unique when the node becomes several layers.
        let base =
            self.node.output.first().filter(|n| !n.is_empty()).cloned().unwrap_or_else(|| self.node.name.clone());
        let mut output = base.clone();
        let mut n = 2;
        while self.layers.iter().any(|l| l.output == output) {
            output = format!("{base}#{n}");
            n += 1;
        }
        self.layers.push(Layer {
            name: self.node.name.clone(),
            op,
            inputs,
            output: output.clone(),
            input_shape,
            output_shape: Shape(output_shape.clone()),
        });
        self.reading = Some(output.clone());
        Value::Computed { shape: Shape(output_shape), tensor: output }
    }

    /// Appends the node as a layer acec cannot compile, with the shapes it would have, so the import goes
    /// on: `inspect` shows the rest of the model, and a build lists every refusal at once.
    pub fn refuse(&mut self, reason: String, input_shape: Shape, output_shape: Vec<usize>) -> Value {
        let refusal = Refusal { op_type: self.node.op_type.clone(), reason };
        self.push_layer(Op::Refused(refusal), input_shape, output_shape)
    }

    /// The optional `axes` of a reduction-like op: its attribute before `input_since` (the opset that moved
    /// it), the constant input 1 from then on; `None` when absent.
    pub fn optional_axes(&self, input_since: i64) -> Result<Option<Vec<i64>>, ImportError> {
        if self.opset < input_since {
            self.attrs().ints("axes")
        } else if self.has_input(1) {
            Ok(self.const_input(1)?.to_i64())
        } else {
            Ok(None)
        }
    }

    pub fn unsupported(&self, detail: String) -> ImportError {
        ImportError::UnsupportedAttribute { node: self.node.name.clone(), op_type: self.node.op_type.clone(), detail }
    }

    pub fn shape_error(&self, detail: String) -> ImportError {
        ImportError::ShapeMismatch { node: self.node.name.clone(), op_type: self.node.op_type.clone(), detail }
    }

    /// Normalises a possibly negative axis for a tensor of rank `rank`.
    pub fn axis(&self, axis: i64, rank: usize) -> Result<usize, ImportError> {
        let resolved = if axis < 0 { axis + rank as i64 } else { axis };
        usize::try_from(resolved)
            .ok()
            .filter(|&a| a < rank)
            .ok_or_else(|| self.shape_error(format!("axis {axis} is out of range for rank {rank}")))
    }
}
