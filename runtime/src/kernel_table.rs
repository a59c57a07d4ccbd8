//! The kernel set, declared once: each kernel's contract (its doc), signature and charged `N`. Three
//! generators expand this table, so nothing about a kernel is written twice:
//! - [`crate::Accelerator`], the trait backends implement (`accelerator.rs`);
//! - [`crate::Kernel`], its variant and its cost key, the method's name (the keys of `costs` in a
//!   `target.json`, `cost.rs`);
//! - the [`crate::Metered`] wrapper that charges each call to a cost table (`metered.rs`).
//!
//! A new kernel is one entry here, its implementations in the backends, and its cost in every target.
//!
//! An entry: `Variant: fn method(args) -> output, n = N`. `N` is what a call is charged for and what the target's coefficients are fitted against:
//! elements of the (first) vector argument, except complex points for the complex kernels and FFTs
//! (`len / 2`), outputs x taps for `fir` (its multiply-accumulates), outputs x window size for pooling (its
//! element visits), and the real vector's length for `to_complex` / `real_part`. The table names types
//! (`Far`, the shapes) without paths: the modules that expand it into code with types import them; it
//! imports nothing itself, so every module can use `Kernel`.

/// Calls `$generator!` with every kernel's entry.
macro_rules! for_each_kernel {
    ($generator:ident) => {
        $generator! {
        /// Real FFT, in place, of `data.len() = N` Q15 samples, N a power of two in 16..=512.
        ///
        /// Output: N/2 complex pairs, [`crate::shapes::SpectrumLayout::RealPacked`]; bin k holds `X(k) / (N/2)` where X is the
        /// unscaled DFT. Read as Q15 that is the spectrum scaled by `2/N`; read as `Q(15 - log2(N/2))` (Q12 at 16
        /// points ... Q8 at 256, Q7 at 512) it is the spectrum itself, as DSPLib's table says. Built from
        /// `msp_cmplx_fft_fixed_q15` and `msp_split_q15`, samples first clamped to
        /// +-[`crate::kernels::fft::FFT_INPUT_LIMIT`] so that no stage overflows ([`crate::kernels::fft`]).
        Rfft: fn rfft(data: &mut [i16]) -> (), n = data.len();

        /// Inverse real FFT, in place: a packed spectrum as [`crate::Accelerator::rfft`] produces it in, the signal
        /// divided by N/2 out (a spectrum in Q`f` gives the signal in Q(`f - log2(N/2)`)): the forward FFT of the
        /// conjugate, which halves at every stage. Components first clamped to
        /// +-[`crate::kernels::fft::IRFFT_INPUT_LIMIT`].
        Irfft: fn irfft(data: &mut [i16]) -> (), n = data.len();

        /// Complex FFT, in place, of `data.len() / 2 = N` interleaved complex Q15 points, N a power of two in
        /// 16..=512 (DSPLib `msp_cmplx_fft_fixed_q15`). Output: `X(k) / N`, i.e. Q(15 - log2 N) spectrum.
        /// Components first clamped to +-[`crate::kernels::fft::FFT_INPUT_LIMIT`].
        Cfft: fn cfft(data: &mut [i16]) -> (), n = data.len() / 2;

        /// Complex inverse FFT, in place: `conj(DFT(conj V)) / N`, so the spectrum [`crate::Accelerator::cfft`] gives,
        /// in Q`f`, returns the signal in Q(`f - log2 N`). Components first clamped to
        /// +-[`crate::kernels::fft::FFT_INPUT_LIMIT`].
        Cifft: fn cifft(data: &mut [i16]) -> (), n = data.len() / 2;

        /// Element-wise complex product `dst = a * b` of `len / 2` complex points (`len` even, all three slices the
        /// same length). Qa * Qb -> Q(a + b - 15), truncated (floor), wrapping on overflow like
        /// `msp_cmplx_mpy_q15` (no saturation).
        CmplxMpy: fn cmplx_mpy(layout: SpectrumLayout, a: &[i16], b: &[i16], dst: &mut [i16]) -> (), n = a.len() / 2;

        /// Element-wise complex multiply-accumulate into a 32-bit buffer: `acc += a * b` with the exact product
        /// (Qa * Qb -> Q(a + b) in `i32`, no bits dropped) and a saturating 32-bit add. Same lengths as
        /// [`crate::Accelerator::cmplx_mpy`]; `acc.len() == a.len()`. Finish with [`crate::Accelerator::requantize`].
        CmplxMac: fn cmplx_mac(layout: SpectrumLayout, a: &[i16], b: &[i16], acc: &mut [i32]) -> (), n = a.len() / 2;

        /// Dot product of two Q15 vectors (equal, even length) to Q31: `sat32(2 * sum(a[i] * b[i]))` with the sum
        /// exact in 64 bits (DSPLib `msp_mac_q15`, `_iq31` result).
        Mac: fn mac(a: &[i16], b: &[i16]) -> i32, n = a.len();

        /// FIR filter, DSPLib `msp_fir_q15` semantics (true convolution):
        /// `dst[i] = sat16((sum_{k<T} coeffs[k] * src[i + T - 1 - k]) >> 15)`, T = `coeffs.len()`, the sum kept
        /// in a wrapping 32-bit accumulator and truncated (floor). `src.len() == dst.len() + T - 1` (the first
        /// T - 1 samples are history); `dst.len()` and T even. For a correlation (CNN), store the taps reversed.
        Fir: fn fir(src: &[i16], coeffs: &[i16], dst: &mut [i16]) -> (), n = dst.len() * coeffs.len();

        /// `acc = sat16(acc + src)` element-wise (DSPLib `msp_add_q15` saturates). Equal, even lengths.
        Add: fn add(src: &[i16], acc: &mut [i16]) -> (), n = src.len();

        /// `data = data * 2^shift` in place, `shift` in -15..=15, left shifts wrap and right shifts floor
        /// (DSPLib `msp_shift_q15`: "does not saturate"). Even length.
        Shift: fn shift(data: &mut [i16], shift: i8) -> (), n = data.len();

        /// `data = wrap16((data * scale) >> (15 - shift))` in place: multiply by a Q15 `scale`, then by `2^shift`,
        /// `shift` in 0..=15, truncated (floor) and wrapped, not saturated, as DSPLib's `msp_scale_q15` computes
        /// it (`source/vector/msp_scale_q15.c`; it has no LEA version). Even length.
        Scale: fn scale(data: &mut [i16], scale: i16, shift: u8) -> (), n = data.len();

        /// `data = sat16(data + offset)` in place (DSPLib `msp_offset_q15`). Even length.
        Offset: fn offset(data: &mut [i16], offset: i16) -> (), n = data.len();

        /// `dst[i] = value` (DSPLib `msp_fill_q15`). Even length.
        Fill: fn fill(dst: &mut [i16], value: i16) -> (), n = dst.len();

        /// Signed maximum and the index of its first occurrence (DSPLib 1.30's `msp_max_q15` also returns an
        /// index, but its C path reports the last of equal maxima, so the backend checks it). Even, non-zero
        /// length.
        Max: fn max(src: &[i16]) -> (i16, usize), n = src.len();

        /// `data = max(data, 0)` in place. Any length (CPU kernel).
        Relu: fn relu(data: &mut [i16]) -> (), n = data.len();

        /// Max pooling over a CHW tensor; `src.len() == shape.input_len()`, `dst.len() == shape.output_len()`.
        /// Each output is at least `floor`: `i16::MIN` pools plainly, 0 also applies a ReLU (they commute).
        /// Exact (no arithmetic).
        MaxPool: fn max_pool(src: &[i16], shape: &PoolShape, floor: i16, dst: &mut [i16]) -> (), n = shape.output_len().map_or(0, |outputs| outputs * shape.window_h * shape.window_w);

        /// Average pooling over a CHW tensor, same shapes as [`crate::Accelerator::max_pool`]: the window sum (exact, 32
        /// bits) divided by the window size, rounded half up (`floor(sum / n + 1/2)`). Qa in, Qa out.
        AvgPool: fn avg_pool(src: &[i16], shape: &PoolShape, dst: &mut [i16]) -> (), n = shape.output_len().map_or(0, |outputs| outputs * shape.window_h * shape.window_w);

        /// 32-bit accumulator -> Q15: `dst[i] = sat16(round_half_up(src[i] / 2^shift))`, `shift` in 0..=31.
        /// Q(a) -> Q(a - shift). Equal lengths, any length.
        Requantize: fn requantize(src: &[i32], shift: u8, dst: &mut [i16]) -> (), n = src.len();

        /// Index of the first maximum. Non-empty, any length.
        Argmax: fn argmax(src: &[i16]) -> usize, n = src.len();

        /// `dst = src`. Equal lengths, any length. The DSPLib backend moves the data by DMA (the LEA cannot reach
        /// FRAM, where one side of nearly every copy is).
        Copy: fn copy(src: &[i16], dst: &mut [i16]) -> (), n = src.len();

        /// `dst = src` from constants the CPU cannot address (upper FRAM on the MSP430: a DMA block transfer).
        /// Equal lengths, any length. Every backend moves the data the same way, so this one has a body.
        FarCopy: fn far_copy(src: &Far<'_>, dst: &mut [i16]) -> (), n = dst.len();

        /// `dst[2k] = src[k]`, `dst[2k + 1] = 0`: a real vector as complex points with zero imaginary parts, the
        /// input of [`crate::Accelerator::cfft`] for real data. `dst.len() == 2 * src.len()`, any length (CPU kernel:
        /// DSPLib has no LEA command for it).
        ToComplex: fn to_complex(src: &[i16], dst: &mut [i16]) -> (), n = src.len();

        /// `dst[k] = src[2k]`: the real parts of interleaved complex points. `src.len() == 2 * dst.len()`, any
        /// length (CPU kernel).
        RealPart: fn real_part(src: &[i16], dst: &mut [i16]) -> (), n = dst.len();

        /// `dst = softmax(src)` over the whole vector: `src` in Q`frac` (-16..=16), `dst` in Q15 (CPU kernel,
        /// integer only: [`crate::kernels::softmax`]). Equal, non-zero lengths.
        Softmax: fn softmax(src: &[i16], frac: i8, dst: &mut [i16]) -> (), n = src.len();

        /// `dst = f(src)` element-wise, `f` read from `table` with linear interpolation, rounded half up
        /// ([`crate::kernels::lookup`]: the compiler builds the table of Tanh, Sigmoid, HardSwish, ...). Equal
        /// lengths, any length, a non-empty table (CPU kernel: DSPLib has no table lookup).
        Lookup: fn lookup(src: &[i16], table: &[i16], shape: LookupShape, dst: &mut [i16]) -> (), n = src.len();

        /// Output elements `first .. first + dst.len()` of `src` gathered by `shape` (a transpose,
        /// [`crate::kernels::permute`]): exact, any length, every element read inside `src` (CPU kernel: the
        /// LEA has no strided gather, and a DMA transfer per element would cost more).
        Permute: fn permute(src: &[i16], shape: &PermuteShape, first: usize, dst: &mut [i16]) -> (), n = dst.len();
        }
    };
}

pub(crate) use for_each_kernel;
