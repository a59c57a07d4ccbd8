//! Why `acec compress` stopped, and the exit code each reason gets. It lives beside [`super::Error`],
//! which wraps it, so that the crate's error imports nothing above it.

use crate::onnx;
use crate::rad::admm::AdmmError;

/// The conventional exit code of a process stopped by SIGINT (128 + 2).
pub const SIGINT_EXIT_CODE: i32 = 130;

#[derive(Debug, thiserror::Error)]
pub enum CompressError {
    /// A flag that makes no sense for this model or target (exit code 2).
    #[error("{0}")]
    BadArgument(String),

    #[error(transparent)]
    Training(#[from] AdmmError),

    #[error(transparent)]
    Export(#[from] onnx::ExportError),

    /// Ctrl-C stopped the run before it wrote anything (exit code [`SIGINT_EXIT_CODE`]).
    #[error("interrupted (Ctrl-C) while {during}: stopped before writing anything (no output model, no reports)")]
    Interrupted { during: String },

    /// Something acec got wrong (exit code 1).
    #[error("{0}")]
    Internal(String),
}

impl CompressError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CompressError::BadArgument(_) | CompressError::Export(_) => 2,
            CompressError::Training(AdmmError::Unsupported { .. }) => 2,
            CompressError::Interrupted { .. } => SIGINT_EXIT_CODE,
            // Training stops only when the run asks it to, which turns it into `Interrupted`.
            CompressError::Training(AdmmError::Candle(_) | AdmmError::Stopped | AdmmError::NoObjective)
            | CompressError::Internal(_) => 1,
        }
    }
}
