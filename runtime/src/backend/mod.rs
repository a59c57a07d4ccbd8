//! Implementations of [`crate::Accelerator`].

#[cfg(all(feature = "dsplib", target_arch = "msp430"))]
pub mod dsplib;
pub mod soft;

/// Bytes at the top of LEA RAM's operand space that a backend keeps for itself, outside the compiler's
/// memory plan: the DSPLib backend's `msp_mac_q15` result word, which DSPLib requires in LEA RAM. Every
/// target with an LEA plans its LEA scratch in the rest, whichever backend a build uses, so one generated
/// crate links with either.
pub const LEA_RAM_RESERVED_BYTES: usize = 4;
