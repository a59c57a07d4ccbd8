//! Unsqueeze: axes (of the output) from the attribute (opset < 13) or a constant input (opset >= 13).

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use super::reshape::reshape_value;

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let dims = match ctx.input(0)? {
        Value::Const(c) => c.shape.clone(),
        Value::Computed { shape, .. } => shape.0.clone(),
    };
    let axes = if ctx.opset < 13 { ctx.attrs().ints("axes")? } else { ctx.const_input(1)?.to_i64() };
    let axes = axes.ok_or_else(|| ctx.unsupported("'axes' is required".into()))?;
    let rank = dims.len() + axes.len();
    let mut axes: Vec<usize> = axes.iter().map(|&a| ctx.axis(a, rank)).collect::<Result<_, _>>()?;
    axes.sort_unstable();
    if axes.windows(2).any(|w| w[0] == w[1]) {
        return Err(ctx.shape_error(format!("repeated axis in {axes:?}")));
    }
    let mut rest = dims.iter();
    let shape = (0..rank).map(|i| if axes.contains(&i) { 1 } else { rest.next().copied().unwrap_or(1) }).collect();
    Ok(vec![reshape_value(ctx, shape)?])
}
