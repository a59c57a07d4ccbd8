//! Convolutions as FFTs on the LEA (`ops::conv_fft`): each (output channel, input channel) kernel becomes
//! an `N`-point circulant block over bands of input rows, its spectrum precomputed here, and the formats
//! come from the layer's spectra on the calibration data, as for circulant dense layers.

use acec_runtime::ops::{self, ConvFftParams, ConvParams};

use super::fft_formats::{FftFormats, FftRanges, packed_product_peak};
use super::{LayerCtx, modeled_within_charge};
use crate::ace::cost::Lengths;
use crate::ace::exec::Staged;
use crate::ace::spectrum::{packed_dft, packed_idft};
use crate::ace::{BufferId, Call};
use crate::graph::Conv;
use crate::rad::calibrate::max_abs;
use crate::rad::quant::quantize_i16;

/// A convolution compiled as FFTs: parameters, constants and formats.
pub struct FftConv {
    pub params: ConvFftParams,
    /// `out_channels x in_channels` packed spectra of `block` values, Q`spectra_frac`.
    pub spectra: Vec<i16>,
    /// Per output channel, in the output format.
    pub bias: Vec<i16>,
    pub spectra_frac: i32,
    pub out_frac: i32,
    /// Modeled cycles.
    pub cycles: u64,
}

/// The cheapest FFT form of `conv` (shapes from its dot-product form `mac`) whose output keeps at least
/// `min_out_frac` fractional bits (exactly the layer context's format cap, when it has one), or `None`
/// when none applies: strides and dilations 1, and a band of at least one output row and every input
/// channel's spectrum fit the LEA.
pub(super) fn cheapest_fft(ctx: &LayerCtx, conv: &Conv, mac: &ConvParams, min_out_frac: i32) -> Option<FftConv> {
    if mac.stride_h != 1 || mac.stride_w != 1 || mac.dilation_h != 1 || mac.dilation_w != 1 {
        return None;
    }
    let plane_width = mac.out_width + mac.kernel_w - 1;
    let options = ctx.options;
    let blocks = (1..usize::BITS).map(|p| 1usize << p).filter(|&n| n >= options.fft_min && n <= options.fft_max);
    blocks
        .filter_map(|block| {
            let band_rows = (block / plane_width).checked_sub(mac.kernel_h - 1)?.min(mac.out_height);
            let params = ConvFftParams {
                in_channels: mac.in_channels,
                in_height: mac.in_height,
                in_width: mac.in_width,
                out_channels: mac.out_channels,
                out_height: mac.out_height,
                out_width: mac.out_width,
                kernel_h: mac.kernel_h,
                pad_top: mac.pad_top,
                pad_left: mac.pad_left,
                plane_width,
                block,
                band_rows,
                input_shift: 0,
                rounding: (mac.in_channels / 2) as i16,
                relu: mac.relu,
            };
            (band_rows > 0 && params.lea_len() <= options.lea_elements).then_some(params)
        })
        .filter_map(|params| compile(ctx, conv, mac, params))
        .filter(|fft| fft.out_frac >= min_out_frac && ctx.out_frac_cap.is_none_or(|cap| fft.out_frac == cap))
        .min_by_key(|fft| fft.cycles)
}

/// Modeled cycles, or `None` when one band needs more than a charge leaves.
fn modeled_cycles(ctx: &LayerCtx, p: &ConvFftParams) -> Option<u64> {
    let call = Call::ConvFft { params: *p, spectra: BufferId(0), bias: BufferId(0) };
    let input_len = p.in_channels * p.in_height * p.in_width;
    let lengths = Lengths { lea: p.lea_len(), acc32: 0, input: input_len };
    modeled_within_charge(ctx.options, &call, lengths, |acc, work, far| {
        let input = vec![0i16; input_len];
        let mut output = vec![0i16; p.out_channels * p.out_height * p.out_width];
        let (mut lea, spectra) = (vec![0i16; p.lea_len()], vec![0i16; p.spectra_len()]);
        let spectra = Staged::new(&spectra, far);
        ops::conv_fft(acc, p, &spectra, &vec![0; p.out_channels], &input, &mut output, &mut lea, work)
    })
}

