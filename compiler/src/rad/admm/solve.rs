//! The ADMM loop that trains block-circulant Q15 structure into chosen layers, then the fine-tuning of the
//! hardened network.
//!
//! Constraint: `W_l` in `S_l`, the block-circulant matrices with block `b_l` whose defining vectors lie on
//! the Q15 grid. ADMM splits it as `W = Z`, `Z in S`:
//! - W-step: minibatch epochs on the task's loss + sum_l (rho/2) ||W_l - Z_l + U_l||^2;
//! - Z-step: `Z_l = proj_S(W_l + U_l)` ([`super::grid::circulant_q15`]);
//! - U-step: `U_l += W_l - Z_l`;
//! - `rho *= rho_growth`, so the proximity term tightens round by round.
//!
//! Then every constrained layer is hard-projected (its defining vectors start at `proj_S(W)`) and only
//! those vectors train from there on, with every weight fake-quantized: the structure is exact and the
//! network learns to live with the Q15 rounding.

use std::ops::ControlFlow;

use candle_core::{Device, Tensor};
use candle_nn::optim::Optimizer;

use super::AdmmError;
use super::net::Net;
use super::train::{self, EpochSetup, EpochStats, Samples};
use crate::xorshift::XorShift;

#[derive(Clone, Debug, serde::Serialize)]
pub struct Schedule {
    pub rounds: usize,
    pub epochs_per_round: usize,
    pub finetune_epochs: usize,
    pub rho: f64,
    pub rho_growth: f64,
    pub lr: f64,
    pub finetune_lr: f64,
    pub batch: usize,
}

/// One ADMM round as the report shows it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Round {
    pub round: usize,
    pub rho: f64,
    /// Mean data loss of the W-step's last epoch, without the penalty (cross-entropy on the labels, or
    /// squared error to the teacher for a regression model).
    pub loss: f64,
    /// `None` for a regression model.
    pub train_accuracy: Option<f64>,
    /// `||W - Z|| / ||W||` over the constrained layers after the Z-step: how far W is from the structure.
    pub primal_residual: f64,
    /// `||Z - Z_previous|| / ||Z||`: how much the structured target still moves.
    pub dual_residual: f64,
}

