//! The errors a command can end with, and the exit code each maps to: 2 for bad input, 1 for a bug.

#[cfg(feature = "cli")]
pub mod compress;

#[cfg(feature = "cli")]
pub use compress::CompressError;

use crate::onnx::ImportError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Import(#[from] ImportError),

    #[error(transparent)]
    Dataset(#[from] crate::dataset::DatasetError),

    #[error(transparent)]
    Lower(#[from] crate::ace::LowerError),

    /// The model does not fit the target; `advice` says how to make it fit (a command line to paste).
    #[error("{error}{advice}")]
    DoesNotFit { error: crate::ace::LowerError, advice: String },

    #[error(transparent)]
    Target(#[from] crate::target::TargetError),

    #[error("cannot write '{path}': {detail}")]
    Output { path: std::path::PathBuf, detail: String },

    #[error(transparent)]
    Flex(#[from] crate::flex::FlexError),

    /// The firmware could not be built, linked or run (a missing tool, a region that overflowed): the
    /// message says what to install or change.
    #[error("firmware: {0}")]
    Firmware(String),

    #[cfg(feature = "cli")]
    #[error(transparent)]
    Compress(#[from] CompressError),

    /// A power-failure simulation ended with a wrong or missing result.
    #[error("the intermittent run did not reproduce the continuous run (see the report above)")]
    SimulationFailed,

    /// A firmware run in the simulator did not reproduce the host run.
    #[error("the firmware's output differs from the host run, or it did not finish once (see the report above)")]
    FirmwareMismatch,

    /// The board self-test found the device's kernels differing from the host's (or not finishing): a
    /// finding about the device, not bad input.
    #[error("the self-test found the device differing from the host (see the table above)")]
    SelftestDiffers,

    /// Flags that do not go together, or do not apply to this model (the message says which and why).
    #[error("{0}")]
    Usage(String),

    /// The float reference runtime could not run the model.
    #[error("{0}")]
    Reference(String),

    /// Something acec itself got wrong: always a bug to report.
    #[error("internal error (please report): {0}")]
    Internal(String),
}

impl Error {
    /// The process exit code scripts can rely on.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Import(_) | Error::Dataset(_) | Error::Lower(_) | Error::Output { .. } | Error::Usage(_) => 2,
            Error::DoesNotFit { .. } => 2,
            Error::Target(crate::target::TargetError::Unknown { .. }) => 2,
            Error::Target(_) | Error::Reference(_) => 1,
            Error::Flex(crate::flex::FlexError::Internal(_)) => 1,
            Error::Flex(_) | Error::Firmware(_) => 2,
            #[cfg(feature = "cli")]
            Error::Compress(e) => e.exit_code(),
            Error::SimulationFailed | Error::FirmwareMismatch | Error::SelftestDiffers => 1,
            Error::Internal(_) => 1,
        }
    }
}
