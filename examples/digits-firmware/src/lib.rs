//! An 8x8-digit classifier for the MSP430FR5994, its model compiled by `build.rs` with `acec::Build`:
//! what a firmware crate adds to use a model without copying a generated crate into its tree.
#![no_std]
// The generated commit barrier uses `asm!`, which msp430 builds enable here, at the crate root.
#![cfg_attr(target_arch = "msp430", feature(asm_experimental_arch))]

/// The model acec compiled from `fixtures/digits-mlp-rad/model.onnx` (see `build.rs`).
#[allow(clippy::unreadable_literal, clippy::excessive_precision)]
pub mod model {
    include!(concat!(env!("OUT_DIR"), "/digits_mlp_rad/model.rs"));
}

pub use model::{Accelerator, INPUT_LEN, KernelError, OUTPUT_LEN};

/// The digit (0-9) in `pixels` (an 8x8 image, row-major, as the training data scales it) and the logits
/// (`raw / 2^model::OUTPUT_FRAC_BITS`).
///
/// # Safety
/// The model's working memory is static: call this from one context at a time (not from an interrupt
/// handler while it runs).
pub unsafe fn classify<A: Accelerator>(
    acc: &mut A,
    pixels: &[f32; INPUT_LEN],
) -> Result<(usize, [i16; OUTPUT_LEN]), KernelError> {
    let mut input = [0i16; INPUT_LEN];
    for (q, &x) in input.iter_mut().zip(pixels) {
        *q = quantize(x);
    }
    let mut logits = [0i16; OUTPUT_LEN];
    // SAFETY: this function's contract.
    let class = unsafe { model::infer(acc, &input, &mut logits)? };
    Ok((class, logits))
}

/// `round(x * 2^INPUT_FRAC_BITS)` (half away from zero), saturated to `i16`: the input format the model
/// documents. By hand, as `f32::round` is not in `core`.
fn quantize(x: f32) -> i16 {
    let scaled = x * (1u32 << model::INPUT_FRAC_BITS) as f32;
    let rounded = if scaled >= 0.0 { scaled + 0.5 } else { scaled - 0.5 };
    // `as` truncates toward zero and saturates at the i32 range.
    (rounded as i32).clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
}
