//! Implementations of [`crate::Accelerator`].

#[cfg(all(feature = "dsplib", target_arch = "msp430"))]
pub mod dsplib;
pub mod soft;
