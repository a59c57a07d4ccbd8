//! Max and average pooling over valid windows, and global average pooling (one window per channel).

use acec_runtime::PoolShape;
use acec_runtime::ops::MaxPoolParams;

use super::super::error::LowerError;
use super::super::program::{Call, Step};
use super::LayerCtx;
use crate::graph::Pool;

pub(super) fn lower_pool(ctx: &LayerCtx, pool: &Pool, max: bool) -> Result<Step, LowerError> {
    let in_dims = ctx.layer().input_shape.dims();
    let out_dims = ctx.layer().output_shape.dims();
    let two_d = in_dims.len() == 4;
    let (height, width) = if two_d { (in_dims[2], in_dims[3]) } else { (1, in_dims[2]) };
    let (window_h, window_w) = if two_d { (pool.kernel[0], pool.kernel[1]) } else { (1, pool.kernel[0]) };
    let (stride_h, stride_w) = if two_d { (pool.strides[0], pool.strides[1]) } else { (1, pool.strides[0]) };
    let shape = PoolShape { channels: in_dims[0] * in_dims[1], height, width, window_h, window_w, stride_h, stride_w };
    let expected: usize = out_dims.iter().product();
    if pool.pads.iter().any(|&p| p != 0) || shape.output_len() != Some(expected) {
        return Err(ctx.unsupported(
            "pooling with padding or ceil_mode is not supported by the code generator yet (valid windows only)".into(),
        ));
    }
    let (call, kind) = match (max, ctx.relu) {
        (true, relu) => {
            (Call::MaxPool { params: MaxPoolParams { shape, relu } }, if relu { "maxpool + relu" } else { "maxpool" })
        }
        (false, _) => (Call::AvgPool { shape }, "avgpool"),
    };
    Ok(ctx.step(kind, call, ctx.input_frac))
}

pub(super) fn lower_global_pool(ctx: &LayerCtx) -> Step {
    let dims = ctx.layer().input_shape.dims();
    let (height, width) = if dims.len() == 4 { (dims[2], dims[3]) } else { (1, dims[2]) };
    let shape = PoolShape {
        channels: dims[0] * dims[1],
        height,
        width,
        window_h: height,
        window_w: width,
        stride_h: height,
        stride_w: width,
    };
    ctx.step("avgpool", Call::AvgPool { shape }, ctx.input_frac)
}
