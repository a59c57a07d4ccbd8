//! ONNX backend node tests (the conformance suite other ONNX tools use), for the supported ops: every input
//! but the first becomes a constant, as for a compiler with constant weights; the inferred output shape must
//! equal the stored output's, and the float interpreter must reproduce the stored output.

mod support;

use std::path::Path;

use acec::graph::eval;
use acec::onnx::{ImportOptions, Message, ModelProto, TensorProto, decode_tensor_proto, import_model};
use support::repo_root;

/// Cases whose op is supported but whose particular form is refused on purpose, with the reason.
const REFUSED: &[(&str, &str)] = &[
    ("test_averagepool_2d_dilations", "dilations [2, 2] are not supported for pooling"),
    ("test_maxpool_2d_dilations", "dilations [2, 2] are not supported for pooling"),
];

fn read_tensor(path: &Path) -> TensorProto {
    TensorProto::parse_from_bytes(&std::fs::read(path).unwrap()).unwrap()
}

/// Runs one case; `Err` says what went wrong.
fn check_case(dir: &Path) -> Result<(), String> {
    let mut model = ModelProto::parse_from_bytes(&std::fs::read(dir.join("model.onnx")).unwrap()).unwrap();
    let data = dir.join("test_data_set_0");
    let graph = model.graph.as_mut().ok_or("no graph")?;
    let input_names: Vec<String> = graph.input.iter().map(|i| i.name.clone()).collect();
    let mut first_input = None;
    for (i, name) in input_names.iter().enumerate() {
        let path = data.join(format!("input_{i}.pb"));
        if !path.exists() {
            continue;
        }
        let mut tensor = read_tensor(&path);
        tensor.name = name.clone();
        if i == 0 {
            first_input = Some(tensor);
        } else {
            graph.initializer.push(tensor);
        }
    }
    let first_input = decode_tensor_proto(&first_input.ok_or("no input_0.pb")?, dir).map_err(|e| e.to_string())?;
    let expected = decode_tensor_proto(&read_tensor(&data.join("output_0.pb")), dir).map_err(|e| e.to_string())?;
    let options = ImportOptions { input_shapes: vec![(input_names[0].clone(), first_input.shape.clone())] };
    let imported = import_model(&model, dir, &options).map_err(|e| format!("import failed: {e}"))?;
    if imported.output_shape().dims() != expected.shape.as_slice() {
        return Err(format!("output shape {:?}, expected {:?}", imported.output_shape().dims(), expected.shape));
    }
    let got = eval::run(&imported, &first_input.to_f32());
    let want = expected.to_f32();
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        if (g - w).abs() > 1e-4 * w.abs().max(1.0) {
            return Err(format!("element {i}: {g} vs stored {w}"));
        }
    }
    Ok(())
}

#[test]
fn supported_node_tests_infer_shapes_and_values() {
    let root = repo_root().join("fixtures/onnx-node");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("model.onnx").exists())
        .collect();
    cases.sort();
    assert!(cases.len() >= 50, "expected the committed node tests under {}", root.display());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let refused = REFUSED.iter().find(|(n, _)| *n == name);
        match (check_case(case), refused) {
            (Ok(()), None) => {}
            (Err(e), None) => failures.push(format!("{name}: {e}")),
            (Ok(()), Some(_)) => failures.push(format!("{name}: passes now; remove it from REFUSED")),
            (Err(e), Some((_, reason))) => assert!(e.contains(reason), "{name}: refused for another reason: {e}"),
        }
    }
    assert!(failures.is_empty(), "{} of {} node tests failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
