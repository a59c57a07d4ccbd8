//! `acec report`: the same model compiled as acec builds it and as the baselines it must beat,
//! costed with the targets' cost tables, side by side.

use std::collections::BTreeMap;

use serde::Serialize;

use acec_runtime::Charge;

use super::energy::{self, EngineEnergy};
use super::sensitivity::{self, SETTINGS, Totals};
use super::table::{render, thousands};
use crate::ace::BlockRequest;
use crate::error::Error;
use crate::pipeline::{self, Compiled, Methods, Request};

#[derive(Clone, Debug, Serialize)]
pub struct VariantLayer {
    pub layer: String,
    pub kind: String,
    pub cycles: u64,
    /// Of `cycles`, those the LEA works (the CPU in LPM0).
    pub lea_cycles: u64,
    pub energy_uj: f64,
    /// `energy_uj` by engine.
    pub energy: EngineEnergy,
}

#[derive(Clone, Debug, Serialize)]
pub struct Variant {
    pub description: String,
    pub target: String,
    pub cycles: u64,
    /// Of `cycles`, those the LEA works (the CPU in LPM0).
    pub lea_cycles: u64,
    pub ms: f64,
    pub energy_uj: f64,
    /// `energy_uj` by engine.
    pub energy: EngineEnergy,
    pub layers: Vec<VariantLayer>,
    /// The totals with DSPLib's call and command overhead at x0.25, x1 and x2 (`report/sensitivity.rs`).
    pub sensitivity: BTreeMap<String, Totals>,
}

/// One FLEX task of the acec variant: a range of a step's work units run between two commits.
#[derive(Clone, Debug, Serialize)]
pub struct TaskEnergy {
    pub layer: String,
    pub start: usize,
    pub end: usize,
    /// Energy of the task's kernels.
    pub energy_uj: f64,
}

/// The acec variant cut into energy-sized tasks for the target's capacitor (as `acec sim` runs it).
#[derive(Clone, Debug, Serialize)]
pub struct FlexTasks {
    /// Usable energy of one charge of the capacitor.
    pub charge_uj: f64,
    /// What every task pays besides its kernels: the boot after a power failure and its commit.
    pub overhead_uj: f64,
    /// Of `overhead_uj`: the boot (the datasheet's reset charge), the commit's CPU work, its FRAM writes.
    pub boot_uj: f64,
    pub commit_uj: f64,
    pub fram_write_uj: f64,
    pub tasks: Vec<TaskEnergy>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub model: String,
    pub variants: BTreeMap<String, Variant>,
    /// Per overhead setting, the variants (the bound left out) by cycles, fastest first.
    pub rankings: BTreeMap<String, Vec<String>>,
    /// `dense_cpu / acec`, `dense_lea / acec`, `paper_ace / acec` (speed-ups; also in energy) and
    /// `acec / bound` (distance to the limit).
    pub ratios: BTreeMap<String, f64>,
    /// The acec variant's FLEX tasks; `None` with the reason in `flex_note` when there are none (no energy
    /// buffer, or a work unit larger than a charge).
    pub flex: Option<FlexTasks>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flex_note: Option<String>,
    /// The baselines acec cannot compile for this model and target, with why (e.g. the published method
    /// needs more LEA scratch than the target has at block 256): `n/a` in the markdown, left out of
    /// `variants`, `ratios` and `rankings`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub unavailable: BTreeMap<String, String>,
}

/// A baseline's compiled form, or why it has none: a method that cannot run this model on
/// the target is a finding of the report, not bad input.
fn baseline(compiled: Result<Compiled, Error>) -> Result<Result<Compiled, String>, Error> {
    match compiled {
        Ok(compiled) => Ok(Ok(compiled)),
        Err(Error::Lower(e)) => Ok(Err(e.to_string())),
        Err(e) => Err(e),
    }
}

