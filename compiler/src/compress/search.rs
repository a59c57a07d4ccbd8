//! `--block auto` over any number of layers: a greedy path from the dense model to the most compressed one,
//! each step the move (one layer to a larger block) that saves the most modeled energy per unit of damage,
//! then training along the path by bisection to find the cheapest configuration within the budget.
//!
//! Every combination of blocks is `prod (blocks_l + 1)`: 5^8 = 390,625 for an 8-layer autoencoder, each a
//! whole lowering to cost. The path needs one lowering per (layer, block) for the energy of each move and
//! one per configuration on the path (for its true cost and fit), and one float run per (layer, block) on
//! the validation samples for the damage:
//! - **energy** of a configuration is estimated as the dense model's plus, per layer, what that layer's
//!   block alone changes (lowering is per layer, so the terms add up to within the glue between layers);
//!   each configuration on the path is then costed exactly;
//! - **damage** (the accuracy proxy) of a layer at a block is its sensitivity times the number of halvings of
//!   its parameters from the smallest block on (`1 + log2(block / smallest)`). The sensitivity is the
//!   distortion of the model's outputs with only that layer's weights projected (untrained) at its smallest
//!   block, `sum |f' - f|^2 / sum |f|^2` over the validation samples: a layer whose projection barely moves
//!   the output will train back easily. Projection alone ranks layers but not blocks (it removes almost all
//!   of a trained dense matrix at any block, so every block looks equally bad); counting halvings makes
//!   each doubling of a block cost its layer's sensitivity once more, so the path spreads over the layers
//!   instead of taking one layer to its largest block first.
//!
//! Training is the confirmation: each trial trains a configuration and scores it on the validation split.

use super::choice::{Candidate, Costed, Costing};
use crate::error::CompressError;
use crate::graph::{Graph, Op, eval};
use crate::rad::admm::grid::circulant_q15;

/// Float runs per (layer, block) for the damage: enough samples to rank layers, few enough to stay quick.
pub const DAMAGE_SAMPLES: usize = 64;

/// The greedy path, from all dense to no move left that saves energy, each configuration costed exactly.
pub fn path(costing: &Costing, validation_x: &[f32]) -> Result<Vec<Costed>, CompressError> {
    let (graph, target, candidates) = (costing.graph, costing.target, costing.candidates);
    let dense = vec![None; candidates.len()];
    let moves: usize = candidates.iter().map(|c| c.blocks.len()).sum();
    let phase = format!("costing {moves} (layer, block) choices on {}", target.name);
    let runs = moves + candidates.iter().filter(|c| !c.blocks.is_empty()).count();
    let bar = crate::progress::bar(runs as u64 + 1, "lowerings and float runs", &phase);
    let base = costing.cost(dense.clone())?;
    bar.inc(1);
    let reference = outputs(graph, validation_x);
    // Per layer and block: (energy of the model with only this layer at this block, damage).
    let mut single: Vec<Vec<(f64, f64)>> = Vec::with_capacity(candidates.len());
    for (index, candidate) in candidates.iter().enumerate() {
        let mut row = Vec::with_capacity(candidate.blocks.len());
        let Some(&smallest) = candidate.blocks.last() else {
            single.push(row);
            continue;
        };
        let sensitivity = damage(graph, candidate, smallest, validation_x, &reference);
        bar.inc(1);
        for &block in &candidate.blocks {
            super::interrupt::check(&phase)?;
            let mut blocks = dense.clone();
            blocks[index] = Some(block);
            let costed = costing.cost(blocks)?;
            // A configuration lowering refused has no energy: not a move.
            let energy = if costed.cycles == 0 { f64::INFINITY } else { costed.energy_uj };
            bar.inc(1);
            let halvings = 1.0 + f64::from((block / smallest).ilog2());
            row.push((energy, sensitivity * halvings));
        }
        single.push(row);
    }
    bar.finish_and_clear();

    let mut state: Vec<Option<usize>> = dense.clone();
    let mut path = vec![base.clone()];
    let energy_of = |index: usize, choice: Option<usize>| -> f64 {
        choice.map_or(base.energy_uj, |b| single[index][position(&candidates[index], b)].0)
    };
    let damage_of = |index: usize, choice: Option<usize>| -> f64 {
        choice.map_or(0.0, |b| single[index][position(&candidates[index], b)].1)
    };
    while let Some((index, block)) = best_move(candidates, &state, &energy_of, &damage_of) {
        super::interrupt::check("walking the block search path")?;
        state[index] = Some(block);
        path.push(costing.cost(state.clone())?);
    }
    Ok(path)
}

/// The move with the most energy saved per unit of damage added, if any saves energy. Each layer offers one
/// move: to the smallest block above its current one (any block, from dense) that saves energy. One step at
/// a time keeps the path fine-grained: otherwise the largest block, which saves the most, wins every time
/// and the path jumps from dense to the most compressed model in a few steps.
fn best_move(
    candidates: &[Candidate],
    state: &[Option<usize>],
    energy_of: &dyn Fn(usize, Option<usize>) -> f64,
    damage_of: &dyn Fn(usize, Option<usize>) -> f64,
) -> Option<(usize, usize)> {
    let mut best: Option<(f64, f64, usize, usize)> = None;
    for (index, candidate) in candidates.iter().enumerate() {
        let current = state[index];
        let saving = |block: usize| energy_of(index, current) - energy_of(index, Some(block));
        // Blocks are listed largest first: the smallest larger one that saves energy.
        let Some(&block) =
            candidate.blocks.iter().rev().filter(|&&b| current.is_none_or(|c| b > c)).find(|&&b| saving(b) > 0.0)
        else {
            continue;
        };
        let saved = saving(block);
        let added = (damage_of(index, Some(block)) - damage_of(index, current)).max(1e-9);
        let merit = saved / added;
        if best.is_none_or(|(m, s, ..)| merit > m || (merit == m && saved > s)) {
            best = Some((merit, saved, index, block));
        }
    }
    best.map(|(_, _, index, block)| (index, block))
}

