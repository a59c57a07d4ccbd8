//! Lowering of block-circulant layers to the published method (`ops::circulant_paper`): the `paper_ace`
//! baseline of `acec report`, compiled from the same model as acec so the two differ only in how these
//! layers are computed.
//!
//! The authors store weights as `int(w * 2^15)` and shift by `log2 b` after the inverse FFT, so everything
//! is Q15. Here the weight vectors get the finest format their range allows and the shift is whatever then
//! gives the layer's output format (it is `log2 b` exactly when the formats are theirs): the kernels and so
//! the costs are the same, and their method keeps as much precision as it can.

use acec_runtime::kernels::fft::FFT_INPUT_LIMIT;
use acec_runtime::ops::CirculantPaperParams;

use super::{Builder, LayerCtx};
use crate::ace::error::LowerError;
use crate::ace::program::{Call, Data, Step};
use crate::graph::Dense;
use crate::rad::calibrate::max_abs;
use crate::rad::circulant::project;
use crate::rad::quant::{frac_bits_for, quantize_i16};

/// How block-circulant layers are computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CirculantMethod {
    /// acec's: weight spectra precomputed, real FFTs, frequency-domain accumulation (`ops::circulant_dense`).
    #[default]
    Ace,
    /// The published implementation (`ops::circulant_paper`), for comparison.
    Paper,
}

/// `(v (*) x)[r] = sum_c v[(r - c) mod b] x[c]`: one block's product, in f64.
fn circular(v: &[f64], x: &[f64]) -> Vec<f64> {
    let b = v.len();
    (0..b).map(|r| (0..b).map(|c| v[(r + b - c) % b] * x[c]).sum()).collect()
}

/// `(weight frac, output frac, shift)` for an output wanted in Q`out_frac`, weights that fit Q`weight_frac`
/// and inputs in Q`input_frac`.
///
/// After the inverse FFT a block's result is in Q(x + w - 15 - 2 log2 b) (the forward FFTs divide by b, and
/// so does the inverse, the forward FFT run on the conjugate: `acec_runtime::kernels::fft`) and the shift
/// brings it to the output's format. Finer weights need a smaller shift, which amplifies the pipeline's
/// rounding less; an output coarser than that format takes coarser weights instead (the shift only goes
/// left), one more than 15 bits finer is coarsened. The shift wraps, so each block's result must fit with
/// the pipeline's flooring bias too, about 2 LSBs before the shift (each product floors, and the inverse
/// divides their sum by b; its own stages floor about 1 LSB); the output is coarsened until `block_max`
/// plus that bias fits.
fn formats(mut out_frac: i32, mut weight_frac: i32, input_frac: i32, block: usize, block_max: f64) -> (i32, i32, u8) {
    let natural = input_frac + weight_frac - 15 - 2 * block.trailing_zeros() as i32;
    if out_frac < natural {
        weight_frac -= natural - out_frac;
    }
    out_frac = out_frac.min(natural + 15);
    loop {
        let shift = out_frac - natural.min(out_frac);
        let bias = 2.0 * 2f64.powi(shift - out_frac);
        if shift == 0 || frac_bits_for(block_max + bias) >= out_frac {
            return (weight_frac, out_frac, shift as u8);
        }
        out_frac -= 1;
    }
}

