//! LaunchPad harness (MSP-EXP430FR5994): at every boot, brown-outs included, the FRAM wait state and the
//! 16 MHz clock, the pins, then the model's resumable (FLEX) inference on the input baked in FRAM: `resume`
//! continues from the last committed task, `start` runs only when `resume` reports `Idle`. When it is done,
//! the class, the logits and the cycle count go out on the backchannel UART (115200 8N1, mirrored in
//! FRAM), LED1 lights and the CPU spins in `acec_halt`. A reset after that prints the same result again.
//!
//! Feature `sim` builds the same image for mspdebug's simulator: see `mpy32.rs` and `uart.rs` for the two
//! things it swaps.
#![no_std]
#![no_main]
#![feature(asm_experimental_arch)]

mod clock;
mod divide;
mod gpio;
mod input;
mod mmio;
#[cfg(not(feature = "sim"))]
mod mpy32;
mod registers;
mod report;
mod startup;
mod timer;
mod uart;

use acec_runtime::flex::Status;

/// Where the firmware spins when done (a debugger's breakpoint target, as in the simulator harness).
#[unsafe(no_mangle)]
#[inline(never)]
pub extern "C" fn acec_halt() -> ! {
    loop {
        // SAFETY: a `nop`.
        unsafe { core::arch::asm!("nop") };
    }
}

/// Runs or resumes the inference to its end; `None` when a kernel reported an error.
fn infer() -> Option<[i16; model::OUTPUT_LEN]> {
    // The CPU kernels, or TI's DSPLib on the LEA (feature `dsplib`, linked by `acec build --dsplib`).
    #[cfg(not(feature = "dsplib"))]
    let mut kernels = model::SoftBackend;
    #[cfg(feature = "dsplib")]
    let mut kernels = acec_runtime::backend::dsplib::DsplibBackend;
    // SAFETY: single-threaded firmware; the interrupt handlers (the timer's, DSPLib's) never enter the model.
    unsafe {
        while !matches!(model::resume(&mut kernels).ok()?, Status::Done { .. }) {
            model::start(&input::INPUT);
        }
        let mut logits = [0i16; model::OUTPUT_LEN];
        model::output(&mut logits);
        Some(logits)
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn main() -> ! {
    clock::init();
    gpio::init();
    timer::start();
    let logits = infer();
    let cycles = timer::stop();
    let mut out = uart::Uart::open();
    match logits {
        Some(logits) => report::result(&mut out, &logits, cycles),
        None => out.text("error kernel\n"),
    }
    out.close();
    gpio::led_on();
    acec_halt()
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    let mut out = uart::Uart::open();
    out.text("error panic\n");
    out.close();
    acec_halt()
}
