//! The element-wise activations with attributes or none (Clip, whose bounds may be inputs, has its own
//! file): each maps its node to a [`crate::graph::Activation`], which holds the function.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use crate::graph::{Activation, Op};

fn push(ctx: &mut NodeContext, activation: Activation) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let output = shape.0.clone();
    Ok(vec![ctx.push_layer(Op::Activation(activation), shape, output)])
}

pub fn relu(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    push(ctx, Activation::Relu)
}

/// alpha defaults to 0.01.
pub fn leaky_relu(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let alpha = ctx.attrs().float("alpha", 0.01)?;
    push(ctx, Activation::LeakyRelu { alpha })
}

pub fn tanh(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    push(ctx, Activation::Tanh)
}

pub fn sigmoid(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    push(ctx, Activation::Sigmoid)
}

/// alpha defaults to 0.2, beta to 0.5 (ONNX).
pub fn hard_sigmoid(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let attrs = ctx.attrs();
    let (alpha, beta) = (attrs.float("alpha", 0.2)?, attrs.float("beta", 0.5)?);
    push(ctx, Activation::HardSigmoid { alpha, beta })
}

pub fn hard_swish(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    push(ctx, Activation::HardSwish)
}
