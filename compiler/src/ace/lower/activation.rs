//! Element-wise activations other than ReLU (which has its own kernel and fuses into the layer before
//! it): Tanh, Sigmoid, HardSigmoid, HardSwish, LeakyRelu, Clip. Each becomes one table of its function,
//! read by the runtime's `lookup` kernel with linear interpolation.
//!
//! The table is chosen, not assumed: for each spacing from the widest down, an entry at every knot of the
//! function (where its slope jumps, so straight pieces interpolate exactly), entries across the inputs
//! where the function still changes, and the kernel's output on every one of the 65,536 inputs compared
//! with the function in f64, saturated to the output format. The first (smallest) table within
//! [`MAX_ERROR_LSB`] is taken.

use acec_runtime::LookupShape;
use acec_runtime::kernels::lookup::lookup;
use acec_runtime::ops::LookupParams;

use super::super::error::LowerError;
use super::super::program::{Call, Data, Step};
use super::{Builder, LayerCtx};
use crate::graph::Activation;
use crate::rad::quant::frac_bits_for;

/// The largest error a table may have against the f64 function, in output LSB, on any input. The kernel
/// rounds once (half an LSB) and each entry is rounded (half an LSB), so this leaves half an LSB for the
/// curvature between entries; acec's promise is 2 LSB.
pub const MAX_ERROR_LSB: f64 = 1.5;

/// The most entries a table may have (4 KB of FRAM): Tanh and Sigmoid need 400 to 800 at common formats.
pub const MAX_ENTRIES: usize = 2049;

/// A chosen table and how close it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub shape: LookupShape,
    pub values: Vec<i16>,
    /// Its largest error against the f64 function over every input, output LSB.
    pub max_error_lsb: f64,
}

/// Every raw `i16` input.
fn all_inputs() -> Vec<i16> {
    (i16::MIN..=i16::MAX).collect()
}

/// The smallest table for `activation` from Q`in_frac` to Q`out_frac` within [`MAX_ERROR_LSB`], or the
/// error of the best table of at most [`MAX_ENTRIES`] entries.
pub fn table_for(activation: &Activation, in_frac: i32, out_frac: i32) -> Result<Table, f64> {
    let (to_real, to_out) = (2f64.powi(-in_frac), 2f64.powi(out_frac));
    let exact = |code: i64| activation.apply(code as f64 * to_real) * to_out;
    let inputs = all_inputs();
    // What every input should give: the function, saturated to the output format.
    let target: Vec<f64> = inputs.iter().map(|&x| exact(x.into()).clamp(-32768.0, 32767.0)).collect();
    // The inputs where the function still changes: outside them one entry (the first or the last) serves.
    let changes = |a: f64, b: f64| (a - b).abs() > 0.25;
    let first = target.iter().position(|&t| changes(t, target[0])).unwrap_or(0);
    let last = target.iter().rposition(|&t| changes(t, target[target.len() - 1])).unwrap_or(0);
    let (active_lo, active_hi) = (first.saturating_sub(1) as i64 - 32768, (last + 1).min(65535) as i64 - 32768);
    let knots: Vec<i64> = activation
        .knots()
        .iter()
        .map(|k| k / to_real)
        .filter(|k| k.fract() == 0.0 && (-32768.0..=32767.0).contains(k))
        .map(|k| k as i64)
        .collect();
    let mut best = f64::INFINITY;
    for step_log2 in (0..=15u8).rev() {
        let spacing = 1i64 << step_log2;
        // The last input at or below the active range that lies on `anchor`'s grid.
        let aligned = |anchor: i64| (active_lo - (active_lo - anchor).rem_euclid(spacing)).max(-32768);
        let mut bases = vec![active_lo, -32768];
        bases.extend(knots.iter().map(|&k| aligned(k)));
        // The highest start first: the fewest entries.
        bases.sort_unstable_by(|a, b| b.cmp(a));
        bases.dedup();
        let mut fitting = false;
        for base in bases {
            let entries = ((active_hi - base).max(0) + spacing - 1) / spacing + 1;
            if entries as usize > MAX_ENTRIES {
                continue;
            }
            fitting = true;
            let values: Vec<i16> =
                (0..entries).map(|k| exact(base + k * spacing).round().clamp(-32768.0, 32767.0) as i16).collect();
            // The kernel takes steps between entries of at most 32,767 either way.
            if values.windows(2).any(|w| (i32::from(w[1]) - i32::from(w[0])).abs() > 32767) {
                continue;
            }
            let shape = LookupShape { base: base as i16, step_log2 };
            let mut out = vec![0; inputs.len()];
            lookup(&inputs, &values, shape, &mut out).expect("a non-empty table and equal lengths");
            let error = out.iter().zip(&target).fold(0f64, |m, (&y, &t)| m.max((f64::from(y) - t).abs()));
            if error <= MAX_ERROR_LSB {
                return Ok(Table { shape, values, max_error_lsb: error });
            }
            best = best.min(error);
        }
        if !fitting {
            break;
        }
    }
    Err(best)
}