/// Partitions `compiled` into tasks for the target's default capacitor.
fn flex_tasks(compiled: &Compiled) -> Result<FlexTasks, String> {
    let target = &compiled.target;
    let buffer = target.energy_buffer.as_ref().ok_or_else(|| format!("target {} has no energy buffer", target.name))?;
    let usable_pj = crate::flex::EnergyBuffer::from(buffer).usable_pj();
    let plan = crate::flex::partition(&compiled.program, target, &compiled.cost_model, usable_pj)
        .map_err(|e| e.to_string())?;
    let tasks = plan
        .tasks
        .iter()
        .map(|t| TaskEnergy {
            layer: compiled.program.steps[t.step].layer.clone(),
            start: t.start,
            end: t.end,
            energy_uj: t.energy_pj as f64 / 1e6,
        })
        .collect();
    let fram_write_pj = target.fram_write_pj(crate::target::COMMIT_WORDS);
    Ok(FlexTasks {
        charge_uj: plan.budget_pj as f64 / 1e6,
        overhead_uj: plan.budget_pj.saturating_sub(plan.task_budget_pj) as f64 / 1e6,
        boot_uj: target.boot_energy_pj() as f64 / 1e6,
        commit_uj: target.commit_energy_pj().saturating_sub(fram_write_pj) as f64 / 1e6,
        fram_write_uj: fram_write_pj as f64 / 1e6,
        tasks,
    })
}

/// `compiled` as a variant, costed as measured.
fn variant(compiled: &Compiled, description: &str) -> Variant {
    costed(compiled, description, &compiled.costs, sensitivity::totals(compiled))
}

/// The bound of `compiled` (`report/bound.rs`): the same under every overhead setting, since it has none.
fn bound(compiled: &Compiled, description: &str) -> Variant {
    let steps = super::bound::step_bounds(compiled);
    let total = Totals::of(&energy::sum(&steps));
    let same = SETTINGS.iter().map(|(name, _)| (name.to_string(), total)).collect();
    costed(compiled, description, &steps, same)
}

fn costed(compiled: &Compiled, description: &str, steps: &[Charge], sensitivity: BTreeMap<String, Totals>) -> Variant {
    let target = &compiled.target;
    let layers: Vec<VariantLayer> = compiled
        .program
        .steps
        .iter()
        .zip(steps)
        .map(|(step, charge)| VariantLayer {
            layer: step.layer.clone(),
            kind: step.kind.clone(),
            cycles: charge.cycles,
            lea_cycles: charge.lea_cycles,
            energy_uj: charge.energy_pj() as f64 / 1e6,
            energy: EngineEnergy::of(charge),
        })
        .collect();
    let total = energy::sum(steps);
    Variant {
        description: description.into(),
        target: target.name.clone(),
        cycles: total.cycles,
        lea_cycles: total.lea_cycles,
        ms: target.cycles_to_ms(total.cycles),
        energy_uj: total.energy_pj() as f64 / 1e6,
        energy: EngineEnergy::of(&total),
        layers,
        sensitivity,
    }
}

