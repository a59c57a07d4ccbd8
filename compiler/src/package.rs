//! What a build writes, as files, from a compiled program: the FLEX task table, the generated source (a
//! crate of its own for `acec build`, an `include!`-able module for `acec::Build`), and `report.md` and
//! `report.json`. Shared by the command and the `build.rs` API, so both write the same model.

use std::path::Path;

use crate::ace::Space;
use crate::codegen::{self, GeneratedFile, Provenance};
use crate::error::Error;
use crate::pipeline::{self, Compiled};
use crate::report::build::{BuildReport, build_report, render_markdown};
use crate::verify;

/// Calibration samples the report's per-layer SNR is measured on.
const SNR_SAMPLES: usize = 32;

/// The files of one build (paths relative to its output directory) and the report they include.
pub struct Package {
    pub files: Vec<GeneratedFile>,
    pub report: BuildReport,
    /// The FLEX tasks the generated code's task table holds: (step, first unit, end unit).
    pub tasks: Vec<codegen::TaskEntry>,
    /// Each step's SNR against the float model (`None` without calibration data), as in the report.
    pub snr: Vec<Option<f64>>,
}

/// `acec build`'s crate: `Cargo.toml`, `README.md`, `src/lib.rs`, the runtime copy, the reports.
pub fn crate_package(compiled: &Compiled, model: &Path) -> Result<Package, Error> {
    let parts = Parts::new(compiled, model)?;
    let crate_name = codegen::crate_name(&pipeline::model_name(model));
    let readme = crate_readme(&crate_name, compiled, &parts.markdown);
    let files = codegen::generate(&compiled.program, &crate_name, &parts.provenance(), &parts.tasks, &readme)
        .map_err(Error::Internal)?;
    parts.with_reports(files)
}

/// `acec::Build`'s module: `model.rs` (items to `include!`) and the reports.
pub fn module_package(compiled: &Compiled, model: &Path) -> Result<Package, Error> {
    let parts = Parts::new(compiled, model)?;
    let source = codegen::module(&compiled.program, &parts.provenance(), &parts.tasks).map_err(Error::Internal)?;
    parts.with_reports(vec![GeneratedFile::new("model.rs", source)])
}

/// What both forms share.
struct Parts<'a> {
    compiled: &'a Compiled,
    model_file: String,
    tasks: Vec<codegen::TaskEntry>,
    report: BuildReport,
    markdown: String,
    snr: Vec<Option<f64>>,
}

impl<'a> Parts<'a> {
    fn new(compiled: &'a Compiled, model: &Path) -> Result<Self, Error> {
        let snr = verify::step_snr(&compiled.program, &compiled.ranges, SNR_SAMPLES)
            .map_err(|e| Error::Internal(e.to_string()))?;
        let model_file = model.file_name().map_or("model.onnx".into(), |n| n.to_string_lossy().into_owned());
        let report = build_report(compiled, &model_file, &snr);
        let markdown = render_markdown(&report);
        Ok(Parts { compiled, model_file, tasks: tasks(compiled)?, report, markdown, snr })
    }

    fn provenance(&self) -> Provenance<'_> {
        let target = &self.compiled.target;
        Provenance {
            model_file: &self.model_file,
            target: &target.name,
            fram_upper_address: target.region("fram_upper").map_or(0x1_0000, |r| r.start),
        }
    }

    fn with_reports(self, mut files: Vec<GeneratedFile>) -> Result<Package, Error> {
        files.push(GeneratedFile::new("report.md", self.markdown));
        let json = serde_json::to_string_pretty(&self.report).map_err(|e| Error::Internal(e.to_string()))?;
        files.push(GeneratedFile::new("report.json", json + "\n"));
        Ok(Package { files, report: self.report, tasks: self.tasks, snr: self.snr })
    }
}

/// The FLEX tasks for the target's default energy buffer (one task per layer without an energy model).
fn tasks(compiled: &Compiled) -> Result<Vec<codegen::TaskEntry>, Error> {
    let program = &compiled.program;
    let Some(buffer) = &compiled.target.energy_buffer else {
        return Ok((0..program.steps.len()).map(|i| (i, 0, program.steps[i].call.work_units())).collect());
    };
    let buffer = crate::flex::EnergyBuffer::from(buffer);
    let plan = crate::flex::partition(program, &compiled.target, &compiled.cost_model, buffer.usable_pj())?;
    crate::flex::check_hazards(program, &plan.tasks)?;
    Ok(plan.tasks.iter().map(|t| (t.step, t.start, t.end)).collect())
}

fn crate_readme(crate_name: &str, compiled: &Compiled, report: &str) -> String {
    let p = &compiled.program;
    format!(
        "# {crate_name}\n\nA model compiled by acec for `{}` ({}). `#![no_std]`, no allocation; depends only on the \
         `acec-runtime` copy beside it, so this directory can be copied into a firmware repository as is.\n\n\
         ```rust\nlet mut input = [0i16; {crate_name_snake}::INPUT_LEN]; // x * 2^{} (INPUT_FRAC_BITS)\n\
         let mut logits = [0i16; {crate_name_snake}::OUTPUT_LEN];    // raw / 2^{} (OUTPUT_FRAC_BITS)\n\
         // Safety: call one entry point at a time (not from an interrupt while another runs).\n\
         let class = unsafe {{ {crate_name_snake}::infer(&mut {crate_name_snake}::SoftBackend, &input, &mut logits)? }};\n```\n\n\
         Intermittent power: call `start(&input)` once, then `resume(&mut backend)` after every boot until it \
         returns `Done`; read `output(&mut logits)`, then `acknowledge()`. The activations (`.acec.fram_data`) \
         and the progress record (`.acec.persistent`) must live in FRAM that the startup code neither zeroes nor \
         reloads (NOLOAD); flashing a new model writes a fresh record.\n\n\
         On the MSP430FR5994, enable the `dsplib` feature and pass `acec_runtime::backend::dsplib::DsplibBackend` to \
         run the accelerator kernels on the LEA (link TI's DSPLib; see `acec-runtime/`). The statics are placed in \
         the sections `.acec.fram_const`, `.acec.fram_data`, `.acec.persistent`, `.acec.sram` and `.leaRAM` (LEA \
         RAM, 0x2C00, inputs sorted by alignment: `*(SORT_BY_ALIGNMENT(.leaRAM .leaRAM.*))`) on msp430: map them \
         in the firmware's linker script.{upper}\n\n{report}",
        compiled.target.name,
        compiled.target.device,
        p.input_frac,
        p.output_frac,
        crate_name_snake = crate_name.replace('-', "_"),
        upper = if p.buffers.iter().any(|b| b.space == Space::FramUpper) {
            " The largest weights do not fit below 64 KB: they are in the sections `.acec.fram_upper.00`, \
             `.01`, ..., which the linker script must keep and place in name order at `FRAM_UPPER_ADDRESS` (0x10000) \
             — `.acec.fram_upper : { KEEP(*(SORT_BY_NAME(.acec.fram_upper.*))) } > FRAM2` — and the layers \
             read them with DMA channel 0 (software trigger), which the firmware must leave free."
        } else {
            ""
        },
    )
}
