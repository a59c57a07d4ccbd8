//! Every kind of bad input ends with exit code 2 and a message that names the culprit, never a panic.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{Attr, ModelBuilder, repo_root, temp_dir};

fn acec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acec")).args(args).output().expect("the acec binary runs")
}

/// `acec build MODEL --target msp430-lea -o OUT`.
fn build(model: &Path, out: &Path) -> Output {
    acec(&["build", model.to_str().unwrap(), "--target", "msp430-lea", "-o", out.to_str().unwrap()])
}

/// x (1x4) -> Softplus 'squash' -> Relu 'ok' -> LSTM 'memory' -> c: an op acec lacks that keeps its input's shape,
/// a supported one, and one whose output shape acec cannot know.
fn tanh_relu_lstm() -> ModelBuilder {
    ModelBuilder::new(13)
        .input("x", &[Some(1), Some(4)])
        .node("Softplus", "squash", &["x"], &["a"], &[])
        .node("Relu", "ok", &["a"], &["b"], &[])
        .node("LSTM", "memory", &["b"], &["c"], &[])
}

/// Asserts exit code 2 and that stderr contains every needle; returns stderr.
fn assert_bad_input(output: &Output, needles: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    }
    stderr
}

fn dense_model(input_dims: &[Option<i64>]) -> ModelBuilder {
    ModelBuilder::new(13)
        .input("x", input_dims)
        .initializer("w", &[4, 3], vec![0.5; 12])
        .node("Gemm", "fc", &["x", "w"], &["y"], &[])
        .output("y")
}

#[test]
fn missing_file_is_bad_input() {
    assert_bad_input(&acec(&["inspect", "/nonexistent/model.onnx"]), &["/nonexistent/model.onnx"]);
}

#[test]
fn directory_is_bad_input() {
    let dir = temp_dir("directory");
    assert_bad_input(&acec(&["inspect", dir.to_str().unwrap()]), &["cannot read"]);
}

#[test]
fn truncated_model_is_bad_input() {
    let bytes = std::fs::read(repo_root().join("fixtures/fmnist-lenet/model.onnx")).unwrap();
    let dir = temp_dir("truncated");
    let path = dir.join("cut.onnx");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    assert_bad_input(&acec(&["inspect", path.to_str().unwrap()]), &["cut.onnx", "not a valid ONNX file"]);
}

#[test]
fn text_file_is_not_a_model() {
    let dir = temp_dir("text");
    let path = dir.join("notes.onnx");
    std::fs::write(&path, "this is not a model\n").unwrap();
    let stderr = assert_bad_input(&acec(&["inspect", path.to_str().unwrap()]), &["notes.onnx"]);
    assert!(stderr.contains("not a valid ONNX file") || stderr.contains("not an ONNX model"), "{stderr}");
}

#[test]
fn empty_file_is_bad_input() {
    let dir = temp_dir("empty");
    let path = dir.join("empty.onnx");
    std::fs::write(&path, b"").unwrap();
    assert_bad_input(&acec(&["inspect", path.to_str().unwrap()]), &["empty"]);
}

#[test]
fn dynamic_dimension_names_the_input_and_the_fix() {
    let dir = temp_dir("dynamic");
    let path = dense_model(&[Some(1), None]).write(&dir, "dyn.onnx");
    let path = path.to_str().unwrap();
    assert_bad_input(&acec(&["inspect", path]), &["input 'x'", "axis 1", "--input-shape x=1x1"]);
    let fixed = acec(&["inspect", path, "--input-shape", "x=1x4"]);
    assert_eq!(fixed.status.code(), Some(0), "{}", String::from_utf8_lossy(&fixed.stderr));
}

