//! Builds small ONNX models in memory, so tests can state exactly what a model contains.
#![allow(dead_code)]

pub mod firmware;
pub mod fr5994_header;
pub mod gated;

use std::path::{Path, PathBuf};

use onnx_protobuf::attribute_proto::AttributeType;
use onnx_protobuf::tensor_proto::DataType;
use onnx_protobuf::tensor_shape_proto::Dimension;
use onnx_protobuf::tensor_shape_proto::dimension::Value as DimValue;
use onnx_protobuf::type_proto::{Tensor as TensorType, Value as TypeValue};
use onnx_protobuf::{
    AttributeProto, GraphProto, Message, ModelProto, NodeProto, OperatorSetIdProto, TensorProto, TensorShapeProto,
    TypeProto, ValueInfoProto,
};

/// The repository root (fixtures live there).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("compiler/ has a parent").to_path_buf()
}

pub enum Attr {
    Int(i64),
    Ints(Vec<i64>),
    Float(f32),
    Str(&'static str),
}

pub struct ModelBuilder {
    model: ModelProto,
}

impl ModelBuilder {
    pub fn new(opset: i64) -> Self {
        let mut model = ModelProto::new();
        model.ir_version = 8;
        let mut op = OperatorSetIdProto::new();
        op.version = opset;
        model.opset_import.push(op);
        model.graph = Some(GraphProto::new()).into();
        ModelBuilder { model }
    }

    fn graph(&mut self) -> &mut GraphProto {
        self.model.graph.as_mut().expect("set in new")
    }

    /// A float input; `None` dimensions are symbolic ("N").
    pub fn input(mut self, name: &str, dims: &[Option<i64>]) -> Self {
        let info = value_info(name, dims);
        self.graph().input.push(info);
        self
    }

    pub fn output(mut self, name: &str) -> Self {
        let info = value_info(name, &[]);
        self.graph().output.push(info);
        self
    }

    pub fn initializer(mut self, name: &str, dims: &[i64], data: Vec<f32>) -> Self {
        let mut t = TensorProto::new();
        t.name = name.into();
        t.dims = dims.to_vec();
        t.data_type = DataType::FLOAT as i32;
        t.float_data = data;
        self.graph().initializer.push(t);
        self
    }

    /// An int64 initializer (axes, shapes).
    pub fn int64_initializer(mut self, name: &str, dims: &[i64], data: Vec<i64>) -> Self {
        let mut t = TensorProto::new();
        t.name = name.into();
        t.dims = dims.to_vec();
        t.data_type = DataType::INT64 as i32;
        t.int64_data = data;
        self.graph().initializer.push(t);
        self
    }

    pub fn node(self, op: &str, name: &str, inputs: &[&str], outputs: &[&str], attrs: &[(&str, Attr)]) -> Self {
        self.node_in_domain("", op, name, inputs, outputs, attrs)
    }

    pub fn node_in_domain(
        mut self,
        domain: &str,
        op: &str,
        name: &str,
        inputs: &[&str],
        outputs: &[&str],
        attrs: &[(&str, Attr)],
    ) -> Self {
        let mut node = NodeProto::new();
        node.op_type = op.into();
        node.domain = domain.into();
        node.name = name.into();
        node.input = inputs.iter().map(|s| s.to_string()).collect();
        node.output = outputs.iter().map(|s| s.to_string()).collect();
        for (attr_name, value) in attrs {
            let mut a = AttributeProto::new();
            a.name = attr_name.to_string();
            match value {
                Attr::Int(i) => {
                    a.type_ = AttributeType::INT.into();
                    a.i = *i;
                }
                Attr::Ints(v) => {
                    a.type_ = AttributeType::INTS.into();
                    a.ints = v.clone();
                }
                Attr::Float(f) => {
                    a.type_ = AttributeType::FLOAT.into();
                    a.f = *f;
                }
                Attr::Str(s) => {
                    a.type_ = AttributeType::STRING.into();
                    a.s = s.as_bytes().to_vec();
                }
            }
            node.attribute.push(a);
        }
        self.graph().node.push(node);
        self
    }

    pub fn bytes(&self) -> Vec<u8> {
        self.model.write_to_bytes().expect("a model built in memory serializes")
    }

    /// Writes the model to `dir/name` and returns the path.
    pub fn write(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, self.bytes()).expect("temp dir is writable");
        path
    }
}

