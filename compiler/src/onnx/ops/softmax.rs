//! Softmax and LogSoftmax. Before opset 13 the axis defaults to 1 and every axis from it on is flattened
//! into one; from 13 on the axis defaults to -1 and is normalised alone.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use crate::graph::{Op, SoftmaxAxis};

pub fn import_softmax(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    import(ctx, Op::Softmax)
}

pub fn import_log_softmax(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    import(ctx, Op::LogSoftmax)
}

fn import(ctx: &mut NodeContext, make: fn(SoftmaxAxis) -> Op) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let legacy = ctx.opset < 13;
    let axis = ctx.attrs().int("axis", if legacy { 1 } else { -1 })?;
    let axis = ctx.axis(axis, shape.rank())?;
    let output = shape.0.clone();
    Ok(vec![ctx.push_layer(make(SoftmaxAxis { axis, flatten_from_axis: legacy }), shape, output)])
}
