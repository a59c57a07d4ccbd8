//! Embeds the runtime's sources in the compiler, so `acec build` can write a self-contained crate (the
//! generated crate plus the runtime it depends on) with no path back into this checkout; and records which
//! commit the cost tables (`targets/*/target.json`) come from, for `acec --version`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

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
    println!("cargo:rustc-env=ACEC_COST_TABLES_COMMIT={}", cost_tables_commit(Path::new(&manifest_dir)));
    println!("cargo:rustc-env=ACEC_COST_TABLES_FNV={:08x}", cost_tables_hash(Path::new(&manifest_dir)));
}

/// The cost tables the compiler embeds, in the order `src/target.rs` lists them.
const TABLES: [&str; 3] = ["targets/msp430-lea/target.json", "targets/msp430/target.json", "targets/host/target.json"];

/// FNV-1a 32 of the cost tables' bytes, one after the other: names the tables exactly, with or without git.
fn cost_tables_hash(manifest_dir: &Path) -> u32 {
    TABLES
        .iter()
        .flat_map(|t| fs::read(manifest_dir.join("..").join(t)).expect("the cost tables exist"))
        .fold(0x811C_9DC5, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// The last commit that changed `targets/*/target.json`, with `+changes` when the files differ from it, or
/// `unknown` outside a git checkout (a crate installed from a package: the version's content hash still
/// names the tables exactly).
fn cost_tables_commit(manifest_dir: &Path) -> String {
    let repo = manifest_dir.join("..");
    for dir in ["targets", ".git/HEAD", ".git/refs/heads"] {
        println!("cargo:rerun-if-changed={}", repo.join(dir).display());
    }
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(&repo).args(args).output().ok();
    let tables = [&["--"][..], &TABLES].concat();
    let Some(log) = git(&[&["log", "-1", "--format=%h"][..], &tables].concat()).filter(|o| o.status.success()) else {
        return "unknown".into();
    };
    let commit = String::from_utf8_lossy(&log.stdout).trim().to_string();
    if commit.is_empty() {
        return "unknown".into();
    }
    let clean = git(&[&["diff", "--quiet", "HEAD"][..], &tables].concat()).is_some_and(|o| o.status.success());
    if clean { commit } else { format!("{commit}+changes") }
}
