//! The accelerator's four transforms (`rfft`, `irfft`, `cfft`, `cifft`), composed from the only two DSPLib
//! functions acec lets them call, plus CPU steps that are this same Rust code on every backend.
//!
//! Why composed, and not TI's own real and inverse FFTs (TI DSPLib 1.30 source, read function by function):
//! - `msp_ifft_fixed_q15` and `msp_cmplx_ifft_fixed_q15` are conjugate -> `msp_cmplx_fft_auto_q15` ->
//!   `msp_cmplx_shift_q15` by the returned count: the auto-scaling FFT decides per stage, from the data,
//!   whether to halve, and the LEA's criterion is not documented. A data-dependent shift that differed
//!   between the LEA and any model of it would change results by a factor of two, not by one LSB.
//! - `msp_fft_fixed_q15` is `msp_cmplx_fft_fixed_q15` then `msp_split_q15`, and the split's C code writes 0
//!   where a packed real spectrum keeps the Nyquist bin (where the LEA puts it is not documented).
//!
//! So every transform here is built from [`FftSteps::cmplx_fft_fixed`] (`msp_cmplx_fft_fixed_q15`: fixed
//! halving per stage, no data-dependent decision) and [`FftSteps::split`] (`msp_split_q15`), whose C
//! semantics [`super::fft_fixed`] and [`super::split`] reproduce exactly, and CPU steps of ours:
//! - **No overflow by construction.** Each transform first clamps its input (CPU) to a range in which no
//!   stage can leave 16 bits: every point that enters the complex FFT has modulus below one half, so
//!   `A + W*B` stays below 1 at every stage and the halved result below one half again (floor and twiddle
//!   rounding add under 2 LSB of modulus a stage; the limits keep about 90 LSB of margin over 9 stages). Then
//!   TI's wrapping C code, a saturating datapath and exact arithmetic all give the same bits: the LEA must
//!   only round as TI's C code does, which only a run on a board can check.
//! - **The Nyquist bin** is computed on the CPU from the complex FFT's bin 0, saved before the split.
//! - **The inverses** use the forward FFT: `IDFT(V) = conj(DFT(conj V))`, and the inverse split is the
//!   forward split of the conjugate (`conj(split(conj G))`, as TI's own `msp_ifft_fixed_q15` uses it). The
//!   fixed halving makes them return the signal divided by the point count (`x / (N/2)` for `irfft`,
//!   `x / N` for `cifft`): the compiler reads the result in a format `log2` of that coarser.
//!
//! Input limits, in raw Q15 units: [`FFT_INPUT_LIMIT`] on each component of `rfft`'s samples and of `cfft`'s
//! and `cifft`'s points (a pair of components at the limit has modulus 0.497); [`IRFFT_INPUT_LIMIT`] on each
//! component of `irfft`'s spectrum (the split doubles moduli at most). The compiler chooses formats so that
//! calibration data stays inside them; what exceeds them saturates, identically on every backend.

use super::check;
use super::{fft_fixed, split};
use crate::cost::Kernel;
use crate::error::KernelError;

/// Largest magnitude of a component entering `rfft`, `cfft` or `cifft` (0.3516 in Q15): `11520 * sqrt(2)`
/// is 16292, about 90 LSB below one half.
pub const FFT_INPUT_LIMIT: i16 = 11520;

/// Largest magnitude of a spectrum component entering `irfft` (0.1758 in Q15): the split at most doubles a
/// modulus (`|A| + |B|`), so the complex FFT then sees moduli below `2 * 5760 * sqrt(2) + 3 = 16295`.
pub const IRFFT_INPUT_LIMIT: i16 = 5760;

/// The two DSPLib functions the transforms are built from; each backend runs them its own way.
pub trait FftSteps {
    /// `msp_cmplx_fft_fixed_q15` (`bitReverse = true`) on `data.len() / 2` complex points.
    fn cmplx_fft_fixed(&mut self, data: &mut [i16]) -> Result<(), KernelError>;
    /// `msp_split_q15` on `data.len()` values.
    fn split(&mut self, data: &mut [i16]) -> Result<(), KernelError>;
}

/// The steps as TI's C source computes them ([`fft_fixed`], [`split`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct SoftSteps;

