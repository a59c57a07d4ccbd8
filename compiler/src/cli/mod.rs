//! Argument types shared by the subcommands, and the advice the commands give ([`advice`]).

pub mod advice;

use std::path::PathBuf;

use crate::ace::BlockRequest;
use crate::error::Error;
use crate::onnx::{self, ImportOptions};
use crate::pipeline::Request;
use crate::verify::jitter::{Amplitude, Jitter};

#[derive(clap::Args, Clone, Debug)]
pub struct ImportArgs {
    /// Fix the shape of an input with dynamic dimensions, e.g. `--input-shape input=1x1x28x28`.
    /// May be given once per input.
    #[arg(long = "input-shape", value_name = "NAME=DIMS")]
    pub input_shapes: Vec<String>,
}

impl ImportArgs {
    pub fn options(&self) -> Result<ImportOptions, Error> {
        let input_shapes = self.input_shapes.iter().map(|a| onnx::parse_input_shape(a)).collect::<Result<_, _>>()?;
        Ok(ImportOptions { input_shapes })
    }
}

#[derive(clap::Args, Clone, Debug)]
pub struct CompileArgs {
    /// The ONNX model file.
    pub model: PathBuf,
    /// The device to compile for: msp430-lea (MSP430FR5994 with LEA), msp430 (no LEA), host.
    #[arg(long, default_value = "msp430-lea")]
    pub target: String,
    /// Compile layers as block-circulant: `64` projects every dense layer the block divides and every plain
    /// convolution the accelerator can run at it (block-circulant over the channels at every kernel
    /// position); `fc1=64,conv2=16` names layers (ONNX node names, as `acec inspect` prints them).
    /// Without it, only layers whose weights are already exactly block-circulant use the FFT path.
    #[arg(long, value_name = "N|LAYER=N,...")]
    pub block: Option<String>,
    /// Calibration data (.npz with `x`, samples x input shape): activation ranges are measured on up to
    /// 200 samples. Without it, ranges are a worst-case bound for inputs in [-1, 1] (less precise).
    #[arg(long, value_name = "FILE.npz")]
    pub calib: Option<PathBuf>,
    /// Keep a final Softmax: the device outputs probabilities (Q15) instead of logits. Without it a final
    /// Softmax/LogSoftmax is dropped (the argmax, the class, is the same).
    #[arg(long)]
    pub keep_softmax: bool,
    /// Keep every constant below 64 KB, where 16-bit pointers reach (mspdebug's simulator has nothing
    /// above): convolutions are then compiled without FFTs where their spectra would not fit there.
    /// `build --firmware` implies it.
    #[arg(long)]
    pub no_upper_fram: bool,
    /// How the DSPLib your firmware links is built: `on` (DSPLib's default: every call checks its
    /// arguments) or `off` (built with MSP_DISABLE_DIAGNOSTICS: each call about 60 cycles cheaper, and
    /// DSPLib no longer reports misplaced operands). Default: as the target's cost table says (on).
    #[arg(long, value_name = "on|off", value_parser = on_off)]
    pub dsplib_diagnostics: Option<bool>,
    #[command(flatten)]
    pub import: ImportArgs,
}

fn on_off(value: &str) -> Result<bool, String> {
    match value {
        "on" => Ok(true),
        "off" => Ok(false),
        other => Err(format!("'{other}': say on or off")),
    }
}

impl CompileArgs {
    pub fn request(&self) -> Result<Request, Error> {
        Ok(Request {
            model: self.model.clone(),
            target: self.target.clone(),
            blocks: parse_block(self.block.as_deref())?,
            calib: self.calib.clone(),
            import: self.import.options()?,
            keep_softmax: self.keep_softmax,
            no_upper_fram: self.no_upper_fram,
            energy_buffer: None,
            dsplib_diagnostics: self.dsplib_diagnostics,
        })
    }
}

/// `None` -> detect; `64` -> all; `a=64,b=32` -> per layer.
pub fn parse_block(spec: Option<&str>) -> Result<BlockRequest, Error> {
    let bad = |detail: String| Error::Lower(crate::ace::LowerError::BadBlock { detail });
    let Some(spec) = spec else { return Ok(BlockRequest::Detect) };
    if let Ok(block) = spec.trim().parse::<usize>() {
        return Ok(BlockRequest::All(block));
    }
    let mut list = Vec::new();
    for part in spec.split(',') {
        let (name, block) =
            part.rsplit_once('=').ok_or_else(|| bad(format!("'{part}' is neither a block size nor LAYER=N")))?;
        let block = block.trim().parse::<usize>().map_err(|_| bad(format!("'{block}' in '{part}' is not a number")))?;
        list.push((name.trim().to_string(), block));
    }
    Ok(BlockRequest::PerLayer(list))
}

