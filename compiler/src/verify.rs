//! Compiled vs float: run the accelerator program on the host (soft backend, bit-exact with the device)
//! and a float reference on the same samples, and compare.

use serde::Serialize;

use crate::ace::{Program, exec::Machine};
use crate::dataset::Dataset;
use crate::rad::quant::{dequantize, quantize_i16};
use acec_runtime::{KernelError, SoftBackend};

/// Agreement between the compiled program and the float model over a data set.
#[derive(Clone, Debug, Serialize)]
pub struct Agreement {
    pub samples: usize,
    /// Top-1 accuracy of the float model against the labels (`None` without labels).
    pub float_accuracy: Option<f64>,
    pub compiled_accuracy: Option<f64>,
    /// Fraction of samples where both pick the same class.
    pub agreement: f64,
    /// Largest |compiled logit - float logit| over all samples and outputs.
    pub max_abs_error: f64,
}

/// Quantizes a float input to the program's input format.
pub fn quantize_input(program: &Program, x: &[f32]) -> Vec<i16> {
    x.iter().map(|&v| quantize_i16(f64::from(v), program.input_frac)).collect()
}

/// The float value of a quantized output.
pub fn dequantize_output(program: &Program, q: &[i16]) -> Vec<f32> {
    q.iter().map(|&v| dequantize(v, program.output_frac) as f32).collect()
}

/// Runs one sample through the compiled program on the host.
pub fn run_compiled(program: &Program, x: &[f32]) -> Result<Vec<i16>, KernelError> {
    let mut machine = Machine::new(program);
    machine.infer(&mut SoftBackend, &quantize_input(program, x))
}

pub fn argmax(values: &[f32]) -> usize {
    values.iter().enumerate().fold(0, |best, (i, &v)| if v > values[best] { i } else { best })
}

/// Compares compiled and float outputs on every sample; `float` computes the reference logits.
pub fn compare(
    program: &Program,
    data: &Dataset,
    mut float: impl FnMut(&[f32]) -> Vec<f32>,
) -> Result<Agreement, KernelError> {
    compare_split(program, data, |x| {
        let logits = float(x);
        (logits.clone(), logits)
    })
}

/// As [`compare`], with separate references for the top-1 class and for the logit error (when the program
/// leaves out a final softmax, the class comes from the model's output and the error from the logits
/// before it). `float` returns `(reference for top-1, reference logits)`.
pub fn compare_split(
    program: &Program,
    data: &Dataset,
    mut float: impl FnMut(&[f32]) -> (Vec<f32>, Vec<f32>),
) -> Result<Agreement, KernelError> {
    let (mut agree, mut float_right, mut compiled_right, mut max_abs_error) = (0usize, 0usize, 0usize, 0f64);
    for i in 0..data.len() {
        let x = data.sample(i);
        let (top1_reference, logits) = float(x);
        let compiled = dequantize_output(program, &run_compiled(program, x)?);
        for (a, b) in logits.iter().zip(&compiled) {
            max_abs_error = max_abs_error.max(f64::from((a - b).abs()));
        }
        let (f, c) = (argmax(&top1_reference), argmax(&compiled));
        agree += usize::from(f == c);
        if let Some(labels) = &data.y {
            float_right += usize::from(f as i64 == labels[i]);
            compiled_right += usize::from(c as i64 == labels[i]);
        }
    }
    let n = data.len().max(1) as f64;
    let labelled = data.y.is_some();
    Ok(Agreement {
        samples: data.len(),
        float_accuracy: labelled.then(|| float_right as f64 / n),
        compiled_accuracy: labelled.then(|| compiled_right as f64 / n),
        agreement: agree as f64 / n,
        max_abs_error,
    })
}

/// Per-step signal-to-quantization-noise ratio (dB) of the compiled program against the float model, on
/// up to `limit` of the calibration samples; `None` for every step without calibration data.
pub fn step_snr(
    program: &Program,
    ranges: &crate::rad::calibrate::Ranges,
    limit: usize,
) -> Result<Vec<Option<f64>>, KernelError> {
    if ranges.samples.is_empty() {
        return Ok(vec![None; program.steps.len()]);
    }
    let mut exact: Vec<Vec<f64>> = vec![Vec::new(); program.steps.len()];
    let mut approx: Vec<Vec<f64>> = vec![Vec::new(); program.steps.len()];
    for activations in ranges.samples.iter().take(limit) {
        let mut machine = Machine::new(program);
        let input = quantize_input(program, &activations[0]);
        machine.load_input(&input);
        for (k, step) in program.steps.iter().enumerate() {
            machine.run_step(&mut SoftBackend, k, 0..usize::MAX)?;
            let got = machine.activation(step.output, step.output_len);
            // A ReLU left to the next step: the float layer's zeros are negative here.
            let floor = if step.relu_pending { 0.0 } else { f64::NEG_INFINITY };
            approx[k].extend(got.iter().map(|&q| dequantize(q, step.output_frac).max(floor)));
            exact[k].extend(activations[step.float_layer + 1].iter().map(|&v| f64::from(v)));
        }
    }
    Ok(exact.iter().zip(&approx).map(|(e, a)| Some(crate::rad::quant::snr_db(e, a))).collect())
}
