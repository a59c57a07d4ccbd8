//! What a command tells its user to do next: command lines that work when pasted, and the notes and
//! warnings a compile prints when its result rests on an assumption or on weights it had to approximate.

use super::CompileArgs;
use crate::ace::LowerError;
use crate::error::Error;
use crate::graph::Op;
use crate::pipeline::{self, CALIBRATION_SAMPLES, Compiled, STATIC_INPUT_BOUND};
use crate::rad::circulant_view::MatrixView;

/// Below this SNR a layer `--block` projected has lost most of what it computed: the point where a
/// classifier's accuracy is no longer what the float model's was (Q15 itself keeps 30 dB and more).
pub const PROJECTION_SNR_WARN_DB: f64 = 20.0;

/// Stands for the user's training data in a suggested `acec compress` when no `--calib` file was given.
const TRAIN_PLACEHOLDER: &str = "TRAIN.npz";

/// `text` as one shell word: as is when no shell gives its characters a meaning, else single-quoted.
fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=+,:@%".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The commands that train `args.model`'s layers block-circulant and build the result, to paste:
/// `acec compress` with the `--calib` file as its training data (it needs labels `y` there) or a
/// placeholder, the same target and input shapes, `block` as its `--block`, and an output in the working
/// directory named after the model; then `acec build` of that output.
pub fn compress_commands(args: &CompileArgs, block: Option<&str>) -> String {
    let output = format!("{}-rad.onnx", pipeline::model_name(&args.model));
    let data = args.calib.as_ref().map_or(TRAIN_PLACEHOLDER.to_string(), |p| shell_word(&p.to_string_lossy()));
    let mut shared = vec!["--target".to_string(), shell_word(&args.target)];
    for shape in &args.import.input_shapes {
        shared.extend(["--input-shape".to_string(), shell_word(shape)]);
    }
    let mut compress = vec!["acec compress".to_string(), shell_word(&args.model.to_string_lossy()), "--data".into()];
    compress.push(data);
    compress.extend(shared.iter().cloned());
    if let Some(block) = block {
        compress.extend(["--block".to_string(), shell_word(block)]);
    }
    compress.extend(["-o".to_string(), output.clone()]);
    let mut build = vec!["acec build".to_string(), output];
    if let Some(calib) = &args.calib {
        build.extend(["--calib".to_string(), shell_word(&calib.to_string_lossy())]);
    }
    build.extend(shared);
    let placeholder = if args.calib.is_none() {
        format!(" ({TRAIN_PLACEHOLDER}: your training data, an .npz with `x` and labels `y`)")
    } else {
        String::new()
    };
    format!("`{}`{placeholder}, then `{}`", compress.join(" "), build.join(" "))
}

/// Why `compiled` does not fit its target, with the commands that compress its layers when FRAM overflows
/// and it has any stored uncompressed that `acec compress` can train block-circulant (dense layers and
/// plain convolutions; the error `build` ends with, exit code 2). When even removing all their weights
/// would not save the bytes it is over (grouped convolutions or other layers hold them), it says so
/// instead: `acec compress` could not make it fit.
pub fn does_not_fit(error: &LowerError, compiled: &Compiled, args: &CompileArgs) -> Error {
    let program = &compiled.program;
    // The layers `acec compress` could make block-circulant on this target, and the steps computing them.
    let candidates = crate::compress::choice::candidates(&compiled.graph, &compiled.target);
    let names: Vec<&str> = candidates.iter().filter(|c| !c.blocks.is_empty()).map(|c| c.name.as_str()).collect();
    let computes = |layer: &str| names.iter().any(|n| layer == *n || layer.starts_with(&format!("{n} + ")));
    let steps = || program.steps.iter().filter(|s| computes(&s.layer));
    let bytes: u64 = steps().filter_map(|s| s.call.staged_weights()).map(|id| program.buffer(id).bytes() as u64).sum();
    let (in_fram, over) = match error {
        LowerError::DoesNotFit { region, over_bytes, .. } => (region.starts_with("fram"), *over_bytes),
        _ => (false, 0),
    };
    let advice = if names.is_empty() || !in_fram {
        String::new()
    } else if bytes <= over {
        format!(
            "; the layers acec compress can make block-circulant on this target hold only {bytes} bytes of weights, so \
             compressing them cannot save the {over} bytes it is over: layers it cannot compress (grouped \
             convolutions, convolutions with too few channels for the accelerator's FFT sizes) hold the rest"
        )
    } else {
        format!(
            "; to make it fit, train these layers block-circulant ({}): {}",
            names.join(", "),
            compress_commands(args, None)
        )
    };
    Error::DoesNotFit { error: error.clone(), advice }
}

