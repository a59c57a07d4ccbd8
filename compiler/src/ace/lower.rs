//! Lowering: the layer graph, its activation ranges and the block choice become a quantized accelerator
//! program. Each Dense/Conv layer absorbs a ReLU that follows it (or leaves it to a max-pool right after,
//! which applies it to fewer values); reshapes vanish (activations are flat);
//! a final softmax is dropped because the argmax, all the device reports, does not depend on it.

use std::collections::BTreeSet;
use std::rc::Rc;

use acec_runtime::PoolShape;
use acec_runtime::ops::{
    self, AddParams, ChannelAffineParams, CirculantParams, ConvParams, DenseParams, RescaleParams,
};

use super::cost::{CostModel, Lengths, Recorder, Shape};
use super::error::LowerError;
use super::program::{Act, Buffer, BufferId, Call, Data, Program, Space, Step};
use super::spectrum::{packed_dft, packed_idft};
use crate::graph::{Activation, Conv, Dense, Graph, Layer, Op, Pool, values_along_axis};
use crate::rad::calibrate::{Ranges, max_abs};
use crate::rad::circulant::{detect_block_size, project};
use crate::rad::quant::{frac_bits_for, quantize_i16, quantize_i32};

pub mod activation;
mod conv_fft;
pub mod conv_fir;
mod conv_grouped;
mod fft_formats;
mod paper;
mod places;

pub use conv_fir::ConvMethod;
use fft_formats::{FftFormats, FftRanges, packed_product_peak};
pub use paper::CirculantMethod;
use places::Places;

/// Which dense layers become block-circulant, and with what block size.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum BlockRequest {
    /// Only layers whose weights are already exactly block-circulant (at their largest block).
    #[default]
    Detect,
    /// Project every dense layer whose dimensions the block divides (others stay dense).
    All(usize),
    /// Project the named layers (ONNX node names) at the given block sizes.
    PerLayer(Vec<(String, usize)>),
    /// Every dense layer stays dense, even one that is block-circulant (uncompressed baselines).
    Never,
}

#[derive(Clone, Debug)]
pub struct LowerOptions {
    pub blocks: BlockRequest,
    /// Usable LEA RAM scratch, in `i16` elements.
    pub lea_elements: usize,
    /// FFT lengths the accelerator supports.
    pub fft_min: usize,
    pub fft_max: usize,
    /// How block-circulant layers are computed: acec's method, or the published one (a baseline).
    pub circulant: CirculantMethod,
    /// Which convolution forms may be compiled: acec's choice, or a baseline's.
    pub conv: ConvMethod,
    /// Keep a final softmax (probabilities out, in Q15) instead of dropping it (logits out).
    pub keep_softmax: bool,
    /// The most energy one work unit (a row, a band, a block) may take, picojoules: what one charge of
    /// the target's energy buffer leaves a task. Convolution forms whose unit needs more are not chosen
    /// (FLEX could not run them). `u64::MAX` without an energy model.
    pub unit_energy_pj: u64,
    /// The target's cost model: where two forms of a layer compute the same thing, the cheaper is
    /// compiled. Shared (the options are cloned per layer and per retry), so every call shape is run
    /// once.
    pub costs: Rc<CostModel>,
}

/// Why lowering has no kernel for layer `index` of `graph`, if it has none: what `inspect` marks and what
/// lowering refuses with. Limits that depend on sizes and the target (LEA RAM, FRAM) are not checked here.
pub fn missing_kernel(graph: &Graph, index: usize, keep_softmax: bool) -> Option<String> {
    let last = index + 1 == graph.layers.len();
    match &graph.layers[index].op {
        Op::Transpose { perm } => Some(format!(
            "a layout transpose (perm {perm:?}) of a computed tensor has no kernel; it folds only into a Dense layer \
             it reaches through a flattening Reshape. An NHWC model's input transpose goes away when tf2onnx \
             converts with --inputs-as-nchw {} (the data then is NCHW)",
            graph.input_name
        )),
        Op::LogSoftmax(_) if !last || keep_softmax => Some(
            "a LogSoftmax the program must keep (not the last layer, or --keep-softmax) has no fixed-point kernel; \
             end the model with it and drop --keep-softmax, or export a Softmax"
                .into(),
        ),
        Op::Concat { axis } if !concat_is_contiguous(&graph.layers[index].output_shape, *axis) => Some(format!(
            "concatenates along axis {axis} of {}, which interleaves its inputs; acec concatenates along the \
             outermost axis that is not 1 (the channels of a batch-1 tensor)",
            graph.layers[index].output_shape
        )),
        Op::Refused(refusal) => Some(refusal.reason.clone()),
        _ => None,
    }
}

