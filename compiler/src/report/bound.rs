//! The bound `acec report` holds acec against: the least any program of the same layers could cost on the
//! target's LEA. Per step it is
//! - the LEA's arithmetic: the kernels' LEA cycles (their per-element and N log N terms) with DSPLib's
//!   per-call and per-command overhead at zero, so that overhead counts against acec, not the bound;
//! - plus the copies the memory hierarchy forces, at the copy kernels' per-word cost without their per-call
//!   cost (the DMA's cycles, charged as CPU-active cycles like every copy).
//!
//! **Forced copies.** The LEA reads and writes only LEA RAM. acec keeps weights in FRAM (they do not fit LEA
//! RAM, and LEA RAM is lost at every power failure) and activations in FRAM (a task's output must survive
//! the power failure after its commit). So a step that computes on the LEA (one that stages weights,
//! [`crate::ace::Call::staged_weights`]) must move, at least once each: every word of its weights from FRAM
//! (by DMA from upper FRAM where they live there), every word of its input activation in, and every word of
//! its output activation out. Re-staging (an input read once per band, a weight block per output row) is
//! not forced and is left out; so are biases, which the CPU adds from FRAM, and the CPU-only steps (pooling,
//! ReLU, softmax), which read FRAM directly.

use acec_runtime::{Charge, CostTable, Kernel, KernelCost, Terms};

use crate::ace::{Program, Space};
use crate::pipeline::Compiled;

/// Words a step must copy between FRAM and LEA RAM: `(near, far)`, where `far` words come from upper FRAM.
pub fn forced_copy_words(program: &Program, index: usize) -> (u64, u64) {
    let step = &program.steps[index];
    let Some(weights) = step.call.staged_weights() else {
        return (0, 0);
    };
    let weights = program.buffer(weights);
    let weight_words = (weights.bytes() / 2) as u64;
    // What the call itself reads (a grouped convolution's step, its groups' channels; a layer after a
    // branch, the tensor it reads, not the previous step's).
    let input_len = step.call.weighted_input_len().unwrap_or(0);
    let in_fram = |space| matches!(space, Space::FramConst | Space::FramUpper | Space::FramData);
    let activation_words =
        |act, len: usize| if in_fram(program.buffer(program.act_buffer(act)).space) { len } else { 0 };
    let activations = (activation_words(step.input, input_len) + activation_words(step.output, step.output_len)) as u64;
    match weights.space {
        Space::FramUpper => (activations, weight_words),
        space if in_fram(space) => (activations + weight_words, 0),
        _ => (activations, 0),
    }
}

/// A kernel's per-word cost alone: its fixed (per-call) terms dropped.
fn per_word(cost: KernelCost) -> KernelCost {
    let drop_a = |t: Terms| Terms { a_milli: 0, ..t };
    KernelCost { cpu: drop_a(cost.cpu), multiplier: drop_a(cost.multiplier), lea: drop_a(cost.lea) }
}

/// The bound of every step of `compiled`: its LEA arithmetic plus its forced copies (module docs).
pub fn step_bounds(compiled: &Compiled) -> Vec<Charge> {
    let table = compiled.target.with_dsplib_overhead_scale(0.0).cost_table();
    let copies = CostTable::new(table.rates)
        .with(Kernel::Copy, per_word(table.cost(Kernel::Copy)))
        .with(Kernel::FarCopy, per_word(table.cost(Kernel::FarCopy)));
    compiled
        .calls
        .iter()
        .enumerate()
        .map(|(index, calls)| {
            let cost = calls.priced(&table);
            let arithmetic = Charge {
                cycles: cost.lea_cycles,
                lea_cycles: cost.lea_cycles,
                lea_pj: cost.lea_pj,
                ..Charge::default()
            };
            let (near, far) = forced_copy_words(&compiled.program, index);
            let copied = copies.charge(Kernel::Copy, near as usize).plus(copies.charge(Kernel::FarCopy, far as usize));
            arithmetic.plus(copied)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{self, Request};

    /// digits-mlp is FC(64,256)-ReLU-FC(256,256)-ReLU-FC(256,10) (fixtures/README.md): each layer must move
    /// its weights, its input and its output once, wherever the memory plan put the weights.
    #[test]
    fn forced_copies_are_each_weight_input_and_output_word_once() {
        let model = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/digits-mlp/model.onnx");
        let compiled = pipeline::compile(&Request::new(model, "msp430-lea")).unwrap();
        let layers = [(64, 256), (256, 256), (256, 10)];
        assert_eq!(compiled.program.steps.len(), layers.len());
        let bounds = step_bounds(&compiled);
        let table = compiled.target.with_dsplib_overhead_scale(0.0).cost_table();
        let arithmetic: Vec<Charge> = compiled.calls.iter().map(|calls| calls.priced(&table)).collect();
        for (index, (inputs, outputs)) in layers.into_iter().enumerate() {
            let want = inputs * outputs + inputs + outputs;
            let (near, far) = forced_copy_words(&compiled.program, index);
            assert_eq!(near + far, want as u64, "layer {index}");
            // SLAU367 DMA: 2 MCLK a word plus one FRAM wait state (target.json `copy`, `far_copy`: b = 3),
            // without the 40 cycles of programming the channel: no per-call cost in the bound.
            assert_eq!(bounds[index].cycles, arithmetic[index].lea_cycles + 3 * want as u64, "layer {index}");
            assert!(bounds[index].cycles < compiled.costs[index].cycles, "the bound is below acec");
        }
    }
}
