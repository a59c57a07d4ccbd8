//! `acec-runtime`: the kernels generated crates call and the compiler's host simulation executes.
//!
//! `#![no_std]`, no allocation, no floating point in kernels. One trait, [`Accelerator`], names the kernel
//! set; [`SoftBackend`] implements it in pure Rust with the semantics of TI's DSPLib (so a host run predicts
//! the device bit for bit), the `dsplib` feature adds [`backend::dsplib::DsplibBackend`] that calls TI's
//! DSPLib on the MSP430 LEA, and [`Metered`] wraps any backend to charge each call to a [`CostTable`].
#![no_std]
#![cfg_attr(target_arch = "msp430", feature(asm_experimental_arch))]

#[cfg(any(test, feature = "std"))]
extern crate std;

pub mod accelerator;
pub mod backend;
pub mod const_slice;
pub mod cost;
pub mod error;
pub mod far;
pub mod flex;
pub mod kernel_table;
pub mod kernels;
pub mod metered;
pub mod ops;
pub mod q15;
pub mod shapes;

pub use accelerator::Accelerator;
pub use backend::soft::SoftBackend;
pub use const_slice::ConstSlice;
pub use cost::{Charge, CostTable, EnergyRates, Engine, Kernel, KernelCost, Terms};
pub use error::{KernelError, Violation};
pub use far::Far;
#[cfg(feature = "sim")]
pub use metered::Supply;
pub use metered::{Meter, Metered, Tally};
pub use shapes::{LookupShape, PermuteShape, PoolShape, SpectrumLayout};
