//! Why a kernel refused its arguments. Errors are data: the kernel, what was wrong, and the numbers involved,
//! so generated code (or the compiler's host run) can say which call was malformed.

use crate::cost::Kernel;

/// A kernel call whose arguments break the kernel's contract. No kernel writes its output when it
/// returns this error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelError {
    /// The kernel that refused the call.
    pub kernel: Kernel,
    /// What was wrong.
    pub violation: Violation,
}

/// The broken rule behind a [`KernelError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Violation {
    /// Two slices that must have related lengths do not (`expected` is what the first slice implies).
    LengthMismatch { expected: usize, actual: usize },
    /// DSPLib's LEA commands need an even vector length (and even tap count for FIR).
    OddLength { length: usize },
    /// FFT length outside the supported powers of two.
    UnsupportedFftLength { length: usize, min: usize, max: usize },
    /// A shift amount outside the kernel's documented range.
    ShiftOutOfRange { shift: i32, min: i32, max: i32 },
    /// A pooling shape that is empty or does not fit its input.
    InvalidPoolShape,
    /// The kernel needs at least one element.
    Empty,
    /// The (simulated) supply failed before the call: nothing was computed. Only the host power-failure
    /// simulation produces it (see [`crate::Metered`]).
    PowerLoss,
    /// TI's DSPLib returned this `msp_status` (e.g. 5 = `MSP_LEA_INVALID_ADDRESS`: an operand is not in LEA
    /// RAM or not aligned). Only the DSPLib backend produces it.
    DeviceStatus { status: i16 },
}

impl KernelError {
    pub(crate) const fn new(kernel: Kernel, violation: Violation) -> Self {
        Self { kernel, violation }
    }
}

impl core::fmt::Display for KernelError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "kernel `{}`: ", self.kernel.name())?;
        match self.violation {
            Violation::PowerLoss => write!(f, "power lost before the call (simulation)"),
            Violation::LengthMismatch { expected, actual } => {
                write!(f, "length mismatch: expected {expected}, got {actual}")
            }
            Violation::OddLength { length } => {
                write!(f, "length {length} must be even (DSPLib/LEA rule)")
            }
            Violation::UnsupportedFftLength { length, min, max } => {
                write!(f, "FFT length {length} is not a power of two in {min}..={max}")
            }
            Violation::ShiftOutOfRange { shift, min, max } => {
                write!(f, "shift {shift} outside {min}..={max}")
            }
            Violation::InvalidPoolShape => {
                write!(f, "pooling window or stride does not fit the input")
            }
            Violation::Empty => write!(f, "needs at least one element"),
            Violation::DeviceStatus { status } => write!(f, "DSPLib returned msp_status {status}"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for KernelError {}
