//! `acec build --firmware --board msp-exp430fr5994`: the generated crate inside the LaunchPad harness
//! (`targets/msp430fr5994-lea/board/`, embedded like the simulator harness): 16 MHz, the MPY32, the
//! backchannel UART, LED1. It shares the simulator harness's link script, reset entry and division helpers
//! and links to the same `firmware.elf`.
//!
//! The same sources also build for mspdebug's simulator (harness feature `sim`, without LLVM's `hwmultf5`),
//! which is how CI runs the board image without a board: only the multiplier's address and the UART's
//! transmit wait differ, and the UART text is read back from its FRAM mirror ([`simulate`]).

use std::path::{Path, PathBuf};

use super::link::{Backend, LinkExtras};
use super::memory::{MemoryRow, render_memory_report};
use super::sim::{Dump, load, mspdebug, symbol};
use crate::codegen::GeneratedFile;
use crate::error::Error;

/// Which harness `--firmware` builds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Board {
    /// mspdebug's simulator: results in FRAM, read by `acec run-firmware`.
    #[default]
    Sim,
    /// TI's MSP-EXP430FR5994 LaunchPad: 16 MHz, MPY32, result on the backchannel UART, LED1 when done.
    #[value(name = "msp-exp430fr5994")]
    MspExp430fr5994,
}

const MANIFEST: &str = include_str!("../../../targets/msp430fr5994-lea/board/Cargo.toml.in");
const MODEL_PACKAGE: &str = "@MODEL_PACKAGE@";
/// The interrupt vectors (the timer's overflow, DSPLib's LEA handler): a second link script.
const VECTORS: &str = include_str!("../../../targets/msp430fr5994-lea/board/vectors.x");

/// The harness's own sources (`src/` of `targets/msp430fr5994-lea/board/`).
const SOURCES: &[(&str, &str)] = embed_target_files!("board":
    "src/main.rs",
    "src/clock.rs",
    "src/gpio.rs",
    "src/mmio.rs",
    "src/mpy32.rs",
    "src/registers.rs",
    "src/report.rs",
    "src/timer.rs",
    "src/uart.rs",
);

/// TI's msp430fr5994.h: `LEA_VECTOR (18) /* 0xFFB4 */`, where `vectors.x` puts DSPLib's LEA handler.
const LEA_VECTOR: u64 = 0xFFB4;

/// The EABI multiply helpers of `startup.rs`, on the simulator's multiplier at 0x0130 (PM5CTL0 on the
/// device): a board image must not contain them.
const SIMULATOR_MULTIPLY: [&str; 2] = ["__mspabi_mpyi", "__mspabi_mpyl"];

/// The board harness's files under `firmware/`, with the test sample (`input_doc` says which).
pub fn files(crate_name: &str, input: &[i16], input_doc: &str) -> Vec<GeneratedFile> {
    let mut files = vec![GeneratedFile::new("firmware/Cargo.toml", MANIFEST.replace(MODEL_PACKAGE, crate_name))];
    files.extend(SOURCES.iter().map(|(name, text)| GeneratedFile::new(&format!("firmware/{name}"), text.to_string())));
    files.push(super::input_rs(input, input_doc));
    files.push(GeneratedFile::new("firmware/vectors.x", VECTORS.to_string()));
    files.extend(super::reset_files("firmware"));
    files
}

/// How a board image is linked.
#[derive(Clone, Debug, Default)]
pub struct BoardImage {
    /// For mspdebug's simulator (harness feature `sim`): never for a board.
    pub simulator: bool,
    /// TI's DSPLib archive (`libdsplib.a`), linked with the `dsplib` feature; `None`: the CPU kernels.
    pub dsplib: Option<PathBuf>,
}

impl BoardImage {
    fn backend(&self) -> Backend {
        if self.dsplib.is_some() { Backend::Dsplib } else { Backend::Soft }
    }

    /// For the harness crate in `crate_dir`.
    fn extras(&self, crate_dir: &Path) -> LinkExtras {
        let mut extras = LinkExtras::default();
        extras.rustflags.push(format!("-C link-arg=-T{}", crate_dir.join("vectors.x").display()));
        if self.simulator {
            extras.features.push("sim".into());
        } else {
            // LLVM then calls the F5 family's MPY32 helpers (`mpy32.rs`), not startup.rs's.
            extras.rustflags.push("-C target-feature=+hwmultf5".into());
        }
        if let Some(archive) = &self.dsplib {
            extras.rustflags.push(format!("-C link-arg={}", archive.display()));
        }
        extras
    }
}