#[test]
fn a_free_batch_dimension_is_one_with_a_note() {
    let dir = temp_dir("batch");
    let path = dense_model(&[None, Some(4)]).write(&dir, "batch.onnx");
    let path = path.to_str().unwrap();
    let out = acec(&["inspect", path]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("note: input 'x' has a free batch dimension; compiling for batch 1, shape 1x4"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    // An explicit shape wins, and says nothing.
    let explicit = acec(&["inspect", path, "--input-shape", "x=1x4"]);
    assert_eq!(explicit.status.code(), Some(0));
    assert!(explicit.stderr.is_empty(), "{}", String::from_utf8_lossy(&explicit.stderr));
}

#[test]
fn input_shape_cannot_change_a_dimension_the_model_fixes() {
    let dir = temp_dir("fixed-dim");
    let path = dense_model(&[None, Some(4)]).write(&dir, "fixed.onnx");
    let path = path.to_str().unwrap();
    assert_bad_input(&acec(&["inspect", path, "--input-shape", "x=1x8"]), &["fixes axis 1", "at 4", "?x4"]);
    assert_bad_input(&acec(&["inspect", path, "--input-shape", "x=1x2x2"]), &["2 axes", "has 3"]);
}

#[test]
fn a_transpose_beyond_the_gather_kernel_is_refused_by_name() {
    let dir = temp_dir("transpose");
    // Five axes longer than 1 reversed: the gather kernel steps through at most four.
    let path = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(2), Some(2), Some(2), Some(2), Some(2)])
        .node("Transpose", "shuffle", &["x"], &["t"], &[("perm", Attr::Ints(vec![0, 5, 4, 3, 2, 1]))])
        .node("Relu", "relu", &["t"], &["y"], &[])
        .output("y")
        .write(&dir, "rank6.onnx");
    let out = dir.join("out");
    assert_bad_input(&build(&path, &out), &["shuffle", "perm [0, 5, 4, 3, 2, 1]", "at most four"]);
    assert!(!out.exists(), "nothing written");
}

#[test]
fn bad_input_shape_argument_is_bad_input() {
    let dir = temp_dir("shape-arg");
    let path = dense_model(&[Some(1), Some(4)]).write(&dir, "m.onnx");
    assert_bad_input(&acec(&["inspect", path.to_str().unwrap(), "--input-shape", "x=1xfour"]), &["x=1xfour"]);
    assert_bad_input(
        &acec(&["inspect", path.to_str().unwrap(), "--input-shape", "nope=1x4"]),
        &["no input 'nope'", "x"],
    );
}

#[test]
fn every_unsupported_node_is_listed_at_once() {
    let dir = temp_dir("unsupported");
    let path = tanh_relu_lstm()
        .node_in_domain("com.example", "Magic", "custom", &["c"], &["y"], &[])
        .output("y")
        .write(&dir, "m.onnx");
    let out = dir.join("out");
    let stderr = assert_bad_input(
        &build(&path, &out),
        &[
            "3 unsupported nodes",
            "'squash': Softplus",
            "'memory': LSTM",
            "'custom': Magic (domain com.example",
            "opset 13",
            "Gemm",
        ],
    );
    assert!(!stderr.contains("'ok'"), "a supported node was listed: {stderr}");
    assert!(!out.exists());
}

