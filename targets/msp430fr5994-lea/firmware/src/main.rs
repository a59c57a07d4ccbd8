//! Firmware harness: runs the generated model's resumable (FLEX) inference on the input baked in FRAM,
//! writes the logits to `ACEC_OUTPUT` and then `ACEC_DONE = 1`, and spins in `acec_halt`.
//! Safe to re-enter after any reset: the progress record lives in FRAM, so `resume` continues from the
//! last committed task; `start` is only called when `resume` reports `Idle`.
#![no_std]
#![no_main]
#![feature(asm_experimental_arch)]

mod divide;
mod input;
mod startup;

use acec_runtime::flex::Status;
// Feature `dsplib-standin` (mspdebug's simulator only): the `msp_*` symbols the DSPLib backend calls come
// from the Rust stand-in (dsplib-standin/, on the CPU) instead of TI's library; naming the crate links it.
#[cfg(feature = "dsplib-standin")]
use acec_dsplib_standin as _;

/// The logits (Q15 integers, the same as `acec run --json` `output_q15`). FRAM, loaded as zeros.
#[unsafe(no_mangle)]
#[unsafe(link_section = ".acec.result")]
pub static mut ACEC_OUTPUT: [i16; model::OUTPUT_LEN] = [0; model::OUTPUT_LEN];

/// 0 until the inference completed, then 1 (0xEEEE on a kernel error). FRAM, loaded as 0.
#[unsafe(no_mangle)]
#[unsafe(link_section = ".acec.result")]
pub static mut ACEC_DONE: u16 = 0;

/// Number of times this firmware wrote ACEC_DONE from 0 to non-zero (should stay 1). FRAM, loaded as 0.
#[unsafe(no_mangle)]
#[unsafe(link_section = ".acec.result")]
pub static mut ACEC_DONE_WRITES: u16 = 0;

/// Breakpoint target: the firmware spins here when done.
#[unsafe(no_mangle)]
#[inline(never)]
pub extern "C" fn acec_halt() -> ! {
    loop {
        // SAFETY: a `nop`.
        unsafe { core::arch::asm!("nop") };
    }
}

/// Compiler barrier. `core::sync::atomic::compiler_fence` does not compile for msp430 (LLVM: "Cannot select
/// AtomicFence"); an empty `asm!` without `nomem` orders memory accesses just the same.
fn fence() {
    // SAFETY: an empty asm block.
    unsafe { core::arch::asm!("", options(nostack, preserves_flags)) };
}

fn set_done(value: u16) {
    // SAFETY: single-threaded; volatile accesses to statics.
    unsafe {
        if core::ptr::read_volatile(core::ptr::addr_of!(ACEC_DONE)) == 0 {
            let n = core::ptr::read_volatile(core::ptr::addr_of!(ACEC_DONE_WRITES));
            core::ptr::write_volatile(core::ptr::addr_of_mut!(ACEC_DONE_WRITES), n.wrapping_add(1));
            fence();
            core::ptr::write_volatile(core::ptr::addr_of_mut!(ACEC_DONE), value);
        }
    }
    fence();
}

#[unsafe(no_mangle)]
pub extern "C" fn main() -> ! {
    // The CPU kernels (what mspdebug's simulator can run), or TI's DSPLib on the LEA (feature `dsplib`: the
    // firmware must then link DSPLib, see acec-runtime/README.md, or, in the simulator, the stand-in).
    #[cfg(not(feature = "dsplib"))]
    let mut acc = model::SoftBackend;
    #[cfg(feature = "dsplib")]
    let mut acc = acec_runtime::backend::dsplib::DsplibBackend;
    // SAFETY: single-threaded firmware, no interrupts: no other entry point of the model runs concurrently.
    unsafe {
        loop {
            match model::resume(&mut acc) {
                Ok(Status::Idle) => model::start(&input::INPUT),
                Ok(Status::Done { .. }) => break,
                Err(_) => {
                    set_done(0xEEEE);
                    acec_halt();
                }
            }
        }
        // Idempotent: re-running after a reset rewrites the same values.
        let mut logits = [0i16; model::OUTPUT_LEN];
        model::output(&mut logits);
        for (i, &v) in logits.iter().enumerate() {
            core::ptr::write_volatile(core::ptr::addr_of_mut!(ACEC_OUTPUT[i]), v);
        }
        fence();
        set_done(1);
    }
    acec_halt()
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: volatile store to a static.
    unsafe { core::ptr::write_volatile(core::ptr::addr_of_mut!(ACEC_DONE), 0xDEAD) };
    acec_halt()
}
