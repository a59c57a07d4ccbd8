//! BatchNormalization in inference mode, as a per-channel affine layer (folded into the Conv/Gemm before it
//! by the graph passes).

use super::super::ImportError;
use super::super::context::{NodeContext, Value};
use crate::graph::{Affine, Op, Tensor};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let attrs = ctx.attrs();
    if attrs.int("training_mode", 0)? != 0 {
        return Err(ctx.unsupported("training_mode=1 is not supported; export the model in eval mode".into()));
    }
    if attrs.int("spatial", 1)? != 1 {
        return Err(ctx.unsupported("spatial=0 (per-element statistics) is not supported".into()));
    }
    let epsilon = attrs.float("epsilon", 1e-5)?;
    if shape.rank() < 2 {
        return Err(ctx.shape_error(format!("input {shape} has no channel axis")));
    }
    let channels = shape.dims()[1];
    let mut params = Vec::with_capacity(4);
    for (i, what) in [(1, "scale"), (2, "bias"), (3, "mean"), (4, "var")] {
        let t = ctx.const_input(i)?.to_f32();
        if t.len() != channels {
            return Err(ctx.shape_error(format!("{what} has {} values for {channels} channels", t.len())));
        }
        params.push(t);
    }
    let (scale, bias, mean, var) = (&params[0], &params[1], &params[2], &params[3]);
    let mul: Vec<f32> = scale.iter().zip(var).map(|(&s, &v)| s / (v + epsilon).sqrt()).collect();
    let add: Vec<f32> = bias.iter().zip(mean).zip(&mul).map(|((&b, &m), &k)| b - m * k).collect();
    // Per-channel tensors shaped C x 1 x ... so that they broadcast along the channel axis.
    let mut param_shape = vec![channels];
    param_shape.extend(std::iter::repeat_n(1, shape.rank() - 2));
    let affine = Affine { mul: Some(Tensor::new(param_shape.clone(), mul)), add: Some(Tensor::new(param_shape, add)) };
    let output = shape.0.clone();
    Ok(vec![ctx.push_layer(Op::Affine(affine), shape, output)])
}
