//! `.npz` data sets as users pass them: `x` (float32, samples x model input shape) and optional `y`: int64
//! class labels (a classifier's), or float32 targets, one row of outputs per sample (a regression model's).

use std::fs::File;
use std::path::{Path, PathBuf};

use ndarray::ArrayD;
use ndarray_npy::NpzReader;

#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("cannot read data file '{path}': {detail}")]
    Read { path: PathBuf, detail: String },

    #[error("data file '{path}': {detail}")]
    Content { path: PathBuf, detail: String },
}

/// Samples with their labels, flattened row-major.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// The shape of one sample (the model input shape without its batch axis).
    pub sample_shape: Vec<usize>,
    pub x: Vec<f32>,
    pub y: Option<Vec<i64>>,
    /// A float32 `y`: the outputs each sample should produce, flattened row-major (`len x outputs`).
    pub targets: Option<Vec<f32>>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.x.len() / self.sample_len().max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn sample_len(&self) -> usize {
        self.sample_shape.iter().product()
    }

    pub fn sample(&self, index: usize) -> &[f32] {
        let n = self.sample_len();
        &self.x[index * n..(index + 1) * n]
    }

    /// Sample `index` of the file at `path`, or an error naming the `--index` and the sample count.
    pub fn sample_at(&self, index: usize, path: &Path) -> Result<&[f32], DatasetError> {
        if index >= self.len() {
            return Err(DatasetError::Content {
                path: path.into(),
                detail: format!("--index {index} is out of range: it holds {} samples", self.len()),
            });
        }
        Ok(self.sample(index))
    }

    /// The first `count` samples (all when there are fewer).
    pub fn truncated(mut self, count: usize) -> Self {
        let keep = count.min(self.len());
        let target_len = self.target_len();
        self.x.truncate(keep * self.sample_len());
        if let Some(y) = &mut self.y {
            y.truncate(keep);
        }
        if let Some(targets) = &mut self.targets {
            targets.truncate(keep * target_len);
        }
        self
    }

    /// Values per sample in the float targets (0 without them).
    pub fn target_len(&self) -> usize {
        self.targets.as_ref().map_or(0, |t| t.len() / self.len().max(1))
    }
}

/// Loads `x` (and `y` when present) and checks that each sample matches `input_shape`, the model input
/// shape with its batch axis of 1.
pub fn load(path: &Path, input_shape: &[usize]) -> Result<Dataset, DatasetError> {
    let read_err = |detail: String| DatasetError::Read { path: path.into(), detail };
    let content_err = |detail: String| DatasetError::Content { path: path.into(), detail };
    let file = File::open(path).map_err(|e| read_err(e.to_string()))?;
    let mut npz = NpzReader::new(file).map_err(|e| read_err(format!("not an .npz archive ({e})")))?;
    let names = npz.names().map_err(|e| read_err(e.to_string()))?;
    let has = |name: &str| names.iter().any(|n| n == name || n == &format!("{name}.npy"));
    if !has("x") {
        return Err(content_err(format!("it has no array 'x' (arrays: {})", names.join(", "))));
    }
    let x: ArrayD<f32> = npz
        .by_name("x")
        .map_err(|e| content_err(format!("array 'x' must be float32 ({e}); convert with x.astype(np.float32)")))?;
    let sample_shape = input_shape.get(1..).unwrap_or(&[]).to_vec();
    let dims = x.shape();
    let matches = dims.len() == input_shape.len() && dims[1..] == sample_shape[..]
        || dims.len() == input_shape.len() + 1 && dims[1..] == input_shape[..];
    if matches && dims.first() == Some(&0) {
        return Err(content_err(format!("it holds no samples ('x' has shape {dims:?})")));
    }
    if !matches {
        return Err(content_err(format!(
            "array 'x' has shape {dims:?}; the model takes samples of shape {input_shape:?}, so 'x' should be \
             N x {}",
            sample_shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(" x ")
        )));
    }
    let samples = dims[0];
    let (y, targets) = match has("y").then(|| read_y(&mut npz, samples, &content_err)).transpose()? {
        Some(Y::Labels(labels)) => (Some(labels), None),
        Some(Y::Targets(targets)) => (None, Some(targets)),
        None => (None, None),
    };
    let x = x.as_standard_layout().iter().copied().collect();
    Ok(Dataset { sample_shape, x, y, targets })
}

/// What a `y` array holds.
enum Y {
    /// int64, one per sample.
    Labels(Vec<i64>),
    /// float32, one row per sample, flattened.
    Targets(Vec<f32>),
}

fn read_y(
    npz: &mut NpzReader<File>,
    samples: usize,
    content_err: &dyn Fn(String) -> DatasetError,
) -> Result<Y, DatasetError> {
    if let Ok(targets) = npz.by_name::<ndarray::OwnedRepr<f32>, ndarray::IxDyn>("y") {
        if targets.shape().first() != Some(&samples) {
            return Err(content_err(format!(
                "float array 'y' has shape {:?}; regression targets need one row per sample ({samples} x outputs)",
                targets.shape()
            )));
        }
        return Ok(Y::Targets(targets.as_standard_layout().iter().copied().collect()));
    }
    let y: ArrayD<i64> = npz.by_name("y").map_err(|e| {
        content_err(format!("array 'y' must be int64 class labels or float32 regression targets ({e})"))
    })?;
    if y.shape() != [samples] {
        return Err(content_err(format!(
            "array 'y' has shape {:?}; expected [{samples}] (one label per sample)",
            y.shape()
        )));
    }
    Ok(Y::Labels(y.iter().copied().collect()))
}
