//! Bytes to `ModelProto`, and the checks that tell a corrupt file from a file that is not a model at all.

use std::path::Path;

use onnx_protobuf::{Message, ModelProto};

use super::ImportError;

/// Reads and decodes an ONNX model file.
pub fn read_model(path: &Path) -> Result<ModelProto, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io { path: path.into(), source })?;
    decode_model(&bytes, path)
}

/// Decodes a model from bytes; `path` only names the source in errors.
pub fn decode_model(bytes: &[u8], path: &Path) -> Result<ModelProto, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Decode { path: path.into(), detail: "the file is empty".into() });
    }
    let model = ModelProto::parse_from_bytes(bytes).map_err(|e| ImportError::Decode {
        path: path.into(),
        detail: format!("{e} (truncated or corrupt protobuf)"),
    })?;
    let not_a_model = |detail: &str| ImportError::NotAModel { path: path.into(), detail: detail.into() };
    if model.ir_version <= 0 {
        return Err(not_a_model("it has no ir_version"));
    }
    let Some(graph) = model.graph.as_ref() else {
        return Err(not_a_model("it has no graph"));
    };
    if graph.node.is_empty() {
        return Err(not_a_model("its graph has no nodes"));
    }
    Ok(model)
}
