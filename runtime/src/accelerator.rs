//! The accelerator interface: every kernel a generated program may call, on plain slices.
//!
//! Q-format contracts are stated per method; "Qa" means the raw `i16`/`i32` is the value times `2^a`.
//! All lengths are in elements of the slice type (`i16` or `i32`) unless a method says "complex points"
//! (one point = two interleaved elements, re then im). A method that returns `Err` has not written its
//! output. Both backends ([`crate::SoftBackend`], `DsplibBackend`) accept and reject exactly the same calls.

use crate::error::KernelError;
use crate::far::Far;
use crate::shapes::{LookupShape, PermuteShape, PoolShape, SpectrumLayout};

/// The kernel set. One implementation per execution engine; generated code is generic over it, so a build
/// without metering contains no metering code at all.
pub trait Accelerator {
    /// Real FFT, in place, of `data.len() = N` Q15 samples, N a power of two in 16..=512.
    ///
    /// Output: N/2 complex pairs, [`SpectrumLayout::RealPacked`]; bin k holds `X(k) / (N/2)` where X is the
    /// unscaled DFT. Read as Q15 that is the spectrum scaled by `2/N`; read as `Q(15 - log2(N/2))` (Q12 at 16
    /// points ... Q8 at 256, Q7 at 512) it is the spectrum itself, as DSPLib's table says. Built from
    /// `msp_cmplx_fft_fixed_q15` and `msp_split_q15`, samples first clamped to
    /// +-[`crate::kernels::fft::FFT_INPUT_LIMIT`] so that no stage overflows ([`crate::kernels::fft`]).
    fn rfft(&mut self, data: &mut [i16]) -> Result<(), KernelError>;

    /// Inverse real FFT, in place: a packed spectrum as [`Accelerator::rfft`] produces it in, the signal
    /// divided by N/2 out (a spectrum in Q`f` gives the signal in Q(`f - log2(N/2)`)): the forward FFT of the
    /// conjugate, which halves at every stage. Components first clamped to
    /// +-[`crate::kernels::fft::IRFFT_INPUT_LIMIT`].
    fn irfft(&mut self, data: &mut [i16]) -> Result<(), KernelError>;

    /// Complex FFT, in place, of `data.len() / 2 = N` interleaved complex Q15 points, N a power of two in
    /// 16..=512 (DSPLib `msp_cmplx_fft_fixed_q15`). Output: `X(k) / N`, i.e. Q(15 - log2 N) spectrum.
    /// Components first clamped to +-[`crate::kernels::fft::FFT_INPUT_LIMIT`].
    fn cfft(&mut self, data: &mut [i16]) -> Result<(), KernelError>;

    /// Complex inverse FFT, in place: `conj(DFT(conj V)) / N`, so the spectrum [`Accelerator::cfft`] gives,
    /// in Q`f`, returns the signal in Q(`f - log2 N`). Components first clamped to
    /// +-[`crate::kernels::fft::FFT_INPUT_LIMIT`].
    fn cifft(&mut self, data: &mut [i16]) -> Result<(), KernelError>;

    /// Element-wise complex product `dst = a * b` of `len / 2` complex points (`len` even, all three slices the
    /// same length). Qa * Qb -> Q(a + b - 15), truncated (floor), wrapping on overflow like
    /// `msp_cmplx_mpy_q15` (no saturation).
    fn cmplx_mpy(&mut self, layout: SpectrumLayout, a: &[i16], b: &[i16], dst: &mut [i16]) -> Result<(), KernelError>;

    /// Element-wise complex multiply-accumulate into a 32-bit buffer: `acc += a * b` with the exact product
    /// (Qa * Qb -> Q(a + b) in `i32`, no bits dropped) and a saturating 32-bit add. Same lengths as
    /// [`Accelerator::cmplx_mpy`]; `acc.len() == a.len()`. Finish with [`Accelerator::requantize`].
    fn cmplx_mac(&mut self, layout: SpectrumLayout, a: &[i16], b: &[i16], acc: &mut [i32]) -> Result<(), KernelError>;

    /// Dot product of two Q15 vectors (equal, even length) to Q31: `sat32(2 * sum(a[i] * b[i]))` with the sum
    /// exact in 64 bits (DSPLib `msp_mac_q15`, `_iq31` result).
    fn mac(&mut self, a: &[i16], b: &[i16]) -> Result<i32, KernelError>;

    /// FIR filter, DSPLib `msp_fir_q15` semantics (true convolution):
    /// `dst[i] = sat16((sum_{k<T} coeffs[k] * src[i + T - 1 - k]) >> 15)`, T = `coeffs.len()`, the sum kept
    /// in a wrapping 32-bit accumulator and truncated (floor). `src.len() == dst.len() + T - 1` (the first
    /// T - 1 samples are history); `dst.len()` and T even. For a correlation (CNN), store the taps reversed.
    fn fir(&mut self, src: &[i16], coeffs: &[i16], dst: &mut [i16]) -> Result<(), KernelError>;

    /// `acc = sat16(acc + src)` element-wise (DSPLib `msp_add_q15` saturates). Equal, even lengths.
    fn add(&mut self, src: &[i16], acc: &mut [i16]) -> Result<(), KernelError>;

