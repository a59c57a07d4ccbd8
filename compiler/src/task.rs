//! What a model computes, which decides how `compress` trains it and how `compress` and `verify` score it:
//! a classifier (top-1 accuracy against int64 labels) or a regression / reconstruction model (mean squared
//! error and SNR against reference outputs). Scoring an autoencoder by its argmax says nothing, and training
//! it on labels wrecks it: the task is chosen from the model and the data, or named with `--task`.

use std::path::Path;

use crate::dataset::{Dataset, DatasetError};
use crate::rad::quant::snr_db;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    Classify,
    Regress,
}

impl std::str::FromStr for Task {
    type Err = String;

    fn from_str(s: &str) -> Result<Task, String> {
        match s {
            "classify" => Ok(Task::Classify),
            "regress" => Ok(Task::Regress),
            other => Err(format!("--task {other}: expected classify or regress")),
        }
    }
}

impl Task {
    pub fn name(self) -> &'static str {
        match self {
            Task::Classify => "classify",
            Task::Regress => "regress",
        }
    }
}

/// The outputs a regression model is scored against, per sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reference {
    /// The data's float32 `y`.
    Targets,
    /// The sample itself: the model reconstructs its input (an autoencoder).
    Inputs,
}

impl Reference {
    /// The reference outputs of sample `i`.
    pub fn of(self, data: &Dataset, i: usize) -> &[f32] {
        match self {
            Reference::Inputs => data.sample(i),
            Reference::Targets => {
                let n = data.target_len();
                &data.targets.as_deref().unwrap_or_default()[i * n..(i + 1) * n]
            }
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Reference::Targets => "the data's float targets 'y'",
            Reference::Inputs => "the inputs (reconstruction)",
        }
    }
}

/// The task and, for a regression, what it is scored against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scoring {
    pub task: Task,
    /// `Some` exactly for [`Task::Regress`].
    pub reference: Option<Reference>,
}

/// Decides the task for a model with `outputs` output values on `data` (read from `path`), or checks the one
/// asked for. Inferred: float targets mean regression; int64 labels mean classification unless the model
/// reconstructs its input (as many outputs as inputs: ambiguous, so `--task` must say); no `y` on a model
/// that reconstructs its input means regression against the inputs; otherwise classification (scored by
/// agreement with the float model alone, as `verify` does without labels; `compress` then asks for labels).
pub fn decide(requested: Option<Task>, outputs: usize, data: &Dataset, path: &Path) -> Result<Scoring, DatasetError> {
    let fail = |detail: String| DatasetError::Content { path: path.into(), detail };
    let reconstructs = outputs == data.sample_len();
    let targets = data.targets.is_some();
    if targets && data.target_len() != outputs {
        return Err(fail(format!(
            "float array 'y' has {} values per sample; the model has {outputs} outputs",
            data.target_len()
        )));
    }
    let regression = |reference| Ok(Scoring { task: Task::Regress, reference: Some(reference) });
    let classification = Ok(Scoring { task: Task::Classify, reference: None });
    match requested {
        Some(Task::Classify) if targets => {
            Err(fail("--task classify needs int64 class labels in 'y'; this 'y' is float (regression targets)".into()))
        }
        Some(Task::Classify) => classification,
        Some(Task::Regress) if targets => regression(Reference::Targets),
        Some(Task::Regress) if reconstructs => regression(Reference::Inputs),
        Some(Task::Regress) => Err(fail(format!(
            "--task regress needs reference outputs: a float32 array 'y' of shape N x {outputs} (what the model \
             should output for each sample); only a model with as many outputs as inputs is scored against its \
             inputs"
        ))),
        None if targets => regression(Reference::Targets),
        None if reconstructs && data.y.is_some() => Err(fail(format!(
            "ambiguous task: the model outputs as many values as it takes ({outputs}), like an autoencoder, but \
             the data has int64 labels 'y'; pass --task regress (score the reconstruction) or --task classify \
             (score the labels)"
        ))),
        None if reconstructs => regression(Reference::Inputs),
        None => classification,
    }
}

/// Mean squared error of `value` against `reference` over all values, and the SNR of `value` in dB
/// ([`snr_db`]: `10 log10(sum reference^2 / sum (reference - value)^2)`, infinite when they are equal).
pub fn mse_and_snr(reference: &[f32], value: &[f32]) -> (f64, f64) {
    let reference: Vec<f64> = reference.iter().map(|&v| f64::from(v)).collect();
    let value: Vec<f64> = value.iter().map(|&v| f64::from(v)).collect();
    let squared: f64 = reference.iter().zip(&value).map(|(r, v)| (r - v) * (r - v)).sum();
    (squared / reference.len().max(1) as f64, snr_db(&reference, &value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(y: Option<Vec<i64>>, targets: Option<Vec<f32>>) -> Dataset {
        Dataset { sample_shape: vec![4], x: vec![0.5; 8], y, targets }
    }

    #[test]
    fn the_task_follows_the_model_and_the_data() {
        let path = Path::new("d.npz");
        let decide =
            |requested, outputs, d: &Dataset| decide(requested, outputs, d, path).map(|s| (s.task, s.reference));
        let labelled = data(Some(vec![0, 1]), None);
        let targets = data(None, Some(vec![0.0; 6]));
        let bare = data(None, None);
        assert_eq!(decide(None, 3, &labelled).unwrap(), (Task::Classify, None));
        assert_eq!(decide(None, 3, &targets).unwrap(), (Task::Regress, Some(Reference::Targets)));
        assert_eq!(decide(None, 4, &bare).unwrap(), (Task::Regress, Some(Reference::Inputs)));
        assert_eq!(decide(None, 3, &bare).unwrap(), (Task::Classify, None));
        assert!(decide(None, 4, &labelled).unwrap_err().to_string().contains("pass --task regress"));
        assert_eq!(decide(Some(Task::Regress), 4, &labelled).unwrap(), (Task::Regress, Some(Reference::Inputs)));
        assert_eq!(decide(Some(Task::Classify), 4, &labelled).unwrap(), (Task::Classify, None));
        assert!(decide(Some(Task::Regress), 3, &labelled).unwrap_err().to_string().contains("N x 3"));
        assert!(decide(Some(Task::Classify), 3, &targets).unwrap_err().to_string().contains("int64"));
        assert!(decide(None, 2, &targets).unwrap_err().to_string().contains("3 values per sample"));
    }

    #[test]
    fn mse_and_snr_against_hand_computed_values() {
        let (mse, snr) = mse_and_snr(&[1.0, -1.0, 2.0, 0.0], &[1.0, -0.5, 2.5, 0.0]);
        assert!((mse - 0.125).abs() < 1e-12);
        // Signal 6, noise 0.5.
        assert!((snr - 10.0 * 12f64.log10()).abs() < 1e-12);
        assert_eq!(mse_and_snr(&[1.0], &[1.0]).1, f64::INFINITY);
    }
}
