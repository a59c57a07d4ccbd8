//! The progress record commits atomically: a failure between any two word writes leaves either the old or
//! the new progress, never anything else; sequence numbers survive wrap-around.

use acec_runtime::flex::{CHECK_WORD, INVALID, NvWords, ProgramId, Progress, ProgressRecord, RECORD_WORDS, SLOT_WORDS};
use acec_runtime::flex::{acknowledge, commit, current, start};

const PROGRAM: ProgramId = 0x1234_ABCD;

/// FRAM that stops accepting writes after a budget (a power failure between two word writes).
struct TornNv {
    words: [u16; RECORD_WORDS],
    writes_left: usize,
}

impl NvWords for TornNv {
    fn read(&self, index: usize) -> u16 {
        self.words[index]
    }
    fn write(&mut self, index: usize, value: u16) {
        if self.writes_left > 0 {
            self.words[index] = value;
            self.writes_left -= 1;
        }
    }
}

fn committed(nv: &TornNv) -> Option<Progress> {
    current(nv, PROGRAM)
}

/// Word writes `commit` makes from `words` (the sweep's range).
fn commit_writes(words: [u16; RECORD_WORDS], progress: Progress) -> usize {
    let mut nv = TornNv { words, writes_left: usize::MAX };
    commit(&mut nv, PROGRAM, progress);
    usize::MAX - nv.writes_left
}

#[test]
fn fresh_fram_has_no_progress() {
    let nv = TornNv { words: ProgressRecord::EMPTY.words, writes_left: 0 };
    assert_eq!(committed(&nv), None);
}

#[test]
fn every_torn_commit_leaves_old_or_new_progress() {
    for before in 0..40u16 {
        let mut nv = TornNv { words: [0; RECORD_WORDS], writes_left: usize::MAX };
        start(&mut nv, PROGRAM);
        for task in 1..=before {
            commit(&mut nv, PROGRAM, Progress { epoch: 1, task });
        }
        let old = committed(&nv).unwrap();
        let new = Progress { epoch: 1, task: before + 1 };
        let writes = commit_writes(nv.words, new);
        assert!(writes <= 4 || before == 0, "a commit inside an inference writes {writes} words");
        for cut in 0..=writes {
            let mut torn = TornNv { words: nv.words, writes_left: cut };
            commit(&mut torn, PROGRAM, new);
            let after = committed(&torn).unwrap();
            let expected = if cut == writes { new } else { old };
            assert_eq!(after, expected, "commit {before}, torn after {cut} words");
        }
    }
}

#[test]
fn every_torn_start_leaves_the_old_epoch_or_task_zero_of_the_new_one() {
    // A start changes the epoch as well as the task, so the slot it rewrites passes through mixes of old and
    // new words, none of which may be valid.
    for task in (0..u16::MAX).step_by(97) {
        let mut nv = TornNv { words: [0; RECORD_WORDS], writes_left: usize::MAX };
        start(&mut nv, PROGRAM);
        commit(&mut nv, PROGRAM, Progress { epoch: 1, task });
        commit(&mut nv, PROGRAM, Progress { epoch: 1, task: task.wrapping_add(1) });
        let old = committed(&nv).unwrap();
        for cut in 0..8 {
            let mut torn = TornNv { words: nv.words, writes_left: cut };
            start(&mut torn, PROGRAM);
            let after = committed(&torn).unwrap();
            assert!(after == old || after == Progress { epoch: 2, task: 0 }, "task {task}, cut {cut}: {after:?}");
        }
    }
}

/// FRAM that logs every word write.
struct LoggedNv {
    words: [u16; RECORD_WORDS],
    log: Vec<(usize, u16)>,
}

impl NvWords for LoggedNv {
    fn read(&self, index: usize) -> u16 {
        self.words[index]
    }
    fn write(&mut self, index: usize, value: u16) {
        self.words[index] = value;
        self.log.push((index, value));
    }
}

#[test]
fn a_commit_invalidates_its_slot_before_any_other_write_and_validates_it_last() {
    // Torn writes are safe because of this order, whatever the checksum: while the fields are rewritten the
    // slot's check word holds INVALID, which no content checksums to.
    let mut nv = LoggedNv { words: [0; RECORD_WORDS], log: Vec::new() };
    start(&mut nv, PROGRAM);
    for task in 1..20 {
        let progress = if task % 7 == 0 { Progress { epoch: task, task: 0 } } else { Progress { epoch: 1, task } };
        nv.log.clear();
        let before = nv.words;
        commit(&mut nv, PROGRAM, progress);
        let slot = nv.log.last().unwrap().0 / SLOT_WORDS;
        let check = slot * SLOT_WORDS + CHECK_WORD;
        assert!(nv.log.iter().all(|(i, _)| i / SLOT_WORDS == slot), "one slot is written: {:?}", nv.log);
        if before[check] != INVALID {
            assert_eq!(nv.log[0], (check, INVALID), "commit {task} starts by invalidating: {:?}", nv.log);
        }
        assert_eq!(nv.log.iter().filter(|(i, v)| *i == check && *v != INVALID).count(), 1);
        assert_eq!(nv.log.last().unwrap().0, check, "commit {task} ends with its check word");
    }
}

#[test]
fn sequence_numbers_wrap_without_losing_order() {
    let mut nv = TornNv { words: [0; RECORD_WORDS], writes_left: usize::MAX };
    start(&mut nv, PROGRAM);
    for i in 0..70_000u32 {
        let progress = Progress { epoch: 1, task: (i % 1000) as u16 };
        commit(&mut nv, PROGRAM, progress);
        assert_eq!(committed(&nv), Some(progress), "commit {i}");
    }
}

#[test]
fn start_begins_a_new_epoch_and_acknowledge_closes_it() {
    let mut nv = TornNv { words: [0; RECORD_WORDS], writes_left: usize::MAX };
    let first = start(&mut nv, PROGRAM);
    commit(&mut nv, PROGRAM, Progress { epoch: first.epoch, task: 5 });
    acknowledge(&mut nv, PROGRAM, 5);
    assert_eq!(committed(&nv), Some(Progress { epoch: first.epoch, task: 6 }));
    let second = start(&mut nv, PROGRAM);
    assert_eq!(second.epoch, first.epoch.wrapping_add(1));
}
