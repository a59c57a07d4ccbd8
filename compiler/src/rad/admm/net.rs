//! The layer graph as a trainable candle network: one step per layer, with the Dense and Conv weights as
//! [`Param`]s. Pooling gathers its windows with `index_select` and reduces with `max`/`mean`, which
//! candle differentiates for any window and stride (its own `max_pool2d` has no gradient when the stride
//! differs from the window). A final Softmax/LogSoftmax is left out: training reads the logits before it.

use candle_core::{Device, Tensor};

use super::AdmmError;
use super::param::Param;
use crate::graph::{Activation, Graph, Layer, Op, PRelu, Pool, Tensor as GraphTensor};

enum Step {
    Dense(usize),
    Conv {
        param: usize,
        spatial: usize,
        pads: Vec<usize>,
        stride: usize,
        dilation: usize,
        /// Channel groups (a depthwise convolution has as many as channels).
        groups: usize,
    },
    Pool {
        index: Tensor,
        window: usize,
        max: bool,
    },
    GlobalAvgPool,
    /// The sum of the step's two inputs.
    Add,
    /// The product of the step's two inputs, the second broadcast to the first.
    Mul,
    /// The step's inputs joined along `axis`.
    Concat(usize),
    Act(Activation),
    /// Per-channel slopes below zero, shaped to broadcast over the channel axis.
    PRelu(Tensor),
    Affine {
        mul: Option<Tensor>,
        add: Option<Tensor>,
    },
    Reshape,
    Transpose(Vec<usize>),
    Softmax {
        axis: usize,
        log: bool,
    },
    /// The model's final softmax: monotonic, so the logits before it train and classify the same.
    Skip,
}

/// One step: what it computes, its output shape without the batch axis, and the steps whose outputs it
/// reads, in operand order (`None`: the model input).
struct Node {
    step: Step,
    shape: Vec<usize>,
    inputs: Vec<Option<usize>>,
}

pub struct Net {
    steps: Vec<Node>,
    pub params: Vec<Param>,
    /// One sample's shape (the model input without its batch axis).
    pub sample_shape: Vec<usize>,
    pub classes: usize,
}

impl Net {
    pub fn from_graph(graph: &Graph) -> Result<Net, AdmmError> {
        if graph.input_shape.dims().first() != Some(&1) {
            return Err(AdmmError::Unsupported {
                layer: graph.input_name.clone(),
                op: "input".into(),
                detail: format!("batch axis of size 1 expected, the input shape is {}", graph.input_shape),
            });
        }
        let mut params = Vec::new();
        let mut steps = Vec::new();
        for (index, layer) in graph.layers.iter().enumerate() {
            let last = index + 1 == graph.layers.len();
            let step = step_for(graph, index, last, &mut params)?;
            // Every tensor keeps the graph's shape, with the batch axis free.
            let shape = layer.output_shape.dims()[1..].to_vec();
            let inputs = graph.layers[index].inputs.iter().map(|t| graph.producer(t)).collect();
            steps.push(Node { step, shape, inputs });
        }
        let sample_shape = graph.input_shape.dims()[1..].to_vec();
        let classes = graph.output_shape().elements();
        Ok(Net { steps, params, sample_shape, classes })
    }

