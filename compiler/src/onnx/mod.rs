//! ONNX frontend: decode, import into the layer graph with static shapes, fold constants; and the way back,
//! a graph exported as a standard ONNX model.
//! Nothing outside this module sees an ONNX type.

mod attrs;
mod constant;
mod context;
mod decode;
mod error;
mod export;
mod import;
mod ops;
mod tensor_proto;

use std::path::Path;

pub use constant::{ConstData, ConstTensor};
pub use decode::decode_model;
pub use error::{ImportError, UnsupportedNode};
pub use export::{EXPORT_OPSET, ExportError, export};
pub use import::{Imported, import_lenient, import_model};
pub use onnx_protobuf::{Message, ModelProto, TensorProto};
pub use tensor_proto::decode_tensor as decode_tensor_proto;

use crate::graph::Graph;

/// The opsets of the default domain the importer knows the semantics of. Opsets 22 to 25 changed only the
/// element types the supported ops accept (bfloat16, float8, 4-bit and 2-bit types), not what they compute on
/// float tensors, so they are accepted too (the ONNX backend node tests are generated at the newest opset).
pub const MIN_OPSET: i64 = 7;
pub const MAX_OPSET: i64 = 25;

/// How to import: shape overrides for inputs with dynamic dimensions.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// `(input name, shape)` pairs, from `--input-shape NAME=1x1x28x28`.
    pub input_shapes: Vec<(String, Vec<usize>)>,
}

/// Parses `NAME=1x1x28x28`.
pub fn parse_input_shape(arg: &str) -> Result<(String, Vec<usize>), ImportError> {
    let bad = |detail: &str| ImportError::BadInputShapeArg { arg: arg.into(), detail: detail.into() };
    let (name, dims) = arg.split_once('=').ok_or_else(|| bad("expected NAME=DIMS, e.g. input=1x1x28x28"))?;
    if name.is_empty() {
        return Err(bad("the input name is empty"));
    }
    let dims: Vec<usize> = dims
        .split('x')
        .map(|d| d.trim().parse::<usize>().ok().filter(|&d| d > 0))
        .collect::<Option<_>>()
        .ok_or_else(|| bad("dimensions must be positive integers separated by 'x'"))?;
    if dims.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)).is_none() {
        return Err(bad("the shape is impossibly large"));
    }
    Ok((name.into(), dims))
}

/// Reads, decodes and imports a model file.
pub fn load(path: &Path, options: &ImportOptions) -> Result<Graph, ImportError> {
    let model = decode::read_model(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    import_model(&model, dir, options)
}

/// Reads and decodes a model file and imports it as far as acec can follow it, refusing nothing
/// (`acec inspect`).
pub fn load_lenient(path: &Path, options: &ImportOptions) -> Result<Imported, ImportError> {
    let model = decode::read_model(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    import_lenient(&model, dir, options)
}