fn value_info(name: &str, dims: &[Option<i64>]) -> ValueInfoProto {
    let mut shape = TensorShapeProto::new();
    for d in dims {
        let mut dim = Dimension::new();
        dim.value = Some(match d {
            Some(v) => DimValue::DimValue(*v),
            None => DimValue::DimParam("N".into()),
        });
        shape.dim.push(dim);
    }
    let mut tensor = TensorType::new();
    tensor.elem_type = DataType::FLOAT as i32;
    tensor.shape = Some(shape).into();
    let mut ty = TypeProto::new();
    ty.value = Some(TypeValue::TensorType(tensor));
    let mut info = ValueInfoProto::new();
    info.name = name.into();
    info.type_ = Some(ty).into();
    info
}

/// A seeded value in [-1, 1).
pub fn noise(i: usize, seed: usize) -> f32 {
    let x = ((i * 7919 + seed * 104_729) % 10_007) as f32 / 10_007.0;
    2.0 * x - 1.0
}

/// A fresh, empty temporary directory unique to this test.
pub fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("acec-test-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    dir
}

/// `acec build MODEL --target msp430-lea -o OUT`.
pub fn build(model: &Path, out: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_acec"))
        .args(["build", model.to_str().unwrap(), "--target", "msp430-lea", "-o", out.to_str().unwrap()])
        .output()
        .expect("the acec binary runs")
}

/// Asserts that the crate `acec build` wrote to `out` passes `cargo check` (in the shared target directory
/// of generated crates, so the runtime copy compiles once for all tests).
pub fn assert_generated_crate_checks(out: &Path) {
    let check = std::process::Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(repo_root().join("target/generated-crates"))
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

/// Compiles `model` for msp430-lea with a 50 uF energy buffer, cuts it into tasks, and asserts that a
/// power failure before each kernel call of one inference on `input` (one run per call) still ends with
/// the continuous run's output, bit for bit.
pub fn assert_every_single_failure_is_survived(model: PathBuf, input: &[f32]) {
    use acec::flex::sim::{Failure, calls_per_inference, simulate};
    use acec::flex::{EnergyBuffer, check_hazards, partition};
    use acec::pipeline::{self, Request};

    let small = EnergyBuffer { capacitor_uf: 50.0, v_on: 3.0, v_off: 1.8, efficiency: 0.8 };
    let compiled =
        pipeline::compile(&Request { energy_buffer: Some(small), ..Request::new(model, "msp430-lea") }).unwrap();
    let (program, target) = (&compiled.program, &compiled.target);
    let plan = partition(program, target, &compiled.cost_model, small.usable_pj()).unwrap();
    check_hazards(program, &plan.tasks).unwrap();
    let input = acec::verify::quantize_input(program, input);
    let expected = acec::ace::exec::Machine::new(program).infer(&mut acec_runtime::SoftBackend, &input).unwrap();
    let (calls, _) = calls_per_inference(program, &plan, target, &input).unwrap();
    for at in 0..calls {
        let outcome = simulate(program, &plan, target, &input, &expected, &Failure::AtCall(at), at).unwrap();
        assert!(outcome.completed && outcome.bit_identical, "failure at call {at}: {outcome:?}");
    }
}

/// Compiles `model` for msp430-lea and asserts, for each input of `samples`, that acec's float graph
/// computes what tract computes (within 1e-5) and the compiled program stays within `lsbs` output LSBs of it.
pub fn assert_float_and_compiled_match_tract(model: &Path, samples: &[Vec<f32>], lsbs: f32) {
    use acec::graph::eval;
    use acec::pipeline::{self, Request};
    use acec::verify::{dequantize_output, run_compiled};

    let compiled = pipeline::compile(&Request::new(model.to_path_buf(), "msp430-lea")).expect("compiles");
    let reference =
        acec::reference::FloatReference::load(model, compiled.graph.input_shape.dims()).expect("tract loads it");
    let lsb = 2f32.powi(-compiled.program.output_frac);
    for (k, x) in samples.iter().enumerate() {
        let (ours, tract) = (eval::run(&compiled.graph, x), reference.run(x).expect("tract runs"));
        for (i, (a, b)) in ours.iter().zip(&tract).enumerate() {
            assert!((a - b).abs() <= 1e-5, "sample {k} output {i}: {a} vs tract {b}");
        }
        let device = dequantize_output(&compiled.program, &run_compiled(&compiled.program, x).unwrap());
        for (i, (d, f)) in device.iter().zip(&tract).enumerate() {
            assert!((d - f).abs() <= lsbs * lsb, "sample {k} output {i}: {d} vs tract {f} ({lsb} LSB)");
        }
    }
}