/// Compiles the variants of `request`'s model. The acec variant is `request` itself (on msp430-lea); a
/// baseline that cannot be compiled is listed in [`Comparison::unavailable`] instead.
pub fn compare(request: &Request) -> Result<Comparison, Error> {
    let acec = pipeline::compile(request)?;
    let dense = |target: &str| Request { target: target.into(), blocks: BlockRequest::Never, ..request.clone() };
    let baselines = [
        (
            "dense_lea",
            "uncompressed, LEA MAC kernels, convolutions as one LEA FIR per output row or MACs (TAILS-style)",
            baseline(pipeline::compile_with(&dense(&request.target), Methods::TAILS))?,
        ),
        (
            "dense_cpu",
            "uncompressed, CPU only (SONIC-style), measured CPU kernel costs",
            baseline(pipeline::compile(&dense("msp430")))?,
        ),
        (
            "paper_ace",
            "the published method as its authors coded it: per block pair, complex FFTs of zero-imaginary input \
             and weight vectors at run time, time-domain accumulation; convolutions as one LEA dot product per \
             output pixel; the rest as acec",
            baseline(pipeline::compile_with(request, Methods::PAPER))?,
        ),
    ];
    let mut variants = BTreeMap::new();
    variants.insert(
        "acec".to_string(),
        variant(
            &acec,
            "as built: circulant layers as FFTs on the LEA, convolutions as FFTs, LEA FIR bands or MACs (the \
             cheapest), the rest as LEA MACs",
        ),
    );
    let mut unavailable = BTreeMap::new();
    for (name, description, compiled) in baselines {
        match compiled {
            Ok(compiled) => {
                variants.insert(name.to_string(), variant(&compiled, description));
            }
            Err(reason) => {
                unavailable.insert(name.to_string(), reason);
            }
        }
    }
    variants.insert(
        "bound".to_string(),
        bound(
            &acec,
            "acec's LEA arithmetic (per-element and N log N work, no DSPLib per-call or per-command overhead) plus \
             the copies between FRAM and LEA RAM the memory hierarchy forces (each weight, input and output word \
             once); no CPU glue or checkpoints",
        ),
    );
    let ratio = |a: &str, b: &str| variants[a].cycles as f64 / variants[b].cycles.max(1) as f64;
    let mut ratios = BTreeMap::new();
    for name in ["dense_cpu", "dense_lea", "paper_ace"].into_iter().filter(|n| variants.contains_key(*n)) {
        ratios.insert(format!("{name}/acec"), ratio(name, "acec"));
        let energy = variants[name].energy_uj / variants["acec"].energy_uj.max(f64::MIN_POSITIVE);
        ratios.insert(format!("{name}/acec energy"), energy);
    }
    ratios.insert("acec/bound".to_string(), ratio("acec", "bound"));
    let bound_energy = variants["bound"].energy_uj.max(f64::MIN_POSITIVE);
    ratios.insert("acec/bound energy".to_string(), variants["acec"].energy_uj / bound_energy);
    let (flex, flex_note) = match flex_tasks(&acec) {
        Ok(tasks) => (Some(tasks), None),
        Err(note) => (None, Some(note)),
    };
    let ranked: BTreeMap<String, BTreeMap<String, Totals>> = variants
        .iter()
        .filter(|(name, _)| name.as_str() != "bound")
        .map(|(name, v)| (name.clone(), v.sensitivity.clone()))
        .collect();
    let rankings = sensitivity::rankings(&ranked);
    Ok(Comparison {
        model: request.model.display().to_string(),
        variants,
        rankings,
        ratios,
        flex,
        flex_note,
        unavailable,
    })
}

/// The variants' cycles with DSPLib's overhead at each setting, and the rankings: whether a conclusion
/// survives the cost model's least certain number.
fn render_sensitivity(c: &Comparison) -> String {
    let mut out = String::from(
        "\nSensitivity: cycles and energy with DSPLib's per-call and per-command overhead (`dsplib` in the target's cost \
         table: one board measurement of msp_mac_q15, split between call and command by an estimate) at x0.25, \
         x1 and x2, the programs as compiled:\n\n```\n",
    );
    let rows: Vec<Vec<String>> = c
        .variants
        .iter()
        .map(|(name, v)| {
            let mut row = vec![name.clone()];
            row.extend(SETTINGS.iter().map(|(s, _)| thousands(v.sensitivity[*s].cycles)));
            row.extend(SETTINGS.iter().map(|(s, _)| format!("{:.2}", v.sensitivity[*s].energy_uj)));
            row
        })
        .collect();
    let energy: Vec<String> = SETTINGS.iter().map(|(s, _)| format!("{s} uJ")).collect();
    let mut header = vec!["variant"];
    header.extend(SETTINGS.iter().map(|(s, _)| *s));
    header.extend(energy.iter().map(String::as_str));
    out.push_str(&render(&header, &rows));
    out.push_str("```\n\n");
    for (setting, ranked) in &c.rankings {
        out.push_str(&format!("- ranking at {setting}, fastest first: {}\n", ranked.join(", ")));
    }
    let unchanged = c.rankings.values().all(|r| Some(r) == c.rankings.values().next());
    out.push_str(if unchanged {
        "- the ranking is the same under every setting.\n"
    } else {
        "- the ranking changes with the overhead: read the x1 figures as an estimate.\n"
    });
    out
}