pub fn lower(graph: &Graph, ranges: &Ranges, options: &LowerOptions) -> Result<Program, LowerError> {
    let mut no_fft = BTreeSet::new();
    let mut best = lower_aligned(graph, ranges, options, &no_fft)?;
    // An FFT convolution's output is coarser than the other forms', which can keep the next convolution
    // from FFTs: try each without, keep the program the cost table says is cheaper, until none is.
    loop {
        let cycles = modeled_program(&best, &options.costs);
        let mut fft_layers =
            best.steps.iter().filter(|s| matches!(s.call, Call::ConvFft { .. })).map(|s| s.float_layer);
        let cheaper = fft_layers.find_map(|layer| {
            let mut without = no_fft.clone();
            without.insert(layer);
            let program = lower_aligned(graph, ranges, options, &without).ok()?;
            (modeled_program(&program, &options.costs) < cycles).then_some((without, program))
        });
        match cheaper {
            Some((without, program)) => (no_fft, best) = (without, program),
            None => return Ok(best),
        }
    }
}

/// Modeled cycles of one inference.
fn modeled_program(program: &Program, costs: &CostModel) -> u64 {
    costs.program(program).map_or(u64::MAX, |charge| charge.cycles)
}

/// [`lower_within`], again with a smaller LEA budget if the scratch's alignment needs it.
fn lower_aligned(
    graph: &Graph,
    ranges: &Ranges,
    options: &LowerOptions,
    no_fft: &BTreeSet<usize>,
) -> Result<Program, LowerError> {
    match lower_within(graph, ranges, options, no_fft) {
        // The scratch's alignment (set by the FFT sizes) rounds its size up: lower again with the LEA budget
        // rounded down to that alignment, so the aligned scratch still fits.
        Err(LowerError::ScratchAlignment { align_elements }) => {
            let budget = options.lea_elements / align_elements * align_elements;
            let options = LowerOptions { lea_elements: budget, ..options.clone() };
            lower_within(graph, ranges, &options, no_fft)
        }
        result => result,
    }
}

/// Lowers every layer; convolutions whose float layer is in `no_fft` are not computed by FFTs.
fn lower_within(
    graph: &Graph,
    ranges: &Ranges,
    options: &LowerOptions,
    no_fft: &BTreeSet<usize>,
) -> Result<Program, LowerError> {
    check_block_request(graph, &options.blocks)?;
    let mut b = Builder { buffers: Vec::new(), steps: Vec::new(), lea_needed: 2, acc32_needed: 1, lea_align: 4 };
    let input_frac = frac_bits_for(ranges.input);
    let mut places = Places::new(graph, input_frac);
    let mut dropped = Vec::new();
    let mut index = 0;
    while index < graph.layers.len() {
        let layer = &graph.layers[index];
        let op_at = |i: usize| graph.layers.get(i).map(|l| &l.op);
        // A ReLU that alone reads a Dense/Conv's output is fused into it, unless a max-pool alone reads the
        // ReLU's: max-pool and ReLU commute, so the pool applies it to a quarter (for 2x2 windows) of the
        // values.
        let fuse_relu = matches!(layer.op, Op::Dense(_) | Op::Conv(_))
            && matches!(op_at(index + 1), Some(Op::Activation(Activation::Relu)))
            && graph.is_chained(index + 1);
        let relu_to_pool = fuse_relu && matches!(op_at(index + 2), Some(Op::MaxPool(_))) && graph.is_chained(index + 2);
        let relu_from_before =
            matches!(layer.op, Op::MaxPool(_)) && b.steps.last().is_some_and(|s: &Step| s.relu_pending);
        let last = if fuse_relu { index + 1 } else { index };
        let relu = (fuse_relu && !relu_to_pool) || relu_from_before;
        let fft = !no_fft.contains(&last);
        let (input, input_frac) = places.read(&layer.inputs[0]);
        let ctx = LayerCtx { graph, ranges, index, last, input_frac, options, relu, fft };
        let steps: Vec<Step> = match &layer.op {
            Op::Dense(d) => vec![lower_dense(&mut b, &ctx, d)?],
            Op::Conv(c) if c.group > 1 => conv_grouped::lower_grouped_conv(&mut b, &ctx, c)?,
            Op::Conv(c) => vec![lower_conv(&mut b, &ctx, c)?],
            Op::MaxPool(p) => vec![lower_pool(&ctx, p, true)?],
            Op::AvgPool(p) => vec![lower_pool(&ctx, p, false)?],
            Op::GlobalAvgPool => vec![lower_global_pool(&ctx)],
            Op::Add => vec![lower_add(&mut b, &ctx, places.read(&layer.inputs[1]))],
            Op::Concat { axis } if concat_is_contiguous(&layer.output_shape, *axis) => {
                let parts: Vec<(Act, i32)> = layer.inputs.iter().map(|t| places.read(t)).collect();
                lower_concat(&mut b, &ctx, &parts, graph)
            }
            Op::Activation(Activation::Relu) => {
                vec![ctx.step("relu", Call::Relu { len: layer.output_shape.elements() }, input_frac)]
            }
            Op::Activation(a) => vec![activation::lower_activation(&mut b, &ctx, a)?],
            Op::Affine(a) => vec![lower_affine(&mut b, &ctx, a)?],
            Op::Reshape => Vec::new(),
            Op::Softmax(_) | Op::LogSoftmax(_) if index + 1 == graph.layers.len() && !options.keep_softmax => {
                dropped.push(format!(
                    "{} ({}): monotonic, so the argmax is the same without it",
                    layer.name,
                    layer.op.kind()
                ));
                Vec::new()
            }
            Op::Softmax(axis) => vec![lower_softmax(&ctx, axis)?],
            _ => {
                let detail = missing_kernel(graph, index, options.keep_softmax)
                    .unwrap_or_else(|| format!("internal: no lowering for {} (please report)", layer.op.kind()));
                return Err(ctx.unsupported(detail));
            }
        };
        let output = &graph.layers[last].output;
        if steps.is_empty() {
            places.alias(output, &layer.inputs[0]);
        } else {
            // A grouped convolution's steps all read one buffer and write another, side by side.
            let written = places.free_buffer();
            // A concat's steps each read their own part; every other layer's steps read its first input.
            let own_inputs = matches!(layer.op, Op::Concat { .. });
            for mut step in steps {
                step.relu_pending = relu_to_pool;
                if !own_inputs {
                    step.input = input;
                }
                step.output = written;
                places.place(output, written, step.output_frac, step.output_offset + step.output_len);
                b.steps.push(step);
            }
        }
        for covered in &graph.layers[index..=last] {
            places.consumed(&covered.inputs);
        }
        index = last + 1;
    }
    let output_len = graph.output_shape().elements();
    let (output_act, output_frac) = graph.layers.last().map_or((Act(0), input_frac), |l| places.read(&l.output));
    let acts = places
        .lens()
        .iter()
        .enumerate()
        .map(|(i, len)| {
            let name = format!("ACT_{}", Act(i).letter());
            let doc = format!("activations, buffer {i} (tensors placed by lifetime)");
            b.scratch(&name, Space::FramData, Data::I16(vec![0; len.div_ceil(2) * 2]), &doc)
        })
        .collect();
    // A whole number of alignment units: the generated static's alignment wrapper would round it up anyway.
    let unit = (b.lea_align / 2).max(2);
    let lea_len = b.lea_needed.div_ceil(unit) * unit;
    if lea_len > options.lea_elements
        && b.lea_needed <= options.lea_elements
        && !options.lea_elements.is_multiple_of(unit)
    {
        return Err(LowerError::ScratchAlignment { align_elements: unit });
    }
    if lea_len > options.lea_elements {
        return Err(LowerError::DoesNotFit {
            target: "LEA RAM".into(),
            region: "lea_ram".into(),
            over_bytes: 2 * (lea_len - options.lea_elements) as u64,
            detail: format!("a layer needs {lea_len} elements of LEA scratch, {} are usable", options.lea_elements),
        });
    }
    let lea = b.scratch("LEA_SCRATCH", Space::LeaRam, Data::I16(vec![0; lea_len]), "accelerator operands");
    // A b-point real FFT operand must start on a 2b-byte boundary; the scratch holds them at multiples of b.
    b.buffers[lea.0].align = b.lea_align;
    let acc32 = b.scratch("ACC32", Space::Sram, Data::I32(vec![0; b.acc32_needed]), "32-bit accumulators");
    Ok(Program {
        buffers: b.buffers,
        steps: b.steps,
        input_len: graph.input_shape.elements(),
        input_shape: graph.input_shape.0.clone(),
        input_frac,
        output_len,
        output_frac,
        output_act,
        acts,
        lea,
        acc32,
        dropped,
    })
}

