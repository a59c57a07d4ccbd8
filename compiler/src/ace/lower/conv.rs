//! Convolutions: whichever of the dot-product (`conv-mac`), FIR-row (`conv-fir`) and FFT (`conv-fft`)
//! forms the cost model says is cheapest, within the precision each may lose.

use acec_runtime::ops::{self, ConvParams};

use super::super::cost::Lengths;
use super::super::error::LowerError;
use super::super::program::{BufferId, Call, Data, Step};
use super::dense::{DotLayer, quantize_dot_layer};
use super::{Builder, ConvMethod, LayerCtx, conv_fft, conv_fir, modeled};
use crate::graph::Conv;

/// The convolution's shapes over CHW tensors (1-D: height 1), with the fused ReLU; its `patch_stride` and
/// `shift` are zero (they depend on the form it is compiled in).
pub(super) fn geometry(ctx: &LayerCtx, conv: &Conv) -> Result<ConvParams, LowerError> {
    let in_dims = ctx.layer().input_shape.dims();
    let out_dims = ctx.layer().output_shape.dims();
    if in_dims[0] != 1 {
        return Err(ctx.unsupported(format!("batch {}; the code generator compiles batch 1", in_dims[0])));
    }
    let two_d = in_dims.len() == 4;
    let pick =
        |v: &[usize], i2: usize, i1: Option<usize>, one: usize| if two_d { v[i2] } else { i1.map_or(one, |i| v[i]) };
    let kernel = conv.kernel();
    let (kernel_h, kernel_w) = if two_d { (kernel[0], kernel[1]) } else { (1, kernel[0]) };
    Ok(ConvParams {
        in_channels: in_dims[1],
        in_height: pick(in_dims, 2, None, 1),
        in_width: pick(in_dims, 3, Some(2), 1),
        out_channels: conv.out_channels(),
        out_height: pick(out_dims, 2, None, 1),
        out_width: pick(out_dims, 3, Some(2), 1),
        kernel_h,
        kernel_w,
        stride_h: pick(&conv.strides, 0, None, 1),
        stride_w: pick(&conv.strides, 1, Some(0), 1),
        dilation_h: pick(&conv.dilations, 0, None, 1),
        dilation_w: pick(&conv.dilations, 1, Some(0), 1),
        pad_top: pick(&conv.pads, 0, None, 0),
        pad_left: pick(&conv.pads, 1, Some(0), 0),
        patch_stride: 0,
        shift: 0,
        relu: ctx.relu,
    })
}