/// Refuses `--board`/`--dsplib` combinations before anything is compiled: `--dsplib` needs the board and
/// an archive that exists (its path goes into RUSTFLAGS, which splits at whitespace); the DSPLib
/// stand-in is for the simulator harness only. Returns the archive's absolute path (cargo runs the
/// linker from the harness's directory, not the user's).
pub fn check_args(board: Board, dsplib: Option<&Path>, dsplib_standin: bool) -> Result<Option<PathBuf>, Error> {
    if board == Board::MspExp430fr5994 && dsplib_standin {
        return Err(Error::Firmware(
            "--dsplib-standin is for the simulator harness (--board sim); on a board, link TI's library with \
             --dsplib PATH/libdsplib.a"
                .into(),
        ));
    }
    let Some(archive) = dsplib else { return Ok(None) };
    if board != Board::MspExp430fr5994 {
        return Err(Error::Firmware(
            "--dsplib links TI's DSPLib into a board image: add --board msp-exp430fr5994".into(),
        ));
    }
    if !archive.is_file() {
        return Err(Error::Firmware(format!(
            "--dsplib {}: no such file (build libdsplib.a with msp430-elf-gcc as runtime/README.md, \"Linking \
             TI's DSPLib\", says)",
            archive.display()
        )));
    }
    let absolute =
        std::fs::canonicalize(archive).map_err(|e| Error::Firmware(format!("--dsplib {}: {e}", archive.display())))?;
    if absolute.display().to_string().contains(char::is_whitespace) {
        return Err(Error::Firmware(format!(
            "--dsplib {}: move the archive to a path without spaces",
            absolute.display()
        )));
    }
    Ok(Some(absolute))
}

/// Links `dir/firmware` (written by [`files`]) to `dir/firmware.elf`, checks the image is what `image`
/// asks for, and writes `dir/firmware.md` with its memory by region.
pub fn link(dir: &Path, image: &BoardImage) -> Result<Vec<MemoryRow>, Error> {
    let elf_path = dir.join("firmware.elf");
    let crate_dir = dir.join("firmware");
    let (elf, rows) = super::link_measured_with(&crate_dir, &elf_path, image.backend(), &image.extras(&crate_dir))?;
    let simulator_helper = SIMULATOR_MULTIPLY.iter().find(|h| elf.symbols.contains_key(**h));
    if let (false, Some(helper)) = (image.simulator, simulator_helper) {
        return Err(Error::Internal(format!(
            "the board image contains {helper}, the simulator's multiply helper at 0x0130 (PM5CTL0 on the \
             device): LLVM did not use the MPY32 helpers"
        )));
    }
    if image.dsplib.is_some() && !elf.undefined.is_empty() {
        return Err(Error::Firmware(format!(
            "the DSPLib archive left these symbols undefined: {}",
            elf.undefined.join(", ")
        )));
    }
    let lea_vector = elf.sections.iter().any(|s| s.address == LEA_VECTOR && s.size == 2);
    if image.dsplib.is_some() && !lea_vector {
        return Err(Error::Firmware(
            "the DSPLib archive put no LEA interrupt handler at LEA_VECTOR (0xFFB4; vectors.x takes it from the \
             sections __interrupt_vector_18 and __interrupt_vector_lea, where msp430-elf-gcc puts an \
             interrupt(LEA_VECTOR) handler): DSPLib's LEA functions would wait for it forever. Build the archive \
             with source/lea/msp_lea_isr.c (runtime/README.md)"
                .into(),
        ));
    }
    let kernels = match &image.dsplib {
        Some(archive) => format!(
            "TI's DSPLib from {}, its LEA interrupt handler at LEA_VECTOR (0xFFB4).\n\n**WARNING: untried.** No \
             DSPLib image has run on a board or been linked against TI's library by acec's tests (TI's library \
             is not available to them): the LEA path (GIE on, DSPLib's functions in LPM0 until its handler \
             wakes them) is as TI documents it, not measured (targets/msp430fr5994-lea/README.md, \"Flash a \
             LaunchPad\")",
            archive.display()
        ),
        None => "the CPU kernels".into(),
    };
    let variant = if image.simulator {
        "built for mspdebug's simulator (multiplier at 0x0130, no UART transmit wait): not for a board"
    } else {
        "for the board: 16 MHz, MPY32 at 0x04C0, eUSCI_A0 at 115200 8N1 on P2.0/P2.1, LED1 on P1.0"
    };
    let symbols: Vec<String> = ["ACEC_UART_LOG", "ACEC_UART_LEN", "acec_halt"]
        .iter()
        .map(|name| format!("`{name}` {:#x}", elf.symbols.get(*name).copied().unwrap_or(0)))
        .collect();
    let report = format!(
        "# Firmware memory\n\n`firmware.elf`: the model with the MSP-EXP430FR5994 LaunchPad harness, {variant}; {kernels}. By region \
         of the MSP430FR5994:\n\n{}\nSymbols: {}.\n",
        render_memory_report(&rows),
        symbols.join(", ")
    );
    std::fs::write(dir.join("firmware.md"), report)
        .map_err(|e| Error::Output { path: dir.into(), detail: e.to_string() })?;
    Ok(rows)
}

