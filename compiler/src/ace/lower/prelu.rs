//! PReLU with one slope per channel: one `lookup` step per run of channels that share a slope, each
//! through its slope's LeakyRelu table over its channels' contiguous slice (CHW order), all in one
//! output format. Tables of equal slopes are one constant.

use super::super::error::LowerError;
use super::super::program::Step;
use super::activation::lookup_step;
use super::{Builder, LayerCtx};
use crate::graph::PRelu;
use crate::rad::quant::frac_bits_for;

pub(super) fn lower_prelu(b: &mut Builder, ctx: &LayerCtx, prelu: &PRelu) -> Result<Vec<Step>, LowerError> {
    let dims = ctx.layer().output_shape.dims();
    if dims.len() >= 2 && dims[0] != 1 {
        return Err(ctx.unsupported(format!("a batch of {} (acec compiles one sample at a time)", dims[0])));
    }
    let plane = PRelu::plane(dims);
    let out_frac = frac_bits_for(ctx.output_max());
    let slopes = &prelu.slopes;
    let mut steps = Vec::new();
    let mut first = 0;
    while first < slopes.len() {
        let run = slopes[first..].iter().take_while(|&&s| s == slopes[first]).count();
        let channels =
            if run == 1 { format!("channel {first}") } else { format!("channels {first}-{}", first + run - 1) };
        let kind = format!("lookup prelu {channels}");
        let mut step = lookup_step(b, ctx, &prelu.channel(first), out_frac, run * plane, &kind)?;
        (step.input_offset, step.output_offset, step.output_len) = (first * plane, first * plane, run * plane);
        // The model's parameters are its slopes, one a channel; the tables are how they are stored.
        (step.params_dense, step.params_stored) = (run, run);
        steps.push(step);
        first += run;
    }
    Ok(steps)
}
