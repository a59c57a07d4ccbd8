//! The import driver: opset check, unsupported-op scan, value table, one importer call per node, passes.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use onnx_protobuf::tensor_shape_proto::dimension::Value as DimValue;
use onnx_protobuf::type_proto::Value as TypeValue;
use onnx_protobuf::{GraphProto, ModelProto, NodeProto, ValueInfoProto};

use super::context::{NodeContext, Value};
use super::error::UnsupportedNode;
use super::ops;
use super::tensor_proto::decode_tensor;
use super::{ImportError, ImportOptions, MAX_OPSET, MIN_OPSET};
use crate::graph::{self, Graph, Op, Shape};

/// Imports a decoded model into the layer graph, then runs the standard graph passes. Refuses a model with
/// any node acec cannot compile, listing every one at once (unknown ops and unsupported attributes alike).
pub fn import_model(model: &ModelProto, model_dir: &Path, options: &ImportOptions) -> Result<Graph, ImportError> {
    let imported = import_lenient(model, model_dir, options)?;
    let nodes = imported.refusals();
    if nodes.is_empty() {
        Ok(imported.graph)
    } else {
        Err(ImportError::UnsupportedOps { nodes, supported: ops::supported_ops() })
    }
}

/// A model imported as far as acec can follow it, for `inspect`: nodes it cannot compile are
/// [`Op::Refused`] layers with their shapes where those are known; where a node's output shape is unknown
/// (an unknown op that may change it, a branch), the import stops and lists the rest.
#[derive(Clone, Debug)]
pub struct Imported {
    pub graph: Graph,
    /// The opset of the default domain the model imports.
    pub opset: i64,
    /// The node the import stopped at, with why.
    pub stopped_at: Option<UnsupportedNode>,
    /// The nodes after it, not imported; those whose op acec lacks carry that as their reason (the others
    /// an empty one: they may compile once the model before them does).
    pub not_imported: Vec<UnsupportedNode>,
}

impl Imported {
    /// Every node a build would refuse, in model order.
    pub fn refusals(&self) -> Vec<UnsupportedNode> {
        let refused = self.graph.layers.iter().filter_map(|l| match &l.op {
            Op::Refused(r) => Some(UnsupportedNode {
                name: l.name.clone(),
                op_type: r.op_type.clone(),
                domain: String::new(),
                opset: self.opset,
                reason: r.reason.clone(),
            }),
            _ => None,
        });
        let unknown_later = self.not_imported.iter().filter(|n| !n.reason.is_empty()).cloned();
        refused.chain(self.stopped_at.clone()).chain(unknown_later).collect()
    }
}

/// ONNX ops whose output has the shape of their (first computed) input: a refused one keeps the import
/// going with that shape.
const SHAPE_PRESERVING: &[&str] = &[
    "Abs",
    "Add",
    "BatchNormalization",
    "Celu",
    "Ceil",
    "Cos",
    "Div",
    "Elu",
    "Erf",
    "Exp",
    "Floor",
    "Gelu",
    "InstanceNormalization",
    "LayerNormalization",
    "Log",
    "LpNormalization",
    "LRN",
    "Mish",
    "Mul",
    "Neg",
    "PRelu",
    "Reciprocal",
    "Round",
    "Selu",
    "Sign",
    "Sin",
    "Softplus",
    "Softsign",
    "Sqrt",
    "Sub",
    "ThresholdedRelu",
];

