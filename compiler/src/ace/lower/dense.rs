//! Dense layers: a dot product per output row on the LEA (`dense-mac`), or block-circulant blocks computed
//! by FFT -> complex multiply-accumulate -> inverse FFT (`circulant-fft`, ACE's form).

use acec_runtime::ops::DenseParams;

use super::super::error::LowerError;
use super::super::program::{Call, Data, Step};
use super::circulant::{QuantizedCirculant, quantize_circulant};
use super::{BlockRequest, Builder, CirculantMethod, LayerCtx, LowerOptions, paper};
use crate::graph::Dense;
use crate::rad::calibrate::max_abs;
use crate::rad::circulant::detect_block_size;
use crate::rad::quant::{frac_bits_for, quantize_i16, quantize_i32};

/// Formats for a dot-product layer: weights frac, output frac, and the requantizing shift from the
/// dot product's Q(w + x + 1) to the output. Public so `acec compress` can put weights on exactly the grid
/// this lowering will quantize them to.
pub fn dot_formats(weight_max: f64, input_frac: i32, output_max: f64) -> (i32, i32, u8) {
    dot_formats_at_most(weight_max, input_frac, frac_bits_for(output_max))
}

/// [`dot_formats`] with an output format of at most `out` fractional bits.
fn dot_formats_at_most(weight_max: f64, input_frac: i32, mut out: i32) -> (i32, i32, u8) {
    // `mac` saturates at 32 bits: a shift of at most 16 keeps every in-range output below 2^31.
    let weight = frac_bits_for(weight_max).min(15 + out - input_frac);
    if weight + input_frac + 1 < out {
        out = weight + input_frac + 1;
    }
    (weight, out, (weight + input_frac + 1 - out) as u8)
}

/// A dot-product layer (dense or convolution) in Q15: rows of weights padded to an even stride (LEA vectors
/// have even lengths), biases in the dot product's format, and the shift to the output format.
pub(super) struct DotLayer {
    pub(super) weights: Vec<i16>,
    pub(super) row_stride: usize,
    pub(super) bias: Vec<i32>,
    pub(super) weight_frac: i32,
    pub(super) bias_frac: i32,
    pub(super) out_frac: i32,
    pub(super) shift: u8,
}

pub(super) fn quantize_dot_layer(weight: &[f32], bias: &[f32], row: usize, ctx: &LayerCtx) -> DotLayer {
    let out = frac_bits_for(ctx.output_max()).min(ctx.out_frac_cap.unwrap_or(i32::MAX));
    let (weight_frac, out_frac, shift) = dot_formats_at_most(max_abs(weight), ctx.input_frac, out);
    let row_stride = row.div_ceil(2) * 2;
    let mut weights = vec![0i16; bias.len() * row_stride];
    for (o, values) in weight.chunks(row).enumerate() {
        for (i, &w) in values.iter().enumerate() {
            weights[o * row_stride + i] = quantize_i16(f64::from(w), weight_frac);
        }
    }
    let bias_frac = weight_frac + ctx.input_frac + 1;
    let bias = bias.iter().map(|&v| quantize_i32(f64::from(v), bias_frac)).collect();
    DotLayer { weights, row_stride, bias, weight_frac, bias_frac, out_frac, shift }
}

pub(super) fn lower_dense(b: &mut Builder, ctx: &LayerCtx, dense: &Dense) -> Result<Step, LowerError> {
    let (inputs, outputs) = (dense.inputs(), dense.outputs());
    let rows = ctx.layer().input_shape.elements() / inputs.max(1);
    if rows != 1 {
        return Err(ctx.unsupported(format!("applies to {rows} rows; the code generator compiles batch-1 vectors")));
    }
    if let Some(block) = circulant_block(ctx, dense)? {
        return match ctx.options.circulant {
            CirculantMethod::Ace => lower_circulant(b, ctx, dense, block),
            CirculantMethod::Paper => paper::lower_circulant_paper(b, ctx, dense, block),
        };
    }
    let DotLayer { weights, row_stride, bias, weight_frac, bias_frac, out_frac, shift } =
        quantize_dot_layer(&dense.weight.data, &dense.bias, inputs, ctx);
    let name = ctx.layer().name.clone();
    let shape = format!("{outputs} x {row_stride}, Q{weight_frac}");
    let weights = b.constant(&name, "WEIGHTS", Data::I16(weights), format!("weights {shape}"));
    let bias = b.constant(&name, "BIAS", Data::I32(bias), format!("bias, Q{bias_frac} (the dot product's format)"));
    b.lea_needed = b.lea_needed.max(2 * row_stride.min(ctx.options.lea_elements / 2));
    b.acc32_needed = b.acc32_needed.max(outputs.min(64));
    let params = DenseParams { inputs, row_stride, outputs, shift, relu: ctx.relu };
    let mut step = ctx.step("dense-mac", Call::Dense { params, weights, bias }, out_frac);
    step.params_dense = dense.weight.len() + dense.bias.len();
    step.params_stored = step.params_dense;
    Ok(step)
}

