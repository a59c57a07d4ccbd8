//! How much `acec report`'s conclusions depend on the least certain number of the cost model: DSPLib's
//! per-call and per-command overhead (one board measurement of one function, split between call and
//! command by an estimate; `dsplib` in target.json). Every variant is costed again, as compiled, with that
//! overhead at x0.25 and x2, and the variants are ranked under each setting, so a reader sees whether a
//! ranking survives the uncertainty.

use std::collections::BTreeMap;

use acec_runtime::Charge;
use serde::Serialize;

use super::energy;

use crate::pipeline::Compiled;

/// The overhead settings every report shows, by name.
pub const SETTINGS: [(&str, f64); 3] = [("x0.25", 0.25), ("x1", 1.0), ("x2", 2.0)];

/// A variant's totals under one setting.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Totals {
    pub cycles: u64,
    pub energy_uj: f64,
}

impl Totals {
    pub fn of(total: &Charge) -> Totals {
        Totals { cycles: total.cycles, energy_uj: total.energy_pj() as f64 / 1e6 }
    }
}

/// `compiled`'s totals under every setting of [`SETTINGS`]: its steps' kernel calls priced again, with
/// the overhead scaled.
pub fn totals(compiled: &Compiled) -> BTreeMap<String, Totals> {
    SETTINGS
        .iter()
        .map(|(name, scale)| {
            let table = compiled.target.with_dsplib_overhead_scale(*scale).cost_table();
            let steps: Vec<Charge> = compiled.calls.iter().map(|calls| calls.priced(&table)).collect();
            (name.to_string(), Totals::of(&energy::sum(&steps)))
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
