//! The errors a command can end with, and the exit code each maps to: 2 for bad input, 1 for a bug.

use crate::onnx::ImportError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Import(#[from] ImportError),

    #[error(transparent)]
    Dataset(#[from] crate::dataset::DatasetError),

    /// Something acec itself got wrong: always a bug to report.
    #[error("internal error (please report): {0}")]
    Internal(String),
}

impl Error {
    /// The process exit code scripts can rely on.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Import(_) | Error::Dataset(_) => 2,
            Error::Internal(_) => 1,
        }
    }
}
