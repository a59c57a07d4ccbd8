//! The layer graph back to a standard ONNX model (opset 13), so a graph whose weights acec changed (`acec
//! compress`) runs in any ONNX runtime and re-imports into acec as the same layers. Node names are the
//! layers' names, so `--block LAYER=N` and `acec inspect` name the same layers before and after.

use onnx_protobuf::attribute_proto::AttributeType;
use onnx_protobuf::tensor_proto::DataType;
use onnx_protobuf::tensor_shape_proto::Dimension;
use onnx_protobuf::tensor_shape_proto::dimension::Value as DimValue;
use onnx_protobuf::type_proto::{Tensor as TensorType, Value as TypeValue};
use onnx_protobuf::{
    AttributeProto, GraphProto, Message, ModelProto, NodeProto, OperatorSetIdProto, TensorProto, TensorShapeProto,
    TypeProto, ValueInfoProto,
};

use crate::graph::{Activation, Graph, Layer, Op, PRelu, Tensor};

/// The opset every exported model uses: its Softmax normalises along one axis, as the graph does.
pub const EXPORT_OPSET: i64 = 13;

/// A layer the writer cannot express in opset 13 (only Softmax over an old opset's flattened axes).
#[derive(Debug, thiserror::Error)]
#[error("layer '{layer}' ({op}) cannot be written as ONNX: {detail}")]
pub struct ExportError {
    pub layer: String,
    pub op: String,
    pub detail: String,
}

enum Attr {
    Int(i64),
    Ints(Vec<i64>),
    Float(f32),
}

struct Writer {
    graph: GraphProto,
}

impl Writer {
    fn initializer(&mut self, name: String, dims: &[usize], data: Vec<f32>) -> String {
        let mut t = TensorProto::new();
        t.name = name.clone();
        t.dims = dims.iter().map(|&d| d as i64).collect();
        t.data_type = DataType::FLOAT as i32;
        t.float_data = data;
        self.graph.initializer.push(t);
        name
    }

    fn int64_initializer(&mut self, name: String, data: Vec<i64>) -> String {
        let mut t = TensorProto::new();
        t.name = name.clone();
        t.dims = vec![data.len() as i64];
        t.data_type = DataType::INT64 as i32;
        t.int64_data = data;
        self.graph.initializer.push(t);
        name
    }

    fn node(&mut self, op: &str, name: &str, inputs: &[String], output: &str, attrs: Vec<(&str, Attr)>) {
        let mut node = NodeProto::new();
        node.op_type = op.into();
        node.name = name.into();
        node.input = inputs.to_vec();
        node.output = vec![output.into()];
        for (attr_name, value) in attrs {
            let mut a = AttributeProto::new();
            a.name = attr_name.into();
            match value {
                Attr::Int(i) => (a.type_, a.i) = (AttributeType::INT.into(), i),
                Attr::Ints(v) => (a.type_, a.ints) = (AttributeType::INTS.into(), v),
                Attr::Float(f) => (a.type_, a.f) = (AttributeType::FLOAT.into(), f),
            }
            node.attribute.push(a);
        }
        self.graph.node.push(node);
    }
}

fn ints(v: &[usize]) -> Attr {
    Attr::Ints(v.iter().map(|&x| x as i64).collect())
}

