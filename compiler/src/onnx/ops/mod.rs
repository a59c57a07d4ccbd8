//! One importer per ONNX op; this table is the one place that lists them.

mod activation;
mod arithmetic;
mod average_pool;
mod batch_normalization;
mod cast;
mod clip;
mod concat;
mod constant;
mod conv;
mod flatten;
mod gather;
mod gemm;
mod global_average_pool;
mod global_max_pool;
mod identity;
mod matmul;
mod max_pool;
mod pad;
mod prelu;
mod reduce_mean;
mod reshape;
mod shape;
mod slice;
mod softmax;
mod spatial;
mod squeeze;
mod transpose;
mod unsqueeze;

use super::ImportError;
use super::context::{NodeContext, Value};

/// Imports one node: returns its output values in order (fewer than the node declares when the rest are
/// never produced, e.g. MaxPool's indices).
pub type Importer = fn(&mut NodeContext) -> Result<Vec<Value>, ImportError>;

const IMPORTERS: &[(&str, Importer)] = &[
    ("Add", arithmetic::add),
    ("AveragePool", average_pool::import),
    ("BatchNormalization", batch_normalization::import),
    ("Cast", cast::import),
    ("Clip", clip::import),
    ("Concat", concat::import),
    ("Constant", constant::import),
    ("Conv", conv::import),
    ("Div", arithmetic::div),
    ("Dropout", identity::import),
    ("Flatten", flatten::import),
    ("Gather", gather::import),
    ("Gemm", gemm::import),
    ("GlobalAveragePool", global_average_pool::import),
    ("GlobalMaxPool", global_max_pool::import),
    ("HardSigmoid", activation::hard_sigmoid),
    ("HardSwish", activation::hard_swish),
    ("Identity", identity::import),
    ("LeakyRelu", activation::leaky_relu),
    ("LogSoftmax", softmax::import_log_softmax),
    ("MatMul", matmul::import),
    ("MaxPool", max_pool::import),
    ("Mul", arithmetic::mul),
    ("Neg", arithmetic::neg),
    ("Pad", pad::import),
    ("PRelu", prelu::import),
    ("ReduceMean", reduce_mean::import),
    ("Relu", activation::relu),
    ("Reshape", reshape::import),
    ("Shape", shape::import),
    ("Sigmoid", activation::sigmoid),
    ("Slice", slice::import),
    ("Softmax", softmax::import_softmax),
    ("Squeeze", squeeze::import),
    ("Sub", arithmetic::sub),
    ("Tanh", activation::tanh),
    ("Transpose", transpose::import),
    ("Unsqueeze", unsqueeze::import),
];

pub fn importer(op_type: &str) -> Option<Importer> {
    IMPORTERS.iter().find(|(name, _)| *name == op_type).map(|(_, f)| *f)
}

pub fn supported_ops() -> Vec<&'static str> {
    IMPORTERS.iter().map(|(name, _)| *name).collect()
}
