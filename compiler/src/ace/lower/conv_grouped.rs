//! Grouped and depthwise convolutions: one step per group, each a plain convolution of its input channels
//! into its output channels. In CHW order a group's channels are one contiguous slice of the input and of
//! the output, so each step is an ordinary convolution over slices (its `input_offset` and
//! `output_offset`), and every form acec has for one (dot products, FIR bands, FFTs) serves a group.

use super::{Builder, ConvMethod, LayerCtx, LowerOptions, lower_conv};
use crate::ace::LowerError;
use crate::ace::program::Step;
use crate::graph::{Conv, Shape, Tensor};
use crate::rad::calibrate::Ranges;

/// The steps of `conv` (`conv.group > 1`), one per group, in channel order. The groups' outputs share
/// one buffer, so they must share one format: when the cheapest forms of the groups round to different
/// formats (FIR bands and FFTs give up one or two bits, by each group's own weights), every group is
/// compiled again for the coarsest of them, in its cheapest form that reaches it exactly (a dot product
/// always can); failing that, every group is computed as dot products.
pub(super) fn lower_grouped_conv(b: &mut Builder, ctx: &LayerCtx, conv: &Conv) -> Result<Vec<Step>, LowerError> {
    let saved = b.checkpoint();
    let steps = lower_groups(b, ctx, conv, ctx.options, None)?;
    let Some(coarsest) = mixed_formats(&steps) else { return Ok(steps) };
    b.restore(saved);
    let steps = lower_groups(b, ctx, conv, ctx.options, Some(coarsest))?;
    if mixed_formats(&steps).is_none() {
        return Ok(steps);
    }
    b.restore(saved);
    let dot_products = LowerOptions { conv: ConvMethod::DotProducts, ..ctx.options.clone() };
    let steps = lower_groups(b, ctx, conv, &dot_products, None)?;
    match mixed_formats(&steps) {
        None => Ok(steps),
        Some(_) => Err(ctx.unsupported(format!(
            "its {} groups' weights need different output formats (Q{} and Q{})",
            conv.group,
            steps.iter().map(|s| s.output_frac).max().unwrap_or_default(),
            steps.iter().map(|s| s.output_frac).min().unwrap_or_default()
        ))),
    }
}

/// The coarsest of the steps' output formats when they differ.
fn mixed_formats(steps: &[Step]) -> Option<i32> {
    let coarsest = steps.iter().map(|s| s.output_frac).min()?;
    steps.iter().any(|s| s.output_frac != coarsest).then_some(coarsest)
}

fn lower_groups(
    b: &mut Builder,
    ctx: &LayerCtx,
    conv: &Conv,
    options: &LowerOptions,
    out_frac_cap: Option<i32>,
) -> Result<Vec<Step>, LowerError> {
    let (in_dims, out_dims) = (ctx.layer().input_shape.dims(), ctx.layer().output_shape.dims());
    let groups = conv.group;
    let (in_channels, out_channels) = (in_dims[1] / groups, out_dims[1] / groups);
    let (in_group, out_group) =
        (in_channels * in_dims[2..].iter().product::<usize>(), out_channels * out_dims[2..].iter().product::<usize>());
    let per_output = conv.weight.len() / conv.out_channels();
    let with_channels = |dims: &[usize], channels: usize| {
        let mut dims = dims.to_vec();
        dims[1] = channels;
        Shape(dims)
    };
    let mut steps = Vec::with_capacity(groups);
    for group in 0..groups {
        let rows = group * out_channels..(group + 1) * out_channels;
        let mut weight_shape = conv.weight.shape.0.clone();
        weight_shape[0] = out_channels;
        let part = Conv {
            weight: Tensor::new(
                weight_shape,
                conv.weight.data[rows.start * per_output..rows.end * per_output].to_vec(),
            ),
            bias: conv.bias[rows].to_vec(),
            group: 1,
            ..conv.clone()
        };
        // The layer (and a ReLU fused into it) as if the group were the whole convolution.
        let mut graph = ctx.graph.clone();
        for covered in &mut graph.layers[ctx.index..=ctx.last] {
            covered.output_shape = with_channels(out_dims, out_channels);
            covered.input_shape = with_channels(covered.input_shape.dims(), out_channels);
        }
        let layer = &mut graph.layers[ctx.index];
        layer.input_shape = with_channels(in_dims, in_channels);
        layer.name = format!("{} [group {}/{groups}]", layer.name, group + 1);
        layer.op = crate::graph::Op::Conv(part.clone());
        // Its calibration inputs are its channels' slice of the layer's (the ranges stay the whole layer's).
        let slice = group * in_group..(group + 1) * in_group;
        let samples = ctx
            .ranges
            .samples
            .iter()
            .map(|sample| {
                let mut only = vec![Vec::new(); sample.len()];
                only[ctx.index] = sample[ctx.index][slice.clone()].to_vec();
                only
            })
            .collect();
        let ranges = Ranges {
            input: ctx.ranges.input,
            outputs: ctx.ranges.outputs.clone(),
            samples,
            source: ctx.ranges.source.clone(),
        };
        let part_ctx = LayerCtx { graph: &graph, ranges: &ranges, options, out_frac_cap, ..*ctx };
        let mut step = lower_conv(b, &part_ctx, &part)?;
        step.input_offset = group * in_group;
        step.output_offset = group * out_group;
        steps.push(step);
    }
    Ok(steps)
}
