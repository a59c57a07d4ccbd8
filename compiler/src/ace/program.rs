//! The accelerator program: buffers placed in memory spaces, and a linear list of steps, each one call of
//! an `acec_runtime::ops` layer operation (itself a fixed sequence of accelerator kernel calls) or of a
//! single kernel. The host simulation interprets it; code generation prints it.

use std::fmt::Debug;

use acec_runtime::PoolShape;
use acec_runtime::ops::{
    AddParams, ChannelAffineParams, CirculantConvParams, CirculantPaperParams, CirculantParams, ConvFftParams,
    ConvFirParams, ConvParams, DenseParams, LookupParams, MaxPoolParams, MultiplyParams, PermuteParams, ReluParams,
    RescaleParams, SoftmaxParams,
};

/// Where a buffer lives on the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Space {
    /// Constants (weights, spectra, biases) in the FRAM the CPU addresses (below 64 KB).
    FramConst,
    /// Weight arrays in upper FRAM (above 64 KB, beyond 16-bit pointers): layers only stage them into LEA
    /// RAM, by DMA ([`acec_runtime::Far`]). The memory plan moves the largest weights here when the lower
    /// FRAM is full.
    FramUpper,
    /// Activations in FRAM: non-volatile, survive power loss.
    FramData,
    /// Volatile scratch in SRAM.
    Sram,
    /// Accelerator operands in LEA RAM.
    LeaRam,
}

impl Space {
    pub fn name(self) -> &'static str {
        match self {
            Space::FramConst => "fram_const",
            Space::FramUpper => "fram_upper",
            Space::FramData => "fram_data",
            Space::Sram => "sram",
            Space::LeaRam => "lea_ram",
        }
    }
}

/// Buffer contents known at compile time.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    I16(Vec<i16>),
    I32(Vec<i32>),
}

