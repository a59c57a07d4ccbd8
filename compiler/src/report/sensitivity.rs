//! How much `acec report`'s conclusions depend on the least certain number of the cost model: DSPLib's
//! per-call and per-command overhead (one board measurement of one function, split between call and
//! command by an estimate; `dsplib` in target.json). Every variant is costed again, as compiled, with that
//! overhead at x0.25 and x2, and the variants are ranked under each setting, so a reader sees whether a
//! ranking survives the uncertainty.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Error;
use crate::pipeline::{self, Compiled};

/// The overhead settings every report shows, by name.
pub const SETTINGS: [(&str, f64); 3] = [("x0.25", 0.25), ("x1", 1.0), ("x2", 2.0)];

/// A variant's totals under one setting.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Totals {
    pub cycles: u64,
    pub energy_uj: f64,
}

/// Per step, `compiled`'s cycles and energy (pJ) with DSPLib's overhead at `scale`: all kernels, or the LEA
/// kernels alone when `lea_only`.
pub fn step_totals(compiled: &Compiled, scale: f64, lea_only: bool) -> Result<Vec<(u64, u64)>, Error> {
    let target = compiled.target.with_dsplib_overhead_scale(scale);
    let costs = pipeline::step_costs(&compiled.program, &target)?;
    Ok(costs.iter().map(|c| if lea_only { (c.lea_cycles, c.lea_energy_pj) } else { (c.cycles, c.energy_pj) }).collect())
}

/// `compiled`'s totals under every setting of [`SETTINGS`].
pub fn totals(compiled: &Compiled, lea_only: bool) -> Result<BTreeMap<String, Totals>, Error> {
    SETTINGS
        .iter()
        .map(|(name, scale)| {
            let steps = step_totals(compiled, *scale, lea_only)?;
            let cycles = steps.iter().map(|s| s.0).sum();
            let energy_uj = steps.iter().map(|s| s.1).sum::<u64>() as f64 / 1e6;
            Ok((name.to_string(), Totals { cycles, energy_uj }))
        })
        .collect()
}

/// Per setting, the variants by cycles, fastest first (ties by name).
pub fn rankings(variants: &BTreeMap<String, BTreeMap<String, Totals>>) -> BTreeMap<String, Vec<String>> {
    SETTINGS
        .iter()
        .map(|(setting, _)| {
            let mut names: Vec<&String> = variants.keys().collect();
            names.sort_by_key(|n| (variants[*n][*setting].cycles, (*n).clone()));
            (setting.to_string(), names.into_iter().cloned().collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(cycles: [u64; 3]) -> BTreeMap<String, Totals> {
        SETTINGS.iter().zip(cycles).map(|((n, _), c)| (n.to_string(), Totals { cycles: c, energy_uj: 0.0 })).collect()
    }

    #[test]
    fn rankings_follow_each_settings_cycles() {
        // Many small calls: fastest when calls are cheap, overtaken when they cost twice as much.
        let variants = BTreeMap::from([
            ("many_calls".to_string(), totals([100, 300, 700])),
            ("few_calls".to_string(), totals([250, 350, 450])),
        ]);
        let ranked = rankings(&variants);
        assert_eq!(ranked["x0.25"], ["many_calls", "few_calls"]);
        assert_eq!(ranked["x1"], ["many_calls", "few_calls"]);
        assert_eq!(ranked["x2"], ["few_calls", "many_calls"]);
    }
}
