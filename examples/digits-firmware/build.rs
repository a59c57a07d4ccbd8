//! Compiles the digits classifier into `OUT_DIR/digits_mlp_rad/model.rs` at build time: the model, its
//! calibration data and the target are all this crate needs; cargo reruns this when either file changes.

use std::process::ExitCode;

fn main() -> ExitCode {
    let fixtures = std::path::Path::new("../../fixtures");
    let build = acec::Build::new(fixtures.join("digits-mlp-rad/model.onnx"))
        .target("msp430-lea")
        .calib(fixtures.join("data/digits-train.npz"));
    match build.generate() {
        Ok(generated) => {
            let t = &generated.report.totals;
            // Shown with `cargo build -vv`; the whole report is in report.md beside model.rs.
            println!("acec: {} ({} cycles modeled per inference)", generated.source.display(), t.cycles);
            ExitCode::SUCCESS
        }
        Err(e) => {
            // The message acec build would print (it names the node and the fix).
            eprintln!("error: {e}");
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}
