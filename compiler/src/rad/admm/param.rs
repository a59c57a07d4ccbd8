//! The trainable weights of one Dense or Conv layer, free or block-circulant, and their Q15 fake
//! quantization (a straight-through estimator: the forward pass sees grid values, the gradient passes as if
//! rounding were the identity).

use candle_core::{Tensor, Var};

use super::AdmmError;
use super::grid::{circulant_q15, circulant_q15_vectors};
use crate::rad::circulant_view::MatrixView;
use crate::rad::quant::frac_bits_for;

/// How a layer's weight is stored while it trains.
pub enum Weight {
    /// Every entry is a parameter (ADMM's W-step trains these).
    Free(Var),
    /// Block-circulant with `block`: only the defining vectors (`blocks x block`) train; `expand` holds, for
    /// every entry of the dense matrix, the index of the vector entry it repeats.
    Circulant { vectors: Var, expand: Tensor, block: usize },
}

pub struct Param {
    /// The graph layer this belongs to.
    pub layer: usize,
    /// The dense weight's shape: `outputs x inputs`, or `out x in x kernel...` for a convolution.
    pub shape: Vec<usize>,
    pub weight: Weight,
    pub bias: Var,
}

impl Param {
    pub fn new(layer: usize, shape: Vec<usize>, weight: &[f32], bias: &[f32]) -> Result<Self, AdmmError> {
        let device = candle_core::Device::Cpu;
        let w = Var::from_tensor(&Tensor::from_slice(weight, shape.as_slice(), &device)?)?;
        let bias = Var::from_tensor(&Tensor::from_slice(bias, bias.len(), &device)?)?;
        Ok(Param { layer, shape, weight: Weight::Free(w), bias })
    }

    /// The weight viewed as a matrix: outputs x everything else (a convolution's `in * k * k` columns).
    pub fn rows_cols(&self) -> (usize, usize) {
        (self.shape[0], self.shape[1..].iter().product())
    }

    /// The weight read as the matrix whose blocks become circulant (a convolution's is CirCNN's, kernel
    /// position major, channels padded to whole blocks: [`MatrixView`]).
    pub fn view(&self) -> MatrixView {
        MatrixView::of_shape(&self.shape)
    }

    /// The nearest weight (in the layer's own order) that is block-circulant at `block` in its view, with
    /// the defining vectors on the Q15 grid: the Z-step's projection.
    pub fn project_q15(&self, weight: &[f32], block: usize) -> Vec<f32> {
        circulant_q15(&self.view(), weight, block)
    }

    pub fn block(&self) -> Option<usize> {
        match self.weight {
            Weight::Free(_) => None,
            Weight::Circulant { block, .. } => Some(block),
        }
    }

    /// The dense weight as the forward pass uses it; `quantized` puts it on the Q15 grid (straight-through).
    pub fn weight(&self, quantized: bool) -> Result<Tensor, AdmmError> {
        let dense = match &self.weight {
            Weight::Free(w) => maybe_quantized(w.as_tensor(), quantized)?,
            Weight::Circulant { vectors, expand, .. } => {
                let v = maybe_quantized(vectors.as_tensor(), quantized)?;
                v.flatten_all()?.index_select(expand, 0)?
            }
        };
        Ok(dense.reshape(self.shape.as_slice())?)
    }

    /// The current dense weight, row-major, without quantization (ADMM's W).
    pub fn dense_values(&self) -> Result<Vec<f32>, AdmmError> {
        Ok(self.weight(false)?.flatten_all()?.to_vec1()?)
    }

    /// From now on the layer is exactly block-circulant: its defining vectors start at the Euclidean
    /// projection of the current weight onto block-circulant Q15 matrices.
    pub fn harden(&mut self, block: usize) -> Result<(), AdmmError> {
        let view = self.view();
        let vectors = circulant_q15_vectors(&view, &self.dense_values()?, block).concat();
        let count = vectors.len() / block;
        let device = candle_core::Device::Cpu;
        let vectors = Var::from_tensor(&Tensor::from_vec(vectors, (count, block), &device)?)?;
        // Entry by entry of the weight in its own (ONNX) order, the vector value it repeats.
        let entries = self.shape.iter().product::<usize>();
        let index: Vec<u32> = (0..entries).map(|at| view.vector_entry(at, block) as u32).collect();
        let expand = Tensor::from_vec(index, entries, &device)?;
        self.weight = Weight::Circulant { vectors, expand, block };
        Ok(())
    }

    pub fn vars(&self) -> Vec<Var> {
        let weight = match &self.weight {
            Weight::Free(w) => w.clone(),
            Weight::Circulant { vectors, .. } => vectors.clone(),
        };
        vec![weight, self.bias.clone()]
    }

    /// The free weight, for the ADMM penalty (`None` once hardened).
    pub fn free(&self) -> Option<&Var> {
        match &self.weight {
            Weight::Free(w) => Some(w),
            Weight::Circulant { .. } => None,
        }
    }
}

fn maybe_quantized(t: &Tensor, quantized: bool) -> Result<Tensor, AdmmError> {
    if !quantized {
        return Ok(t.clone());
    }
    let max_abs = f64::from(t.abs()?.max_all()?.to_scalar::<f32>()?);
    let scale = 2f64.powi(frac_bits_for(max_abs));
    let on_grid =
        t.affine(scale, 0.0)?.round()?.clamp(f32::from(i16::MIN), f32::from(i16::MAX))?.affine(1.0 / scale, 0.0)?;
    // Forward: the grid values; backward: the identity (the rounding error is a constant).
    Ok((t + (on_grid - t)?.detach())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hardened convolution is block-circulant in its view (CirCNN's: at every kernel position), not in
    /// ONNX's channel-major columns, and hardening keeps the Z-step's projection of its weight.
    #[test]
    fn a_hardened_convolution_is_circulant_at_every_kernel_position() {
        let shape = vec![8, 4, 3, 1];
        let weight: Vec<f32> = (0..96).map(|i| ((i * 37 % 17) as f32 - 8.0) / 10.0).collect();
        let mut param = Param::new(0, shape.clone(), &weight, &[0.0; 8]).unwrap();
        let projected = param.project_q15(&weight, 4);
        param.harden(4).unwrap();
        let hardened = param.weight(false).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
        assert_eq!(hardened, projected);
        assert!(MatrixView::of_shape(&shape).is_circulant_at(&hardened, 4));
        assert!(!crate::rad::circulant::is_circulant_at(&hardened, 8, 12, 4));
    }
}
