//! Constant tensors as the importer sees them: f32 weights, or i64 shapes and indices.
//!
//! Shape arithmetic (`Shape -> Gather -> Concat -> Reshape`) runs on these at import time, so that later
//! stages only ever see constant shapes.

use crate::graph::{Tensor, broadcast_indices, broadcast_shapes};

#[derive(Clone, Debug, PartialEq)]
pub enum ConstData {
    F32(Vec<f32>),
    I64(Vec<i64>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConstTensor {
    pub shape: Vec<usize>,
    pub data: ConstData,
}

impl ConstTensor {
    pub fn f32(shape: Vec<usize>, data: Vec<f32>) -> Self {
        ConstTensor { shape, data: ConstData::F32(data) }
    }

    pub fn i64(shape: Vec<usize>, data: Vec<i64>) -> Self {
        ConstTensor { shape, data: ConstData::I64(data) }
    }

    pub fn len(&self) -> usize {
        match &self.data {
            ConstData::F32(v) => v.len(),
            ConstData::I64(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values as f32 (integers converted).
    pub fn to_f32(&self) -> Vec<f32> {
        match &self.data {
            ConstData::F32(v) => v.clone(),
            ConstData::I64(v) => v.iter().map(|&x| x as f32).collect(),
        }
    }

    /// The values as i64, when they are integers (floats are accepted only when integral).
    pub fn to_i64(&self) -> Option<Vec<i64>> {
        match &self.data {
            ConstData::I64(v) => Some(v.clone()),
            ConstData::F32(v) => v.iter().map(|&x| (x.fract() == 0.0).then_some(x as i64)).collect(),
        }
    }

    pub fn to_tensor(&self) -> Tensor {
        Tensor::new(self.shape.clone(), self.to_f32())
    }

    /// Same data, another shape (the caller checked the element count).
    pub fn reshaped(&self, shape: Vec<usize>) -> Self {
        ConstTensor { shape, data: self.data.clone() }
    }

    /// Picks elements by flat index (for gather and transpose).
    pub fn select(&self, shape: Vec<usize>, indices: &[usize]) -> Self {
        let data = match &self.data {
            ConstData::F32(v) => ConstData::F32(indices.iter().map(|&i| v[i]).collect()),
            ConstData::I64(v) => ConstData::I64(indices.iter().map(|&i| v[i]).collect()),
        };
        ConstTensor { shape, data }
    }

    /// Element-wise arithmetic with broadcasting; integers stay integers when both sides are integers.
    pub fn binary(&self, other: &Self, op: BinaryOp) -> Option<Self> {
        let shape = broadcast_shapes(&self.shape, &other.shape)?;
        let ia = broadcast_indices(&self.shape, &shape);
        let ib = broadcast_indices(&other.shape, &shape);
        let data = match (&self.data, &other.data) {
            (ConstData::I64(a), ConstData::I64(b)) => {
                let values: Option<Vec<i64>> = ia.iter().zip(&ib).map(|(&i, &j)| op.apply_i64(a[i], b[j])).collect();
                ConstData::I64(values?)
            }
            _ => {
                let (a, b) = (self.to_f32(), other.to_f32());
                ConstData::F32(ia.iter().zip(&ib).map(|(&i, &j)| op.apply_f32(a[i], b[j])).collect())
            }
        };
        Some(ConstTensor { shape, data })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    fn apply_f32(self, a: f32, b: f32) -> f32 {
        match self {
            BinaryOp::Add => a + b,
            BinaryOp::Sub => a - b,
            BinaryOp::Mul => a * b,
            BinaryOp::Div => a / b,
        }
    }

    /// Integer arithmetic as ONNX defines it (division truncates); `None` on overflow or division by zero.
    fn apply_i64(self, a: i64, b: i64) -> Option<i64> {
        match self {
            BinaryOp::Add => a.checked_add(b),
            BinaryOp::Sub => a.checked_sub(b),
            BinaryOp::Mul => a.checked_mul(b),
            BinaryOp::Div => a.checked_div(b),
        }
    }
}