/// The layer as one `lookup` step, output in the format its calibrated range needs.
pub(super) fn lower_activation(b: &mut Builder, ctx: &LayerCtx, activation: &Activation) -> Result<Step, LowerError> {
    let out_frac = frac_bits_for(ctx.output_max());
    let kind = format!("lookup {}", activation.onnx_op().to_lowercase());
    lookup_step(b, ctx, activation, out_frac, ctx.layer().output_shape.elements(), &kind)
}

/// A `lookup` step of `len` elements through `activation`'s table from the layer's input format to
/// Q`out_frac` (the table shared with any earlier one of the same values).
pub(super) fn lookup_step(
    b: &mut Builder,
    ctx: &LayerCtx,
    activation: &Activation,
    out_frac: i32,
    len: usize,
    kind: &str,
) -> Result<Step, LowerError> {
    let table = table_for(activation, ctx.input_frac, out_frac).map_err(|error| {
        ctx.unsupported(format!(
            "no lookup table of at most {MAX_ENTRIES} entries computes {} within {MAX_ERROR_LSB} LSB from Q{} to \
             Q{out_frac} (the best is {error:.1} LSB off)",
            activation.onnx_op(),
            ctx.input_frac
        ))
    })?;
    let doc = format!(
        "{} table, {} entries from Q{} input {} every 2^{}, Q{out_frac} out; at most {:.2} LSB from f64 on every input",
        activation.onnx_op(),
        table.values.len(),
        ctx.input_frac,
        table.shape.base,
        table.shape.step_log2,
        table.max_error_lsb
    );
    let params = LookupParams { len, entries: table.values.len(), shape: table.shape };
    let table = b.shared_constant(&ctx.layer().name, "TABLE", Data::I16(table.values), doc);
    Ok(ctx.step(kind, Call::Lookup { params, table }, out_frac))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every activation, at the formats a layer gives it, within 2 LSB of f64 on every input (acec's
    /// promise), checked here independently of the search's own threshold.
    #[test]
    fn every_activation_is_within_two_lsb_of_f64_on_every_input() {
        let activations = [
            (Activation::Tanh, 15),
            (Activation::Sigmoid, 15),
            (Activation::HardSigmoid { alpha: 0.2, beta: 0.5 }, 15),
            (Activation::HardSigmoid { alpha: 1.0 / 6.0, beta: 0.5 }, 14),
            (Activation::HardSwish, 0),
            (Activation::LeakyRelu { alpha: 0.1 }, 0),
            (Activation::Clip { min: 0.0, max: 6.0 }, 0),
            (Activation::Clip { min: -1.0, max: 1.0 }, 14),
        ];
        let inputs = all_inputs();
        for (activation, out) in &activations {
            for in_frac in [8, 10, 12, 14] {
                // 0: the input's own format (the functions that pass large inputs through).
                let out_frac = if *out == 0 { in_frac } else { *out };
                let table = table_for(activation, in_frac, out_frac)
                    .unwrap_or_else(|e| panic!("{activation:?} Q{in_frac} -> Q{out_frac}: best {e} LSB"));
                let mut y = vec![0; inputs.len()];
                lookup(&inputs, &table.values, table.shape, &mut y).unwrap();
                for (&x, &y) in inputs.iter().zip(&y) {
                    let f = activation.apply(f64::from(x) * 2f64.powi(-in_frac)) * 2f64.powi(out_frac);
                    let error = (f64::from(y) - f.clamp(-32768.0, 32767.0)).abs();
                    assert!(error <= 2.0, "{activation:?} Q{in_frac} -> Q{out_frac} at {x}: {y} vs {f} ({error} LSB)");
                }
            }
        }
    }

    /// A piecewise-linear function with its knots on the grid is exact up to rounding, in a few entries.
    #[test]
    fn straight_pieces_need_few_entries() {
        let relu6 = table_for(&Activation::Clip { min: 0.0, max: 6.0 }, 12, 12).unwrap();
        assert!(relu6.values.len() <= 5, "{relu6:?}");
        assert!(relu6.max_error_lsb <= 0.5, "{relu6:?}");
        let tanh = table_for(&Activation::Tanh, 12, 15).unwrap();
        assert!(tanh.values.len() > 100, "{} entries: a curve needs many", tanh.values.len());
    }

    /// A format too coarse for the curve is refused with the best error, not compiled wrong.
    #[test]
    fn a_curve_no_table_can_follow_is_refused_with_its_error() {
        // Sigmoid's tail below -6 at Q8 in, Q24 out: 31,000 inputs of curve, which 2,049 entries cannot follow.
        let error = table_for(&Activation::Sigmoid, 8, 24).unwrap_err();
        assert!(error > MAX_ERROR_LSB, "{error}");
    }
}
