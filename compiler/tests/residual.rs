//! A ResNet (fixtures/fmnist-resnet: three residual stacks, two with 1x1 strided shortcuts, exported by
//! PyTorch) through the whole pipeline, each claim against an outside reference: the float graph against
//! tract, the compiled program against the float model on the test set, power-failure runs against the
//! continuous run (bit-identical), and the buffer plan against the graph's own edges.

mod support;

use acec::ace::{Act, Call, Program};
use acec::flex::sim::{Failure, calls_per_inference, simulate};
use acec::flex::{EnergyBuffer, FlexError, check_hazards, partition};
use acec::graph::{Op, eval};
use acec::pipeline::{self, Compiled, Request};
use acec::reference::FloatReference;
use acec::verify::{compare, quantize_input};
use acec_runtime::SoftBackend;
use support::repo_root;

fn compile_resnet(buffer: Option<EnergyBuffer>) -> Compiled {
    let request = Request {
        energy_buffer: buffer,
        calib: Some(repo_root().join("fixtures/data/fmnist-train.npz")),
        ..Request::new(repo_root().join("fixtures/fmnist-resnet/model.onnx"), "msp430-lea")
    };
    pipeline::compile(&request).unwrap()
}

fn test_set(compiled: &Compiled) -> acec::dataset::Dataset {
    acec::dataset::load(&repo_root().join("fixtures/data/fmnist-test.npz"), compiled.graph.input_shape.dims()).unwrap()
}

#[test]
fn the_graph_has_its_skip_connections_and_computes_what_tract_computes() {
    let compiled = compile_resnet(None);
    let graph = &compiled.graph;
    assert!(!graph.is_sequential());
    let adds: Vec<usize> = (0..graph.layers.len()).filter(|&i| graph.layers[i].op == Op::Add).collect();
    assert_eq!(adds.len(), 3, "one Add per residual stack");
    // The first stack adds its input (the stem's output) unchanged; the other two a 1x1 shortcut conv.
    let shortcut = |add: usize| graph.producer(&graph.layers[add].inputs[1]).map(|p| graph.layers[p].op.kind());
    assert_eq!(adds.iter().map(|&a| shortcut(a)).collect::<Vec<_>>(), vec![Some("Relu"), Some("Conv"), Some("Conv")]);
    let path = repo_root().join("fixtures/fmnist-resnet/model.onnx");
    let reference = FloatReference::load(&path, graph.input_shape.dims()).unwrap();
    let data = test_set(&compiled);
    for i in 0..8 {
        let (ours, tract) = (eval::run(graph, data.sample(i)), reference.run(data.sample(i)).unwrap());
        for (k, (a, b)) in ours.iter().zip(&tract).enumerate() {
            assert!((a - b).abs() <= 1e-4 * b.abs().max(1.0), "sample {i} logit {k}: {a} vs tract {b}");
        }
    }
}

#[test]
fn the_compiled_resnet_keeps_its_float_accuracy() {
    let compiled = compile_resnet(None);
    let a = compare(&compiled.program, &test_set(&compiled), |x| eval::run(&compiled.graph, x)).unwrap();
    let (float, ours) = (a.float_accuracy.unwrap(), a.compiled_accuracy.unwrap());
    assert!(ours >= float - 0.01, "float {float}, compiled {ours}");
    assert!(a.agreement >= 0.98, "agreement {}", a.agreement);
}

/// Each Add's second operand is still, when the Add runs, what the layer it reads wrote: no step in
/// between overwrote that buffer, though the branch beside it ran in the meantime.
#[test]
fn a_skip_connection_keeps_its_buffer_until_the_add_reads_it() {
    let compiled = compile_resnet(None);
    let (graph, program) = (&compiled.graph, &compiled.program);
    assert_eq!(program.acts.len(), 3, "two ping-pong buffers and one for the skip connection");
    for (i, step) in program.steps.iter().enumerate() {
        let Call::Add { second, .. } = step.call else { continue };
        let layer = &graph.layers[step.float_layer];
        let writer = program.steps[..i].iter().rposition(|s| s.output == second).expect("something wrote it");
        // The graph tensor the Add reads second, and the layer that produced it (a fused ReLU included).
        let producer = graph.producer(&layer.inputs[1]);
        assert_eq!(Some(program.steps[writer].float_layer), producer, "{}", step.layer);
        assert_ne!(step.output, second);
        assert_ne!(step.output, step.input);
    }
}

#[test]
fn the_resnet_survives_power_failures_bit_identically() {
    let small = EnergyBuffer { capacitor_uf: 50.0, v_on: 3.0, v_off: 1.8, efficiency: 0.8 };
    let compiled = compile_resnet(Some(small));
    let (program, target) = (&compiled.program, &compiled.target);
    let plan = partition(program, target, &compiled.cost_model, small.usable_pj()).unwrap();
    assert!(plan.tasks.len() > program.steps.len(), "layers split into several tasks");
    check_hazards(program, &plan.tasks).unwrap();
    let input = quantize_input(program, test_set(&compiled).sample(0));
    let expected = acec::ace::exec::Machine::new(program).infer(&mut SoftBackend, &input).unwrap();
    let (calls, _) = calls_per_inference(program, &plan, target, &input).unwrap();
    for seed in 0..3u64 {
        let mut points: Vec<u64> = (0..40).map(|k| (k * 7919 + seed * 104_729) % calls).collect();
        points.sort_unstable();
        let outcome = simulate(program, &plan, target, &input, &expected, &Failure::Calls(points), seed).unwrap();
        assert!(outcome.completed && outcome.bit_identical, "seed {seed} gave {outcome:?}");
    }
    // One failure at each of 200 evenly spaced kernel calls (the whole run has thousands).
    for (i, at) in (0..calls).step_by((calls / 200).max(1) as usize).enumerate() {
        let outcome = simulate(program, &plan, target, &input, &expected, &Failure::AtCall(at), i as u64).unwrap();
        assert!(outcome.completed && outcome.bit_identical, "failure at call {at}: {outcome:?}");
    }
}

/// The WAR-hazard pass covers the second operand: an Add that wrote the buffer it reads second could not
/// re-run after a power failure, and is caught.
#[test]
fn an_add_writing_its_own_skip_operand_is_a_hazard() {
    let compiled = compile_resnet(None);
    let mut program: Program = compiled.program.clone();
    let add = program.steps.iter().position(|s| matches!(s.call, Call::Add { .. })).unwrap();
    let Call::Add { second, .. } = program.steps[add].call else { unreachable!() };
    program.steps[add].output = second;
    let plan = partition(&compiled.program, &compiled.target, &compiled.cost_model, u64::MAX).unwrap();
    match check_hazards(&program, &plan.tasks) {
        Err(FlexError::Hazard { layer, buffer, .. }) => {
            assert_eq!(layer, program.steps[add].layer);
            assert_eq!(buffer, program.buffer(program.act_buffer(second)).name);
        }
        other => panic!("expected a hazard, got {other:?}"),
    }
    assert_ne!(second, Act(0), "the skip operand is not the input buffer");
}