impl FftSteps for SoftSteps {
    fn cmplx_fft_fixed(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft_fixed::cmplx_fft_fixed(data);
        Ok(())
    }

    fn split(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        split::split(data);
        Ok(())
    }
}

/// Real FFT of `data.len() = N` samples (a power of two in 16..=512), in place: N/2 packed pairs, pair 0
/// holding (DC, Nyquist) and pair k bin k, each `X(k) / (N/2)`: Q15 in, Q(15 - log2(N/2)) spectrum out (TI's
/// table: Q12 at 16 points ... Q8 at 256). Samples are first clamped to +-[`FFT_INPUT_LIMIT`].
pub fn rfft<S: FftSteps>(steps: &mut S, data: &mut [i16]) -> Result<(), KernelError> {
    check::fft_len(Kernel::Rfft, data.len())?;
    clamp(data, FFT_INPUT_LIMIT);
    steps.cmplx_fft_fixed(data)?;
    // Bin 0 of the complex FFT gives both real bins; the split may overwrite it.
    let (zr, zi) = (data[0], data[1]);
    steps.split(data)?;
    // |zr|, |zi| < 16384 (see the module docs), so neither sum leaves 16 bits.
    data[0] = zr + zi;
    data[1] = zr - zi;
    Ok(())
}

/// Inverse of [`rfft`], in place: packed spectrum in, `x / (N/2)` out (so a spectrum in Q`f` gives the
/// signal in Q(`f - log2(N/2)`)). Spectrum components are first clamped to +-[`IRFFT_INPUT_LIMIT`].
pub fn irfft<S: FftSteps>(steps: &mut S, data: &mut [i16]) -> Result<(), KernelError> {
    check::fft_len(Kernel::Irfft, data.len())?;
    clamp(data, IRFFT_INPUT_LIMIT);
    let (dc, nyquist) = (data[0], data[1]);
    negate_odd(data);
    steps.split(data)?;
    // The split of the conjugate gives conj(Z) for k >= 1, Z the N/2-point FFT of the sample pairs; its
    // bin 0 is conj((DC + Nyquist) / 2 + i (DC - Nyquist) / 2), floored.
    data[0] = (dc + nyquist) >> 1;
    data[1] = (nyquist - dc) >> 1;
    steps.cmplx_fft_fixed(data)?;
    // DFT(conj Z) / (N/2) = conj(z) / (N/2): conjugate back.
    negate_odd(data);
    Ok(())
}

/// Complex FFT of `data.len() / 2 = N` interleaved points (a power of two in 16..=512), in place: `X(k) / N`,
/// Q15 in, Q(15 - log2 N) out. Components are first clamped to +-[`FFT_INPUT_LIMIT`].
pub fn cfft<S: FftSteps>(steps: &mut S, data: &mut [i16]) -> Result<(), KernelError> {
    check::even(Kernel::Cfft, data.len())?;
    check::fft_len(Kernel::Cfft, data.len() / 2)?;
    clamp(data, FFT_INPUT_LIMIT);
    steps.cmplx_fft_fixed(data)
}

/// Inverse complex FFT, in place: `conj(DFT(conj V)) / N`, so a spectrum `X / N` in Q`f` (what [`cfft`]
/// gives) comes back as the signal in Q(`f - log2 N`). Components are first clamped to
/// +-[`FFT_INPUT_LIMIT`].
pub fn cifft<S: FftSteps>(steps: &mut S, data: &mut [i16]) -> Result<(), KernelError> {
    check::even(Kernel::Cifft, data.len())?;
    check::fft_len(Kernel::Cifft, data.len() / 2)?;
    clamp(data, FFT_INPUT_LIMIT);
    negate_odd(data);
    steps.cmplx_fft_fixed(data)?;
    negate_odd(data);
    Ok(())
}

/// Every value into `-limit..=limit`.
fn clamp(data: &mut [i16], limit: i16) {
    for x in data.iter_mut() {
        *x = (*x).clamp(-limit, limit);
    }
}

/// Conjugates interleaved complex points. Only used on values below 2^14 in magnitude, so no negation wraps.
fn negate_odd(data: &mut [i16]) {
    for im in data.iter_mut().skip(1).step_by(2) {
        *im = -*im;
    }
}
