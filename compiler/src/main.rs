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
/// Exit codes: 0 success, 2 bad input (the message says what and how to fix it), 1 internal error, 130
/// `compress` stopped by Ctrl-C (nothing written).
/// The version, and which cost tables (`targets/*/target.json`) every modeled figure comes from: the
/// commit that last changed them when acec was built (`+changes`: edited since), and their content hash.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (cost tables: commit ",
    env!("ACEC_COST_TABLES_COMMIT"),
    ", content fnv1a ",
    env!("ACEC_COST_TABLES_FNV"),
    ")"
);

#[derive(Parser)]
#[command(name = "acec", version = VERSION, max_term_width = 100)]
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
    /// Write the board self-test: firmware that checks every kernel of the LEA backend against the host.
    ///
    /// The firmware runs every kernel a model can use (every DSPLib-backed kernel of the LEA backend at
    /// every length that fits LEA RAM, and the CPU kernels it runs) on fixed vectors, edge cases included,
    /// and writes per kernel the largest |device - host| in LSB to FRAM.
    /// Writes DIR/selftest/ (the harness crate), DIR/acec-runtime/ and DIR/selftest.json (every case:
    /// kernel, arguments, lengths). With --dsplib-standin also links DIR/selftest.elf for mspdebug's
    /// simulator; without it the image needs TI's DSPLib (not shipped), and the command says how to link it.
    /// Needs `rustup component add rust-src` to link.
    Selftest {
        /// The target (only msp430-lea: the self-test checks the LEA's kernels).
        #[arg(long)]
        target: String,
        /// Output directory (replaced if it holds an earlier acec output).
        #[arg(short, long)]
        output: PathBuf,
        /// Link DIR/selftest.elf with TI's DSPLib functions from acec's Rust stand-in (on the CPU: the
        /// simulator has no LEA), where the self-test must report 0 LSB. Not a device image.
        #[arg(long)]
        dsplib_standin: bool,
    },
    /// Run the board self-test in an mspdebug session and print per kernel the LSB difference and a verdict.
    ///
    /// Runs DIR/selftest.elf (`acec selftest --dsplib-standin`) to `acec_halt`, reads back its rows and
    /// prints per kernel cases, errors, max |device - host| in LSB and the worst case, then a verdict. Exit 0
    /// when every kernel is at 0 LSB without errors, 1 when the device differs, 2 for a missing directory
    /// or image. Drivers: `sim` (mspdebug's simulator, default), `tilib` or `ezfet` (a LaunchPad). On a
    /// board this is not yet runnable: the harness's multiply helpers target the simulator's multiplier at
    /// 0x0130 (the FR5994's MPY32 is at 0x04C0) and the image links the stand-in, not TI's DSPLib; a board
    /// build is issue 17's.
    RunSelftest {
        /// The output directory of `acec selftest`.
        dir: PathBuf,
        /// The mspdebug driver.
        #[arg(long, value_enum, default_value = "sim")]
        driver: acec::firmware::selftest::session::Driver,
        /// Print one JSON object (done, passed, kernels[].kernel, cases, listed, errors, max_lsb, worst,
        /// worst_case).
        #[arg(long)]
        json: bool,
    },
    /// Compile, run the compiled program on the host (bit-exact with the device) and the float model
    /// (tract), and compare: a classifier's accuracy, top-1 agreement and logit error; a regression model's
    /// MSE and SNR against its targets (or its inputs, for an autoencoder) and against the float model.
    Verify {
        #[command(flatten)]
        compile: CompileArgs,
        /// Test data (.npz with `x` and, for accuracy, `y` labels; for a regression model, float32 targets
        /// `y`, N x outputs, or none for an autoencoder).
        #[arg(long, value_name = "FILE.npz")]
        data: PathBuf,
        /// `classify` or `regress`; default: inferred as `acec compress` does (an autoencoder, with as many
        /// outputs as inputs and no labels, is a regression scored against its inputs).
        #[arg(long, value_name = "classify|regress")]
        task: Option<acec::task::Task>,
        /// Use only the first N samples.
        #[arg(long)]
        limit: Option<usize>,
        /// Print one JSON object (task, samples, float_accuracy, compiled_accuracy, agreement,
        /// max_abs_error; with --lsb-jitter also jitter.lsb, seed, accuracy, agreement_float,
        /// agreement_unperturbed, max_abs_change; a regression: float_mse, float_snr_db, compiled_mse,
        /// compiled_snr_db, compiled_vs_float_mse, compiled_vs_float_snr_db, max_abs_error).
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
    /// Compress a trained model's dense layers and convolutions into block-circulant form with Q15 weights (RAD): ADMM
    /// training on --data, block sizes chosen for the target (or given), written as a standard ONNX model
    /// that `acec build` compiles exactly, with OUT.report.md and OUT.report.json beside it.
    Compress(acec::cli::CompressArgs),
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Inspect { model, json, import } => {
            let imported = onnx::load_lenient(&model, &import.options()?)?;
            commands::inspect(&imported, json)
        }
        Command::Build { compile, output, firmware } => commands::build(&compile, output, &firmware),
        Command::RunFirmware { dir, failures, seeds, json } => commands::run_firmware(&dir, failures, &seeds, json),
        Command::Selftest { target, output, dsplib_standin } => {
            acec::firmware::selftest::command::selftest(&target, &output, dsplib_standin)
        }
        Command::RunSelftest { dir, driver, json } => {
            acec::firmware::selftest::command::run_selftest(&dir, driver, json)
        }
        Command::Verify { compile, data, task, limit, json, jitter } => {
            commands::verify(&compile, &data, task, limit, jitter.jitter(), json)
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
