//! Shape: every shape is static, so this is always a constant (with opset 15's start/end slice).

use super::super::ImportError;
use super::super::constant::ConstTensor;
use super::super::context::{NodeContext, Value};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let dims: Vec<i64> = match ctx.input(0)? {
        Value::Const(c) => c.shape.iter().map(|&d| d as i64).collect(),
        Value::Computed { shape, .. } => shape.dims().iter().map(|&d| d as i64).collect(),
    };
    let rank = dims.len() as i64;
    let clamp = |v: i64| (if v < 0 { v + rank } else { v }).clamp(0, rank) as usize;
    let start = clamp(ctx.attrs().int("start", 0)?);
    let end = clamp(ctx.attrs().int("end", rank)?);
    let picked = if start < end { dims[start..end].to_vec() } else { Vec::new() };
    Ok(vec![Value::Const(ConstTensor::i64(vec![picked.len()], picked))])
}
