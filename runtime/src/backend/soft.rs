//! The pure-Rust backend: DSPLib semantics on any CPU (host simulation, MSP430 without LEA, Cortex-M).

use crate::accelerator::Accelerator;
use crate::error::KernelError;
use crate::far::Far;
use crate::kernels::fft::{self, SoftSteps};
use crate::kernels::{complex, dot, fir, interleave, lookup, permute, pool, requantize, softmax, vector};
use crate::shapes::{LookupShape, PermuteShape, PoolShape, SpectrumLayout};

/// Runs every kernel on the CPU with the bit-exact semantics documented in [`crate::kernels`].
#[derive(Clone, Copy, Debug, Default)]
pub struct SoftBackend;

impl Accelerator for SoftBackend {
    fn rfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::rfft(&mut SoftSteps, data)
    }

    fn irfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::irfft(&mut SoftSteps, data)
    }

    fn cfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::cfft(&mut SoftSteps, data)
    }

    fn cifft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::cifft(&mut SoftSteps, data)
    }

    fn cmplx_mpy(&mut self, layout: SpectrumLayout, a: &[i16], b: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        complex::cmplx_mpy(layout, a, b, dst)
    }

    fn cmplx_mac(&mut self, layout: SpectrumLayout, a: &[i16], b: &[i16], acc: &mut [i32]) -> Result<(), KernelError> {
        complex::cmplx_mac(layout, a, b, acc)
    }

    fn mac(&mut self, a: &[i16], b: &[i16]) -> Result<i32, KernelError> {
        dot::mac(a, b)
    }

    fn fir(&mut self, src: &[i16], coeffs: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        fir::fir(src, coeffs, dst)
    }

    fn add(&mut self, src: &[i16], acc: &mut [i16]) -> Result<(), KernelError> {
        vector::add(src, acc)
    }

    fn shift(&mut self, data: &mut [i16], shift: i8) -> Result<(), KernelError> {
        vector::shift(data, shift)
    }

    fn scale(&mut self, data: &mut [i16], scale: i16, shift: u8) -> Result<(), KernelError> {
        vector::scale(data, scale, shift)
    }

    fn offset(&mut self, data: &mut [i16], offset: i16) -> Result<(), KernelError> {
        vector::offset(data, offset)
    }

    fn fill(&mut self, dst: &mut [i16], value: i16) -> Result<(), KernelError> {
        vector::fill(dst, value)
    }

    fn max(&mut self, src: &[i16]) -> Result<(i16, usize), KernelError> {
        vector::max(src)
    }

    fn relu(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        vector::relu(data)
    }

    fn max_pool(&mut self, src: &[i16], shape: &PoolShape, floor: i16, dst: &mut [i16]) -> Result<(), KernelError> {
        pool::max_pool(src, shape, floor, dst)
    }

    fn avg_pool(&mut self, src: &[i16], shape: &PoolShape, dst: &mut [i16]) -> Result<(), KernelError> {
        pool::avg_pool(src, shape, dst)
    }

    fn requantize(&mut self, src: &[i32], shift: u8, dst: &mut [i16]) -> Result<(), KernelError> {
        requantize::requantize(src, shift, dst)
    }

    fn argmax(&mut self, src: &[i16]) -> Result<usize, KernelError> {
        vector::argmax(src)
    }

    fn copy(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        vector::copy(src, dst)
    }

    fn to_complex(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        interleave::to_complex(src, dst)
    }

    fn real_part(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        interleave::real_part(src, dst)
    }
    fn far_copy(&mut self, src: &Far<'_>, dst: &mut [i16]) -> Result<(), KernelError> {
        src.read_into(dst)
    }

    fn softmax(&mut self, src: &[i16], frac: i8, dst: &mut [i16]) -> Result<(), KernelError> {
        softmax::softmax(src, frac, dst)
    }

    fn lookup(&mut self, src: &[i16], table: &[i16], shape: LookupShape, dst: &mut [i16]) -> Result<(), KernelError> {
        lookup::lookup(src, table, shape, dst)
    }

    fn permute(&mut self, src: &[i16], shape: &PermuteShape, first: usize, dst: &mut [i16]) -> Result<(), KernelError> {
        permute::permute(src, shape, first, dst)
    }
}
