//! The energy one charge of the storage capacitor provides: `E = 1/2 C (V_on^2 - V_off^2) * efficiency`.

use serde::Serialize;

#[derive(Clone, Copy, Debug, Serialize)]
pub struct EnergyBuffer {
    pub capacitor_uf: f64,
    pub v_on: f64,
    pub v_off: f64,
    pub efficiency: f64,
}

impl From<&crate::target::EnergyBuffer> for EnergyBuffer {
    fn from(t: &crate::target::EnergyBuffer) -> Self {
        EnergyBuffer { capacitor_uf: t.capacitor_uf, v_on: t.v_on, v_off: t.v_off, efficiency: t.efficiency }
    }
}

impl EnergyBuffer {
    /// Usable energy per charge, picojoules.
    pub fn usable_pj(&self) -> u64 {
        let joules =
            0.5 * self.capacitor_uf * 1e-6 * (self.v_on * self.v_on - self.v_off * self.v_off) * self.efficiency;
        (joules * 1e12).max(0.0).round() as u64
    }
}

/// Parses `47uF`, `100uf`, `0.1mF`, `47` (microfarads).
pub fn parse_capacitance(text: &str) -> Option<f64> {
    parse_with_units(text, &[("uf", 1.0), ("mf", 1e3), ("nf", 1e-3), ("f", 1e6)])
}

/// Parses `300uW`, `1mW`, `0.5W`, `300` (microwatts).
pub fn parse_power(text: &str) -> Option<f64> {
    parse_with_units(text, &[("uw", 1.0), ("mw", 1e3), ("w", 1e6)])
}

fn parse_with_units(text: &str, units: &[(&str, f64)]) -> Option<f64> {
    let lower = text.trim().to_ascii_lowercase();
    for (suffix, scale) in units {
        if let Some(number) = lower.strip_suffix(suffix) {
            return number.trim().parse::<f64>().ok().filter(|v| *v > 0.0).map(|v| v * scale);
        }
    }
    lower.parse::<f64>().ok().filter(|v| *v > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_charge_of_100uf_between_3v_and_1v8() {
        let buffer = EnergyBuffer { capacitor_uf: 100.0, v_on: 3.0, v_off: 1.8, efficiency: 1.0 };
        // 0.5 * 100e-6 * (9 - 3.24) = 288 uJ
        assert_eq!(buffer.usable_pj(), 288_000_000);
    }

    #[test]
    fn units_parse() {
        assert_eq!(parse_capacitance("47uF"), Some(47.0));
        assert_eq!(parse_capacitance("0.1mF"), Some(100.0));
        assert_eq!(parse_power("1mW"), Some(1000.0));
        assert_eq!(parse_power("300uw"), Some(300.0));
        assert_eq!(parse_power("-3uW"), None);
    }
}
