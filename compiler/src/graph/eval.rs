//! A float interpreter of the layer graph (f64 accumulation), so that every import pass can be checked
//! against onnxruntime's outputs and quantization can measure activation ranges.

use super::{Affine, Conv, Graph, Layer, Op, Pool, SoftmaxAxis, broadcast_indices, permuted_indices};

/// Runs the graph on one input and returns every layer's output, in order (the last is the model output).
/// The caller guarantees `input.len()` equals the graph's input element count.
pub fn run_layers(graph: &Graph, input: &[f32]) -> Vec<Vec<f32>> {
    let mut outputs: Vec<Vec<f32>> = Vec::with_capacity(graph.layers.len());
    for (index, layer) in graph.layers.iter().enumerate() {
        let inputs: Vec<&[f32]> = layer
            .inputs
            .iter()
            .map(|t| graph.producer(t).filter(|&p| p < index).map_or(input, |p| outputs[p].as_slice()))
            .collect();
        let output = run_layer(layer, &inputs);
        outputs.push(output);
    }
    outputs
}

/// Runs the graph and returns the model output.
pub fn run(graph: &Graph, input: &[f32]) -> Vec<f32> {
    run_layers(graph, input).pop().unwrap_or_else(|| input.to_vec())
}

/// Runs one layer on its inputs, in operand order.
pub fn run_layer(layer: &Layer, inputs: &[&[f32]]) -> Vec<f32> {
    let x = inputs[0];
    let in_dims = layer.input_shape.dims();
    let out_dims = layer.output_shape.dims();
    match &layer.op {
        Op::Dense(d) => {
            let (n_in, n_out) = (d.inputs(), d.outputs());
            let rows = x.len() / n_in;
            let mut y = Vec::with_capacity(rows * n_out);
            for r in 0..rows {
                let row = &x[r * n_in..(r + 1) * n_in];
                for o in 0..n_out {
                    let w = &d.weight.data[o * n_in..(o + 1) * n_in];
                    let dot: f64 = w.iter().zip(row).map(|(&a, &b)| f64::from(a) * f64::from(b)).sum();
                    y.push((dot + f64::from(d.bias[o])) as f32);
                }
            }
            y
        }
        Op::Conv(c) => conv(c, x, in_dims, out_dims),
        Op::MaxPool(p) => pool(p, x, in_dims, out_dims, true),
        Op::AvgPool(p) => pool(p, x, in_dims, out_dims, false),
        Op::GlobalAvgPool => {
            let channels = in_dims[0] * in_dims[1];
            let area = x.len() / channels;
            (0..channels)
                .map(|c| (x[c * area..(c + 1) * area].iter().map(|&v| f64::from(v)).sum::<f64>() / area as f64) as f32)
                .collect()
        }
        Op::Concat { axis } => concat(inputs, out_dims, *axis),
        Op::Mul(m) => m.apply(x, inputs[1], out_dims),
        Op::Add => x.iter().zip(inputs[1]).map(|(&a, &b)| (f64::from(a) + f64::from(b)) as f32).collect(),
        Op::Activation(a) => x.iter().map(|&v| a.apply(f64::from(v)) as f32).collect(),
        Op::Affine(a) => affine(a, x, in_dims, out_dims),
        Op::Reshape => x.to_vec(),
        Op::Pad(p) => p.apply(x, in_dims),
        Op::PRelu(p) => p.apply(x, in_dims),
        Op::Transpose { perm } => permuted_indices(in_dims, perm).iter().map(|&i| x[i]).collect(),
        Op::Softmax(axis) => softmax(x, in_dims, axis, false),
        Op::LogSoftmax(axis) => softmax(x, in_dims, axis, true),
        // Only `inspect` sees refused layers: the import every evaluating command uses rejects them.
        Op::Refused(r) => unreachable!("refused layer '{}' ({}) evaluated", layer.name, r.op_type),
    }
}

fn affine(a: &Affine, x: &[f32], in_dims: &[usize], out_dims: &[usize]) -> Vec<f32> {
    // The input may broadcast up to the output shape (e.g. `x + c` with a larger constant).
    let total: usize = out_dims.iter().product();
    let xs: Vec<f32> = broadcast_indices(in_dims, out_dims).iter().map(|&i| x[i]).collect();
    let mul = a.mul.as_ref().map(|m| broadcast_indices(m.shape.dims(), out_dims));
    let add = a.add.as_ref().map(|t| broadcast_indices(t.shape.dims(), out_dims));
    (0..total)
        .map(|i| {
            let scaled = match (&a.mul, &mul) {
                (Some(m), Some(idx)) => xs[i] * m.data[idx[i]],
                _ => xs[i],
            };
            match (&a.add, &add) {
                (Some(t), Some(idx)) => scaled + t.data[idx[i]],
                _ => scaled,
            }
        })
        .collect()
}

