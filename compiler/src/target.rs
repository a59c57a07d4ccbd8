//! Targets: device descriptions loaded from `targets/<name>/target.json` (data, with the source of every
//! number). The rest of the compiler asks this module; it never hard-codes a device.

use std::collections::BTreeMap;

use acec_runtime::{CostTable, Engine, Kernel, KernelCost};
use serde::Deserialize;

/// A number with where it came from.
#[derive(Clone, Debug, Deserialize)]
pub struct Sourced<T> {
    pub value: T,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct MemoryRegion {
    pub name: String,
    pub kind: String,
    pub start: u64,
    pub size: u64,
    #[serde(default)]
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct LeaSpec {
    pub fft_min: usize,
    pub fft_max: usize,
    #[serde(default)]
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct EnergyBuffer {
    pub capacitor_uf: f64,
    pub v_on: f64,
    pub v_off: f64,
    pub efficiency: f64,
    #[serde(default)]
    pub source: String,
}

/// A kernel's cost: `a + b * n + c * n log2 n` cycles for `n` elements, where `a` is the kernel's own fixed
/// CPU work; a kernel that calls DSPLib adds [`DsplibOverhead`] for its `dsplib_calls` and `lea_commands`.
#[derive(Clone, Debug, Deserialize)]
pub struct CostSpec {
    pub engine: String,
    pub a: f64,
    /// `msp_*` functions one call of the kernel runs (nested ones included: `msp_cmplx_fft_fixed_q15`
    /// calls `msp_cmplx_bitrev_q15`).
    #[serde(default)]
    pub dsplib_calls: u32,
    /// LEA commands those functions issue.
    #[serde(default)]
    pub lea_commands: u32,
    #[serde(default)]
    pub b: f64,
    #[serde(default)]
    pub c: f64,
    pub source: String,
}

/// What a DSPLib call costs besides its kernel's own work (`dsplib` in target.json): the CPU side of one
/// `msp_*` function (argument checks, the LEA lock, the parameter block on the LEA stack, LPM0 and the
/// completion interrupt) and the LEA's setup of each command.
#[derive(Clone, Debug, Deserialize)]
pub struct DsplibOverhead {
    pub call_cycles: Sourced<f64>,
    pub command_cycles: Sourced<f64>,
    /// Saved per call by a DSPLib built with `MSP_DISABLE_DIAGNOSTICS`.
    pub diagnostics_cycles: Sourced<f64>,
    /// Whether the DSPLib the firmware links keeps its diagnostics (the default build does).
    pub diagnostics: bool,
    #[serde(default)]
    pub source: String,
    /// Multiplies call and command cycles: 1 as measured; `acec report`'s sensitivity uses 0.25 and 2, the
    /// bound 0. Not read from the file.
    #[serde(skip, default = "as_measured")]
    pub scale: f64,
}

const fn as_measured() -> f64 {
    1.0
}

impl DsplibOverhead {
    /// Fixed cycles of `calls` DSPLib calls issuing `commands` LEA commands.
    pub fn cycles(&self, calls: u32, commands: u32) -> f64 {
        let diagnostics = if self.diagnostics { 0.0 } else { self.diagnostics_cycles.value };
        let call = self.call_cycles.value - diagnostics;
        self.scale * (f64::from(calls) * call + f64::from(commands) * self.command_cycles.value)
    }
}

/// A cycle count with its source.
#[derive(Clone, Debug, Deserialize)]
pub struct Cycles {
    pub cycles: u64,
    pub source: String,
}

/// FRAM write cost.
#[derive(Clone, Debug, Deserialize)]
pub struct NvWrite {
    pub cycles_per_word: u64,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Target {
    pub name: String,
    pub device: String,
    pub description: String,
    /// `None` for the host, which has no device model.
    pub clock_hz: Option<u64>,
    pub pointer_bits: u32,
    pub has_lea: bool,
    pub supply_v: Option<Sourced<f64>>,
    pub active_current_ua_per_mhz: Option<Sourced<f64>>,
    #[serde(default)]
    pub lea_current_ua_per_mhz: Option<Sourced<f64>>,
    pub memory: Vec<MemoryRegion>,
    pub lea: Option<LeaSpec>,
    /// How DSPLib's calls cost (targets whose kernels call DSPLib).
    #[serde(default)]
    pub dsplib: Option<DsplibOverhead>,
    pub energy_buffer: Option<EnergyBuffer>,
    pub costs: BTreeMap<String, CostSpec>,
    /// Wake-up from brown-out to the first instruction of `main`.
    pub boot: Option<Cycles>,
    pub nv_write: Option<NvWrite>,
    /// CPU work of one FLEX commit besides its FRAM word writes.
    pub flex_commit: Option<Cycles>,
    /// Lower FRAM kept for the firmware's code (runtime kernels, generated layer code, harness).
    pub code_reserve_bytes: Option<Sourced<u64>>,
}

/// The targets acec knows, by CLI name, with their description files compiled in.
const TARGETS: &[(&str, &str)] = &[
    ("msp430-lea", include_str!("../../targets/msp430-lea/target.json")),
    ("msp430", include_str!("../../targets/msp430/target.json")),
    ("host", include_str!("../../targets/host/target.json")),
];

#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("unknown target '{name}'; the targets are: {known}")]
    Unknown { name: String, known: String },
    #[error("target '{name}': its description is invalid ({detail}); this is a bug in acec")]
    Invalid { name: String, detail: String },
}

pub fn names() -> Vec<&'static str> {
    TARGETS.iter().map(|(n, _)| *n).collect()
}

pub fn load(name: &str) -> Result<Target, TargetError> {
    let Some((_, text)) = TARGETS.iter().find(|(n, _)| *n == name) else {
        return Err(TargetError::Unknown { name: name.into(), known: names().join(", ") });
    };
    let target: Target =
        serde_json::from_str(text).map_err(|e| TargetError::Invalid { name: name.into(), detail: e.to_string() })?;
    if target.dsplib.is_none()
        && let Some((kernel, _)) = target.costs.iter().find(|(_, c)| c.dsplib_calls + c.lea_commands > 0)
    {
        return Err(TargetError::Invalid {
            name: name.into(),
            detail: format!("kernel {kernel} counts DSPLib calls, but the target has no `dsplib` overhead"),
        });
    }
    Ok(target)
}

impl Target {
    pub fn region(&self, name: &str) -> Option<&MemoryRegion> {
        self.memory.iter().find(|r| r.name == name)
    }

    /// LEA RAM the memory plan may use, in `i16` elements: the region less what the backend keeps
    /// ([`acec_runtime::backend::LEA_RAM_RESERVED_BYTES`]). Without an LEA the staging scratch lives in FRAM
    /// and is limited only by the memory plan.
    pub fn lea_elements(&self) -> usize {
        match self.region("lea_ram") {
            Some(r) if self.has_lea => (r.size as usize - acec_runtime::backend::LEA_RAM_RESERVED_BYTES) / 2,
            _ => usize::MAX / 4,
        }
    }

    /// FFT lengths the target's kernels support.
    pub fn fft_range(&self) -> (usize, usize) {
        self.lea.as_ref().map_or((16, 512), |l| (l.fft_min, l.fft_max))
    }

    /// The per-kernel cost table of this target, for the runtime's meter.
    pub fn cost_table(&self) -> CostTable {
        let volts = self.supply_v.as_ref().map_or(0.0, |v| v.value);
        let pj = |ua_per_mhz: f64| (ua_per_mhz * volts).round() as u64;
        let cpu = self.active_current_ua_per_mhz.as_ref().map_or(0, |c| pj(c.value));
        let lea = self.lea_current_ua_per_mhz.as_ref().map_or(cpu, |c| pj(c.value));
        let mut table = CostTable::new(cpu, lea);
        for (name, spec) in &self.costs {
            if let Some(kernel) = Kernel::from_name(name) {
                let engine = if spec.engine == "lea" { Engine::Lea } else { Engine::Cpu };
                let overhead = self.dsplib.as_ref().map_or(0.0, |d| d.cycles(spec.dsplib_calls, spec.lea_commands));
                table.set(kernel, KernelCost::from_cycles(engine, spec.a + overhead, spec.b, spec.c));
            }
        }
        table
    }

    /// This target with DSPLib's call and command overhead multiplied by `scale` (no change on a target
    /// without DSPLib).
    pub fn with_dsplib_overhead_scale(&self, scale: f64) -> Target {
        let mut target = self.clone();
        if let Some(d) = target.dsplib.as_mut() {
            d.scale = scale;
        }
        target
    }

    /// This target with a DSPLib built with (`true`) or without (`false`, `MSP_DISABLE_DIAGNOSTICS`) its
    /// argument checks.
    pub fn with_dsplib_diagnostics(&self, diagnostics: bool) -> Target {
        let mut target = self.clone();
        if let Some(d) = target.dsplib.as_mut() {
            d.diagnostics = diagnostics;
        }
        target
    }

    /// Cycles of one FLEX commit: its CPU work plus four FRAM word writes.
    pub fn commit_cycles(&self) -> u64 {
        let words = self.nv_write.as_ref().map_or(0, |w| 4 * w.cycles_per_word);
        self.flex_commit.as_ref().map_or(0, |c| c.cycles) + words
    }

    /// Energy per CPU cycle in picojoules (0 without a device model).
    pub fn cpu_pj_per_cycle(&self) -> u64 {
        self.cost_table().cpu_pj_per_cycle
    }

    /// Milliseconds for a number of cycles at the target clock (0 without a device model).
    pub fn cycles_to_ms(&self, cycles: u64) -> f64 {
        self.clock_hz.map_or(0.0, |hz| cycles as f64 / hz.max(1) as f64 * 1e3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The board measurement the DSPLib overhead rests on: `msp_mac_q15` took 616 + 1.5 N cycles on an
    /// MSP430FR5994 (iNAS, CostModel/microbench_measurements.py). The model must reproduce it.
    #[test]
    fn the_modeled_mac_is_the_measured_one() {
        let target = load("msp430-lea").unwrap();
        let mac = target.cost_table().cost(Kernel::Mac);
        for n in [2, 16, 64] {
            assert_eq!(mac.cycles(n), 616 + (3 * n as u64) / 2, "N = {n}");
        }
    }

    #[test]
    fn diagnostics_and_the_overhead_scale_change_only_the_dsplib_part() {
        let target = load("msp430-lea").unwrap();
        let cycles = |t: &Target, kernel| t.cost_table().cost(kernel).cycles(64);
        let without = target.with_dsplib_diagnostics(false);
        // One call saves the diagnostics once; the real FFT runs three calls.
        assert_eq!(cycles(&target, Kernel::Mac) - cycles(&without, Kernel::Mac), 60);
        assert_eq!(cycles(&target, Kernel::Rfft) - cycles(&without, Kernel::Rfft), 180);
        let none = target.with_dsplib_overhead_scale(0.0);
        assert_eq!(cycles(&none, Kernel::Mac), 96, "no overhead: 1.5 cycles per MAC");
        let double = target.with_dsplib_overhead_scale(2.0);
        assert_eq!(cycles(&double, Kernel::Mac), 2 * 616 + 96);
        // CPU kernels call no DSPLib.
        assert_eq!(cycles(&double, Kernel::Relu), cycles(&target, Kernel::Relu));
    }
}