/// Without `--calib`, one line (stderr) saying what the activation ranges assume and how to measure them.
pub fn note_calibration(args: &CompileArgs) {
    if args.calib.is_none() {
        eprintln!(
            "note: no --calib: activation ranges assume inputs in [-{STATIC_INPUT_BOUND}, {STATIC_INPUT_BOUND}]; \
             inputs beyond that saturate and cost accuracy. Pass samples of real inputs with --calib FILE.npz \
             (`x`: samples x input shape; up to {CALIBRATION_SAMPLES} are used)"
        );
    }
}

/// One warning per circulant layer whose weights `--block` projected (they were not block-circulant)
/// with an SNR below [`PROJECTION_SNR_WARN_DB`]: the layer's output SNR against the float model (`snr`,
/// per step, measured on the calibration data) or, without calibration data, how much of its weights the
/// projection kept. Then one line with the commands that train those layers instead.
pub fn projection_warnings(compiled: &Compiled, snr: &[Option<f64>], args: &CompileArgs) -> Vec<String> {
    let mut warnings = Vec::new();
    for (step, snr) in compiled.program.steps.iter().zip(snr) {
        let Some(block) = step.call.circulant_block() else { continue };
        // The step's weighted layer: the last one it covers (a fused ReLU may follow it), its weight read as
        // the matrix whose blocks are circulant (a convolution's channels at every kernel position).
        let weighted = compiled.graph.layers[..=step.float_layer].iter().rev().find_map(|l| match &l.op {
            Op::Dense(d) => Some((&l.name, &d.weight)),
            Op::Conv(c) => Some((&l.name, &c.weight)),
            _ => None,
        });
        let Some((name, weight)) = weighted else { continue };
        let view = MatrixView::of_shape(weight.shape.dims());
        if view.is_circulant_at(&weight.data, block) {
            continue;
        }
        let (db, what) = match snr {
            Some(db) => (*db, "its output keeps"),
            None => (view.projection_snr_db(&weight.data, block), "the projection keeps its weights at"),
        };
        if db >= PROJECTION_SNR_WARN_DB {
            continue;
        }
        let against = if snr.is_some() {
            "against the float model on the calibration data"
        } else {
            "(pass --calib for the output's SNR)"
        };
        warnings.push(format!(
            "layer '{name}' (--block {block}): {what} {db:.1} dB SNR {against}, below {PROJECTION_SNR_WARN_DB} dB. \
             Its weights are not block-circulant, so --block replaced them by the nearest block-circulant matrix \
             and most of what the layer computes is lost: expect a large accuracy drop (measure it with `acec \
             verify --data TEST.npz` and the same --block). Fix: train it block-circulant with `acec compress` \
             (below)"
        ));
    }
    if !warnings.is_empty() {
        warnings.push(format!(
            "to keep the accuracy, train the layers block-circulant instead of projecting them: {}",
            compress_commands(args, args.block.as_deref())
        ));
    }
    warnings
}

/// The warning `compress` ends with when the model it wrote loses more than the budget: what to try next.
/// Longer training is the first thing: the default `--epochs` suits the shipped classifiers, and the
/// autoencoder fixture (keras-ad, block 16) went from +149% MSE at 60 epochs to +61% at 200 and +5% at 600.
pub fn over_budget(report: &crate::compress::report::Report, budget: &crate::compress::score::Budget) -> String {
    let limit = budget.describe(&report.score_after);
    format!(
        "warning: the compressed model loses {} against the original (budget {limit}); train longer (this run had \
         --epochs {}; try --epochs {}), or ask for smaller blocks (--block LAYER=N,..., layers as the report names \
         them)",
        report.loss_text,
        report.epochs,
        (report.epochs * 10).max(100)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_a_shell_would_split_or_expand_them() {
        assert_eq!(shell_word("fixtures/a-b_c.onnx"), "fixtures/a-b_c.onnx");
        assert_eq!(shell_word("/fc1/Gemm=64,fc2=32"), "/fc1/Gemm=64,fc2=32");
        assert_eq!(shell_word("my model.onnx"), "'my model.onnx'");
        assert_eq!(shell_word("it's.onnx"), r"'it'\''s.onnx'");
        assert_eq!(shell_word("$HOME"), "'$HOME'");
    }
}
