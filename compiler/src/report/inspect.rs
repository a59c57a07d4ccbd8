//! `acec inspect`: one row per layer with shapes, parameters, MACs and detected circulant structure.

use serde::Serialize;

use super::table::{render, thousands};
use crate::graph::{Graph, Layer, Op};
use crate::rad::circulant::detect_block_size;

#[derive(Clone, Debug, Serialize)]
pub struct LayerRow {
    pub name: String,
    pub op: String,
    pub input_shape: Vec<usize>,
    pub output_shape: Vec<usize>,
    pub params: u64,
    pub macs: u64,
    /// The largest block size at which the weight matrix is exactly block-circulant.
    pub circulant_block: Option<usize>,
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
    pub totals: Totals,
}

pub fn inspect(graph: &Graph) -> Inspection {
    let layers: Vec<LayerRow> = graph.layers.iter().map(row).collect();
    let totals = Totals { params: layers.iter().map(|l| l.params).sum(), macs: layers.iter().map(|l| l.macs).sum() };
    Inspection {
        input_name: graph.input_name.clone(),
        input_shape: graph.input_shape.0.clone(),
        output_name: graph.output_name.clone(),
        output_shape: graph.output_shape().0.clone(),
        layers,
        totals,
    }
}

fn row(layer: &Layer) -> LayerRow {
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
            let block = detect_block_size(&c.weight.data, c.out_channels(), per_output as usize);
            (weight_params(c.weight.len(), c.bias.len()), out_elements * per_output, block)
        }
        Op::Affine(a) => {
            let params = [&a.mul, &a.add].iter().filter_map(|t| t.as_ref()).map(|t| t.len() as u64).sum();
            (params, if a.mul.is_some() { out_elements } else { 0 }, None)
        }
        _ => (0, 0, None),
    };
    LayerRow {
        name: layer.name.clone(),
        op: layer.op.kind().to_string(),
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

/// The table `acec inspect` prints.
pub fn render_text(inspection: &Inspection) -> String {
    let shape = |s: &[usize]| s.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("x");
    let mut rows: Vec<Vec<String>> = inspection
        .layers
        .iter()
        .map(|l| {
            vec![
                l.name.clone(),
                l.op.clone(),
                shape(&l.input_shape),
                shape(&l.output_shape),
                thousands(l.params),
                thousands(l.macs),
                l.circulant_block.map_or("-".into(), |b| format!("block {b}")),
            ]
        })
        .collect();
    rows.push(vec![
        "total".into(),
        String::new(),
        shape(&inspection.input_shape),
        shape(&inspection.output_shape),
        thousands(inspection.totals.params),
        thousands(inspection.totals.macs),
        String::new(),
    ]);
    render(&["layer", "op", "input", "output", "params", "MACs", "circulant"], &rows)
}
