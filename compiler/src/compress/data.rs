//! The labelled data `acec compress` trains and evaluates on, checked against the model before any work.

use std::path::Path;

use crate::dataset::{self, DatasetError};

/// Samples (flattened) with labels in `0..classes`.
pub struct Labelled {
    pub x: Vec<f32>,
    pub y: Vec<u32>,
    /// The original model's logits on these samples, once computed (training distils from them).
    pub teacher: Option<Vec<f32>>,
}

impl Labelled {
    pub fn samples(&self) -> crate::rad::admm::Samples<'_> {
        crate::rad::admm::Samples { x: &self.x, y: &self.y, teacher: self.teacher.as_deref() }
    }

    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }
}

/// Loads `x` and `y`, checking the sample shape against `input_shape`, that there is at least one sample,
/// and that every label names one of the model's `classes` outputs. `limit` keeps the first N samples.
pub fn load(
    path: &Path,
    input_shape: &[usize],
    classes: usize,
    limit: Option<usize>,
) -> Result<Labelled, DatasetError> {
    let content = |detail: String| DatasetError::Content { path: path.into(), detail };
    let mut data = dataset::load(path, input_shape)?;
    if let Some(limit) = limit {
        data = data.truncated(limit);
    }
    let Some(labels) = data.y.take() else {
        return Err(content("it has no array 'y': training needs int64 class labels, one per sample".into()));
    };
    if labels.is_empty() {
        return Err(content("it holds no samples".into()));
    }
    let mut y = Vec::with_capacity(labels.len());
    for (i, &label) in labels.iter().enumerate() {
        match u32::try_from(label) {
            Ok(l) if (l as usize) < classes => y.push(l),
            _ => {
                return Err(content(format!(
                    "label {label} of sample {i} is out of range: the model has {classes} outputs, so labels must be \
                     0..={}",
                    classes - 1
                )));
            }
        }
    }
    Ok(Labelled { x: data.x, y, teacher: None })
}
