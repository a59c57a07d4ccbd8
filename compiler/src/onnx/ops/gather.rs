//! Gather on constants (picking a dimension out of `Shape`'s result).

use super::super::ImportError;
use super::super::context::{NodeContext, Value};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let data = ctx.const_input(0)?;
    let indices = ctx.const_input(1)?;
    let axis = ctx.axis(ctx.attrs().int("axis", 0)?, data.shape.len())?;
    let extent = data.shape[axis];
    let picks: Vec<usize> = indices
        .to_i64()
        .unwrap_or_default()
        .iter()
        .map(|&i| {
            let resolved = if i < 0 { i + extent as i64 } else { i };
            usize::try_from(resolved).ok().filter(|&r| r < extent)
        })
        .collect::<Option<_>>()
        .ok_or_else(|| ctx.shape_error(format!("an index is out of range for axis {axis} of extent {extent}")))?;
    let outer: usize = data.shape[..axis].iter().product();
    let inner: usize = data.shape[axis + 1..].iter().product();
    let mut flat = Vec::with_capacity(outer * picks.len() * inner);
    for o in 0..outer {
        for &p in &picks {
            flat.extend((0..inner).map(|i| (o * extent + p) * inner + i));
        }
    }
    let mut shape = data.shape[..axis].to_vec();
    shape.extend(&indices.shape);
    shape.extend(&data.shape[axis + 1..]);
    Ok(vec![Value::Const(data.select(shape, &flat))])
}