pub(super) fn lower_circulant_paper(
    b: &mut Builder,
    ctx: &LayerCtx,
    dense: &Dense,
    block: usize,
) -> Result<Step, LowerError> {
    let (rows, cols) = (dense.outputs(), dense.inputs());
    let (p, q) = (rows / block, cols / block);
    let vectors: Vec<Vec<f64>> = project(&dense.weight.data, rows, cols, block)
        .iter()
        .map(|v| v.iter().map(|&w| f64::from(w)).collect())
        .collect();
    let params_lea = 7 * block;
    if params_lea > ctx.options.lea_elements {
        return Err(ctx.unsupported(format!(
            "the published method needs {params_lea} elements of LEA scratch at block {block}, {} are usable",
            ctx.options.lea_elements
        )));
    }

    // Ranges: every block's own product (the shift after the inverse FFT wraps, so each must fit), and the
    // accumulated output with and without its bias.
    let bias_max = max_abs(&dense.bias);
    let (mut block_max, mut y_max) = (0f64, 0f64);
    for x in ctx.sample_inputs() {
        let x: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
        for i in 0..p {
            let mut y = vec![0f64; block];
            for (j, x_j) in x.chunks(block).enumerate() {
                for (acc, v) in y.iter_mut().zip(circular(&vectors[i * q + j], x_j)) {
                    block_max = block_max.max(v.abs());
                    *acc += v;
                }
            }
            y_max = y.iter().fold(y_max, |m, v| m.max(v.abs()));
        }
    }
    if ctx.ranges.samples.is_empty() {
        // Static bounds: |v (*) x| <= |v|_1 max|x|.
        block_max =
            vectors.iter().map(|v| v.iter().map(|w| w.abs()).sum::<f64>()).fold(0f64, f64::max) * ctx.input_max();
        y_max = ctx.output_max() + bias_max;
    }
    let out_frac = frac_bits_for(block_max)
        .min(frac_bits_for(y_max))
        .min(frac_bits_for(y_max + bias_max))
        .min(frac_bits_for(ctx.output_max()));
    let widest = vectors.iter().flatten().fold(0f64, |m, w| m.max(w.abs()));
    // The complex FFT clamps its operands to FFT_INPUT_LIMIT: the weights stay inside it.
    let weight_frac = frac_bits_for(widest * 32766.0 / f64::from(FFT_INPUT_LIMIT));
    let (weight_frac, out_frac, shift) = formats(out_frac, weight_frac, ctx.input_frac, block, block_max);

    let weights: Vec<i16> = vectors.iter().flatten().map(|&w| quantize_i16(w, weight_frac)).collect();
    let bias: Vec<i16> = dense.bias.iter().map(|&v| quantize_i16(f64::from(v), out_frac)).collect();
    let name = ctx.layer().name.clone();
    let doc = format!("{p} x {q} defining vectors of {block}-point circulant blocks, Q{weight_frac}");
    let weights = b.constant(&name, "VECTORS", Data::I16(weights), doc);
    let bias = b.constant(&name, "BIAS", Data::I16(bias), format!("bias, Q{out_frac}"));
    let params = CirculantPaperParams {
        block,
        block_rows: p,
        block_cols: q,
        inputs: cols,
        outputs: rows,
        shift,
        relu: ctx.relu,
    };
    b.lea_needed = b.lea_needed.max(params.lea_len());
    // A b-point complex FFT operand starts on a 4b-byte boundary; the scratch holds them at multiples of 2b.
    b.lea_align = b.lea_align.max(4 * block);
    let kind = format!("circulant-paper b={block}");
    let mut step = ctx.step(&kind, Call::CirculantPaper { params, weights, bias }, out_frac);
    step.params_dense = dense.weight.len() + dense.bias.len();
    step.params_stored = p * q * block + rows;
    Ok(step)
}

#[cfg(test)]
mod tests {
    use super::formats;

    #[test]
    fn q15_formats_give_a_shift_of_twice_log2_b() {
        // Q15 inputs and weights, a Q15 output, b = 64: the result comes out in Q3, the shift is 2 log2 b.
        assert_eq!(formats(15, 15, 15, 64, 0.5), (15, 15, 12));
    }

    #[test]
    fn a_coarse_output_takes_coarser_weights_instead_of_a_right_shift() {
        // The result comes out in Q3; a Q1 output needs 2 bits fewer in the weights.
        assert_eq!(formats(1, 15, 15, 64, 0.5), (13, 1, 0));
    }

    #[test]
    fn the_truncation_bias_coarsens_an_output_near_full_scale() {
        // 0.95 plus the bias of 2 LSBs of Q3 before a shift of 12 (1/4) does not fit Q15; in Q14 it does.
        assert_eq!(formats(15, 15, 15, 64, 0.95), (15, 14, 11));
    }
}
