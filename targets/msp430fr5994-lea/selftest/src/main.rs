//! Board self-test harness (`acec selftest`): runs every case of `cases.rs` (fixed vectors, edge cases
//! included, with the outputs the host computed with `SoftBackend`) through `DsplibBackend`, the device
//! path, and writes per kernel a [`Row`] to FRAM: cases run, kernel errors, the largest |device - host| in
//! LSB and the worst case. Then `SELFTEST_DONE = 1` and it spins in `acec_halt`, where the reader's
//! breakpoint is (`acec run-selftest`).
//!
//! Every operand is in LEA RAM, as DSPLib on the LEA requires: one arena in `.leaRAM`, 1 KB aligned, from
//! which the generator carved each case's operands at offsets that keep DSPLib's alignments (4 bytes; a real
//! FFT of N samples 2N bytes, a complex FFT of N points 4N bytes). Inputs are copied there by the CPU and
//! the arena is filled with junk before each case, so a kernel that writes nothing cannot pass on an
//! earlier case's output. Re-running after a reset starts over: the rows are cleared first.
#![no_std]
#![no_main]
#![feature(asm_experimental_arch)]

mod case;
mod cases;
mod divide;
mod startup;

use acec_runtime::Kernel;
use acec_runtime::backend::dsplib::DsplibBackend;
// Feature `dsplib-standin` (mspdebug's simulator only): DSPLib's `msp_*` functions from the Rust stand-in
// (dsplib-standin/, on the CPU); naming the crate links it. Without it the image needs TI's DSPLib.
#[cfg(feature = "dsplib-standin")]
use acec_dsplib_standin as _;

#[cfg(not(feature = "dsplib"))]
compile_error!("the self-test runs the DSPLib backend: build with --features dsplib (TI's DSPLib) or dsplib-standin");

/// One kernel's result, in FRAM. `#[repr(C)]`, four little-endian `u16`, 8 bytes: the reader in acec
/// (`firmware/selftest/rows.rs`) decodes this layout at `SELFTEST_ROWS + 8 * k` for `Kernel::ALL[k]`.
#[derive(Clone, Copy)]
#[repr(C)]
pub struct Row {
    /// Cases of this kernel that ran.
    pub cases: u16,
    /// Cases in which the kernel returned an error (their outputs are not compared).
    pub errors: u16,
    /// Largest |device - host| over every output of every case, in LSB, saturated at 65535 (32-bit
    /// outputs are compared as 32-bit values).
    pub max_lsb: u16,
    /// Index (in `cases::CASES`) of the first case with that difference.
    pub worst: u16,
}

const EMPTY: Row = Row { cases: 0, errors: 0, max_lsb: 0, worst: 0 };

/// One row per kernel of `Kernel::ALL`, in that order. FRAM, loaded as zeros.
#[unsafe(no_mangle)]
#[unsafe(link_section = ".acec.result")]
pub static mut SELFTEST_ROWS: [Row; Kernel::COUNT] = [EMPTY; Kernel::COUNT];

/// 0 while running, 1 once every case ran, 0xDEAD on a panic (a malformed case). FRAM, loaded as 0.
#[unsafe(no_mangle)]
#[unsafe(link_section = ".acec.result")]
pub static mut SELFTEST_DONE: u16 = 0;

/// The operands' memory: LEA RAM, 1 KB aligned. Rust rounds a type's size up to its alignment, so the
/// arena is 2 KB (`cases::ARENA_WORDS`): it fits at 0x2C00 or at 0x3000, whatever else the link puts in
/// `.leaRAM` first, below the LEA stack at 0x3AC8.
#[repr(C, align(1024))]
struct Arena([i16; cases::ARENA_WORDS]);

#[unsafe(link_section = ".leaRAM")]
static mut ARENA: Arena = Arena([0; cases::ARENA_WORDS]);

/// What the arena holds before a case (a value no kernel here outputs for every element).
const JUNK: i16 = 0x5A5A;

/// The reader's breakpoint: the self-test spins here once every case ran (or on a panic).
#[unsafe(no_mangle)]
#[inline(never)]
pub extern "C" fn acec_halt() -> ! {
    // SAFETY: a `nop`, forever.
    loop {
        unsafe { core::arch::asm!("nop") }
    }
}

fn write_row(k: usize, row: Row) {
    // SAFETY: single-threaded; a volatile store to a static, `k` in range (checked by the indexing).
    unsafe { core::ptr::write_volatile(core::ptr::addr_of_mut!(SELFTEST_ROWS[k]), row) };
}

fn read_row(k: usize) -> Row {
    // SAFETY: as in `write_row`.
    unsafe { core::ptr::read_volatile(core::ptr::addr_of!(SELFTEST_ROWS[k])) }
}

fn set_done(value: u16) {
    // SAFETY: an empty asm block orders the row stores before the marker (`compiler_fence` does not compile
    // for msp430); then a volatile store to a static.
    unsafe {
        core::arch::asm!("", options(nostack, preserves_flags));
        core::ptr::write_volatile(core::ptr::addr_of_mut!(SELFTEST_DONE), value);
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn main() -> ! {
    set_done(0);
    for k in 0..Kernel::COUNT {
        write_row(k, EMPTY);
    }
    let mut acc = DsplibBackend;
    for (index, case) in cases::CASES.iter().enumerate() {
        // SAFETY: single-threaded; the only reference to the arena while this case runs.
        let arena = unsafe { &mut (*core::ptr::addr_of_mut!(ARENA)).0 };
        arena.fill(JUNK);
        let k = usize::from(case.kernel);
        let mut row = read_row(k);
        match case::run(&mut acc, case, &cases::DATA, arena) {
            None => panic!("malformed case"),
            Some(Err(_)) => row.errors += 1,
            Some(Ok(output)) => {
                let (from, len) = (usize::from(case.expected.data), usize::from(case.expected.len));
                let (Some(want), Some(got)) =
                    (cases::DATA.get(from..from + len), case::output_words(&output, case, arena))
                else {
                    panic!("malformed case")
                };
                let lsb = case::max_lsb(got, want, case::is_wide(&output));
                // The first case of a kernel is its worst until one differs more.
                if lsb > row.max_lsb || row.cases == 0 {
                    (row.max_lsb, row.worst) = (lsb, index as u16);
                }
            }
        }
        row.cases += 1;
        write_row(k, row);
    }
    set_done(1);
    acec_halt()
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    set_done(0xDEAD);
    acec_halt()
}
