//! Identity and Dropout (inference): the output is the input; no layer is emitted.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    Ok(vec![ctx.input(0)?.clone()])
}
