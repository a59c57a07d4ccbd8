//! A per-channel `x * m + a` that folds into no layer before it (a standalone BatchNormalization, a scale
//! or offset of a branch's tensor): the channel-affine step.

use acec_runtime::ops::ChannelAffineParams;

use super::super::error::LowerError;
use super::super::program::{Call, Data, Step};
use super::{Builder, LayerCtx};
use crate::graph::{Affine, Tensor, values_along_axis};
use crate::rad::quant::{frac_bits_for, quantize_i16};

pub(super) fn lower_affine(b: &mut Builder, ctx: &LayerCtx, affine: &Affine) -> Result<Step, LowerError> {
    let dims = ctx.layer().output_shape.dims();
    if ctx.layer().input_shape.dims() != dims {
        return Err(ctx.unsupported("an element-wise constant that changes the tensor's shape".into()));
    }
    let axis = if dims.len() >= 2 { 1 } else { 0 };
    let per_channel = |t: &Option<Tensor>, neutral: f32| match t {
        Some(t) => values_along_axis(t, dims, axis),
        None => Some(vec![neutral; dims[axis]]),
    };
    let (Some(mul), Some(add)) = (per_channel(&affine.mul, 1.0), per_channel(&affine.add, 0.0)) else {
        return Err(ctx.unsupported("an element-wise constant that varies within a channel".into()));
    };
    // `msp_scale_q15` wraps (TI's source), so the product `x m` must fit the output format too, not only
    // `x m + a`.
    let mul_max = mul.iter().fold(0f64, |m, &v| m.max(f64::from(v).abs()));
    let out_frac = frac_bits_for(ctx.output_max()).min(frac_bits_for(ctx.input_max() * mul_max));
    // y_q = x_q * m * 2^(out - in) + a * 2^out, with the multiplier as a Q15 scale times 2^shift.
    let gain: Vec<f64> = mul.iter().map(|&m| f64::from(m) * 2f64.powi(out_frac - ctx.input_frac)).collect();
    let gain_max = gain.iter().fold(0f64, |m, g| m.max(g.abs()));
    let shift = if gain_max < 1.0 { 0 } else { (gain_max.log2().floor() as i32 + 1).min(15) };
    let scales: Vec<i16> = gain.iter().map(|&g| quantize_i16(g, 15 - shift)).collect();
    let offsets: Vec<i16> = add.iter().map(|&a| quantize_i16(f64::from(a), out_frac)).collect();
    let channels = dims[axis];
    let plane = dims.iter().product::<usize>() / channels;
    let name = ctx.layer().name.clone();
    let scales = b.constant(&name, "SCALES", Data::I16(scales), format!("per-channel Q15 scales, shift {shift}"));
    let offsets = b.constant(&name, "OFFSETS", Data::I16(offsets), format!("per-channel offsets, Q{out_frac}"));
    b.lea_needed = b.lea_needed.max(plane.div_ceil(2) * 2);
    let params = ChannelAffineParams { channels, plane, shift: shift as u8 };
    let mut step = ctx.step("channel-affine", Call::ChannelAffine { params, scales, offsets }, out_frac);
    step.params_dense = 2 * channels;
    step.params_stored = 2 * channels;
    Ok(step)
}
