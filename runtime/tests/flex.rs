//! The progress record commits atomically: a failure between any two word writes leaves either the old or
//! the new progress, never anything else; sequence numbers survive wrap-around.

use acec_runtime::flex::{NvWords, Progress, ProgressRecord, RECORD_WORDS};
use acec_runtime::flex::{acknowledge, start};

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
    acec_runtime::flex::current(nv)
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
        start(&mut nv);
        for task in 1..=before {
            acec_runtime::flex::commit(&mut nv, Progress { epoch: 1, task });
        }
        let old = committed(&nv).unwrap();
        for cut in 0..=4 {
            let mut torn = TornNv { words: nv.words, writes_left: cut };
            let new = Progress { epoch: 1, task: before + 1 };
            acec_runtime::flex::commit(&mut torn, new);
            let after = committed(&torn).unwrap();
            let expected = if cut == 4 { new } else { old };
            assert_eq!(after, expected, "commit {before}, torn after {cut} words");
        }
    }
}

#[test]
fn sequence_numbers_wrap_without_losing_order() {
    let mut nv = TornNv { words: [0; RECORD_WORDS], writes_left: usize::MAX };
    start(&mut nv);
    for i in 0..70_000u32 {
        let progress = Progress { epoch: 1, task: (i % 1000) as u16 };
        acec_runtime::flex::commit(&mut nv, progress);
        assert_eq!(committed(&nv), Some(progress), "commit {i}");
    }
}

#[test]
fn start_begins_a_new_epoch_and_acknowledge_closes_it() {
    let mut nv = TornNv { words: [0; RECORD_WORDS], writes_left: usize::MAX };
    let first = start(&mut nv);
    acec_runtime::flex::commit(&mut nv, Progress { epoch: first.epoch, task: 5 });
    acknowledge(&mut nv, 5);
    assert_eq!(committed(&nv), Some(Progress { epoch: first.epoch, task: 6 }));
    let second = start(&mut nv);
    assert_eq!(second.epoch, first.epoch.wrapping_add(1));
}
