//! GlobalMaxPool: the largest value of each channel, spatial axes kept as 1; a MaxPool whose window is the
//! whole map (stride 1, no padding), which the pooling kernels already run.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use super::spatial::spatial_input;
use crate::graph::{Op, Pool};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let kernel = spatial_input(ctx, shape.dims())?.to_vec();
    let mut output = shape.dims()[..2].to_vec();
    output.extend(std::iter::repeat_n(1, kernel.len()));
    let pool =
        Pool { strides: vec![1; kernel.len()], pads: vec![0; 2 * kernel.len()], kernel, count_include_pad: false };
    Ok(vec![ctx.push_layer(Op::MaxPool(pool), shape, output)])
}
