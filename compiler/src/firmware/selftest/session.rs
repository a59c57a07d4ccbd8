//! The mspdebug session that runs the self-test image to `acec_halt` and dumps its results: in the
//! simulator, or on a LaunchPad through mspdebug's `tilib` (TI's MSP430.dll/libmsp430.so) or `ezfet`
//! drivers.
//!
//! On a board this is not yet runnable as built here: the harness's multiply helpers (`startup.rs`) use
//! the 16-bit multiplier at 0x0130, where mspdebug's simulator has it; the FR5994's MPY32 is at 0x04C0,
//! and an image for a board (multiplier base, TI's DSPLib linked, FRAM write protection) is issue 17's.
//! The session itself is the same on both.

use std::path::Path;

use super::rows::ROW_BYTES;
use crate::error::Error;
use crate::firmware::sim::{Dump, load, mspdebug, symbol};

/// Which mspdebug driver runs the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Driver {
    /// mspdebug's simulator (with its 16-bit hardware multiplier at 0x0130).
    Sim,
    /// A LaunchPad through TI's MSP430 library (libmsp430.so).
    Tilib,
    /// A LaunchPad's eZ-FET debugger.
    Ezfet,
}

impl Driver {
    fn name(self) -> &'static str {
        match self {
            Driver::Sim => "sim",
            Driver::Tilib => "tilib",
            Driver::Ezfet => "ezfet",
        }
    }
}

/// The mspdebug arguments: load `elf`, run to `halt`, dump `row_count` rows at `rows` and the marker.
pub fn arguments(driver: Driver, elf: &Path, halt: u64, rows: u64, row_count: usize, done: u64) -> Vec<String> {
    let mut args = vec!["-q".into(), driver.name().into(), format!("prog {}", elf.display())];
    if driver == Driver::Sim {
        args.push("simio add hwmult m".into());
    }
    args.extend([
        format!("setbreak {halt:#x}"),
        "run".into(),
        format!("md {rows:#x} {}", ROW_BYTES * row_count as u64),
        format!("md {done:#x} 2"),
    ]);
    args
}

/// Runs `elf` with `driver`; the memory it dumped, and where the rows and the marker are.
pub fn run(elf: &Path, driver: Driver, row_count: usize) -> Result<(Dump, u64, u64, String), Error> {
    let image = load(elf)?;
    let (halt, rows, done) =
        (symbol(&image, "acec_halt")?, symbol(&image, "SELFTEST_ROWS")?, symbol(&image, "SELFTEST_DONE")?);
    let log = mspdebug(&arguments(driver, elf, halt, rows, row_count, done))?;
    Ok((Dump::parse(&log), rows, done, log))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_simulator_gets_its_multiplier() {
        let sim = arguments(Driver::Sim, Path::new("s.elf"), 0x4400, 0x5000, 24, 0x50c0);
        assert_eq!(sim[..4], ["-q", "sim", "prog s.elf", "simio add hwmult m"]);
        assert!(sim.contains(&"md 0x5000 192".to_string()) && sim.contains(&"setbreak 0x4400".to_string()));
        let board = arguments(Driver::Tilib, Path::new("s.elf"), 0x4400, 0x5000, 24, 0x50c0);
        assert_eq!(board[1], "tilib");
        assert!(!board.iter().any(|a| a.starts_with("simio")));
    }
}