    /// `data = data * 2^shift` in place, `shift` in -15..=15, left shifts wrap and right shifts floor
    /// (DSPLib `msp_shift_q15`: "does not saturate"). Even length.
    fn shift(&mut self, data: &mut [i16], shift: i8) -> Result<(), KernelError>;

    /// `data = wrap16((data * scale) >> (15 - shift))` in place: multiply by a Q15 `scale`, then by `2^shift`,
    /// `shift` in 0..=15, truncated (floor) and wrapped, not saturated, as DSPLib's `msp_scale_q15` computes
    /// it (`source/vector/msp_scale_q15.c`; it has no LEA version). Even length.
    fn scale(&mut self, data: &mut [i16], scale: i16, shift: u8) -> Result<(), KernelError>;

    /// `data = sat16(data + offset)` in place (DSPLib `msp_offset_q15`). Even length.
    fn offset(&mut self, data: &mut [i16], offset: i16) -> Result<(), KernelError>;

    /// `dst[i] = value` (DSPLib `msp_fill_q15`). Even length.
    fn fill(&mut self, dst: &mut [i16], value: i16) -> Result<(), KernelError>;

    /// Signed maximum and the index of its first occurrence (DSPLib 1.30's `msp_max_q15` also returns an
    /// index, but its C path reports the last of equal maxima, so the backend checks it). Even, non-zero
    /// length.
    fn max(&mut self, src: &[i16]) -> Result<(i16, usize), KernelError>;

    /// `data = max(data, 0)` in place. Any length (CPU kernel).
    fn relu(&mut self, data: &mut [i16]) -> Result<(), KernelError>;

    /// Max pooling over a CHW tensor; `src.len() == shape.input_len()`, `dst.len() == shape.output_len()`.
    /// Each output is at least `floor`: `i16::MIN` pools plainly, 0 also applies a ReLU (they commute).
    /// Exact (no arithmetic).
    fn max_pool(&mut self, src: &[i16], shape: &PoolShape, floor: i16, dst: &mut [i16]) -> Result<(), KernelError>;

    /// Average pooling over a CHW tensor, same shapes as [`Accelerator::max_pool`]: the window sum (exact, 32
    /// bits) divided by the window size, rounded half up (`floor(sum / n + 1/2)`). Qa in, Qa out.
    fn avg_pool(&mut self, src: &[i16], shape: &PoolShape, dst: &mut [i16]) -> Result<(), KernelError>;

    /// 32-bit accumulator -> Q15: `dst[i] = sat16(round_half_up(src[i] / 2^shift))`, `shift` in 0..=31.
    /// Q(a) -> Q(a - shift). Equal lengths, any length.
    fn requantize(&mut self, src: &[i32], shift: u8, dst: &mut [i16]) -> Result<(), KernelError>;

    /// Index of the first maximum. Non-empty, any length.
    fn argmax(&mut self, src: &[i16]) -> Result<usize, KernelError>;

    /// `dst = src`. Equal lengths, any length. The DSPLib backend moves the data by DMA (the LEA cannot reach
    /// FRAM, where one side of nearly every copy is).
    fn copy(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError>;

    /// `dst = src` from constants the CPU cannot address (upper FRAM on the MSP430: a DMA block transfer).
    /// Equal lengths, any length. Every backend moves the data the same way, so this one has a body.
    fn far_copy(&mut self, src: &Far<'_>, dst: &mut [i16]) -> Result<(), KernelError> {
        src.read_into(dst)
    }

    /// `dst[2k] = src[k]`, `dst[2k + 1] = 0`: a real vector as complex points with zero imaginary parts, the
    /// input of [`Accelerator::cfft`] for real data. `dst.len() == 2 * src.len()`, any length (CPU kernel:
    /// DSPLib has no LEA command for it).
    fn to_complex(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError>;

    /// `dst[k] = src[2k]`: the real parts of interleaved complex points. `src.len() == 2 * dst.len()`, any
    /// length (CPU kernel).
    fn real_part(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError>;

    /// `dst = softmax(src)` over the whole vector: `src` in Q`frac` (-16..=16), `dst` in Q15 (CPU kernel,
    /// integer only: [`crate::kernels::softmax`]). Equal, non-zero lengths.
    fn softmax(&mut self, src: &[i16], frac: i8, dst: &mut [i16]) -> Result<(), KernelError> {
        crate::kernels::softmax::softmax(src, frac, dst)
    }

    /// `dst = f(src)` element-wise, `f` read from `table` with linear interpolation, rounded half up
    /// ([`crate::kernels::lookup`]: the compiler builds the table of Tanh, Sigmoid, HardSwish, ...). Equal
    /// lengths, any length, a non-empty table (CPU kernel: DSPLib has no table lookup).
    fn lookup(&mut self, src: &[i16], table: &[i16], shape: LookupShape, dst: &mut [i16]) -> Result<(), KernelError> {
        crate::kernels::lookup::lookup(src, table, shape, dst)
    }

    /// Output elements `first .. first + dst.len()` of `src` gathered by `shape` (a transpose,
    /// [`crate::kernels::permute`]): exact, any length, every element read inside `src` (CPU kernel: the
    /// LEA has no strided gather, and a DMA transfer per element would cost more).
    fn permute(&mut self, src: &[i16], shape: &PermuteShape, first: usize, dst: &mut [i16]) -> Result<(), KernelError> {
        crate::kernels::permute::permute(src, shape, first, dst)
    }
}
