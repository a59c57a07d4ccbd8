//! The `acec` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use acec::cli::{CompileArgs, FirmwareArgs, ImportArgs, JitterArgs};
use acec::error::Error;
use acec::{commands, onnx};
use clap::{Parser, Subcommand};

/// acec compiles a trained ONNX model into a no_std Rust crate for tiny energy-harvesting MCUs
/// (TI MSP430FR5994 with its LEA accelerator): block-circulant compression, FFT-based layers on the
/// accelerator, and intermittent-safe execution.
///
/// Exit codes: 0 success, 2 bad input (the message says what and how to fix it), 1 internal error.
#[derive(Parser)]
#[command(name = "acec", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show a model's layers: shapes, parameters, MACs, and block-circulant structure already present.
    Inspect {
        /// The ONNX model file.
        model: PathBuf,
        /// Print one JSON document instead of a table (fields: layers[].name, op, input_shape,
        /// output_shape, params, macs, circulant_block; totals.params, totals.macs).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        import: ImportArgs,
    },
    /// Compile a model into a no_std Rust crate (plus report.md and report.json) for a target.
    Build {
        #[command(flatten)]
        compile: CompileArgs,
        /// Output directory (replaced if it holds an earlier acec output). Default: <model>-acec.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        firmware: FirmwareArgs,
    },
    /// Run the firmware of `acec build --firmware` in mspdebug's simulator (uninterrupted, then with power
    /// failures: reset at pseudo-random instruction counts, SRAM and LEA RAM filled with junk, FRAM kept)
    /// and check its logits equal the host run bit for bit and ACEC_DONE was set exactly once. Exit 1 on a
    /// mismatch. Needs mspdebug (apt-get install mspdebug).
    RunFirmware {
        /// The output directory of `acec build --firmware`.
        dir: PathBuf,
        /// Power failures per run (0: only the uninterrupted run).
        #[arg(long, default_value_t = 24)]
        failures: usize,
        /// Seeds of the failure points, one run each, e.g. `--seeds 1,2,3`.
        #[arg(long, value_delimiter = ',', default_value = "1")]
        seeds: Vec<u64>,
        /// Print one JSON object (runs[].seed, output_q15, done, done_writes, mclk, matches).
        #[arg(long)]
        json: bool,
    },
    /// Compile, run the compiled program on the host (bit-exact with the device) and the float model
    /// (tract), and compare accuracy, top-1 agreement and logit error.
    Verify {
        #[command(flatten)]
        compile: CompileArgs,
        /// Test data (.npz with `x` and, for accuracy, `y` labels).
        #[arg(long, value_name = "FILE.npz")]
        data: PathBuf,
        /// Use only the first N samples.
        #[arg(long)]
        limit: Option<usize>,
        /// Print one JSON object (samples, float_accuracy, compiled_accuracy, agreement, max_abs_error;
        /// with --lsb-jitter also jitter.lsb, seed, accuracy, agreement_float, agreement_unperturbed,
        /// max_abs_change).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        jitter: JitterArgs,
    },
    /// Run one sample through the compiled program on the host and print the output vector, as raw Q15
    /// integers (what the device computes) and as floats.
    Run {
        #[command(flatten)]
        compile: CompileArgs,
        /// Data (.npz with `x`).
        #[arg(long, value_name = "FILE.npz")]
        data: PathBuf,
        /// Which sample.
        #[arg(long, default_value_t = 0)]
        index: usize,
        /// Print one JSON object (output_q15, output, argmax).
        #[arg(long)]
        json: bool,
    },
    /// Simulate intermittent power: run the task-partitioned program with power failures (at every kernel
    /// boundary and inside every commit with --exhaustive; at random points with --seed; or from a
    /// capacitor charged by --power / --trace) and check the output is bit-identical to a continuous run.
    Sim(acec::cli::SimArgs),
    /// Modeled runtime and energy per inference of the model as acec compiles it and as the baselines
    /// (uncompressed on the CPU, uncompressed on the LEA, the published circulant method) and the
    /// accelerator-only bound.
    Report {
        #[command(flatten)]
        compile: CompileArgs,
        /// Print one JSON object (variants.<name>.cycles, variants.<name>.energy_uj, variants.<name>.layers).
        #[arg(long)]
        json: bool,
        /// Also write report.md, report.json, cycles.svg and tasks.svg into this directory.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// List the targets with their memory and the source of their cost model.
    Targets,
    /// Compress a trained model's dense layers into block-circulant form with Q15 weights (RAD): ADMM
    /// training on --data, block sizes chosen for the target (or given), written as a standard ONNX model
    /// that `acec build` compiles exactly, with OUT.report.md and OUT.report.json beside it.
    Compress(acec::cli::CompressArgs),
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Inspect { model, json, import } => {
            let graph = onnx::load(&model, &import.options()?)?;
            commands::inspect(&graph, json)
        }
        Command::Build { compile, output, firmware } => commands::build(&compile, output, &firmware),
        Command::RunFirmware { dir, failures, seeds, json } => commands::run_firmware(&dir, failures, &seeds, json),
        Command::Verify { compile, data, limit, json, jitter } => {
            commands::verify(&compile, &data, limit, jitter.jitter(), json)
        }
        Command::Run { compile, data, index, json } => commands::run(&compile, &data, index, json),
        Command::Sim(args) => commands::sim(&args),
        Command::Report { compile, json, output } => commands::report(&compile, json, output),
        Command::Targets => commands::targets(),
        Command::Compress(args) => commands::compress(&args),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code() as u8)
        }
    }
}
