//! Activation ranges per layer, from calibration data (`--calib`) or, without data, from a static
//! worst-case bound propagated through the layers.

use crate::graph::{Graph, Op, eval};

/// The largest magnitude each tensor reaches.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranges {
    pub input: f64,
    /// One per layer, the layer's output.
    pub outputs: Vec<f64>,
    /// The float activations the ranges came from (input then every layer's output, per sample); empty for
    /// static bounds. Lowering uses them to size intermediate formats (e.g. circulant spectra).
    pub samples: Vec<Vec<Vec<f32>>>,
    /// How the ranges were obtained, for reports.
    pub source: String,
}

/// Ranges measured on the given samples (each a flattened model input).
pub fn from_samples<'a>(graph: &Graph, samples: impl Iterator<Item = &'a [f32]>, source: String) -> Ranges {
    let mut input = 0f64;
    let mut outputs = vec![0f64; graph.layers.len()];
    let mut kept = Vec::new();
    for x in samples {
        input = input.max(max_abs(x));
        let activations = eval::run_layers(graph, x);
        for (range, layer) in outputs.iter_mut().zip(&activations) {
            *range = range.max(max_abs(layer));
        }
        let mut all = vec![x.to_vec()];
        all.extend(activations);
        kept.push(all);
    }
    Ranges { input, outputs, samples: kept, source }
}

/// A bound that holds for every input with magnitude at most `input_bound`: each layer's largest output
/// assuming the worst signs (`sum |w| * bound + |b|`; a sum of tensors, the sum of their bounds).
pub fn static_bound(graph: &Graph, input_bound: f64) -> Ranges {
    let mut outputs: Vec<f64> = Vec::with_capacity(graph.layers.len());
    for (index, layer) in graph.layers.iter().enumerate() {
        let bound_of =
            |tensor: &String| graph.producer(tensor).filter(|&p| p < index).map_or(input_bound, |p| outputs[p]);
        let bound = layer.inputs.first().map_or(input_bound, bound_of);
        let bound = match &layer.op {
            Op::Add => layer.inputs.iter().map(bound_of).sum(),
            Op::Mul(_) => layer.inputs.iter().map(bound_of).product(),
            Op::Concat { .. } => layer.inputs.iter().map(bound_of).fold(0.0, f64::max),
            Op::Dense(d) => rows_bound(&d.weight.data, d.inputs(), &d.bias, bound),
            Op::Conv(c) => rows_bound(&c.weight.data, c.weight.len() / c.out_channels(), &c.bias, bound),
            Op::Affine(a) => {
                let m = a.mul.as_ref().map_or(1.0, |t| max_abs(&t.data));
                let add = a.add.as_ref().map_or(0.0, |t| max_abs(&t.data));
                m * bound + add
            }
            Op::Activation(a) => a.bound(bound),
            Op::Pad(p) => bound.max(f64::from(p.value.abs())),
            Op::PRelu(p) => p.bound(bound),
            Op::Softmax(_) => 1.0,
            // LogSoftmax's output magnitude is bounded by the spread of its input plus log(n).
            Op::LogSoftmax(_) => 2.0 * bound + (layer.input_shape.elements() as f64).ln(),
            _ => bound,
        };
        outputs.push(bound);
    }
    Ranges {
        input: input_bound,
        outputs,
        samples: Vec::new(),
        source: format!("static bound for inputs in [-{input_bound}, {input_bound}]"),
    }
}

fn rows_bound(weights: &[f32], row: usize, bias: &[f32], input: f64) -> f64 {
    weights
        .chunks(row.max(1))
        .zip(bias)
        .map(|(w, b)| w.iter().map(|v| f64::from(v.abs())).sum::<f64>() * input + f64::from(b.abs()))
        .fold(0.0, f64::max)
}

pub fn max_abs(values: &[f32]) -> f64 {
    values.iter().fold(0f64, |m, v| m.max(f64::from(v.abs())))
}
