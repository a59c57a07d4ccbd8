//! Gemm `alpha * A' B' + beta * C` with A computed and B, C constant: a dense layer (A' = A^T through a
//! transpose layer when transA=1).

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use super::matmul::transpose_matrix;
use crate::graph::{Affine, Dense, Op, Shape, Tensor, values_along_axis};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let mut a = ctx.computed_input(0)?;
    let attrs = ctx.attrs();
    let (alpha, beta) = (attrs.float("alpha", 1.0)?, attrs.float("beta", 1.0)?);
    let (trans_a, trans_b) = (attrs.int("transA", 0)? != 0, attrs.int("transB", 0)? != 0);
    if a.rank() != 2 {
        return Err(ctx.shape_error(format!("A has shape {a}; Gemm needs a matrix")));
    }
    if trans_a {
        let transposed = vec![a.dims()[1], a.dims()[0]];
        ctx.push_layer(Op::Transpose { perm: vec![1, 0] }, a, transposed.clone());
        a = Shape(transposed);
    }
    let b = ctx.const_input(1)?;
    if b.shape.len() != 2 {
        return Err(ctx.shape_error(format!("B has shape {:?}; Gemm needs a matrix", b.shape)));
    }
    let b = b.to_tensor();
    // Dense weights are outputs x inputs, which is B itself when transB=1.
    let mut weight = if trans_b { b } else { transpose_matrix(&b) };
    weight.data.iter_mut().for_each(|w| *w *= alpha);
    let (m, k) = (a.dims()[0], a.dims()[1]);
    let n = weight.shape.dims()[0];
    if weight.shape.dims()[1] != k {
        return Err(ctx.shape_error(format!("A' is {m}x{k} but B' is {}x{n}", weight.shape.dims()[1])));
    }

    let c = if ctx.has_input(2) { Some(ctx.const_input(2)?.to_tensor()) } else { None };
    let c = c.map(|c| Tensor::new(c.shape.0.clone(), c.data.iter().map(|&v| v * beta).collect()));
    let output = vec![m, n];
    let per_output = match &c {
        None => Some(vec![0.0; n]),
        Some(c) => values_along_axis(c, &output, 1),
    };
    match (per_output, c) {
        (Some(bias), _) => Ok(vec![ctx.push_layer(Op::Dense(Dense { weight, bias }), a, output)]),
        (None, Some(c)) => {
            if crate::graph::broadcast_shapes(c.shape.dims(), &output).as_deref() != Some(output.as_slice()) {
                return Err(ctx.shape_error(format!("C {} does not broadcast to the output {m}x{n}", c.shape)));
            }
            ctx.push_layer(Op::Dense(Dense { weight, bias: vec![0.0; n] }), a, output.clone());
            let affine = Affine { mul: None, add: Some(c) };
            Ok(vec![ctx.push_layer(Op::Affine(affine), Shape(output.clone()), output)])
        }
        (None, None) => unreachable!("a missing C is always a per-output (zero) bias"),
    }
}