impl Data {
    pub fn len(&self) -> usize {
        match self {
            Data::I16(v) => v.len(),
            Data::I32(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn element_bytes(&self) -> usize {
        match self {
            Data::I16(_) => 2,
            Data::I32(_) => 4,
        }
    }
}

/// Index of a buffer in [`Program::buffers`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BufferId(pub usize);

#[derive(Clone, Debug, PartialEq)]
pub struct Buffer {
    /// A Rust identifier (SCREAMING_SNAKE_CASE) for the generated static.
    pub name: String,
    pub space: Space,
    /// Element type and, for constants, the contents; for scratch buffers, zeros of the right length.
    pub data: Data,
    /// Required start alignment in bytes (FFT operands need `2 * length`).
    pub align: usize,
    /// What it holds, for doc comments and reports.
    pub doc: String,
}

impl Buffer {
    pub fn bytes(&self) -> usize {
        self.data.len() * self.data.element_bytes()
    }

    pub fn is_constant(&self) -> bool {
        matches!(self.space, Space::FramConst | Space::FramUpper)
    }
}

/// An activation buffer, by its index in [`Program::acts`]. Lowering places every tensor in one by its
/// lifetime: a buffer is reused once the last reader of what it holds has run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Act(pub usize);

impl Act {
    /// `A`, `B`, ... `Z`, then `AA`, `AB`, ...: the suffix of its generated static and field.
    pub fn letter(self) -> String {
        let letter = |i: usize| char::from(b'A' + (i % 26) as u8);
        if self.0 < 26 { letter(self.0).to_string() } else { format!("{}{}", letter(self.0 / 26 - 1), letter(self.0)) }
    }
}

/// One call, with its operands.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Call {
    Dense {
        params: DenseParams,
        weights: BufferId,
        bias: BufferId,
    },
    Circulant {
        params: CirculantParams,
        spectra: BufferId,
        bias: BufferId,
    },
    /// The published method's circulant layer (the `paper_ace` baseline of `acec report`): time-domain
    /// weight vectors, transformed at run time.
    CirculantPaper {
        params: CirculantPaperParams,
        weights: BufferId,
        bias: BufferId,
    },
    Conv {
        params: ConvParams,
        weights: BufferId,
        bias: BufferId,
    },
    ConvFir {
        params: ConvFirParams,
        weights: BufferId,
        bias: BufferId,
    },
    ConvFft {
        params: ConvFftParams,
        spectra: BufferId,
        bias: BufferId,
    },
    /// A block-circulant convolution: every output pixel a block-circulant product of its receptive field.
    CirculantConv {
        params: CirculantConvParams,
        spectra: BufferId,
        bias: BufferId,
    },
    /// With `relu`, the pooled values' ReLU too (of the layer before: the two commute).
    MaxPool {
        params: MaxPoolParams,
    },
    AvgPool {
        shape: PoolShape,
    },
    /// In place.
    Relu {
        params: ReluParams,
    },
    /// Input in Q`input_frac`, output probabilities in Q15.
    Softmax {
        params: SoftmaxParams,
    },
    /// The step's input plus the tensor in activation buffer `second` (from its start).
    Add {
        params: AddParams,
        second: Act,
    },
    /// The step's input times the gate in activation buffer `second` (from its start), broadcast to it.
    Multiply {
        params: MultiplyParams,
        second: Act,
    },
    /// A copy of the input, multiplied by `2^shift` (a right shift or none) on the way: one part of a
    /// concatenation, written at the step's output offset.
    Rescale {
        params: RescaleParams,
    },
    /// `table`'s function of every input element (Tanh, Sigmoid, ...), by the `lookup` kernel.
    Lookup {
        params: LookupParams,
        table: BufferId,
    },
    /// The input gathered into another layout (a Transpose).
    Permute {
        params: PermuteParams,
    },
    /// In place.
    ChannelAffine {
        params: ChannelAffineParams,
        scales: BufferId,
        offsets: BufferId,
    },
}

/// One operand of a call, in the order its `acec_runtime::ops` function takes it (after the accelerator
/// and the params, before the work range).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    /// A constant array (weights, bias, spectra, table). `staged`: the call reads it only through staging
    /// copies into LEA RAM (by DMA when it lives in upper FRAM), so it may live above 64 KB.
    Const { id: BufferId, staged: bool },
    /// The step's input activation, from its input offset.
    Input,
    /// The step's output activation, from its output offset (the data itself, for a call that works in
    /// place).
    Output,
    /// Another activation buffer, from its start: a residual sum's other operand, a product's gate.
    Second(Act),
    /// The LEA RAM scratch every step shares.
    Lea,
    /// The 32-bit accumulators every step shares.
    Acc32,
}

/// How a step calls the runtime: `acec_runtime::ops::<function>(acc, &params, operands.., work)`. The one
/// description of a call: code generation prints it, the operand queries below read it, and the host
/// interpreter (`exec.rs`) makes the same call with typed arguments.
pub struct Descriptor<'a> {
    pub function: &'static str,
    /// The params struct. Its derived `Debug` form (integers, booleans, arrays and nested such structs) is
    /// its Rust literal, once its struct names are given their path.
    pub params: &'a dyn Debug,
    pub operands: Vec<Operand>,
}

