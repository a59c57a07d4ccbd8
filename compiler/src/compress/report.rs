//! What an `acec compress` run did, as `OUT.report.json` and `OUT.report.md`: per layer the block size and
//! parameters before and after, the task's score before and after (accuracy, or MSE and SNR), the ADMM
//! residual per round, and why these blocks were chosen.

use serde::Serialize;

use super::choice::{Candidate, Costed};
use super::score::{Budget, Score};
use super::trial::Trial;
use super::{BlockSpec, Request, describe};
use crate::graph::{Graph, Op};
use crate::rad::admm::train::EpochStats;
use crate::rad::admm::{Outcome, Round, Schedule};
use crate::report::inspect::inspect;
use crate::report::table::{render, thousands};

#[derive(Clone, Debug, Serialize)]
pub struct LayerRow {
    pub name: String,
    pub op: String,
    /// The block size at which the written weight is exactly block-circulant (detected in the output).
    pub block: Option<usize>,
    pub params_before: u64,
    pub params_after: u64,
    pub compression: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Totals {
    pub params_before: u64,
    pub params_after: u64,
    pub compression: f64,
    /// Dense layers only.
    pub dense_params_before: u64,
    pub dense_params_after: u64,
    pub dense_compression: f64,
}

/// One configuration trained during the choice, scored on the validation split.
#[derive(Clone, Debug, Serialize)]
pub struct Tried {
    pub blocks: String,
    pub params: usize,
    pub energy_uj: f64,
    pub score: Score,
    /// Accuracy points lost, or percent of MSE added, against the original on the same samples.
    pub loss: f64,
    pub loss_text: String,
    pub seconds: f64,
}

impl Tried {
    pub fn new(blocks: String, costed: &Costed, trial: &Trial, before: &Score) -> Self {
        Tried {
            blocks,
            params: costed.params,
            energy_uj: costed.energy_uj,
            score: trial.score,
            loss: trial.score.loss_from(before),
            loss_text: trial.score.loss_text(before),
            seconds: trial.seconds,
        }
    }
}

/// A costed configuration as the report lists it.
#[derive(Clone, Debug, Serialize)]
pub struct Considered {
    pub blocks: String,
    pub params: usize,
    pub cycles: u64,
    pub energy_uj: f64,
    pub misfit: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub mode: String,
    pub chosen: String,
    pub explanation: String,
    pub considered: Vec<Considered>,
    pub tried: Vec<Tried>,
}

impl Choice {
    pub fn explain(
        spec: &BlockSpec,
        candidates: &[Candidate],
        chosen: &[Option<usize>],
        costed: &[Costed],
        tried: Vec<Tried>,
        budget: &Budget,
    ) -> Self {
        let chosen_text = describe(candidates, chosen);
        let allowed: Vec<String> = candidates
            .iter()
            .map(|c| {
                let blocks: Vec<String> = c.blocks.iter().map(ToString::to_string).collect();
                format!(
                    "{} ({} x {}): {}",
                    c.name,
                    c.rows,
                    c.cols,
                    if blocks.is_empty() { "-".into() } else { blocks.join(", ") }
                )
            })
            .collect();
        let explanation = match spec {
            BlockSpec::Fixed(_) => format!(
                "Blocks given with --block: {chosen_text}. Dense layers and plain (ungrouped) convolutions can be \
                 named: acec build runs a block-circulant convolution as FFT products per output pixel (CirCNN's \
                 structure: block-circulant over the channels at every kernel position)."
            ),
            BlockSpec::Auto => {
                let fitting = costed.iter().filter(|c| c.misfit.is_none()).count();
                let kind = tried.first().map_or(Score::Accuracy(0.0), |t| t.score);
                let budget_text = budget.describe(&kind);
                let verdict = if tried.iter().any(|t| t.loss <= budget.limit(&kind)) {
                    format!("{chosen_text} is the cheapest configuration trained whose loss is within {budget_text}")
                } else {
                    format!(
                        "no configuration trained kept the loss within {budget_text}; {chosen_text} is the least \
                         damaged one tried"
                    )
                };
                format!(
                    "Allowed blocks per layer (a dense layer's outputs x inputs; a convolution's out channels x \
                     kernel positions * in channels; a power of two in the target's FFT range dividing both, input \
                     spectra + 3 working vectors in LEA RAM): {}. The search walked from the \
                     dense model, one layer to a larger block per step, taking the step that saves the most modeled \
                     energy per unit of output distortion (that layer alone projected, on the validation split): \
                     {} configurations, {fitting} of which fit the target's memory. Those were trained by \
                     bisection along the path (a whole bisection, at most {} trials), each scored on the validation split (every {}th \
                     sample of the training data, held out of training). {verdict}. A move is only taken \
                     where it lowers the modeled energy, so a layer whose circulant form costs more than its \
                     dense one stays dense.",
                    allowed.join("; "),
                    costed.len(),
                    super::search::MAX_TRIALS,
                    super::data::VALIDATION_EVERY,
                )
            }
        };
        let considered = costed
            .iter()
            .map(|c| Considered {
                blocks: describe(candidates, &c.blocks),
                params: c.params,
                cycles: c.cycles,
                energy_uj: c.energy_uj,
                misfit: c.misfit.clone(),
            })
            .collect();
        let mode = if *spec == BlockSpec::Auto { "auto" } else { "fixed" };
        Choice { mode: mode.into(), chosen: chosen_text, explanation, considered, tried }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub model: String,
    pub target: String,
    pub train_data: String,
    pub eval_data: String,
    pub train_samples: usize,
    pub eval_samples: usize,
    pub seed: u64,
    pub epochs: usize,
    pub schedule: Schedule,
    /// `classify` or `regress`, and what a regression is scored against.
    pub task: String,
    pub scored_against: String,
    pub validation_samples: usize,
    pub score_before: Score,
    pub score_after: Score,
    /// Accuracy points lost, or percent of MSE added.
    pub loss: f64,
    pub loss_text: String,
    /// A classifier's (`None` for a regression model).
    pub accuracy_before: Option<f64>,
    pub accuracy_after: Option<f64>,
    pub layers: Vec<LayerRow>,
    pub totals: Totals,
    pub choice: Choice,
    pub rounds: Vec<Round>,
    pub finetune: Vec<EpochStats>,
    pub seconds: f64,
}

/// What [`Report::new`] reads.
pub struct Inputs<'a> {
    pub request: &'a Request,
    pub task: crate::task::Scoring,
    pub target: &'a str,
    pub original: &'a Graph,
    pub trained: &'a Graph,
    pub train_samples: usize,
    pub validation_samples: usize,
    pub eval_samples: usize,
    pub score_before: Score,
    pub score_after: Score,
    pub schedule: &'a Schedule,
    pub outcome: &'a Outcome,
    pub choice: Choice,
    pub seconds: f64,
}

fn ratio(before: u64, after: u64) -> f64 {
    before as f64 / after.max(1) as f64
}

impl Report {
    pub fn new(inputs: Inputs) -> Report {
        let before = inspect(inputs.original);
        let after = inspect(inputs.trained);
        let mut layers = Vec::new();
        for (b, a) in before.layers.iter().zip(&after.layers) {
            if b.params == 0 {
                continue;
            }
            let layer = inputs.trained.layers.iter().find(|l| l.name == a.name);
            let bias = layer.and_then(|l| match &l.op {
                Op::Dense(d) => Some(d.bias.len() as u64),
                Op::Conv(c) => Some(c.bias.len() as u64),
                _ => None,
            });
            let (block, params_after) = match (a.circulant_block, bias) {
                (Some(block), Some(bias)) => (Some(block), (b.params - bias) / block as u64 + bias),
                _ => (None, b.params),
            };
            layers.push(LayerRow {
                name: b.name.clone(),
                op: b.op.clone(),
                block,
                params_before: b.params,
                params_after,
                compression: ratio(b.params, params_after),
            });
        }
        let sum = |dense: bool, after: bool| -> u64 {
            layers
                .iter()
                .filter(|l| !dense || l.op == "Dense")
                .map(|l| if after { l.params_after } else { l.params_before })
                .sum()
        };
        let totals = Totals {
            params_before: sum(false, false),
            params_after: sum(false, true),
            compression: ratio(sum(false, false), sum(false, true)),
            dense_params_before: sum(true, false),
            dense_params_after: sum(true, true),
            dense_compression: ratio(sum(true, false), sum(true, true)),
        };
        let request = inputs.request;
        Report {
            model: request.model.display().to_string(),
            target: inputs.target.into(),
            train_data: request.data.display().to_string(),
            eval_data: request
                .test
                .as_ref()
                .map_or("the validation split of the training data (no --test given)".into(), |t| {
                    t.display().to_string()
                }),
            train_samples: inputs.train_samples,
            eval_samples: inputs.eval_samples,
            seed: request.seed,
            epochs: request.epochs,
            schedule: inputs.schedule.clone(),
            task: inputs.task.task.name().into(),
            scored_against: inputs.task.reference.map_or("the labels 'y'", |r| r.describe()).into(),
            validation_samples: inputs.validation_samples,
            score_before: inputs.score_before,
            score_after: inputs.score_after,
            loss: inputs.score_after.loss_from(&inputs.score_before),
            loss_text: inputs.score_after.loss_text(&inputs.score_before),
            accuracy_before: inputs.score_before.accuracy(),
            accuracy_after: inputs.score_after.accuracy(),
            layers,
            totals,
            choice: inputs.choice,
            rounds: inputs.outcome.rounds.clone(),
            finetune: inputs.outcome.finetune.clone(),
            seconds: inputs.seconds,
        }
    }