/// Serializes the graph as an ONNX model with float32 weights.
pub fn export(graph: &Graph, producer: &str) -> Result<Vec<u8>, ExportError> {
    let mut w = Writer { graph: GraphProto::new() };
    w.graph.name = "acec".into();
    w.graph.input.push(value_info(&graph.input_name, graph.input_shape.dims()));
    w.graph.output.push(value_info(&graph.output_name, graph.output_shape().dims()));
    // Tensors keep the graph's names, except that the last layer writes the model's output name.
    let last = graph.layers.last().map(|l| l.output.as_str());
    let name = |tensor: &str| if Some(tensor) == last { graph.output_name.clone() } else { tensor.to_string() };
    for (index, layer) in graph.layers.iter().enumerate() {
        let inputs: Vec<String> = layer.inputs.iter().map(|t| name(t)).collect();
        write_layer(&mut w, layer, index, &inputs, &name(&layer.output))?;
    }
    if graph.layers.is_empty() {
        w.node("Identity", "identity", std::slice::from_ref(&graph.input_name), &graph.output_name, vec![]);
    }
    let mut model = ModelProto::new();
    model.ir_version = 8;
    model.producer_name = producer.into();
    let mut opset = OperatorSetIdProto::new();
    opset.version = EXPORT_OPSET;
    model.opset_import.push(opset);
    model.graph = Some(w.graph).into();
    model.write_to_bytes().map_err(|e| ExportError {
        layer: graph.output_name.clone(),
        op: "model".into(),
        detail: format!("protobuf serialization failed: {e}"),
    })
}

