//! `acec inspect`: one row per layer with shapes, parameters, MACs and detected circulant structure; and what
//! `build` cannot compile and why, without refusing the model.

use serde::Serialize;

use super::table::{render, thousands};
use crate::ace::lower::missing_kernel;
use crate::graph::{Graph, Op};
use crate::onnx::{Imported, UnsupportedNode};
use crate::rad::circulant::detect_block_size;
use crate::rad::circulant_view::MatrixView;

#[derive(Clone, Debug, Serialize)]
pub struct LayerRow {
    pub name: String,
    pub op: String,
    /// The layers whose outputs it reads, in operand order (`input`: the model input): the graph's edges.
    pub reads: Vec<String>,
    pub input_shape: Vec<usize>,
    pub output_shape: Vec<usize>,
    pub params: u64,
    pub macs: u64,
    /// The largest block size at which the weight matrix is exactly block-circulant.
    pub circulant_block: Option<usize>,
    /// Why `build` cannot compile this layer, if it cannot.
    pub refused: Option<String>,
}

/// A node the import could not follow, or one after it.
#[derive(Clone, Debug, Serialize)]
pub struct NodeRow {
    pub name: String,
    pub op: String,
    /// Why `build` cannot compile it (empty for a supported op after the stop).
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Totals {
    pub params: u64,
    pub macs: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Inspection {
    pub input_name: String,
    pub input_shape: Vec<usize>,
    pub output_name: String,
    pub output_shape: Vec<usize>,
    pub layers: Vec<LayerRow>,
    /// The node the import stopped at (its output shape is unknown), if any...
    pub stopped_at: Option<NodeRow>,
    /// ... and the nodes after it, not imported.
    pub not_imported: Vec<NodeRow>,
    pub totals: Totals,
    /// How many nodes `build` refuses (all listed above, with their reasons).
    pub refusals: usize,
}

/// The rows of a graph as imported for a build.
pub fn inspect(graph: &Graph) -> Inspection {
    let layers: Vec<LayerRow> = (0..graph.layers.len()).map(|i| row(graph, i)).collect();
    let totals = Totals { params: layers.iter().map(|l| l.params).sum(), macs: layers.iter().map(|l| l.macs).sum() };
    Inspection {
        input_name: graph.input_name.clone(),
        input_shape: graph.input_shape.0.clone(),
        output_name: graph.output_name.clone(),
        output_shape: graph.output_shape().0.clone(),
        refusals: layers.iter().filter(|l| l.refused.is_some()).count(),
        layers,
        stopped_at: None,
        not_imported: Vec::new(),
        totals,
    }
}

/// The rows of a model imported as far as acec can follow it, with everything `build` would refuse.
pub fn inspect_imported(imported: &Imported) -> Inspection {
    let node_row =
        |n: &UnsupportedNode| NodeRow { name: n.name.clone(), op: n.op_type.clone(), reason: n.reason.clone() };
    let stopped_at = imported.stopped_at.as_ref().map(node_row);
    let not_imported: Vec<NodeRow> = imported.not_imported.iter().map(node_row).collect();
    let layers = inspect(&imported.graph);
    let unknown = stopped_at.iter().chain(&not_imported).filter(|n| !n.reason.is_empty()).count();
    Inspection { refusals: layers.refusals + unknown, stopped_at, not_imported, ..layers }
}

fn row(graph: &Graph, index: usize) -> LayerRow {
    let layer = &graph.layers[index];
    let out_elements = layer.output_shape.elements() as u64;
    let (params, macs, circulant_block) = match &layer.op {
        Op::Dense(d) => {
            let rows = (layer.input_shape.elements() / d.inputs().max(1)) as u64;
            let macs = rows * (d.inputs() * d.outputs()) as u64;
            (
                weight_params(d.weight.len(), d.bias.len()),
                macs,
                detect_block_size(&d.weight.data, d.outputs(), d.inputs()),
            )
        }
        Op::Conv(c) => {
            let per_output = (c.weight.len() / c.out_channels().max(1)) as u64;
            // Block-circulant in CirCNN's view (at every kernel position), as acec build detects it.
            let view = MatrixView::of_shape(c.weight.shape.dims());
            let largest = view.rows.max(view.channels).next_power_of_two();
            let block = (c.group == 1).then(|| view.detect_block_size(&c.weight.data, largest)).flatten();
            (weight_params(c.weight.len(), c.bias.len()), out_elements * per_output, block)
        }
        Op::Affine(a) => {
            let params = [&a.mul, &a.add].iter().filter_map(|t| t.as_ref()).map(|t| t.len() as u64).sum();
            (params, if a.mul.is_some() { out_elements } else { 0 }, None)
        }
        Op::PRelu(p) => (p.slopes.len() as u64, 0, None),
        _ => (0, 0, None),
    };
    let op = match &layer.op {
        Op::Refused(r) => r.op_type.clone(),
        op => op.kind().to_string(),
    };
    // As `build` compiles by default (a final softmax dropped).
    let refused = missing_kernel(graph, index, false);
    let reads = layer
        .inputs
        .iter()
        .map(|t| graph.producer(t).map_or_else(|| "input".to_string(), |p| graph.layers[p].name.clone()))
        .collect();
    LayerRow {
        name: layer.name.clone(),
        op,
        reads,
        refused,
        input_shape: layer.input_shape.0.clone(),
        output_shape: layer.output_shape.0.clone(),
        params,
        macs,
        circulant_block,
    }
}

fn weight_params(weights: usize, biases: usize) -> u64 {
    (weights + biases) as u64
}

/// The table `acec inspect` prints, then every reason `build` would refuse the model for.
pub fn render_text(inspection: &Inspection) -> String {
    let shape = |s: &[usize]| s.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("x");
    let mut reasons: Vec<String> = Vec::new();
    let mut mark = |reason: &str| {
        reasons.push(reason.to_string());
        format!("no [{}]", reasons.len())
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    for l in &inspection.layers {
        rows.push(vec![
            l.name.clone(),
            l.op.clone(),
            shape(&l.input_shape),
            shape(&l.output_shape),
            thousands(l.params),
            thousands(l.macs),
            l.circulant_block.map_or("-".into(), |b| format!("block {b}")),
            l.refused.as_deref().map_or_else(|| "yes".into(), &mut mark),
        ]);
    }
    for (n, imported) in inspection
        .stopped_at
        .iter()
        .map(|n| (n, "?"))
        .chain(inspection.not_imported.iter().map(|n| (n, "not imported")))
    {
        let build = if n.reason.is_empty() { "?".into() } else { mark(&n.reason) };
        rows.push(vec![
            n.name.clone(),
            n.op.clone(),
            imported.into(),
            imported.into(),
            "?".into(),
            "?".into(),
            "-".into(),
            build,
        ]);
    }
    rows.push(vec![
        "total".into(),
        String::new(),
        shape(&inspection.input_shape),
        if inspection.stopped_at.is_some() { "?".into() } else { shape(&inspection.output_shape) },
        thousands(inspection.totals.params),
        thousands(inspection.totals.macs),
        String::new(),
        String::new(),
    ]);
    let mut headers = vec!["layer", "op", "input", "output", "params", "MACs", "circulant", "build"];
    // A graph that branches: which layers each reads, where that is not simply the row above (last, as the
    // names are long).
    let reads: Vec<String> = inspection.layers.iter().enumerate().map(|(i, l)| edges(inspection, i, l)).collect();
    if reads.iter().any(|r| !r.is_empty()) {
        headers.push("reads");
        for (i, row) in rows.iter_mut().enumerate() {
            row.push(reads.get(i).cloned().unwrap_or_default());
        }
    }
    let mut text = render(&headers, &rows);
    if !reasons.is_empty() {
        text.push_str(&format!(
            "\n`acec build` refuses this model: {} node{} cannot be compiled.\n",
            inspection.refusals,
            if inspection.refusals == 1 { "" } else { "s" }
        ));
        for (i, reason) in reasons.iter().enumerate() {
            text.push_str(&format!("  [{}] {reason}\n", i + 1));
        }
    }
    text
}

/// What layer `index` reads, for the text table: empty when that is only the row above (or, for the first
/// row, the model input), else the producers' names in operand order.
fn edges(inspection: &Inspection, index: usize, layer: &LayerRow) -> String {
    let above = index.checked_sub(1).map_or("input", |i| inspection.layers[i].name.as_str());
    if layer.reads.len() == 1 && layer.reads[0] == above { String::new() } else { layer.reads.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Activation, Layer, Shape};

    fn relu(name: &str, reads: &[&str]) -> Layer {
        let mut layer = Layer::new(name, Op::Activation(Activation::Relu), Shape(vec![1, 4]), Shape(vec![1, 4]));
        (layer.inputs, layer.output) = (reads.iter().map(|r| r.to_string()).collect(), name.to_string());
        layer
    }

    /// A branching graph's table says what each layer reads where that is not the row above; a chain's has
    /// no such column.
    #[test]
    fn the_table_shows_the_edges_of_a_branching_graph_only() {
        let mut add = relu("sum", &["b", "a"]);
        add.op = Op::Add;
        let layers = vec![relu("a", &["x"]), relu("b", &["a"]), add];
        let graph = Graph {
            input_name: "x".into(),
            input_shape: Shape(vec![1, 4]),
            output_name: "sum".into(),
            layers,
            notes: vec![],
        };
        let text = render_text(&inspect(&graph));
        assert!(text.lines().next().unwrap().ends_with("reads"), "{text}");
        assert!(text.lines().any(|l| l.starts_with("sum") && l.ends_with("b, a")), "{text}");
        assert!(text.lines().any(|l| l.starts_with("b ") && !l.contains(", ")), "{text}");
        let chain = Graph::chain("x", Shape(vec![1, 4]), "b", vec![relu("a", &["x"]), relu("b", &["a"])]);
        assert!(!render_text(&inspect(&chain)).contains("reads"));
    }
}
