//! The jitter backend of `acec verify --lsb-jitter` on a compiled fixture with circulant (FFT) layers: K = 0
//! is the soft backend bit for bit, K > 0 changes bits, and the same seed gives the same bits.

mod support;

use acec::ace::BlockRequest;
use acec::pipeline::{self, Compiled, Request};
use acec::verify::jitter::{Amplitude, JitterBackend};
use acec::verify::{run_compiled, run_compiled_on};
use support::repo_root;

const SAMPLES: usize = 24;

fn compiled() -> (Compiled, acec::dataset::Dataset) {
    let request = Request {
        blocks: BlockRequest::Detect,
        calib: Some(repo_root().join("fixtures/data/digits-train.npz")),
        ..Request::new(repo_root().join("fixtures/digits-mlp-rad/model.onnx"), "msp430-lea")
    };
    let compiled = pipeline::compile(&request).unwrap();
    let data =
        acec::dataset::load(&repo_root().join("fixtures/data/digits-test.npz"), compiled.graph.input_shape.dims())
            .unwrap()
            .truncated(SAMPLES);
    (compiled, data)
}

/// Raw outputs of every sample, sample i on `JitterBackend::for_sample(k, seed, i)`.
fn jittered(compiled: &Compiled, data: &acec::dataset::Dataset, k: i64, seed: u64) -> Vec<Vec<i16>> {
    let amplitude = Amplitude::new(k).unwrap();
    (0..data.len())
        .map(|i| {
            let mut backend = JitterBackend::for_sample(amplitude, seed, i);
            run_compiled_on(&compiled.program, &mut backend, data.sample(i)).unwrap()
        })
        .collect()
}

#[test]
fn jitter_is_exact_at_k_0_and_deterministic_per_seed_above() {
    let (compiled, data) = compiled();
    assert!(
        compiled.program.steps.iter().any(|s| matches!(s.call, acec::ace::Call::Circulant { .. })),
        "the fixture must run FFTs"
    );
    let exact: Vec<Vec<i16>> =
        (0..data.len()).map(|i| run_compiled(&compiled.program, data.sample(i)).unwrap()).collect();
    assert_eq!(jittered(&compiled, &data, 0, 1), exact);
    assert_eq!(jittered(&compiled, &data, 0, 99), exact);

    let one = jittered(&compiled, &data, 1, 1);
    assert_ne!(one, exact);
    assert_eq!(one, jittered(&compiled, &data, 1, 1));
    assert_ne!(one, jittered(&compiled, &data, 1, 2));
    // A sample's noise depends on the seed and its index only, not on the samples before it.
    let amplitude = Amplitude::new(1).unwrap();
    let last = SAMPLES - 1;
    let alone =
        run_compiled_on(&compiled.program, &mut JitterBackend::for_sample(amplitude, 1, last), data.sample(last))
            .unwrap();
    assert_eq!(alone, one[last]);
}