fn write_layer(
    w: &mut Writer,
    layer: &Layer,
    index: usize,
    inputs: &[String],
    output: &str,
) -> Result<(), ExportError> {
    let name = layer.name.as_str();
    let tensor = |what: &str| format!("{name}.{what}:{index}");
    let input = inputs[0].clone();
    match &layer.op {
        Op::Dense(d) if layer.input_shape.rank() == 2 => {
            let weight = w.initializer(tensor("weight"), d.weight.shape.dims(), d.weight.data.clone());
            let bias = w.initializer(tensor("bias"), &[d.bias.len()], d.bias.clone());
            w.node("Gemm", name, &[input, weight, bias], output, vec![("transB", Attr::Int(1))]);
        }
        Op::Dense(d) => {
            // Over the last axis of a higher-rank tensor: MatMul by W^T, then Add the bias.
            let (outputs, inputs) = (d.outputs(), d.inputs());
            let transposed: Vec<f32> = (0..inputs)
                .flat_map(|i| (0..outputs).map(move |o| (o, i)))
                .map(|(o, i)| d.weight.data[o * inputs + i])
                .collect();
            let weight = w.initializer(tensor("weight_t"), &[inputs, outputs], transposed);
            let bias = w.initializer(tensor("bias"), &[outputs], d.bias.clone());
            let product = format!("{output}:matmul");
            w.node("MatMul", name, &[input, weight], &product, vec![]);
            w.node("Add", &format!("{name}:bias"), &[product, bias], output, vec![]);
        }
        Op::Conv(c) => {
            let weight = w.initializer(tensor("weight"), c.weight.shape.dims(), c.weight.data.clone());
            let bias = w.initializer(tensor("bias"), &[c.bias.len()], c.bias.clone());
            let attrs = vec![
                ("kernel_shape", ints(c.kernel())),
                ("strides", ints(&c.strides)),
                ("pads", ints(&c.pads)),
                ("dilations", ints(&c.dilations)),
                ("group", Attr::Int(c.group as i64)),
            ];
            w.node("Conv", name, &[input, weight, bias], output, attrs);
        }
        Op::MaxPool(p) | Op::AvgPool(p) => {
            let mut attrs =
                vec![("kernel_shape", ints(&p.kernel)), ("strides", ints(&p.strides)), ("pads", ints(&p.pads))];
            // The graph keeps the output shape, not the rounding mode: a window count that flooring would not
            // give came from ceil_mode.
            let spatial = p.kernel.len();
            let (input_dims, output_dims) = (layer.input_shape.dims(), layer.output_shape.dims());
            let floored = (0..spatial).all(|a| {
                let padded = input_dims[2 + a] + p.pads[a] + p.pads[a + spatial];
                padded >= p.kernel[a] && (padded - p.kernel[a]) / p.strides[a] + 1 == output_dims[2 + a]
            });
            if !floored {
                attrs.push(("ceil_mode", Attr::Int(1)));
            }
            let op = if matches!(layer.op, Op::MaxPool(_)) {
                "MaxPool"
            } else {
                attrs.push(("count_include_pad", Attr::Int(i64::from(p.count_include_pad))));
                "AveragePool"
            };
            w.node(op, name, &[input], output, attrs);
        }
        Op::GlobalAvgPool => w.node("GlobalAveragePool", name, &[input], output, vec![]),
        Op::Add => w.node("Add", name, inputs, output, vec![]),
        Op::Mul(_) => w.node("Mul", name, inputs, output, vec![]),
        Op::Concat { axis } => w.node("Concat", name, inputs, output, vec![("axis", Attr::Int(*axis as i64))]),
        Op::Activation(Activation::Clip { min, max }) => {
            let min = w.initializer(tensor("min"), &[], vec![*min]);
            let max = w.initializer(tensor("max"), &[], vec![*max]);
            w.node("Clip", name, &[input, min, max], output, vec![]);
        }
        // Opset 13 has no HardSwish: x * HardSigmoid(x) with alpha 1/6 and beta 1/2 (PyTorch's export).
        Op::Activation(Activation::HardSwish) => {
            let gate = format!("{output}/gate");
            let attrs = vec![("alpha", Attr::Float(1.0 / 6.0)), ("beta", Attr::Float(0.5))];
            w.node("HardSigmoid", &format!("{name}/gate"), std::slice::from_ref(&input), &gate, attrs);
            w.node("Mul", name, &[input, gate], output, vec![]);
        }
        Op::Activation(a) => {
            let attrs = a.onnx_float_attrs().into_iter().map(|(k, v)| (k, Attr::Float(v))).collect();
            w.node(a.onnx_op(), name, &[input], output, attrs);
        }
        Op::PRelu(p) => {
            // Right-aligned to the input (ONNX's broadcast): [C, 1, ..., 1] over the axes from the channels on.
            let dims = layer.input_shape.dims();
            let mut shape = vec![1; dims.len() - PRelu::channel_axis(dims)];
            shape[0] = p.slopes.len();
            let slope = w.initializer(tensor("slope"), &shape, p.slopes.clone());
            w.node("PRelu", name, &[input, slope], output, vec![]);
        }
        Op::Affine(a) => {
            let mut current = input;
            let steps = [("Mul", &a.mul, "mul"), ("Add", &a.add, "add")];
            let present: Vec<(&str, &Tensor, &str)> =
                steps.iter().filter_map(|(op, t, what)| t.as_ref().map(|t| (*op, t, *what))).collect();
            if present.is_empty() {
                w.node("Identity", name, &[current.clone()], output, vec![]);
            }
            for (i, (op, t, what)) in present.iter().enumerate() {
                let constant = w.initializer(tensor(what), t.shape.dims(), t.data.clone());
                let out = if i + 1 == present.len() { output.to_string() } else { format!("{output}:{what}") };
                w.node(op, &format!("{name}:{what}"), &[current, constant], &out, vec![]);
                current = out;
            }
        }
        Op::Reshape => {
            let dims = layer.output_shape.dims().iter().map(|&d| d as i64).collect();
            let shape = w.int64_initializer(tensor("shape"), dims);
            w.node("Reshape", name, &[input, shape], output, vec![]);
        }
        Op::Pad(p) => {
            let pads = w.int64_initializer(tensor("pads"), p.pads.iter().map(|&v| v as i64).collect());
            let value = w.initializer(tensor("value"), &[], vec![p.value]);
            w.node("Pad", name, &[input, pads, value], output, vec![]);
        }
        Op::Transpose { perm } => w.node("Transpose", name, &[input], output, vec![("perm", ints(perm))]),
        Op::Softmax(s) | Op::LogSoftmax(s) => {
            if s.flatten_from_axis && s.axis + 1 != layer.input_shape.rank() {
                return Err(ExportError {
                    layer: name.into(),
                    op: layer.op.kind().into(),
                    detail: format!("an opset-12 softmax over the flattened axes {}.. has no opset-13 node", s.axis),
                });
            }
            let op = if matches!(layer.op, Op::Softmax(_)) { "Softmax" } else { "LogSoftmax" };
            w.node(op, name, &[input], output, vec![("axis", Attr::Int(s.axis as i64))]);
        }
        Op::Refused(r) => {
            return Err(ExportError { layer: name.into(), op: r.op_type.clone(), detail: r.reason.clone() });
        }
    }
    Ok(())
}

