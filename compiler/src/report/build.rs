//! The report `acec build` writes beside the crate: per layer what it became, what it stores where, and
//! what it costs on the target; totals; memory regions.

use serde::Serialize;

use super::energy::{self, EngineEnergy};
use super::table::{render, size_change, thousands};
use crate::ace::Space;
use crate::pipeline::Compiled;

#[derive(Clone, Debug, Serialize)]
pub struct LayerReport {
    pub layer: String,
    pub kind: String,
    pub block: Option<usize>,
    pub params: usize,
    pub params_stored: usize,
    /// Bytes of this layer's constants (FRAM).
    pub const_bytes: u64,
    pub output_frac_bits: i32,
    pub snr_db: Option<f64>,
    pub cycles: u64,
    pub ms: f64,
    pub energy_uj: f64,
    /// `energy_uj` by engine.
    pub energy: EngineEnergy,
}

#[derive(Clone, Debug, Serialize)]
pub struct BuildReport {
    pub model: String,
    pub target: String,
    pub device: String,
    pub calibration: String,
    pub layers: Vec<LayerReport>,
    pub dropped_layers: Vec<String>,
    pub totals: Totals,
    pub memory: Option<crate::ace::memory::MemoryPlan>,
    pub activations: Activations,
    pub fits: bool,
    pub does_not_fit: Option<String>,
}

/// The activation buffers as lowering placed them (by tensor lifetime), against the plan a sequential
/// compiler would use: two ping-pong buffers, each as large as the largest tensor.
#[derive(Clone, Debug, Serialize)]
pub struct Activations {
    pub buffers: usize,
    pub bytes: u64,
    pub ping_pong_bytes: u64,
    /// Whether a tensor is read after the next layer ran (a skip connection): ping-pong cannot hold it.
    pub branches: bool,
}

