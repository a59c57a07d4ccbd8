//! The resumable entry points generated crates expose: `start` a fresh inference, `resume` after every boot,
//! `acknowledge` once the result was used.

use super::record::{NvWords, Progress, commit, current};
use crate::accelerator::Accelerator;
use crate::error::KernelError;

/// Runs one task of a compiled model: a step of the accelerator program over a range of its work units.
pub trait TaskRunner {
    /// Number of tasks of one inference.
    fn tasks(&self) -> u16;
    /// Runs task `index`. It must be idempotent: it reads only non-volatile inputs it does not overwrite,
    /// and rebuilds all volatile state it needs.
    fn run_task<A: Accelerator>(&mut self, acc: &mut A, index: u16) -> Result<(), KernelError>;
}

/// Where an inference stands after [`resume`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// No inference was started (or the last one was acknowledged): call [`start`].
    Idle,
    /// Every task ran; the output is ready until [`acknowledge`] is called.
    Done { epoch: u16 },
}

/// Begins a fresh inference whose input the caller has already written to the model's non-volatile input
/// buffer: commits task 0 of a new epoch. A failure before the commit leaves the previous state, so the
/// caller simply starts again.
pub fn start<N: NvWords + ?Sized>(nv: &mut N) -> Progress {
    let epoch = current(nv).map_or(1, |p| p.epoch.wrapping_add(1));
    let progress = Progress { epoch, task: 0 };
    commit(nv, progress);
    progress
}

/// Runs every task not yet committed, committing after each, and reports where the inference stands.
/// Call it after every boot: it continues from the last commit, whatever happened in between.
pub fn resume<N: NvWords + ?Sized, R: TaskRunner, A: Accelerator>(
    nv: &mut N,
    runner: &mut R,
    acc: &mut A,
) -> Result<Status, KernelError> {
    let tasks = runner.tasks();
    let Some(mut progress) = current(nv) else { return Ok(Status::Idle) };
    if progress.task > tasks {
        return Ok(Status::Idle);
    }
    while progress.task < tasks {
        runner.run_task(acc, progress.task)?;
        progress.task += 1;
        commit(nv, progress);
    }
    Ok(Status::Done { epoch: progress.epoch })
}

/// Records that the finished inference's output was used, so that a later boot does not report it (or
/// repeat its side effects) again.
pub fn acknowledge<N: NvWords + ?Sized>(nv: &mut N, tasks: u16) {
    if let Some(progress) = current(nv)
        && progress.task == tasks
    {
        commit(nv, Progress { epoch: progress.epoch, task: tasks + 1 });
    }
}