/// Spectra, formats, bias and modeled cycles (with the input shift the formats decide) of `params` for
/// `conv`, or `None` when one band needs more than a charge leaves.
fn compile(ctx: &LayerCtx, conv: &Conv, mac: &ConvParams, params: ConvFftParams) -> Option<FftConv> {
    let n = params.block;
    let (kh, kw, w) = (mac.kernel_h, mac.kernel_w, params.plane_width);
    // The circulant block whose product with a staged band is the band's correlation with the kernel:
    // y[r] = sum_c v[(r - c) mod N] x[c] and y[p] = sum_k h[k] x[p + k] give v[-k mod N] = h[k], with
    // k = ky * plane_width + kx.
    let spectra: Vec<Vec<f64>> = conv
        .weight
        .data
        .chunks(kh * kw)
        .map(|kernel| {
            let mut v = vec![0f64; n];
            for (index, &h) in kernel.iter().enumerate() {
                let k = (index / kw) * w + index % kw;
                v[(n - k) % n] = f64::from(h);
            }
            packed_dft(&v)
        })
        .collect();
    let spectrum_max = spectra.iter().flatten().fold(0f64, |m, v| m.max(v.abs()));
    let bias_max = max_abs(&conv.bias);
    let mut ranges = FftRanges { spectrum: spectrum_max, ..FftRanges::default() };
    for x in ctx.sample_inputs() {
        ranges.merge(&sample_ranges(&params, &spectra, x));
    }
    if ctx.ranges.samples.is_empty() {
        ranges = FftRanges::static_bound(spectrum_max, ctx.input_max(), ctx.output_max() + bias_max);
    }
    ranges.input = ctx.input_max();
    let FftFormats { input_shift, spectra_frac, out_frac } = ranges.formats(ctx, bias_max, n);
    let params = ConvFftParams { input_shift, ..params };
    Some(FftConv {
        cycles: modeled_cycles(ctx, &params)?,
        params,
        spectra: spectra.iter().flatten().map(|&v| quantize_i16(v, spectra_frac)).collect(),
        bias: conv.bias.iter().map(|&b| quantize_i16(f64::from(b), out_frac)).collect(),
        spectra_frac,
        out_frac,
    })
}

/// The peaks one input sample `x` (CHW) reaches in every band: input spectra, products, accumulated
/// spectra and the outputs, those the band drops included (the inverse FFT computes them all).
fn sample_ranges(p: &ConvFftParams, spectra: &[Vec<f64>], x: &[f32]) -> FftRanges {
    let (n, cin) = (p.block, p.in_channels);
    let half = (n / 2) as f64;
    let mut ranges = FftRanges::default();
    for oy in (0..p.out_height).step_by(p.band_rows) {
        let rows = p.band_rows.min(p.out_height - oy);
        let bands: Vec<Vec<f64>> = (0..cin)
            .map(|c| {
                let mut band = vec![0f64; n];
                for j in 0..rows + p.kernel_h - 1 {
                    let iy = (oy + j) as isize - p.pad_top as isize;
                    if iy < 0 || iy >= p.in_height as isize {
                        continue;
                    }
                    let row = &x[(c * p.in_height + iy as usize) * p.in_width..][..p.in_width];
                    for (ix, &v) in row.iter().enumerate() {
                        band[j * p.plane_width + p.pad_left + ix] = f64::from(v);
                    }
                }
                packed_dft(&band).iter().map(|s| s / half).collect()
            })
            .collect();
        ranges.input_spectrum = bands.iter().flatten().fold(ranges.input_spectrum, |m, s| m.max(s.abs()));
        for kernels in spectra.chunks(cin) {
            let mut sum = vec![0f64; n];
            for (v, band) in kernels.iter().zip(&bands) {
                ranges.product = ranges.product.max(packed_product_peak(v, band));
                for (s, t) in sum.iter_mut().zip(packed_product(v, band)) {
                    *s += t;
                }
            }
            ranges.accumulated = sum.iter().fold(ranges.accumulated, |m, s| m.max(s.abs()));
            ranges.output = packed_idft(&sum).iter().fold(ranges.output, |m, y| m.max((y * half).abs()));
        }
    }
    ranges
}

/// The packed product `a * b`: pair 0 component-wise, the other pairs complex.
fn packed_product(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut out = vec![a[0] * b[0], a[1] * b[1]];
    for k in (2..a.len()).step_by(2) {
        out.push(a[k] * b[k] - a[k + 1] * b[k + 1]);
        out.push(a[k] * b[k + 1] + a[k + 1] * b[k]);
    }
    out
}