    /// Logits, `batch x classes`, for `x` of shape `batch x sample_shape`; `quantized` runs every weight on
    /// its Q15 grid (straight-through for training).
    pub fn forward(&self, x: &Tensor, quantized: bool) -> Result<Tensor, AdmmError> {
        let batch = x.dim(0)?;
        let input = x.clone();
        let mut outputs: Vec<Tensor> = Vec::with_capacity(self.steps.len());
        for Node { step, shape: out_shape, inputs } in &self.steps {
            let mut shape = vec![batch];
            shape.extend(out_shape);
            let xs: Vec<Tensor> = inputs.iter().map(|from| from.map_or(&input, |i| &outputs[i]).clone()).collect();
            let x = xs.first().unwrap_or(&input).clone();
            let y = match step {
                Step::Add => xs.iter().skip(1).try_fold(x, |sum, other| sum + other)?,
                Step::Mul => x.broadcast_mul(&xs[1])?,
                Step::Concat(axis) => Tensor::cat(&xs, *axis)?,
                Step::Dense(p) => {
                    let param = &self.params[*p];
                    let rows = x.reshape(((), param.rows_cols().1))?;
                    let y = rows.matmul(&param.weight(quantized)?.t()?)?;
                    y.broadcast_add(param.bias.as_tensor())?.reshape(shape)?
                }
                Step::Conv { param, spatial, pads, stride, dilation, groups } => {
                    let param = &self.params[*param];
                    let mut padded = x.clone();
                    for axis in 0..*spatial {
                        padded = padded.pad_with_zeros(2 + axis, pads[axis], pads[axis + spatial])?;
                    }
                    let w = param.weight(quantized)?;
                    let y = if *spatial == 2 {
                        padded.conv2d(&w, 0, *stride, *dilation, *groups)?
                    } else {
                        padded.conv1d(&w, 0, *stride, *dilation, *groups)?
                    };
                    let mut bias_shape = vec![1, param.shape[0]];
                    bias_shape.extend(std::iter::repeat_n(1, *spatial));
                    y.broadcast_add(&param.bias.as_tensor().reshape(bias_shape)?)?
                }
                Step::Pool { index, window, max } => {
                    let dims = x.dims().to_vec();
                    let planes = x.reshape((dims[0] * dims[1], dims[2..].iter().product::<usize>()))?;
                    let outputs = index.dim(0)? / window;
                    let windows = planes.index_select(index, 1)?.reshape((dims[0] * dims[1], outputs, *window))?;
                    let pooled = if *max { windows.max(2)? } else { windows.mean(2)? };
                    pooled.reshape(shape)?
                }
                Step::GlobalAvgPool => {
                    let spatial: Vec<usize> = (2..x.rank()).collect();
                    x.mean_keepdim(spatial)?
                }
                Step::Act(Activation::Relu) => x.relu()?,
                Step::Act(Activation::LeakyRelu { alpha }) => {
                    (x.relu()? - x.neg()?.relu()?.affine(f64::from(*alpha), 0.0)?)?
                }
                // max then min: every output is `max` when min > max, as ONNX defines it.
                Step::Act(Activation::Clip { min, max }) => x.maximum(*min)?.minimum(*max)?,
                Step::Act(Activation::Tanh) => x.tanh()?,
                Step::Act(Activation::Sigmoid) => candle_nn::ops::sigmoid(&x)?,
                Step::Act(Activation::HardSigmoid { alpha, beta }) => {
                    x.affine(f64::from(*alpha), f64::from(*beta))?.clamp(0f32, 1f32)?
                }
                Step::Act(Activation::HardSwish) => (&x * x.affine(1.0 / 6.0, 0.5)?.clamp(0f32, 1f32)?)?,
                Step::PRelu(slopes) => (x.relu()? - x.neg()?.relu()?.broadcast_mul(slopes)?)?,
                Step::Affine { mul, add } => {
                    let scaled = match mul {
                        Some(m) => x.broadcast_mul(m)?,
                        None => x,
                    };
                    match add {
                        Some(a) => scaled.broadcast_add(a)?,
                        None => scaled,
                    }
                }
                Step::Reshape => x.reshape(shape)?,
                Step::Transpose(perm) => x.permute(perm.as_slice())?.contiguous()?,
                Step::Softmax { axis, log: false } => candle_nn::ops::softmax(&x, *axis)?,
                Step::Softmax { axis, log: true } => candle_nn::ops::log_softmax(&x, *axis)?,
                Step::Skip => x,
            };
            outputs.push(y);
        }
        Ok(outputs.last().unwrap_or(&input).reshape((batch, self.classes))?)
    }