pub(super) fn lower_conv(b: &mut Builder, ctx: &LayerCtx, conv: &Conv) -> Result<Step, LowerError> {
    let geometry = geometry(ctx, conv)?;
    let (cin, cout) = (geometry.in_channels, geometry.out_channels);
    let (kernel_h, kernel_w) = (geometry.kernel_h, geometry.kernel_w);
    let patch = cin * kernel_h * kernel_w;
    let DotLayer { weights, row_stride: patch_stride, bias, weight_frac, bias_frac, out_frac, shift } =
        quantize_dot_layer(&conv.weight.data, &conv.bias, patch, ctx);
    let params = ConvParams { patch_stride, shift, ..geometry };
    let lea_budget = ctx.options.lea_elements;
    if 2 * patch_stride > lea_budget {
        return Err(ctx.unsupported(format!(
            "its receptive field ({patch} values) and one kernel do not fit the {lea_budget}-element LEA scratch"
        )));
    }
    // As many output channels per pass as fit: each pass re-gathers every patch.
    let per_pass = (lea_budget / patch_stride - 1).min(cout);
    let (mac_lea, mac_acc32) = ((per_pass + 1) * patch_stride, per_pass * params.out_width);
    let name = ctx.layer().name.clone();
    let mac_call = Call::Conv { params, weights: BufferId(0), bias: BufferId(0) };
    let input_len = cin * params.in_height * params.in_width;
    let lengths = Lengths { lea: mac_lea, acc32: mac_acc32, input: input_len };
    let mac_cycles = modeled(&ctx.options.costs, &mac_call, lengths, |acc| {
        let (mut lea, mut acc32) = (vec![0i16; mac_lea], vec![0i32; mac_acc32]);
        let (weights, input) = (vec![0i16; cout * patch_stride], vec![0i16; input_len]);
        let mut output = vec![0i16; cout * params.out_height * params.out_width];
        ops::conv(acc, &params, &weights[..], &vec![0; cout], &input, &mut output, &mut lea, &mut acc32, 0..usize::MAX)
    })
    .unwrap_or(u64::MAX);
    // The other forms round partial results to 16 bits and must be strictly cheaper. FIR rows may lose at
    // most one output bit against the exact 32-bit dot products, or against what the input holds; FFTs
    // two, as their 16-bit products must also hold the negative outputs a fused ReLU drops and the
    // spectra's peaks.
    let fir_frac = (out_frac - 1).min(conv_fir::input_noise_frac(conv, &params, ctx.input_frac));
    let fir = conv_fir::cheapest_fir(ctx, conv, &params, fir_frac).filter(|f| f.cycles < mac_cycles);
    let fft = (ctx.fft && ctx.options.conv == ConvMethod::Cheapest)
        .then(|| conv_fft::cheapest_fft(ctx, conv, &params, out_frac - 2))
        .flatten()
        .filter(|f| f.cycles < fir.as_ref().map_or(mac_cycles, |fir| fir.cycles));
    let params_dense = conv.weight.len() + conv.bias.len();
    if let Some(fft) = fft {
        let p = &fft.params;
        let (pairs, block) = (p.out_channels * p.in_channels, p.block);
        let doc = format!(
            "{pairs} packed spectra of {block}-point kernel blocks (out channel, channel), Q{}",
            fft.spectra_frac
        );
        let spectra = b.constant(&name, "SPECTRA", Data::I16(fft.spectra), doc);
        let bias = b.constant(&name, "BIAS", Data::I16(fft.bias), format!("bias, Q{}", fft.out_frac));
        b.lea_needed = b.lea_needed.max(p.lea_len());
        b.lea_align = b.lea_align.max(2 * block);
        let kind = format!("conv-fft N={block}, bands of {} rows", p.band_rows);
        let mut step = ctx.step(&kind, Call::ConvFft { params: fft.params, spectra, bias }, fft.out_frac);
        step.choice = Some(format!("modeled {} vs {mac_cycles} cycles as conv-mac", fft.cycles));
        step.params_dense = params_dense;
        step.params_stored = pairs * block + p.out_channels;
        return Ok(step);
    }
    if let Some(fir) = fir {
        let taps = fir.params.taps;
        let doc = format!(
            "FIR taps {cin} x {kernel_h} x {cout} x {taps} (channel, ky, out channel, reversed kx), Q{}",
            fir.weight_frac
        );
        let weights = b.constant(&name, "WEIGHTS", Data::I16(fir.weights), doc);
        let bias =
            b.constant(&name, "BIAS", Data::I16(fir.bias), format!("bias, Q{} (with the FIR rounding)", fir.out_frac));
        b.lea_needed = b.lea_needed.max(fir.params.lea_len());
        let p = &fir.params;
        let kind = format!("conv-fir, bands of {} rows x {} channels", p.band_rows, p.channels_per_pass);
        let mut step = ctx.step(&kind, Call::ConvFir { params: fir.params, weights, bias }, fir.out_frac);
        step.choice = Some(format!("modeled {} vs {mac_cycles} cycles as conv-mac", fir.cycles));
        step.params_dense = params_dense;
        step.params_stored = params_dense;
        return Ok(step);
    }
    b.lea_needed = b.lea_needed.max(mac_lea);
    b.acc32_needed = b.acc32_needed.max(mac_acc32);
    let doc = format!("kernels {cout} x {patch_stride} (channel, ky, kx), Q{weight_frac}");
    let weights = b.constant(&name, "WEIGHTS", Data::I16(weights), doc);
    let bias = b.constant(&name, "BIAS", Data::I32(bias), format!("bias, Q{bias_frac} (the dot product's format)"));
    let mut step = ctx.step("conv-mac", Call::Conv { params, weights, bias }, out_frac);
    step.params_dense = conv.weight.len() + conv.bias.len();
    step.params_stored = step.params_dense;
    Ok(step)
}