struct Builder {
    buffers: Vec<Buffer>,
    steps: Vec<Step>,
    lea_needed: usize,
    acc32_needed: usize,
    lea_align: usize,
}

impl Builder {
    /// The state a tentative lowering may change, to [`Builder::restore`] when it is abandoned.
    fn checkpoint(&self) -> (usize, usize, usize, usize) {
        (self.buffers.len(), self.lea_needed, self.acc32_needed, self.lea_align)
    }

    fn restore(&mut self, (buffers, lea_needed, acc32_needed, lea_align): (usize, usize, usize, usize)) {
        self.buffers.truncate(buffers);
        (self.lea_needed, self.acc32_needed, self.lea_align) = (lea_needed, acc32_needed, lea_align);
    }

    fn constant(&mut self, layer: &str, what: &str, data: Data, doc: String) -> BufferId {
        let base = format!("{}_{}", identifier(layer), what);
        // Different node names can map to one identifier (`fc.1`, `fc_1`): number the later ones.
        let mut name = base.clone();
        let mut n = 2;
        while self.buffers.iter().any(|b| b.name == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.buffers.push(Buffer { name, space: Space::FramConst, data, align: 2, doc });
        BufferId(self.buffers.len() - 1)
    }

    fn scratch(&mut self, name: &str, space: Space, data: Data, doc: &str) -> BufferId {
        self.buffers.push(Buffer { name: name.into(), space, data, align: 4, doc: doc.into() });
        BufferId(self.buffers.len() - 1)
    }
}

/// `"/fc1/Gemm"` -> `"FC1_GEMM"`: a Rust-friendly name for a layer.
pub fn identifier(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) { format!("L_{out}") } else { out }
}

