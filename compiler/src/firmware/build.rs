//! The firmware part of `acec build --firmware`: the harness files with the sample baked in and the host
//! run's output beside them (`firmware.json`, what `acec run-firmware` compares against), then the link
//! and the memory report of the linked image.

use std::path::Path;

use serde::Serialize;

use super::elf::Elf;
use super::memory::{MemoryRow, memory_report, render_memory_report};
use crate::ace::Space;
use crate::codegen::GeneratedFile;
use crate::dataset;
use crate::error::Error;
use crate::pipeline::Compiled;
use crate::verify;

/// What the firmware was built with and must reproduce.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct Expectation {
    pub data: String,
    pub index: usize,
    pub output_len: usize,
    /// The host run of the same sample: the firmware's `ACEC_OUTPUT` must equal it.
    pub output_q15: Vec<i16>,
}

/// The firmware files for sample `index` of `data` around `board`'s harness, and `firmware.json`. Refuses
/// targets the harnesses are not for, and for the simulator the builds it cannot run (upper FRAM).
pub fn firmware_files(
    compiled: &Compiled,
    crate_name: &str,
    data: &Path,
    index: usize,
    board: super::board::Board,
) -> Result<Vec<GeneratedFile>, Error> {
    if !compiled.target.name.starts_with("msp430") {
        return Err(Error::Firmware(format!(
            "--firmware builds MSP430 firmware; the target is {} (use --target msp430-lea)",
            compiled.target.name
        )));
    }
    // The board has the DMA and the 20-bit address space the far weights need; the simulator has neither.
    let simulator = board == super::board::Board::Sim;
    if simulator && compiled.program.buffers.iter().any(|b| b.space == Space::FramUpper) {
        return Err(Error::Firmware(
            "the model keeps weights in upper FRAM (read by DMA), and the firmware harness is for mspdebug's \
             simulator, which has a 16-bit address space and no DMA. Train its dense layers block-circulant \
             with `acec compress` for a simulator build; the crate itself works on the device (see its README)"
                .into(),
        ));
    }
    let samples = dataset::load(data, compiled.graph.input_shape.dims())?;
    let sample = samples.sample_at(index, data)?;
    let program = &compiled.program;
    let input = verify::quantize_input(program, sample);
    let output_q15 = verify::run_compiled(program, sample).map_err(|e| Error::Internal(e.to_string()))?;
    let doc = format!(
        "sample {index} of {}, quantized with {} fractional bits",
        data.file_name().map_or("data".into(), |n| n.to_string_lossy()),
        program.input_frac
    );
    let mut files = match board {
        super::board::Board::Sim => super::files(crate_name, &input, &doc),
        super::board::Board::MspExp430fr5994 => super::board::files(crate_name, &input, &doc),
    };
    let expectation =
        Expectation { data: data.display().to_string(), index, output_len: program.output_len, output_q15 };
    let json = serde_json::to_string_pretty(&expectation).map_err(|e| Error::Internal(e.to_string()))?;
    files.push(GeneratedFile::new("firmware.json", json + "\n"));
    Ok(files)
}

/// Links `dir/firmware` with `backend`'s kernels (the CPU kernels, or the DSPLib backend over the stand-in)
/// to `dir/firmware.elf` and writes `dir/firmware.md` with the memory report. TI's DSPLib itself is not
/// here: an image with DSPLib left undefined would not run, so [`super::Backend::Dsplib`] is refused.
pub fn link_firmware(dir: &Path, backend: super::Backend) -> Result<Vec<MemoryRow>, Error> {
    let kernels = match backend {
        super::Backend::Soft => "CPU kernels",
        super::Backend::DsplibStandin => {
            "the DSPLib backend over the Rust DSPLib stand-in (firmware/dsplib-standin/, on the CPU: not a device \
             image)"
        }
        super::Backend::Dsplib => {
            return Err(Error::Firmware(
                "a simulator image cannot link TI's DSPLib (not shipped with acec): use the stand-in".into(),
            ));
        }
    };
    let (elf, rows) = link_measured(&dir.join("firmware"), &dir.join("firmware.elf"), backend)?;
    let report = format!(
        "# Firmware memory\n\n`firmware.elf`: the model with the simulator harness ({kernels}, hardware \
         multiplier at mspdebug's 0x0130), by region of the MSP430FR5994.\n\n{}\nSymbols: `ACEC_OUTPUT` {:#x}, \
         `ACEC_DONE` {:#x}, `acec_halt` {:#x}.\n",
        render_memory_report(&rows),
        elf.symbols.get("ACEC_OUTPUT").copied().unwrap_or(0),
        elf.symbols.get("ACEC_DONE").copied().unwrap_or(0),
        elf.symbols.get("acec_halt").copied().unwrap_or(0),
    );
    std::fs::write(dir.join("firmware.md"), report)
        .map_err(|e| Error::Output { path: dir.into(), detail: e.to_string() })?;
    Ok(rows)
}

/// Links the harness crate `crate_dir` with `backend` to `elf_path` and measures the image by device
/// region; an image that overflows a region is refused.
pub fn link_measured(
    crate_dir: &Path,
    elf_path: &Path,
    backend: super::Backend,
) -> Result<(Elf, Vec<MemoryRow>), Error> {
    link_measured_with(crate_dir, elf_path, backend, &super::LinkExtras::default())
}

/// [`link_measured`] with `extras` (the board harness's).
pub fn link_measured_with(
    crate_dir: &Path,
    elf_path: &Path,
    backend: super::Backend,
    extras: &super::LinkExtras,
) -> Result<(Elf, Vec<MemoryRow>), Error> {
    super::link_with(crate_dir, elf_path, backend, extras)?;
    let bytes = std::fs::read(elf_path).map_err(|e| Error::Firmware(format!("{}: {e}", elf_path.display())))?;
    let elf = super::parse_elf(&bytes).map_err(|e| Error::Firmware(format!("{}: {e}", elf_path.display())))?;
    let rows = memory_report(&elf).map_err(Error::Firmware)?;
    if let Some(over) = rows.iter().find(|r| r.used > r.capacity) {
        return Err(Error::Firmware(format!(
            "the linked firmware needs {} bytes of {} but it has {}",
            over.used, over.region, over.capacity
        )));
    }
    Ok((elf, rows))
}
