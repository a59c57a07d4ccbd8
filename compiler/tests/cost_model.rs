//! The one cost model against the runtime's own meter: every figure it gives — a step's cost under the
//! target's table, under DSPLib's overhead scaled (the report's sensitivity) or left out (the bound), and
//! each FLEX task's energy — equals a metered run of the same work on the soft backend, the way the costs
//! were found before the model kept kernel calls and priced them.

mod support;

use acec::ace::exec::Machine;
use acec::flex::{EnergyBuffer, partition};
use acec::pipeline::{self, Compiled, Request};
use acec_runtime::{Charge, CostTable, Metered, SoftBackend};
use support::repo_root;

/// (fixture, calibration set under `fixtures/`): circulant FFT layers, FFT and FIR convolutions, pooling,
/// dense MACs, and (keras-ad-rad) weights in upper FRAM.
const FIXTURES: &[(&str, &str)] = &[
    ("fmnist-lenet-rad", "data/fmnist-train.npz"),
    ("mnist1d-conv-rad", "data/mnist1d-train.npz"),
    ("keras-ad-rad", "keras-ad/train.npz"),
];

fn compile(fixture: &str, calib: &str) -> Compiled {
    let request = Request {
        calib: Some(repo_root().join("fixtures").join(calib)),
        ..Request::new(repo_root().join("fixtures").join(fixture).join("model.onnx"), "msp430-lea")
    };
    pipeline::compile(&request).unwrap_or_else(|e| panic!("{fixture}: {e}"))
}

/// Work `work` of step `index`, run and metered under `table` on a fresh machine.
fn metered(compiled: &Compiled, table: &CostTable, index: usize, work: std::ops::Range<usize>) -> Charge {
    let mut acc = Metered::new(SoftBackend, table);
    Machine::new(&compiled.program).run_step(&mut acc, index, work).unwrap();
    acc.meter().total
}

#[test]
fn priced_calls_equal_metered_runs_under_every_overhead_setting() {
    for (fixture, data) in FIXTURES {
        let compiled = compile(fixture, data);
        let far = compiled.program.buffers.iter().any(|b| b.space == acec::ace::Space::FramUpper);
        assert_eq!(far, *fixture == "keras-ad-rad", "{fixture}: which fixture stages weights by DMA");
        for scale in [0.0, 0.25, 1.0, 2.0] {
            let table = compiled.target.with_dsplib_overhead_scale(scale).cost_table();
            for (index, calls) in compiled.calls.iter().enumerate() {
                let want = metered(&compiled, &table, index, 0..usize::MAX);
                assert_eq!(calls.priced(&table), want, "{fixture} step {index} at x{scale}");
                if scale == 1.0 {
                    assert_eq!(compiled.costs[index], want, "{fixture} step {index}");
                }
            }
        }
    }
}

#[test]
fn flex_tasks_cost_what_their_work_meters() {
    // Small enough that layers split into several tasks.
    let buffer = EnergyBuffer { capacitor_uf: 30.0, v_on: 3.0, v_off: 1.8, efficiency: 0.8 };
    let compiled = compile("fmnist-lenet-rad", "data/fmnist-train.npz");
    let plan = partition(&compiled.program, &compiled.target, &compiled.cost_model, buffer.usable_pj()).unwrap();
    assert!(plan.tasks.len() > compiled.program.steps.len(), "some layer splits");
    let table = compiled.target.cost_table();
    for task in &plan.tasks {
        let want = metered(&compiled, &table, task.step, task.start..task.end);
        assert_eq!((task.cycles, task.energy_pj), (want.cycles, want.energy_pj()), "{task:?}");
    }
}
