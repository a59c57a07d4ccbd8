//! Cast: converts constants (shape arithmetic); a computed tensor may only be cast to a float type.

use onnx_protobuf::tensor_proto::DataType;
use protobuf::Enum;

use super::super::ImportError;
use super::super::constant::{ConstData, ConstTensor};
use super::super::context::{NodeContext, Value};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let to = DataType::from_i32(ctx.attrs().int("to", 0)? as i32);
    let to_float = matches!(to, Some(DataType::FLOAT | DataType::DOUBLE | DataType::FLOAT16 | DataType::BFLOAT16));
    match ctx.input(0)? {
        Value::Const(c) if to_float => Ok(vec![Value::Const(ConstTensor::f32(c.shape.clone(), c.to_f32()))]),
        Value::Const(c) => {
            let ints = match &c.data {
                ConstData::I64(v) => v.clone(),
                ConstData::F32(v) => v.iter().map(|&x| x as i64).collect(),
            };
            Ok(vec![Value::Const(ConstTensor::i64(c.shape.clone(), ints))])
        }
        computed @ Value::Computed { .. } if to_float => Ok(vec![computed.clone()]),
        Value::Computed { .. } => Err(ctx.unsupported(format!("casting a computed tensor to {to:?} is not supported"))),
    }
}
