//! Window geometry shared by Conv and the pooling ops: kernel, strides, dilations, explicit or automatic
//! padding, and the output extent ONNX defines for them.

use super::super::ImportError;
use super::super::context::NodeContext;

/// Resolved window attributes for `n` spatial axes.
pub struct Window {
    pub strides: Vec<usize>,
    pub dilations: Vec<usize>,
    /// Begin pads of every axis, then end pads.
    pub pads: Vec<usize>,
    pub output: Vec<usize>,
}

/// Reads strides, dilations, pads/auto_pad and ceil_mode and computes the output extent of each axis.
pub fn window(ctx: &NodeContext, input: &[usize], kernel: &[usize]) -> Result<Window, ImportError> {
    let attrs = ctx.attrs();
    let n = kernel.len();
    let positive = |name: &str| -> Result<Vec<usize>, ImportError> {
        match attrs.ints(name)? {
            None => Ok(vec![1; n]),
            Some(v) if v.len() == n && v.iter().all(|&x| x > 0) => Ok(v.iter().map(|&x| x as usize).collect()),
            Some(v) => Err(ctx.unsupported(format!("'{name}' {v:?} must hold {n} positive values"))),
        }
    };
    let strides = positive("strides")?;
    let dilations = positive("dilations")?;
    let ceil_mode = attrs.int("ceil_mode", 0)? != 0;
    let auto_pad = attrs.string("auto_pad", "NOTSET")?;
    if kernel.contains(&0) {
        return Err(ctx.shape_error(format!("kernel {kernel:?} has an empty axis")));
    }
    let too_large = || ctx.unsupported("window attributes are too large for the input".into());
    let spans: Vec<usize> = (0..n)
        .map(|axis| dilations[axis].checked_mul(kernel[axis] - 1).and_then(|s| s.checked_add(1)))
        .collect::<Option<_>>()
        .ok_or_else(too_large)?;

    let pads = match auto_pad.as_str() {
        "NOTSET" => match attrs.ints("pads")? {
            None => vec![0; 2 * n],
            Some(p) if p.len() == 2 * n && p.iter().all(|&x| x >= 0) => p.iter().map(|&x| x as usize).collect(),
            Some(p) => return Err(ctx.unsupported(format!("'pads' {p:?} must hold {} non-negative values", 2 * n))),
        },
        "VALID" => vec![0; 2 * n],
        "SAME_UPPER" | "SAME_LOWER" => {
            let mut pads = vec![0; 2 * n];
            for axis in 0..n {
                let out = input[axis].div_ceil(strides[axis]);
                let needed = (out - 1)
                    .checked_mul(strides[axis])
                    .and_then(|v| v.checked_add(spans[axis]))
                    .ok_or_else(too_large)?;
                let total = needed.saturating_sub(input[axis]);
                let small = total / 2;
                let (begin, end) =
                    if auto_pad == "SAME_UPPER" { (small, total - small) } else { (total - small, small) };
                pads[axis] = begin;
                pads[axis + n] = end;
            }
            pads
        }
        other => {
            return Err(
                ctx.unsupported(format!("auto_pad '{other}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER"))
            );
        }
    };

    let mut output = Vec::with_capacity(n);
    for axis in 0..n {
        let padded =
            input[axis].checked_add(pads[axis]).and_then(|v| v.checked_add(pads[axis + n])).ok_or_else(too_large)?;
        if padded < spans[axis] {
            return Err(ctx.shape_error(format!(
                "window of extent {} does not fit axis {axis} of extent {} (with padding {padded})",
                spans[axis], input[axis]
            )));
        }
        let steps = padded - spans[axis];
        let mut out = if ceil_mode { steps.div_ceil(strides[axis]) } else { steps / strides[axis] } + 1;
        // As PyTorch and the ONNX reference do: in ceil mode the last window must start inside the input or
        // its begin padding.
        if ceil_mode && (out - 1).saturating_mul(strides[axis]) >= input[axis].saturating_add(pads[axis]) {
            out -= 1;
        }
        output.push(out);
    }
    if output.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)).is_none() {
        return Err(too_large());
    }
    Ok(Window { strides, dilations, pads, output })
}

/// The kernel extent from `kernel_shape` (pooling requires it).
pub fn kernel_shape(ctx: &NodeContext, spatial_axes: usize) -> Result<Vec<usize>, ImportError> {
    match ctx.attrs().ints("kernel_shape")? {
        Some(k) if k.len() == spatial_axes && k.iter().all(|&x| x > 0) => Ok(k.iter().map(|&x| x as usize).collect()),
        Some(k) => Err(ctx.unsupported(format!("'kernel_shape' {k:?} must hold {spatial_axes} positive values"))),
        None => Err(ctx.unsupported("'kernel_shape' is required".into())),
    }
}

/// Checks the input is `N x C x spatial...` with one or two spatial axes and returns the spatial extents.
pub fn spatial_input<'s>(ctx: &NodeContext, shape: &'s [usize]) -> Result<&'s [usize], ImportError> {
    match shape.len() {
        3 | 4 => Ok(&shape[2..]),
        rank => Err(ctx.unsupported(format!(
            "input of rank {rank} ({shape:?}); 1-D (N x C x L) and 2-D (N x C x H x W) inputs are supported"
        ))),
    }
}

/// A pooling layer over the node's window attributes (dilated pooling is refused).
pub fn pool_layer(
    ctx: &mut NodeContext,
    count_include_pad: bool,
    make: fn(crate::graph::Pool) -> crate::graph::Op,
) -> Result<Vec<super::super::context::Value>, ImportError> {
    let shape = ctx.computed_input(0)?;
    let spatial = spatial_input(ctx, shape.dims())?;
    let kernel = kernel_shape(ctx, spatial.len())?;
    let window = window(ctx, spatial, &kernel)?;
    if window.dilations.iter().any(|&d| d != 1) {
        return Err(ctx.unsupported(format!("dilations {:?} are not supported for pooling", window.dilations)));
    }
    let mut output = shape.dims()[..2].to_vec();
    output.extend(&window.output);
    let pool = crate::graph::Pool { kernel, strides: window.strides, pads: window.pads, count_include_pad };
    Ok(vec![ctx.push_layer(make(pool), shape, output)])
}
