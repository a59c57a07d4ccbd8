//! A concatenation of computed tensors along the outermost non-1 axis: one step per part.

use acec_runtime::ops::RescaleParams;

use super::super::program::{Act, Call, Step};
use super::{Builder, LayerCtx};
use crate::graph::{Graph, Shape};
use crate::rad::quant::frac_bits_for;

/// Whether joining along `axis` puts each input's elements in one run (every axis before it has extent 1).
pub(super) fn concat_is_contiguous(shape: &Shape, axis: usize) -> bool {
    shape.dims()[..axis].iter().all(|&d| d == 1)
}

/// One step per input, each bringing its part to the output's format (the coarsest of the parts', coarser
/// still if the calibrated output needs it) and writing it after the parts before it.
pub(super) fn lower_concat(b: &mut Builder, ctx: &LayerCtx, parts: &[(Act, i32)], graph: &Graph) -> Vec<Step> {
    let layer = ctx.layer();
    let coarsest = parts.iter().map(|&(_, frac)| frac).min().unwrap_or(15);
    let out_frac = frac_bits_for(ctx.output_max()).min(coarsest);
    let budget = (ctx.options.lea_elements / 2 * 2).max(2);
    let mut offset = 0;
    let mut steps = Vec::new();
    for (k, (tensor, &(act, frac))) in layer.inputs.iter().zip(parts).enumerate() {
        let len =
            graph.producer(tensor).map_or(graph.input_shape.elements(), |p| graph.layers[p].output_shape.elements());
        let params = RescaleParams { len, shift: (out_frac - frac).max(-15) as i8 };
        if params.shift != 0 {
            b.lea_needed = b.lea_needed.max((len.div_ceil(2) * 2).clamp(2, budget));
        }
        let mut step = ctx.step("concat", Call::Rescale { params }, out_frac);
        step.layer = format!("{} [part {}/{}]", ctx.name(), k + 1, parts.len());
        (step.input, step.output_offset, step.output_len) = (act, offset, len);
        offset += len;
        steps.push(step);
    }
    steps
}
