//! The choice between the two convolution forms: one LEA dot product per output pixel (`ops::conv`) or LEA
//! FIR filters along output rows (`ops::conv_fir`). Both are run once on zeros through the target's cost
//! table (costs depend on shapes, not data) and the cheaper one is compiled; on a tie, or when the FIR form
//! would lose more than one bit of output precision, the exact 32-bit dot products win.

use acec_runtime::ops::{self, ConvFirParams, ConvParams};
use acec_runtime::{CostTable, KernelError, Metered, SoftBackend};

use super::LayerCtx;
use crate::graph::Conv;
use crate::rad::calibrate::max_abs;
use crate::rad::quant::{frac_bits_for, quantize_i16};

/// A convolution compiled as FIR rows: parameters, constants and formats.
pub struct FirConv {
    pub params: ConvFirParams,
    /// `in_channels x kernel_h x out_channels x taps`, kernel rows reversed.
    pub weights: Vec<i16>,
    /// Per output channel, in the output format, with the mean FIR truncation folded in.
    pub bias: Vec<i16>,
    pub weight_frac: i32,
    pub out_frac: i32,
    /// Modeled cycles of each form, for the report.
    pub fir_cycles: u64,
    pub mac_cycles: u64,
}

/// The weights' format in the FIR form. Every FIR result lands in the output format Q(w + x - 15): the
/// weights take the format that gives the output (with its bias) its finest format, unless they are too
/// large for it.
pub fn fir_weight_frac(weight_max: f64, bias_max: f64, input_frac: i32, output_max: f64) -> i32 {
    frac_bits_for(weight_max).min(frac_bits_for(output_max + bias_max) + 15 - input_frac)
}

/// Cycles of one call under `table`, on zero operands.
fn modeled<F>(table: &CostTable, run: F) -> Option<u64>
where
    F: FnOnce(&mut Metered<SoftBackend>) -> Result<(), KernelError>,
{
    let mut metered = Metered::new(SoftBackend, table);
    run(&mut metered).ok()?;
    Some(metered.take_meter().total.cycles)
}

/// The FIR form of `conv` when it applies (width stride and dilation 1, the scratch fits the LEA) and the
/// cost table says it is cheaper than the dot-product form `mac` (which needs `mac_lea` and `mac_acc32`
/// elements of scratch) at nearly the same precision (`mac_out_frac`).
pub(super) fn cheaper_fir(
    ctx: &LayerCtx,
    conv: &Conv,
    mac: &ConvParams,
    mac_lea: usize,
    mac_acc32: usize,
    mac_out_frac: i32,
) -> Option<FirConv> {
    if mac.stride_w != 1 || mac.dilation_w != 1 {
        return None;
    }
    let (cin, cout, kh, kw) = (mac.in_channels, mac.out_channels, mac.kernel_h, mac.kernel_w);
    let params = ConvFirParams {
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
        relu: mac.relu,
    };
    if params.lea_len() > ctx.options.lea_elements {
        return None;
    }
    let weight_frac =
        fir_weight_frac(max_abs(&conv.weight.data), max_abs(&conv.bias), ctx.input_frac, ctx.output_max());
    let out_frac = weight_frac + ctx.input_frac - 15;
    if out_frac < mac_out_frac - 1 {
        return None;
    }
    let table = &ctx.options.costs;
    let input = vec![0i16; cin * mac.in_height * mac.in_width];
    let mut output = vec![0i16; cout * mac.out_height * mac.out_width];
    let fir_cycles = modeled(table, |acc| {
        let mut lea = vec![0i16; params.lea_len()];
        let weights = vec![0i16; params.weights_len()];
        ops::conv_fir(acc, &params, &weights[..], &vec![0; cout], &input, &mut output, &mut lea, 0..usize::MAX)
    })?;
    let mac_cycles = modeled(table, |acc| {
        let (mut lea, mut acc32) = (vec![0i16; mac_lea], vec![0i32; mac_acc32]);
        let weights = vec![0i16; cout * mac.patch_stride];
        ops::conv(acc, mac, &weights[..], &vec![0; cout], &input, &mut output, &mut lea, &mut acc32, 0..usize::MAX)
    })?;
    if fir_cycles >= mac_cycles {
        return None;
    }
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
    Some(FirConv { params, weights, bias, weight_frac, out_frac, fir_cycles, mac_cycles })
}
