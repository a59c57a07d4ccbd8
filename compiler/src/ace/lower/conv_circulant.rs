//! Block-circulant convolutions (`circulant-conv b=N`, CirCNN's form): the weight read as the
//! `out x (positions * in)` matrix of [`MatrixView`] (channels padded to whole blocks) is block-circulant,
//! and every output pixel is that matrix's product with its receptive field, by FFT -> complex
//! multiply-accumulate -> inverse FFT on the accelerator (`acec_runtime::ops::circulant_conv`). The layer
//! stores its defining vectors' spectra, `1/b` of the padded matrix.

use acec_runtime::ops::{CirculantConvParams, CirculantParams, ConvParams};

use super::super::error::LowerError;
use super::super::program::{Call, Data, Step};
use super::circulant::{QuantizedCirculant, quantize_circulant};
use super::{BlockRequest, Builder, CirculantMethod, LayerCtx, LowerOptions, conv};
use crate::graph::{Conv, Shape};
use crate::rad::circulant_view::MatrixView;

/// The block this convolution is compiled at in circulant form, or `None` for the dense forms: a block
/// `--block LAYER=N` names, `--block N` when the accelerator can run the layer at `N`, or else the largest
/// at which its weights are exactly block-circulant (and the accelerator can run it). The published
/// method (`CirculantMethod::Paper`) keeps convolutions dense.
pub(super) fn circulant_block(ctx: &LayerCtx, conv: &Conv) -> Result<Option<usize>, LowerError> {
    if conv.group != 1 || ctx.options.circulant == CirculantMethod::Paper {
        return Ok(None);
    }
    let view = MatrixView::of_shape(conv.weight.shape.dims());
    let fits = |b: usize| conv_block_fits(conv, &ctx.layer().input_shape, b, ctx.options);
    let requested = match &ctx.options.blocks {
        BlockRequest::Never => return Ok(None),
        BlockRequest::Detect => None,
        BlockRequest::All(block) => Some(*block).filter(|&b| fits(b)),
        BlockRequest::PerLayer(list) => list.iter().find(|(n, _)| *n == ctx.layer().name).map(|(_, b)| *b),
    };
    let detected = || {
        let blocks = (ctx.options.fft_min..=ctx.options.fft_max).filter(|b| b.is_power_of_two());
        blocks.rev().filter(|&b| fits(b)).find(|&b| view.is_circulant_at(&conv.weight.data, b))
    };
    let Some(block) = requested.or_else(detected) else { return Ok(None) };
    match (requested.is_some(), fits(block)) {
        (_, true) => Ok(Some(block)),
        (false, false) => Ok(None),
        (true, false) => Err(ctx.unsupported(format!(
            "block {block} does not work for its {} x {} channel matrix: the block must be a power of two in \
             {}..={} that at least halves the weights once the channels are padded to whole blocks ({} of them \
             at this block, against {} weights), with the spectra of {} input rows and of a receptive field plus \
             three working blocks in the {} LEA elements",
            view.rows,
            view.channels,
            ctx.options.fft_min,
            ctx.options.fft_max,
            view.stored(block),
            view.rows * view.cols(),
            kernel_h(conv),
            ctx.options.lea_elements
        ))),
    }
}

/// Whether a plain convolution over inputs of `input_shape` can run as `block`-point circulant products
/// per pixel: a power of two in the FFT range that at least halves the weights with the channels padded to
/// whole blocks, with the LEA scratch holding what `acec_runtime::ops::circulant_conv` keeps there: the
/// spectra of `kernel_h` padded input rows, one input row before padding (when padded), one receptive
/// field and three working blocks.
pub fn conv_block_fits(conv: &Conv, input_shape: &Shape, block: usize, options: &LowerOptions) -> bool {
    let view = MatrixView::of_shape(conv.weight.shape.dims());
    let fits_fft = (options.fft_min..=options.fft_max).contains(&block) && block.is_power_of_two();
    fits_fft
        && conv.group == 1
        && view.compresses(block)
        && conv_row_scratch(conv, input_shape, block) + view.padded_cols(block) + 3 * block <= options.lea_elements
}

/// LEA scratch for the input rows: the spectra of `kernel_h` padded rows, and one row before padding when
/// the channels are padded, in whole blocks (`CirculantConvParams::band_len` and `staging_len`).
fn conv_row_scratch(conv: &Conv, input_shape: &Shape, block: usize) -> usize {
    let view = MatrixView::of_shape(conv.weight.shape.dims());
    let in_width = input_shape.dims().last().copied().unwrap_or(1);
    let padded = view.padded_channels(block);
    let staging = if padded == view.channels { 0 } else { (in_width * view.channels).next_multiple_of(block) };
    kernel_h(conv) * in_width * padded + staging
}

