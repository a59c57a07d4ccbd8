//! MatMul of a computed tensor by a constant matrix: a dense layer over the last axis.

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use crate::graph::{Dense, Op, Tensor};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let a = ctx.computed_input(0)?;
    let b = ctx.const_input(1)?;
    let Some(&k) = a.dims().last() else {
        return Err(ctx.shape_error("A is a scalar".into()));
    };
    // A vector B ([K]) yields one output that MatMul then drops; keep the axis as 1 and reshape.
    let (b_matrix, drop_last_axis) = match b.shape.as_slice() {
        [_, _] => (b.to_tensor(), false),
        [len] => (Tensor::new(vec![*len, 1], b.to_f32()), true),
        other => {
            return Err(
                ctx.unsupported(format!("B has shape {other:?}; only a constant matrix or vector is supported"))
            );
        }
    };
    if b_matrix.shape.dims()[0] != k {
        return Err(ctx.shape_error(format!(
            "A {a} has {k} columns but B {:?} has {} rows",
            b.shape,
            b_matrix.shape.dims()[0]
        )));
    }
    let weight = transpose_matrix(&b_matrix);
    let n = weight.shape.dims()[0];
    let mut output = a.0.clone();
    *output.last_mut().expect("rank checked above") = n;
    let dense = Dense { weight, bias: vec![0.0; n] };
    let value = ctx.push_layer(Op::Dense(dense), a, output.clone());
    if !drop_last_axis {
        return Ok(vec![value]);
    }
    let Value::Computed { shape, .. } = value else { unreachable!("push_layer returns a computed value") };
    output.pop();
    Ok(vec![ctx.push_layer(Op::Reshape, shape, output)])
}

/// The transpose of a row-major matrix.
pub fn transpose_matrix(m: &Tensor) -> Tensor {
    let (rows, cols) = (m.shape.dims()[0], m.shape.dims()[1]);
    let data = (0..cols).flat_map(|c| (0..rows).map(move |r| m.data[r * cols + c])).collect();
    Tensor::new(vec![cols, rows], data)
}
