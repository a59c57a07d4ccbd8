//! Reshape with a constant shape (0 copies a dimension unless allowzero, -1 is inferred).

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use crate::graph::Op;

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let dims = match ctx.input(0)? {
        Value::Const(c) => c.shape.clone(),
        Value::Computed { shape, .. } => shape.0.clone(),
    };
    let requested =
        ctx.const_input(1)?.to_i64().ok_or_else(|| ctx.unsupported("the target shape must be integers".into()))?;
    let allow_zero = ctx.attrs().int("allowzero", 0)? != 0;
    let total: usize = dims.iter().product();
    let mut shape = Vec::with_capacity(requested.len());
    let mut inferred = None;
    for (i, &d) in requested.iter().enumerate() {
        match d {
            -1 if inferred.is_none() => {
                inferred = Some(i);
                shape.push(1);
            }
            0 if !allow_zero => shape.push(
                *dims
                    .get(i)
                    .ok_or_else(|| ctx.shape_error(format!("0 at axis {i} copies a missing axis of {dims:?}")))?,
            ),
            d if d >= 0 => shape.push(d as usize),
            _ => return Err(ctx.shape_error(format!("invalid target shape {requested:?}"))),
        }
    }
    let Some(known) = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)) else {
        return Err(ctx.shape_error(format!("target shape {requested:?} is too large")));
    };
    if let Some(axis) = inferred {
        if known == 0 || !total.is_multiple_of(known) {
            return Err(ctx.shape_error(format!("cannot reshape {dims:?} to {requested:?}")));
        }
        shape[axis] = total / known;
    }
    if inferred.is_none() && known != total {
        return Err(ctx.shape_error(format!("cannot reshape {dims:?} ({total} elements) to {shape:?}")));
    }
    Ok(vec![reshape_value(ctx, shape)?])
}

/// Gives input 0 a new shape with the same elements: folded for a constant, a reshape layer otherwise.
pub fn reshape_value(ctx: &mut NodeContext, shape: Vec<usize>) -> Result<Value, ImportError> {
    match ctx.input(0)? {
        Value::Const(c) => Ok(Value::Const(c.reshaped(shape))),
        Value::Computed { .. } => {
            let input = ctx.computed_input(0)?;
            Ok(ctx.push_layer(Op::Reshape, input, shape))
        }
    }
}
