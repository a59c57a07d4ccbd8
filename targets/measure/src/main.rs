//! Runs every soft kernel of `acec-runtime` at a few sizes between calls to [`mark`], so that `run.sh` can
//! read the simulator's MCLK cycle counter at each mark and fit `cycles = a + b*N (+ c*N*log2 N)`.
//! Input preparation happens outside the marked windows and is not counted.
#![no_std]
#![no_main]
#![feature(asm_experimental_arch)]

mod cases;
// The startup code and EABI helpers are shared with the firmware harness.
#[path = "../../msp430fr5994-lea/firmware/src/divide.rs"]
mod divide;
#[path = "../../msp430fr5994-lea/firmware/src/startup.rs"]
mod startup;

use acec_runtime::{Accelerator, LookupShape, PermuteShape, PoolShape, SoftBackend, SpectrumLayout};
use cases::{CASES, Case};

static mut A: [i16; 512] = [0; 512];
static mut B: [i16; 512] = [0; 512];
static mut C: [i16; 512] = [0; 512];
static mut ACC: [i32; 512] = [0; 512];
/// Results are written here (volatile) so the optimiser cannot drop a kernel whose result is unused.
static mut SINK: i32 = 0;

fn consume(value: i32) {
    // SAFETY: single-threaded; a plain volatile store to a static.
    unsafe { core::ptr::write_volatile(core::ptr::addr_of_mut!(SINK), value) };
}

/// Breakpoint target: `run.sh` stops here before and after every measured kernel call.
#[unsafe(no_mangle)]
#[inline(never)]
pub extern "C" fn mark() {
    // SAFETY: a `nop`; it keeps the function (and its call) from being optimised away.
    unsafe { core::arch::asm!("nop") };
}

/// Breakpoint target: all cases done.
#[unsafe(no_mangle)]
#[inline(never)]
pub extern "C" fn finished() -> ! {
    loop {
        core::hint::spin_loop();
    }
}

/// Deterministic small pseudo-random fill (values within +-1/4 full scale, so nothing saturates).
fn fill_inputs(buffers: [&mut [i16; 512]; 3], acc: &mut [i32; 512]) {
    let mut state: u16 = 0xACE1;
    for buffer in buffers {
        for x in buffer.iter_mut() {
            state ^= state << 7;
            state ^= state >> 9;
            state ^= state << 8;
            *x = (state as i16) >> 2;
        }
    }
    for (i, x) in acc.iter_mut().enumerate() {
        *x = (i as i32) << 12;
    }
}

/// One case, between two marks. Errors cannot happen for the fixed cases; they would show up as a very
/// small cycle count.
fn run(case: &Case, a: &mut [i16; 512], b: &mut [i16; 512], c: &mut [i16; 512], acc: &mut [i32; 512]) {
    let mut k = SoftBackend;
    let n = case.n as usize;
    let side = case.taps as usize;
    let window = case.window as usize;
    let shape = PoolShape {
        channels: if side == 0 { 0 } else { n / (side * side) },
        height: side,
        width: side,
        window_h: window,
        window_w: window,
        stride_h: window,
        stride_w: window,
    };
    let pooled = shape.output_len().unwrap_or(0);
    mark();
    let _ = match case.kernel {
        cases::RFFT => k.rfft(&mut a[..n]),
        cases::IRFFT => k.irfft(&mut a[..n]),
        cases::CFFT => k.cfft(&mut a[..2 * n]),
        cases::CIFFT => k.cifft(&mut a[..2 * n]),
        cases::CMPLX_MPY => k.cmplx_mpy(SpectrumLayout::RealPacked, &a[..2 * n], &b[..2 * n], &mut c[..2 * n]),
        cases::CMPLX_MAC => k.cmplx_mac(SpectrumLayout::RealPacked, &a[..2 * n], &b[..2 * n], &mut acc[..2 * n]),
        cases::MAC => k.mac(&a[..n], &b[..n]).map(consume),
        cases::FIR => {
            let taps = case.taps as usize;
            k.fir(&a[..n + taps - 1], &b[..taps], &mut c[..n])
        }
        cases::ADD => k.add(&a[..n], &mut c[..n]),
        cases::SHIFT => k.shift(&mut a[..n], -2),
        cases::SCALE => k.scale(&mut a[..n], 20000, 1),
        cases::OFFSET => k.offset(&mut a[..n], 123),
        cases::FILL => k.fill(&mut a[..n], 7),
        cases::MAX => k.max(&a[..n]).map(|(value, index)| consume(value as i32 + index as i32)),
        cases::RELU => k.relu(&mut a[..n]),
        cases::MAX_POOL => k.max_pool(&a[..n], &shape, 0, &mut c[..pooled]),
        cases::AVG_POOL => k.avg_pool(&a[..n], &shape, &mut c[..pooled]),
        // Shift 16 (Q31 dot products to Q15) is what compiled models use.
        cases::REQUANTIZE => k.requantize(&acc[..n], 16, &mut c[..n]),
        cases::ARGMAX => k.argmax(&a[..n]).map(|index| consume(index as i32)),
        cases::TO_COMPLEX => k.to_complex(&a[..n], &mut c[..2 * n]),
        cases::REAL_PART => k.real_part(&a[..2 * n], &mut c[..n]),
        cases::SOFTMAX => k.softmax(&a[..n], 10, &mut c[..n]),
        // Every input (within +-1/4 full scale) interpolates between two of 512 entries 64 codes apart:
        // the spacing of a Tanh table at Q12 (the data-dependent clamps below and above the table are
        // cheaper paths).
        // NHWC (n / 48 rows of 16 pixels, 3 channels) to CHW: tf2onnx's input transpose.
        cases::PERMUTE => {
            let h = n / 48;
            let shape = PermuteShape { dims: [1, 3, h, 16], strides: [0, 1, 48, 3] };
            k.permute(&a[..n], &shape, 0, &mut c[..n])
        }
        cases::LOOKUP => k.lookup(&a[..n], &b[..], LookupShape { base: -16384, step_log2: 6 }, &mut c[..n]),
        _ => k.copy(&a[..n], &mut c[..n]),
    };
    mark();
    consume(c[0] as i32 + a[0] as i32 + acc[0]);
}

#[unsafe(no_mangle)]
pub extern "C" fn main() -> ! {
    // SAFETY: single-threaded bare-metal program; these are the only references to the buffers.
    let (a, b, c, acc) = unsafe {
        (
            &mut *core::ptr::addr_of_mut!(A),
            &mut *core::ptr::addr_of_mut!(B),
            &mut *core::ptr::addr_of_mut!(C),
            &mut *core::ptr::addr_of_mut!(ACC),
        )
    };
    for case in CASES.iter() {
        fill_inputs([&mut *a, &mut *b, &mut *c], &mut *acc);
        run(case, a, b, c, acc);
    }
    finished()
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    finished()
}
