//! ReduceMean over the spatial axes of an N x C x ... tensor: a global average pool (how PyTorch's
//! `x.mean((2, 3))` and many global-average heads export), followed by a reshape when `keepdims` is 0.
//! Axes come from the attribute (opset < 18) or a constant input (opset >= 18). A mean over other axes
//! (channels, the batch, everything) is kept as a refused layer with its shape, so the import goes on.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use super::spatial::spatial_input;
use crate::graph::{Op, Shape};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let rank = shape.rank();
    let axes = ctx.optional_axes(18)?;
    let keepdims = ctx.attrs().int("keepdims", 1)? != 0;
    let noop_with_empty_axes = ctx.attrs().int("noop_with_empty_axes", 0)? != 0;
    let mut axes: Vec<usize> = match axes {
        Some(axes) if !axes.is_empty() => axes.iter().map(|&a| ctx.axis(a, rank)).collect::<Result<_, _>>()?,
        _ if noop_with_empty_axes => {
            return Ok(vec![ctx.push_layer(Op::Reshape, shape.clone(), shape.dims().to_vec())]);
        }
        _ => (0..rank).collect(),
    };
    axes.sort_unstable();
    axes.dedup();
    let reduced: Vec<usize> = (0..rank).map(|a| if axes.contains(&a) { 1 } else { shape.dims()[a] }).collect();
    let output: Vec<usize> = if keepdims {
        reduced.clone()
    } else {
        (0..rank).filter(|a| !axes.contains(a)).map(|a| shape.dims()[a]).collect()
    };
    let spatial: Vec<usize> = (2..rank).collect();
    if rank < 3 || axes != spatial {
        let reason = format!(
            "a mean over axes {axes:?} of a rank-{rank} tensor; acec computes the mean over the spatial axes \
             (2..{rank}) of an N x C x ... tensor only (a global average pool)"
        );
        return Ok(vec![ctx.refuse(reason, shape, output)]);
    }
    spatial_input(ctx, shape.dims())?;
    let pooled = ctx.push_layer(Op::GlobalAvgPool, shape, reduced.clone());
    if keepdims {
        return Ok(vec![pooled]);
    }
    Ok(vec![ctx.push_layer(Op::Reshape, Shape(reduced), output)])
}
