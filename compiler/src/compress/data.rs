//! The data `acec compress` trains and scores on, checked against the model and its task before any work,
//! and the validation split `--block auto` chooses on (so the `--test` set it reports stays unseen).

use std::path::Path;

use crate::dataset::{self, DatasetError};
use crate::task::{self, Scoring, Task};

/// Samples (flattened) with what they are scored against.
pub struct Examples {
    pub x: Vec<f32>,
    /// Class labels in `0..classes` (a classifier).
    pub y: Option<Vec<u32>>,
    /// The outputs a regression model should produce per sample (its targets, or its inputs), flattened.
    pub reference: Option<Vec<f32>>,
    /// The original model's outputs on these samples, once computed (training distils from them).
    pub teacher: Option<Vec<f32>>,
    pub count: usize,
}

impl Examples {
    pub fn samples(&self) -> crate::rad::admm::Samples<'_> {
        crate::rad::admm::Samples {
            x: &self.x,
            y: self.y.as_deref(),
            teacher: self.teacher.as_deref(),
            reference: self.reference.as_deref(),
            count: self.count,
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The same samples with `x` replaced (e.g. by features of a fixed front), everything else kept.
    pub fn with_x(&self, x: Vec<f32>) -> Examples {
        Examples {
            x,
            y: self.y.clone(),
            reference: self.reference.clone(),
            teacher: self.teacher.clone(),
            count: self.count,
        }
    }

    /// Every [`VALIDATION_EVERY`]th sample, and the rest: the block search scores its trials on the first
    /// and trains on the second. Taken by position, not at random, so that data sorted by class splits
    /// evenly. With fewer than `VALIDATION_EVERY` samples, both are all of them.
    pub fn split_validation(&self) -> (Examples, Examples) {
        if self.count < VALIDATION_EVERY {
            return (self.subset(|_| true), self.subset(|_| true));
        }
        let held = |i: usize| i % VALIDATION_EVERY == VALIDATION_EVERY - 1;
        (self.subset(|i| !held(i)), self.subset(held))
    }

    fn subset(&self, keep: impl Fn(usize) -> bool) -> Examples {
        let indices: Vec<usize> = (0..self.count).filter(|&i| keep(i)).collect();
        let rows = |values: &[f32]| -> Vec<f32> {
            let n = values.len() / self.count.max(1);
            indices.iter().flat_map(|&i| values[i * n..(i + 1) * n].iter().copied()).collect()
        };
        Examples {
            x: rows(&self.x),
            y: self.y.as_ref().map(|y| indices.iter().map(|&i| y[i]).collect()),
            reference: self.reference.as_deref().map(rows),
            teacher: self.teacher.as_deref().map(rows),
            count: indices.len(),
        }
    }
}

/// One sample in this many is held out for validation.
pub const VALIDATION_EVERY: usize = 10;

/// Loads `x` and `y`, checking the sample shape against `input_shape`, that there is at least one sample,
/// and what the task needs: labels naming one of the model's `outputs` classes, or reference outputs
/// ([`task::decide`] picks the task when `task` is `None`). `limit` keeps the first N samples.
pub fn load(
    path: &Path,
    input_shape: &[usize],
    outputs: usize,
    task: Option<Task>,
    limit: Option<usize>,
) -> Result<(Examples, Scoring), DatasetError> {
    let content = |detail: String| DatasetError::Content { path: path.into(), detail };
    let mut data = dataset::load(path, input_shape)?;
    if let Some(limit) = limit {
        data = data.truncated(limit);
    }
    if data.is_empty() {
        return Err(content("it holds no samples".into()));
    }
    let scoring = task::decide(task, outputs, &data, path)?;
    let count = data.len();
    if let Some(reference) = scoring.reference {
        let values = (0..count).flat_map(|i| reference.of(&data, i).iter().copied()).collect();
        let examples = Examples { x: data.x, y: None, reference: Some(values), teacher: None, count };
        return Ok((examples, scoring));
    }
    let Some(labels) = data.y.take() else {
        return Err(content(
            "it has no array 'y': training a classifier needs int64 class labels, one per sample (for a regression \
             model, pass --task regress with float32 targets 'y', N x outputs)"
                .into(),
        ));
    };
    let mut y = Vec::with_capacity(labels.len());
    for (i, &label) in labels.iter().enumerate() {
        match u32::try_from(label) {
            Ok(l) if (l as usize) < outputs => y.push(l),
            _ => {
                return Err(content(format!(
                    "label {label} of sample {i} is out of range: the model has {outputs} outputs, so labels must be \
                     0..={}",
                    outputs - 1
                )));
            }
        }
    }
    Ok((Examples { x: data.x, y: Some(y), reference: None, teacher: None, count }, scoring))
}