/// `acec verify --lsb-jitter`: the accuracy margin for the LEA rounding TI does not document.
#[derive(clap::Args, Clone, Debug)]
pub struct JitterArgs {
    /// Also run the compiled program with the LEA's rounding, which TI does not document bit for bit (the
    /// host run reproduces TI's C source), modelled as noise: every value
    /// after each FFT stage and after the split, and every output of cmplx_mpy, fir and mac, moved by a
    /// uniform pseudo-random integer in [-K, K] LSB (saturating). Adds, shifts, copies and the CPU kernels
    /// (requantize, pooling, ReLU, ...) stay exact. Reports that run's accuracy and its top-1 agreement with
    /// the float model and with the unperturbed compiled run. K in 0..=64; 0 is the unperturbed run.
    #[arg(long = "lsb-jitter", value_name = "K", value_parser = Amplitude::parse, allow_hyphen_values = true)]
    pub lsb_jitter: Option<Amplitude>,
    /// Seed of the --lsb-jitter noise: the same seed gives the same bits (a sample's noise depends only on
    /// the seed and the sample's index).
    #[arg(long = "jitter-seed", value_name = "S", default_value_t = 1, requires = "lsb_jitter")]
    pub jitter_seed: u64,
}

impl JitterArgs {
    pub fn jitter(&self) -> Option<Jitter> {
        self.lsb_jitter.map(|amplitude| Jitter { amplitude, seed: self.jitter_seed })
    }
}

#[derive(clap::Args, Clone, Debug)]
pub struct FirmwareArgs {
    /// Also build MSP430 firmware around the crate, for mspdebug's simulator (or a board: --board): sample
    /// --index of --data baked into FRAM, the resumable inference, the logits in ACEC_OUTPUT and ACEC_DONE
    /// set when done.
    /// Writes DIR/firmware/ (sources), DIR/firmware.elf, DIR/firmware.md (memory of the linked image) and
    /// DIR/firmware.json (the host run's output, for `acec run-firmware`). Needs `rustup component add
    /// rust-src`.
    #[arg(long, requires = "data")]
    pub firmware: bool,
    /// With --firmware: the data (.npz with `x`) the baked sample comes from.
    #[arg(long, value_name = "FILE.npz")]
    pub data: Option<PathBuf>,
    /// With --firmware: which sample of --data.
    #[arg(long, default_value_t = 0)]
    pub index: usize,
    /// With --firmware: run the kernels through the DSPLib backend (the LEA build's FFI calls), with TI's
    /// DSPLib functions replaced by acec's Rust stand-in on the CPU (the simulator has no LEA). Tests the
    /// backend's calls, structs and status handling on the MSP430 ISA; the image is not for a device.
    #[arg(long, requires = "firmware")]
    pub dsplib_standin: bool,
    /// With --firmware: the harness. `sim` (mspdebug's simulator); `msp-exp430fr5994` (TI's LaunchPad:
    /// 16 MHz, the MPY32, the class, logits and cycle count on the backchannel UART at 115200 8N1, LED1
    /// when done; flash DIR/firmware.elf as targets/msp430fr5994-lea/README.md says). Unlike `sim` it does
    /// not imply --no-upper-fram: weights that do not fit below 64 KB are read from upper FRAM by DMA.
    #[arg(long, value_enum, default_value_t = crate::firmware::board::Board::Sim, requires = "firmware")]
    pub board: crate::firmware::board::Board,
    /// With --board msp-exp430fr5994: link TI's DSPLib (built by you, see runtime/README.md) from this
    /// archive and run the kernels on the LEA; without it the board image runs the CPU kernels. Untried on a
    /// board: see targets/msp430fr5994-lea/README.md.
    #[arg(long, value_name = "PATH/libdsplib.a", requires = "firmware")]
    pub dsplib: Option<PathBuf>,
}

#[derive(clap::Args, Clone, Debug)]
pub struct SimArgs {
    #[command(flatten)]
    pub compile: CompileArgs,
    /// The energy buffer by name: `default` (the target's own), or a preset of the target's description,
    /// e.g. `inas` on msp430-lea (100 uF, 2.8 -> 2.4 V, about 104 uJ a charge, as iNAS's cost model has
    /// it). `--capacitor`, `--v-on` and `--v-off` change it further.
    #[arg(long, default_value = "default", value_name = "NAME")]
    pub buffer: String,
    /// Storage capacitor, e.g. `47uF` (default: the buffer's). The model is compiled for it: convolutions take
    /// forms whose smallest unit of work fits one charge.
    #[arg(long)]
    pub capacitor: Option<String>,
    /// Turn-on voltage (default: the buffer's).
    #[arg(long = "v-on")]
    pub v_on: Option<f64>,
    /// Brown-out voltage (default: the buffer's).
    #[arg(long = "v-off")]
    pub v_off: Option<f64>,
    /// Constant harvested power, e.g. `300uW`: the capacitor dies and recharges (energy-driven mode).
    #[arg(long, conflicts_with = "trace")]
    pub power: Option<String>,
    /// Harvested power trace, CSV of `time_s,microwatts` rows (energy-driven mode).
    #[arg(long, value_name = "FILE.csv")]
    pub trace: Option<PathBuf>,
    /// Inject a failure before every kernel call and inside every commit write, one run each.
    #[arg(long, conflicts_with_all = ["power", "trace"])]
    pub exhaustive: bool,
    /// With --exhaustive: only every Nth kernel call (commit writes are always all covered).
    #[arg(long, default_value_t = 1)]
    pub stride: u64,
    /// Random failures per inference (without --power, --trace or --exhaustive).
    #[arg(long, default_value_t = 25)]
    pub failures: u64,
    /// Seed of the random failure points, the junk written to volatile memory, and the input.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Input data (.npz with `x`); without it, a deterministic pseudo-random input.
    #[arg(long, value_name = "FILE.npz")]
    pub data: Option<PathBuf>,
    /// Which sample of --data.
    #[arg(long, default_value_t = 0)]
    pub index: usize,
    /// Print one JSON object (completed, bit_identical, reboots, failures_injected, time_to_inference_s,
    /// checkpoint_overhead_pct, ...).
    #[arg(long)]
    pub json: bool,
}

