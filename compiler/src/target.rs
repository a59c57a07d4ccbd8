//! Targets: device descriptions loaded from `targets/<name>/target.json` (data, with the source of every
//! number). The rest of the compiler asks this module; it never hard-codes a device.

use std::collections::BTreeMap;

use acec_runtime::{CostTable, EnergyRates, Kernel, KernelCost, Terms};
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

/// `a + b * n + c * n log2 n` cycles of one engine, with where the numbers come from when they are not the
/// kernel's own source.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TermsSpec {
    #[serde(default)]
    pub a: f64,
    #[serde(default)]
    pub b: f64,
    #[serde(default)]
    pub c: f64,
    #[serde(default)]
    pub source: String,
}

impl TermsSpec {
    fn terms(&self, extra_a: f64) -> Terms {
        Terms::from_cycles(self.a + extra_a, self.b, self.c)
    }
}

/// A kernel's cost: `a + b * n + c * n log2 n` cycles of its `engine` for `n` elements. An LEA kernel adds
/// its own CPU work (`cpu`) and [`DsplibOverhead`] for its `dsplib_calls` (CPU cycles) and `lea_commands`
/// (LEA cycles); a CPU kernel may name the cycles its hardware multiplier runs (`multiplier`), a part of
/// its CPU cycles that draws the multiplier's current too.
#[derive(Clone, Debug, Deserialize)]
pub struct CostSpec {
    pub engine: String,
    pub a: f64,
    /// An LEA kernel's own work on the CPU (input clamps, conjugations, fix-ups).
    #[serde(default)]
    pub cpu: Option<TermsSpec>,
    /// A CPU kernel's cycles with the hardware multiplier running.
    #[serde(default)]
    pub multiplier: Option<TermsSpec>,
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
    /// CPU cycles of `calls` DSPLib calls: CPU-active time (argument checks, lock, parameter block,
    /// entering LPM0 and the completion interrupt), charged at the CPU's current.
    pub fn call_cycles(&self, calls: u32) -> f64 {
        let diagnostics = if self.diagnostics { 0.0 } else { self.diagnostics_cycles.value };
        self.scale * f64::from(calls) * (self.call_cycles.value - diagnostics)
    }

    /// LEA cycles of setting up `commands` LEA commands (the LEA works, the CPU is in LPM0).
    pub fn command_cycles(&self, commands: u32) -> f64 {
        self.scale * f64::from(commands) * self.command_cycles.value
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
    /// Current of the CPU-active cycles.
    pub active_current_ua_per_mhz: Option<Sourced<f64>>,
    /// What the hardware multiplier adds while it runs.
    #[serde(default)]
    pub multiplier_current_ua_per_mhz: Option<Sourced<f64>>,
    /// The LEA module's current while it works (the CPU's in LPM0 comes on top).
    #[serde(default)]
    pub lea_module_current_ua_per_mhz: Option<Sourced<f64>>,
    /// The device in LPM0, the CPU's state while the LEA works.
    #[serde(default)]
    pub lpm0_current_ua_per_mhz: Option<Sourced<f64>>,
    /// Charge of one wake from a reset (power-up) to the first instruction of `main`.
    #[serde(default)]
    pub reset_charge_nas: Option<Sourced<f64>>,
    pub memory: Vec<MemoryRegion>,
    pub lea: Option<LeaSpec>,
    /// How DSPLib's calls cost (targets whose kernels call DSPLib).
    #[serde(default)]
    pub dsplib: Option<DsplibOverhead>,
    pub energy_buffer: Option<EnergyBuffer>,
    /// Other energy buffers by name (`acec sim --buffer NAME`), e.g. the one published work measured with;
    /// `default` names `energy_buffer`.
    #[serde(default)]
    pub energy_buffer_presets: BTreeMap<String, EnergyBuffer>,
    pub costs: BTreeMap<String, CostSpec>,
    /// Wake-up from brown-out to the first instruction of `main`.
    pub boot: Option<Cycles>,
    pub nv_write: Option<NvWrite>,
    /// CPU work of one FLEX commit besides its FRAM word writes.
    pub flex_commit: Option<Cycles>,
    /// Lower FRAM kept for the firmware's code (runtime kernels, generated layer code, harness).
    pub code_reserve_bytes: Option<Sourced<u64>>,
}

/// FRAM words one FLEX commit writes (acec-runtime `flex::commit`: the new slot's words and the version).
pub const COMMIT_WORDS: u64 = 4;

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

    fn supply_volts(&self) -> f64 {
        self.supply_v.as_ref().map_or(0.0, |v| v.value)
    }