impl Activations {
    fn of(program: &crate::ace::Program) -> Activations {
        let bytes = program.acts.iter().map(|id| program.buffer(*id).bytes() as u64).sum();
        let largest = program.steps.iter().map(|s| s.output_offset + s.output_len).fold(program.input_len, usize::max);
        let branches = program.steps.iter().any(|s| s.call.second_input().is_some());
        // Two buffers of the largest tensor, in i16 elements rounded up to even (as lowering sizes buffers).
        let ping_pong_bytes = 2 * 2 * (largest.div_ceil(2) * 2) as u64;
        Activations { buffers: program.acts.len(), bytes, ping_pong_bytes, branches }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Totals {
    pub params: usize,
    pub params_stored: usize,
    /// `params / params_stored`: above 1 the build stores fewer values than the model has, below 1 more
    /// (FFT kernel spectra outgrow their kernels); the markdown says which, e.g. `1.72x larger`.
    pub compression: f64,
    pub bytes_per_space: Vec<(Space, u64)>,
    pub cycles: u64,
    pub ms: f64,
    pub energy_uj: f64,
    /// `energy_uj` by engine.
    pub energy: EngineEnergy,
}

pub fn build_report(compiled: &Compiled, model: &str, snr: &[Option<f64>]) -> BuildReport {
    let program = &compiled.program;
    let target = &compiled.target;
    let layers: Vec<LayerReport> = program
        .steps
        .iter()
        .zip(&compiled.costs)
        .zip(snr)
        .map(|((step, cost), snr)| {
            let block = step.call.circulant_block();
            let const_bytes = constant_bytes(program, step);
            LayerReport {
                layer: step.layer.clone(),
                kind: step.choice.as_ref().map_or(step.kind.clone(), |why| format!("{} ({why})", step.kind)),
                block,
                params: step.params_dense,
                params_stored: step.params_stored,
                const_bytes,
                output_frac_bits: step.output_frac,
                snr_db: snr.map(|s| (s * 10.0).round() / 10.0),
                cycles: cost.cycles,
                ms: target.cycles_to_ms(cost.cycles),
                energy_uj: cost.energy_pj() as f64 / 1e6,
                energy: EngineEnergy::of(cost),
            }
        })
        .collect();
    let params: usize = layers.iter().map(|l| l.params).sum();
    let params_stored: usize = layers.iter().map(|l| l.params_stored).sum();
    let total = energy::sum(&compiled.costs);
    let bytes_per_space = program.bytes_per_space();
    BuildReport {
        model: model.to_string(),
        target: target.name.clone(),
        device: target.device.clone(),
        calibration: compiled.ranges.source.clone(),
        dropped_layers: program.dropped.clone(),
        totals: Totals {
            params,
            params_stored,
            compression: params as f64 / params_stored.max(1) as f64,
            bytes_per_space,
            cycles: total.cycles,
            ms: target.cycles_to_ms(total.cycles),
            energy_uj: total.energy_pj() as f64 / 1e6,
            energy: EngineEnergy::of(&total),
        },
        layers,
        memory: compiled.plan.as_ref().ok().cloned(),
        activations: Activations::of(program),
        fits: compiled.plan.is_ok(),
        does_not_fit: compiled.plan.as_ref().err().map(|e| e.to_string()),
    }
}

/// Bytes of the constants one step reads.
fn constant_bytes(program: &crate::ace::Program, step: &crate::ace::Step) -> u64 {
    step.call.constants().iter().map(|id| program.buffer(*id).bytes() as u64).sum()
}

/// The report as Markdown.
pub fn render_markdown(report: &BuildReport) -> String {
    let mut out = format!("# acec build report: {}\n\n", report.model);
    out.push_str(&format!("Target `{}` ({}). Calibration: {}.\n\n", report.target, report.device, report.calibration));
    let rows: Vec<Vec<String>> = report
        .layers
        .iter()
        .map(|l| {
            vec![
                l.layer.clone(),
                l.kind.clone(),
                thousands(l.params as u64),
                thousands(l.params_stored as u64),
                thousands(l.const_bytes),
                format!("Q{}", l.output_frac_bits),
                l.snr_db.map_or("-".into(), |s| format!("{s:.1}")),
                thousands(l.cycles),
                format!("{:.3}", l.ms),
                format!("{:.3}", l.energy_uj),
                format!("{:.3}", l.energy.cpu_uj + l.energy.multiplier_uj),
                format!("{:.3}", l.energy.lea_uj),
            ]
        })
        .collect();
    let header = [
        "layer",
        "implementation",
        "params",
        "stored",
        "FRAM bytes",
        "out",
        "SNR dB",
        "cycles",
        "ms",
        "energy uJ",
        "CPU uJ",
        "LEA uJ",
    ];
    out.push_str("```\n");
    out.push_str(&render(&header, &rows));
    out.push_str("```\n\n");
    let t = &report.totals;
    out.push_str(&format!(
        "Totals: {} parameters, {} stored ({}); {} cycles = {:.2} ms at the target clock; {:.2} uJ per \
         inference (modeled from the target's cost table): CPU {:.2} uJ (of which the hardware multiplier {:.2}), LEA \
         {:.2} uJ (the LEA module and the CPU in LPM0).\n\n",
        thousands(t.params as u64),
        thousands(t.params_stored as u64),
        size_change(t.params, t.params_stored),
        thousands(t.cycles),
        t.ms,
        t.energy_uj,
        t.energy.cpu_uj + t.energy.multiplier_uj,
        t.energy.multiplier_uj,
        t.energy.lea_uj
    ));
    out.push_str("Bytes per memory space:\n\n");
    for (space, bytes) in &t.bytes_per_space {
        out.push_str(&format!("- {}: {} bytes\n", space.name(), thousands(*bytes)));
    }
    let a = &report.activations;
    out.push_str(&format!(
        "\nActivations: {} buffers placed by tensor lifetime (a buffer is reused once the last reader of what it \
         holds has run), {} bytes; the sequential ping-pong plan (two buffers of the largest tensor) takes {} bytes{}.\n",
        a.buffers,
        thousands(a.bytes),
        thousands(a.ping_pong_bytes),
        if a.branches { " and cannot hold this model's skip connections" } else { "" }
    ));
    if let Some(memory) = &report.memory {
        out.push_str("\nMemory regions:\n\n");
        for r in &memory.regions {
            out.push_str(&format!("- {}: {} of {} bytes used\n", r.region, thousands(r.used), thousands(r.capacity)));
        }
    }
    if let Some(reason) = &report.does_not_fit {
        out.push_str(&format!("\n**Does not fit the device:** {reason}\n"));
    }
    if !report.dropped_layers.is_empty() {
        out.push_str("\nLayers left out of the compiled program:\n\n");
        for d in &report.dropped_layers {
            out.push_str(&format!("- {d}\n"));
        }
    }
    out
}
