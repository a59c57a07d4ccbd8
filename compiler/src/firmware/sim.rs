//! Runs a linked firmware in mspdebug's simulator, optionally with power failures, and reads back the
//! logits (`ACEC_OUTPUT`), the done marker (`ACEC_DONE`, and how often it was set) and the cycle count.
//!
//! A power failure is `step N` (N instructions, pseudo-random), `reset`, then SRAM and LEA RAM filled with
//! junk; FRAM keeps its contents, as on the device. The simulator has a 16-bit address space, no MSP430X
//! instructions, no DMA and no LEA: firmware that keeps weights in upper FRAM is refused.

use std::path::Path;
use std::process::Command;

use serde::Serialize;

use super::elf::{Elf, parse};
use crate::error::Error;
use crate::xorshift::XorShift;

#[derive(Clone, Debug, Serialize)]
pub struct FirmwareRun {
    pub output_q15: Vec<i16>,
    /// `ACEC_DONE`: 1 once the inference completed (0xEEEE: a kernel error, 0xDEAD: a panic).
    pub done: u16,
    /// How many times the firmware set `ACEC_DONE` (exactly once when all went well).
    pub done_writes: u16,
    /// Simulated MCLK cycles from the reset vector to `acec_halt` (all power cycles included).
    pub mclk: Option<u64>,
    pub instructions: Option<u64>,
    /// Instruction counts after which power failed.
    pub failures_after: Vec<u64>,
}

pub(super) fn symbol(elf: &Elf, name: &str) -> Result<u64, Error> {
    elf.symbols.get(name).copied().ok_or_else(|| Error::Firmware(format!("the firmware has no symbol {name}")))
}

/// Runs `elf` (an `acec build --firmware` image) to `acec_halt`, with `failures` power failures at
/// instruction counts drawn from `seed` in `1..=2 * instructions / failures` (so they spread over the whole
/// inference, given the uninterrupted instruction count). Returns the raw mspdebug log on a parse failure.
pub fn run(
    elf_path: &Path,
    output_len: usize,
    failures: usize,
    seed: u64,
    instructions: u64,
) -> Result<FirmwareRun, Error> {
    let elf = load(elf_path)?;
    if elf.symbols.contains_key("ACEC_UART_LOG") {
        return Err(Error::Firmware(format!(
            "{} is a LaunchPad image (acec build --firmware --board msp-exp430fr5994): flash it and read its \
             UART as targets/msp430fr5994-lea/README.md says; run-firmware runs simulator images (--board sim)",
            elf_path.display()
        )));
    }
    let mut args: Vec<String> = vec![
        "-q".into(),
        "sim".into(),
        format!("prog {}", elf_path.display()),
        "simio add hwmult m".into(),
        "simio add tracer t".into(),
    ];
    let mut rng = XorShift::new(seed);
    let span = (2 * instructions / failures.max(1) as u64).max(1);
    let failures_after: Vec<u64> = (0..failures).map(|_| 1 + rng.next_u64() % span).collect();
    args.extend(power_failures(&failures_after));
    finish(args, &elf, output_len, failures_after)
}

/// Reads and parses a firmware image the simulator can run.
pub(super) fn load(elf_path: &Path) -> Result<Elf, Error> {
    let bytes = std::fs::read(elf_path).map_err(|e| Error::Firmware(format!("{}: {e}", elf_path.display())))?;
    let elf = parse(&bytes).map_err(|e| Error::Firmware(format!("{}: {e}", elf_path.display())))?;
    if elf.sections.iter().any(|s| s.allocated && s.size > 0 && s.address >= 0x1_0000) {
        return Err(Error::Firmware(
            "this firmware keeps weights in upper FRAM (above 64 KB, read by DMA): mspdebug's simulator has a \
             16-bit address space and no DMA, so it cannot run it. Train its dense layers block-circulant with \
             `acec compress` to run it here"
                .into(),
        ));
    }
    Ok(elf)
}

/// mspdebug commands for power failures after these instruction counts, each counted from a boot: FRAM
/// keeps its contents, SRAM and LEA RAM are filled with junk.
pub(super) fn power_failures(after: &[u64]) -> Vec<String> {
    after
        .iter()
        .flat_map(|n| {
            [format!("step {n}"), "reset".into(), "fill 0x1c00 4096 0xa5".into(), "fill 0x2c00 4096 0x5a".into()]
        })
        .collect()
}

