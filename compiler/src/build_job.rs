//! The whole of a build, for `acec build` and [`crate::Build`]: compile, check that the program fits,
//! generate its files (a crate, or a module to `include!`; with `acec build --firmware`, the firmware
//! around it), write them as a whole, and link the firmware. It returns everything it made, so that its
//! callers only parse their options and print.

use std::path::PathBuf;

use crate::ace::LowerError;
use crate::codegen;
use crate::error::Error;
use crate::package::{self, Package};
use crate::pipeline::{self, Compiled, Request};

/// What the generated source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `acec build`'s crate: `Cargo.toml`, `src/lib.rs`, the runtime copy, a README and the reports.
    Crate,
    /// `acec::Build`'s `model.rs` (items to `include!`) and the reports.
    Module,
}

/// One build: what to compile, where to write it, and in which form.
#[derive(Clone, Debug)]
pub struct Job {
    pub request: Request,
    /// The directory the files go to, replaced as a whole.
    pub output: PathBuf,
    pub form: Form,
    /// The firmware to generate around a crate and link (`acec build --firmware`).
    #[cfg(feature = "cli")]
    pub firmware: Option<firmware::Firmware>,
}

/// Everything a build made.
pub struct Built {
    /// The program, its memory plan (it fits: a build that does not is refused) and its modeled costs.
    pub compiled: Compiled,
    /// The files written (paths relative to [`Built::output`]), the FLEX tasks and the build report.
    pub package: Package,
    pub output: PathBuf,
    /// The crate's name (`Form::Crate`), as its `Cargo.toml` says.
    pub crate_name: String,
    /// The linked firmware's memory by region (also in `firmware.md`).
    #[cfg(feature = "cli")]
    pub linked: Option<Vec<crate::firmware::MemoryRow>>,
}

/// Runs `job`. A program that does not fit the target is refused with `misfit`'s error, given the
/// compiled program to advise from (the command line has advice a library caller does not want).
/// Nothing is written unless everything is: the files go in at once, and a firmware directory whose link
/// fails is removed.
pub fn run(job: &Job, misfit: impl FnOnce(&LowerError, &Compiled) -> Error) -> Result<Built, Error> {
    let request = job.request.clone();
    #[cfg(feature = "cli")]
    let (request, dsplib) = match &job.firmware {
        Some(firmware) => {
            let dsplib = firmware.check()?;
            (firmware.request(request), dsplib)
        }
        None => (request, None),
    };
    let compiled = pipeline::compile(&request)?;
    if let Err(e) = &compiled.plan {
        return Err(misfit(e, &compiled));
    }
    let crate_name = codegen::crate_name(&pipeline::model_name(&request.model));
    let package = match job.form {
        Form::Crate => package::crate_package(&compiled, &request.model)?,
        Form::Module => package::module_package(&compiled, &request.model)?,
    };
    #[cfg(feature = "cli")]
    let package = match &job.firmware {
        Some(firmware) => firmware.with_files(package, &compiled, &crate_name)?,
        None => package,
    };
    codegen::write_atomically(&job.output, &package.files)
        .map_err(|e| Error::Output { path: job.output.clone(), detail: e.to_string() })?;
    #[cfg(feature = "cli")]
    let linked = match &job.firmware {
        Some(firmware) => Some(firmware.link(&job.output, dsplib)?),
        None => None,
    };
    Ok(Built {
        compiled,
        package,
        output: job.output.clone(),
        crate_name,
        #[cfg(feature = "cli")]
        linked,
    })
}

#[cfg(feature = "cli")]
pub mod firmware;
