//! AveragePool (count_include_pad honoured).

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use super::spatial::pool_layer;
use crate::graph::Op;

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let count_include_pad = ctx.attrs().int("count_include_pad", 0)? != 0;
    pool_layer(ctx, count_include_pad, Op::AvgPool)
}
