//! AveragePool (count_include_pad honoured).

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use super::spatial::{kernel_shape, spatial_input, window};
use crate::graph::{Op, Pool};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let spatial = spatial_input(ctx, shape.dims())?;
    let kernel = kernel_shape(ctx, spatial.len())?;
    let window = window(ctx, spatial, &kernel)?;
    if window.dilations.iter().any(|&d| d != 1) {
        return Err(ctx.unsupported(format!("dilations {:?} are not supported for pooling", window.dilations)));
    }
    let count_include_pad = ctx.attrs().int("count_include_pad", 0)? != 0;
    let mut output = shape.dims()[..2].to_vec();
    output.extend(&window.output);
    let pool = Pool { kernel, strides: window.strides, pads: window.pads, count_include_pad };
    Ok(vec![ctx.push_layer(Op::AvgPool(pool), shape, output)])
}