#[test]
fn inspect_shows_the_whole_model_and_marks_what_build_refuses() {
    let dir = temp_dir("inspect-marks");
    let path = tanh_relu_lstm().node("Relu", "after", &["c"], &["y"], &[]).output("y").write(&dir, "m.onnx");
    let out = acec(&["inspect", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let row = |name: &str| stdout.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("{name}:\n{stdout}"));
    // Softplus keeps its shape, so the import goes on past it; LSTM's output shape is unknown, so it stops there.
    assert!(row("squash").contains("1x4") && row("squash").contains("no [1]"), "{stdout}");
    assert!(row("ok").contains("yes"), "{stdout}");
    assert!(row("memory").contains("no [2]"), "{stdout}");
    assert!(row("after").contains("not imported"), "{stdout}");
    assert!(stdout.contains("refuses this model: 2 nodes"), "{stdout}");
    assert!(stdout.contains("[1] acec has no Softplus op") && stdout.contains("[2] acec has no LSTM op"), "{stdout}");
    let json = acec(&["inspect", path.to_str().unwrap(), "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(value["refusals"], 2);
    assert_eq!(value["layers"][0]["refused"], "acec has no Softplus op");
    assert_eq!(value["stopped_at"]["name"], "memory");
    assert_eq!(value["not_imported"][0]["name"], "after");
}

#[test]
fn inspect_marks_a_layer_lowering_has_no_kernel_for_with_the_reason_build_gives() {
    let dir = temp_dir("no-kernel");
    // A LogSoftmax in the middle of the model: imported, evaluated, but with no fixed-point kernel.
    let path = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(4)])
        .node("LogSoftmax", "turn", &["x"], &["a"], &[])
        .node("Relu", "relu", &["a"], &["y"], &[])
        .output("y")
        .write(&dir, "m.onnx");
    let inspected = acec(&["inspect", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&inspected.stdout);
    assert_eq!(inspected.status.code(), Some(0));
    assert!(stdout.lines().any(|l| l.starts_with("turn") && l.contains("no [1]")), "{stdout}");
    assert!(stdout.contains("[1] a LogSoftmax the program must keep"), "{stdout}");
    let out = dir.join("out");
    assert_bad_input(&build(&path, &out), &["turn", "a LogSoftmax the program must keep"]);
}

#[test]
fn an_attribute_refusal_is_listed_with_every_other_refusal() {
    let dir = temp_dir("attribute");
    let path = ModelBuilder::new(15)
        .input("x", &[Some(1), Some(2), Some(4), Some(4)])
        .initializer("scale", &[2], vec![1.0, 2.0])
        .initializer("bias", &[2], vec![0.0, 0.5])
        .initializer("mean", &[2], vec![0.1, 0.2])
        .initializer("var", &[2], vec![1.0, 1.5])
        .node(
            "BatchNormalization",
            "bn",
            &["x", "scale", "bias", "mean", "var"],
            &["a"],
            &[("training_mode", Attr::Int(1))],
        )
        .node("Softplus", "squash", &["a"], &["b"], &[])
        .node("Relu", "relu", &["b"], &["y"], &[])
        .output("y")
        .write(&dir, "m.onnx");
    let out = dir.join("out");
    assert_bad_input(
        &build(&path, &out),
        &["2 unsupported nodes", "'bn': BatchNormalization", "training_mode=1", "'squash': Softplus"],
    );
    // inspect keeps both rows with their shapes (each keeps its input's) and goes on.
    let inspected = acec(&["inspect", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&inspected.stdout);
    assert_eq!(inspected.status.code(), Some(0));
    assert!(stdout.lines().any(|l| l.starts_with("bn") && l.contains("1x2x4x4") && l.contains("no [1]")), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("relu") && l.contains("yes")), "{stdout}");
}

#[test]
fn inconsistent_shapes_name_the_node() {
    let dir = temp_dir("mismatch");
    // The weight expects 3 inputs, the model feeds 5.
    let path = dense_model(&[Some(1), Some(5)]).write(&dir, "m.onnx");
    assert_bad_input(&acec(&["inspect", path.to_str().unwrap()]), &["'fc'", "Gemm", "inconsistent shapes"]);
}

#[test]
fn a_branch_without_a_kernel_is_refused_with_the_node_name() {
    let dir = temp_dir("branch");
    let path = ModelBuilder::new(13)
        .input("x", &[Some(1), Some(4)])
        .node("Relu", "a", &["x"], &["r"], &[])
        .node("Div", "gate", &["r", "x"], &["y"], &[])
        .output("y")
        .write(&dir, "m.onnx");
    let out = dir.join("out");
    assert_bad_input(&build(&path, &out), &["'gate'", "Div", "two computed tensors"]);
    let inspected = acec(&["inspect", path.to_str().unwrap()]);
    assert_eq!(inspected.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&inspected.stdout);
    assert!(stdout.lines().any(|l| l.starts_with("gate") && l.contains("no [1]")), "{stdout}");
}

#[test]
fn opset_out_of_range_is_bad_input() {
    let dir = temp_dir("opset");
    let model = ModelBuilder::new(5).input("x", &[Some(1), Some(4)]).node("Relu", "a", &["x"], &["y"], &[]).output("y");
    let path = model.write(&dir, "m.onnx");
    assert_bad_input(&acec(&["inspect", path.to_str().unwrap()]), &["opset 5", "7 to 25"]);
}