    /// Energy per cycle of each engine: current (uA/MHz) x supply (V) = pJ per cycle. An LEA cycle is the
    /// LEA module's current plus the device's in LPM0, where DSPLib waits for the LEA.
    pub fn energy_rates(&self) -> EnergyRates {
        let current = |c: &Option<Sourced<f64>>| c.as_ref().map_or(0.0, |c| c.value);
        let pj = |ua_per_mhz: f64| (ua_per_mhz * self.supply_volts()).round() as u64;
        EnergyRates {
            cpu_pj_per_cycle: pj(current(&self.active_current_ua_per_mhz)),
            multiplier_pj_per_cycle: pj(current(&self.multiplier_current_ua_per_mhz)),
            lea_pj_per_cycle: pj(current(&self.lea_module_current_ua_per_mhz) + current(&self.lpm0_current_ua_per_mhz)),
        }
    }

    /// The per-kernel cost table of this target, for the runtime's meter: each kernel's cycles by engine.
    pub fn cost_table(&self) -> CostTable {
        let mut table = CostTable::new(self.energy_rates());
        for (name, spec) in &self.costs {
            if let Some(kernel) = Kernel::from_name(name) {
                let own = TermsSpec { a: spec.a, b: spec.b, c: spec.c, source: String::new() };
                let calls = self.dsplib.as_ref().map_or(0.0, |d| d.call_cycles(spec.dsplib_calls));
                let commands = self.dsplib.as_ref().map_or(0.0, |d| d.command_cycles(spec.lea_commands));
                let multiplier = spec.multiplier.as_ref().map_or(Terms::ZERO, |m| m.terms(0.0));
                let cost = if spec.engine == "lea" {
                    let cpu = spec.cpu.clone().unwrap_or_default();
                    KernelCost { cpu: cpu.terms(calls), multiplier, lea: own.terms(commands) }
                } else {
                    KernelCost { cpu: own.terms(calls), multiplier, lea: Terms::ZERO }
                };
                table.set(kernel, cost);
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

    /// Cycles of one FLEX commit: its CPU work plus its FRAM word writes.
    pub fn commit_cycles(&self) -> u64 {
        let words = self.nv_write.as_ref().map_or(0, |w| COMMIT_WORDS * w.cycles_per_word);
        self.flex_commit.as_ref().map_or(0, |c| c.cycles) + words
    }

    /// Energy of one FLEX commit: its CPU work plus its FRAM word writes.
    pub fn commit_energy_pj(&self) -> u64 {
        self.flex_commit.as_ref().map_or(0, |c| c.cycles) * self.cpu_pj_per_cycle() + self.fram_write_pj(COMMIT_WORDS)
    }

    /// Energy per CPU cycle in picojoules (0 without a device model).
    pub fn cpu_pj_per_cycle(&self) -> u64 {
        self.energy_rates().cpu_pj_per_cycle
    }

    /// Energy of one wake from a reset: the datasheet's reset charge at the supply voltage (nAs x V = nJ),
    /// or, for a target that gives none, its boot cycles at the CPU's current.
    pub fn boot_energy_pj(&self) -> u64 {
        match &self.reset_charge_nas {
            Some(q) => (q.value * self.supply_volts() * 1e3).round() as u64,
            None => self.boot.as_ref().map_or(0, |b| b.cycles) * self.cpu_pj_per_cycle(),
        }
    }

    /// Energy of writing `words` FRAM words: their write cycles, CPU-active (the FRAM controller writes as
    /// part of the CPU's store; `nv_write` in target.json).
    pub fn fram_write_pj(&self, words: u64) -> u64 {
        words * self.nv_write.as_ref().map_or(0, |w| w.cycles_per_word) * self.cpu_pj_per_cycle()
    }

    /// Milliseconds for a number of cycles at the target clock (0 without a device model).
    pub fn cycles_to_ms(&self, cycles: u64) -> f64 {
        self.clock_hz.map_or(0.0, |hz| cycles as f64 / hz.max(1) as f64 * 1e3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kernel the cost table leaves out costs nothing, so every kernel of the runtime must have a sourced
    /// cost on each device target (a new kernel without its measurement would be modeled as free).
    #[test]
    fn every_kernel_has_a_sourced_cost_on_each_device_target() {
        for name in ["msp430-lea", "msp430"] {
            let target = load(name).unwrap();
            for kernel in Kernel::ALL {
                let cost =
                    target.costs.get(kernel.name()).unwrap_or_else(|| panic!("{name}: no cost for {}", kernel.name()));
                assert!(!cost.source.is_empty(), "{name}: {} has no source", kernel.name());
            }
            assert_eq!(target.costs.len(), Kernel::COUNT, "{name}: costs for kernels the runtime does not have");
        }
    }

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

    /// Datasheet SLASE54 figures, restated here so that the tests check the table against them rather than
    /// against itself: pJ per cycle = uA/MHz x V.
    const SUPPLY_V: f64 = 3.0;
    const ACTIVE_UA_PER_MHZ: f64 = 118.0;
    const MULTIPLIER_UA_PER_MHZ: f64 = 28.0;
    const LEA_UA_PER_MHZ: f64 = 86.0;
    const LPM0_UA_PER_MHZ: f64 = 15.0;

    /// Without DSPLib's overhead a dot product is LEA work alone: its energy is its LEA cycles at the LEA
    /// module's current plus the CPU's in LPM0, none at the active current.
    #[test]
    fn a_pure_lea_call_costs_its_cycles_at_the_lea_and_lpm0_current() {
        let target = load("msp430-lea").unwrap().with_dsplib_overhead_scale(0.0);
        let table = target.cost_table();
        for n in [2, 17, 64, 256] {
            let charge = table.charge(Kernel::Mac, n);
            assert_eq!(charge.lea_cycles, charge.cycles, "N = {n}: all LEA");
            let want = charge.lea_cycles as f64 * (LEA_UA_PER_MHZ + LPM0_UA_PER_MHZ) * SUPPLY_V;
            assert_eq!(charge.energy_pj() as f64, want, "N = {n}");
        }
    }

    /// With it, DSPLib's 600 cycles a call are CPU-active time and its 16 a command LEA time: the call's
    /// energy is not its cycles at one rate.
    #[test]
    fn dsplib_call_overhead_is_charged_at_the_active_current() {
        let table = load("msp430-lea").unwrap().cost_table();
        let n = 64;
        let charge = table.charge(Kernel::Mac, n);
        assert_eq!(charge.cpu_cycles(), 600);
        assert_eq!(charge.lea_cycles, 16 + 3 * n as u64 / 2);
        let want = 600.0 * ACTIVE_UA_PER_MHZ * SUPPLY_V
            + charge.lea_cycles as f64 * (LEA_UA_PER_MHZ + LPM0_UA_PER_MHZ) * SUPPLY_V;
        assert_eq!(charge.energy_pj() as f64, want);
        assert_ne!(charge.energy_pj(), charge.cycles * table.rates.cpu_pj_per_cycle, "not proportional to cycles");
    }

    /// The independent check: the board measurement of `msp_mac_q15` (iNAS,
    /// CostModel/microbench_measurements.py: 204.4 nJ + 0.527 nJ per element, N = 1..64). The datasheet
    /// currents land within 8% of it at every measured length.
    #[test]
    fn the_modeled_mac_energy_is_near_the_board_measurement() {
        let table = load("msp430-lea").unwrap().cost_table();
        for n in 1..=64 {
            let modeled_nj = table.charge(Kernel::Mac, n).energy_pj() as f64 / 1e3;
            let measured_nj = 204.412_689_725 + 0.527_308_646_249 * n as f64;
            let error = (modeled_nj - measured_nj).abs() / measured_nj;
            assert!(error < 0.08, "N = {n}: modeled {modeled_nj:.1} nJ, measured {measured_nj:.1} nJ");
        }
    }

    /// A CPU kernel that multiplies pays the multiplier's current for its multiplier cycles on top of the
    /// active current; one that does not, pays the active current alone.
    #[test]
    fn multiplier_cycles_add_the_multiplier_current() {
        let table = load("msp430-lea").unwrap().cost_table();
        let n = 32;
        let scale = table.charge(Kernel::Scale, n);
        let want =
            scale.cycles as f64 * ACTIVE_UA_PER_MHZ * SUPPLY_V + (8 * n) as f64 * MULTIPLIER_UA_PER_MHZ * SUPPLY_V;
        assert_eq!(scale.energy_pj() as f64, want);
        let relu = table.charge(Kernel::Relu, n);
        assert_eq!(relu.energy_pj() as f64, relu.cycles as f64 * ACTIVE_UA_PER_MHZ * SUPPLY_V);
        // The CPU-only target (FR5969 at 100 uA/MHz, SLAS704) multiplies in its dot products: one 16 x 16
        // product an element, 3 MCLK of the multiplier each.
        let cpu_only = load("msp430").unwrap().cost_table();
        let mac = cpu_only.charge(Kernel::Mac, n);
        let want = mac.cycles as f64 * 100.0 * SUPPLY_V + (3 * n) as f64 * MULTIPLIER_UA_PER_MHZ * SUPPLY_V;
        assert_eq!(mac.energy_pj() as f64, want);
    }

    /// A boot costs the datasheet's reset charge (102 nAs) at the supply, not its 0.5 ms at 16 MHz at the
    /// active current; a FLEX commit is its CPU work and its four FRAM words at the active current.
    #[test]
    fn boot_and_commit_energy() {
        let target = load("msp430-lea").unwrap();
        assert_eq!(target.boot_energy_pj() as f64, 102e-9 * SUPPLY_V * 1e12);
        let commit = target.commit_cycles() as f64 * ACTIVE_UA_PER_MHZ * SUPPLY_V;
        assert_eq!(target.commit_energy_pj() as f64, commit);
        assert_eq!(target.fram_write_pj(4) as f64, 4.0 * 2.0 * ACTIVE_UA_PER_MHZ * SUPPLY_V);
    }
}