/// [`import_model`] without refusing: see [`Imported`]. Errors only for a malformed model (shapes that
/// disagree, undefined values, bad tensors).
pub fn import_lenient(model: &ModelProto, model_dir: &Path, options: &ImportOptions) -> Result<Imported, ImportError> {
    let opset = default_opset(model)?;
    let Some(proto) = model.graph.as_ref() else {
        return Err(ImportError::BadGraph { detail: "is missing".into() });
    };
    let nodes = named_nodes(proto);

    let mut values: HashMap<String, Value> = HashMap::new();
    for init in &proto.initializer {
        values.insert(init.name.clone(), Value::Const(decode_tensor(init, model_dir)?));
    }
    let (input_name, input_shape, notes) = model_input(proto, &values, options)?;
    values.insert(input_name.clone(), Value::Computed { shape: input_shape.clone(), tensor: input_name.clone() });

    let used: HashSet<&str> = proto
        .node
        .iter()
        .flat_map(|n| n.input.iter())
        .chain(proto.output.iter().map(|o| &o.name))
        .map(String::as_str)
        .collect();
    let mut layers = Vec::new();
    let mut stopped_at = None;
    let mut not_imported = Vec::new();
    for node in &nodes {
        let refusal = |reason: String| UnsupportedNode {
            name: node.name.clone(),
            op_type: node.op_type.clone(),
            domain: node.domain.clone(),
            opset,
            reason,
        };
        let known = (node.domain.is_empty() || node.domain == "ai.onnx").then(|| ops::importer(&node.op_type));
        if stopped_at.is_some() {
            let reason = if matches!(known, Some(Some(_))) { String::new() } else { unknown_op(node) };
            not_imported.push(refusal(reason));
            continue;
        }
        let outputs = match known.flatten() {
            None => Err(unknown_op(node)),
            Some(import) => match import(&mut NodeContext::new(node, opset, model_dir, &values, &mut layers)) {
                Ok(outputs) => Ok(outputs),
                Err(ImportError::UnsupportedAttribute { detail, .. }) => Err(detail),
                Err(other) => return Err(other),
            },
        };
        let outputs = match outputs {
            Ok(outputs) => outputs,
            Err(reason) => match first_computed_input(node, &values) {
                Some(shape) if SHAPE_PRESERVING.contains(&node.op_type.as_str()) => {
                    let shape = shape.clone();
                    let mut ctx = NodeContext::new(node, opset, model_dir, &values, &mut layers);
                    vec![ctx.refuse(reason, shape.clone(), shape.0)]
                }
                _ => {
                    stopped_at = Some(refusal(format!("{reason} (acec cannot follow the model past it)")));
                    continue;
                }
            },
        };
        for (i, name) in node.output.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
            match outputs.get(i) {
                Some(value) => {
                    values.insert(name.clone(), value.clone());
                }
                None if used.contains(name.as_str()) => {
                    return Err(ImportError::UnsupportedAttribute {
                        node: node.name.clone(),
                        op_type: node.op_type.clone(),
                        detail: format!("its output {i} ('{name}') is used, but only the first output is supported"),
                    });
                }
                None => {}
            }
        }
    }

    let output_name = match stopped_at {
        Some(_) => proto.output.first().map_or_else(String::new, |o| o.name.clone()),
        None => {
            let (name, tensor) = model_output(proto, &values)?;
            keep_what_reaches(&mut layers, &tensor, &input_name)?;
            name
        }
    };
    let mut graph = Graph { input_name, input_shape, output_name, layers, notes };
    graph::passes::run_standard(&mut graph);
    Ok(Imported { graph, opset, stopped_at, not_imported })
}

/// Why a node's op cannot be imported at all.
fn unknown_op(node: &NodeProto) -> String {
    match node.domain.as_str() {
        "" | "ai.onnx" => format!("acec has no {} op", node.op_type),
        domain => format!("acec has no {} op in domain {domain}", node.op_type),
    }
}

/// The shape of the node's first computed input, if any.
fn first_computed_input<'v>(node: &NodeProto, values: &'v HashMap<String, Value>) -> Option<&'v Shape> {
    node.input.iter().find_map(|name| match values.get(name) {
        Some(Value::Computed { shape, .. }) => Some(shape),
        _ => None,
    })
}

/// The graph's nodes, each with a name for messages (`op_type#index` where the file gives none).
fn named_nodes(proto: &GraphProto) -> Vec<NodeProto> {
    let mut nodes = proto.node.clone();
    for (index, node) in nodes.iter_mut().enumerate() {
        if node.name.is_empty() {
            node.name = format!("{}#{index}", node.op_type);
        }
    }
    nodes
}