struct LayerCtx<'a> {
    graph: &'a Graph,
    ranges: &'a Ranges,
    /// The first and last graph layer this step covers.
    index: usize,
    last: usize,
    input_frac: i32,
    options: &'a LowerOptions,
    relu: bool,
    /// Convolutions may be computed by FFTs (when the build's method allows them).
    fft: bool,
}

impl LayerCtx<'_> {
    fn layer(&self) -> &Layer {
        &self.graph.layers[self.index]
    }

    fn out_layer(&self) -> &Layer {
        &self.graph.layers[self.last]
    }

    fn name(&self) -> String {
        if self.last != self.index {
            format!("{} + {}", self.layer().name, self.out_layer().name)
        } else {
            self.layer().name.clone()
        }
    }

    /// The largest input magnitude of the layer (of its first input: the model's or a layer's output).
    fn input_max(&self) -> f64 {
        self.graph.input_producer(self.index).map_or(self.ranges.input, |p| self.ranges.outputs[p])
    }

    /// The largest output magnitude of the covered layers.
    fn output_max(&self) -> f64 {
        self.ranges.outputs[self.last]
    }

    /// The float inputs of this layer on every calibration sample.
    fn sample_inputs(&self) -> impl Iterator<Item = &Vec<f32>> {
        // Each sample holds the model input, then every layer's output.
        let at = self.graph.input_producer(self.index).map_or(0, |p| p + 1);
        self.ranges.samples.iter().map(move |s| &s[at])
    }

    fn step(&self, kind: &str, call: Call, output_frac: i32) -> Step {
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

    fn unsupported(&self, detail: String) -> LowerError {
        LowerError::Unsupported { layer: self.layer().name.clone(), op: self.layer().op.kind().into(), detail }
    }
}

/// Formats for a dot-product layer: weights frac, output frac, and the requantizing shift from the
/// dot product's Q(w + x + 1) to the output. Public so `acec compress` can put weights on exactly the grid
/// this lowering will quantize them to.
pub fn dot_formats(weight_max: f64, input_frac: i32, output_max: f64) -> (i32, i32, u8) {
    let mut out = frac_bits_for(output_max);
    // `mac` saturates at 32 bits: a shift of at most 16 keeps every in-range output below 2^31.
    let weight = frac_bits_for(weight_max).min(15 + out - input_frac);
    if weight + input_frac + 1 < out {
        out = weight + input_frac + 1;
    }
    (weight, out, (weight + input_frac + 1 - out) as u8)
}

/// A dot-product layer (dense or convolution) in Q15: rows of weights padded to an even stride (LEA vectors
/// have even lengths), biases in the dot product's format, and the shift to the output format.
struct DotLayer {
    weights: Vec<i16>,
    row_stride: usize,
    bias: Vec<i32>,
    weight_frac: i32,
    bias_frac: i32,
    out_frac: i32,
    shift: u8,
}

fn quantize_dot_layer(weight: &[f32], bias: &[f32], row: usize, ctx: &LayerCtx) -> DotLayer {
    let (weight_frac, out_frac, shift) = dot_formats(max_abs(weight), ctx.input_frac, ctx.output_max());
    let row_stride = row.div_ceil(2) * 2;
    let mut weights = vec![0i16; bias.len() * row_stride];
    for (o, values) in weight.chunks(row).enumerate() {
        for (i, &w) in values.iter().enumerate() {
            weights[o * row_stride + i] = quantize_i16(f64::from(w), weight_frac);
        }
    }
    let bias_frac = weight_frac + ctx.input_frac + 1;
    let bias = bias.iter().map(|&v| quantize_i32(f64::from(v), bias_frac)).collect();
    DotLayer { weights, row_stride, bias, weight_frac, bias_frac, out_frac, shift }
}

fn lower_dense(b: &mut Builder, ctx: &LayerCtx, dense: &Dense) -> Result<Step, LowerError> {
    let (inputs, outputs) = (dense.inputs(), dense.outputs());
    let rows = ctx.layer().input_shape.elements() / inputs.max(1);
    if rows != 1 {
        return Err(ctx.unsupported(format!("applies to {rows} rows; the code generator compiles batch-1 vectors")));
    }
    if let Some(block) = circulant_block(ctx, dense)? {
        return match ctx.options.circulant {
            CirculantMethod::Ace => lower_circulant(b, ctx, dense, block),
            CirculantMethod::Paper => paper::lower_circulant_paper(b, ctx, dense, block),
        };
    }
    let DotLayer { weights, row_stride, bias, weight_frac, bias_frac, out_frac, shift } =
        quantize_dot_layer(&dense.weight.data, &dense.bias, inputs, ctx);
    let name = ctx.layer().name.clone();
    let shape = format!("{outputs} x {row_stride}, Q{weight_frac}");
    let weights = b.constant(&name, "WEIGHTS", Data::I16(weights), format!("weights {shape}"));
    let bias = b.constant(&name, "BIAS", Data::I32(bias), format!("bias, Q{bias_frac} (the dot product's format)"));
    b.lea_needed = b.lea_needed.max(2 * row_stride.min(ctx.options.lea_elements / 2));
    b.acc32_needed = b.acc32_needed.max(outputs.min(64));
    let params = DenseParams { inputs, row_stride, outputs, shift, relu: ctx.relu };
    let mut step = ctx.step("dense-mac", Call::Dense { params, weights, bias }, out_frac);
    step.params_dense = dense.weight.len() + dense.bias.len();
    step.params_stored = step.params_dense;
    Ok(step)
}

