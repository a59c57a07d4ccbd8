//! Formats of the layers computed as accumulated spectra (circulant dense layers, FFT convolutions): from
//! the ranges calibration measures to the input shift, the spectra's format and the output's.

use acec_runtime::kernels::fft::{FFT_INPUT_LIMIT, IRFFT_INPUT_LIMIT};

use super::LayerCtx;
use crate::rad::quant::frac_bits_for;

/// Peaks of the values an FFT layer holds, in real units (spectra scaled as the accelerator scales them).
#[derive(Clone, Copy, Debug, Default)]
pub struct FftRanges {
    /// Largest component of the precomputed weight spectra.
    pub spectrum: f64,
    /// Largest input value (what enters the FFT before its shift).
    pub input: f64,
    /// Largest component of an input block's spectrum, `DFT(x) / (N/2)`.
    pub input_spectrum: f64,
    /// Largest component of one spectrum product (what each accelerator multiply holds).
    pub product: f64,
    /// Largest component of an accumulated output spectrum, `DFT(y) / (N/2)`.
    pub accumulated: f64,
    /// Largest output before the bias, `|y|`.
    pub output: f64,
}

/// Left shifts cost two accelerator calls per bit and block: they recover what a coarse previous layer leaves
/// unused, above all the log2(b/2) bits a circulant layer's inverse FFT gives away (they saturate, and the
/// FFT clamps what is left beyond its input limit).
const MAX_LEFT_SHIFT: i8 = 8;

pub struct FftFormats {
    /// Right shift of the input before its FFT; negative: a saturating left shift.
    pub input_shift: i8,
    pub spectra_frac: i32,
    pub out_frac: i32,
}

impl FftRanges {
    /// Keeps the larger of each peak.
    pub fn merge(&mut self, other: &FftRanges) {
        self.spectrum = self.spectrum.max(other.spectrum);
        self.input = self.input.max(other.input);
        self.input_spectrum = self.input_spectrum.max(other.input_spectrum);
        self.product = self.product.max(other.product);
        self.accumulated = self.accumulated.max(other.accumulated);
        self.output = self.output.max(other.output);
    }

    /// Without calibration data: a scaled spectrum is at most twice its signal's peak (|DFT(y)| <= N max|y|).
    pub fn static_bound(spectrum: f64, input_max: f64, output_max: f64) -> Self {
        let input_spectrum = 2.0 * input_max;
        FftRanges {
            spectrum,
            input: input_max,
            input_spectrum,
            product: spectrum * input_spectrum * 2f64.sqrt(),
            accumulated: 2.0 * output_max,
            output: output_max,
        }
    }

    /// The formats for `ctx`'s layer of `block`-point FFTs with these ranges and biases up to `bias_max`.
    ///
    /// The accelerator's transforms clamp their inputs to the ranges in which no stage can overflow
    /// (`acec_runtime::kernels::fft`): the staged input to `FFT_INPUT_LIMIT`, the accumulated spectrum to
    /// `IRFFT_INPUT_LIMIT`. So the input shift brings the largest input inside the first (a saturating left
    /// shift when it has room, a right shift otherwise), the spectra's format keeps the accumulated spectrum
    /// inside the second, and the output is `log2(block/2)` bits coarser than that spectrum: the inverse,
    /// the forward FFT run on the conjugate, halves at every stage.
    pub fn formats(&self, ctx: &LayerCtx, bias_max: f64, block: usize) -> FftFormats {
        let input_limit = f64::from(FFT_INPUT_LIMIT) / 2f64.powi(ctx.input_frac);
        let fits = |shift: i8| self.input / 2f64.powi(i32::from(shift)) <= input_limit;
        let mut input_shift = -MAX_LEFT_SHIFT;
        while !fits(input_shift) && input_shift < 15 {
            input_shift += 1;
        }
        let input_frac = ctx.input_frac - i32::from(input_shift);
        let halvings = (block / 2).trailing_zeros() as i32;
        // Products and their sums are in Q(spectra + input - 15): every product must fit, the accumulated
        // spectrum must stay inside the inverse's limit, and the output (with its bias), `halvings` bits
        // coarser, must fit too.
        let mut accumulated_frac = frac_bits_within(self.accumulated, f64::from(IRFFT_INPUT_LIMIT))
            .min(frac_bits_for(self.product))
            .min(frac_bits_for(self.output + bias_max) + halvings)
            .min(frac_bits_for(ctx.output_max()) + halvings);
        let mut spectra_frac = accumulated_frac + 15 - input_frac;
        if spectra_frac > frac_bits_for(self.spectrum) {
            spectra_frac = frac_bits_for(self.spectrum);
            accumulated_frac = spectra_frac + input_frac - 15;
        }
        FftFormats { input_shift, spectra_frac, out_frac: accumulated_frac - halvings }
    }
}

/// The most fractional bits at which `max_abs` stays within `limit` raw units.
fn frac_bits_within(max_abs: f64, limit: f64) -> i32 {
    frac_bits_for(max_abs * 32766.0 / limit)
}

/// The largest component of the packed product `a * b` (pair 0 component-wise, the other pairs complex),
/// bounded by the product of magnitudes.
pub fn packed_product_peak(a: &[f64], b: &[f64]) -> f64 {
    let mut peak = (a[0] * b[0]).abs().max((a[1] * b[1]).abs());
    for k in (2..a.len()).step_by(2) {
        peak = peak.max(a[k].hypot(a[k + 1]) * b[k].hypot(b[k + 1]));
    }
    peak
}
