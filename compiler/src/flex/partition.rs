//! Task partitioning: each step's work units (output rows, blocks) are grouped into tasks as large as one
//! charge allows, after the boot and the commit that each task also pays for.

use serde::Serialize;

use super::FlexError;
use crate::ace::{CostModel, Program};
use crate::target::Target;

/// A step over a range of its work units, run between two commits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Task {
    pub step: usize,
    pub start: usize,
    pub end: usize,
    /// Modeled cost of the task's kernels.
    pub cycles: u64,
    pub energy_pj: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct TaskPlan {
    pub tasks: Vec<Task>,
    /// Energy of one charge, picojoules.
    pub budget_pj: u64,
    /// Energy a task may use after the boot and its commit.
    pub task_budget_pj: u64,
}

/// Cycles and energy of running `work` of `step`, as the cost model prices them.
fn cost(
    program: &Program,
    costs: &CostModel,
    step: usize,
    work: std::ops::Range<usize>,
) -> Result<(u64, u64), FlexError> {
    let calls = costs.step(program, step, work).map_err(|e| FlexError::Internal(format!("host run: {e}")))?;
    let total = costs.charge(&calls);
    Ok((total.cycles, total.energy_pj()))
}

/// Energy a task's kernels may use out of a charge of `budget_pj`: what the boot and the task's commit
/// leave.
pub fn task_budget_pj(target: &Target, budget_pj: u64) -> u64 {
    budget_pj.saturating_sub(overhead_pj(target))
}

/// What every task pays besides its kernels: the boot after a power failure and the task's commit.
pub fn overhead_pj(target: &Target) -> u64 {
    target.boot_energy_pj() + target.commit_energy_pj()
}

/// Groups every step's work units into tasks that fit a charge of `budget_pj` on `target`, priced by
/// `costs` (the model the program was lowered with).
pub fn partition(program: &Program, target: &Target, costs: &CostModel, budget_pj: u64) -> Result<TaskPlan, FlexError> {
    let overhead_pj = overhead_pj(target);
    let task_budget_pj = task_budget_pj(target, budget_pj);
    let mut tasks = Vec::new();
    for (index, step) in program.steps.iter().enumerate() {
        let units = step.call.work_units().max(1);
        let (one_cycles, one_pj) = cost(program, costs, index, 0..1)?;
        if one_pj > task_budget_pj {
            return Err(FlexError::TooBigForOneCharge {
                layer: step.layer.clone(),
                kind: step.kind.clone(),
                needed_uj: (one_pj + overhead_pj) as f64 / 1e6,
                budget_uj: budget_pj as f64 / 1e6,
            });
        }
        let (all_cycles, all_pj) =
            if units == 1 { (one_cycles, one_pj) } else { cost(program, costs, index, 0..units)? };
        if all_pj <= task_budget_pj {
            tasks.push(Task { step: index, start: 0, end: units, cycles: all_cycles, energy_pj: all_pj });
            continue;
        }
        // Linear estimate of the units per task, then shrink until the measured cost fits.
        let per_unit = (all_pj - one_pj) / (units as u64 - 1).max(1);
        let fixed = one_pj.saturating_sub(per_unit);
        let mut start = 0;
        while start < units {
            let mut count = ((task_budget_pj - fixed) / per_unit.max(1)).clamp(1, (units - start) as u64) as usize;
            loop {
                let (cycles, energy) = cost(program, costs, index, start..start + count)?;
                if energy <= task_budget_pj {
                    tasks.push(Task { step: index, start, end: start + count, cycles, energy_pj: energy });
                    break;
                }
                if count == 1 {
                    return Err(FlexError::TooBigForOneCharge {
                        layer: step.layer.clone(),
                        kind: step.kind.clone(),
                        needed_uj: (energy + overhead_pj) as f64 / 1e6,
                        budget_uj: budget_pj as f64 / 1e6,
                    });
                }
                count = (count * 9 / 10).max(1);
            }
            start += count;
        }
    }
    // The progress record counts tasks in 16 bits, with one value past the last for "acknowledged".
    if tasks.len() >= usize::from(u16::MAX) {
        return Err(FlexError::TooManyTasks { tasks: tasks.len() });
    }
    Ok(TaskPlan { tasks, budget_pj, task_budget_pj })
}
