//! The compiler's stages in order, shared by `build`, `verify`, `run` and `report`: import, calibrate,
//! lower, place weights that do not fit below 64 KB in upper FRAM, plan memory, and ask the cost model for
//! the cost of every step.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use acec_runtime::Charge;

use crate::ace::cost::Calls;
use crate::ace::memory::{self, MemoryPlan};
use crate::ace::{
    BlockRequest, CirculantMethod, ConvMethod, CostModel, LowerError, LowerOptions, Program, Space, lower,
};
use crate::dataset;
use crate::error::Error;
use crate::flex::EnergyBuffer;
use crate::graph::Graph;
use crate::onnx::{self, ImportOptions};
use crate::rad::calibrate::{self, Ranges};
use crate::target::{self, Target};

/// Calibration samples used at most (more adds time, not accuracy).
pub const CALIBRATION_SAMPLES: usize = 200;

/// Inputs assumed to lie in [-1, 1] when no calibration data is given.
pub const STATIC_INPUT_BOUND: f64 = 1.0;

#[derive(Clone, Debug)]
pub struct Request {
    pub model: PathBuf,
    pub target: String,
    pub blocks: BlockRequest,
    pub calib: Option<PathBuf>,
    pub import: ImportOptions,
    /// Keep a final softmax (the device outputs probabilities) instead of dropping it.
    pub keep_softmax: bool,
    /// Keep every constant in the FRAM that 16-bit pointers reach, as mspdebug's simulator needs: where
    /// FFT convolutions (whose spectra outgrow their kernels) would push constants into upper FRAM, the
    /// convolutions are compiled without FFTs.
    pub no_upper_fram: bool,
    /// The energy buffer FLEX tasks must fit when it is not the target's own (`acec sim --capacitor`):
    /// convolution forms whose work unit would need more than one charge are not chosen.
    pub energy_buffer: Option<EnergyBuffer>,
    /// How the DSPLib the firmware links was built, when not as the target says (`true`: with its argument
    /// checks, DSPLib's default; `false`: `MSP_DISABLE_DIAGNOSTICS`). Changes the modeled cost of every
    /// DSPLib call, so also which forms lowering picks.
    pub dsplib_diagnostics: Option<bool>,
}

impl Request {
    /// `model` for `target` as `acec build` compiles it without options: detected circulant blocks, static
    /// ranges, the final softmax dropped. Set the other fields with struct update syntax.
    pub fn new(model: PathBuf, target: &str) -> Request {
        Request {
            model,
            target: target.into(),
            blocks: BlockRequest::Detect,
            calib: None,
            import: ImportOptions::default(),
            keep_softmax: false,
            no_upper_fram: false,
            energy_buffer: None,
            dsplib_diagnostics: None,
        }
    }
}

/// What one charge of `buffer` leaves a task's kernels on `target`.
fn unit_energy_pj(target: &Target, buffer: &EnergyBuffer) -> u64 {
    crate::flex::partition::task_budget_pj(target, buffer.usable_pj())
}

pub struct Compiled {
    pub graph: Graph,
    pub target: Target,
    pub ranges: Ranges,
    pub program: Program,
    /// The memory plan, or why the program does not fit the target (host runs work either way).
    pub plan: Result<MemoryPlan, LowerError>,
    /// Modeled cost of each step on the target: cycles and energy by engine.
    pub costs: Vec<Charge>,
    /// The kernel calls of each step, to price under other cost tables (`report`'s sensitivity and
    /// bound) without running the program again.
    pub calls: Vec<Rc<Calls>>,
    /// The cost model lowering asked (FLEX partitioning asks it too).
    pub cost_model: Rc<CostModel>,
}

pub fn compile(request: &Request) -> Result<Compiled, Error> {
    compile_with(request, Methods::ACEC)
}

/// How a build computes the layers where acec and the systems `acec report` compares it with differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Methods {
    pub circulant: CirculantMethod,
    pub conv: ConvMethod,
}

impl Methods {
    /// `acec build`'s.
    pub const ACEC: Self = Self { circulant: CirculantMethod::Ace, conv: ConvMethod::Cheapest };
    /// The TAILS-style baseline's convolutions (its dense layers come from the request's blocks).
    pub const TAILS: Self = Self { circulant: CirculantMethod::Ace, conv: ConvMethod::FirRows };
    /// The published circulant code's: complex FFTs per block pair, one dot product per output pixel.
    pub const PAPER: Self = Self { circulant: CirculantMethod::Paper, conv: ConvMethod::DotProducts };
}

