//! Puts every MAC layer's weights (convolutions, dense layers left dense) on exactly the Q15 grid that
//! `acec build --calib` will quantize them to, so the build rounds nothing a second time.
//!
//! The grid of a MAC layer depends on more than its own weights: `ace::lower::dot_formats` may take one bit
//! less than the weights' range allows so its 32-bit accumulator cannot overflow, and that depends on the
//! calibrated input and output ranges. So: calibrate the trained graph as the build would (the first
//! `pipeline::CALIBRATION_SAMPLES` samples of the training file), lower it, round each MAC layer to the
//! weight format the lowering picks, and repeat until nothing moves (rounding can nudge a range).
//! Block-circulant layers are left alone: the build quantizes their spectra, not their vectors.

use crate::ace::{self, Call};
use crate::graph::{Graph, Op};
use crate::pipeline::CALIBRATION_SAMPLES;
use crate::rad::calibrate::{self, max_abs};
use crate::rad::quant::{dequantize, frac_bits_for, quantize_i16};
use crate::target::Target;

use super::CompressError;
use super::choice::lower_options;

/// Rounds that reach a fixed point in practice within two; more means the formats oscillate (a bug).
const MAX_ROUNDS: usize = 8;

pub fn snap(graph: &mut Graph, train_x: &[f32], target: &Target) -> Result<(), CompressError> {
    let sample_len = graph.input_shape.elements();
    for _ in 0..MAX_ROUNDS {
        let ranges =
            calibrate::from_samples(graph, train_x.chunks(sample_len).take(CALIBRATION_SAMPLES), String::new());
        let program = ace::lower(graph, &ranges, &lower_options(target))
            .map_err(|e| CompressError::Internal(format!("lowering the trained model: {e}")))?;
        let mut moved = false;
        let mut input_frac = program.input_frac;
        for step in &program.steps {
            if matches!(step.call, Call::Dense { .. } | Call::Conv { .. } | Call::ConvFir { .. } | Call::ConvFft { .. })
            {
                let layer = (0..=step.float_layer)
                    .rev()
                    .find(|&i| matches!(graph.layers[i].op, Op::Dense(_) | Op::Conv(_)))
                    .ok_or_else(|| CompressError::Internal(format!("no weights behind step {}", step.layer)))?;
                let (weight, bias) = match &mut graph.layers[layer].op {
                    Op::Dense(d) => (&mut d.weight.data, &d.bias),
                    Op::Conv(c) => (&mut c.weight.data, &c.bias),
                    _ => unreachable!("found as Dense or Conv above"),
                };
                let output_max = ranges.outputs[step.float_layer];
                // The format the build quantizes these weights to, for the form it compiles them in.
                let frac = match step.call {
                    Call::ConvFir { .. } => {
                        ace::lower::conv_fir::fir_weight_frac(max_abs(weight), max_abs(bias), input_frac, output_max)
                    }
                    // The build transforms these weights in f64: any grid is exact for it; the Q15 grid of
                    // their range keeps the model's weights Q15 values like every other layer's.
                    Call::ConvFft { .. } => frac_bits_for(max_abs(weight)),
                    _ => ace::lower::dot_formats(max_abs(weight), input_frac, output_max).0,
                };
                for w in weight.iter_mut() {
                    let snapped = dequantize(quantize_i16(f64::from(*w), frac), frac) as f32;
                    moved |= snapped != *w;
                    *w = snapped;
                }
            }
            input_frac = step.output_frac;
        }
        if !moved {
            return Ok(());
        }
    }
    Err(CompressError::Internal(format!("the weight formats did not settle in {MAX_ROUNDS} rounds")))
}