impl Call {
    /// The runtime call this is.
    pub fn describe(&self) -> Descriptor<'_> {
        use Operand::{Acc32, Input, Lea, Output, Second};
        let staged = |id: &BufferId| Operand::Const { id: *id, staged: true };
        let near = |id: &BufferId| Operand::Const { id: *id, staged: false };
        let (function, params, operands): (_, &dyn Debug, _) = match self {
            Call::Dense { params, weights, bias } => {
                ("dense", params, vec![staged(weights), near(bias), Input, Output, Lea, Acc32])
            }
            Call::Circulant { params, spectra, bias } => {
                ("circulant_dense", params, vec![staged(spectra), near(bias), Input, Output, Lea])
            }
            Call::CirculantPaper { params, weights, bias } => {
                ("circulant_paper", params, vec![staged(weights), near(bias), Input, Output, Lea])
            }
            Call::Conv { params, weights, bias } => {
                ("conv", params, vec![staged(weights), near(bias), Input, Output, Lea, Acc32])
            }
            Call::ConvFir { params, weights, bias } => {
                ("conv_fir", params, vec![staged(weights), near(bias), Input, Output, Lea])
            }
            Call::ConvFft { params, spectra, bias } => {
                ("conv_fft", params, vec![staged(spectra), near(bias), Input, Output, Lea])
            }
            Call::CirculantConv { params, spectra, bias } => {
                ("circulant_conv", params, vec![staged(spectra), near(bias), Input, Output, Lea])
            }
            Call::MaxPool { params } => ("max_pool", params, vec![Input, Output]),
            Call::AvgPool { shape } => ("average_pool", shape, vec![Input, Output]),
            Call::Relu { params } => ("relu", params, vec![Output]),
            Call::Softmax { params } => ("softmax", params, vec![Input, Output]),
            Call::Add { params, second } => ("add", params, vec![Input, Second(*second), Output, Lea]),
            Call::Multiply { params, second } => ("multiply", params, vec![Input, Second(*second), Output, Lea]),
            Call::Rescale { params } => ("rescale", params, vec![Input, Output, Lea]),
            Call::Lookup { params, table } => ("lookup", params, vec![near(table), Input, Output]),
            Call::Permute { params } => ("permute", params, vec![Input, Output]),
            Call::ChannelAffine { params, scales, offsets } => {
                ("channel_affine", params, vec![near(scales), near(offsets), Output, Lea])
            }
        };
        Descriptor { function, params, operands }
    }

    /// The weight array the call only reads through staging copies (so it may live in upper FRAM).
    pub fn staged_weights(&self) -> Option<BufferId> {
        self.describe().operands.into_iter().find_map(|operand| match operand {
            Operand::Const { id, staged: true } => Some(id),
            _ => None,
        })
    }

    /// The constant arrays the call reads (weights, biases, spectra, tables), in operand order.
    pub fn constants(&self) -> Vec<BufferId> {
        let operands = self.describe().operands.into_iter();
        operands
            .filter_map(|operand| match operand {
                Operand::Const { id, .. } => Some(id),
                _ => None,
            })
            .collect()
    }

    /// The activation buffer a call reads besides the step's input: a residual sum's other operand, a
    /// product's gate (kept alive across the layers between, as a skip connection).
    pub fn second_input(&self) -> Option<Act> {
        self.describe().operands.into_iter().find_map(|operand| match operand {
            Operand::Second(act) => Some(act),
            _ => None,
        })
    }

    /// The block size of a block-circulant layer (either method).
    pub fn circulant_block(&self) -> Option<usize> {
        match self {
            Call::Circulant { params, .. } => Some(params.block),
            Call::CirculantPaper { params, .. } => Some(params.block),
            Call::CirculantConv { params, .. } => Some(params.circulant.block),
            _ => None,
        }
    }

    /// Elements of its input activation a call with weights reads (`None` for a call without).
    pub fn weighted_input_len(&self) -> Option<usize> {
        match self {
            Call::Dense { params, .. } => Some(params.inputs),
            Call::Circulant { params, .. } => Some(params.inputs),
            Call::CirculantPaper { params, .. } => Some(params.inputs),
            Call::Conv { params: p, .. } => Some(p.in_channels * p.in_height * p.in_width),
            Call::ConvFir { params: p, .. } => Some(p.in_channels * p.in_height * p.in_width),
            Call::ConvFft { params: p, .. } => Some(p.in_channels * p.in_height * p.in_width),
            Call::CirculantConv { params, .. } => Some(params.input_len()),
            _ => None,
        }
    }

    /// This call with every constant operand in buffer `id` (and a second activation operand in buffer
    /// 0): its shape, for the cost model (what a call costs does not depend on which buffers it reads).
    pub fn with_operands(&self, id: BufferId) -> Call {
        let mut call = self.clone();
        match &mut call {
            Call::Dense { weights, bias, .. }
            | Call::CirculantPaper { weights, bias, .. }
            | Call::Conv { weights, bias, .. }
            | Call::ConvFir { weights, bias, .. } => (*weights, *bias) = (id, id),
            Call::Circulant { spectra, bias, .. }
            | Call::ConvFft { spectra, bias, .. }
            | Call::CirculantConv { spectra, bias, .. } => (*spectra, *bias) = (id, id),
            Call::ChannelAffine { scales, offsets, .. } => (*scales, *offsets) = (id, id),
            Call::Lookup { table, .. } => *table = id,
            // Which buffer holds the second operand does not change the cost either.
            Call::Add { second, .. } | Call::Multiply { second, .. } => *second = Act(0),
            Call::MaxPool { .. }
            | Call::AvgPool { .. }
            | Call::Relu { .. }
            | Call::Softmax { .. }
            | Call::Permute { .. }
            | Call::Rescale { .. } => {}
        }
        call
    }

    /// Whether the kernel works in place: the step copies its input to its output first, then works on
    /// the output (so a re-executed step starts again from its intact input).
    pub fn works_in_place(&self) -> bool {
        matches!(self, Call::Relu { .. } | Call::ChannelAffine { .. })
    }

    /// The number of work units a task can split the call into (rows, blocks, channels).
    pub fn work_units(&self) -> usize {
        match self {
            Call::Dense { params, .. } => params.outputs,
            Call::Circulant { params, .. } => params.block_rows,
            Call::CirculantPaper { params, .. } => params.block_rows,
            Call::Conv { params, .. } => params.out_height,
            Call::ConvFir { params, .. } => params.out_height,
            Call::ConvFft { params, .. } => params.bands(),
            Call::CirculantConv { params, .. } => params.out_height,
            Call::MaxPool { params } => params.shape.channels,
            Call::AvgPool { shape } => shape.channels,
            // These copy their whole input before working in place, so they run as one unit; a softmax
            // needs the whole vector's maximum and sum.
            Call::Relu { .. } | Call::ChannelAffine { .. } | Call::Softmax { .. } => 1,
            // Two whole tensors in, one out: one unit (it writes neither input, so it can re-run).
            Call::Add { .. } | Call::Rescale { .. } => 1,
            Call::Lookup { params, .. } => params.units(),
            Call::Permute { params } => params.units(),
            // It writes neither input, so any unit can re-run.
            Call::Multiply { params, .. } => params.units(),
        }
    }
}

