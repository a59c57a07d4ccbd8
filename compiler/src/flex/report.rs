//! `acec sim`: drives the simulator in the chosen mode and sums up what a person needs to know.

use serde::Serialize;

use super::partition::TaskPlan;
use super::sim::{Failure, Outcome, calls_per_inference, simulate};
use crate::ace::Program;
use crate::target::Target;
use acec_runtime::KernelError;

#[derive(Clone, Debug, Serialize)]
pub struct SimReport {
    pub mode: String,
    pub runs: u64,
    pub completed: bool,
    pub bit_identical: bool,
    pub reboots: u64,
    pub failures_injected: u64,
    pub time_to_inference_s: f64,
    pub tasks: usize,
    pub continuous_cycles: u64,
    pub reexecuted_cycles: u64,
    pub checkpoint_cycles: u64,
    pub checkpoint_energy_uj: f64,
    pub checkpoint_nv_bytes: u64,
    pub checkpoint_overhead_pct: f64,
    pub budget_uj: f64,
}

/// Runs the simulation: one inference per injection point (exhaustive), or one inference under the given
/// failure; `continuous_cycles` is the cost of an unpartitioned run.
#[allow(clippy::too_many_arguments)]
pub fn run(
    program: &Program,
    plan: &TaskPlan,
    target: &Target,
    input: &[i16],
    expected: &[i16],
    failure: Option<Failure>,
    exhaustive_stride: Option<u64>,
    seed: u64,
    continuous_cycles: u64,
    mut progress: impl FnMut(u64, u64),
) -> Result<SimReport, KernelError> {
    let (calls, writes) = calls_per_inference(program, plan, target, input)?;
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mode;
    if let Some(stride) = exhaustive_stride {
        mode = format!(
            "exhaustive: a failure before every {}kernel call ({calls}) and inside every commit write ({writes})",
            if stride > 1 { format!("{stride}th ") } else { String::new() }
        );
        let points: Vec<Failure> = (0..calls)
            .step_by(stride.max(1) as usize)
            .map(Failure::AtCall)
            .chain((0..writes).map(Failure::TornWrite))
            .collect();
        let total = points.len() as u64;
        for (i, point) in points.iter().enumerate() {
            outcomes.push(simulate(program, plan, target, input, expected, point, seed.wrapping_add(i as u64))?);
            progress(i as u64 + 1, total);
        }
    } else {
        let failure = failure.unwrap_or(Failure::None);
        mode = match &failure {
            Failure::Energy { buffer, .. } => format!("energy-driven, {:.0} uF capacitor", buffer.capacitor_uf),
            Failure::Calls(list) => format!("random: {} failures (seed {seed})", list.len()),
            _ => "no failures".into(),
        };
        outcomes.push(simulate(program, plan, target, input, expected, &failure, seed)?);
    }
    let worst = |f: fn(&Outcome) -> u64| outcomes.iter().map(f).max().unwrap_or(0);
    let partitioned: u64 = plan.tasks.iter().map(|t| t.cycles).sum();
    let commits = plan.tasks.len() as u64;
    // Splitting a step into tasks adds kernel calls: their extra cycles are DSPLib's per-call CPU work.
    let split_cycles = partitioned.saturating_sub(continuous_cycles);
    let checkpoint_cycles = commits * target.commit_cycles() + split_cycles;
    Ok(SimReport {
        mode,
        runs: outcomes.len() as u64,
        completed: outcomes.iter().all(|o| o.completed),
        bit_identical: outcomes.iter().all(|o| o.bit_identical),
        reboots: worst(|o| o.reboots),
        failures_injected: outcomes.iter().map(|o| o.failures_injected).sum(),
        time_to_inference_s: outcomes.iter().map(|o| o.time_s).fold(0.0, f64::max),
        tasks: plan.tasks.len(),
        continuous_cycles,
        reexecuted_cycles: worst(|o| o.cycles).saturating_sub(partitioned),
        checkpoint_cycles,
        checkpoint_energy_uj: (commits * target.commit_energy_pj() + split_cycles * target.cpu_pj_per_cycle()) as f64
            / 1e6,
        checkpoint_nv_bytes: commits * 8,
        checkpoint_overhead_pct: 100.0 * checkpoint_cycles as f64 / continuous_cycles.max(1) as f64,
        budget_uj: plan.budget_pj as f64 / 1e6,
    })
}
