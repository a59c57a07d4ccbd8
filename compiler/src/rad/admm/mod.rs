//! RAD's training: ADMM puts block-circulant, Q15 structure into a trained network's layers, using candle
//! (CPU) for the network and its gradients.
//!
//! - [`grid`]: the Z-step's projection (block-circulant, then the Q15 grid) in plain Rust;
//! - [`param`]: one layer's weights, free or as defining vectors, with straight-through fake quantization;
//! - [`net`]: the layer graph as a candle network, and back;
//! - [`train`]: minibatch epochs and accuracy;
//! - [`solve`]: the ADMM rounds, hard projection and fine-tuning.

pub mod grid;
pub mod net;
pub mod param;
pub mod solve;
pub mod train;

pub use net::Net;
pub use solve::{Event, Outcome, Round, Schedule, compress};
pub use train::Samples;

#[derive(Debug, thiserror::Error)]
pub enum AdmmError {
    /// The model has a layer training cannot run (bad input: exit code 2).
    #[error("layer '{layer}' ({op}) cannot be trained: {detail}")]
    Unsupported { layer: String, op: String, detail: String },

    /// candle failed (a bug: exit code 1).
    #[error("training failed in candle: {0}")]
    Candle(#[from] candle_core::Error),

    /// Neither labels nor teacher outputs: nothing to fit (a bug in the caller: exit code 1).
    #[error("training has neither labels nor teacher outputs to fit")]
    NoObjective,

    /// The observer asked training to stop (the caller's Ctrl-C).
    #[error("training stopped by its caller")]
    Stopped,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ops::ControlFlow;

    use crate::graph::{Dense, Graph, Layer, Op, Shape, Tensor};
    use crate::rad::circulant::{detect_block_size, expand, project};
    use crate::xorshift::XorShift;

    fn uniform(rng: &mut XorShift) -> f32 {
        ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) as f32
    }

    /// A toy problem with a known circulant solution: labels come from a block-circulant teacher
    /// `y = argmax(T x)` (8 classes, two 4 x 4 circulant blocks per row of blocks). Training starts from the
    /// teacher plus dense noise; ADMM must pull the weight back to block-circulant form, end exactly
    /// circulant, and classify like the teacher.
    #[test]
    fn admm_recovers_a_circulant_teacher() {
        let mut rng = XorShift::new(5);
        let teacher_vectors: Vec<Vec<f32>> = (0..4).map(|_| (0..4).map(|_| uniform(&mut rng)).collect()).collect();
        let teacher = expand(&teacher_vectors, 8, 8, 4);
        let n = 600;
        let x: Vec<f32> = (0..n * 8).map(|_| uniform(&mut rng)).collect();
        let y: Vec<u32> = x
            .chunks(8)
            .map(|s| {
                let scores: Vec<f32> =
                    teacher.chunks(8).map(|row| row.iter().zip(s).map(|(w, v)| w * v).sum()).collect();
                (0..8).max_by(|&a, &b| scores[a].total_cmp(&scores[b])).unwrap() as u32
            })
            .collect();
        let start: Vec<f32> = teacher.iter().map(|w| w + 0.5 * uniform(&mut rng)).collect();
        let dense = Dense { weight: Tensor::new(vec![8, 8], start.clone()), bias: vec![0.0; 8] };
        let fc = Layer::new("fc", Op::Dense(dense), Shape(vec![1, 8]), Shape(vec![1, 8]));
        let graph = Graph::chain("x", Shape(vec![1, 8]), "y", vec![fc]);
        let data = Samples { x: &x, y: Some(&y), teacher: None, reference: None, count: n };
        let agreement = |net: &Net| train::accuracy(net, &data, true).unwrap();
        // The baseline ADMM must beat: the noisy start projected onto the structure without training.
        let mut projected = graph.clone();
        projected.layers[0].op = Op::Dense(Dense {
            weight: Tensor::new(vec![8, 8], expand(&project(&start, 8, 8, 4), 8, 8, 4)),
            bias: vec![0.0; 8],
        });
        let projection_only = agreement(&Net::from_graph(&projected).unwrap());
        let mut net = Net::from_graph(&graph).unwrap();
        let schedule = Schedule {
            rounds: 6,
            epochs_per_round: 3,
            finetune_epochs: 3,
            rho: 0.05,
            rho_growth: 2.0,
            lr: 0.01,
            finetune_lr: 0.005,
            batch: 32,
        };
        let outcome = compress(&mut net, &[(0, 4)], &data, &schedule, 1, &mut |_| ControlFlow::Continue(())).unwrap();
        let first = outcome.rounds.first().unwrap().primal_residual;
        let last = outcome.rounds.last().unwrap().primal_residual;
        assert!(last < first / 2.0, "residual {first} -> {last}");
        let trained = net.to_graph(&graph).unwrap();
        let Op::Dense(d) = &trained.layers[0].op else { unreachable!() };
        assert_eq!(detect_block_size(&d.weight.data, 8, 8), Some(4));
        // The noisy start is far from the teacher's structure; the result agrees with it on most samples, and
        // on more than projection alone.
        let trained_agreement = agreement(&net);
        assert!(trained_agreement >= 0.85, "agreement {trained_agreement}");
        assert!(trained_agreement > projection_only, "ADMM {trained_agreement} vs projection {projection_only}");
        let cosine = {
            let dot: f32 = d.weight.data.iter().zip(&teacher).map(|(a, b)| a * b).sum();
            let norm = |v: &[f32]| v.iter().map(|a| a * a).sum::<f32>().sqrt();
            dot / (norm(&d.weight.data) * norm(&teacher))
        };
        assert!(cosine > 0.95, "cosine to the teacher {cosine}");
    }
}
