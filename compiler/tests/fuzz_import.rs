//! Mutated model files never panic the importer: they import or fail with an error; and what the lenient
//! import keeps (refused layers, a stop) never panics `inspect`.
//! A deterministic, in-test fuzzer (bit flips, truncations, overwrites) so CI runs it on every change.

mod support;

use std::panic;
use std::path::Path;

use acec::onnx::{ImportOptions, decode_model, import_lenient, import_model};
use acec::report::inspect::{inspect_imported, render_text};
use support::{Attr, ModelBuilder, repo_root};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(4) {
            0 => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.truncate(rng.below(out.len() + 1)),
            2 => {
                let i = rng.below(out.len());
                out[i] = rng.next() as u8;
            }
            _ => {
                let i = rng.below(out.len() + 1);
                out.insert(i, rng.next() as u8);
            }
        }
        if out.is_empty() {
            break;
        }
    }
    out
}

/// Decodes and imports; returns whether the bytes got as far as the importer.
fn import_bytes(bytes: &[u8]) -> bool {
    let path = Path::new("fuzz.onnx");
    match decode_model(bytes, path) {
        Ok(model) => {
            let dir = Path::new("/nonexistent-dir");
            let _ = import_model(&model, dir, &ImportOptions::default());
            if let Ok(imported) = import_lenient(&model, dir, &ImportOptions::default()) {
                render_text(&inspect_imported(&imported));
            }
            true
        }
        Err(_) => false,
    }
}

/// Runs the mutations and returns how many reached the importer.
fn fuzz(seed_bytes: &[u8], iterations: usize, seed: u64) -> usize {
    let mut rng = Rng(seed);
    let mut imported = 0;
    for i in 0..iterations {
        let mutated = mutate(seed_bytes, &mut rng);
        let result = panic::catch_unwind(|| import_bytes(&mutated));
        imported += usize::from(matches!(result, Ok(true)));
        if result.is_err() {
            let dump = std::env::temp_dir().join(format!("acec-fuzz-crash-{seed}-{i}.onnx"));
            let _ = std::fs::write(&dump, &mutated);
            panic!("the importer panicked on mutation {i} (seed {seed}); input saved to {}", dump.display());
        }
    }
    imported
}

/// A small model touching the attribute-heavy importers (conv, pool, reshape, gemm).
fn small_cnn() -> Vec<u8> {
    ModelBuilder::new(13)
        .input("x", &[Some(1), Some(1), Some(6), Some(6)])
        .initializer("w", &[2, 1, 3, 3], vec![0.25; 18])
        .initializer("b", &[2], vec![0.5, -0.5])
        .initializer("shape", &[2], vec![1.0, -1.0])
        .initializer("fc", &[3, 8], vec![0.125; 24])
        .node(
            "Conv",
            "conv",
            &["x", "w", "b"],
            &["c"],
            &[("pads", Attr::Ints(vec![1, 1, 1, 1])), ("strides", Attr::Ints(vec![2, 2]))],
        )
        .node(
            "MaxPool",
            "pool",
            &["c"],
            &["p"],
            &[("kernel_shape", Attr::Ints(vec![2, 2])), ("strides", Attr::Ints(vec![1, 1]))],
        )
        .node("Reshape", "flat", &["p", "shape"], &["f"], &[])
        .node("Gemm", "dense", &["f", "fc"], &["y"], &[("transB", Attr::Int(1)), ("alpha", Attr::Float(0.5))])
        .output("y")
        .bytes()
}

#[test]
fn mutated_small_models_never_panic() {
    let model = small_cnn();
    let unmutated = acec::onnx::decode_model(&model, Path::new("m.onnx")).unwrap();
    import_model(&unmutated, Path::new("."), &ImportOptions::default()).expect("the seed model imports");
    let imported = fuzz(&model, 3000, 0x5eed);
    // The fuzzer must exercise the importer, not only the protobuf decoder.
    assert!(imported > 300, "only {imported} of 3000 mutations reached the importer");
}

#[test]
fn mutated_fixture_models_never_panic() {
    let bytes = std::fs::read(repo_root().join("fixtures/fmnist-lenet/model.onnx")).unwrap();
    let imported = fuzz(&bytes, 150, 0xf00d);
    assert!(imported > 15, "only {imported} of 150 mutations reached the importer");
}

/// Hand-picked extreme attribute values, which random mutation rarely produces.
#[test]
fn extreme_attributes_are_errors_not_panics() {
    let huge = i64::MAX / 2;
    let conv = |attrs: Vec<(&'static str, Attr)>, weight_dims: &[i64]| {
        let count = weight_dims.iter().product::<i64>().max(0) as usize;
        ModelBuilder::new(13)
            .input("x", &[Some(1), Some(1), Some(6), Some(6)])
            .initializer("w", weight_dims, vec![0.5; count])
            .node("Conv", "conv", &["x", "w"], &["y"], &attrs)
            .output("y")
            .bytes()
    };
    let pool = |attrs: Vec<(&'static str, Attr)>| {
        ModelBuilder::new(13)
            .input("x", &[Some(1), Some(1), Some(6), Some(6)])
            .node("MaxPool", "pool", &["x"], &["y"], &attrs)
            .output("y")
            .bytes()
    };
    let reshape = |target: Vec<f32>| {
        ModelBuilder::new(13)
            .input("x", &[Some(1), Some(4)])
            .initializer("s", &[target.len() as i64], target)
            .node("Reshape", "r", &["x", "s"], &["y"], &[])
            .output("y")
            .bytes()
    };
    let cases = vec![
        conv(vec![], &[2, 1, 0, 3]),
        conv(vec![("pads", Attr::Ints(vec![huge, huge, huge, huge]))], &[2, 1, 3, 3]),
        conv(vec![("strides", Attr::Ints(vec![huge, 1]))], &[2, 1, 3, 3]),
        conv(vec![("dilations", Attr::Ints(vec![huge, huge]))], &[2, 1, 3, 3]),
        conv(vec![("auto_pad", Attr::Str("SAME_UPPER")), ("strides", Attr::Ints(vec![huge, huge]))], &[2, 1, 3, 3]),
        pool(vec![("kernel_shape", Attr::Ints(vec![huge, huge]))]),
        pool(vec![("kernel_shape", Attr::Ints(vec![2, 2])), ("pads", Attr::Ints(vec![huge, 0, huge, 0]))]),
        pool(vec![
            ("kernel_shape", Attr::Ints(vec![2, 2])),
            ("ceil_mode", Attr::Int(1)),
            ("strides", Attr::Ints(vec![huge, 1])),
        ]),
        reshape(vec![1e18, 1e18, 1e18]),
        reshape(vec![0.0, -1.0]),
        reshape(vec![-1.0, -1.0]),
    ];
    for (i, bytes) in cases.iter().enumerate() {
        let result = panic::catch_unwind(|| import_bytes(bytes));
        assert!(result.is_ok(), "case {i} panicked");
    }
}
