//! Squeeze: axes from the attribute (opset < 13) or a constant input (opset >= 13); none removes every 1.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use super::reshape::reshape_value;

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let dims = match ctx.input(0)? {
        Value::Const(c) => c.shape.clone(),
        Value::Computed { shape, .. } => shape.0.clone(),
    };
    let axes = ctx.optional_axes(13)?;
    let axes: Vec<usize> = match axes {
        Some(axes) => axes.iter().map(|&a| ctx.axis(a, dims.len())).collect::<Result<_, _>>()?,
        None => (0..dims.len()).filter(|&i| dims[i] == 1).collect(),
    };
    if let Some(&bad) = axes.iter().find(|&&a| dims[a] != 1) {
        return Err(ctx.shape_error(format!("cannot squeeze axis {bad} of extent {} in {dims:?}", dims[bad])));
    }
    let shape = dims.iter().enumerate().filter(|(i, _)| !axes.contains(i)).map(|(_, &d)| d).collect();
    Ok(vec![reshape_value(ctx, shape)?])
}
