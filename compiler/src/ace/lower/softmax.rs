//! A softmax the program keeps (not the last layer, or `--keep-softmax`): the runtime's fixed-point kernel.

use acec_runtime::ops::SoftmaxParams;

use super::super::error::LowerError;
use super::super::program::{Call, Step};
use super::LayerCtx;
use crate::graph::SoftmaxAxis;

pub(super) fn lower_softmax(ctx: &LayerCtx, axis: &SoftmaxAxis) -> Result<Step, LowerError> {
    let dims = ctx.layer().input_shape.dims();
    let outer: usize = dims[..axis.axis.min(dims.len())].iter().product();
    let inner: usize =
        if axis.flatten_from_axis { 1 } else { dims.get(axis.axis + 1..).map_or(1, |d| d.iter().product()) };
    if outer != 1 || inner != 1 {
        return Err(ctx.unsupported(format!(
            "a softmax along axis {} of a {} tensor normalises several vectors; the kernel normalises one (batch 1, \
             along the last non-trivial axis)",
            axis.axis,
            ctx.layer().input_shape
        )));
    }
    let input_frac = i8::try_from(ctx.input_frac).ok().filter(|f| (-16..=16).contains(f)).ok_or_else(|| {
        ctx.unsupported(format!("its input format Q{} is outside the kernel's Q-16..Q16", ctx.input_frac))
    })?;
    let len = ctx.layer().input_shape.elements();
    Ok(ctx.step("softmax", Call::Softmax { params: SoftmaxParams { len, input_frac } }, 15))
}
