//! Training one block configuration from the original weights, with a progress bar, and measuring it.

use std::ops::ControlFlow;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use super::CompressError;
use super::data::Examples;
use super::frozen::Split;
use super::score::Score;
use crate::graph::Graph;
use crate::rad::admm::{self, AdmmError, Event, Net, Outcome, Schedule};
use crate::target::Target;

/// A trained configuration: the graph with its new weights, and how training went.
pub struct Trial {
    pub graph: Graph,
    pub outcome: Outcome,
    /// The exported weights (Q15 grid, exact structure) on the evaluation data.
    pub score: Score,
    pub seconds: f64,
}

/// What every trial trains and evaluates with.
pub struct Setup<'a> {
    pub train: &'a Examples,
    pub eval: &'a Examples,
    pub schedule: &'a Schedule,
    pub seed: u64,
    pub target: &'a Target,
}

/// Trains `graph` with `blocks` (graph layer index, block size) and evaluates the result on `setup.eval`.
pub fn run(graph: &Graph, blocks: &[(usize, usize)], setup: &Setup, label: &str) -> Result<Trial, CompressError> {
    let Setup { train, eval, schedule, seed, target } = *setup;
    let started = Instant::now();
    // Every MAC layer on the build's grid first: the fixed front keeps exactly these weights.
    let mut base = graph.clone();
    super::snap::snap(&mut base, &train.x, target)?;
    let trained: Vec<usize> = blocks.iter().map(|&(layer, _)| layer).collect();
    let split = Split::new(&base, &trained);
    super::interrupt::check(&format!("preparing {label}"))?;
    let features = split.features(train)?;
    super::interrupt::check(&format!("preparing {label}"))?;
    let mut net = Net::from_graph(&split.rest)?;
    let param_blocks: Vec<(usize, usize)> = blocks
        .iter()
        .map(|&(layer, block)| {
            let p = net.params.iter().position(|p| p.layer + split.offset() == layer);
            p.map(|p| (p, block)).ok_or_else(|| CompressError::Internal(format!("layer {layer} has no parameters")))
        })
        .collect::<Result<_, _>>()?;
    let batches = train.len().div_ceil(schedule.batch);
    let admm_epochs = if blocks.is_empty() { 0 } else { schedule.rounds * schedule.epochs_per_round };
    let bar = ProgressBar::new(((admm_epochs + schedule.finetune_epochs) * batches) as u64);
    if let Ok(style) = ProgressStyle::with_template("{prefix} {bar:30} {pos}/{len} batches ({eta}) {msg}") {
        bar.set_style(style);
    }
    bar.set_prefix(label.to_string());
    let mut last = String::new();
    // Where training is, for the message if Ctrl-C stops it.
    let (mut at, mut rounds_done) = ("before its first batch".to_string(), 0);
    let mut observer = |event: Event| {
        match event {
            Event::Batch { phase, epoch, epochs, loss, .. } => {
                bar.inc(1);
                at = match phase {
                    "admm" => format!("ADMM round {}/{}", rounds_done + 1, schedule.rounds),
                    _ => format!("{phase} epoch {}/{epochs}", epoch + 1),
                };
                bar.set_message(format!("{at} loss {loss:.3} {last}"));
            }
            Event::Round(r) => {
                rounds_done = r.round;
                let accuracy = r.train_accuracy.map_or(String::new(), |a| format!(" acc {:.1}%", a * 100.0));
                last = format!("| round {}{accuracy} residual {:.4}", r.round, r.primal_residual);
            }
            Event::FineTune { epoch, stats } => {
                last = match stats.accuracy {
                    Some(a) => format!("| fine-tune {epoch} acc {:.1}%", a * 100.0),
                    None => format!("| fine-tune {epoch} mse {:.5}", stats.loss),
                };
            }
        }
        if super::interrupt::requested() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    };
    let trained = admm::compress(&mut net, &param_blocks, &features.samples(), schedule, seed, &mut observer);
    bar.finish_and_clear();
    let outcome = match trained {
        Err(AdmmError::Stopped) => {
            return Err(CompressError::Interrupted { during: format!("training {label}, {at}") });
        }
        other => other?,
    };
    let mut trained = split.join(net.to_graph(&split.rest)?);
    super::snap::snap(&mut trained, &train.x, target)?;
    // Measured on the exported weights themselves: a network rebuilt from the graph, float forward.
    let score = Score::of(&Net::from_graph(&trained)?, eval)?;
    Ok(Trial { graph: trained, outcome, score, seconds: started.elapsed().as_secs_f64() })
}
