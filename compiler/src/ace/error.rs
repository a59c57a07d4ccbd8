//! Why a graph cannot be compiled for a target: data naming the layer and what would help.

#[derive(Clone, Debug, thiserror::Error)]
pub enum LowerError {
    #[error("layer '{layer}' ({op}): {detail}")]
    Unsupported { layer: String, op: String, detail: String },

    #[error("--block: {detail}")]
    BadBlock { detail: String },

    #[error("the model does not fit {target}: {detail}")]
    DoesNotFit { target: String, detail: String },
}
