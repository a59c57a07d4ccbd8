//! LeakyRelu (alpha defaults to 0.01).

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use crate::graph::{Activation, Op};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let alpha = ctx.attrs().float("alpha", 0.01)?;
    let output = shape.0.clone();
    Ok(vec![ctx.push_layer(Op::Activation(Activation::LeakyRelu { alpha }), shape, output)])
}
