//! `acec report`: the same model compiled as acec builds it and as the baselines it must beat,
//! costed with the targets' cost tables, side by side.

use serde::Serialize;

use super::table::{render, thousands};
use crate::ace::BlockRequest;
use crate::error::Error;
use crate::pipeline::{self, Compiled, Request};

#[derive(Clone, Debug, Serialize)]
pub struct VariantLayer {
    pub layer: String,
    pub kind: String,
    pub cycles: u64,
    pub energy_uj: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Variant {
    pub description: String,
    pub target: String,
    pub cycles: u64,
    pub ms: f64,
    pub energy_uj: f64,
    pub layers: Vec<VariantLayer>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub model: String,
    pub variants: std::collections::BTreeMap<String, Variant>,
    /// `dense_cpu / acec`, `dense_lea / acec` (speed-ups) and `acec / bound` (distance to the limit).
    pub ratios: std::collections::BTreeMap<String, f64>,
    /// Variants not modeled yet, with the reason.
    pub missing: Vec<String>,
}

fn variant(compiled: &Compiled, description: &str, lea_only: bool) -> Variant {
    let target = &compiled.target;
    let layers: Vec<VariantLayer> = compiled
        .program
        .steps
        .iter()
        .zip(&compiled.costs)
        .map(|(step, cost)| {
            let (cycles, pj) =
                if lea_only { (cost.lea_cycles, cost.lea_energy_pj) } else { (cost.cycles, cost.energy_pj) };
            VariantLayer { layer: step.layer.clone(), kind: step.kind.clone(), cycles, energy_uj: pj as f64 / 1e6 }
        })
        .collect();
    let cycles = layers.iter().map(|l| l.cycles).sum();
    Variant {
        description: description.into(),
        target: target.name.clone(),
        cycles,
        ms: target.cycles_to_ms(cycles),
        energy_uj: layers.iter().map(|l| l.energy_uj).sum(),
        layers,
    }
}

/// Compiles the variants of `request`'s model. The acec variant is `request` itself (on msp430-lea).
pub fn compare(request: &Request) -> Result<Comparison, Error> {
    let acec = pipeline::compile(request)?;
    let dense = |target: &str| Request { target: target.into(), blocks: BlockRequest::Never, ..request.clone() };
    let dense_lea = pipeline::compile(&dense(&request.target))?;
    let dense_cpu = pipeline::compile(&dense("msp430"))?;
    let mut variants = std::collections::BTreeMap::new();
    variants.insert(
        "acec".to_string(),
        variant(&acec, "as built: circulant layers as FFTs on the LEA, the rest as LEA MACs", false),
    );
    variants.insert("dense_lea".to_string(), variant(&dense_lea, "uncompressed, LEA MAC kernels (TAILS-style)", false));
    variants.insert(
        "dense_cpu".to_string(),
        variant(&dense_cpu, "uncompressed, CPU only (SONIC-style), measured CPU kernel costs", false),
    );
    variants.insert(
        "bound".to_string(),
        variant(&acec, "acec's accelerator kernels alone: no CPU glue, copies or checkpoints", true),
    );
    let ratio = |a: &str, b: &str| variants[a].cycles as f64 / variants[b].cycles.max(1) as f64;
    let mut ratios = std::collections::BTreeMap::new();
    ratios.insert("dense_cpu/acec".to_string(), ratio("dense_cpu", "acec"));
    ratios.insert("dense_lea/acec".to_string(), ratio("dense_lea", "acec"));
    ratios.insert("acec/bound".to_string(), ratio("acec", "bound"));
    let energy_ratio = variants["dense_lea"].energy_uj / variants["acec"].energy_uj.max(f64::MIN_POSITIVE);
    ratios.insert("dense_lea/acec energy".to_string(), energy_ratio);
    Ok(Comparison {
        model: request.model.display().to_string(),
        variants,
        ratios,
        missing: vec!["paper_ace (the authors' complex-FFT method with run-time weight FFTs): not modeled yet".into()],
    })
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
                v.description.clone(),
            ]
        })
        .collect();
    out.push_str("```\n");
    out.push_str(&render(&["variant", "target", "cycles", "ms", "energy uJ", "what"], &rows));
    out.push_str("```\n\nRatios (cycles unless noted):\n\n");
    for (name, value) in &c.ratios {
        out.push_str(&format!("- {name}: {value:.2}x\n"));
    }
    for missing in &c.missing {
        out.push_str(&format!("\nNot included: {missing}\n"));
    }
    out
}
