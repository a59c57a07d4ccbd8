//! What a layer operation reads its constants through: a slice in addressable memory or a [`Far`] range in
//! upper FRAM, staged either way by a kernel call (so the cost model charges the copy).

use crate::accelerator::Accelerator;
use crate::error::KernelError;
use crate::far::Far;

/// Constants a layer operation stages into accelerator memory: a slice in addressable memory, or a [`Far`]
/// range.
///
/// Offsets and counts are `u32`: a far array may hold more values than a 16-bit `usize` counts.
pub trait ConstSlice {
    /// Number of values.
    fn elements(&self) -> u32;

    /// Copies values `at .. at + dst.len()` into `dst` with the accelerator's copy kernel (so the cost model
    /// charges it); a range past the end is a length error of that kernel.
    fn stage<A: Accelerator>(&self, acc: &mut A, at: u32, dst: &mut [i16]) -> Result<(), KernelError>;
}

impl ConstSlice for [i16] {
    fn elements(&self) -> u32 {
        self.len() as u32
    }

    fn stage<A: Accelerator>(&self, acc: &mut A, at: u32, dst: &mut [i16]) -> Result<(), KernelError> {
        let start = (at as usize).min(self.len());
        let end = start.saturating_add(dst.len()).min(self.len());
        acc.copy(&self[start..end], dst)
    }
}

impl<const N: usize> ConstSlice for [i16; N] {
    fn elements(&self) -> u32 {
        N as u32
    }

    fn stage<A: Accelerator>(&self, acc: &mut A, at: u32, dst: &mut [i16]) -> Result<(), KernelError> {
        self.as_slice().stage(acc, at, dst)
    }
}

impl ConstSlice for Far<'_> {
    fn elements(&self) -> u32 {
        self.len()
    }

    fn stage<A: Accelerator>(&self, acc: &mut A, at: u32, dst: &mut [i16]) -> Result<(), KernelError> {
        acc.far_copy(&self.range(at, dst.len() as u32), dst)
    }
}