    /// Every trainable variable (weights or defining vectors, and biases).
    pub fn vars(&self) -> Vec<candle_core::Var> {
        self.params.iter().flat_map(Param::vars).collect()
    }

    /// The graph with this network's weights: every Dense/Conv weight on its Q15 grid (block-circulant ones
    /// expanded from their grid vectors), biases as trained.
    pub fn to_graph(&self, graph: &Graph) -> Result<Graph, AdmmError> {
        let mut out = graph.clone();
        for param in &self.params {
            let weight: Vec<f32> = param.weight(true)?.flatten_all()?.to_vec1()?;
            let bias: Vec<f32> = param.bias.as_tensor().to_vec1()?;
            match &mut out.layers[param.layer].op {
                Op::Dense(d) => (d.weight.data, d.bias) = (weight, bias),
                Op::Conv(c) => (c.weight.data, c.bias) = (weight, bias),
                _ => unreachable!("params are made only for Dense and Conv layers"),
            }
        }
        Ok(out)
    }
}

fn step_for(graph: &Graph, index: usize, last: bool, params: &mut Vec<Param>) -> Result<Step, AdmmError> {
    let layer = &graph.layers[index];
    let unsupported =
        |detail: String| AdmmError::Unsupported { layer: layer.name.clone(), op: layer.op.kind().into(), detail };
    let device = Device::Cpu;
    Ok(match &layer.op {
        Op::Dense(d) => {
            params.push(Param::new(index, d.weight.shape.dims().to_vec(), &d.weight.data, &d.bias)?);
            Step::Dense(params.len() - 1)
        }
        Op::Conv(c) => {
            let spatial = c.kernel().len();
            let same = |v: &[usize], what: &str| match v {
                [first, rest @ ..] if rest.iter().all(|x| x == first) => Ok(*first),
                [] => Ok(1),
                _ => Err(unsupported(format!("{what} {v:?} differ between axes; training supports equal ones"))),
            };
            let (stride, dilation) = (same(&c.strides, "strides")?, same(&c.dilations, "dilations")?);
            params.push(Param::new(index, c.weight.shape.dims().to_vec(), &c.weight.data, &c.bias)?);
            Step::Conv { param: params.len() - 1, spatial, pads: c.pads.clone(), stride, dilation, groups: c.group }
        }
        Op::MaxPool(p) | Op::AvgPool(p) => {
            let (index, window) = pool_index(layer, p).ok_or_else(|| {
                unsupported("pooling with padding or ceil_mode (training supports valid windows only)".into())
            })?;
            let index = Tensor::from_vec(index, window.0, &device)?;
            Step::Pool { index, window: window.1, max: matches!(layer.op, Op::MaxPool(_)) }
        }
        Op::GlobalAvgPool => Step::GlobalAvgPool,
        Op::Add => Step::Add,
        // Candle broadcasts from the last axis, as ONNX does; the batch axis lines up only at equal ranks.
        Op::Mul(m) if m.gate.dims().len() != layer.input_shape.dims().len() => {
            return Err(unsupported(format!(
                "a gate of shape {} over a tensor of shape {}; training multiplies tensors of one rank",
                m.gate, layer.input_shape
            )));
        }
        Op::Mul(_) => Step::Mul,
        Op::Concat { axis } => Step::Concat(*axis),
        Op::Activation(a) => Step::Act(a.clone()),
        Op::PRelu(p) => {
            let dims = layer.input_shape.dims();
            let mut shape = vec![1; dims.len()];
            shape[PRelu::channel_axis(dims)] = p.slopes.len();
            Step::PRelu(Tensor::from_slice(&p.slopes, shape, &device)?)
        }
        Op::Affine(a) => {
            let tensor = |t: &Option<GraphTensor>| -> Result<Option<Tensor>, AdmmError> {
                t.as_ref().map(|t| Tensor::from_slice(&t.data, t.shape.dims(), &device)).transpose().map_err(Into::into)
            };
            Step::Affine { mul: tensor(&a.mul)?, add: tensor(&a.add)? }
        }
        Op::Reshape => Step::Reshape,
        Op::Refused(r) => return Err(unsupported(r.reason.clone())),
        Op::Pad(_) => return Err(unsupported("a Pad that no convolution takes as its padding".into())),
        Op::Transpose { perm } if perm.first() == Some(&0) => Step::Transpose(perm.clone()),
        Op::Transpose { .. } => return Err(unsupported("a transpose that moves the batch axis".into())),
        Op::Softmax(_) | Op::LogSoftmax(_) if last => Step::Skip,
        Op::Softmax(s) | Op::LogSoftmax(s) => {
            let rank = layer.input_shape.rank();
            if s.axis == 0 || (s.flatten_from_axis && s.axis + 1 != rank) {
                return Err(unsupported(format!("softmax over axis {} of a rank-{rank} tensor", s.axis)));
            }
            Step::Softmax { axis: s.axis, log: matches!(layer.op, Op::LogSoftmax(_)) }
        }
    })
}