/// `acec compress` (see `compress::Request` for what each flag becomes).
#[derive(clap::Args, Clone, Debug)]
pub struct CompressArgs {
    /// The trained ONNX model file.
    pub model: PathBuf,
    /// Training data: .npz with `x` (float32, samples x model input shape) and `y`: int64 class labels for
    /// a classifier, float32 targets (samples x outputs) for a regression model; an autoencoder (as many
    /// outputs as inputs) needs no `y`. Every 10th sample is held out: `--block auto` scores its trials on
    /// them.
    #[arg(long, value_name = "TRAIN.npz")]
    pub data: PathBuf,
    /// Test data (same format): the score before/after in the report, never used to choose. Without it,
    /// the held-out validation samples.
    #[arg(long, value_name = "TEST.npz")]
    pub test: Option<PathBuf>,
    /// `classify` (cross-entropy on the labels, distilled from the model; scored by accuracy) or
    /// `regress` (squared error to the original model's outputs; scored by MSE and SNR against the
    /// targets, or the inputs for an autoencoder). Default: inferred from the model and the data; a
    /// model with as many outputs as inputs and int64 labels is ambiguous and must say.
    #[arg(long, value_name = "classify|regress")]
    pub task: Option<crate::task::Task>,
    /// The device the compressed model is for: block sizes must suit its accelerator and memory.
    #[arg(long, default_value = "msp430-lea")]
    pub target: String,
    /// Block sizes of the dense layers and plain convolutions: `auto` (the lowest modeled energy per
    /// inference that fits the target and keeps the accuracy drop within --max-drop), `64` (every layer
    /// it fits), or `fc1=64,conv2=16` (ONNX node names, as `acec inspect` prints them). A convolution
    /// becomes block-circulant over its channels at every kernel position (CirCNN), which the target's FFT
    /// sizes allow only where the block divides its out channels and kernel positions x in channels;
    /// `auto` takes it only where that lowers the modeled energy. Layers before the first dense layer or
    /// compressed convolution keep their weights (rounded to Q15); the rest trains.
    #[arg(long, default_value = "auto", value_name = "auto|N|LAYER=N,...")]
    pub block: String,
    /// Training epochs per configuration: two thirds ADMM rounds (one epoch each), the rest fine-tuning.
    #[arg(long, default_value_t = crate::compress::DEFAULT_EPOCHS)]
    pub epochs: usize,
    /// Largest accuracy drop `--block auto` accepts (a classifier), in percentage points.
    #[arg(long = "max-drop", default_value_t = 1.0, value_name = "PCT")]
    pub max_drop: f64,
    /// Largest MSE increase `--block auto` accepts (a regression model), in percent of the original's.
    #[arg(long = "max-error-rise", default_value_t = 10.0, value_name = "PCT")]
    pub max_error_rise: f64,
    /// Seed of the sample order: the same seed and data give a byte-identical model.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Train on only the first N samples of --data (quick trials).
    #[arg(long)]
    pub limit: Option<usize>,
    /// The compressed model; OUT.report.md and OUT.report.json are written beside it.
    #[arg(short, long, value_name = "OUT.onnx")]
    pub output: PathBuf,
    #[command(flatten)]
    pub import: ImportArgs,
}

impl CompressArgs {
    pub fn request(&self) -> Result<crate::compress::Request, Error> {
        use crate::compress::{BlockSpec, CompressError};
        let blocks = if self.block.trim() == "auto" {
            BlockSpec::Auto
        } else {
            let parsed = parse_block(Some(&self.block)).map_err(|_| {
                CompressError::BadArgument(format!("--block '{}': expected auto, N or LAYER=N,...", self.block))
            })?;
            BlockSpec::Fixed(parsed)
        };
        Ok(crate::compress::Request {
            model: self.model.clone(),
            data: self.data.clone(),
            test: self.test.clone(),
            target: self.target.clone(),
            blocks,
            epochs: self.epochs,
            task: self.task,
            budget: crate::compress::score::Budget {
                max_drop_points: self.max_drop,
                max_error_rise_pct: self.max_error_rise,
            },
            seed: self.seed,
            output: self.output.clone(),
            limit: self.limit,
            import: self.import.options()?,
        })
    }
}
