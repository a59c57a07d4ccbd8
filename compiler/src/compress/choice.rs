//! Resource-aware block choice: which block sizes the target allows for each dense layer, and what each
//! combination costs on the device (memory fit, modeled energy and cycles per inference), found by lowering
//! the model exactly as `acec build` does.
//!
//! Only dense layers are candidates: `acec build` runs circulant blocks only for them (convolutions compile
//! as dot products or FIR rows, not in circulant form, so a circulant kernel would save nothing on the
//! device).

use crate::ace::{self, BlockRequest, LowerOptions, block_fits, memory};
use crate::graph::{Graph, Op};
use crate::pipeline;
use crate::rad::calibrate::Ranges;
use crate::target::Target;

use super::CompressError;

/// A dense layer that may become block-circulant, with the block sizes the target can run for it.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Index into the graph's layers.
    pub layer: usize,
    pub name: String,
    pub rows: usize,
    pub cols: usize,
    /// Allowed block sizes, largest first.
    pub blocks: Vec<usize>,
}

/// One block size per candidate (`None`: dense), with its modeled cost on the target.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Costed {
    pub blocks: Vec<Option<usize>>,
    /// Parameters the device stores for the whole model.
    pub params: usize,
    pub cycles: u64,
    pub energy_uj: f64,
    /// `None` when the compiled model fits the target; otherwise why not.
    pub misfit: Option<String>,
}

pub fn lower_options(target: &Target) -> LowerOptions {
    pipeline::lower_options(target, BlockRequest::Detect)
}

/// Every dense layer with the block sizes `acec build` accepts for it on this target (possibly none).
pub fn candidates(graph: &Graph, target: &Target) -> Vec<Candidate> {
    let options = lower_options(target);
    let mut out = Vec::new();
    for (layer, l) in graph.layers.iter().enumerate() {
        let Op::Dense(d) = &l.op else { continue };
        let (rows, cols) = (d.outputs(), d.inputs());
        let mut blocks: Vec<usize> = (1..usize::BITS)
            .map(|p| 1usize << p)
            .take_while(|&b| b <= rows.min(cols))
            .filter(|&b| block_fits(rows, cols, b, &options))
            .collect();
        blocks.reverse();
        out.push(Candidate { layer, name: l.name.clone(), rows, cols, blocks });
    }
    out
}

/// Costs block configurations of one model on one target, as `acec build` lowers and places them, through
/// one cost model: a layer lowered the same way in two configurations is run once.
pub struct Costing<'a> {
    pub graph: &'a Graph,
    pub ranges: &'a Ranges,
    pub target: &'a Target,
    pub candidates: &'a [Candidate],
    options: LowerOptions,
}

impl<'a> Costing<'a> {
    pub fn new(graph: &'a Graph, ranges: &'a Ranges, target: &'a Target, candidates: &'a [Candidate]) -> Self {
        Costing { graph, ranges, target, candidates, options: lower_options(target) }
    }

    /// Lowers the model with these blocks (weights projected as `acec build --block` would) and costs it.
    pub fn cost(&self, blocks: Vec<Option<usize>>) -> Result<Costed, CompressError> {
        let per_layer =
            self.candidates.iter().zip(&blocks).filter_map(|(c, b)| b.map(|b| (c.name.clone(), b))).collect();
        // Dense layers without a block stay dense even if their weights happen to be circulant.
        let options = LowerOptions {
            blocks: if blocks.iter().all(Option::is_none) {
                BlockRequest::Never
            } else {
                BlockRequest::PerLayer(per_layer)
            },
            ..self.options.clone()
        };
        let mut program = match ace::lower(self.graph, self.ranges, &options) {
            Ok(program) => program,
            Err(e) => return Ok(Costed { blocks, params: 0, cycles: 0, energy_uj: 0.0, misfit: Some(e.to_string()) }),
        };
        // As `acec build` places it: weights that do not fit below 64 KB go to upper FRAM.
        memory::spill_to_upper_fram(&mut program, self.target);
        let misfit = memory::plan(&program, self.target).err().map(|e| e.to_string());
        let total = options.costs.program(&program).map_err(|e| CompressError::Internal(format!("host run: {e}")))?;
        Ok(Costed {
            blocks,
            params: program.steps.iter().map(|s| s.params_stored).sum(),
            cycles: total.cycles,
            energy_uj: total.energy_pj() as f64 / 1e6,
            misfit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onnx::{self, ImportOptions};
    use crate::rad::calibrate;

    /// LeNet on the MSP430 + LEA: fc1 (256 x 256) may take every power of two from the FFT minimum up, fc2
    /// (10 x 256) none. The search path starts dense (which fits only with fc1 in upper FRAM), raises fc1's
    /// block step by step with the modeled energy falling, and stores a block's worth fewer weights.
    #[test]
    fn lenet_blocks_and_the_search_path_follow_the_target() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let graph = onnx::load(&root.join("fmnist-lenet/model.onnx"), &ImportOptions::default()).unwrap();
        let target = crate::target::load("msp430-lea").unwrap();
        let candidates = candidates(&graph, &target);
        let blocks: Vec<(&str, &[usize])> = candidates.iter().map(|c| (c.name.as_str(), c.blocks.as_slice())).collect();
        assert_eq!(blocks, vec![("/fc1/Gemm", &[256, 128, 64, 32, 16][..]), ("/fc2/Gemm", &[][..])]);
        let ranges = calibrate::static_bound(&graph, 1.0);
        let data = crate::dataset::load(&root.join("data/fmnist-test.npz"), graph.input_shape.dims()).unwrap();
        let costing = Costing::new(&graph, &ranges, &target, &candidates);
        let path = crate::compress::search::path(&costing, &data.x[..8 * 784]).unwrap();
        let dense = &path[0];
        assert_eq!(dense.blocks, [None, None]);
        // Stored values: the model's, or more where a convolution is compiled as FFTs (kernel spectra).
        assert!(dense.params >= 70_934, "{}", dense.params);
        assert!(dense.misfit.is_none(), "{:?}", dense.misfit);
        assert!(path.len() >= 2, "{path:?}");
        for step in path.windows(2) {
            let (a, b) = (step[0].blocks[0].unwrap_or(1), step[1].blocks[0].unwrap_or(1));
            assert!(b > a && step[1].blocks[1].is_none(), "{path:?}");
            assert!(step[1].energy_uj < step[0].energy_uj, "{path:?}");
            assert_eq!(step[1].params, dense.params - 65_536 + 65_536 / b, "{path:?}");
        }
    }
}
