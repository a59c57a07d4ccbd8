//! `.npz` data sets as users pass them: `x` (float32, samples x model input shape) and optional `y` (int64
//! labels).

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
        self.x.truncate(keep * self.sample_len());
        if let Some(y) = &mut self.y {
            y.truncate(keep);
        }
        self
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
    let y = if has("y") {
        let y: ArrayD<i64> =
            npz.by_name("y").map_err(|e| content_err(format!("array 'y' must be int64 labels ({e})")))?;
        if y.shape() != [samples] {
            return Err(content_err(format!(
                "array 'y' has shape {:?}; expected [{samples}] (one label per sample)",
                y.shape()
            )));
        }
        Some(y.iter().copied().collect())
    } else {
        None
    };
    let x = x.as_standard_layout().iter().copied().collect();
    Ok(Dataset { sample_shape, x, y })
}
