//! Compiled vs float: run the accelerator program on the host (soft backend, bit-exact with the device)
//! and a float reference on the same samples, and compare: a classifier by accuracy and top-1 agreement
//! (optionally also a run with the LEA's rounding modelled as noise, [`jitter`], compared with both), a
//! regression model by mean squared error and SNR against its reference outputs.

pub mod jitter;

use serde::Serialize;

use crate::ace::{Program, exec::Machine};
use crate::dataset::Dataset;
use crate::rad::quant::{dequantize, quantize_i16};
use crate::task::{Reference, mse_and_snr};
use acec_runtime::{Accelerator, KernelError, SoftBackend};
use jitter::{Jitter, JitterBackend};

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
    /// The jittered run (`--lsb-jitter`), when one was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jitter: Option<JitterAgreement>,
}

/// The compiled program run on [`JitterBackend`], against the float model and the unperturbed run.
#[derive(Clone, Debug, Serialize)]
pub struct JitterAgreement {
    /// K: the noise on every value the LEA rounds is uniform in `[-K, K]` LSB.
    pub lsb: u8,
    pub seed: u64,
    /// Top-1 accuracy of the jittered run against the labels (`None` without labels).
    pub accuracy: Option<f64>,
    /// Fraction of samples where the jittered run and the float model pick the same class.
    pub agreement_float: f64,
    /// Fraction of samples where the jittered and the unperturbed compiled runs pick the same class.
    pub agreement_unperturbed: f64,
    /// Largest |jittered logit - unperturbed logit| over all samples and outputs.
    pub max_abs_change: f64,
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
    run_compiled_on(program, &mut SoftBackend, x)
}

/// Runs one sample through the compiled program on the host, on `backend`.
pub fn run_compiled_on<A: Accelerator>(program: &Program, backend: &mut A, x: &[f32]) -> Result<Vec<i16>, KernelError> {
    Machine::new(program).infer(backend, &quantize_input(program, x))
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
    float: impl FnMut(&[f32]) -> (Vec<f32>, Vec<f32>),
) -> Result<Agreement, KernelError> {
    compare_jittered(program, data, None, float)
}

/// As [`compare_split`], and with `jitter` also on [`JitterBackend`] (sample i with the backend of
/// [`JitterBackend::for_sample`]`(K, seed, i)`), reported in [`Agreement::jitter`].
pub fn compare_jittered(
    program: &Program,
    data: &Dataset,
    jitter: Option<Jitter>,
    mut float: impl FnMut(&[f32]) -> (Vec<f32>, Vec<f32>),
) -> Result<Agreement, KernelError> {
    let (mut agree, mut float_right, mut compiled_right, mut max_abs_error) = (0usize, 0usize, 0usize, 0f64);
    let (mut j_float, mut j_unperturbed, mut j_right, mut max_abs_change) = (0usize, 0usize, 0usize, 0f64);
    let label = |i: usize| data.y.as_ref().map(|labels| labels[i]);
    for i in 0..data.len() {
        let x = data.sample(i);
        let (top1_reference, logits) = float(x);
        let compiled = dequantize_output(program, &run_compiled(program, x)?);
        max_abs_error = max_abs_error.max(max_abs_difference(&logits, &compiled));
        let (f, c) = (argmax(&top1_reference), argmax(&compiled));
        agree += usize::from(f == c);
        if let Some(y) = label(i) {
            float_right += usize::from(f as i64 == y);
            compiled_right += usize::from(c as i64 == y);
        }
        if let Some(jitter) = &jitter {
            let mut backend = JitterBackend::for_sample(jitter.amplitude, jitter.seed, i);
            let jittered = dequantize_output(program, &run_compiled_on(program, &mut backend, x)?);
            max_abs_change = max_abs_change.max(max_abs_difference(&compiled, &jittered));
            let j = argmax(&jittered);
            j_float += usize::from(j == f);
            j_unperturbed += usize::from(j == c);
            j_right += usize::from(label(i) == Some(j as i64));
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
        jitter: jitter.map(|jitter| JitterAgreement {
            lsb: jitter.amplitude.lsb(),
            seed: jitter.seed,
            accuracy: labelled.then(|| j_right as f64 / n),
            agreement_float: j_float as f64 / n,
            agreement_unperturbed: j_unperturbed as f64 / n,
            max_abs_change,
        }),
    })
}

fn max_abs_difference(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).fold(0f64, |m, (x, y)| m.max(f64::from((x - y).abs())))
}

/// How close a regression model's compiled outputs come to its reference outputs and to the float model.
#[derive(Clone, Debug, Serialize)]
pub struct Regression {
    pub samples: usize,
    /// What the outputs are scored against (the data's targets, or the inputs).
    pub scored_against: String,
    pub float_mse: f64,
    pub float_snr_db: f64,
    pub compiled_mse: f64,
    pub compiled_snr_db: f64,
    /// The compiled outputs against the float model's.
    pub compiled_vs_float_mse: f64,
    pub compiled_vs_float_snr_db: f64,
    /// Largest |compiled output - float output| over all samples and outputs.
    pub max_abs_error: f64,
}

/// Scores the compiled program and the float model (`float` computes its outputs) against `reference` on
/// every sample: mean squared error and SNR over all samples' outputs.
pub fn compare_regression(
    program: &Program,
    data: &Dataset,
    reference: Reference,
    mut float: impl FnMut(&[f32]) -> Vec<f32>,
) -> Result<Regression, KernelError> {
    let (mut expected, mut floats, mut compiled) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..data.len() {
        let x = data.sample(i);
        expected.extend_from_slice(reference.of(data, i));
        floats.extend(float(x));
        compiled.extend(dequantize_output(program, &run_compiled(program, x)?));
    }
    let (float_mse, float_snr_db) = mse_and_snr(&expected, &floats);
    let (compiled_mse, compiled_snr_db) = mse_and_snr(&expected, &compiled);
    let (compiled_vs_float_mse, compiled_vs_float_snr_db) = mse_and_snr(&floats, &compiled);
    Ok(Regression {
        samples: data.len(),
        scored_against: reference.describe().into(),
        float_mse,
        float_snr_db,
        compiled_mse,
        compiled_snr_db,
        compiled_vs_float_mse,
        compiled_vs_float_snr_db,
        max_abs_error: max_abs_difference(&floats, &compiled),
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
            // The part of the layer's output this step writes (a group of a grouped convolution, or all).
            let part = step.output_offset..step.output_offset + step.output_len;
            let got = &machine.activation(step.output, part.end)[part.clone()];
            // A ReLU left to the next step: the float layer's zeros are negative here.
            let floor = if step.relu_pending { 0.0 } else { f64::NEG_INFINITY };
            approx[k].extend(got.iter().map(|&q| dequantize(q, step.output_frac).max(floor)));
            exact[k].extend(activations[step.float_layer + 1][part].iter().map(|&v| f64::from(v)));
        }
    }
    Ok(exact.iter().zip(&approx).map(|(e, a)| Some(crate::rad::quant::snr_db(e, a))).collect())
}
