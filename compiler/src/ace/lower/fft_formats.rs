//! Formats of the layers computed as accumulated spectra (circulant dense layers, FFT convolutions): from
//! the ranges calibration measures to the input shift, the spectra's format and the output's.

use super::LayerCtx;
use crate::rad::quant::frac_bits_for;

/// Peaks of the values an FFT layer holds, in real units (spectra scaled as the accelerator scales them).
#[derive(Clone, Copy, Debug, Default)]
pub struct FftRanges {
    /// Largest component of the precomputed weight spectra.
    pub spectrum: f64,
    /// Largest component of an input block's spectrum, `DFT(x) / (N/2)`.
    pub input_spectrum: f64,
    /// Largest component of one spectrum product (what each accelerator multiply holds).
    pub product: f64,
    /// Largest component of an accumulated output spectrum, `DFT(y) / (N/2)`.
    pub accumulated: f64,
    /// Largest output before the bias, `|y|`.
    pub output: f64,
}

/// Left shifts cost two accelerator calls per bit and block: a few bits recover what a coarse previous
/// layer leaves unused.
const MAX_LEFT_SHIFT: i8 = 4;

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
            input_spectrum,
            product: spectrum * input_spectrum * 2f64.sqrt(),
            accumulated: 2.0 * output_max,
            output: output_max,
        }
    }

    /// The formats for `ctx`'s layer with these ranges and biases up to `bias_max`. With `input_peak` (the
    /// largest input), the input may also be shifted left while it and its spectrum stay in range: its
    /// format then has headroom the products can use.
    pub fn formats(&self, ctx: &LayerCtx, bias_max: f64, input_peak: Option<f64>) -> FftFormats {
        // Shift the input right until its spectrum fits the FFT's Q15 range (a little margin for rounding).
        let full_scale = 32000.0 / 2f64.powi(ctx.input_frac);
        let fits = |shift: i8| self.input_spectrum / 2f64.powi(i32::from(shift)) <= full_scale;
        let mut input_shift = 0i8;
        while !fits(input_shift) && input_shift < 15 {
            input_shift += 1;
        }
        if let Some(peak) = input_peak {
            let room = |shift: i8| fits(shift) && peak / 2f64.powi(i32::from(shift)) <= full_scale;
            while input_shift <= 0 && input_shift > -MAX_LEFT_SHIFT && room(input_shift - 1) {
                input_shift -= 1;
            }
        }
        let input_frac = ctx.input_frac - i32::from(input_shift);
        // Products and their sums are in the output format Q(spectra + input - 15): it must hold every
        // product, the accumulated spectrum, and the output with its bias.
        let mut out_frac = frac_bits_for(self.accumulated)
            .min(frac_bits_for(self.product))
            .min(frac_bits_for(self.output + bias_max))
            .min(frac_bits_for(ctx.output_max()));
        let mut spectra_frac = out_frac + 15 - input_frac;
        if spectra_frac > frac_bits_for(self.spectrum) {
            spectra_frac = frac_bits_for(self.spectrum);
            out_frac = spectra_frac + input_frac - 15;
        }
        FftFormats { input_shift, spectra_frac, out_frac }
    }
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