fn value_info(name: &str, dims: &[usize]) -> ValueInfoProto {
    let mut shape = TensorShapeProto::new();
    for &d in dims {
        let mut dim = Dimension::new();
        dim.value = Some(DimValue::DimValue(d as i64));
        shape.dim.push(dim);
    }
    let mut tensor = TensorType::new();
    tensor.elem_type = DataType::FLOAT as i32;
    tensor.shape = Some(shape).into();
    let mut ty = TypeProto::new();
    ty.value = Some(TypeValue::TensorType(tensor));
    let mut info = ValueInfoProto::new();
    info.name = name.into();
    info.type_ = Some(ty).into();
    info
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::graph::eval;
    use crate::onnx::{ImportOptions, decode_model, import_model};

    /// Every fixture round-trips: the exported model re-imports into the same layers with the same weights.
    #[test]
    fn fixtures_round_trip_through_export() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        for fixture in ["fmnist-lenet", "mnist1d-conv", "digits-mlp", "fmnist-resnet", "zoo/zoo_avgpool_leaky.onnx"] {
            let path =
                if fixture.ends_with(".onnx") { root.join(fixture) } else { root.join(fixture).join("model.onnx") };
            let graph = crate::onnx::load(&path, &ImportOptions::default()).unwrap();
            let bytes = export(&graph, "test").unwrap();
            let model = decode_model(&bytes, Path::new("exported.onnx")).unwrap();
            let again = import_model(&model, Path::new("."), &ImportOptions::default()).unwrap();
            assert_eq!(again.layers.len(), graph.layers.len(), "{fixture}");
            // An old opset's softmax over the flattened last axis is the same computation as opset 13's.
            let normalized = |layer: &Layer| match &layer.op {
                Op::Softmax(s) if s.axis + 1 == layer.input_shape.rank() => {
                    Op::Softmax(crate::graph::SoftmaxAxis { axis: s.axis, flatten_from_axis: false })
                }
                op => op.clone(),
            };
            for (a, b) in again.layers.iter().zip(&graph.layers) {
                assert_eq!(
                    (&a.name, normalized(a), &a.output_shape),
                    (&b.name, normalized(b), &b.output_shape),
                    "{fixture}"
                );
            }
            let x: Vec<f32> = (0..graph.input_shape.elements()).map(|i| (i % 7) as f32 / 7.0).collect();
            assert_eq!(eval::run(&again, &x), eval::run(&graph, &x), "{fixture}");
        }
    }

    /// A per-channel PReLU and a constant Pad, which no fixture has, re-import as the same layers.
    #[test]
    fn prelu_and_pad_round_trip_through_export() {
        use crate::graph::{Pad, Shape};
        let (input, padded) = (Shape(vec![1, 3, 2, 2]), Shape(vec![1, 3, 3, 4]));
        let graph = Graph::chain(
            "x",
            input.clone(),
            "y",
            vec![
                Layer::new("prelu", Op::PRelu(PRelu { slopes: vec![0.25, -0.5, 1.5] }), input.clone(), input.clone()),
                Layer::new("pad", Op::Pad(Pad { pads: vec![0, 0, 1, 1, 0, 0, 0, 1], value: 0.5 }), input, padded),
            ],
        );
        let bytes = export(&graph, "test").unwrap();
        let model = decode_model(&bytes, Path::new("exported.onnx")).unwrap();
        let again = import_model(&model, Path::new("."), &ImportOptions::default()).unwrap();
        let ops = |g: &Graph| g.layers.iter().map(|l| (l.op.clone(), l.output_shape.clone())).collect::<Vec<_>>();
        assert_eq!(ops(&again), ops(&graph));
    }
}
