//! Transpose: folded for constants, a transpose layer for computed tensors.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use crate::graph::{Op, permuted_indices};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let dims = match ctx.input(0)? {
        Value::Const(c) => c.shape.clone(),
        Value::Computed { shape, .. } => shape.0.clone(),
    };
    let rank = dims.len();
    let perm: Vec<usize> = match ctx.attrs().ints("perm")? {
        None => (0..rank).rev().collect(),
        Some(p) => p.iter().map(|&a| ctx.axis(a, rank)).collect::<Result<_, _>>()?,
    };
    let mut seen = perm.clone();
    seen.sort_unstable();
    if seen != (0..rank).collect::<Vec<_>>() {
        return Err(ctx.shape_error(format!("perm {perm:?} is not a permutation of {rank} axes")));
    }
    let shape: Vec<usize> = perm.iter().map(|&a| dims[a]).collect();
    match ctx.input(0)? {
        Value::Const(c) => Ok(vec![Value::Const(c.select(shape.clone(), &permuted_indices(&dims, &perm)))]),
        Value::Computed { .. } => {
            let input = ctx.computed_input(0)?;
            Ok(vec![ctx.push_layer(Op::Transpose { perm }, input, shape)])
        }
    }
}
