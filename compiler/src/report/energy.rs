//! Energy by engine, as the reports show it: which engine spent a step's or a variant's energy. Two
//! programs with the same cycles differ in energy when one keeps the CPU busy where the other lets the LEA
//! work with the CPU in LPM0.

use acec_runtime::Charge;
use serde::Serialize;

/// Microjoules of the CPU-active cycles, of the hardware multiplier on top of them, and of the LEA cycles
/// (the LEA module plus the CPU in LPM0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct EngineEnergy {
    pub cpu_uj: f64,
    pub multiplier_uj: f64,
    pub lea_uj: f64,
}

impl EngineEnergy {
    pub fn of(charge: &Charge) -> EngineEnergy {
        let uj = |pj: u64| pj as f64 / 1e6;
        EngineEnergy { cpu_uj: uj(charge.cpu_pj), multiplier_uj: uj(charge.multiplier_pj), lea_uj: uj(charge.lea_pj) }
    }
}

/// All of `charges` together.
pub fn sum(charges: &[Charge]) -> Charge {
    charges.iter().fold(Charge::default(), |total, c| total.plus(*c))
}