    pub fn markdown(&self) -> String {
        let pct = |v: f64| format!("{:.2}%", v * 100.0);
        let mut out = format!(
            "# acec compress: {}\n\nTarget `{}`; task `{}` (scored against {}); trained on {} samples of `{}` \
             ({} more held out for validation); scored on {} samples of {}; seed {}, {} epochs; {:.1} s.\n\n",
            self.model,
            self.target,
            self.task,
            self.scored_against,
            self.train_samples,
            self.train_data,
            self.validation_samples,
            self.eval_samples,
            self.eval_data,
            self.seed,
            self.epochs,
            self.seconds
        );
        out += &format!(
            "| | {} |\n| --- | --- |\n| before (float, dense) | {} |\n| after (block-circulant, Q15 grid) | {} |\n| \
             loss | {} |\n\n",
            self.score_before.metric(),
            self.score_before.text(),
            self.score_after.text(),
            self.loss_text
        );
        out += "## Layers\n\n```\n";
        let mut rows: Vec<Vec<String>> = self
            .layers
            .iter()
            .map(|l| {
                vec![
                    l.name.clone(),
                    l.op.clone(),
                    l.block.map_or("-".into(), |b| b.to_string()),
                    thousands(l.params_before),
                    thousands(l.params_after),
                    format!("{:.2}", l.compression),
                ]
            })
            .collect();
        let t = &self.totals;
        rows.push(vec![
            "dense layers".into(),
            String::new(),
            String::new(),
            thousands(t.dense_params_before),
            thousands(t.dense_params_after),
            format!("{:.2}", t.dense_compression),
        ]);
        rows.push(vec![
            "total".into(),
            String::new(),
            String::new(),
            thousands(t.params_before),
            thousands(t.params_after),
            format!("{:.2}", t.compression),
        ]);
        out += &render(&["layer", "op", "block", "params before", "params after", "compression (x)"], &rows);
        out += "```\n\n## Block choice\n\n";
        out += &format!("Chosen: `{}`. {}\n\n", self.choice.chosen, self.choice.explanation);
        if !self.choice.tried.is_empty() {
            out += "Trained:\n\n```\n";
            let rows: Vec<Vec<String>> = self
                .choice
                .tried
                .iter()
                .map(|t| {
                    vec![
                        t.blocks.clone(),
                        thousands(t.params as u64),
                        format!("{:.3}", t.energy_uj),
                        t.score.text(),
                        t.loss_text.clone(),
                        format!("{:.1}", t.seconds),
                    ]
                })
                .collect();
            out += &render(&["blocks", "params stored", "energy (uJ)", "validation score", "loss", "time (s)"], &rows);
            out += "```\n\n";
        }
        out +=
            "Modeled cost of every configuration considered (for `--block auto`, the search path in order):\n\n```\n";
        let rows: Vec<Vec<String>> = self
            .choice
            .considered
            .iter()
            .map(|c| {
                vec![
                    c.blocks.clone(),
                    thousands(c.params as u64),
                    thousands(c.cycles),
                    format!("{:.3}", c.energy_uj),
                    // The first clause says what overflows; the JSON report has the whole message.
                    c.misfit.as_ref().map_or("fits".into(), |m| format!("no: {}", m.split(';').next().unwrap_or(m))),
                ]
            })
            .collect();
        out += &render(&["blocks", "params stored", "cycles", "energy (uJ)", "fits"], &rows);
        out += "```\n\n## ADMM\n\n";
        let s = &self.schedule;
        out += &format!(
            "{} rounds of {} epoch(s), rho {:.3} x{:.3} per round, Adam lr {}; then {} fine-tune epoch(s) of the hardened \
             network (defining vectors only, all weights fake-quantized to Q15), lr {} with cosine decay; batch {}. {}\n\n```\n",
            s.rounds,
            s.epochs_per_round,
            s.rho,
            s.rho_growth,
            s.lr,
            s.finetune_epochs,
            s.finetune_lr,
            s.batch,
            if self.task == "regress" {
                "The objective is the mean squared error to the original model's outputs (distillation); the tables \
                 show it."
                    .to_string()
            } else {
                format!(
                    "The objective distils from the original model (soft targets at T = {} weighted {}, the labels \
                     the rest); the tables show the cross-entropy on the labels alone.",
                    crate::rad::admm::train::TEMPERATURE,
                    crate::rad::admm::train::SOFT_WEIGHT
                )
            },
        );
        let rows: Vec<Vec<String>> = self
            .rounds
            .iter()
            .map(|r| {
                vec![
                    r.round.to_string(),
                    format!("{:.4}", r.rho),
                    format!("{:.4}", r.loss),
                    r.train_accuracy.map_or("-".into(), pct),
                    format!("{:.5}", r.primal_residual),
                    format!("{:.5}", r.dual_residual),
                ]
            })
            .collect();
        let loss = if self.task == "regress" { "MSE to teacher" } else { "label CE" };
        out += &render(&["round", "rho", loss, "train accuracy", "||W-Z||/||W||", "||Z-Zprev||/||Z||"], &rows);
        out += "```\n\n```\n";
        let rows: Vec<Vec<String>> = self
            .finetune
            .iter()
            .enumerate()
            .map(|(i, e)| vec![(i + 1).to_string(), format!("{:.4}", e.loss), e.accuracy.map_or("-".into(), pct)])
            .collect();
        out += &render(&["fine-tune epoch", loss, "train accuracy"], &rows);
        out += "```\n";
        out
    }
}
