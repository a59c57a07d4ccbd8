//! Embeds the runtime's sources in the compiler, so `acec build` can write a self-contained crate (the
//! generated crate plus the runtime it depends on) with no path back into this checkout.

use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.strip_prefix(base).expect("under base").to_path_buf());
        }
    }
}

fn main() {
    // Read at run time, not with `env!`: a build script compiled in one checkout and reused from a shared
    // target directory must still embed the runtime beside the crate being built.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let runtime = Path::new(&manifest_dir).join("../runtime").canonicalize().expect("runtime/ exists");
    println!("cargo:rerun-if-changed={}", runtime.join("src").display());
    let mut files = Vec::new();
    collect(&runtime.join("src"), &runtime, &mut files);
    let mut code = String::from("/// The runtime crate's sources: (path relative to the crate root, contents).\n");
    code.push_str("pub const RUNTIME_SOURCES: &[(&str, &str)] = &[\n");
    for file in &files {
        let relative = file.to_string_lossy().replace('\\', "/");
        code.push_str(&format!("    ({relative:?}, include_str!({:?})),\n", runtime.join(file).display().to_string()));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("runtime_sources.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
