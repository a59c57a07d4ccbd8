//! Resource-aware block choice: which block sizes the target allows for each dense layer, and what each
//! combination costs on the device (memory fit, modeled energy and cycles per inference), found by lowering
//! the model exactly as `acec build` does.
//!
//! Candidates are the dense layers and the plain (ungrouped) convolutions: `acec build` runs both as
//! block-circulant products on the accelerator (a convolution per output pixel, CirCNN's structure).
//! Whether a block pays is the search's question: it moves a layer to a block only where the modeled
//! energy falls.

use crate::ace::{self, BlockRequest, LowerOptions, block_fits, conv_block_fits, memory};
use crate::graph::{Graph, Op};
use crate::pipeline;
use crate::rad::calibrate::Ranges;
use crate::rad::circulant_view::MatrixView;
use crate::target::Target;

use super::CompressError;

/// A dense layer or convolution that may become block-circulant, with the block sizes the target can run
/// for it.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Index into the graph's layers.
    pub layer: usize,
    pub name: String,
    /// Its weight as the matrix whose blocks become circulant (`rows x cols`).
    pub view: MatrixView,
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

/// Every dense layer with the block sizes `acec build` accepts for it on this target (possibly none), and
/// every plain convolution the target can run in circulant form at some block.
pub fn candidates(graph: &Graph, target: &Target) -> Vec<Candidate> {
    let options = lower_options(target);
    let mut out = Vec::new();
    for (layer, l) in graph.layers.iter().enumerate() {
        let (view, conv) = match &l.op {
            Op::Dense(d) => (MatrixView::of_shape(d.weight.shape.dims()), None),
            Op::Conv(c) if c.group == 1 => (MatrixView::of_shape(c.weight.shape.dims()), Some(c)),
            _ => continue,
        };
        let (rows, cols) = (view.rows, view.cols());
        let fits = |b: usize| match conv {
            Some(c) => conv_block_fits(c, &l.input_shape, b, &options),
            None => block_fits(rows, cols, b, &options),
        };
        // Padded channels let a convolution's block exceed its channel counts.
        let largest = rows.max(cols).next_power_of_two();
        let mut blocks: Vec<usize> =
            (1..usize::BITS).map(|p| 1usize << p).take_while(|&b| b <= largest).filter(|&b| fits(b)).collect();
        blocks.reverse();
        if conv.is_some() && blocks.is_empty() {
            continue;
        }
        out.push(Candidate { layer, name: l.name.clone(), view, rows, cols, blocks });
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

    /// LeNet on the MSP430 + LEA: conv2 (16 x 6 channels, 5 x 5) may take block 16 (its input channels
    /// padded to 16: 400 vectors' values for 2,400 weights), conv1 none (padding 1 channel to 16 would store
    /// more than its 150 weights), fc1 (256 x 256) every power of two from the FFT minimum up, fc2 (10 x 256)
    /// none. The search path starts dense (which fits only with fc1 in upper FRAM) and raises one layer's
    /// block a step at a time with the modeled energy falling and fewer values stored.
    #[test]
    fn lenet_blocks_and_the_search_path_follow_the_target() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let graph = onnx::load(&root.join("fmnist-lenet/model.onnx"), &ImportOptions::default()).unwrap();
        let target = crate::target::load("msp430-lea").unwrap();
        let candidates = candidates(&graph, &target);
        let blocks: Vec<(&str, &[usize])> = candidates.iter().map(|c| (c.name.as_str(), c.blocks.as_slice())).collect();
        let expected = vec![
            ("/features/features.3/Conv", &[16][..]),
            ("/fc1/Gemm", &[256, 128, 64, 32, 16][..]),
            ("/fc2/Gemm", &[][..]),
        ];
        assert_eq!(blocks, expected);
        let ranges = calibrate::static_bound(&graph, 1.0);
        let data = crate::dataset::load(&root.join("data/fmnist-test.npz"), graph.input_shape.dims()).unwrap();
        let costing = Costing::new(&graph, &ranges, &target, &candidates);
        let path = crate::compress::search::path(&costing, &data.x[..8 * 784]).unwrap();
        let dense = &path[0];
        assert_eq!(dense.blocks, [None, None, None]);
        // Stored values: the model's, or more where a convolution is compiled as FFTs (kernel spectra).
        assert!(dense.params >= 70_934, "{}", dense.params);
        assert!(dense.misfit.is_none(), "{:?}", dense.misfit);
        assert!(path.len() >= 2, "{path:?}");
        for step in path.windows(2) {
            let changed: Vec<usize> = (0..3).filter(|&i| step[0].blocks[i] != step[1].blocks[i]).collect();
            assert_eq!(changed.len(), 1, "{path:?}");
            let (was, now) = (step[0].blocks[changed[0]].unwrap_or(1), step[1].blocks[changed[0]].unwrap_or(1));
            assert!(now > was && step[1].blocks[2].is_none(), "{path:?}");
            assert!(step[1].energy_uj < step[0].energy_uj && step[1].params < step[0].params, "{path:?}");
        }
    }
}