/// The opset of the default (`ai.onnx`) domain, checked against the supported range.
fn default_opset(model: &ModelProto) -> Result<i64, ImportError> {
    let opset = model
        .opset_import
        .iter()
        .find(|o| o.domain.is_empty() || o.domain == "ai.onnx")
        .map(|o| o.version)
        // ONNX says a model without an opset_import for the default domain uses opset 1.
        .unwrap_or(1);
    if (MIN_OPSET..=MAX_OPSET).contains(&opset) {
        Ok(opset)
    } else {
        Err(ImportError::OpsetOutOfRange { opset, min: MIN_OPSET, max: MAX_OPSET })
    }
}

/// The single graph input that is not an initializer, with its static shape and what was assumed to get
/// it (a free batch dimension taken as 1).
fn model_input(
    proto: &GraphProto,
    values: &HashMap<String, Value>,
    options: &ImportOptions,
) -> Result<(String, Shape, Vec<String>), ImportError> {
    let inputs: Vec<&ValueInfoProto> = proto.input.iter().filter(|i| !values.contains_key(&i.name)).collect();
    for (name, _) in &options.input_shapes {
        if !inputs.iter().any(|i| &i.name == name) {
            let names: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
            return Err(ImportError::BadInputShapeArg {
                arg: name.clone(),
                detail: format!("the model has no input '{name}'; its inputs are: {}", names.join(", ")),
            });
        }
    }
    let input = match inputs.as_slice() {
        [one] => *one,
        [] => return Err(ImportError::BadGraph { detail: "has no input that is not a constant".into() }),
        many => {
            let names: Vec<&str> = many.iter().map(|i| i.name.as_str()).collect();
            return Err(ImportError::BadGraph {
                detail: format!(
                    "has {} inputs ({}); acec compiles models with exactly one input",
                    many.len(),
                    names.join(", ")
                ),
            });
        }
    };
    let declared = declared_dims(input);
    if let Some((_, shape)) = options.input_shapes.iter().find(|(name, _)| name == &input.name) {
        check_against_model(&input.name, shape, declared.as_deref())?;
        return Ok((input.name.clone(), Shape(shape.clone()), Vec::new()));
    }
    if let Some([None, rest @ ..]) = declared.as_deref()
        && !rest.is_empty()
        && rest.iter().all(Option::is_some)
    {
        // A free leading axis is the batch (tf2onnx's default export): acec compiles one sample at a time.
        let dims: Vec<usize> = std::iter::once(1).chain(rest.iter().flatten().copied()).collect();
        let written: Vec<String> = dims.iter().map(usize::to_string).collect();
        let (name, written) = (&input.name, written.join("x"));
        let note = format!(
            "input '{name}' has a free batch dimension; compiling for batch 1, shape {written} \
             (--input-shape {name}={written} says so explicitly)"
        );
        let shape = Shape(dims);
        return Ok((input.name.clone(), checked_size(&input.name, shape)?, vec![note]));
    }
    Ok((input.name.clone(), static_shape(input, declared)?, Vec::new()))
}

/// The input's dimensions as the model declares them (`None` for a free one), if it declares a shape.
fn declared_dims(input: &ValueInfoProto) -> Option<Vec<Option<usize>>> {
    let Some(TypeValue::TensorType(tensor)) = input.type_.as_ref().and_then(|t| t.value.as_ref()) else {
        return None;
    };
    let dims = tensor.shape.as_ref()?.dim.iter().map(|d| match &d.value {
        Some(DimValue::DimValue(v)) if *v > 0 => Some(*v as usize),
        _ => None,
    });
    Some(dims.collect())
}

/// `--input-shape` may fill the model's free dimensions, never change one it fixes.
fn check_against_model(name: &str, given: &[usize], declared: Option<&[Option<usize>]>) -> Result<(), ImportError> {
    let Some(declared) = declared else { return Ok(()) };
    let model: Vec<String> = declared.iter().map(|d| d.map_or("?".into(), |v| v.to_string())).collect();
    let bad = |detail: String| ImportError::BadInputShapeArg { arg: name.into(), detail };
    if declared.len() != given.len() {
        return Err(bad(format!(
            "the model's input '{name}' has {} axes ({}), the shape given has {}",
            declared.len(),
            model.join("x"),
            given.len()
        )));
    }
    for (axis, (fixed, &wanted)) in declared.iter().zip(given).enumerate() {
        if let Some(fixed) = fixed.filter(|&f| f != wanted) {
            return Err(bad(format!(
                "the model fixes axis {axis} of '{name}' at {fixed} ({}); only its free axes can be set",
                model.join("x")
            )));
        }
    }
    Ok(())
}