/// The block size this dense layer is compiled at, or `None` to keep it dense.
fn circulant_block(ctx: &LayerCtx, dense: &Dense) -> Result<Option<usize>, LowerError> {
    let (rows, cols) = (dense.outputs(), dense.inputs());
    let requested = match &ctx.options.blocks {
        BlockRequest::Detect | BlockRequest::Never => None,
        BlockRequest::All(block) => Some(*block).filter(|b| rows % b == 0 && cols % b == 0),
        BlockRequest::PerLayer(list) => list.iter().find(|(n, _)| *n == ctx.layer().name).map(|(_, b)| *b),
    };
    if ctx.options.blocks == BlockRequest::Never {
        return Ok(None);
    }
    let block = requested.or_else(|| detect_block_size(&dense.weight.data, rows, cols));
    let Some(block) = block else { return Ok(None) };
    match (requested.is_some(), block_fits(rows, cols, block, ctx.options)) {
        (_, true) => Ok(Some(block)),
        // A detected structure the accelerator cannot use stays dense.
        (false, false) => Ok(None),
        (true, false) => Err(ctx.unsupported(format!(
            "block {block} does not work for a {rows} x {cols} weight: it must be a power of two in {}..={} that \
             divides both dimensions, with (inputs/block + 3) * block <= {} LEA elements",
            ctx.options.fft_min, ctx.options.fft_max, ctx.options.lea_elements
        ))),
    }
}

/// Whether a `rows x cols` dense layer can run as `block`-point circulant blocks on the accelerator: a power
/// of two in the FFT range that divides both dimensions, with every input spectrum plus three working
/// vectors in the LEA scratch.
pub fn block_fits(rows: usize, cols: usize, block: usize, options: &LowerOptions) -> bool {
    let fits_fft = (options.fft_min..=options.fft_max).contains(&block) && block.is_power_of_two();
    fits_fft
        && rows.is_multiple_of(block)
        && cols.is_multiple_of(block)
        && (cols / block + 3) * block <= options.lea_elements
}

