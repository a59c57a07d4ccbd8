//! MaxPool (the optional indices output is refused when used).

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use super::spatial::pool_layer;
use crate::graph::Op;

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    pool_layer(ctx, false, Op::MaxPool)
}
