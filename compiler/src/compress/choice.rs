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

/// At most this many block combinations are costed; beyond it, name the blocks with `--block`.
pub const MAX_COMBINATIONS: usize = 512;

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

/// Every combination of allowed blocks (each layer also dense), costed, cheapest energy first among those
/// that fit, then the misfits.
pub fn costed_combinations(
    graph: &Graph,
    ranges: &Ranges,
    target: &Target,
    candidates: &[Candidate],
) -> Result<Vec<Costed>, CompressError> {
    let count = candidates.iter().try_fold(1usize, |n, c| n.checked_mul(c.blocks.len() + 1));
    if count.is_none_or(|n| n > MAX_COMBINATIONS) {
        return Err(CompressError::BadArgument(format!(
            "--block auto: the dense layers allow more than {MAX_COMBINATIONS} block combinations; name them with \
             --block LAYER=N,..."
        )));
    }
    let mut combinations: Vec<Vec<Option<usize>>> = vec![Vec::new()];
    for c in candidates {
        let options: Vec<Option<usize>> = c.blocks.iter().copied().map(Some).chain([None]).collect();
        combinations = combinations
            .into_iter()
            .flat_map(|prefix| {
                options.iter().map(move |o| {
                    let mut next = prefix.clone();
                    next.push(*o);
                    next
                })
            })
            .collect();
    }
    let phase = format!("costing {} block combinations on {}", combinations.len(), target.name);
    let bar = crate::cli::progress::bar(combinations.len() as u64, "combinations", &phase);
    let mut costed = Vec::with_capacity(combinations.len());
    for blocks in combinations {
        super::interrupt::check(&phase)?;
        costed.push(cost(graph, ranges, target, candidates, blocks)?);
        bar.inc(1);
    }
    bar.finish_and_clear();
    costed.sort_by(|a, b| {
        (a.misfit.is_some(), a.energy_uj, a.params)
            .partial_cmp(&(b.misfit.is_some(), b.energy_uj, b.params))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok(costed)
}

/// Lowers the model with these blocks (weights projected as `acec build --block` would) and meters it.
pub fn cost(
    graph: &Graph,
    ranges: &Ranges,
    target: &Target,
    candidates: &[Candidate],
    blocks: Vec<Option<usize>>,
) -> Result<Costed, CompressError> {
    let per_layer = candidates.iter().zip(&blocks).filter_map(|(c, b)| b.map(|b| (c.name.clone(), b))).collect();
    let mut options = lower_options(target);
    // Dense layers without a block stay dense even if their weights happen to be circulant.
    options.blocks =
        if blocks.iter().all(Option::is_none) { BlockRequest::Never } else { BlockRequest::PerLayer(per_layer) };
    let mut program = match ace::lower(graph, ranges, &options) {
        Ok(program) => program,
        Err(e) => return Ok(Costed { blocks, params: 0, cycles: 0, energy_uj: 0.0, misfit: Some(e.to_string()) }),
    };
    // As `acec build` places it: weights that do not fit below 64 KB go to upper FRAM.
    memory::spill_to_upper_fram(&mut program, target);
    let misfit = memory::plan(&program, target).err().map(|e| e.to_string());
    let costs = pipeline::step_costs(&program, target).map_err(|e| CompressError::Internal(e.to_string()))?;
    Ok(Costed {
        blocks,
        params: program.steps.iter().map(|s| s.params_stored).sum(),
        cycles: costs.iter().map(|c| c.cycles).sum(),
        energy_uj: costs.iter().map(|c| c.energy_pj()).sum::<u64>() as f64 / 1e6,
        misfit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onnx::{self, ImportOptions};
    use crate::rad::calibrate;

    /// LeNet on the MSP430 + LEA: fc1 (256 x 256) may take every power of two from the FFT minimum up, fc2
    /// (10 x 256) none; the costed list puts fitting configurations first, cheapest first, and the dense
    /// model (which needs more FRAM than the device has) among the misfits.
    #[test]
    fn lenet_blocks_and_costs_follow_the_target() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let graph = onnx::load(&root.join("fmnist-lenet/model.onnx"), &ImportOptions::default()).unwrap();
        let target = crate::target::load("msp430-lea").unwrap();
        let candidates = candidates(&graph, &target);
        let blocks: Vec<(&str, &[usize])> = candidates.iter().map(|c| (c.name.as_str(), c.blocks.as_slice())).collect();
        assert_eq!(blocks, vec![("/fc1/Gemm", &[256, 128, 64, 32, 16][..]), ("/fc2/Gemm", &[][..])]);
        let ranges = calibrate::static_bound(&graph, 1.0);
        let costed = costed_combinations(&graph, &ranges, &target, &candidates).unwrap();
        assert_eq!(costed.len(), 6);
        let fitting: Vec<&Costed> = costed.iter().take_while(|c| c.misfit.is_none()).collect();
        assert!(costed[fitting.len()..].iter().all(|c| c.misfit.is_some()));
        assert!(fitting.windows(2).all(|w| w[0].energy_uj <= w[1].energy_uj));
        let dense = costed.iter().find(|c| c.blocks == [None, None]).unwrap();
        // Stored values: the model's, or more where a convolution is compiled as FFTs (kernel spectra).
        assert!(dense.params >= 70_934, "{}", dense.params);
        // Uncompressed, fc1's weights go to upper FRAM (read by DMA): it fits, at a higher energy.
        assert!(dense.misfit.is_none(), "{:?}", dense.misfit);
        let b64 = costed.iter().find(|c| c.blocks == [Some(64), None]).unwrap();
        assert_eq!(b64.params, dense.params - 65_536 + 1_024);
    }
}
