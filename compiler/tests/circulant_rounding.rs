//! The rounding of a compiled circulant layer, against the float layer (the graph interpreter, on the
//! exactly circulant weights of `fixtures/keras-ad-rad`). The layer's `q`
//! spectral products each truncate, which leaves every accumulated component about q/2 LSB low; lowering
//! folds the inverse FFT of that offset into the bias instead of adding it on the LEA. Folded wrongly (or
//! not at all), the first output of every block — where the inverse of a constant spectrum lands — is off
//! by about q/2 LSB on average (20 LSB for enc1, 640 inputs at block 16).

mod support;

use acec::ace::Call;
use acec::ace::exec::Machine;
use acec::graph::eval;
use acec::pipeline::{self, Request};
use acec::verify::quantize_input;
use acec_runtime::SoftBackend;
use support::repo_root;

#[test]
fn a_circulant_layer_has_no_systematic_error_at_any_block_position() {
    let root = repo_root().join("fixtures");
    let request = Request {
        calib: Some(root.join("keras-ad/train.npz")),
        ..Request::new(root.join("keras-ad-rad/model.onnx"), "msp430-lea")
    };
    let compiled = pipeline::compile(&request).unwrap();
    let program = &compiled.program;
    let step = &program.steps[0];
    let Call::Circulant { params, .. } = &step.call else { panic!("enc1 is circulant: {}", step.kind) };
    assert!(params.block_cols >= 32, "enough products that an unrounded sum is off by many LSB");
    let block = params.block;
    let samples = acec::dataset::load(&root.join("keras-ad/test.npz"), compiled.graph.input_shape.dims()).unwrap();
    let lsb = 2f64.powi(-step.output_frac);
    // Signed error per position within a block, over the outputs the ReLU does not clamp.
    let (mut sum, mut count) = (vec![0f64; block], vec![0usize; block]);
    for i in 0..samples.len().min(100) {
        let x = samples.sample(i);
        let float = &eval::run_layers(&compiled.graph, x)[step.float_layer];
        let mut machine = Machine::new(program);
        machine.load_input(&quantize_input(program, x));
        machine.run_step(&mut SoftBackend, 0, 0..usize::MAX).unwrap();
        for (o, (&q, &f)) in machine.activation(step.output, step.output_len).iter().zip(float).enumerate() {
            if f64::from(f) > 8.0 * lsb {
                sum[o % block] += f64::from(q) - f64::from(f) / lsb;
                count[o % block] += 1;
            }
        }
    }
    for (position, (s, n)) in sum.iter().zip(&count).enumerate() {
        assert!(*n > 100, "position {position}: {n} unclamped outputs");
        let mean = s / *n as f64;
        assert!(mean.abs() < 1.0, "position {position}: mean error {mean:.2} LSB");
    }
}