/// [`compile`] with `methods` (`acec report` compiles its baselines this way).
pub fn compile_with(request: &Request, methods: Methods) -> Result<Compiled, Error> {
    let mut target = target::load(&request.target)?;
    if let Some(diagnostics) = request.dsplib_diagnostics {
        target = target.with_dsplib_diagnostics(diagnostics);
    }
    let graph = onnx::load(&request.model, &request.import)?;
    if graph.input_shape.dims().first().is_some_and(|&batch| batch != 1) {
        return Err(Error::Lower(LowerError::Unsupported {
            layer: graph.input_name.clone(),
            op: "input".into(),
            detail: format!(
                "batch {} in shape {}; acec compiles one sample at a time: use --input-shape {}=1x...",
                graph.input_shape.dims()[0],
                graph.input_shape,
                graph.input_name
            ),
        }));
    }
    let ranges = match &request.calib {
        Some(path) => {
            let data = dataset::load(path, graph.input_shape.dims())?.truncated(CALIBRATION_SAMPLES);
            calibrate::from_samples(
                &graph,
                (0..data.len()).map(|i| data.sample(i)),
                format!("{} samples of {}", data.len(), path.display()),
            )
        }
        None => calibrate::static_bound(&graph, STATIC_INPUT_BOUND),
    };
    let defaults = lower_options(&target, request.blocks.clone());
    let options = LowerOptions {
        circulant: methods.circulant,
        conv: methods.conv,
        keep_softmax: request.keep_softmax,
        unit_energy_pj: request.energy_buffer.map_or(defaults.unit_energy_pj, |b| unit_energy_pj(&target, &b)),
        ..defaults
    };
    let mut program = lower(&graph, &ranges, &options)?;
    memory::spill_to_upper_fram(&mut program, &target);
    let in_upper_fram = |program: &Program| program.buffers.iter().any(|b| b.space == Space::FramUpper);
    if request.no_upper_fram && options.conv == ConvMethod::Cheapest && in_upper_fram(&program) {
        program = lower(&graph, &ranges, &LowerOptions { conv: ConvMethod::Direct, ..options.clone() })?;
        memory::spill_to_upper_fram(&mut program, &target);
    }
    let mut plan = memory::plan(&program, &target);
    if request.no_upper_fram && plan.is_ok() && in_upper_fram(&program) {
        plan = Err(still_in_upper_fram(&program, &target));
    }
    let cost_model = Rc::clone(&options.costs);
    let calls = step_calls(&program, &cost_model)?;
    let costs = calls.iter().map(|calls| cost_model.charge(calls)).collect();
    Ok(Compiled { graph, target, ranges, program, plan, costs, calls, cost_model })
}

/// `--no-upper-fram` promises every constant below 64 KB; when even direct convolutions leave weights above
/// it, the model does not fit as asked.
fn still_in_upper_fram(program: &Program, target: &Target) -> LowerError {
    let upper: usize = program.buffers.iter().filter(|b| b.space == Space::FramUpper).map(|b| b.bytes()).sum();
    LowerError::DoesNotFit {
        target: target.name.clone(),
        region: "fram_lower".into(),
        over_bytes: upper as u64,
        detail: format!(
            "with --no-upper-fram every constant must fit lower FRAM, but {upper} bytes of weights do not (lower \
             FRAM is full); without --no-upper-fram they are read from upper FRAM by DMA"
        ),
    }
}

/// How `acec build` lowers for `target`: its LEA scratch, FFT lengths and kernel costs, acec's circulant
/// method, a final softmax dropped.
pub fn lower_options(target: &Target, blocks: BlockRequest) -> LowerOptions {
    let (fft_min, fft_max) = target.fft_range();
    LowerOptions {
        blocks,
        lea_elements: target.lea_elements(),
        fft_min,
        fft_max,
        circulant: Methods::ACEC.circulant,
        conv: Methods::ACEC.conv,
        keep_softmax: false,
        unit_energy_pj: target.energy_buffer.as_ref().map_or(u64::MAX, |b| unit_energy_pj(target, &b.into())),
        costs: Rc::new(CostModel::new(target.cost_table())),
    }
}

/// The kernel calls of each step of `program` (a lowered program's kernels never refuse: a refusal is a
/// bug).
pub fn step_calls(program: &Program, costs: &CostModel) -> Result<Vec<Rc<Calls>>, Error> {
    costs.steps(program).map_err(|e| Error::Internal(format!("host run: {e}")))
}

/// A model's name: its file stem, or its folder's name for the common `<name>/model.onnx` layout.
pub fn model_name(model: &Path) -> String {
    let stem = model.file_stem().map_or("model".into(), |s| s.to_string_lossy().into_owned());
    if stem != "model" {
        return stem;
    }
    model.parent().and_then(|p| p.file_name()).map_or(stem, |p| p.to_string_lossy().into_owned())
}

/// Where `acec build` writes when no `-o` is given.
pub fn default_output(model: &Path) -> PathBuf {
    PathBuf::from(format!("{}-acec", model_name(model)))
}
