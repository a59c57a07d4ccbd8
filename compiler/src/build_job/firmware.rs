//! The firmware part of a build: a harness crate around the model that runs one sample of the data,
//! for mspdebug's simulator or a board, linked for msp430.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::firmware::board::{self, Board, BoardImage};
use crate::firmware::{self as harness, Backend, MemoryRow};
use crate::package::Package;
use crate::pipeline::{Compiled, Request};

/// `acec build --firmware`'s options.
#[derive(Clone, Debug)]
pub struct Firmware {
    /// The data the sample the firmware runs comes from, and its index there.
    pub data: PathBuf,
    pub index: usize,
    pub board: Board,
    /// The simulator image runs the DSPLib backend over the Rust stand-in (not the CPU kernels).
    pub dsplib_standin: bool,
    /// TI's DSPLib archive a board image links.
    pub dsplib: Option<PathBuf>,
}

impl Firmware {
    /// Refuses option combinations before anything is compiled; the DSPLib archive's absolute path.
    pub(super) fn check(&self) -> Result<Option<PathBuf>, Error> {
        board::check_args(self.board, self.dsplib.as_deref(), self.dsplib_standin)
    }

    /// `request` as the firmware needs it: mspdebug's simulator reaches 16-bit addresses only (a board
    /// reaches upper FRAM by DMA), so a simulator image keeps every constant below 64 KB.
    pub(super) fn request(&self, request: Request) -> Request {
        Request { no_upper_fram: request.no_upper_fram || self.board == Board::Sim, ..request }
    }

    /// `package` with the harness files beside the crate, and `firmware.json`.
    pub(super) fn with_files(
        &self,
        mut package: Package,
        compiled: &Compiled,
        crate_name: &str,
    ) -> Result<Package, Error> {
        package.files.extend(harness::firmware_files(compiled, crate_name, &self.data, self.index, self.board)?);
        Ok(package)
    }

    /// Links `output/firmware`; on failure `output` is removed (never a firmware directory without its
    /// image).
    pub(super) fn link(&self, output: &Path, dsplib: Option<PathBuf>) -> Result<Vec<MemoryRow>, Error> {
        let progress = crate::progress::spinner("linking the firmware for msp430-none-elf");
        // Absolute: the link runs cargo in the firmware directory, and the board's link arguments name
        // files here.
        let linked = std::path::absolute(output)
            .map_err(|e| Error::Output { path: output.into(), detail: e.to_string() })
            .and_then(|dir| match self.board {
                Board::Sim => {
                    let backend = if self.dsplib_standin { Backend::DsplibStandin } else { Backend::Soft };
                    harness::link_firmware(&dir, backend)
                }
                Board::MspExp430fr5994 => board::link(&dir, &BoardImage { simulator: false, dsplib }),
            });
        progress.finish_and_clear();
        if linked.is_err() {
            let _ = std::fs::remove_dir_all(output);
        }
        linked
    }
}
