//! The two commands: `acec selftest` writes (and with the stand-in links) the self-test, `acec
//! run-selftest` runs it in an mspdebug session and prints the verdict.

use std::path::Path;

use super::listing::Listing;
use super::session::Driver;
use crate::codegen::write_atomically;
use crate::error::Error;
use crate::firmware::{Backend, link_measured, read_json, render_memory_report};

/// `acec selftest --target T -o DIR [--dsplib-standin]`.
pub fn selftest(target: &str, dir: &Path, standin: bool) -> Result<(), Error> {
    if target != "msp430-lea" {
        return Err(Error::Firmware(format!(
            "the self-test checks the LEA's DSPLib kernels: use --target msp430-lea (not {target})"
        )));
    }
    let (files, listing) = super::files()?;
    write_atomically(dir, &files).map_err(|e| Error::Output { path: dir.into(), detail: e.to_string() })?;
    let kernels = listing.rows.iter().filter(|k| listing.count(k) > 0).count();
    println!(
        "wrote {} (the harness crate in selftest/, the runtime copy, selftest.json): {} cases of {kernels} \
         kernels, {} words of case data",
        dir.display(),
        listing.cases.len(),
        listing.data_words
    );
    if !standin {
        println!(
            "no image linked: without --dsplib-standin the harness calls TI's DSPLib, which acec does not ship. \
             For a board: in {}/selftest/, `cargo build --release --target msp430-none-elf --features dsplib` \
             with `-L<DSPLib dir> -l<DSPLib>` added to the link arguments (acec-runtime/README.md); its multiply \
             helpers still target mspdebug's simulator (0x0130, not the FR5994's MPY32 at 0x04C0), so a board \
             image is not yet built here (issue 17)",
            dir.display()
        );
        return Ok(());
    }
    let elf = dir.join("selftest.elf");
    match link_measured(&dir.join("selftest"), &elf, Backend::DsplibStandin) {
        Err(e) => {
            // Never leave a self-test directory that promised an image without one.
            let _ = std::fs::remove_dir_all(dir);
            Err(e)
        }
        Ok((_, rows)) => {
            println!(
                "linked {} (DsplibBackend over the Rust DSPLib stand-in, for mspdebug's simulator); memory by \
                 region:\n{}",
                elf.display(),
                render_memory_report(&rows)
            );
            Ok(())
        }
    }
}

/// `acec run-selftest DIR [--driver D] [--json]`: exit 0 when every kernel is at 0 LSB without errors,
/// 1 when the device differs (a finding), 2 when DIR is not a linked self-test.
pub fn run_selftest(dir: &Path, driver: Driver, json: bool) -> Result<(), Error> {
    let listing: Listing =
        read_json(&dir.join("selftest.json"), "write it with `acec selftest --target msp430-lea -o DIR`")?;
    let elf = dir.join("selftest.elf");
    if !elf.exists() {
        return Err(Error::Firmware(format!(
            "{} is missing: link it with `acec selftest --target msp430-lea -o DIR --dsplib-standin`",
            elf.display()
        )));
    }
    let (dump, rows, done, log) = super::session::run(&elf, driver, listing.rows.len())?;
    let report = super::rows::read(&dump, rows, done, &listing)
        .map_err(|e| Error::Firmware(format!("{e}; mspdebug printed:\n{log}")))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| Error::Internal(e.to_string()))?);
    } else {
        print!("{}", super::rows::render_report(&report));
    }
    if report.passed { Ok(()) } else { Err(Error::SelftestDiffers) }
}
