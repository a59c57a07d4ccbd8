//! `acec compress`: RAD end to end. Loads the model and its data, decides the task (classifier or regression),
//! picks block sizes (given, or `auto`: the cheapest configuration in modeled energy that fits the target and
//! keeps the loss, scored on a validation split, within budget), trains them in with ADMM, and writes a
//! standard ONNX model with exactly block-circulant Q15 weights plus a report, atomically.
//!
//! - [`choice`]: allowed blocks per layer and the device cost of a configuration;
//! - [`search`]: `--block auto`'s greedy path and the bisection that trains along it;
//! - [`data`]: the samples and what they are scored against, checked against the model; the validation split;
//! - [`score`]: accuracy or error, and the budget;
//! - [`frozen`]: the layers before the first dense layer, fixed, computed once;
//! - [`interrupt`]: Ctrl-C, which stops the run at its next check, before anything is written;
//! - [`trial`]: training and measuring one configuration;
//! - [`snap`]: MAC layers onto exactly the grid `acec build` quantizes them to;
//! - [`report`]: what the run did, as markdown and JSON;
//! - [`output`]: the atomic write of the model and its reports.

pub mod choice;
pub mod data;
pub mod frozen;
pub mod interrupt;
pub mod output;
pub mod report;
pub mod score;
pub mod search;
pub mod snap;
pub mod trial;

use std::path::PathBuf;

use crate::ace::BlockRequest;
pub use crate::error::CompressError;
use crate::graph::Graph;
use crate::onnx::{self, ImportOptions};
use crate::rad::admm::Schedule;
use crate::rad::calibrate;
use crate::target;
use crate::task::Task;
use choice::{Candidate, Costed};
use report::{Choice, Tried};
use score::{Budget, Score};

/// Which blocks to train.
#[derive(Clone, Debug, PartialEq)]
pub enum BlockSpec {
    Auto,
    Fixed(BlockRequest),
}

/// Everything `acec compress` was asked.
#[derive(Clone, Debug)]
pub struct Request {
    pub model: PathBuf,
    pub data: PathBuf,
    pub test: Option<PathBuf>,
    pub target: String,
    pub blocks: BlockSpec,
    pub epochs: usize,
    /// What the model computes (`None`: inferred from the model and the data).
    pub task: Option<Task>,
    pub budget: Budget,
    pub seed: u64,
    pub output: PathBuf,
    /// Train on only the first N samples (quick runs).
    pub limit: Option<usize>,
    pub import: ImportOptions,
}

/// Default `--epochs`: the shipped LeNet recovers to within about half a point of its float accuracy at
/// block 64 (its dense part trains in about 20 s per configuration on 2 cores).
pub const DEFAULT_EPOCHS: usize = 60;

/// How `--epochs N` is spent: two thirds as ADMM rounds of one epoch each, the rest fine-tuning the hardened
/// network (at least one of each). The penalty grows geometrically from [`RHO_START`] (the data term
/// dominates: W keeps what it learned) to [`RHO_END`] in the last round (W sits on the structure, so the hard
/// projection loses little).
pub fn schedule(epochs: usize) -> Schedule {
    let finetune_epochs = (epochs / 3).max(1);
    let rounds = epochs.saturating_sub(finetune_epochs).max(1);
    Schedule {
        rounds,
        epochs_per_round: 1,
        finetune_epochs,
        rho: RHO_START,
        rho_growth: if rounds > 1 { (RHO_END / RHO_START).powf(1.0 / (rounds - 1) as f64) } else { 1.0 },
        lr: 3e-3,
        finetune_lr: 2e-3,
        batch: 64,
    }
}

pub const RHO_START: f64 = 0.01;
pub const RHO_END: f64 = 300.0;

