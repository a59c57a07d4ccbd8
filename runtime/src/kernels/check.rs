//! Argument rules shared by every backend, so the host simulation refuses exactly what the device refuses.

use crate::cost::Kernel;
use crate::error::{KernelError, Violation};
use crate::shapes::SpectrumLayout;

/// Smallest FFT length (points) the kernels accept.
pub const FFT_MIN: usize = 16;
/// Largest FFT length (points) the kernels accept; the twiddle table covers it.
pub const FFT_MAX: usize = 512;

/// `actual` must equal `expected`.
pub fn same_len(kernel: Kernel, expected: usize, actual: usize) -> Result<(), KernelError> {
    if expected == actual {
        Ok(())
    } else {
        Err(KernelError::new(kernel, Violation::LengthMismatch { expected, actual }))
    }
}

/// DSPLib's LEA commands need even lengths.
pub fn even(kernel: Kernel, length: usize) -> Result<(), KernelError> {
    if length & 1 == 0 { Ok(()) } else { Err(KernelError::new(kernel, Violation::OddLength { length })) }
}

/// At least one element.
pub fn non_empty(kernel: Kernel, length: usize) -> Result<(), KernelError> {
    if length == 0 { Err(KernelError::new(kernel, Violation::Empty)) } else { Ok(()) }
}

/// A power of two in `FFT_MIN..=FFT_MAX`.
pub fn fft_len(kernel: Kernel, length: usize) -> Result<(), KernelError> {
    if length.is_power_of_two() && (FFT_MIN..=FFT_MAX).contains(&length) {
        Ok(())
    } else {
        Err(KernelError::new(kernel, Violation::UnsupportedFftLength { length, min: FFT_MIN, max: FFT_MAX }))
    }
}

/// `shift` in `min..=max`.
pub fn shift_range(kernel: Kernel, shift: i32, min: i32, max: i32) -> Result<(), KernelError> {
    if (min..=max).contains(&shift) {
        Ok(())
    } else {
        Err(KernelError::new(kernel, Violation::ShiftOutOfRange { shift, min, max }))
    }
}

/// A [`SpectrumLayout::RealPackedBlocks`] layout's blocks are even, non-empty and tile `length` values.
pub fn layout(kernel: Kernel, layout: SpectrumLayout, length: usize) -> Result<(), KernelError> {
    let SpectrumLayout::RealPackedBlocks(block) = layout else { return Ok(()) };
    non_empty(kernel, block)?;
    even(kernel, block)?;
    if length.is_multiple_of(block) {
        Ok(())
    } else {
        Err(KernelError::new(
            kernel,
            Violation::LengthMismatch { expected: length.div_ceil(block) * block, actual: length },
        ))
    }
}

/// Two input vectors and an output of one even length.
pub fn binary_even(kernel: Kernel, a: usize, b: usize, out: usize) -> Result<(), KernelError> {
    same_len(kernel, a, b)?;
    same_len(kernel, a, out)?;
    even(kernel, a)
}
