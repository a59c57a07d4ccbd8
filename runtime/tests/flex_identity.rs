//! A progress record belongs to one build: a record another program left in FRAM (a board reflashed
//! mid-inference with a tool that keeps the record's section) is never resumed, and erasing it is safe under
//! a power failure at every word write, alone or twice over.

use std::cell::Cell;
use std::rc::Rc;

use acec_runtime::flex::{NvWords, ProgramId, Progress, RECORD_WORDS, Status, Task, TaskRunner};
use acec_runtime::flex::{acknowledge, current, resume, start};
use acec_runtime::{Accelerator, Kernel, KernelError, SoftBackend, Violation};

const A: ProgramId = 0x5EED_A001;
const B: ProgramId = 0x5EED_B002;
const TASKS_A: u16 = 6;
const TASKS_B: u16 = 5;

/// FRAM whose supply fails after a budget of word writes: that write and every later one are lost (the
/// device is off) until [`Fram::reboot`].
struct Fram {
    words: [u16; RECORD_WORDS],
    budget: Option<usize>,
    writes: usize,
    dead: Rc<Cell<bool>>,
}

impl Fram {
    fn new(words: [u16; RECORD_WORDS], budget: Option<usize>) -> Self {
        Fram { words, budget, writes: 0, dead: Rc::new(Cell::new(false)) }
    }

    /// Power returns: FRAM keeps its words, and this boot fails after `budget` more writes (`None`: never).
    fn reboot(&mut self, budget: Option<usize>) {
        self.dead.set(false);
        self.budget = budget;
        self.writes = 0;
    }
}

impl NvWords for Fram {
    fn read(&self, index: usize) -> u16 {
        self.words[index]
    }

    fn write(&mut self, index: usize, value: u16) {
        if self.dead.get() || self.budget == Some(self.writes) {
            self.dead.set(true);
            return;
        }
        self.words[index] = value;
        self.writes += 1;
    }
}

/// A program's tasks. Checks that this program's inference is never resumed from progress it did not make:
/// task `k` may run only once tasks `0..k` ran (on this runner, i.e. in this program's history).
struct Tasks {
    /// Task `k` is layer `k`, one work unit.
    tasks: Vec<Task<u16>>,
    /// Tasks `0..ran` have run at least once.
    ran: u16,
    dead: Rc<Cell<bool>>,
}

fn one_task_a_layer(tasks: u16) -> Vec<Task<u16>> {
    (0..tasks).map(|layer| Task { layer, first_unit: 0, end_unit: 1 }).collect()
}

impl TaskRunner for Tasks {
    type Layer = u16;

    fn tasks(&self) -> &[Task<u16>] {
        &self.tasks
    }

    fn run<Acc: Accelerator>(&mut self, _: &mut Acc, task: Task<u16>) -> Result<(), KernelError> {
        let index = task.layer;
        if self.dead.get() {
            return Err(KernelError { kernel: Kernel::Copy, violation: Violation::PowerLoss });
        }
        assert!(index <= self.ran, "task {index} resumed from progress this program never made (ran 0..{})", self.ran);
        self.ran = self.ran.max(index + 1);
        Ok(())
    }
}

/// One boot of a firmware like the harness's: `resume`, `start` when idle, until done. `None` if the
/// supply failed during the boot. Checks that no progress of `other` is left when `program` is about to
/// write its input (what `start` of a generated crate does first).
fn boot(nv: &mut Fram, program: ProgramId, other: ProgramId, runner: &mut Tasks) -> Option<Status> {
    loop {
        let status = resume(nv, program, runner, &mut SoftBackend);
        if nv.dead.get() {
            return None;
        }
        match status {
            Ok(Status::Idle) => {
                assert_eq!(current(nv, other), None, "{program:#x} starts over a record {other:#x} can resume");
                start(nv, program);
                if nv.dead.get() {
                    return None;
                }
            }
            Ok(done) => return Some(done),
            Err(e) => panic!("{e}"),
        }
    }
}

/// Runs `program` from `words` with failures after the given numbers of word writes (one boot each), then
/// without failures to the end; returns the record it leaves and the boots it took.
fn run(
    words: [u16; RECORD_WORDS],
    program: ProgramId,
    other: ProgramId,
    tasks: u16,
    failures: &[usize],
) -> ([u16; RECORD_WORDS], usize) {
    let mut nv = Fram::new(words, None);
    let mut runner = Tasks { tasks: one_task_a_layer(tasks), ran: 0, dead: nv.dead.clone() };
    let mut boots = 0;
    for budget in failures.iter().copied().map(Some).chain(std::iter::repeat(None)) {
        nv.reboot(budget);
        boots += 1;
        if let Some(status) = boot(&mut nv, program, other, &mut runner) {
            assert!(matches!(status, Status::Done { .. }), "{status:?}");
            assert_eq!(runner.ran, tasks, "every task ran");
            return (nv.words, boots);
        }
        assert!(boots < 1000, "no progress");
    }
    unreachable!("the failure-free boot finishes")
}

/// Word writes of a failure-free run of `program` from `words` (the sweeps' range).
fn writes_of(words: [u16; RECORD_WORDS], program: ProgramId, tasks: u16) -> usize {
    let mut nv = Fram::new(words, None);
    let mut runner = Tasks { tasks: one_task_a_layer(tasks), ran: 0, dead: nv.dead.clone() };
    boot(&mut nv, program, 0, &mut runner).expect("no failure");
    nv.writes
}

