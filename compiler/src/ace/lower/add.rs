//! A residual sum of two computed tensors of one shape.

use acec_runtime::ops::AddParams;

use super::super::program::{Act, Call, Step};
use super::{Builder, LayerCtx};
use crate::rad::quant::frac_bits_for;

/// A residual sum: both operands shifted right to the output's format (the coarser of the two, coarser
/// still if the calibrated sum needs it), then added with saturation. A shift past 15 would give the same
/// bits as 15 (every Q15 value shifted by 15 or more floors to 0 or -1), so it stops there.
pub(super) fn lower_add(b: &mut Builder, ctx: &LayerCtx, (second, second_frac): (Act, i32)) -> Step {
    let out_frac = frac_bits_for(ctx.output_max()).min(ctx.input_frac).min(second_frac);
    let shift = |frac: i32| (out_frac - frac).max(-15) as i8;
    let len = ctx.layer().output_shape.elements();
    let params = AddParams { len, shift_a: shift(ctx.input_frac), shift_b: shift(second_frac) };
    // Two pieces side by side, as long as LEA RAM allows (fewer DSPLib calls).
    let budget = (ctx.options.lea_elements / 4 * 4).max(4);
    b.lea_needed = b.lea_needed.max((2 * len.div_ceil(2) * 2).clamp(4, budget));
    ctx.step("add", Call::Add { params, second }, out_frac)
}
