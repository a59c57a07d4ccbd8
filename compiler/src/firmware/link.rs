//! Building and linking the firmware crate for msp430-none-elf with the toolchain acec runs under.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;

fn tool(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| default.to_string())
}

fn rustc_output(args: &[&str]) -> Result<String, Error> {
    let output = Command::new(tool("RUSTC", "rustc"))
        .args(args)
        .output()
        .map_err(|e| Error::Firmware(format!("cannot run rustc ({e}); install Rust with rustup")))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Where cargo builds firmware: `ACEC_FIRMWARE_TARGET_DIR`, else a cache in the temp directory (`core`
/// compiled for msp430 is reused across builds).
fn target_dir() -> PathBuf {
    std::env::var_os("ACEC_FIRMWARE_TARGET_DIR")
        .map_or_else(|| std::env::temp_dir().join("acec-firmware-target"), PathBuf::from)
}

/// Which kernels the firmware runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The CPU kernels: a complete image that mspdebug's simulator runs.
    Soft,
    /// TI's DSPLib on the LEA (feature `dsplib`). DSPLib is TI's library, not shipped here: the image is
    /// linked with DSPLib's functions left undefined (a check that everything else compiles and links; a
    /// device build links the library, see acec-runtime/README.md).
    Dsplib,
    /// The DSPLib build with DSPLib's functions from the Rust stand-in (harness feature `dsplib-standin`,
    /// `targets/msp430fr5994-lea/dsplib-standin/`): a complete image for mspdebug's simulator that runs the
    /// backend's FFI path on the CPU. Never a device image: the LEA is not used.
    DsplibStandin,
}

impl Backend {
    /// The harness features that select this backend.
    fn features(self) -> &'static [&'static str] {
        match self {
            Backend::Soft => &[],
            Backend::Dsplib => &["--features", "dsplib"],
            Backend::DsplibStandin => &["--features", "dsplib-standin"],
        }
    }
}

/// What a harness adds to a link beyond its backend: the board harness's features (`sim`) and rustc flags
/// (the MPY32's target feature, TI's DSPLib archive).
#[derive(Clone, Debug, Default)]
pub struct LinkExtras {
    pub features: Vec<String>,
    pub rustflags: Vec<String>,
}

/// Builds `firmware_dir` (written by [`super::files`]) and copies the linked image to `elf`.
pub fn link(firmware_dir: &Path, elf: &Path, backend: Backend) -> Result<(), Error> {
    link_with(firmware_dir, elf, backend, &LinkExtras::default())
}

/// [`link`] with `extras`.
pub fn link_with(firmware_dir: &Path, elf: &Path, backend: Backend, extras: &LinkExtras) -> Result<(), Error> {
    // Cargo runs in `firmware_dir`, so every path handed to it (the link script above all) must be absolute:
    // `acec build -o out` passes a relative one.
    let firmware_dir =
        &std::path::absolute(firmware_dir).map_err(|e| Error::Firmware(format!("{}: {e}", firmware_dir.display())))?;
    let sysroot = PathBuf::from(rustc_output(&["--print", "sysroot"])?);
    if !sysroot.join("lib/rustlib/src/rust/library/core").exists() {
        return Err(Error::Firmware(format!(
            "the Rust sources are missing from {} (msp430-none-elf builds core from source): run `rustup \
             component add rust-src`",
            sysroot.display()
        )));
    }
    let host = rustc_output(&["-vV"])?
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .ok_or_else(|| Error::Firmware("cannot tell the host triple from `rustc -vV`".into()))?;
    let lld = sysroot.join("lib/rustlib").join(&host).join("bin/rust-lld");
    if !lld.exists() {
        return Err(Error::Firmware(format!("{} is missing: reinstall the toolchain with rustup", lld.display())));
    }
    let target = target_dir();
    // rust-lld acts as GNU ld when called `ld.lld`.
    let linker_dir = target.join("linker");
    let linker = linker_dir.join("ld.lld");
    std::fs::create_dir_all(&linker_dir).map_err(|e| Error::Firmware(format!("{}: {e}", linker_dir.display())))?;
    if std::fs::read_link(&linker).ok().as_deref() != Some(lld.as_path()) {
        let _ = std::fs::remove_file(&linker);
        std::os::unix::fs::symlink(&lld, &linker)
            .map_err(|e| Error::Firmware(format!("cannot link {} to rust-lld: {e}", linker.display())))?;
    }
    let script = firmware_dir.join("memory.x");
    let mut rustflags = format!(
        "-C linker={} -C linker-flavor=ld -C link-arg=-T{} -C link-arg=--nmagic -C link-arg=--gc-sections",
        linker.display(),
        script.display()
    );
    if backend == Backend::Dsplib {
        rustflags.push_str(" -C link-arg=--warn-unresolved-symbols");
    }
    for flag in &extras.rustflags {
        rustflags.push(' ');
        rustflags.push_str(flag);
    }
    let artifacts = firmware_dir.join("target");
    let output = Command::new(tool("CARGO", "cargo"))
        .current_dir(firmware_dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTFLAGS", rustflags)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env("CARGO_TARGET_DIR", &target)
        .args(["build", "--release", "--target", "msp430-none-elf", "-Zbuild-std=core,panic_abort", "--quiet"])
        .args(backend.features())
        .args(extras.features.iter().flat_map(|f| ["--features", f.as_str()]))
        .args(["-Zunstable-options", "--artifact-dir"])
        .arg(&artifacts)
        .output()
        .map_err(|e| Error::Firmware(format!("cannot run cargo ({e})")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(30).collect::<Vec<_>>().into_iter().rev().collect();
        return Err(Error::Firmware(format!(
            "building the firmware for msp430-none-elf failed (a memory region that overflowed is named by the \
             linker below):\n{}",
            tail.join("\n")
        )));
    }
    std::fs::copy(artifacts.join("acec-fw"), elf)
        .map_err(|e| Error::Firmware(format!("cannot copy the linked image to {}: {e}", elf.display())))?;
    std::fs::remove_dir_all(&artifacts).ok();
    Ok(())
}
