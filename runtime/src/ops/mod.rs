//! Layer operations: each one layer of a compiled model (or a contiguous part of it, for intermittent
//! tasks), written once as a sequence of [`Accelerator`](crate::Accelerator) kernel calls.
//!
//! Generated crates call these with their static buffers; the compiler's host simulation calls them with
//! its own; so both run the very same kernel sequence and agree bit for bit. The compiler computes every
//! shift and lays every buffer out; these functions only check what they must to stay memory safe.
//!
//! Every operation stages its accelerator operands in `lea`, a scratch slice the generated code places in
//! LEA RAM (DSPLib's LEA commands read only LEA RAM), and takes a `work` range of output units (rows, blocks)
//! so a layer can be split into tasks that each fit one charge of the energy buffer.

mod add;
mod band;
mod channel_affine;
mod circulant;
mod circulant_conv;
mod circulant_paper;
mod conv;
mod conv_fft;
mod conv_fir;
mod dense;
mod lookup;
mod multiply;
mod permute;
mod pool;
mod relu;
mod rescale;
mod softmax;
mod spectral;

pub use add::{AddParams, add};
pub use channel_affine::{ChannelAffineParams, channel_affine};
pub use circulant::{CirculantParams, circulant_dense};
pub use circulant_conv::{CirculantConvParams, circulant_conv};
pub use circulant_paper::{CirculantPaperParams, circulant_paper};
pub use conv::{ConvParams, conv};
pub use conv_fft::{ConvFftParams, conv_fft};
pub use conv_fir::{ConvFirParams, conv_fir};
pub use dense::{DenseParams, dense};
pub use lookup::{LOOKUP_UNIT, LookupParams, lookup};
pub use multiply::{MULTIPLY_UNIT, MultiplyParams, multiply};
pub use permute::{PERMUTE_UNIT, PermuteParams, permute};
pub use pool::{MaxPoolParams, average_pool, max_pool};
pub use relu::{ReluParams, relu};
pub use rescale::{RescaleParams, rescale};
pub use softmax::{SoftmaxParams, softmax};
// Every type a params struct holds, so that generated code names them all `ops::...`.
pub use crate::shapes::{LookupShape, PermuteShape, PoolShape};

use crate::const_slice::ConstSlice;
use crate::cost::Kernel;
use crate::error::{KernelError, Violation};

/// Rejects a call whose constant array is shorter than `expected` values (counted in `u32`: a far array
/// can exceed a 16-bit `usize`).
pub(crate) fn need_const<W: ConstSlice + ?Sized>(
    kernel: Kernel,
    weights: &W,
    expected: u32,
) -> Result<(), KernelError> {
    let actual = weights.elements();
    if actual < expected {
        let wide = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
        Err(KernelError::new(kernel, Violation::LengthMismatch { expected: wide(expected), actual: wide(actual) }))
    } else {
        Ok(())
    }
}

/// Rejects a call whose scratch or operand slice is shorter than the operation needs.
pub(crate) fn need(kernel: Kernel, actual: usize, expected: usize) -> Result<(), KernelError> {
    if actual < expected {
        Err(KernelError::new(kernel, Violation::LengthMismatch { expected, actual }))
    } else {
        Ok(())
    }
}
