//! Concat of constants (the `Shape -> Gather -> Concat` chains PyTorch emits for flatten), folded; of
//! computed tensors (branches joined along channels), an [`Op::Concat`] layer.

use super::super::ImportError;
use super::super::constant::{ConstData, ConstTensor};
use super::super::context::{NodeContext, Value};
use crate::graph::{Op, Shape};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let count = ctx.node.input.len();
    let computed = (0..count).filter(|&i| matches!(ctx.input(i), Ok(Value::Computed { .. }))).count();
    if computed == count && count > 0 {
        return concat_computed(ctx, count);
    }
    if computed > 0 {
        return Err(ctx.unsupported(
            "joins computed tensors with constants; acec concatenates computed tensors only (or folds constants)"
                .into(),
        ));
    }
    let parts: Vec<&ConstTensor> = (0..count).map(|i| ctx.const_input(i)).collect::<Result<_, _>>()?;
    let Some(first) = parts.first() else {
        return Err(ctx.shape_error("Concat has no inputs".into()));
    };
    let rank = first.shape.len();
    let axis = ctx.axis(ctx.attrs().int("axis", 0)?, rank)?;
    for part in &parts {
        let same_except_axis = part.shape.len() == rank
            && part.shape.iter().zip(&first.shape).enumerate().all(|(i, (a, b))| i == axis || a == b);
        if !same_except_axis {
            return Err(
                ctx.shape_error(format!("cannot concatenate {:?} and {:?} on axis {axis}", first.shape, part.shape))
            );
        }
    }
    let outer: usize = first.shape[..axis].iter().product();
    let inner: usize = first.shape[axis + 1..].iter().product();
    let mut shape = first.shape.clone();
    shape[axis] = parts.iter().map(|p| p.shape[axis]).sum();
    let all_int = parts.iter().all(|p| matches!(p.data, ConstData::I64(_)));
    let result = if all_int {
        let data = interleave(&parts, outer, inner, axis, |p| p.to_i64().unwrap_or_default());
        ConstTensor::i64(shape, data)
    } else {
        ConstTensor::f32(shape, interleave(&parts, outer, inner, axis, ConstTensor::to_f32))
    };
    Ok(vec![Value::Const(result)])
}

fn interleave<T: Copy>(
    parts: &[&ConstTensor],
    outer: usize,
    inner: usize,
    axis: usize,
    values: impl Fn(&ConstTensor) -> Vec<T>,
) -> Vec<T> {
    let data: Vec<Vec<T>> = parts.iter().map(|p| values(p)).collect();
    let mut out = Vec::new();
    for o in 0..outer {
        for (part, d) in parts.iter().zip(&data) {
            let chunk = part.shape[axis] * inner;
            out.extend_from_slice(&d[o * chunk..(o + 1) * chunk]);
        }
    }
    out
}

/// Computed tensors of one rank that agree on every axis but `axis`.
fn concat_computed(ctx: &mut NodeContext, count: usize) -> Result<Vec<Value>, ImportError> {
    let shapes: Vec<Shape> = (0..count).map(|i| ctx.computed_input(i)).collect::<Result<_, _>>()?;
    let first = shapes[0].dims().to_vec();
    let axis = ctx.axis(ctx.attrs().int("axis", 0)?, first.len())?;
    for shape in &shapes {
        let dims = shape.dims();
        let same_except_axis =
            dims.len() == first.len() && dims.iter().zip(&first).enumerate().all(|(i, (a, b))| i == axis || a == b);
        if !same_except_axis {
            return Err(ctx.shape_error(format!("cannot concatenate {} and {shape} on axis {axis}", shapes[0])));
        }
    }
    let mut output = first;
    output[axis] = shapes.iter().map(|s| s.dims()[axis]).sum();
    let inputs = (0..count).map(|i| ctx.computed_tensor(i)).collect::<Result<_, _>>()?;
    Ok(vec![ctx.push_layer_reading(inputs, Op::Concat { axis }, shapes[0].clone(), output)])
}
