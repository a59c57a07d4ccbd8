//! Clip: bounds from attributes (opset < 11) or constant inputs (opset >= 11). Clip(0, 6) is ReLU6.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use crate::graph::{Activation, Op};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let (min, max) = if ctx.opset < 11 {
        let attrs = ctx.attrs();
        (attrs.float("min", f32::MIN)?, attrs.float("max", f32::MAX)?)
    } else {
        (bound(ctx, 1, f32::MIN)?, bound(ctx, 2, f32::MAX)?)
    };
    let output = shape.0.clone();
    Ok(vec![ctx.push_layer(Op::Activation(Activation::Clip { min, max }), shape, output)])
}

fn bound(ctx: &NodeContext, input: usize, default: f32) -> Result<f32, ImportError> {
    if !ctx.has_input(input) {
        return Ok(default);
    }
    match ctx.const_input(input)?.to_f32().as_slice() {
        [v] => Ok(*v),
        other => Err(ctx.unsupported(format!("bound input {input} must be a scalar, got {} values", other.len()))),
    }
}