/// Runs the whole command; the report says what was done (it is also written beside the model).
pub fn run(request: &Request) -> Result<report::Report, crate::error::Error> {
    let started = std::time::Instant::now();
    let target = target::load(&request.target)?;
    let graph = onnx::load(&request.model, &request.import)?;
    let outputs = graph.output_shape().elements();
    let input = graph.input_shape.dims().to_vec();
    let (mut all, scoring) = data::load(&request.data, &input, outputs, request.task, request.limit)?;
    let test = match &request.test {
        Some(t) => Some(data::load(t, &input, outputs, Some(scoring.task), None)?.0),
        None => None,
    };
    let schedule = schedule(request.epochs.max(1));
    let budget = request.budget;
    for (value, flag) in [(budget.max_drop_points, "--max-drop"), (budget.max_error_rise_pct, "--max-error-rise")] {
        if value.is_nan() || value < 0.0 {
            return Err(CompressError::BadArgument(format!("{flag} {value}: expected a number >= 0")).into());
        }
    }
    // Fails early (exit 2) on a layer training cannot run.
    let original = crate::rad::admm::Net::from_graph(&graph).map_err(CompressError::from)?;
    let phase = format!("running the original model on {} samples", all.len());
    interrupt::check("loading the model and data")?;
    let spinner = crate::progress::spinner(&phase);
    all.teacher = Some(crate::rad::admm::train::logits(&original, &all.samples()).map_err(CompressError::from)?);
    // Trials are scored on samples held out of training; the --test set (when given) only reports.
    let (train, validation) = all.split_validation();
    let eval = test.as_ref().unwrap_or(&validation);
    let score_before = Score::of(&original, eval).map_err(CompressError::from)?;
    let validation_before = Score::of(&original, &validation).map_err(CompressError::from)?;
    spinner.finish_and_clear();
    interrupt::check(&phase)?;

    let candidates = choice::candidates(&graph, &target);
    let ranges = calibrate::from_samples(
        &graph,
        train.x.chunks(graph.input_shape.elements()).take(COST_SAMPLES),
        format!("{COST_SAMPLES} samples of {}", request.data.display()),
    );
    let setup =
        trial::Setup { train: &train, eval: &validation, schedule: &schedule, seed: request.seed, target: &target };
    let mut tried = Vec::new();
    let Chosen { blocks: combination, trial, costed } = match &request.blocks {
        BlockSpec::Fixed(request_blocks) => {
            let blocks = fixed_blocks(&graph, &candidates, request_blocks)?;
            let costed = choice::Costing::new(&graph, &ranges, &target, &candidates).cost(blocks.clone())?;
            if let Some(misfit) = &costed.misfit {
                eprintln!("note: with these blocks {misfit}\nnote: training anyway, as asked");
            }
            let trial = train_blocks(&graph, &candidates, &blocks, &setup, "training")?;
            tried.push(Tried::new(describe(&candidates, &blocks), &costed, &trial, &validation_before));
            Chosen { blocks, trial, costed: vec![costed] }
        }
        BlockSpec::Auto => {
            let auto = Auto { graph: &graph, candidates: &candidates, ranges: &ranges, validation: &validation };
            auto.choose(&setup, &validation_before, &budget, &mut tried)?
        }
    };

    let trained_net = crate::rad::admm::Net::from_graph(&trial.graph).map_err(CompressError::from)?;
    let score_after = Score::of(&trained_net, eval).map_err(CompressError::from)?;
    let choice = Choice::explain(&request.blocks, &candidates, &combination, &costed, tried, &budget);
    let report = report::Report::new(report::Inputs {
        request,
        task: scoring,
        target: &target.name,
        original: &graph,
        trained: &trial.graph,
        train_samples: train.len(),
        validation_samples: validation.len(),
        eval_samples: eval.len(),
        score_before,
        score_after,
        schedule: &schedule,
        outcome: &trial.outcome,
        choice,
        seconds: started.elapsed().as_secs_f64(),
    });
    let bytes = onnx::export(&trial.graph, &format!("acec compress {}", env!("CARGO_PKG_VERSION")))
        .map_err(CompressError::from)?;
    // The last point to stop: once writing starts it finishes (three files, renamed into place together).
    interrupt::check("preparing the output")?;
    output::write(&request.output, &bytes, &report)?;
    Ok(report)
}

/// What `--block auto` searches over.
struct Auto<'a> {
    graph: &'a Graph,
    candidates: &'a [Candidate],
    ranges: &'a calibrate::Ranges,
    validation: &'a data::Examples,
}

impl Auto<'_> {
    /// Walks the search path and trains along it by bisection: the cheapest configuration within `budget`
    /// (scored on the validation split), or the least damaged one tried. Returns its blocks, its trial and
    /// the path (every configuration costed).
    fn choose(
        &self,
        setup: &trial::Setup,
        before: &Score,
        budget: &Budget,
        tried: &mut Vec<Tried>,
    ) -> Result<Chosen, CompressError> {
        let (graph, candidates) = (self.graph, self.candidates);
        let costing = choice::Costing::new(graph, self.ranges, setup.target, candidates);
        let path = search::path(&costing, &self.validation.x)?;
        let fitting: Vec<&Costed> = path.iter().filter(|c| c.misfit.is_none()).collect();
        if fitting.is_empty() {
            return Err(CompressError::BadArgument(format!(
                "no block configuration of the candidate layers fits {}, even the most compressed one ({}): {}",
                setup.target.name,
                path.last().map_or(String::new(), |c| describe(candidates, &c.blocks)),
                path.last().and_then(|c| c.misfit.clone()).unwrap_or_else(|| "no dense layer".into())
            )));
        }
        let mut trials: Vec<(usize, trial::Trial)> = Vec::new();
        let last_passing = search::bisect(fitting.len(), search::trials_for(fitting.len()), &mut |i| {
            let c = fitting[i];
            let label = format!("trial {} (bisection) {}", trials.len() + 1, describe(candidates, &c.blocks));
            let trial = train_blocks(graph, candidates, &c.blocks, setup, &label)?;
            tried.push(Tried::new(describe(candidates, &c.blocks), c, &trial, before));
            let passes = trial.score.within(before, budget);
            trials.push((i, trial));
            Ok(passes)
        })?;
        let pick = match last_passing {
            Some(i) => trials.iter().position(|(t, _)| *t == i),
            None => (0..trials.len()).min_by(|&a, &b| {
                let loss = |k: usize| trials[k].1.score.loss_from(before);
                loss(a).total_cmp(&loss(b))
            }),
        }
        .ok_or_else(|| CompressError::Internal("no trial ran".into()))?;
        let (index, trial) = trials.swap_remove(pick);
        Ok(Chosen { blocks: fitting[index].blocks.clone(), trial, costed: path })
    }
}

