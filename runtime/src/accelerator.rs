//! The accelerator interface: every kernel a generated program may call, on plain slices.
//!
//! Q-format contracts are stated per method; "Qa" means the raw `i16`/`i32` is the value times `2^a`.
//! All lengths are in elements of the slice type (`i16` or `i32`) unless a method says "complex points"
//! (one point = two interleaved elements, re then im). A method that returns `Err` has not written its
//! output. Both backends ([`crate::SoftBackend`], `DsplibBackend`) accept and reject exactly the same calls.

use crate::error::KernelError;
use crate::far::Far;
use crate::shapes::{LookupShape, PermuteShape, PoolShape, SpectrumLayout};

/// Expands the kernel table into the trait: each entry a method taking `&mut self` and returning
/// `Result<output, KernelError>`.
macro_rules! declare_accelerator {
    ($($(#[$doc:meta])* $variant:ident: fn $method:ident($($arg:ident: $ty:ty),*) -> $ret:ty, n = $n:expr;)*) => {
        /// The kernel set. One implementation per execution engine; generated code is generic over it, so a
        /// build without metering contains no metering code at all. Declared in [`crate::kernel_table`].
        pub trait Accelerator {
            $(
                $(#[$doc])*
                fn $method(&mut self, $($arg: $ty),*) -> Result<$ret, KernelError>;
            )*
        }
    };
}

crate::kernel_table::for_each_kernel!(declare_accelerator);