fn lower_circulant(b: &mut Builder, ctx: &LayerCtx, dense: &Dense, block: usize) -> Result<Step, LowerError> {
    let (rows, cols) = (dense.outputs(), dense.inputs());
    let (p, q) = (rows / block, cols / block);
    let vectors = project(&dense.weight.data, rows, cols, block);
    let spectra: Vec<Vec<f64>> =
        vectors.iter().map(|v| packed_dft(&v.iter().map(|&x| f64::from(x)).collect::<Vec<_>>())).collect();
    let spectrum_max = spectra.iter().flatten().fold(0f64, |m, v| m.max(v.abs()));
    let half = (block / 2) as f64;

    // Ranges from the calibration data: the input spectra X_j = DFT(x_j) / (b/2), every product V_ij X_j,
    // the accumulated spectra DFT(W x) / (b/2), and y = W x.
    let dense_weight = crate::rad::circulant::expand(&vectors, rows, cols, block);
    let mut ranges = FftRanges { spectrum: spectrum_max, ..FftRanges::default() };
    for x in ctx.sample_inputs() {
        let x_spectra: Vec<Vec<f64>> = x
            .chunks(block)
            .map(|c| {
                packed_dft(&c.iter().map(|&v| f64::from(v)).collect::<Vec<_>>()).iter().map(|s| s / half).collect()
            })
            .collect();
        ranges.input_spectrum = x_spectra.iter().flatten().fold(ranges.input_spectrum, |m, s| m.max(s.abs()));
        for (index, v) in spectra.iter().enumerate() {
            ranges.product = ranges.product.max(packed_product_peak(v, &x_spectra[index % q]));
        }
        let y: Vec<f64> = (0..rows)
            .map(|o| (0..cols).map(|i| f64::from(dense_weight[o * cols + i]) * f64::from(x[i])).sum())
            .collect();
        ranges.output = y.iter().fold(ranges.output, |m, v| m.max(v.abs()));
        for chunk in y.chunks(block) {
            let scaled = packed_dft(chunk).iter().fold(0f64, |m, v| m.max(v.abs())) / half;
            ranges.accumulated = ranges.accumulated.max(scaled);
        }
    }
    let bias_max = max_abs(&dense.bias);
    if ctx.ranges.samples.is_empty() {
        ranges = FftRanges::static_bound(spectrum_max, ctx.input_max(), ctx.output_max() + bias_max);
    }
    ranges.input = ctx.input_max();
    let FftFormats { input_shift, spectra_frac, out_frac } = ranges.formats(ctx, bias_max, block);
    let spectra_q: Vec<i16> = spectra.iter().flatten().map(|&v| quantize_i16(v, spectra_frac)).collect();
    // The inverse's halving stages floor: real parts (even outputs) come out about half an LSB low and the
    // conjugated imaginary parts (odd outputs) half an LSB high (measured: -0.48 and +0.43 over the layers
    // of runtime/tests/ops.rs); the bias takes the opposite before it is rounded.
    // The q products' truncations (each floors, -1/2 LSB on average) leave every accumulated spectrum
    // component about q/2 LSB low; adding q/2 to each before the inverse would take one more LEA call per
    // output block. The inverse FFT is linear (`irfft(S) = packed_idft(S)` in integer units, runtime
    // kernels::fft), so the bias takes that offset's output, `packed_idft([q/2; b])` LSB, exactly, instead.
    let rounding = packed_idft(&vec![(q / 2) as f64; block]);
    let lsb = 2f64.powi(-out_frac);
    let bias_q: Vec<i16> = (0..p * block)
        .map(|o| {
            let v = dense.bias.get(o).map_or(0.0, |&v| f64::from(v));
            let floors = if o % 2 == 0 { 0.5 } else { -0.5 };
            quantize_i16(v + (floors + rounding[o % block]) * lsb, out_frac)
        })
        .collect();

    let name = ctx.layer().name.clone();
    let doc = format!("{p} x {q} packed spectra of {block}-point circulant blocks, Q{spectra_frac}");
    let spectra = b.constant(&name, "SPECTRA", Data::I16(spectra_q), doc);
    let bias = b.constant(&name, "BIAS", Data::I16(bias_q), format!("bias, Q{out_frac}"));
    let params = CirculantParams {
        block,
        block_rows: p,
        block_cols: q,
        inputs: cols,
        outputs: rows,
        input_shift,
        rounding: 0,
        relu: ctx.relu,
        row_chunk: q,
    };
    // As many input blocks per complex multiply as LEA RAM holds: a chunk of a block row takes a few LEA
    // calls instead of two per block, and each DSPLib call costs hundreds of cycles.
    let row_chunk =
        (1..=q).rev().find(|&c| CirculantParams { row_chunk: c, ..params }.lea_len() <= ctx.options.lea_elements);
    let params = CirculantParams { row_chunk: row_chunk.unwrap_or(1), ..params };
    b.lea_needed = b.lea_needed.max(params.lea_len());
    b.lea_align = b.lea_align.max(2 * block);
    let kind = format!("circulant-fft b={block}");
    let mut step = ctx.step(&kind, Call::Circulant { params, spectra, bias }, out_frac);
    step.params_dense = dense.weight.len() + dense.bias.len();
    step.params_stored = p * q * block + rows;
    Ok(step)
}

/// Cycles of `call`, recorded by `run` on zero operands of `lengths` (costs depend on shapes, not data).
fn modeled<F>(costs: &CostModel, call: &Call, lengths: Lengths, run: F) -> Option<u64>
where
    F: FnOnce(&mut Recorder) -> Result<(), acec_runtime::KernelError>,
{
    let calls = costs.calls(Shape::candidate(call, lengths, false, 0..usize::MAX), run).ok()?;
    Some(costs.charge(&calls).cycles)
}

/// Cycles of a whole `call` on zero operands of `lengths`, or `None` when one of its work units needs more
/// energy than `options.unit_energy_pj`, even if its constants end up in upper FRAM (the memory plan decides
/// after lowering). Every unit is costed, not only the first: units differ (a convolution's edge bands skip
/// the kernel rows that read only padding), and FLEX must be able to run the costliest one in a charge.
/// `run` gets the work range and whether to read the constants as far (by DMA); a range past the last unit
/// does no work.
fn modeled_within_charge<F>(options: &LowerOptions, call: &Call, lengths: Lengths, run: F) -> Option<u64>
where
    F: Fn(&mut Recorder, std::ops::Range<usize>, bool) -> Result<(), acec_runtime::KernelError>,
{
    let costs = &options.costs;
    for unit in 0..call.work_units() {
        let shape = Shape::candidate(call, lengths, true, unit..unit + 1);
        let calls = costs.calls(shape, |acc| run(acc, unit..unit + 1, true)).ok()?;
        if calls.count() == 0 {
            break; // past the last unit that does work (a band covers several rows)
        }
        if costs.charge(&calls).energy_pj() > options.unit_energy_pj {
            return None;
        }
    }
    modeled(costs, call, lengths, |acc| run(acc, 0..usize::MAX, false))
}

