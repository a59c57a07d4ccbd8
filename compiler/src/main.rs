//! The `acec` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use acec::error::Error;
use acec::onnx::{self, ImportOptions};
use acec::report::inspect;
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
}

#[derive(clap::Args)]
struct ImportArgs {
    /// Fix the shape of an input with dynamic dimensions, e.g. `--input-shape input=1x1x28x28`.
    /// May be given once per input.
    #[arg(long = "input-shape", value_name = "NAME=DIMS")]
    input_shapes: Vec<String>,
}

impl ImportArgs {
    fn options(&self) -> Result<ImportOptions, Error> {
        let input_shapes = self.input_shapes.iter().map(|a| onnx::parse_input_shape(a)).collect::<Result<_, _>>()?;
        Ok(ImportOptions { input_shapes })
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Inspect { model, json, import } => {
            let graph = onnx::load(&model, &import.options()?)?;
            let inspection = inspect::inspect(&graph);
            if json {
                let text = serde_json::to_string_pretty(&inspection).map_err(|e| Error::Internal(e.to_string()))?;
                println!("{text}");
            } else {
                print!("{}", inspect::render_text(&inspection));
            }
            Ok(())
        }
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