fn checked_size(name: &str, shape: Shape) -> Result<Shape, ImportError> {
    if shape.dims().iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)).is_none() {
        return Err(ImportError::BadGraph { detail: format!("input '{name}' has an impossibly large shape {shape}") });
    }
    Ok(shape)
}

/// The declared shape when every dimension is fixed; otherwise the error that names the first free one
/// and suggests an `--input-shape`.
fn static_shape(input: &ValueInfoProto, declared: Option<Vec<Option<usize>>>) -> Result<Shape, ImportError> {
    let Some(dims) = declared else {
        return Err(ImportError::DynamicDimension {
            input: input.name.clone(),
            axis: 0,
            symbol: "no shape given".into(),
            suggestion: "1x1x28x28".into(),
        });
    };
    if let Some(axis) = dims.iter().position(Option::is_none) {
        // Suggest the known dims with 1 in place of every dynamic one (a batch of one).
        let suggestion: Vec<String> = dims.iter().map(|d| d.unwrap_or(1).to_string()).collect();
        return Err(ImportError::DynamicDimension {
            input: input.name.clone(),
            axis,
            symbol: dim_symbol(input, axis),
            suggestion: suggestion.join("x"),
        });
    }
    checked_size(&input.name, Shape(dims.into_iter().flatten().collect()))
}

/// The name the model gives its free dimension `axis` (`batch`, `N`, ...), or "unknown".
fn dim_symbol(input: &ValueInfoProto, axis: usize) -> String {
    let Some(TypeValue::TensorType(tensor)) = input.type_.as_ref().and_then(|t| t.value.as_ref()) else {
        return "unknown".into();
    };
    match tensor.shape.as_ref().and_then(|s| s.dim.get(axis)).and_then(|d| d.value.as_ref()) {
        Some(DimValue::DimParam(p)) if !p.is_empty() => p.clone(),
        _ => "unknown".into(),
    }
}

/// The graph output's ONNX name and the graph tensor that holds it.
fn model_output(proto: &GraphProto, values: &HashMap<String, Value>) -> Result<(String, String), ImportError> {
    let [output] = proto.output.as_slice() else {
        let names: Vec<&str> = proto.output.iter().map(|o| o.name.as_str()).collect();
        return Err(ImportError::BadGraph {
            detail: format!(
                "has {} outputs ({}); acec compiles models with exactly one output (export the one the device \
                 reports)",
                proto.output.len(),
                names.join(", ")
            ),
        });
    };
    match values.get(&output.name) {
        Some(Value::Computed { tensor, .. }) => Ok((output.name.clone(), tensor.clone())),
        Some(Value::Const(_)) => {
            Err(ImportError::BadGraph { detail: format!("output '{}' is a constant", output.name) })
        }
        None => Err(ImportError::BadGraph { detail: format!("output '{}' is never computed", output.name) }),
    }
}

/// Drops the layers the output does not depend on (ONNX allows dead nodes), so the output's producer is
/// the last layer, as [`Graph`] requires.
fn keep_what_reaches(layers: &mut Vec<graph::Layer>, output: &str, input: &str) -> Result<(), ImportError> {
    let mut needed: HashSet<String> = HashSet::from([output.to_string()]);
    let mut keep = vec![false; layers.len()];
    for (i, layer) in layers.iter().enumerate().rev() {
        if needed.contains(&layer.output) {
            keep[i] = true;
            needed.extend(layer.inputs.iter().cloned());
        }
    }
    let mut flags = keep.into_iter();
    layers.retain(|_| flags.next().unwrap_or(false));
    match layers.last() {
        Some(last) if last.output == output => Ok(()),
        None if output == input => Ok(()),
        _ => Err(ImportError::BadGraph { detail: format!("output tensor '{output}' has no producer") }),
    }
}