fn position(candidate: &Candidate, block: usize) -> usize {
    candidate.blocks.iter().position(|&b| b == block).expect("a block of the candidate's own list")
}

/// The float model's outputs on up to [`DAMAGE_SAMPLES`] samples, concatenated.
fn outputs(graph: &Graph, x: &[f32]) -> Vec<f32> {
    let n = graph.input_shape.elements();
    x.chunks(n).take(DAMAGE_SAMPLES).flat_map(|sample| eval::run(graph, sample)).collect()
}

/// Output distortion with only `candidate`'s weights projected onto block `block` (and the Q15 grid).
fn damage(graph: &Graph, candidate: &Candidate, block: usize, x: &[f32], reference: &[f32]) -> f64 {
    let mut projected = graph.clone();
    let project = |w: &[f32]| circulant_q15(&candidate.view, w, block);
    match &mut projected.layers[candidate.layer].op {
        Op::Dense(d) => d.weight.data = project(&d.weight.data),
        Op::Conv(c) => c.weight.data = project(&c.weight.data),
        _ => {}
    }
    let got = outputs(&projected, x);
    let noise: f64 = reference.iter().zip(&got).map(|(r, g)| f64::from(r - g).powi(2)).sum();
    let signal: f64 = reference.iter().map(|r| f64::from(*r).powi(2)).sum();
    noise / signal.max(f64::MIN_POSITIVE)
}

/// `--block auto` trains at most this many configurations: a whole bisection over 63 configurations; on a
/// longer path the last steps of the bisection are left out (the answer is then placed to within a few
/// configurations).
pub const MAX_TRIALS: usize = 6;

/// Trials that complete a bisection over `count` configurations, `ceil(log2(count + 1))`, at most
/// [`MAX_TRIALS`].
pub fn trials_for(count: usize) -> usize {
    ((usize::BITS - count.leading_zeros()) as usize).min(MAX_TRIALS)
}

/// Which configurations of `fitting` (in path order: energy falling) to train, by bisection for the last
/// one within the budget: `passes(i)` trains configuration `i` and says whether it is within the budget.
/// At most `trials` are trained; returns the furthest configuration that passed, if any.
pub fn bisect(
    count: usize,
    trials: usize,
    passes: &mut dyn FnMut(usize) -> Result<bool, CompressError>,
) -> Result<Option<usize>, CompressError> {
    let (mut lo, mut hi, mut best, mut left) = (0usize, count, None, trials);
    while lo < hi && left > 0 {
        let mid = lo + (hi - lo) / 2;
        left -= 1;
        if passes(mid)? {
            best = Some(mid);
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With passes exactly up to index k, bisection finds k in ceil(log2(n + 1)) trials, and reports no
    /// configuration when the first one fails.
    #[test]
    fn bisection_finds_the_last_passing_configuration() {
        for count in 1..40 {
            for last in 0..=count {
                // Configurations 0..last pass: none when last == 0, all when last == count.
                let mut trained = Vec::new();
                let found = bisect(count, 64, &mut |i| {
                    trained.push(i);
                    Ok(i < last)
                })
                .unwrap();
                assert_eq!(found, last.checked_sub(1), "count {count}, passing 0..{last}");
                assert!(trained.len() <= trials_for(count), "count {count}: {} trials", trained.len());
            }
        }
    }

    /// The move that saves most per unit of damage wins; each layer offers its next block that saves energy;
    /// a move that saves nothing is never taken.
    #[test]
    fn the_best_move_is_energy_per_damage_one_block_at_a_time() {
        let candidate = |layer, blocks: &[usize]| Candidate {
            layer,
            name: format!("fc{layer}"),
            view: crate::rad::circulant_view::MatrixView::of_shape(&[64, 64]),
            rows: 64,
            cols: 64,
            blocks: blocks.to_vec(),
        };
        let candidates = [candidate(0, &[32, 16]), candidate(1, &[32, 16])];
        // fc0 saves 10 at block 16 for damage 1 (10 per unit); fc1 saves 4 at block 16 for damage 0.1 (40).
        let energy = |index: usize, choice: Option<usize>| match (index, choice) {
            (_, None) => 100.0,
            (0, Some(16)) => 90.0,
            (0, Some(_)) => 70.0,
            (1, Some(16)) => 96.0,
            _ => 101.0,
        };
        let damage = |index: usize, choice: Option<usize>| match (index, choice) {
            (_, None) => 0.0,
            (0, Some(16)) => 1.0,
            (0, Some(_)) => 1.1,
            (1, Some(16)) => 0.1,
            _ => 0.0,
        };
        // fc0's block 32 would win (30 saved per 1.1), but from dense the next step is 16.
        assert_eq!(best_move(&candidates, &[None, None], &energy, &damage), Some((1, 16)));
        // From fc1 = 16, its 32 costs more energy: no move; fc0 goes to 16.
        assert_eq!(best_move(&candidates, &[None, Some(16)], &energy, &damage), Some((0, 16)));
        assert_eq!(best_move(&candidates, &[Some(16), Some(16)], &energy, &damage), Some((0, 32)));
        assert_eq!(best_move(&candidates, &[Some(32), Some(16)], &energy, &damage), None);
    }
}
