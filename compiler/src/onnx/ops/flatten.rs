//! Flatten to two axes at `axis`.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use super::reshape::reshape_value;

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let dims = match ctx.input(0)? {
        Value::Const(c) => c.shape.clone(),
        Value::Computed { shape, .. } => shape.0.clone(),
    };
    let axis = ctx.attrs().int("axis", 1)?;
    // Flatten accepts axis == rank (everything in the first factor).
    let axis = if axis == dims.len() as i64 { dims.len() } else { ctx.axis(axis, dims.len())? };
    let outer = dims[..axis].iter().product();
    let inner = dims[axis..].iter().product();
    Ok(vec![reshape_value(ctx, vec![outer, inner])?])
}