fn lower_conv(b: &mut Builder, ctx: &LayerCtx, conv: &Conv) -> Result<Step, LowerError> {
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
    let (cin, cout) = (in_dims[1], conv.out_channels());
    let patch = cin * kernel_h * kernel_w;
    let DotLayer { weights, row_stride: patch_stride, bias, weight_frac, bias_frac, out_frac, shift } =
        quantize_dot_layer(&conv.weight.data, &conv.bias, patch, ctx);
    let params = ConvParams {
        in_channels: cin,
        in_height: pick(in_dims, 2, None, 1),
        in_width: pick(in_dims, 3, Some(2), 1),
        out_channels: cout,
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
        patch_stride,
        shift,
        relu: ctx.relu,
    };
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
    // most one output bit against the exact 32-bit dot products; FFTs two, as their 16-bit products must
    // also hold the negative outputs a fused ReLU drops and the spectra's peaks.
    let fir = conv_fir::cheapest_fir(ctx, conv, &params, out_frac - 1).filter(|f| f.cycles < mac_cycles);
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

fn lower_pool(ctx: &LayerCtx, pool: &Pool, max: bool) -> Result<Step, LowerError> {
    let in_dims = ctx.layer().input_shape.dims();
    let out_dims = ctx.layer().output_shape.dims();
    let two_d = in_dims.len() == 4;
    let (height, width) = if two_d { (in_dims[2], in_dims[3]) } else { (1, in_dims[2]) };
    let (window_h, window_w) = if two_d { (pool.kernel[0], pool.kernel[1]) } else { (1, pool.kernel[0]) };
    let (stride_h, stride_w) = if two_d { (pool.strides[0], pool.strides[1]) } else { (1, pool.strides[0]) };
    let shape = PoolShape { channels: in_dims[0] * in_dims[1], height, width, window_h, window_w, stride_h, stride_w };
    let expected: usize = out_dims.iter().product();
    if pool.pads.iter().any(|&p| p != 0) || shape.output_len() != Some(expected) {
        return Err(ctx.unsupported(
            "pooling with padding or ceil_mode is not supported by the code generator yet (valid windows only)".into(),
        ));
    }
    let (call, kind) = match (max, ctx.relu) {
        (true, relu) => (Call::MaxPool { shape, relu }, if relu { "maxpool + relu" } else { "maxpool" }),
        (false, _) => (Call::AvgPool { shape }, "avgpool"),
    };
    Ok(ctx.step(kind, call, ctx.input_frac))
}

fn lower_global_pool(ctx: &LayerCtx) -> Step {
    let dims = ctx.layer().input_shape.dims();
    let (height, width) = if dims.len() == 4 { (dims[2], dims[3]) } else { (1, dims[2]) };
    let shape = PoolShape {
        channels: dims[0] * dims[1],
        height,
        width,
        window_h: height,
        window_w: width,
        stride_h: height,
        stride_w: width,
    };
    ctx.step("avgpool", Call::AvgPool { shape }, ctx.input_frac)
}

fn lower_softmax(ctx: &LayerCtx, axis: &crate::graph::SoftmaxAxis) -> Result<Step, LowerError> {
    let dims = ctx.layer().input_shape.dims();
    let outer: usize = dims[..axis.axis.min(dims.len())].iter().product();
    let inner: usize =
        if axis.flatten_from_axis { 1 } else { dims.get(axis.axis + 1..).map_or(1, |d| d.iter().product()) };
    if outer != 1 || inner != 1 {
        return Err(ctx.unsupported(format!(
            "a softmax along axis {} of a {} tensor normalises several vectors; the kernel normalises one (batch 1, \
             along the last non-trivial axis)",
            axis.axis,
            ctx.layer().input_shape
        )));
    }
    let input_frac = i8::try_from(ctx.input_frac).ok().filter(|f| (-16..=16).contains(f)).ok_or_else(|| {
        ctx.unsupported(format!("its input format Q{} is outside the kernel's Q-16..Q16", ctx.input_frac))
    })?;
    let len = ctx.layer().input_shape.elements();
    Ok(ctx.step("softmax", Call::Softmax { len, input_frac }, 15))
}

/// A residual sum: both operands shifted right to the output's format (the coarser of the two, coarser
/// still if the calibrated sum needs it), then added with saturation. A shift past 15 would give the same
/// bits as 15 (every Q15 value shifted by 15 or more floors to 0 or -1), so it stops there.
fn lower_add(b: &mut Builder, ctx: &LayerCtx, (second, second_frac): (Act, i32)) -> Step {
    let out_frac = frac_bits_for(ctx.output_max()).min(ctx.input_frac).min(second_frac);
    let shift = |frac: i32| (out_frac - frac).max(-15) as i8;
    let len = ctx.layer().output_shape.elements();
    let params = AddParams { len, shift_a: shift(ctx.input_frac), shift_b: shift(second_frac) };
    // Two pieces side by side, as long as LEA RAM allows (fewer DSPLib calls).
    let budget = (ctx.options.lea_elements / 4 * 4).max(4);
    b.lea_needed = b.lea_needed.max((2 * len.div_ceil(2) * 2).clamp(4, budget));
    ctx.step("add", Call::Add { params, second }, out_frac)
}

/// Whether joining along `axis` puts each input's elements in one run (every axis before it has extent 1).
fn concat_is_contiguous(shape: &crate::graph::Shape, axis: usize) -> bool {
    shape.dims()[..axis].iter().all(|&d| d == 1)
}

/// One step per input, each bringing its part to the output's format (the coarsest of the parts', coarser
/// still if the calibrated output needs it) and writing it after the parts before it.
fn lower_concat(b: &mut Builder, ctx: &LayerCtx, parts: &[(Act, i32)], graph: &Graph) -> Vec<Step> {
    let layer = ctx.layer();
    let coarsest = parts.iter().map(|&(_, frac)| frac).min().unwrap_or(15);
    let out_frac = frac_bits_for(ctx.output_max()).min(coarsest);
    let budget = (ctx.options.lea_elements / 2 * 2).max(2);
    let mut offset = 0;
    let mut steps = Vec::new();
    for (k, (tensor, &(act, frac))) in layer.inputs.iter().zip(parts).enumerate() {
        let len =
            graph.producer(tensor).map_or(graph.input_shape.elements(), |p| graph.layers[p].output_shape.elements());
        let params = RescaleParams { len, shift: (out_frac - frac).max(-15) as i8 };
        if params.shift != 0 {
            b.lea_needed = b.lea_needed.max((len.div_ceil(2) * 2).clamp(2, budget));
        }
        let mut step = ctx.step("concat", Call::Rescale { params }, out_frac);
        step.layer = format!("{} [part {}/{}]", ctx.name(), k + 1, parts.len());
        (step.input, step.output_offset, step.output_len) = (act, offset, len);
        offset += len;
        steps.push(step);
    }
    steps
}

fn lower_affine(b: &mut Builder, ctx: &LayerCtx, affine: &crate::graph::Affine) -> Result<Step, LowerError> {
    let dims = ctx.layer().output_shape.dims();
    if ctx.layer().input_shape.dims() != dims {
        return Err(ctx.unsupported("an element-wise constant that changes the tensor's shape".into()));
    }
    let axis = if dims.len() >= 2 { 1 } else { 0 };
    let per_channel = |t: &Option<crate::graph::Tensor>, neutral: f32| match t {
        Some(t) => values_along_axis(t, dims, axis),
        None => Some(vec![neutral; dims[axis]]),
    };
    let (Some(mul), Some(add)) = (per_channel(&affine.mul, 1.0), per_channel(&affine.add, 0.0)) else {
        return Err(ctx.unsupported("an element-wise constant that varies within a channel".into()));
    };
    // `msp_scale_q15` wraps (TI's source), so the product `x m` must fit the output format too, not only
    // `x m + a`.
    let mul_max = mul.iter().fold(0f64, |m, &v| m.max(f64::from(v).abs()));
    let out_frac = frac_bits_for(ctx.output_max()).min(frac_bits_for(ctx.input_max() * mul_max));
    // y_q = x_q * m * 2^(out - in) + a * 2^out, with the multiplier as a Q15 scale times 2^shift.
    let gain: Vec<f64> = mul.iter().map(|&m| f64::from(m) * 2f64.powi(out_frac - ctx.input_frac)).collect();
    let gain_max = gain.iter().fold(0f64, |m, g| m.max(g.abs()));
    let shift = if gain_max < 1.0 { 0 } else { (gain_max.log2().floor() as i32 + 1).min(15) };
    let scales: Vec<i16> = gain.iter().map(|&g| quantize_i16(g, 15 - shift)).collect();
    let offsets: Vec<i16> = add.iter().map(|&a| quantize_i16(f64::from(a), out_frac)).collect();
    let channels = dims[axis];
    let plane = dims.iter().product::<usize>() / channels;
    let name = ctx.layer().name.clone();
    let scales = b.constant(&name, "SCALES", Data::I16(scales), format!("per-channel Q15 scales, shift {shift}"));
    let offsets = b.constant(&name, "OFFSETS", Data::I16(offsets), format!("per-channel offsets, Q{out_frac}"));
    b.lea_needed = b.lea_needed.max(plane.div_ceil(2) * 2);
    let params = ChannelAffineParams { channels, plane, shift: shift as u8 };
    let mut step = ctx.step("channel-affine", Call::ChannelAffine { params, scales, offsets }, out_frac);
    step.params_dense = 2 * channels;
    step.params_stored = 2 * channels;
    Ok(step)
}

fn check_block_request(graph: &Graph, request: &BlockRequest) -> Result<(), LowerError> {
    match request {
        BlockRequest::Detect | BlockRequest::Never => Ok(()),
        BlockRequest::All(block) if block.is_power_of_two() && *block >= 2 => Ok(()),
        BlockRequest::All(block) => Err(LowerError::BadBlock { detail: format!("{block} is not a power of two") }),
        BlockRequest::PerLayer(list) => {
            let dense: Vec<&str> =
                graph.layers.iter().filter(|l| matches!(l.op, Op::Dense(_))).map(|l| l.name.as_str()).collect();
            for (name, block) in list {
                if !dense.contains(&name.as_str()) {
                    return Err(LowerError::BadBlock {
                        detail: format!("no dense layer named '{name}'; the dense layers are: {}", dense.join(", ")),
                    });
                }
                if !block.is_power_of_two() {
                    return Err(LowerError::BadBlock { detail: format!("{name}={block}: not a power of two") });
                }
            }
            Ok(())
        }
    }
}