/// Kernel rows: the first of two spatial axes, 1 for a 1-D convolution.
fn kernel_h(conv: &Conv) -> usize {
    let kernel = conv.kernel();
    if kernel.len() == 2 { kernel[0] } else { 1 }
}

pub(super) fn lower_circulant_conv(
    b: &mut Builder,
    ctx: &LayerCtx,
    conv: &Conv,
    block: usize,
) -> Result<Step, LowerError> {
    let g = conv::geometry(ctx, conv)?;
    let view = MatrixView::of_shape(conv.weight.shape.dims());
    let (rows, cols, padded) = (view.padded_rows(block), view.padded_cols(block), view.padded_channels(block));
    let fields = ctx.sample_inputs().flat_map(|x| {
        (0..g.out_height).flat_map(move |oy| (0..g.out_width).map(move |ox| receptive_field(&g, padded, x, oy, ox)))
    });
    // The padded matrix: its padded rows are dropped and its padded columns meet zeros, so whatever the
    // defining vectors put there changes nothing.
    let matrix = view.expand_padded(&view.project(&conv.weight.data, block), block);
    // The row chunk gets what the input rows' spectra leave of the LEA scratch.
    let rows_scratch = conv_row_scratch(conv, &ctx.layer().input_shape, block);
    let budget = ctx.options.lea_elements.saturating_sub(rows_scratch);
    let QuantizedCirculant { spectra, spectra_frac, bias, out_frac, params } =
        quantize_circulant(ctx, &matrix, (rows, cols), block, &conv.bias, fields, budget);
    let params = CirculantParams { outputs: view.rows, ..params };
    let (p, q) = (params.block_rows, params.block_cols);
    let params = CirculantConvParams {
        in_channels: g.in_channels,
        padded_channels: padded,
        in_height: g.in_height,
        in_width: g.in_width,
        out_height: g.out_height,
        out_width: g.out_width,
        kernel_h: g.kernel_h,
        kernel_w: g.kernel_w,
        stride_h: g.stride_h,
        stride_w: g.stride_w,
        dilation_h: g.dilation_h,
        dilation_w: g.dilation_w,
        pad_top: g.pad_top,
        pad_left: g.pad_left,
        circulant: params,
    };

    let name = ctx.layer().name.clone();
    let doc = format!(
        "{p} x {q} packed spectra of {block}-point circulant blocks (out channels x kernel position, in channel), \
         Q{spectra_frac}"
    );
    let spectra = b.constant(&name, "SPECTRA", Data::I16(spectra), doc);
    let bias = b.constant(&name, "BIAS", Data::I16(bias), format!("bias, Q{out_frac}"));
    b.lea_needed = b.lea_needed.max(params.lea_len());
    b.lea_align = b.lea_align.max(2 * block);
    let kind = format!("circulant-conv b={block}");
    let mut step = ctx.step(&kind, Call::CirculantConv { params, spectra, bias }, out_frac);
    step.params_dense = conv.weight.len() + conv.bias.len();
    step.params_stored = p * q * block + view.rows;
    Ok(step)
}

/// The float receptive field of output pixel `(oy, ox)` of the CHW input `x`, in (ky, kx, channel) order,
/// `padded` values per kernel position, with zeros in the padding: the vector the op transforms.
fn receptive_field(p: &ConvParams, padded: usize, x: &[f32], oy: usize, ox: usize) -> Vec<f32> {
    let mut field = vec![0.0; p.kernel_h * p.kernel_w * padded];
    let plane = p.in_height * p.in_width;
    for ky in 0..p.kernel_h {
        let iy = (oy * p.stride_h + ky * p.dilation_h) as isize - p.pad_top as isize;
        for kx in 0..p.kernel_w {
            let ix = (ox * p.stride_w + kx * p.dilation_w) as isize - p.pad_left as isize;
            if iy < 0 || ix < 0 || iy as usize >= p.in_height || ix as usize >= p.in_width {
                continue;
            }
            let first = (ky * p.kernel_w + kx) * padded;
            for channel in 0..p.in_channels {
                field[first + channel] = x[channel * plane + iy as usize * p.in_width + ix as usize];
            }
        }
    }
    field
}
