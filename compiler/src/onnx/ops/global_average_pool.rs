//! GlobalAveragePool: the mean of each channel, spatial axes kept as 1.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use super::spatial::spatial_input;
use crate::graph::Op;

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let spatial = spatial_input(ctx, shape.dims())?.len();
    let mut output = shape.dims()[..2].to_vec();
    output.extend(std::iter::repeat_n(1, spatial));
    Ok(vec![ctx.push_layer(Op::GlobalAvgPool, shape, output)])
}
