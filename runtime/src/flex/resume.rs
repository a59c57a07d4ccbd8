//! The resumable entry points generated crates expose: `start` a fresh inference, `resume` after every boot,
//! `acknowledge` once the result was used. Each takes the program's id: the record belongs to one build,
//! and progress another build left is no progress of this one.

use super::record::{NvWords, ProgramId, Progress, commit, current, erase_foreign};
use crate::accelerator::Accelerator;
use crate::error::KernelError;

/// One task of an inference: `layer` over its work units `first_unit..end_unit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Task<L> {
    pub layer: L,
    pub first_unit: usize,
    pub end_unit: usize,
}

/// Runs the tasks of a compiled model, each a step of the accelerator program over a range of its work
/// units. [`resume`] walks [`TaskRunner::tasks`] and hands each task over, so there is no task index a
/// runner could be asked for and not have.
pub trait TaskRunner {
    /// What names a layer: the generated crate's enum of its layer functions (a match over it is
    /// exhaustive).
    type Layer: Copy;
    /// The tasks of one inference, in order (at most `u16::MAX`, the record's task counter).
    fn tasks(&self) -> &[Task<Self::Layer>];
    /// Runs `task`. It must be idempotent: it reads only non-volatile inputs it does not overwrite, and
    /// rebuilds all volatile state it needs.
    fn run<A: Accelerator>(&mut self, acc: &mut A, task: Task<Self::Layer>) -> Result<(), KernelError>;
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
/// buffer: commits task 0 of a new epoch of `program`, after erasing a record another build left (if
/// [`resume`] did not already). A failure before the commit leaves the previous state, so the caller simply
/// starts again.
pub fn start<N: NvWords + ?Sized>(nv: &mut N, program: ProgramId) -> Progress {
    erase_foreign(nv, program);
    let epoch = current(nv, program).map_or(1, |p| p.epoch.wrapping_add(1));
    let progress = Progress { epoch, task: 0 };
    commit(nv, program, progress);
    progress
}

/// Runs every task of `program` not yet committed, committing after each, and reports where the inference
/// stands. Call it after every boot: it continues from the last commit, whatever happened in between. A
/// record without progress of `program` (fresh FRAM, or left by another build) is erased and reported as
/// `Idle` before anything else is written, so the caller's `start` never overwrites data that the other
/// build's record still describes.
pub fn resume<N: NvWords + ?Sized, R: TaskRunner, A: Accelerator>(
    nv: &mut N,
    program: ProgramId,
    runner: &mut R,
    acc: &mut A,
) -> Result<Status, KernelError> {
    let tasks = runner.tasks().len();
    let Some(mut progress) = current(nv, program) else {
        erase_foreign(nv, program);
        return Ok(Status::Idle);
    };
    if usize::from(progress.task) > tasks {
        return Ok(Status::Idle);
    }
    while let Some(&task) = runner.tasks().get(usize::from(progress.task)) {
        runner.run(acc, task)?;
        progress.task += 1;
        commit(nv, program, progress);
    }
    Ok(Status::Done { epoch: progress.epoch })
}

/// Records that the finished inference's output was used, so that a later boot does not report it (or
/// repeat its side effects) again.
pub fn acknowledge<N: NvWords + ?Sized>(nv: &mut N, program: ProgramId, tasks: u16) {
    if let Some(progress) = current(nv, program)
        && progress.task == tasks
    {
        commit(nv, program, Progress { epoch: progress.epoch, task: tasks + 1 });
    }
}