/// The block size this dense layer is compiled at, or `None` to keep it dense.
pub(super) fn circulant_block(ctx: &LayerCtx, dense: &Dense) -> Result<Option<usize>, LowerError> {
    let (rows, cols) = (dense.outputs(), dense.inputs());
    let requested = match &ctx.options.blocks {
        BlockRequest::Detect | BlockRequest::Never => None,
        BlockRequest::All(block) => Some(*block).filter(|b| rows % b == 0 && cols % b == 0),
        BlockRequest::PerLayer(list) => list.iter().find(|(n, _)| *n == ctx.layer().name).map(|(_, b)| *b),
    };
    if ctx.options.blocks == BlockRequest::Never {
        return Ok(None);
    }
    let block = requested.or_else(|| detect_block_size(&dense.weight.data, rows, cols));
    let Some(block) = block else { return Ok(None) };
    match (requested.is_some(), block_fits(rows, cols, block, ctx.options)) {
        (_, true) => Ok(Some(block)),
        // A detected structure the accelerator cannot use stays dense.
        (false, false) => Ok(None),
        (true, false) => Err(ctx.unsupported(format!(
            "block {block} does not work for a {rows} x {cols} weight: it must be a power of two in {}..={} that \
             divides both dimensions, with (inputs/block + 3) * block <= {} LEA elements",
            ctx.options.fft_min, ctx.options.fft_max, ctx.options.lea_elements
        ))),
    }
}

/// Whether a `rows x cols` dense layer can run as `block`-point circulant blocks on the accelerator: a power
/// of two in the FFT range that divides both dimensions, with every input spectrum plus three working
/// vectors in the LEA scratch.
pub fn block_fits(rows: usize, cols: usize, block: usize, options: &LowerOptions) -> bool {
    let fits_fft = (options.fft_min..=options.fft_max).contains(&block) && block.is_power_of_two();
    fits_fft
        && rows.is_multiple_of(block)
        && cols.is_multiple_of(block)
        && (cols / block + 3) * block <= options.lea_elements
}

pub(super) fn lower_circulant(
    b: &mut Builder,
    ctx: &LayerCtx,
    dense: &Dense,
    block: usize,
) -> Result<Step, LowerError> {
    let (rows, cols) = (dense.outputs(), dense.inputs());
    let inputs = ctx.sample_inputs().cloned();
    let QuantizedCirculant { spectra, spectra_frac, bias, out_frac, params } =
        quantize_circulant(ctx, &dense.weight.data, (rows, cols), block, &dense.bias, inputs, ctx.options.lea_elements);
    let (p, q) = (params.block_rows, params.block_cols);
    let name = ctx.layer().name.clone();
    let doc = format!("{p} x {q} packed spectra of {block}-point circulant blocks, Q{spectra_frac}");
    let spectra = b.constant(&name, "SPECTRA", Data::I16(spectra), doc);
    let bias = b.constant(&name, "BIAS", Data::I16(bias), format!("bias, Q{out_frac}"));
    b.lea_needed = b.lea_needed.max(params.lea_len());
    b.lea_align = b.lea_align.max(2 * block);
    let kind = format!("circulant-fft b={block}");
    let mut step = ctx.step(&kind, Call::Circulant { params, spectra, bias }, out_frac);
    step.params_dense = dense.weight.len() + dense.bias.len();
    step.params_stored = p * q * block + rows;
    Ok(step)
}
