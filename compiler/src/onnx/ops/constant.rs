//! Constant: a tensor (or scalar/list attribute) known at compile time.

use super::super::ImportError;
use super::super::constant::ConstTensor;
use super::super::context::{NodeContext, Value};
use super::super::tensor_proto::decode_tensor;

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let attrs = ctx.attrs();
    let value = if let Some(proto) = attrs.tensor("value")? {
        decode_tensor(proto, ctx.model_dir)?
    } else if attrs.has("value_float") {
        ConstTensor::f32(vec![], vec![attrs.float("value_float", 0.0)?])
    } else if let Some(v) = attrs.floats("value_floats")? {
        ConstTensor::f32(vec![v.len()], v)
    } else if attrs.has("value_int") {
        ConstTensor::i64(vec![], vec![attrs.int("value_int", 0)?])
    } else if let Some(v) = attrs.ints("value_ints")? {
        ConstTensor::i64(vec![v.len()], v)
    } else {
        return Err(ctx.unsupported(
            "only the 'value', 'value_float(s)' and 'value_int(s)' forms are supported (not sparse or string)".into(),
        ));
    };
    Ok(vec![Value::Const(value)])
}
