//! Helpers of the firmware tests: the `acec` binary, the tools they need, and `acec build --firmware`.

use std::path::Path;
use std::process::{Command, Output};

use super::repo_root;

/// Every fixture that fits below 64 KB: the compressed ones (the uncompressed keep weights in upper FRAM).
/// (fixture, data set, `--block`). fmnist-circulant and digits-mlp-rad are circulant (FFT layers).
pub const SIMULATOR_FIXTURES: [(&str, &str, Option<&str>); 4] = [
    ("fmnist-circulant", "fmnist", None),
    ("digits-mlp", "digits", Some("64")),
    ("fmnist-lenet-rad", "fmnist", None),
    ("digits-mlp-rad", "digits", None),
];

/// Runs the `acec` binary from the repository root.
pub fn acec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acec")).current_dir(repo_root()).args(args).output().expect("acec runs")
}

/// Whether mspdebug and rust-src are installed. CI sets ACEC_REQUIRE_FIRMWARE_TOOLS=1, which turns a missing
/// tool into a failure; elsewhere the firmware tests skip (with a note).
pub fn tools_present() -> bool {
    let mspdebug = Command::new("mspdebug").arg("--version").output().is_ok();
    let sysroot = Command::new("rustc").args(["--print", "sysroot"]).output().expect("rustc runs");
    let root = String::from_utf8_lossy(&sysroot.stdout).trim().to_string();
    let rust_src = Path::new(&root).join("lib/rustlib/src/rust/library/core").exists();
    if mspdebug && rust_src {
        return true;
    }
    let missing = format!("mspdebug present: {mspdebug}, rust-src present: {rust_src}");
    assert!(std::env::var_os("ACEC_REQUIRE_FIRMWARE_TOOLS").is_none(), "firmware tools missing: {missing}");
    eprintln!("skipping the firmware tests: {missing}");
    false
}

/// `acec build --firmware` of `model` with sample 3 of `test` baked in, and `extra` build arguments.
pub fn build_firmware(model: &str, calib: &str, test: &str, block: Option<&str>, extra: &[&str], out: &Path) -> Output {
    let mut args = vec!["build", model, "--target", "msp430-lea", "--calib", calib, "-o", out.to_str().unwrap()];
    args.extend(["--firmware", "--data", test, "--index", "3"]);
    args.extend(extra);
    if let Some(block) = block {
        args.extend(["--block", block]);
    }
    acec(&args)
}

/// What a command printed, both streams.
pub fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}