/// One row per layer, one column per variant, each cell `cell` of that variant's layer.
fn per_layer(c: &Comparison, cell: impl Fn(&VariantLayer) -> String) -> String {
    let mut header = vec!["layer"];
    header.extend(c.variants.keys().map(String::as_str));
    let steps = c.variants.values().map(|v| v.layers.len()).max().unwrap_or(0);
    let rows: Vec<Vec<String>> = (0..steps)
        .map(|i| {
            let layer = c.variants.values().find_map(|v| v.layers.get(i)).map_or(String::new(), |l| l.layer.clone());
            let mut row = vec![layer];
            row.extend(c.variants.values().map(|v| v.layers.get(i).map_or("-".into(), &cell)));
            row
        })
        .collect();
    render(&header, &rows)
}

pub fn render_markdown(c: &Comparison) -> String {
    let mut out = format!("# acec report: {}\n\n", c.model);
    let names: Vec<&String> = c.variants.keys().collect();
    let rows: Vec<Vec<String>> = names
        .iter()
        .map(|n| {
            let v = &c.variants[*n];
            vec![
                (*n).clone(),
                v.target.clone(),
                thousands(v.cycles),
                format!("{:.2}", v.ms),
                format!("{:.2}", v.energy_uj),
                format!("{:.2}", v.energy.cpu_uj),
                format!("{:.2}", v.energy.multiplier_uj),
                format!("{:.2}", v.energy.lea_uj),
                v.description.clone(),
            ]
        })
        .collect();
    let na = || "n/a".to_string();
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .chain(c.unavailable.iter().map(|(name, why)| {
            vec![name.clone(), na(), na(), na(), na(), format!("n/a: acec cannot compile it here: {why}")]
        }))
        .collect();
    out.push_str("```\n");
    let header = ["variant", "target", "cycles", "ms", "energy uJ", "CPU uJ", "MPY uJ", "LEA uJ", "what"];
    out.push_str(&render(&header, &rows));
    out.push_str(
        "```\n\nEnergy by engine: CPU-active cycles at the active current, the hardware multiplier's extra current \
         while it runs (MPY), LEA cycles at the LEA module's current plus the CPU's in LPM0 (the target's \
         currents). Ratios (cycles unless noted):\n\n",
    );
    for (name, value) in &c.ratios {
        out.push_str(&format!("- {name}: {value:.2}x\n"));
    }
    for name in c.unavailable.keys() {
        out.push_str(&format!("- {name}/acec: n/a (see above)\n"));
    }
    out.push_str(&render_sensitivity(c));
    out.push_str(
        "\nCycles per layer (steps match by position: every variant is lowered from the same graph):\n\n```\n",
    );
    out.push_str(&per_layer(c, |l| thousands(l.cycles)));
    out.push_str("```\n\nEnergy per layer, uJ, as CPU + MPY / LEA:\n\n```\n");
    out.push_str(&per_layer(c, |l| {
        format!("{:.2} / {:.2}", l.energy.cpu_uj + l.energy.multiplier_uj, l.energy.lea_uj)
    }));
    out.push_str("```\n");
    match (&c.flex, &c.flex_note) {
        (Some(f), _) => {
            let largest = f.tasks.iter().map(|t| t.energy_uj).fold(0f64, f64::max);
            out.push_str(&format!(
                "\nFLEX (acec): {} tasks; the largest uses {largest:.1} uJ + {:.2} uJ boot and commit (boot {:.2}, \
                 commit {:.3} of which FRAM writes {:.3}) of a {:.1} uJ charge.\n",
                f.tasks.len(),
                f.overhead_uj,
                f.boot_uj,
                f.commit_uj + f.fram_write_uj,
                f.fram_write_uj,
                f.charge_uj
            ));
        }
        (None, Some(note)) => out.push_str(&format!("\nFLEX: no tasks ({note}).\n")),
        (None, None) => {}
    }
    out
}