/// What a board image built for the simulator shows at `acec_halt`.
pub struct BoardRun {
    /// The text the UART sent (read from its FRAM mirror).
    pub uart: String,
    /// The memory mspdebug showed: the mirror and the words asked for (the peripheral registers the harness
    /// wrote are plain memory in the simulator, so they hold what the harness wrote last).
    pub memory: Dump,
}

/// Runs a board image built for the simulator ([`BoardImage::simulator`]) in mspdebug to `acec_halt`,
/// reads the UART text it mirrored in FRAM and the words at `addresses`.
pub fn simulate(elf_path: &Path, addresses: &[u64]) -> Result<BoardRun, Error> {
    let elf = load(elf_path)?;
    let (halt, log, len) = (symbol(&elf, "acec_halt")?, symbol(&elf, "ACEC_UART_LOG")?, symbol(&elf, "ACEC_UART_LEN")?);
    let capacity = elf.sizes.get("ACEC_UART_LOG").copied().unwrap_or(0);
    let mut args: Vec<String> = vec![
        "-q".into(),
        "sim".into(),
        format!("prog {}", elf_path.display()),
        "simio add hwmult m".into(),
        // The peripheral registers the harness writes (FRCTL0 at 0x0140 to eUSCI_A0 below 0x0600) start at
        // 0, as most do after a device reset (the simulator's memory starts at 0xFF): a bit read back as set
        // was set by the harness.
        "fill 0x140 1216 0".into(),
        format!("setbreak {halt:#x}"),
        "run".into(),
        format!("md {len:#x} 2"),
        format!("md {log:#x} {capacity}"),
    ];
    // One word per `md`: mspdebug shows a longer read of the peripheral area as zeros.
    args.extend(addresses.iter().map(|a| format!("md {a:#x} 2")));
    let session = mspdebug(&args)?;
    let memory = Dump::parse(&session);
    let text = memory
        .word(len)
        .and_then(|n| (0..u64::from(n)).map(|i| memory.byte(log + i)).collect::<Option<Vec<u8>>>())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    match text {
        Some(uart) if addresses.iter().all(|a| memory.word(*a).is_some()) => Ok(BoardRun { uart, memory }),
        _ => Err(Error::Firmware(format!("cannot read the UART mirror from mspdebug's output:\n{session}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_file_of_the_harness_is_embedded() {
        crate::firmware::assert_embeds_every_source("board", SOURCES);
        assert!(MANIFEST.contains(MODEL_PACKAGE));
    }

    #[test]
    fn dsplib_needs_the_board_and_an_existing_archive() {
        let missing = Path::new("/nonexistent/libdsplib.a");
        assert!(check_args(Board::MspExp430fr5994, Some(missing), false).is_err());
        assert!(check_args(Board::Sim, Some(Path::new(file!())), false).is_err());
        assert!(check_args(Board::MspExp430fr5994, None, true).is_err());
        assert_eq!(check_args(Board::MspExp430fr5994, None, false).unwrap(), None);
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let absolute = check_args(Board::MspExp430fr5994, Some(&manifest), false).unwrap().unwrap();
        assert!(absolute.is_absolute() && absolute.ends_with("compiler/Cargo.toml"), "{}", absolute.display());
        let image = BoardImage { simulator: false, dsplib: Some(PathBuf::from("/lib/libdsplib.a")) };
        assert_eq!(image.backend(), Backend::Dsplib);
        let dir = Path::new("/out/firmware");
        assert_eq!(
            image.extras(dir).rustflags,
            ["-C link-arg=-T/out/firmware/vectors.x", "-C target-feature=+hwmultf5", "-C link-arg=/lib/libdsplib.a"]
        );
        assert_eq!(BoardImage { simulator: true, dsplib: None }.extras(dir).features, ["sim"]);
    }
}
