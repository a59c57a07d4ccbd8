//! What lowering one layer knows: the graph, the calibrated ranges, the layers one step covers, its input
//! format and the build's options.

use super::super::error::LowerError;
use super::super::program::{Act, Call, Step};
use super::LowerOptions;
use crate::graph::{Graph, Layer};
use crate::rad::calibrate::Ranges;

pub(super) struct LayerCtx<'a> {
    pub(super) graph: &'a Graph,
    pub(super) ranges: &'a Ranges,
    /// The first and last graph layer this step covers.
    pub(super) index: usize,
    pub(super) last: usize,
    pub(super) input_frac: i32,
    pub(super) options: &'a LowerOptions,
    pub(super) relu: bool,
    /// Convolutions may be computed by FFTs (when the build's method allows them).
    pub(super) fft: bool,
    /// The finest output format the step may have, when it is not its own to choose: a grouped
    /// convolution's groups write one buffer, in one format. A convolution form that cannot reach it
    /// exactly is not chosen (dot products always can).
    pub(super) out_frac_cap: Option<i32>,
}

impl LayerCtx<'_> {
    pub(super) fn layer(&self) -> &Layer {
        &self.graph.layers[self.index]
    }

    pub(super) fn out_layer(&self) -> &Layer {
        &self.graph.layers[self.last]
    }

    pub(super) fn name(&self) -> String {
        if self.last != self.index {
            format!("{} + {}", self.layer().name, self.out_layer().name)
        } else {
            self.layer().name.clone()
        }
    }

    /// The largest input magnitude of the layer (of its first input: the model's or a layer's output).
    pub(super) fn input_max(&self) -> f64 {
        self.graph.input_producer(self.index).map_or(self.ranges.input, |p| self.ranges.outputs[p])
    }

    /// The largest output magnitude of the covered layers.
    pub(super) fn output_max(&self) -> f64 {
        self.ranges.outputs[self.last]
    }

    /// The float inputs of this layer on every calibration sample.
    pub(super) fn sample_inputs(&self) -> impl Iterator<Item = &Vec<f32>> {
        // Each sample holds the model input, then every layer's output.
        let at = self.graph.input_producer(self.index).map_or(0, |p| p + 1);
        self.ranges.samples.iter().map(move |s| &s[at])
    }

    pub(super) fn step(&self, kind: &str, call: Call, output_frac: i32) -> Step {
        Step {
            layer: self.name(),
            kind: kind.into(),
            choice: None,
            call,
            input: Act(0),
            output: Act(0),
            input_offset: 0,
            output_offset: 0,
            output_len: self.out_layer().output_shape.elements(),
            float_layer: self.last,
            output_shape: self.out_layer().output_shape.0.clone(),
            output_frac,
            params_dense: 0,
            params_stored: 0,
            relu_pending: false,
        }
    }

    pub(super) fn unsupported(&self, detail: String) -> LowerError {
        LowerError::Unsupported { layer: self.layer().name.clone(), op: self.layer().op.kind().into(), detail }
    }
}
