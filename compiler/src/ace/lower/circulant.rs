//! The quantized form of a block-circulant product, shared by dense layers (`circulant-fft`) and
//! convolutions (`circulant-conv`): weight spectra, biases and formats from the weight matrix and the
//! calibrated inputs of the product (a dense layer's input vectors, a convolution's receptive fields).

use acec_runtime::ops::CirculantParams;

use super::LayerCtx;
use super::fft_formats::{FftFormats, FftRanges, packed_product_peak};
use crate::ace::spectrum::{packed_dft, packed_idft};
use crate::rad::calibrate::max_abs;
use crate::rad::circulant::{expand, project};
use crate::rad::quant::quantize_i16;

pub(super) struct QuantizedCirculant {
    /// `p x q` packed spectra of `block` values, block-row-major, in Q`spectra_frac`.
    pub(super) spectra: Vec<i16>,
    pub(super) spectra_frac: i32,
    /// `p * block` values in Q`out_frac` (the outputs past `rows` are dropped by the op).
    pub(super) bias: Vec<i16>,
    pub(super) out_frac: i32,
    /// With the largest row chunk the LEA scratch holds.
    pub(super) params: CirculantParams,
}

/// The `rows x cols` matrix (block-circulant at `block`, or projected onto it) with its bias, quantized
/// for inputs like `inputs` (float vectors of `cols` values: the product's calibration data), its row
/// chunk the largest whose scratch fits `lea_budget` elements.
pub(super) fn quantize_circulant(
    ctx: &LayerCtx,
    matrix: &[f32],
    (rows, cols): (usize, usize),
    block: usize,
    bias: &[f32],
    inputs: impl Iterator<Item = Vec<f32>>,
    lea_budget: usize,
) -> QuantizedCirculant {
    let (p, q) = (rows / block, cols / block);
    let vectors = project(matrix, rows, cols, block);
    let spectra: Vec<Vec<f64>> =
        vectors.iter().map(|v| packed_dft(&v.iter().map(|&x| f64::from(x)).collect::<Vec<_>>())).collect();
    let spectrum_max = spectra.iter().flatten().fold(0f64, |m, v| m.max(v.abs()));
    let half = (block / 2) as f64;

    // Ranges from the calibration data: the input spectra X_j = DFT(x_j) / (b/2), every product V_ij X_j,
    // the accumulated spectra DFT(W x) / (b/2), and y = W x.
    let dense_weight = expand(&vectors, rows, cols, block);
    let mut ranges = FftRanges { spectrum: spectrum_max, ..FftRanges::default() };
    let mut calibrated = false;
    for x in inputs {
        calibrated = true;
        let x_spectra: Vec<Vec<f64>> = x
            .chunks(block)
            .map(|c| {
                packed_dft(&c.iter().map(|&v| f64::from(v)).collect::<Vec<_>>()).iter().map(|s| s / half).collect()
            })
            .collect();
        ranges.input_spectrum = x_spectra.iter().flatten().fold(ranges.input_spectrum, |m, s| m.max(s.abs()));
        for (index, v) in spectra.iter().enumerate() {
            ranges.product = ranges.product.max(packed_product_peak(v, &x_spectra[index % q]));
        }
        let y: Vec<f64> = (0..rows)
            .map(|o| (0..cols).map(|i| f64::from(dense_weight[o * cols + i]) * f64::from(x[i])).sum())
            .collect();
        ranges.output = y.iter().fold(ranges.output, |m, v| m.max(v.abs()));
        for chunk in y.chunks(block) {
            let scaled = packed_dft(chunk).iter().fold(0f64, |m, v| m.max(v.abs())) / half;
            ranges.accumulated = ranges.accumulated.max(scaled);
        }
    }
    let bias_max = max_abs(bias);
    if !calibrated {
        ranges = FftRanges::static_bound(spectrum_max, ctx.input_max(), ctx.output_max() + bias_max);
    }
    ranges.input = ctx.input_max();
    let FftFormats { input_shift, spectra_frac, out_frac } = ranges.formats(ctx, bias_max, block);
    let spectra_q: Vec<i16> = spectra.iter().flatten().map(|&v| quantize_i16(v, spectra_frac)).collect();
    // The inverse's halving stages floor: real parts (even outputs) come out about half an LSB low and the
    // conjugated imaginary parts (odd outputs) half an LSB high (measured: -0.48 and +0.43 over the layers
    // of runtime/tests/ops.rs); the bias takes the opposite before it is rounded.
    // The q products' truncations (each floors, -1/2 LSB on average) leave every accumulated spectrum
    // component about q/2 LSB low; adding q/2 to each before the inverse would take one more LEA call per
    // output block. The inverse FFT is linear (`irfft(S) = packed_idft(S)` in integer units, runtime
    // kernels::fft), so the bias takes that offset's output, `packed_idft([q/2; b])` LSB, exactly, instead.
    let rounding = packed_idft(&vec![(q / 2) as f64; block]);
    let lsb = 2f64.powi(-out_frac);
    let bias_q: Vec<i16> = (0..p * block)
        .map(|o| {
            let v = bias.get(o).map_or(0.0, |&v| f64::from(v));
            let floors = if o % 2 == 0 { 0.5 } else { -0.5 };
            quantize_i16(v + (floors + rounding[o % block]) * lsb, out_frac)
        })
        .collect();
    let params = CirculantParams {
        block,
        block_rows: p,
        block_cols: q,
        inputs: cols,
        outputs: rows,
        input_shift,
        rounding: 0,
        relu: ctx.relu,
        row_chunk: q,
    };
    // As many input blocks per complex multiply as LEA RAM holds: a chunk of a block row takes a few LEA
    // calls instead of two per block, and each DSPLib call costs hundreds of cycles.
    let row_chunk = (1..=q).rev().find(|&c| CirculantParams { row_chunk: c, ..params }.lea_len() <= lea_budget);
    let params = CirculantParams { row_chunk: row_chunk.unwrap_or(1), ..params };
    QuantizedCirculant { spectra: spectra_q, spectra_frac, bias: bias_q, out_frac, params }
}
