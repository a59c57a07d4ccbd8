//! Everything that can be wrong with an ONNX file, as data: each variant names the file, node or input at
//! fault and says what would fix it.

use std::path::PathBuf;

/// A node the importer cannot handle, as reported in [`ImportError::UnsupportedOps`].
#[derive(Clone, Debug, PartialEq)]
pub struct UnsupportedNode {
    pub name: String,
    pub op_type: String,
    pub domain: String,
    pub opset: i64,
    /// What is not supported (the op, an attribute, a branch) and what would help.
    pub reason: String,
}

impl std::fmt::Display for UnsupportedNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let domain = if self.domain.is_empty() { "ai.onnx" } else { &self.domain };
        write!(f, "node '{}': {} (domain {domain}, opset {}): {}", self.name, self.op_type, self.opset, self.reason)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read '{path}': {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("'{path}' is not a valid ONNX file: {detail}")]
    Decode { path: PathBuf, detail: String },

    #[error("'{path}' is a protobuf message but not an ONNX model: {detail}")]
    NotAModel { path: PathBuf, detail: String },

    #[error("the model imports opset {opset} of the default domain; acec supports opsets {min} to {max}")]
    OpsetOutOfRange { opset: i64, min: i64, max: i64 },

    #[error(
        "input '{input}' has a dynamic dimension at axis {axis} ('{symbol}'); \
         fix it with --input-shape {input}={suggestion}"
    )]
    DynamicDimension { input: String, axis: usize, symbol: String, suggestion: String },

    #[error("{}", unsupported_ops_message(.nodes, .supported))]
    UnsupportedOps { nodes: Vec<UnsupportedNode>, supported: Vec<&'static str> },

    #[error("node '{node}' ({op_type}): {detail}")]
    UnsupportedAttribute { node: String, op_type: String, detail: String },

    #[error("node '{node}' ({op_type}): inconsistent shapes: {detail}")]
    ShapeMismatch { node: String, op_type: String, detail: String },

    #[error(
        "node '{node}' ({op_type}): input '{input}' is never defined (not an initializer, graph input or node output)"
    )]
    UndefinedValue { node: String, op_type: String, input: String },

    #[error("tensor '{tensor}': {detail}")]
    BadTensor { tensor: String, detail: String },

    #[error("the model's graph {detail}")]
    BadGraph { detail: String },

    #[error("--input-shape '{arg}': {detail}")]
    BadInputShapeArg { arg: String, detail: String },
}

fn unsupported_ops_message(nodes: &[UnsupportedNode], supported: &[&str]) -> String {
    let list: Vec<String> = nodes.iter().map(|n| format!("  - {n}")).collect();
    format!(
        "{} unsupported node{}:\n{}\nsupported ops (domain ai.onnx, opsets {}-{}): {}",
        nodes.len(),
        if nodes.len() == 1 { "" } else { "s" },
        list.join("\n"),
        super::MIN_OPSET,
        super::MAX_OPSET,
        supported.join(", ")
    )
}
