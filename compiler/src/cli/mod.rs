//! Argument types shared by the subcommands.

use std::path::PathBuf;

use crate::ace::BlockRequest;
use crate::error::Error;
use crate::onnx::{self, ImportOptions};
use crate::pipeline::Request;

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
    /// Compile dense layers as block-circulant: `64` projects every dense layer the block divides;
    /// `fc1=64,fc2=32` names layers (ONNX node names, as `acec inspect` prints them). Without it, only
    /// layers whose weights are already exactly block-circulant use the FFT path.
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
    #[command(flatten)]
    pub import: ImportArgs,
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

#[derive(clap::Args, Clone, Debug)]
pub struct FirmwareArgs {
    /// Also build MSP430 firmware around the crate, for mspdebug's simulator: sample --index of --data
    /// baked into FRAM, the resumable inference, the logits in ACEC_OUTPUT and ACEC_DONE set when done.
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
}

#[derive(clap::Args, Clone, Debug)]
pub struct SimArgs {
    #[command(flatten)]
    pub compile: CompileArgs,
    /// Storage capacitor, e.g. `47uF` (default: the target's).
    #[arg(long)]
    pub capacitor: Option<String>,
    /// Turn-on voltage (default: the target's).
    #[arg(long = "v-on")]
    pub v_on: Option<f64>,
    /// Brown-out voltage (default: the target's).
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
