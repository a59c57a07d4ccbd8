//! `acec selftest` and `acec run-selftest`: a board self-test of the kernels a model can use. The
//! firmware runs every DSPLib-backed kernel of `DsplibBackend` (and once or twice each of the CPU kernels
//! it runs) on fixed vectors, edge cases included, against the outputs the host computed with
//! `SoftBackend`, and writes per kernel the largest |device - host| in LSB to FRAM; the reader runs it in an
//! mspdebug session and prints a verdict.
//!
//! Why: the soft backend models TI's C semantics of DSPLib, but the LEA's own rounding is not documented
//! bit for bit. On the stand-in (the simulator) the self-test must report 0 LSB; on a board it measures
//! the LEA.
//!
//! The harness (`targets/msp430fr5994-lea/selftest/`) is static; only its `cases.rs` is generated:
//! [`plan`] chooses the calls, [`arena`] places their operands in LEA RAM, [`expect`] runs them on the host,
//! [`data`] writes them as FRAM data, [`listing`] lists them in `selftest.json`. [`session`] and [`rows`]
//! run the image and read the results back.

mod arena;
#[path = "../../../../targets/msp430fr5994-lea/selftest/src/case.rs"]
pub mod case;
pub mod command;
mod data;
mod expect;
mod listing;
mod plan;
mod rows;
pub mod session;

use crate::codegen::GeneratedFile;
use crate::error::Error;

const MANIFEST: &str = include_str!("../../../../targets/msp430fr5994-lea/selftest/Cargo.toml");
const MAIN: &str = include_str!("../../../../targets/msp430fr5994-lea/selftest/src/main.rs");
const CASE: &str = include_str!("../../../../targets/msp430fr5994-lea/selftest/src/case.rs");

/// Every file of a self-test output directory: the harness crate under `selftest/` (with the generated
/// `cases.rs`), the runtime copy under `acec-runtime/`, and `selftest.json`.
pub fn files() -> Result<(Vec<GeneratedFile>, listing::Listing), Error> {
    let planned: Vec<expect::Planned> =
        plan::specs().iter().map(expect::plan).collect::<Result<_, _>>().map_err(Error::Internal)?;
    let (cases_rs, data_words) = data::cases_rs(&planned).map_err(Error::Internal)?;
    let listing = listing::Listing::new(&planned, arena::ARENA_WORDS, data_words);
    let json = serde_json::to_string_pretty(&listing).map_err(|e| Error::Internal(e.to_string()))?;
    let mut files = vec![
        GeneratedFile::new("selftest/Cargo.toml", MANIFEST.to_string()),
        GeneratedFile::new("selftest/src/main.rs", MAIN.to_string()),
        GeneratedFile::new("selftest/src/case.rs", CASE.to_string()),
        GeneratedFile::new("selftest/src/cases.rs", cases_rs),
        GeneratedFile::new("selftest.json", json + "\n"),
    ];
    files.extend(super::shared_files("selftest"));
    files.extend(crate::codegen::runtime_files());
    Ok((files, listing))
}
