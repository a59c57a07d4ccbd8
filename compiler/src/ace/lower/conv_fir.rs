//! Convolutions as LEA FIR filters over bands of output rows (`ops::conv_fir`), with the band height and
//! the output channels per pass as free parameters: candidates run once on zeros through the target's cost
//! table (costs depend on shapes, not data) and the cheapest is the FIR form `lower_conv` weighs against
//! the others.

use acec_runtime::ops::{self, ConvFirParams, ConvParams};

use super::{LayerCtx, modeled_within_charge};
use crate::ace::cost::Lengths;
use crate::ace::exec::Staged;
use crate::ace::{BufferId, Call};
use crate::graph::Conv;
use crate::rad::calibrate::max_abs;
use crate::rad::quant::{frac_bits_for, quantize_i16};

/// Which convolution forms a build may use: acec's, or those of the systems `acec report` compares with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConvMethod {
    /// FFTs, dot products, or FIR bands of any height and pass size, whichever the cost table says is
    /// cheapest.
    #[default]
    Cheapest,
    /// As `Cheapest` without FFTs, whose kernel spectra take more memory than the kernels.
    Direct,
    /// TAILS-style: one FIR per output row for all output channels at once, or dot products where those
    /// are cheaper (the `dense_lea` baseline).
    FirRows,
    /// One dot product per output pixel, as the published circulant code does (the `paper_ace` baseline).
    DotProducts,
}

/// A convolution compiled as FIR bands: parameters, constants and formats.
pub struct FirConv {
    pub params: ConvFirParams,
    /// `in_channels x kernel_h x out_channels x taps`, kernel rows reversed.
    pub weights: Vec<i16>,
    /// Per output channel, in the output format, with the mean FIR truncation folded in.
    pub bias: Vec<i16>,
    pub weight_frac: i32,
    pub out_frac: i32,
    /// Modeled cycles.
    pub cycles: u64,
}

/// The weights' format in the FIR form. Every FIR result lands in the output format Q(w + x - 15): the
/// weights take the format that gives the output (with its bias) its finest format, unless they are too
/// large for it.
pub fn fir_weight_frac(weight_max: f64, bias_max: f64, input_frac: i32, output_max: f64) -> i32 {
    frac_bits_for(weight_max).min(frac_bits_for(output_max + bias_max) + 15 - input_frac)
}

/// The coarsest output format at which the FIR form's rounding at most doubles the noise that the
/// input's own rounding carries into the output: one bit lost against what the input holds (the dot
/// products' exact 32-bit sums add next to nothing to that noise). Each of the `cin * kh` FIR results
/// floors, an error of one output LSB / sqrt(12) each (the bias takes its mean); the input's rounding,
/// one input LSB / sqrt(12), reaches an output through its kernel, scaled by the kernel's L2 norm (the
/// smallest over the output channels). A fine input gives a fine bound and the one-bit rule against the
/// dot products decides; after a coarse layer (a block-circulant product's output keeps log2(b/2) bits
/// less, as its inverse FFT halves at every stage: `fft_formats`) this one does.
pub(super) fn input_noise_frac(conv: &Conv, mac: &ConvParams, input_frac: i32) -> i32 {
    let per_output = conv.weight.len() / conv.out_channels().max(1);
    let norm = conv
        .weight
        .data
        .chunks(per_output.max(1))
        .map(|kernel| kernel.iter().map(|&w| f64::from(w).powi(2)).sum::<f64>().sqrt())
        .fold(f64::INFINITY, f64::min);
    let results = (mac.in_channels * mac.kernel_h) as f64;
    // FIR noise 2^-f sqrt(results / 12) at most sqrt(3) times the input's 2^-input_frac norm / sqrt(12):
    // the total, sqrt(1 + 3) times the input's, doubles it.
    let bound = f64::from(input_frac) + ((results / 3.0).sqrt() / norm).log2();
    if bound.is_finite() { bound.ceil() as i32 } else { i32::MAX }
}

