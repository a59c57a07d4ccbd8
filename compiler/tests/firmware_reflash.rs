//! A board reflashed mid-inference with a tool that keeps the FLEX progress record, in mspdebug's simulator:
//! model A's firmware loses power mid-inference; model B's firmware is flashed and finds A's record where
//! it keeps its own. B must compute exactly its own uninterrupted result and set `ACEC_DONE` once, also when
//! its power fails at every instruction of its first boots (where it checks the record's program id, erases
//! A's record and commits its own start).
//!
//! Needs mspdebug and rustup's rust-src (see firmware.rs).

mod support;

use std::path::{Path, PathBuf};

use acec::firmware::{Expectation, reflash, sim};
use acec_runtime::flex::{NvWords, ProgramId, RECORD_WORDS};
use support::firmware::{build_firmware, text, tools_present};
use support::temp_dir;

/// A firmware built into `dir/name`: its image and what it must compute.
fn firmware(dir: &Path, fixture: &str, data: &str, block: Option<&str>) -> (PathBuf, Expectation) {
    let (model, calib, test) = (
        format!("fixtures/{fixture}/model.onnx"),
        format!("fixtures/data/{data}-train.npz"),
        format!("fixtures/data/{data}-test.npz"),
    );
    let out = dir.join(fixture);
    let built = build_firmware(&model, &calib, &test, block, &[], &out);
    assert!(built.status.success(), "{fixture}: {}", text(&built));
    let expected = serde_json::from_str(&std::fs::read_to_string(out.join("firmware.json")).unwrap()).unwrap();
    (out, expected)
}

/// The `PROGRAM_ID` of the crate generated in `dir`.
fn program_id(dir: &Path) -> ProgramId {
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
    let line = lib.lines().find_map(|l| l.strip_prefix("pub const PROGRAM_ID: u32 = 0x")).expect("PROGRAM_ID");
    ProgramId::from_str_radix(&line.trim_end_matches(';').replace('_', ""), 16).unwrap()
}

/// A record image read back from the simulator.
struct Image([u16; RECORD_WORDS]);

impl Image {
    fn new(bytes: &[u8]) -> Self {
        assert_eq!(bytes.len(), 2 * RECORD_WORDS, "record size");
        let mut words = [0; RECORD_WORDS];
        for (w, b) in words.iter_mut().zip(bytes.chunks(2)) {
            *w = u16::from_le_bytes([b[0], b[1]]);
        }
        Image(words)
    }
}

impl NvWords for Image {
    fn read(&self, index: usize) -> u16 {
        self.0[index]
    }
    fn write(&mut self, _: usize, _: u16) {
        unreachable!("read only")
    }
}

#[test]
fn a_record_left_by_another_build_is_not_resumed_on_the_isa() {
    if !tools_present() {
        return;
    }
    let dir = temp_dir("firmware-reflash");
    // Different models, inputs and task tables (6 tasks and 3), the same record layout.
    let (a, a_expected) = firmware(&dir, "fmnist-circulant", "fmnist", None);
    let (b, expected) = firmware(&dir, "digits-mlp", "digits", Some("64"));
    let (a_elf, b_elf) = (a.join("firmware.elf"), b.join("firmware.elf"));
    let (a_id, b_id) = (program_id(&a), program_id(&b));
    assert_ne!(a_id, b_id);

    // A early in its inference: its start committed (its own input in FRAM), its first tasks under way.
    let a_alone = sim::run(&a_elf, a_expected.output_len, 0, 0, 0).unwrap();
    let steps = a_alone.instructions.expect("instruction count") / 12;

    let clean = reflash::run(&a_elf, steps, &b_elf, expected.output_len, &[]).unwrap();
    assert_eq!(clean.first_done, 0, "A was cut before it finished");
    let left = Image::new(&clean.left);
    assert!(acec_runtime::flex::current(&left, a_id).is_some(), "A left progress of its own: {:?}", left.0);
    let run = &clean.run;
    assert_eq!(run.output_q15, expected.output_q15, "B computed something else than its own result");
    assert_eq!((run.done, run.done_writes), (1, 1), "{run:?}");

    // B's power fails after 1, 2, 3, ... instructions of its successive boots, each boot getting one
    // instruction further than the one before: every instruction of its id check, of the erase of A's
    // record and of its first commit (between 8,000 and 10,000 instructions after reset with the harness
    // built for size; about 1,200 at opt-level 2) is cut once; then it runs on.
    let failures: Vec<u64> = (1..=12_000).collect();
    let torn = reflash::run(&a_elf, steps, &b_elf, expected.output_len, &failures).unwrap();
    let before_last = Image::new(&torn.before_last_boot);
    assert!(acec_runtime::flex::current(&before_last, b_id).is_some(), "the failures reached past B's first commit");
    assert_eq!(acec_runtime::flex::current(&before_last, a_id), None, "A's record survived B");
    assert_eq!(torn.run.output_q15, expected.output_q15, "B after {} failures", failures.len());
    assert_eq!((torn.run.done, torn.run.done_writes), (1, 1), "{:?}", torn.run);
}
