//! The soft (pure Rust) kernels: DSPLib semantics, bit for bit where TI documents them.
//!
//! Each function validates its arguments with [`check`] (shared with the DSPLib backend so both backends
//! refuse the same calls) and then computes. [`crate::SoftBackend`] is a thin forwarding layer over these.

pub mod check;
pub mod complex;
pub mod dot;
pub mod fft;
pub mod fft_fixed;
pub mod fir;
pub mod interleave;
pub mod lookup;
pub mod narrow;
pub mod permute;
pub mod pool;
pub mod requantize;
pub mod softmax;
pub mod split;
pub mod twiddle;
mod twiddle_table;
pub mod vector;
