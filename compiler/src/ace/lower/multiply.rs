//! A gate times what it gates: the element-wise product of two computed tensors (`ops::multiply`).

use acec_runtime::ops::MultiplyParams;

use super::super::error::LowerError;
use super::super::program::{Act, Call, Step};
use super::{Builder, LayerCtx};
use crate::graph::Mul;

/// The product of Q`a` and Q`b` operands is in Q(`a + b - 15`), which every product of in-range values
/// fits (|x| < 2^(15 - a) and |g| < 2^(15 - b) give |x g| < 2^(30 - a - b)): no shift, no saturation.
pub(super) fn lower_multiply(
    b: &mut Builder,
    ctx: &LayerCtx,
    mul: &Mul,
    (gate, gate_frac): (Act, i32),
) -> Result<Step, LowerError> {
    let dims = ctx.layer().output_shape.dims();
    let plane = Mul::plane(mul.gate.dims(), dims).ok_or_else(|| {
        ctx.unsupported(format!("a gate of shape {} does not broadcast per element, channel or tensor", mul.gate))
    })?;
    let params = MultiplyParams { len: ctx.layer().output_shape.elements(), plane };
    // An element-wise product stages three complex pieces; a per-plane one, one plane. As long as LEA RAM
    // allows: each DSPLib call costs hundreds of cycles.
    let (unit, wanted) = if plane == 1 { (6, 6 * params.len) } else { (2, plane.div_ceil(2) * 2) };
    let lea = wanted.min(ctx.options.lea_elements / unit * unit).max(unit);
    b.lea_needed = b.lea_needed.max(lea);
    let out_frac = ctx.input_frac + gate_frac - 15;
    let kind = if plane == 1 { "multiply" } else { "multiply, one gate per plane" };
    Ok(ctx.step(kind, Call::Multiply { params, second: gate }, out_frac))
}