fn conv(c: &Conv, x: &[f32], in_dims: &[usize], out_dims: &[usize]) -> Vec<f32> {
    // 1-D convolutions run as 2-D ones with height 1.
    let (ih, iw, oh, ow) = spatial_2d(in_dims, out_dims);
    let kernel = c.kernel();
    let (kh, kw) = if kernel.len() == 2 { (kernel[0], kernel[1]) } else { (1, kernel[0]) };
    let two = |v: &[usize], begin: bool| -> (usize, usize) {
        let n = kernel.len();
        match (n, begin) {
            (2, true) => (v[0], v[1]),
            (2, false) => (v[2], v[3]),
            (_, true) => (0, v[0]),
            (_, false) => (0, v[1]),
        }
    };
    let (sh, sw) = if kernel.len() == 2 { (c.strides[0], c.strides[1]) } else { (1, c.strides[0]) };
    let (dh, dw) = if kernel.len() == 2 { (c.dilations[0], c.dilations[1]) } else { (1, c.dilations[0]) };
    let (ph, pw) = two(&c.pads, true);
    let (cin, cout) = (in_dims[1] / c.group, out_dims[1]);
    let mut y = vec![0f32; cout * oh * ow];
    for o in 0..cout {
        // The input channels of this output channel's group.
        let first = o / (cout / c.group) * cin;
        for oy in 0..oh {
            for ox in 0..ow {
                let mut acc = f64::from(c.bias[o]);
                for i in 0..cin {
                    for ky in 0..kh {
                        let iy = (oy * sh + ky * dh) as isize - ph as isize;
                        if iy < 0 || iy >= ih as isize {
                            continue;
                        }
                        for kx in 0..kw {
                            let ix = (ox * sw + kx * dw) as isize - pw as isize;
                            if ix < 0 || ix >= iw as isize {
                                continue;
                            }
                            let w = c.weight.data[((o * cin + i) * kh + ky) * kw + kx];
                            acc += f64::from(w) * f64::from(x[((first + i) * ih + iy as usize) * iw + ix as usize]);
                        }
                    }
                }
                y[(o * oh + oy) * ow + ox] = acc as f32;
            }
        }
    }
    y
}

/// The inputs joined along `axis`: for each index of the axes before it, each input's slab in turn.
fn concat(inputs: &[&[f32]], out_dims: &[usize], axis: usize) -> Vec<f32> {
    let outer: usize = out_dims[..axis].iter().product();
    let mut y = Vec::with_capacity(out_dims.iter().product());
    for o in 0..outer {
        for x in inputs {
            let slab = x.len() / outer.max(1);
            y.extend_from_slice(&x[o * slab..(o + 1) * slab]);
        }
    }
    y
}

/// `(in_h, in_w, out_h, out_w)` for `N x C x H x W` or `N x C x L` (as height 1).
fn spatial_2d(in_dims: &[usize], out_dims: &[usize]) -> (usize, usize, usize, usize) {
    if in_dims.len() == 4 {
        (in_dims[2], in_dims[3], out_dims[2], out_dims[3])
    } else {
        (1, in_dims[2], 1, out_dims[2])
    }
}

fn pool(p: &Pool, x: &[f32], in_dims: &[usize], out_dims: &[usize], max: bool) -> Vec<f32> {
    let (ih, iw, oh, ow) = spatial_2d(in_dims, out_dims);
    let two_d = p.kernel.len() == 2;
    let (kh, kw) = if two_d { (p.kernel[0], p.kernel[1]) } else { (1, p.kernel[0]) };
    let (sh, sw) = if two_d { (p.strides[0], p.strides[1]) } else { (1, p.strides[0]) };
    let (ph, pw, peh, pew) =
        if two_d { (p.pads[0], p.pads[1], p.pads[2], p.pads[3]) } else { (0, p.pads[0], 0, p.pads[1]) };
    let channels = in_dims[0] * in_dims[1];
    let mut y = Vec::with_capacity(channels * oh * ow);
    for c in 0..channels {
        let plane = &x[c * ih * iw..(c + 1) * ih * iw];
        for oy in 0..oh {
            for ox in 0..ow {
                let y0 = (oy * sh) as isize - ph as isize;
                let x0 = (ox * sw) as isize - pw as isize;
                let (mut best, mut sum, mut count, mut padded_count) = (f32::NEG_INFINITY, 0f64, 0usize, 0usize);
                for ky in 0..kh as isize {
                    for kx in 0..kw as isize {
                        let (yy, xx) = (y0 + ky, x0 + kx);
                        // Cells inside the padded extent count for count_include_pad; cells past it never do.
                        if yy < (ih + peh) as isize && xx < (iw + pew) as isize {
                            padded_count += 1;
                        }
                        if yy < 0 || xx < 0 || yy >= ih as isize || xx >= iw as isize {
                            continue;
                        }
                        let v = plane[yy as usize * iw + xx as usize];
                        best = best.max(v);
                        sum += f64::from(v);
                        count += 1;
                    }
                }
                let divisor = if p.count_include_pad { padded_count } else { count };
                y.push(if max { best } else { (sum / divisor.max(1) as f64) as f32 });
            }
        }
    }
    y
}

fn softmax(x: &[f32], dims: &[usize], axis: &SoftmaxAxis, log: bool) -> Vec<f32> {
    // Normalise over `axis` alone, or (legacy) over every axis from it on; `inner` is the stride of `axis`.
    let (length, inner) = if axis.flatten_from_axis {
        (dims[axis.axis..].iter().product::<usize>(), 1)
    } else {
        (dims[axis.axis], dims[axis.axis + 1..].iter().product::<usize>())
    };
    let outer = x.len() / (length * inner);
    let mut y = vec![0f32; x.len()];
    for o in 0..outer {
        for i in 0..inner {
            let at = |k: usize| o * length * inner + k * inner + i;
            let peak = (0..length).map(|k| x[at(k)]).fold(f32::NEG_INFINITY, f32::max);
            let total: f64 = (0..length).map(|k| f64::from(x[at(k)] - peak).exp()).sum();
            for k in 0..length {
                let shifted = f64::from(x[at(k)] - peak);
                y[at(k)] = if log { (shifted - total.ln()) as f32 } else { (shifted.exp() / total) as f32 };
            }
        }
    }
    y
}
