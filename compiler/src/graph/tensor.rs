//! Dense f32 tensors: the weights and constants every stage after import works with.

use std::fmt;

/// A tensor shape, outermost axis first (ONNX order: N, C, H, W for images).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Shape(pub Vec<usize>);

impl Shape {
    pub fn rank(&self) -> usize {
        self.0.len()
    }

    /// Number of elements (1 for a scalar).
    pub fn elements(&self) -> usize {
        self.0.iter().product()
    }

    pub fn dims(&self) -> &[usize] {
        &self.0
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dims: Vec<String> = self.0.iter().map(|d| d.to_string()).collect();
        write!(f, "[{}]", dims.join("x"))
    }
}

/// A constant f32 tensor in row-major order.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    pub shape: Shape,
    pub data: Vec<f32>,
}

impl Tensor {
    /// Builds a tensor; the caller guarantees `data.len()` equals the shape's element count.
    pub fn new(shape: Vec<usize>, data: Vec<f32>) -> Self {
        debug_assert_eq!(shape.iter().product::<usize>(), data.len());
        Tensor { shape: Shape(shape), data }
    }

    pub fn scalar(value: f32) -> Self {
        Tensor::new(vec![], vec![value])
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The single value if every element is equal (a broadcast scalar), else `None`.
    pub fn uniform_value(&self) -> Option<f32> {
        let first = *self.data.first()?;
        self.data.iter().all(|&v| v == first).then_some(first)
    }
}

/// Numpy-style broadcast of two shapes, or `None` when they are incompatible.
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let rank = a.len().max(b.len());
    let mut out = vec![0; rank];
    for i in 0..rank {
        let da = if i + a.len() >= rank { a[i + a.len() - rank] } else { 1 };
        let db = if i + b.len() >= rank { b[i + b.len() - rank] } else { 1 };
        out[i] = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        };
    }
    Some(out)
}

/// Applies `f` element-wise to two tensors broadcast together, or `None` when the shapes do not broadcast.
pub fn broadcast_binary(a: &Tensor, b: &Tensor, f: impl Fn(f32, f32) -> f32) -> Option<Tensor> {
    let shape = broadcast_shapes(a.shape.dims(), b.shape.dims())?;
    let ia = broadcast_indices(a.shape.dims(), &shape);
    let ib = broadcast_indices(b.shape.dims(), &shape);
    let data = ia.iter().zip(&ib).map(|(&i, &j)| f(a.data[i], b.data[j])).collect();
    Some(Tensor::new(shape, data))
}

/// For every element of `target` (row-major), the index of the element of a tensor of shape `source` that
/// broadcasts onto it. `source` must broadcast to `target`.
pub fn broadcast_indices(source: &[usize], target: &[usize]) -> Vec<usize> {
    let offset = target.len() - source.len();
    // Strides of `source` aligned to `target`'s axes; 0 where the source axis is broadcast.
    let mut strides = vec![0; target.len()];
    let mut stride = 1;
    for (i, &dim) in source.iter().enumerate().rev() {
        strides[i + offset] = if dim == 1 { 0 } else { stride };
        stride *= dim;
    }
    let total: usize = target.iter().product();
    let mut out = Vec::with_capacity(total);
    let mut index = vec![0; target.len()];
    for _ in 0..total {
        out.push(index.iter().zip(&strides).map(|(i, s)| i * s).sum());
        for axis in (0..target.len()).rev() {
            index[axis] += 1;
            if index[axis] < target[axis] {
                break;
            }
            index[axis] = 0;
        }
    }
    out
}

/// If `t`, broadcast to `shape`, varies only along `axis`, its values along that axis.
pub fn values_along_axis(t: &Tensor, shape: &[usize], axis: usize) -> Option<Vec<f32>> {
    let dims = t.shape.dims();
    if dims.len() > shape.len() || broadcast_shapes(dims, shape)?.as_slice() != shape {
        return None;
    }
    let offset = shape.len() - dims.len();
    let varies_elsewhere = dims.iter().enumerate().any(|(i, &d)| i + offset != axis && d != 1);
    if varies_elsewhere {
        return None;
    }
    let n = shape[axis];
    match axis.checked_sub(offset).map(|i| dims[i]) {
        Some(d) if d == n => Some(t.data.clone()),
        _ => Some(vec![t.data[0]; n]),
    }
}

/// For each element of the transposed tensor (row-major), its flat index in the source.
pub fn permuted_indices(dims: &[usize], perm: &[usize]) -> Vec<usize> {
    let mut strides = vec![1; dims.len()];
    for i in (0..dims.len().saturating_sub(1)).rev() {
        strides[i] = strides[i + 1] * dims[i + 1];
    }
    let out_dims: Vec<usize> = perm.iter().map(|&a| dims[a]).collect();
    let total: usize = dims.iter().product();
    let mut index = vec![0; dims.len()];
    let mut out = Vec::with_capacity(total);
    for _ in 0..total {
        out.push(index.iter().zip(perm).map(|(&i, &a)| i * strides[a]).sum());
        for axis in (0..out_dims.len()).rev() {
            index[axis] += 1;
            if index[axis] < out_dims[axis] {
                break;
            }
            index[axis] = 0;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_follows_numpy_rules() {
        assert_eq!(broadcast_shapes(&[1, 6, 4, 4], &[6, 1, 1]), Some(vec![1, 6, 4, 4]));
        assert_eq!(broadcast_shapes(&[3, 4], &[]), Some(vec![3, 4]));
        assert_eq!(broadcast_shapes(&[3, 4], &[3]), None);
    }

    #[test]
    fn broadcast_binary_matches_manual_expansion() {
        let a = Tensor::new(vec![2, 3], vec![1., 2., 3., 4., 5., 6.]);
        let b = Tensor::new(vec![2, 1], vec![10., 20.]);
        let sum = broadcast_binary(&a, &b, |x, y| x + y).unwrap();
        assert_eq!(sum.data, vec![11., 12., 13., 24., 25., 26.]);
    }

    #[test]
    fn values_along_axis_detects_per_channel_tensors() {
        let per_channel = Tensor::new(vec![3, 1, 1], vec![1., 2., 3.]);
        assert_eq!(values_along_axis(&per_channel, &[1, 3, 4, 4], 1), Some(vec![1., 2., 3.]));
        assert_eq!(values_along_axis(&Tensor::scalar(2.), &[1, 3], 1), Some(vec![2.; 3]));
        let per_pixel = Tensor::new(vec![4], vec![1., 2., 3., 4.]);
        assert_eq!(values_along_axis(&per_pixel, &[1, 3, 4, 4], 1), None);
    }

    #[test]
    fn shape_displays_as_dims() {
        assert_eq!(Shape(vec![1, 1, 28, 28]).to_string(), "[1x1x28x28]");
    }
}
