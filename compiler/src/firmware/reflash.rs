//! A board reflashed mid-inference by a tool that keeps the progress record, in mspdebug's simulator: one
//! session runs firmware `first` for a number of instructions and cuts its power, so a partial record of
//! `first` stays in FRAM; then `second` is flashed (`prog` erases and loads every section, its empty record
//! included), its record section is overwritten with the bytes `first` left in its own, and `second` boots,
//! optionally loses power more times, and runs to `acec_halt`.
//!
//! Why the record is carried with `save_raw` / `load_raw` rather than by loading `second` without its
//! record section: the two builds link `.acec.persistent` at different addresses (it follows their code and
//! constants), so keeping the bytes at `first`'s address would show `second` nothing. Carrying them to
//! `second`'s address is the case that matters: a later build that finds the earlier build's record where
//! it keeps its own. Both files are raw memory images written and read by mspdebug in the same session.

use std::path::{Path, PathBuf};

use super::elf::Elf;
use super::sim::{FirmwareRun, finish, load, power_failures, symbol};
use crate::error::Error;

/// The section holding the FLEX progress record (see the linker script).
const RECORD_SECTION: &str = ".acec.persistent";

/// What a reflash run saw.
#[derive(Clone, Debug)]
pub struct Reflashed {
    /// The record `first` left when its power was cut (the bytes `second` then found as its own).
    pub left: Vec<u8>,
    /// `first`'s `ACEC_DONE` at that moment (0: it had not finished).
    pub first_done: u16,
    /// `second`'s record after its power failures, before its last, uninterrupted boot.
    pub before_last_boot: Vec<u8>,
    /// `second`'s run from its first boot to `acec_halt`.
    pub run: FirmwareRun,
}

/// `(address, size)` of the progress record of `elf`.
fn record(elf: &Elf) -> Result<(u64, u64), Error> {
    elf.sections
        .iter()
        .find(|s| s.name == RECORD_SECTION && s.size > 0)
        .map(|s| (s.address, s.size))
        .ok_or_else(|| Error::Firmware(format!("the firmware has no {RECORD_SECTION} section")))
}

/// A scratch file for one raw memory image, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(what: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Scratch(std::env::temp_dir().join(format!("acec-reflash-{}-{n}-{what}.bin", std::process::id())))
    }

    fn read(&self) -> Result<Vec<u8>, Error> {
        std::fs::read(&self.0).map_err(|e| Error::Firmware(format!("mspdebug wrote no {}: {e}", self.0.display())))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs `first` for `steps` instructions, cuts its power, flashes `second` keeping `first`'s record, and runs
/// `second` with power failures after `failures_after` instructions of its successive boots, then to the end.
pub fn run(
    first: &Path,
    steps: u64,
    second: &Path,
    output_len: usize,
    failures_after: &[u64],
) -> Result<Reflashed, Error> {
    let (first_elf, second_elf) = (load(first)?, load(second)?);
    let ((from, size), (to, second_size)) = (record(&first_elf)?, record(&second_elf)?);
    if size != second_size {
        return Err(Error::Firmware(format!(
            "the two firmwares' progress records differ in size ({size} and {second_size} bytes)"
        )));
    }
    let first_done = symbol(&first_elf, "ACEC_DONE")?;
    let (left, done, before_last) = (Scratch::new("left"), Scratch::new("done"), Scratch::new("before-last"));
    let mut args: Vec<String> = vec![
        "-q".into(),
        "sim".into(),
        format!("prog {}", first.display()),
        "simio add hwmult m".into(),
        format!("step {steps}"),
        "reset".into(),
        format!("save_raw {from:#x} {size} {}", left.0.display()),
        format!("save_raw {first_done:#x} 2 {}", done.0.display()),
        format!("prog {}", second.display()),
        format!("load_raw {} {to:#x}", left.0.display()),
        "reset".into(),
        "fill 0x1c00 4096 0xa5".into(),
        "fill 0x2c00 4096 0x5a".into(),
        "simio add tracer t".into(),
    ];
    args.extend(power_failures(failures_after));
    args.push(format!("save_raw {to:#x} {size} {}", before_last.0.display()));
    let run = finish(args, &second_elf, output_len, failures_after.to_vec())?;
    let first_done = match done.read()?.as_slice() {
        [lo, hi] => u16::from_le_bytes([*lo, *hi]),
        other => return Err(Error::Firmware(format!("ACEC_DONE read as {} bytes", other.len()))),
    };
    Ok(Reflashed { left: left.read()?, first_done, before_last_boot: before_last.read()?, run })
}
