//! Conv, 1-D and 2-D, plain, grouped or depthwise, with explicit or automatic padding, strides and dilations.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use super::spatial::{spatial_input, window};
use crate::graph::{Conv, Op};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let spatial = spatial_input(ctx, shape.dims())?;
    let group = ctx.attrs().int("group", 1)?;
    let in_channels = shape.dims()[1];
    let group = usize::try_from(group)
        .ok()
        .filter(|&g| g >= 1 && in_channels.is_multiple_of(g))
        .ok_or_else(|| ctx.shape_error(format!("group={group} does not divide the {in_channels} input channels")))?;
    let weight = ctx.const_input(1)?.to_tensor();
    let w = weight.shape.dims();
    if w.len() != shape.rank() || w[1] != in_channels / group || !w[0].is_multiple_of(group) {
        return Err(ctx.shape_error(format!(
            "weight {:?} does not match input {shape} with group={group}: expected out x {} x kernel",
            w,
            in_channels / group
        )));
    }
    let kernel = w[2..].to_vec();
    if let Some(declared) = ctx.attrs().ints("kernel_shape")?
        && declared.iter().map(|&k| k as usize).ne(kernel.iter().copied())
    {
        return Err(ctx.shape_error(format!("kernel_shape {declared:?} disagrees with weight {w:?}")));
    }
    let out_channels = w[0];
    let bias = if ctx.has_input(2) { ctx.const_input(2)?.to_f32() } else { vec![0.0; out_channels] };
    if bias.len() != out_channels {
        return Err(ctx.shape_error(format!("bias has {} values for {out_channels} output channels", bias.len())));
    }
    let window = window(ctx, spatial, &kernel)?;
    let mut output = vec![shape.dims()[0], out_channels];
    output.extend(&window.output);
    let conv = Conv { weight, bias, strides: window.strides, pads: window.pads, dilations: window.dilations, group };
    Ok(vec![ctx.push_layer(Op::Conv(conv), shape, output)])
}
