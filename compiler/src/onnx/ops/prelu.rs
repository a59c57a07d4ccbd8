//! PRelu with a constant slope: one slope for the whole tensor is a LeakyRelu (PyTorch's default
//! `nn.PReLU()`); one per channel (`nn.PReLU(C)`, exported as [C, 1, 1]) is a [`PRelu`]. A slope that varies
//! along another axis is refused.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use crate::graph::{Op, PRelu, broadcast_shapes, values_along_axis};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let slope = ctx.const_input(1)?.to_tensor();
    let dims = shape.dims().to_vec();
    // ONNX broadcasts the slope to the input (unidirectionally): the output keeps the input's shape.
    if broadcast_shapes(&dims, slope.shape.dims()).as_deref() != Some(dims.as_slice()) {
        return Err(ctx.shape_error(format!("slope of shape {} does not broadcast to the input {shape}", slope.shape)));
    }
    let slopes = values_along_axis(&slope, &dims, PRelu::channel_axis(&dims)).ok_or_else(|| {
        ctx.unsupported(format!(
            "slope of shape {} varies along an axis other than the channels; acec takes one slope, or one per channel",
            slope.shape
        ))
    })?;
    Ok(vec![ctx.push_layer(Op::prelu(slopes), shape, dims)])
}
