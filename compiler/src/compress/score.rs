//! How good a network is at its task, and whether a compressed one stays within the user's budget: top-1
//! accuracy for a classifier (budget: `--max-drop` points), mean squared error against the reference outputs
//! for a regression model (budget: `--max-error-rise` percent), with its SNR in dB for the reader.

use serde::Serialize;

use super::data::Examples;
use crate::rad::admm::{AdmmError, Net, train};
use crate::task::mse_and_snr;

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Score {
    Accuracy(f64),
    Error { mse: f64, snr_db: f64 },
}

/// The largest loss `--block auto` accepts.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Budget {
    /// Classifier: accuracy drop in percentage points.
    pub max_drop_points: f64,
    /// Regression: MSE increase in percent of the original's.
    pub max_error_rise_pct: f64,
}

impl Budget {
    /// The largest loss allowed for a score of this kind ([`Score::loss_from`]'s unit).
    pub fn limit(&self, score: &Score) -> f64 {
        match score {
            Score::Accuracy(_) => self.max_drop_points,
            Score::Error { .. } => self.max_error_rise_pct,
        }
    }

    /// The flag that sets it, with its value: `--max-drop 1 points` or `--max-error-rise 10%`.
    pub fn describe(&self, score: &Score) -> String {
        match score {
            Score::Accuracy(_) => format!("--max-drop {} points", self.max_drop_points),
            Score::Error { .. } => format!("--max-error-rise {}%", self.max_error_rise_pct),
        }
    }
}

impl Score {
    /// The network's score on `data` (float forward, weights as they are).
    pub fn of(net: &Net, data: &Examples) -> Result<Score, AdmmError> {
        let samples = data.samples();
        match &data.reference {
            None => Ok(Score::Accuracy(train::accuracy(net, &samples, false)?)),
            Some(reference) => {
                let outputs = train::logits(net, &samples)?;
                let (mse, snr_db) = mse_and_snr(reference, &outputs);
                Ok(Score::Error { mse, snr_db })
            }
        }
    }

    /// How much worse than `before`: accuracy points lost, or percent of MSE added (negative: better).
    pub fn loss_from(&self, before: &Score) -> f64 {
        match (before, self) {
            (Score::Accuracy(b), Score::Accuracy(a)) => (b - a) * 100.0,
            (Score::Error { mse: b, .. }, Score::Error { mse: a, .. }) => (a - b) / b.max(f64::MIN_POSITIVE) * 100.0,
            _ => f64::INFINITY,
        }
    }

    pub fn within(&self, before: &Score, budget: &Budget) -> bool {
        self.loss_from(before) <= budget.limit(self)
    }

    /// `97.50%`, or `MSE 0.01234 (SNR 18.2 dB)`.
    pub fn text(&self) -> String {
        match self {
            Score::Accuracy(a) => format!("{:.2}%", a * 100.0),
            Score::Error { mse, snr_db } => format!("MSE {mse:.5} (SNR {snr_db:.1} dB)"),
        }
    }

    /// `0.62 points` lost, or `+4.1%` MSE.
    pub fn loss_text(&self, before: &Score) -> String {
        let loss = self.loss_from(before);
        match self {
            Score::Accuracy(_) => format!("{loss:.2} points"),
            Score::Error { .. } => format!("{loss:+.1}% MSE"),
        }
    }

    /// The name of the metric, for table headers.
    pub fn metric(&self) -> &'static str {
        match self {
            Score::Accuracy(_) => "accuracy",
            Score::Error { .. } => "error",
        }
    }

    pub fn accuracy(&self) -> Option<f64> {
        match self {
            Score::Accuracy(a) => Some(*a),
            Score::Error { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_apply_to_their_own_metric() {
        let budget = Budget { max_drop_points: 1.0, max_error_rise_pct: 10.0 };
        let (before, after) = (Score::Accuracy(0.90), Score::Accuracy(0.895));
        assert!((after.loss_from(&before) - 0.5).abs() < 1e-9 && after.within(&before, &budget));
        assert!(!Score::Accuracy(0.88).within(&before, &budget));
        let before = Score::Error { mse: 0.10, snr_db: 10.0 };
        assert!(Score::Error { mse: 0.109, snr_db: 9.6 }.within(&before, &budget));
        assert!(!Score::Error { mse: 0.111, snr_db: 9.5 }.within(&before, &budget));
        assert_eq!(Score::Error { mse: 0.105, snr_db: 9.8 }.loss_text(&before), "+5.0% MSE");
    }
}