/// Appends to `args` (an mspdebug session with `elf` loaded) the run to `acec_halt` and the reads of the
/// results, runs mspdebug, and parses what it printed.
pub(super) fn finish(
    mut args: Vec<String>,
    elf: &Elf,
    output_len: usize,
    failures_after: Vec<u64>,
) -> Result<FirmwareRun, Error> {
    let (halt, out, done, writes) = (
        symbol(elf, "acec_halt")?,
        symbol(elf, "ACEC_OUTPUT")?,
        symbol(elf, "ACEC_DONE")?,
        symbol(elf, "ACEC_DONE_WRITES")?,
    );
    args.extend([
        format!("setbreak {halt:#x}"),
        "run".into(),
        format!("md {out:#x} {}", 2 * output_len),
        format!("md {done:#x} 2"),
        format!("md {writes:#x} 2"),
        "simio info t".into(),
    ]);
    let log = mspdebug(&args)?;
    let memory = Dump::parse(&log);
    let word = |address: u64| memory.word(address);
    let parsed = (|| {
        let output_q15 =
            (0..output_len as u64).map(|i| word(out + 2 * i).map(|w| w as i16)).collect::<Option<Vec<_>>>()?;
        Some(FirmwareRun {
            output_q15,
            done: word(done)?,
            done_writes: word(writes)?,
            mclk: counter(&log, "MCLK"),
            instructions: counter(&log, "Instruction count"),
            failures_after: failures_after.clone(),
        })
    })();
    parsed.ok_or_else(|| Error::Firmware(format!("cannot read the results from mspdebug's output:\n{log}")))
}

/// Runs mspdebug with `args` (no standard input) and returns everything it printed, both streams.
pub(super) fn mspdebug(args: &[String]) -> Result<String, Error> {
    let output =
        Command::new("mspdebug").args(args).stdin(std::process::Stdio::null()).output().map_err(|e| {
            Error::Firmware(format!("cannot run mspdebug ({e}): install it (apt-get install mspdebug)"))
        })?;
    Ok(format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)))
}

/// The memory an mspdebug session showed with `md`, by byte address.
pub struct Dump(std::collections::HashMap<u64, u8>);

impl Dump {
    pub fn parse(log: &str) -> Self {
        Dump(dumped_bytes(log))
    }

    /// The little-endian word at `address`, if both its bytes were shown.
    pub fn word(&self, address: u64) -> Option<u16> {
        Some(u16::from(self.byte(address)?) | (u16::from(self.byte(address + 1)?) << 8))
    }

    /// The byte at `address`, if it was shown.
    pub fn byte(&self, address: u64) -> Option<u8> {
        self.0.get(&address).copied()
    }
}

/// Bytes shown by `md` lines (`    addr: bb bb ... |ascii|`); disassembly lines have no `|` column.
fn dumped_bytes(log: &str) -> std::collections::HashMap<u64, u8> {
    let mut memory = std::collections::HashMap::new();
    for line in log.lines() {
        let Some((address, rest)) = line.trim_start().split_once(':') else { continue };
        let Some((hex, _ascii)) = rest.split_once('|') else { continue };
        let Ok(address) = u64::from_str_radix(address.trim(), 16) else { continue };
        for (i, byte) in hex.split_whitespace().enumerate() {
            match u8::from_str_radix(byte, 16) {
                Ok(b) => {
                    memory.insert(address + i as u64, b);
                }
                Err(_) => break,
            }
        }
    }
    memory
}

/// A counter of `simio info` (`MCLK: 123`), or one printed as `123 MCLK`.
fn counter(log: &str, name: &str) -> Option<u64> {
    log.lines().find_map(|line| {
        let at = line.find(name)?;
        let after = line[at + name.len()..].trim_start_matches([':', ' ']);
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            return digits.parse().ok();
        }
        let before: String = line[..at]
            .trim_end()
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        before.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_memory_dumps_and_counters() {
        let log = "    0x2c00:\n    04a10: 01 00 ff ff 10 27                   |.....'|\n\
                   04a16: 00 80 |..|\nMCLK:          34162986\nInstruction count: 19305640\n";
        let memory = dumped_bytes(log);
        assert_eq!(memory.get(&0x4a10), Some(&1));
        assert_eq!(memory.get(&0x4a15), Some(&0x27));
        assert_eq!(memory.get(&0x4a17), Some(&0x80));
        assert_eq!(counter(log, "MCLK"), Some(34_162_986));
        assert_eq!(counter(log, "Instruction count"), Some(19_305_640));
        assert_eq!(counter(log, "SMCLK"), None);
    }
}