/// The records program A can leave: every point of its inference (torn inside any commit), finished, and
/// finished and acknowledged.
fn records_of_a() -> Vec<[u16; RECORD_WORDS]> {
    let fresh = [0; RECORD_WORDS];
    let mut records = Vec::new();
    for cut in 0..writes_of(fresh, A, TASKS_A) {
        let mut nv = Fram::new(fresh, Some(cut));
        let mut runner = Tasks { tasks: one_task_a_layer(TASKS_A), ran: 0, dead: nv.dead.clone() };
        assert_eq!(boot(&mut nv, A, B, &mut runner), None, "A fails after {cut} writes");
        records.push(nv.words);
    }
    let (done, _) = run(fresh, A, B, TASKS_A, &[]);
    let mut acknowledged = Fram::new(done, None);
    acknowledge(&mut acknowledged, A, TASKS_A);
    records.extend([done, acknowledged.words]);
    records
}

#[test]
fn a_record_of_program_a_is_not_resumed_by_program_b() {
    let mut nv = Fram::new(a_mid_inference(), None);
    assert_eq!(current(&nv, A), Some(Progress { epoch: 1, task: 3 }));
    assert_eq!(current(&nv, B), None, "B sees no progress in A's record");
    let mut runner = Tasks { tasks: one_task_a_layer(TASKS_B), ran: 0, dead: nv.dead.clone() };
    assert_eq!(resume(&mut nv, B, &mut runner, &mut SoftBackend), Ok(Status::Idle));
    assert_eq!(runner.ran, 0, "B ran no task of A's inference");
    assert_eq!(current(&nv, A), None, "B erased A's record, so A flashed back cannot resume over B's data");
    assert_eq!(start(&mut nv, B), Progress { epoch: 1, task: 0 });
    assert_eq!(resume(&mut nv, B, &mut runner, &mut SoftBackend), Ok(Status::Done { epoch: 1 }));
    assert_eq!(runner.ran, TASKS_B);
}

#[test]
fn an_id_differing_in_either_half_is_another_program() {
    for other in [A ^ 1, A ^ 0x8000, A ^ 0x1_0000, A ^ 0x8000_0000] {
        let mut nv = Fram::new([0; RECORD_WORDS], None);
        start(&mut nv, A);
        acec_runtime::flex::commit(&mut nv, A, Progress { epoch: 1, task: 2 });
        assert_eq!(current(&nv, other), None, "{other:#x} resumes {A:#x}'s record");
    }
}

#[test]
fn a_record_in_the_previous_layout_is_not_resumed() {
    // Format 1 (before program ids): two slots of (epoch, task, check, seq), as the old runtime wrote them
    // after committing task 3 of epoch 1 (slot 0 at seq 3, slot 1 at seq 4).
    let old_check = |epoch: u16, task: u16, seq: u16| {
        (epoch ^ 0xA5C3).rotate_left(3) ^ task.rotate_left(7) ^ seq.wrapping_mul(0x9E37) ^ 0x5A5A
    };
    let mut words = [0; RECORD_WORDS];
    words[..8].copy_from_slice(&[1, 2, old_check(1, 2, 3), 3, 1, 3, old_check(1, 3, 4), 4]);
    let nv = Fram::new(words, None);
    for program in [A, B, 0, u32::from(old_check(1, 2, 3)) | (3 << 16)] {
        assert_eq!(current(&nv, program), None, "{program:#x}");
    }
}

#[test]
fn b_over_any_record_of_a_survives_a_failure_at_every_word_write() {
    for (i, record) in records_of_a().into_iter().enumerate() {
        let writes = writes_of(record, B, TASKS_B);
        for cut in 0..=writes {
            let (words, _) = run(record, B, A, TASKS_B, &[cut]);
            assert_eq!(current(&Fram::new(words, None), B), Some(Progress { epoch: 1, task: TASKS_B }), "{i}/{cut}");
            assert_eq!(current(&Fram::new(words, None), A), None, "record {i}, cut {cut}: A's progress survived");
        }
    }
}

/// A mid-inference: both slots valid, so erasing takes two writes.
fn a_mid_inference() -> [u16; RECORD_WORDS] {
    let mut nv = Fram::new([0; RECORD_WORDS], None);
    start(&mut nv, A);
    for task in 1..=3 {
        acec_runtime::flex::commit(&mut nv, A, Progress { epoch: 1, task });
    }
    nv.words
}

#[test]
fn b_over_a_record_of_a_survives_two_failures_at_every_pair_of_word_writes() {
    let record = a_mid_inference();
    let writes = writes_of(record, B, TASKS_B);
    for first in 0..=writes {
        for second in 0..=writes {
            let (words, boots) = run(record, B, A, TASKS_B, &[first, second]);
            assert!(boots <= 3, "{first}/{second}");
            assert_eq!(current(&Fram::new(words, None), B), Some(Progress { epoch: 1, task: TASKS_B }));
        }
    }
}

#[test]
fn a_flashed_back_while_b_erases_resumes_its_newest_progress_or_nothing() {
    for record in records_of_a() {
        let before = current(&Fram::new(record, None), A);
        for cut in 0..=writes_of(record, B, TASKS_B) {
            // B fails after `cut` writes, and A is flashed back (keeping the record).
            let mut nv = Fram::new(record, Some(cut));
            let mut runner = Tasks { tasks: one_task_a_layer(TASKS_B), ran: 0, dead: nv.dead.clone() };
            if boot(&mut nv, B, A, &mut runner).is_some() {
                continue;
            }
            let after = current(&nv, A);
            assert!(after.is_none() || after == before, "cut {cut}: A would resume {after:?}, not {before:?}");
            if runner.ran > 0 || current(&nv, B).is_some() {
                assert_eq!(after, None, "cut {cut}: A can resume after B committed");
            }
        }
    }
}