/// The configuration a run ends with: its blocks (per candidate), its training, and every configuration
/// costed on the way (the report's "considered").
struct Chosen {
    blocks: Vec<Option<usize>>,
    trial: trial::Trial,
    costed: Vec<Costed>,
}

/// Calibration samples used only to lower candidate configurations for their cost (costs depend on sizes,
/// not on the formats calibration picks).
const COST_SAMPLES: usize = 16;

fn train_blocks(
    graph: &Graph,
    candidates: &[Candidate],
    blocks: &[Option<usize>],
    setup: &trial::Setup,
    label: &str,
) -> Result<trial::Trial, CompressError> {
    let layer_blocks: Vec<(usize, usize)> =
        candidates.iter().zip(blocks).filter_map(|(c, b)| b.map(|b| (c.layer, b))).collect();
    trial::run(graph, &layer_blocks, setup, label)
}

/// `fc1=64 fc2=dense`.
pub fn describe(candidates: &[Candidate], blocks: &[Option<usize>]) -> String {
    let parts: Vec<String> = candidates
        .iter()
        .zip(blocks)
        .map(|(c, b)| format!("{}={}", c.name, b.map_or("dense".into(), |b| b.to_string())))
        .collect();
    parts.join(" ")
}

/// The blocks a `--block N` or `--block LAYER=N,...` asks for, checked against what the target can run.
fn fixed_blocks(
    graph: &Graph,
    candidates: &[Candidate],
    request: &BlockRequest,
) -> Result<Vec<Option<usize>>, CompressError> {
    let allowed = |c: &Candidate| -> String {
        if c.blocks.is_empty() {
            "none on this target".into()
        } else {
            c.blocks.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        }
    };
    match request {
        BlockRequest::All(block) => {
            let blocks: Vec<Option<usize>> =
                candidates.iter().map(|c| c.blocks.contains(block).then_some(*block)).collect();
            if blocks.iter().all(Option::is_none) {
                let list: Vec<String> = candidates.iter().map(|c| format!("{}: {}", c.name, allowed(c))).collect();
                return Err(CompressError::BadArgument(format!(
                    "--block {block} fits no dense layer or convolution on this target (allowed blocks per layer: {})",
                    list.join("; ")
                )));
            }
            Ok(blocks)
        }
        BlockRequest::PerLayer(list) => {
            let mut blocks = vec![None; candidates.len()];
            for (name, block) in list {
                let Some(index) = candidates.iter().position(|c| c.name == *name) else {
                    let is_conv = graph.layers.iter().any(|l| l.name == *name && l.op.kind() == "Conv");
                    let why = if is_conv {
                        "is a grouped convolution, or one whose channels no block the target runs divides: only \
                         plain convolutions with out channels and kernel positions x in channels divisible by the block can be \
                         block-circulant"
                    } else {
                        "is neither a dense layer nor a convolution"
                    };
                    let names: Vec<&str> = candidates.iter().map(|c| c.name.as_str()).collect();
                    return Err(CompressError::BadArgument(format!(
                        "--block {name}={block}: '{name}' {why} (layers that may be block-circulant: {})",
                        names.join(", ")
                    )));
                };
                let c = &candidates[index];
                if !c.blocks.contains(block) {
                    return Err(CompressError::BadArgument(format!(
                        "--block {name}={block}: a {} x {} layer on this target allows blocks {}",
                        c.rows,
                        c.cols,
                        allowed(c)
                    )));
                }
                blocks[index] = Some(*block);
            }
            Ok(blocks)
        }
        BlockRequest::Detect | BlockRequest::Never => Ok(vec![None; candidates.len()]),
    }
}
