//! The independent float reference: the ONNX model run by tract, a separate ONNX runtime, so `verify`
//! does not compare acec against itself.

use std::path::Path;

use tract_onnx::prelude::*;

use crate::error::Error;

pub struct FloatReference {
    model: std::sync::Arc<TypedRunnableModel>,
    shape: Vec<usize>,
}

impl FloatReference {
    /// Loads `path` with its input fixed to `shape` (batch 1).
    pub fn load(path: &Path, shape: &[usize]) -> Result<Self, Error> {
        let fail = |e: TractError| Error::Reference(format!("tract cannot run '{}': {e}", path.display()));
        let model = tract_onnx::onnx()
            .model_for_path(path)
            .and_then(|m| m.with_input_fact(0, f32::fact(shape).into()))
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(fail)?;
        Ok(FloatReference { model, shape: shape.to_vec() })
    }

    /// The model's first output for one input.
    pub fn run(&self, x: &[f32]) -> Result<Vec<f32>, Error> {
        let fail = |e: TractError| Error::Reference(format!("tract run failed: {e}"));
        let input = Tensor::from_shape(&self.shape, x).map_err(fail)?;
        let outputs = self.model.run(tvec!(input.into())).map_err(fail)?;
        let view = outputs[0].to_plain_array_view::<f32>().map_err(fail)?;
        Ok(view.iter().copied().collect())
    }
}
