//! Add, Sub, Mul, Div: folded when both sides are constants; an affine layer when one side is computed
//! (later passes fold it into the bias or scale of the layer before it); an Add of two computed tensors of
//! one shape (a residual connection) is an [`Op::Add`] layer, and a Sub one of the first and the negated
//! second; a Mul of two computed tensors (a gate) is an [`Op::Mul`] layer.

use super::super::ImportError;
use super::super::constant::{BinaryOp, ConstData, ConstTensor};
use super::super::context::{NodeContext, Value};
use crate::graph::{Activation, Affine, Mul, Op, Shape, Tensor, broadcast_shapes};

pub fn add(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    binary(ctx, BinaryOp::Add)
}

pub fn sub(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    binary(ctx, BinaryOp::Sub)
}

pub fn mul(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    binary(ctx, BinaryOp::Mul)
}

pub fn div(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    binary(ctx, BinaryOp::Div)
}

/// `-x`: an affine layer of scale -1 (tf2onnx writes Keras's PReLU as `relu(x) - alpha * relu(-x)`).
pub fn neg(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    if let Value::Const(c) = ctx.input(0)? {
        let zero = match c.data {
            ConstData::I64(_) => ConstTensor::i64(vec![], vec![0]),
            _ => ConstTensor::f32(vec![], vec![0.0]),
        };
        let folded = zero.binary(c, BinaryOp::Sub);
        return Ok(vec![Value::Const(folded.ok_or_else(|| ctx.shape_error("cannot negate this constant".into()))?)]);
    }
    let shape = ctx.computed_input(0)?;
    let output = shape.0.clone();
    Ok(vec![ctx.push_layer(Op::Affine(Affine::negation()), shape, output)])
}

fn binary(ctx: &mut NodeContext, op: BinaryOp) -> Result<Vec<Value>, ImportError> {
    match (ctx.input(0)?, ctx.input(1)?) {
        (Value::Const(a), Value::Const(b)) => {
            let folded = a.binary(b, op).ok_or_else(|| {
                ctx.shape_error(format!(
                    "constant shapes {:?} and {:?} do not broadcast (or integer overflow)",
                    a.shape, b.shape
                ))
            })?;
            Ok(vec![Value::Const(folded)])
        }
        (Value::Computed { .. }, Value::Const(c)) => {
            let shape = ctx.computed_input(0)?;
            affine(ctx, op, shape.0.clone(), c, false).map(|layer| vec![layer])
        }
        (Value::Const(c), Value::Computed { .. }) => {
            let shape = ctx.computed_input(1)?;
            affine(ctx, op, shape.0.clone(), c, true).map(|layer| vec![layer])
        }
        (Value::Computed { shape: a, .. }, Value::Computed { shape: b, .. })
            if matches!(op, BinaryOp::Add | BinaryOp::Sub) =>
        {
            if a != b {
                return Err(ctx.unsupported(format!(
                    "{op:?} of two computed tensors of shapes {a} and {b}; acec adds and subtracts computed \
                     tensors of one shape (a residual connection), not broadcast ones"
                )));
            }
            let shape = a.clone();
            let (left, mut right) = (ctx.computed_tensor(0)?, ctx.computed_tensor(1)?);
            if op == BinaryOp::Sub {
                // a - b is a + (-1) b: the negation is an affine layer, which the passes fold into b's
                // producer when nothing else reads it, and which is a channel-affine step otherwise.
                let negate = Op::Affine(Affine::negation());
                let Value::Computed { tensor, .. } =
                    ctx.push_layer_reading(vec![right], negate, shape.clone(), shape.0.clone())
                else {
                    unreachable!("a layer's output is computed")
                };
                right = tensor;
            }
            Ok(vec![ctx.push_layer_reading(vec![left, right], Op::Add, shape.clone(), shape.0)])
        }
        (Value::Computed { shape, .. }, Value::Computed { .. })
            if op == BinaryOp::Mul && hard_swish_of(ctx).is_some() =>
        {
            let (shape, input) = (shape.clone(), hard_swish_of(ctx).unwrap_or_default());
            Ok(vec![ctx.push_layer_reading(vec![input], Op::Activation(Activation::HardSwish), shape.clone(), shape.0)])
        }
        (Value::Computed { shape: a, .. }, Value::Computed { shape: b, .. }) if op == BinaryOp::Mul => {
            let (a, b) = (a.clone(), b.clone());
            gated(ctx, &a, &b)
        }
        (Value::Computed { .. }, Value::Computed { .. }) => Err(ctx.unsupported(format!(
            "{op:?} of two computed tensors has no kernel; acec adds, subtracts and multiplies two computed \
             tensors, and divides only by constants (a divisor the model computes has no fixed-point kernel)"
        ))),
    }
}