/// The cheapest FIR form of `conv` (shapes from its dot-product form `mac`) that the build's [`ConvMethod`]
/// allows, when it applies (width stride and dilation 1, the scratch fits the LEA) and keeps at least
/// `min_out_frac` fractional bits. Under the layer context's format cap, its weights take a format coarse
/// enough for the output to have exactly the cap's, or there is no FIR form.
pub(super) fn cheapest_fir(ctx: &LayerCtx, conv: &Conv, mac: &ConvParams, min_out_frac: i32) -> Option<FirConv> {
    if mac.stride_w != 1 || mac.dilation_w != 1 {
        return None;
    }
    let (cin, cout, kh, kw) = (mac.in_channels, mac.out_channels, mac.kernel_h, mac.kernel_w);
    let plain = ConvFirParams {
        in_channels: cin,
        in_height: mac.in_height,
        in_width: mac.in_width,
        out_channels: cout,
        out_height: mac.out_height,
        out_width: mac.out_width,
        kernel_h: kh,
        stride_h: mac.stride_h,
        dilation_h: mac.dilation_h,
        pad_top: mac.pad_top,
        pad_left: mac.pad_left,
        taps: kw.div_ceil(2) * 2,
        row_len: mac.out_width.div_ceil(2) * 2,
        plane_width: (mac.out_width + kw - 1).max(mac.pad_left + mac.in_width).div_ceil(2) * 2,
        band_rows: 1,
        channels_per_pass: cout,
        relu: mac.relu,
    };
    let natural = fir_weight_frac(max_abs(&conv.weight.data), max_abs(&conv.bias), ctx.input_frac, ctx.output_max());
    let weight_frac = ctx.out_frac_cap.map_or(natural, |cap| natural.min(cap + 15 - ctx.input_frac));
    let out_frac = weight_frac + ctx.input_frac - 15;
    if out_frac < min_out_frac || ctx.out_frac_cap.is_some_and(|cap| out_frac != cap) {
        return None;
    }
    let input = vec![0i16; cin * mac.in_height * mac.in_width];
    let fir_cost = |params: &ConvFirParams| {
        let call = Call::ConvFir { params: *params, weights: BufferId(0), bias: BufferId(0) };
        let lengths = Lengths { lea: params.lea_len(), acc32: 0, input: input.len() };
        modeled_within_charge(ctx.options, &call, lengths, |acc, work, far| {
            let mut output = vec![0i16; cout * mac.out_height * mac.out_width];
            let (mut lea, weights) = (vec![0i16; params.lea_len()], vec![0i16; params.weights_len()]);
            let weights = Staged::new(&weights, far);
            ops::conv_fir(acc, params, &weights, &vec![0; cout], &input, &mut output, &mut lea, work)
        })
        .map(|cycles| (cycles, *params))
    };
    let budget = ctx.options.lea_elements;
    let (cycles, params) = match ctx.options.conv {
        ConvMethod::DotProducts => return None,
        ConvMethod::FirRows => Some(plain).filter(|p| p.lea_len() <= budget).and_then(|p| fir_cost(&p)),
        ConvMethod::Cheapest | ConvMethod::Direct => {
            band_candidates(&plain, budget).iter().filter_map(fir_cost).min_by_key(|c| c.0)
        }
    }?;
    let mut weights = vec![0i16; params.weights_len()];
    for (index, &w) in conv.weight.data.iter().enumerate() {
        let (kx, rest) = (index % kw, index / kw);
        let (ky, rest) = (rest % kh, rest / kh);
        let (c, oc) = (rest % cin, rest / cin);
        weights[((c * kh + ky) * cout + oc) * params.taps + (params.taps - 1 - kx)] =
            quantize_i16(f64::from(w), weight_frac);
    }
    // Each FIR result floors: half an LSB low on average, for each of the cin * kh results summed.
    let rounding = ((cin * kh) / 2) as f64 / f64::from(out_frac).exp2();
    let bias = conv.bias.iter().map(|&b| quantize_i16(f64::from(b) + rounding, out_frac)).collect();
    Some(FirConv { params, weights, bias, weight_frac, out_frac, cycles })
}

/// For each number of passes over the input, the tallest band that fits `budget` LEA elements with that
/// pass size (fewer passes restage the input less, taller bands make fewer and longer accelerator calls).
fn band_candidates(plain: &ConvFirParams, budget: usize) -> Vec<ConvFirParams> {
    let tallest = if plain.stride_h == 1 { plain.out_height } else { 1 };
    let mut sizes: Vec<usize> = (1..=plain.out_channels).map(|passes| plain.out_channels.div_ceil(passes)).collect();
    sizes.dedup();
    sizes
        .into_iter()
        .filter_map(|channels_per_pass| {
            let with = |band_rows| ConvFirParams { band_rows, channels_per_pass, ..*plain };
            (1..=tallest).rev().map(with).find(|p| p.lea_len() <= budget)
        })
        .collect()
}
