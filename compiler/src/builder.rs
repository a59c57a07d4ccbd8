//! The library API for a firmware crate's `build.rs`: compile a model into `OUT_DIR` at build time, the
//! way `acec build` does, as a module the crate `include!`s.
//!
//! ```no_run
//! // build.rs of a firmware crate that depends on `acec-runtime` and has
//! // `[build-dependencies] acec = { ..., default-features = false }`:
//! fn main() -> Result<(), acec::error::Error> {
//!     acec::Build::new("model.onnx").target("msp430-lea").calib("calib.npz").generate()?;
//!     Ok(())
//! }
//! ```
//! and in the crate (`model` is the model file's name, see [`Build::name`]):
//! ```ignore
//! #![no_std]
//! #![cfg_attr(target_arch = "msp430", feature(asm_experimental_arch))]
//! #[allow(clippy::unreadable_literal, clippy::excessive_precision)]
//! pub mod model {
//!     include!(concat!(env!("OUT_DIR"), "/model/model.rs"));
//! }
//! ```

use std::path::{Path, PathBuf};

use crate::ace::BlockRequest;
use crate::build_job::{self, Form, Job};
use crate::codegen;
use crate::error::Error;
use crate::onnx::ImportOptions;
use crate::pipeline::{self, Request};
use crate::report::build::BuildReport;

/// A build of one model, configured like `acec build`'s options; [`Build::generate`] runs it.
#[derive(Clone, Debug)]
pub struct Build {
    request: Request,
    out_dir: Option<PathBuf>,
    name: Option<String>,
}

/// What [`Build::generate`] wrote.
#[derive(Debug)]
pub struct Generated {
    /// The directory holding `model.rs`, `report.md` and `report.json`.
    pub dir: PathBuf,
    /// `model.rs`: the items to `include!`.
    pub source: PathBuf,
    /// The build report (also in `report.md` and `report.json`).
    pub report: BuildReport,
}

impl Build {
    /// The model at `model` (relative paths are relative to the working directory: a build script runs in
    /// its package's root), for target `msp430-lea`, with `acec build`'s defaults.
    pub fn new(model: impl Into<PathBuf>) -> Build {
        Build { request: Request::new(model.into(), "msp430-lea"), out_dir: None, name: None }
    }

    /// The target (`acec targets` lists them).
    pub fn target(mut self, target: &str) -> Build {
        self.request.target = target.into();
        self
    }

    /// Calibration data (`.npz`, as `--calib`): activation ranges from real inputs instead of assuming
    /// inputs in [-1, 1].
    pub fn calib(mut self, data: impl Into<PathBuf>) -> Build {
        self.request.calib = Some(data.into());
        self
    }

    /// Which dense layers run as block-circulant products (as `--block`; detected by default).
    pub fn blocks(mut self, blocks: BlockRequest) -> Build {
        self.request.blocks = blocks;
        self
    }

    /// The input's shape, for a model whose input has free dimensions (as `--input-shape NAME=DIMS`).
    pub fn input_shape(mut self, input: &str, dims: &[usize]) -> Build {
        self.request.import = ImportOptions { input_shapes: vec![(input.into(), dims.to_vec())] };
        self
    }

    /// Keep a final softmax (the device outputs probabilities) instead of dropping it.
    pub fn keep_softmax(mut self, keep: bool) -> Build {
        self.request.keep_softmax = keep;
        self
    }

    /// How the DSPLib the firmware links was built (as `--dsplib-diagnostics`): with its argument checks
    /// (`true`) or with `MSP_DISABLE_DIAGNOSTICS`.
    pub fn dsplib_diagnostics(mut self, diagnostics: bool) -> Build {
        self.request.dsplib_diagnostics = Some(diagnostics);
        self
    }

    /// Where to write (default: the `OUT_DIR` cargo gives a build script; elsewhere it must be set). The files go to the
    /// subdirectory [`Build::name`], replaced as a whole.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Build {
        self.out_dir = Some(dir.into());
        self
    }

    /// The subdirectory's name (default: the model's name in snake case, as `acec build` names its crate:
    /// `fixtures/digits-mlp/model.onnx` gives `digits_mlp`).
    pub fn name(mut self, name: &str) -> Build {
        self.name = Some(name.into());
        self
    }

    /// Compiles the model and writes `<out_dir>/<name>/model.rs`, `report.md` and `report.json`
    /// atomically. Inside a build script it also tells cargo to rerun it when the model or the
    /// calibration data change. Errors are the ones `acec build` prints, with the same exit codes.
    pub fn generate(self) -> Result<Generated, Error> {
        // Cargo sets TARGET for build scripts only (test binaries of a package with one see OUT_DIR too).
        let build_script_out_dir = std::env::var_os("TARGET").and(std::env::var_os("OUT_DIR"));
        if build_script_out_dir.is_some() {
            for input in std::iter::once(&self.request.model).chain(&self.request.calib) {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        let Some(out_dir) = self.out_dir.or(build_script_out_dir.map(PathBuf::from)) else {
            return Err(Error::Output {
                path: PathBuf::from("OUT_DIR"),
                detail: "not in a build script, so there is no OUT_DIR to write to: call .out_dir(...)".into(),
            });
        };
        let name = self.name.unwrap_or_else(|| default_name(&self.request.model));
        let job = Job {
            request: self.request,
            output: out_dir.join(&name),
            form: Form::Module,
            #[cfg(feature = "cli")]
            firmware: None,
        };
        let built = build_job::run(&job, |e, _| Error::Lower(e.clone()))?;
        Ok(Generated { source: built.output.join("model.rs"), dir: built.output, report: built.package.report })
    }
}

/// `acec build`'s crate name for `model`, as a Rust identifier.
fn default_name(model: &Path) -> String {
    codegen::crate_name(&pipeline::model_name(model)).replace('-', "_")
}