/// A Mul of two computed tensors: the operand of the output's shape first, the other (the gate) broadcast
/// to it. Refused when neither operand has the output's shape, or when the gate's broadcast is not one
/// value per element, per channel or for the whole tensor.
fn gated(ctx: &mut NodeContext, a: &Shape, b: &Shape) -> Result<Vec<Value>, ImportError> {
    let output = broadcast_shapes(a.dims(), b.dims())
        .ok_or_else(|| ctx.shape_error(format!("shapes {a} and {b} do not broadcast")))?;
    let (first, second, shape, gate) = if a.dims() == output.as_slice() { (0, 1, a, b) } else { (1, 0, b, a) };
    if shape.dims() != output.as_slice() || Mul::plane(gate.dims(), &output).is_none() {
        return Err(ctx.unsupported(format!(
            "Mul of computed tensors of shapes {a} and {b}; acec multiplies a computed tensor by one of its \
             own shape, by one value per channel (a squeeze-excite gate, [1, C, 1, 1]) or by one value"
        )));
    }
    let inputs = vec![ctx.computed_tensor(first)?, ctx.computed_tensor(second)?];
    let mul = Op::Mul(Mul { gate: gate.clone() });
    Ok(vec![ctx.push_layer_reading(inputs, mul, shape.clone(), output)])
}

/// The tensor `x` when this Mul computes `x * HardSigmoid(x)` with alpha 1/6 and beta 1/2: HardSwish, as
/// PyTorch exports `nn.Hardswish` (and acec exports it: opset 13 has no HardSwish node). The HardSigmoid
/// layer then has no other reader and is dropped with the layers the output does not need.
fn hard_swish_of(ctx: &NodeContext) -> Option<String> {
    let (a, b) = (ctx.computed_tensor(0).ok()?, ctx.computed_tensor(1).ok()?);
    [(&a, &b), (&b, &a)].into_iter().find_map(|(x, gate)| {
        let layer = ctx.producer(gate)?;
        let Op::Activation(Activation::HardSigmoid { alpha, beta }) = layer.op else { return None };
        let is_gate = (alpha - 1.0 / 6.0).abs() < 1e-6 && (beta - 0.5).abs() < 1e-6 && layer.inputs == [x.clone()];
        is_gate.then(|| x.clone())
    })
}

/// `x op c` (or `c op x` when `constant_first`) as `x * mul + add`.
fn affine(
    ctx: &mut NodeContext,
    op: BinaryOp,
    shape: Vec<usize>,
    c: &ConstTensor,
    constant_first: bool,
) -> Result<Value, ImportError> {
    let output = broadcast_shapes(&shape, &c.shape)
        .ok_or_else(|| ctx.shape_error(format!("shapes {shape:?} and {:?} do not broadcast", c.shape)))?;
    let t = c.to_tensor();
    let map = |f: fn(f32) -> f32| Tensor::new(t.shape.0.clone(), t.data.iter().map(|&v| f(v)).collect());
    let affine = match (op, constant_first) {
        (BinaryOp::Add, _) => Affine { mul: None, add: Some(t.clone()) },
        (BinaryOp::Mul, _) => Affine { mul: Some(t.clone()), add: None },
        (BinaryOp::Sub, false) => Affine { mul: None, add: Some(map(|v| -v)) },
        (BinaryOp::Sub, true) => Affine { mul: Some(Tensor::scalar(-1.0)), add: Some(t.clone()) },
        (BinaryOp::Div, false) => Affine { mul: Some(map(|v| 1.0 / v)), add: None },
        (BinaryOp::Div, true) => {
            return Err(ctx.unsupported("dividing a constant by a computed tensor is not supported".into()));
        }
    };
    let input_shape = crate::graph::Shape(shape);
    Ok(ctx.push_layer(Op::Affine(affine), input_shape, output))
}
