//! Lowering: the layer graph, its activation ranges and the block choice become a quantized accelerator
//! program. Each Dense/Conv layer absorbs a ReLU that follows it (or leaves it to a max-pool right after,
//! which applies it to fewer values); reshapes vanish (activations are flat);
//! a final softmax is dropped because the argmax, all the device reports, does not depend on it.

use std::collections::BTreeSet;
use std::rc::Rc;

use acec_runtime::ops::ReluParams;

use super::cost::CostModel;
use super::error::LowerError;
use super::program::{Act, Call, Data, Program, Space, Step};
use crate::graph::{Activation, Graph, Op};
use crate::rad::calibrate::Ranges;
use crate::rad::quant::frac_bits_for;

pub mod activation;
mod add;
mod affine;
mod builder;
mod circulant;
mod concat;
mod context;
mod conv;
mod conv_circulant;
mod conv_fft;
pub mod conv_fir;
mod conv_grouped;
mod dense;
mod fft_formats;
mod modeled;
mod multiply;
mod paper;
mod places;
mod pool;
mod prelu;
mod softmax;
mod transpose;

use builder::Builder;
pub use builder::identifier;
use concat::concat_is_contiguous;
use context::LayerCtx;
use conv::lower_conv;
pub use conv_circulant::conv_block_fits;
pub use conv_fir::ConvMethod;
pub use dense::{block_fits, dot_formats};
use modeled::{modeled, modeled_within_charge};
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
        Op::Transpose { perm } => {
            let dims = graph.layers[index].input_shape.dims();
            transpose::permute_shape(dims, perm).is_none().then(|| transpose::too_many_axes(dims, perm))
        }
        Op::Pad(_) => Some(
            "a Pad has no kernel of its own: a zero Pad of the spatial axes folds into the Conv that alone reads \
             it; pad inside the convolution instead (PyTorch: Conv2d(padding=...); Keras: padding='same')"
                .into(),
        ),
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
        let ctx = LayerCtx { graph, ranges, index, last, input_frac, options, relu, fft, out_frac_cap: None };
        let steps: Vec<Step> = match &layer.op {
            Op::Dense(d) => vec![dense::lower_dense(&mut b, &ctx, d)?],
            Op::Conv(c) if c.group > 1 => conv_grouped::lower_grouped_conv(&mut b, &ctx, c)?,
            Op::Conv(c) => match conv_circulant::circulant_block(&ctx, c)? {
                Some(block) => vec![conv_circulant::lower_circulant_conv(&mut b, &ctx, c, block)?],
                None => vec![lower_conv(&mut b, &ctx, c)?],
            },
            Op::MaxPool(p) => vec![pool::lower_pool(&ctx, p, true)?],
            Op::AvgPool(p) => vec![pool::lower_pool(&ctx, p, false)?],
            Op::GlobalAvgPool => vec![pool::lower_global_pool(&ctx)],
            Op::Add => vec![add::lower_add(&mut b, &ctx, places.read(&layer.inputs[1]))],
            Op::Mul(m) => vec![multiply::lower_multiply(&mut b, &ctx, m, places.read(&layer.inputs[1]))?],
            Op::Concat { axis } if concat_is_contiguous(&layer.output_shape, *axis) => {
                let parts: Vec<(Act, i32)> = layer.inputs.iter().map(|t| places.read(t)).collect();
                concat::lower_concat(&mut b, &ctx, &parts, graph)
            }
            Op::Activation(Activation::Relu) => {
                vec![ctx.step(
                    "relu",
                    Call::Relu { params: ReluParams { len: layer.output_shape.elements() } },
                    input_frac,
                )]
            }
            Op::Activation(a) => vec![activation::lower_activation(&mut b, &ctx, a)?],
            Op::PRelu(p) => prelu::lower_prelu(&mut b, &ctx, p)?,
            Op::Affine(a) => vec![affine::lower_affine(&mut b, &ctx, a)?],
            Op::Transpose { perm } => vec![transpose::lower_transpose(&ctx, perm)?],
            Op::Reshape => Vec::new(),
            Op::Softmax(_) | Op::LogSoftmax(_) if index + 1 == graph.layers.len() && !options.keep_softmax => {
                dropped.push(format!(
                    "{} ({}): monotonic, so the argmax is the same without it",
                    layer.name,
                    layer.op.kind()
                ));
                Vec::new()
            }
            Op::Softmax(axis) => vec![softmax::lower_softmax(&ctx, axis)?],
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
            // A grouped convolution's (or a PReLU's) steps all read one buffer and write another, side by side.
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

fn check_block_request(graph: &Graph, request: &BlockRequest) -> Result<(), LowerError> {
    match request {
        BlockRequest::Detect | BlockRequest::Never => Ok(()),
        BlockRequest::All(block) if block.is_power_of_two() && *block >= 2 => Ok(()),
        BlockRequest::All(block) => Err(LowerError::BadBlock { detail: format!("{block} is not a power of two") }),
        BlockRequest::PerLayer(list) => {
            // Dense layers and plain (ungrouped) convolutions may be block-circulant.
            let weighted: Vec<&str> = graph
                .layers
                .iter()
                .filter(|l| matches!(&l.op, Op::Dense(_)) || matches!(&l.op, Op::Conv(c) if c.group == 1))
                .map(|l| l.name.as_str())
                .collect();
            for (name, block) in list {
                if !weighted.contains(&name.as_str()) {
                    return Err(LowerError::BadBlock {
                        detail: format!(
                            "no dense layer or ungrouped convolution named '{name}'; those layers are: {}",
                            weighted.join(", ")
                        ),
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