/// For every output position and window offset, the flat spatial index it reads, and (index count,
/// window size); `None` for padded windows or an output shape that valid windows do not produce.
fn pool_index(layer: &Layer, pool: &Pool) -> Option<(Vec<u32>, (usize, usize))> {
    if pool.pads.iter().any(|&p| p != 0) {
        return None;
    }
    let input = &layer.input_shape.dims()[2..];
    let output = &layer.output_shape.dims()[2..];
    let two = |v: &[usize], one: usize| if v.len() == 2 { (v[0], v[1]) } else { (one, v[0]) };
    let ((h, w), (oh, ow)) = (two(input, 1), two(output, 1));
    let ((kh, kw), (sh, sw)) = (two(&pool.kernel, 1), two(&pool.strides, 1));
    if h < kh || w < kw || (h - kh) / sh + 1 != oh || (w - kw) / sw + 1 != ow {
        return None;
    }
    let mut index = Vec::with_capacity(oh * ow * kh * kw);
    for oy in 0..oh {
        for ox in 0..ow {
            for ky in 0..kh {
                for kx in 0..kw {
                    index.push(((oy * sh + ky) * w + ox * sw + kx) as u32);
                }
            }
        }
    }
    let count = index.len();
    Some((index, (count, kh * kw)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::eval;
    use crate::onnx::{self, ImportOptions};

    /// The candle network computes what acec's own float interpreter computes for a real CNN.
    /// The network's float forward pass computes what the graph interpreter computes (itself checked
    /// against tract) on the first `n` test samples of a fixture.
    fn assert_forward_matches_the_interpreter(fixture: &str, n: usize) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let graph = onnx::load(&root.join(fixture).join("model.onnx"), &ImportOptions::default()).unwrap();
        let data = crate::dataset::load(&root.join("data/fmnist-test.npz"), graph.input_shape.dims()).unwrap();
        let net = Net::from_graph(&graph).unwrap();
        let x = Tensor::from_slice(&data.x[..n * data.sample_len()], (n, 1, 28, 28), &Device::Cpu).unwrap();
        let logits: Vec<Vec<f32>> = net.forward(&x, false).unwrap().to_vec2().unwrap();
        for (i, row) in logits.iter().enumerate() {
            let expected = eval::run(&graph, data.sample(i));
            for (a, b) in row.iter().zip(&expected) {
                assert!((a - b).abs() < 1e-3, "{fixture} sample {i}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn forward_matches_the_graph_interpreter() {
        assert_forward_matches_the_interpreter("fmnist-lenet", 3);
    }

    /// Depthwise convolutions (as many groups as channels) train as the interpreter computes them.
    #[test]
    fn a_depthwise_separable_network_matches_the_graph_interpreter() {
        assert_forward_matches_the_interpreter("fmnist-mobilenet", 2);
    }

    /// Per-channel PReLU slopes train and evaluate as the interpreter applies them, channel by channel.
    #[test]
    fn a_per_channel_prelu_matches_the_graph_interpreter() {
        use crate::graph::{Dense, Shape};
        let prelu = PRelu { slopes: vec![0.25, -0.5, 1.5] };
        let dense = Dense {
            weight: GraphTensor::new(vec![2, 12], (0..24).map(|i| i as f32 / 12.0 - 1.0).collect()),
            bias: vec![0.0; 2],
        };
        let graph = Graph::chain(
            "x",
            Shape(vec![1, 3, 2, 2]),
            "y",
            vec![
                Layer::new("prelu", Op::PRelu(prelu), Shape(vec![1, 3, 2, 2]), Shape(vec![1, 3, 2, 2])),
                Layer::new("flatten", Op::Reshape, Shape(vec![1, 3, 2, 2]), Shape(vec![1, 12])),
                Layer::new("fc", Op::Dense(dense), Shape(vec![1, 12]), Shape(vec![1, 2])),
            ],
        );
        let net = Net::from_graph(&graph).unwrap();
        // Each channel has values both sides of zero.
        let sample: Vec<f32> = (0..12).map(|i| ((i % 4) as f32 - 1.5) * (1 + i / 4) as f32).collect();
        let x = Tensor::from_slice(&sample, (1, 3, 2, 2), &Device::Cpu).unwrap();
        let logits: Vec<Vec<f32>> = net.forward(&x, false).unwrap().to_vec2().unwrap();
        for (a, b) in logits[0].iter().zip(&eval::run(&graph, &sample)) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
    }

    /// A squeeze-excite gate (one sigmoid value per channel times the input) evaluates as the interpreter
    /// multiplies, for every sample of a batch: the gate's batch axis lines up with the input's.
    #[test]
    fn a_per_channel_gate_matches_the_graph_interpreter() {
        use crate::graph::{Dense, Mul, Shape};
        let (full, gate) = (Shape(vec![1, 2, 2, 2]), Shape(vec![1, 2, 1, 1]));
        let dense = Dense {
            weight: GraphTensor::new(vec![2, 8], (0..16).map(|i| i as f32 / 8.0 - 1.0).collect()),
            bias: vec![0.0; 2],
        };
        let mut graph = Graph::chain(
            "x",
            full.clone(),
            "y",
            vec![
                Layer::new("squeeze", Op::GlobalAvgPool, full.clone(), gate.clone()),
                Layer::new("sigmoid", Op::Activation(Activation::Sigmoid), gate.clone(), gate.clone()),
                Layer::new("gate", Op::Mul(Mul { gate: gate.clone() }), full.clone(), full.clone()),
                Layer::new("flatten", Op::Reshape, full.clone(), Shape(vec![1, 8])),
                Layer::new("fc", Op::Dense(dense), Shape(vec![1, 8]), Shape(vec![1, 2])),
            ],
        );
        graph.layers[2].inputs = vec!["x".into(), graph.layers[1].output.clone()];
        let net = Net::from_graph(&graph).unwrap();
        let samples: Vec<Vec<f32>> =
            (0..2).map(|k| (0..8).map(|i| ((i * 3 + k * 5) % 7) as f32 / 2.0 - 1.5).collect()).collect();
        let x = Tensor::from_slice(&samples.concat(), (2, 2, 2, 2), &Device::Cpu).unwrap();
        let logits: Vec<Vec<f32>> = net.forward(&x, false).unwrap().to_vec2().unwrap();
        for (row, sample) in logits.iter().zip(&samples) {
            for (a, b) in row.iter().zip(&eval::run(&graph, sample)) {
                assert!((a - b).abs() < 1e-5, "{a} vs {b}");
            }
        }
    }
}