/// Progress, for a progress bar.
pub enum Event<'a> {
    Batch { phase: &'a str, epoch: usize, epochs: usize, done: usize, total: usize, loss: f64 },
    Round(&'a Round),
    FineTune { epoch: usize, stats: EpochStats },
}

pub struct Outcome {
    pub rounds: Vec<Round>,
    pub finetune: Vec<EpochStats>,
}

/// Trains `net` so that each `(param index, block)` in `blocks` becomes block-circulant on the Q15 grid.
/// The same seed, data and schedule give the same weights. `observer` sees every event; when it breaks,
/// training stops with [`AdmmError::Stopped`].
pub fn compress(
    net: &mut Net,
    blocks: &[(usize, usize)],
    data: &Samples,
    schedule: &Schedule,
    seed: u64,
    observer: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<Outcome, AdmmError> {
    let mut rng = XorShift::new(seed);
    // Z and U per constrained layer, as host vectors (the projection is not a tensor op).
    let mut z: Vec<Vec<f32>> = Vec::new();
    let mut u: Vec<Vec<f32>> = Vec::new();
    for &(p, block) in blocks {
        let w = net.params[p].dense_values()?;
        z.push(net.params[p].project_q15(&w, block));
        u.push(vec![0.0; w.len()]);
    }
    let mut rounds = Vec::new();
    let mut rho = schedule.rho;
    let mut optimizer = train::optimizer(net, schedule.lr)?;
    for round in 0..if blocks.is_empty() { 0 } else { schedule.rounds } {
        // The W-step's target Z - U, fixed during the round.
        let targets: Vec<Tensor> = z
            .iter()
            .zip(&u)
            .zip(blocks)
            .map(|((z, u), &(p, _))| {
                let t: Vec<f32> = z.iter().zip(u).map(|(z, u)| z - u).collect();
                Tensor::from_vec(t, net.params[p].shape.as_slice(), &Device::Cpu)
            })
            .collect::<Result<_, _>>()?;
        let penalty = |net: &Net| -> Result<Option<Tensor>, AdmmError> {
            let mut total: Option<Tensor> = None;
            for (&(p, _), target) in blocks.iter().zip(&targets) {
                let Some(w) = net.params[p].free() else { continue };
                let term = (w.as_tensor() - target)?.sqr()?.sum_all()?.affine(rho / 2.0, 0.0)?;
                total = Some(match total {
                    Some(t) => (t + term)?,
                    None => term,
                });
            }
            Ok(total)
        };
        let setup = EpochSetup { batch: schedule.batch, quantized: false, penalty: &penalty };
        let mut stats = EpochStats { loss: 0.0, accuracy: None };
        for epoch in 0..schedule.epochs_per_round {
            let mut report = |done, total, loss| {
                let epochs = schedule.epochs_per_round;
                observer(Event::Batch { phase: "admm", epoch, epochs, done, total, loss })
            };
            stats = train::epoch(net, &mut optimizer, data, &setup, &mut rng, &mut report)?;
        }
        // Z-step and U-step.
        let (mut primal, mut dual, mut w_norm, mut z_norm) = (0f64, 0f64, 0f64, 0f64);
        for (index, &(p, block)) in blocks.iter().enumerate() {
            let w = net.params[p].dense_values()?;
            let shifted: Vec<f32> = w.iter().zip(&u[index]).map(|(w, u)| w + u).collect();
            let new_z = net.params[p].project_q15(&shifted, block);
            for i in 0..w.len() {
                u[index][i] += w[i] - new_z[i];
                primal += f64::from(w[i] - new_z[i]).powi(2);
                dual += f64::from(new_z[i] - z[index][i]).powi(2);
                w_norm += f64::from(w[i]).powi(2);
                z_norm += f64::from(new_z[i]).powi(2);
            }
            z[index] = new_z;
        }
        let record = Round {
            round: round + 1,
            rho,
            loss: stats.loss,
            train_accuracy: stats.accuracy,
            primal_residual: (primal / w_norm.max(f64::MIN_POSITIVE)).sqrt(),
            dual_residual: (dual / z_norm.max(f64::MIN_POSITIVE)).sqrt(),
        };
        if observer(Event::Round(&record)).is_break() {
            return Err(AdmmError::Stopped);
        }
        rounds.push(record);
        rho *= schedule.rho_growth;
    }

    for &(p, block) in blocks {
        net.params[p].harden(block)?;
    }
    let mut optimizer = train::optimizer(net, schedule.finetune_lr)?;
    let none = |_: &Net| -> Result<Option<Tensor>, AdmmError> { Ok(None) };
    let setup = EpochSetup { batch: schedule.batch, quantized: true, penalty: &none };
    let mut finetune = Vec::new();
    for epoch in 0..schedule.finetune_epochs {
        // Cosine decay: large steps recover accuracy, small ones at the end settle into a minimum.
        let progress = epoch as f64 / schedule.finetune_epochs as f64;
        optimizer.set_learning_rate(schedule.finetune_lr * 0.5 * (1.0 + (std::f64::consts::PI * progress).cos()));
        let mut report = |done, total, loss| {
            let epochs = schedule.finetune_epochs;
            observer(Event::Batch { phase: "fine-tune", epoch, epochs, done, total, loss })
        };
        let stats = train::epoch(net, &mut optimizer, data, &setup, &mut rng, &mut report)?;
        if observer(Event::FineTune { epoch: epoch + 1, stats }).is_break() {
            return Err(AdmmError::Stopped);
        }
        finetune.push(stats);
    }
    Ok(Outcome { rounds, finetune })
}