/// One layer of the model as the device runs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The layer (graph node) names this step implements, e.g. `fc1 + relu`.
    pub layer: String,
    /// What kind of implementation, for reports and the generated code's doc comments: `dense-mac`,
    /// `circulant-fft b=64`, `conv-mac`, ...
    pub kind: String,
    /// Why lowering chose this form, with the modeled figures it compared (`modeled 3,100 vs 9,800 cycles
    /// as conv-mac`): for reports only. The generated code leaves it out, so that re-measuring a kernel
    /// does not change the crate.
    pub choice: Option<String>,
    pub call: Call,
    /// Activation buffer read (a second operand, if any, is in the call).
    pub input: Act,
    /// Activation buffer written: never one it reads (a step that wrote its own input could not be
    /// re-executed after a power failure; the FLEX hazard check rejects it).
    pub output: Act,
    /// Where in the activation buffers this step's input and output start, in elements: 0, except for the
    /// steps of a grouped convolution, each of which reads and writes its groups' channels (contiguous
    /// in CHW order).
    pub input_offset: usize,
    pub output_offset: usize,
    /// Elements the step writes, from `output_offset`.
    pub output_len: usize,
    /// The index of the graph layer whose output this step reproduces (the last layer it covers).
    pub float_layer: usize,
    /// Output shape (batch axis included), for doc comments.
    pub output_shape: Vec<usize>,
    /// Frac bits of the output activations.
    pub output_frac: i32,
    /// Parameters of the original layer and of the compiled form.
    pub params_dense: usize,
    pub params_stored: usize,
    /// The float layer ends with a ReLU that this step leaves to the next one, a max-pool (they commute,
    /// and the pool has fewer values): this step's negative outputs are the float layer's zeros.
    pub relu_pending: bool,
}

/// A compiled model.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub buffers: Vec<Buffer>,
    pub steps: Vec<Step>,
    pub input_len: usize,
    pub input_shape: Vec<usize>,
    pub input_frac: i32,
    pub output_len: usize,
    pub output_frac: i32,
    /// The activation buffers (see [`Act`]); the input is loaded into the first.
    pub acts: Vec<BufferId>,
    /// The buffer that holds the output when the last step has run.
    pub output_act: Act,
    /// Scratch in LEA RAM (`i16`) and the 32-bit accumulators (`i32`) every step shares.
    pub lea: BufferId,
    pub acc32: BufferId,
    /// Layers of the float model that the program leaves out, with the reason (e.g. a final softmax).
    pub dropped: Vec<String>,
}

impl Program {
    pub fn buffer(&self, id: BufferId) -> &Buffer {
        &self.buffers[id.0]
    }

    pub fn act_buffer(&self, act: Act) -> BufferId {
        self.acts[act.0]
    }

    /// Bytes of all buffers in each memory space, in space order.
    pub fn bytes_per_space(&self) -> Vec<(Space, u64)> {
        let mut totals: Vec<(Space, u64)> = Vec::new();
        for buffer in &self.buffers {
            match totals.iter_mut().find(|(s, _)| *s == buffer.space) {
                Some((_, total)) => *total += buffer.bytes() as u64,
                None => totals.push((buffer.space, buffer.bytes() as u64)),
            }
        }
        totals.sort();
        totals
    }
}
