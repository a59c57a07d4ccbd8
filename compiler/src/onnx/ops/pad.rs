//! Pad, constant mode: pads from the `pads` attribute (opset < 11) or a constant input (opset >= 11, with
//! the optional constant value and, from opset 18, the axes the pads are for).

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use crate::graph::{Op, Pad};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let rank = shape.rank();
    let mode = ctx.attrs().string("mode", "constant")?;
    if mode != "constant" {
        return Err(ctx.unsupported(format!("mode '{mode}' (only constant padding is supported)")));
    }
    let (pads, value) = if ctx.opset < 11 {
        (ctx.attrs().ints("pads")?.unwrap_or_default(), ctx.attrs().float("value", 0.0)?)
    } else {
        let pads = ctx.const_input(1)?.to_i64().ok_or_else(|| ctx.unsupported("'pads' must be integers".into()))?;
        let value = if ctx.has_input(2) {
            match ctx.const_input(2)?.to_f32().as_slice() {
                [v] => *v,
                other => return Err(ctx.unsupported(format!("constant_value must be one value, got {}", other.len()))),
            }
        } else {
            0.0
        };
        (spread_over_axes(ctx, pads, rank)?, value)
    };
    if pads.len() != 2 * rank || pads.iter().any(|&p| p < 0) {
        return Err(ctx.unsupported(format!(
            "pads {pads:?}: acec pads each of the {rank} axes by a non-negative amount ({} values; negative pads crop)",
            2 * rank
        )));
    }
    let pad = Pad { pads: pads.iter().map(|&p| p as usize).collect(), value };
    let output = pad.output_shape(shape.dims()).0;
    Ok(vec![ctx.push_layer(Op::Pad(pad), shape, output)])
}

/// Opset 18's `axes` input: the pads are given for these axes only; the others are not padded.
fn spread_over_axes(ctx: &NodeContext, pads: Vec<i64>, rank: usize) -> Result<Vec<i64>, ImportError> {
    if !ctx.has_input(3) {
        return Ok(pads);
    }
    let axes = ctx.const_input(3)?.to_i64().ok_or_else(|| ctx.unsupported("'axes' must be integers".into()))?;
    if pads.len() != 2 * axes.len() {
        return Err(ctx.shape_error(format!("{} pads for {} axes", pads.len(), axes.len())));
    }
    let mut all = vec![0; 2 * rank];
    for (k, &axis) in axes.iter().enumerate() {
        let axis = ctx.axis(axis, rank)?;
        all[axis] = pads[k];
        all[axis + rank] = pads[k + axes.len()];
    }
    Ok(all)
}
