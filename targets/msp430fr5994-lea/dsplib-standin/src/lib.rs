//! A stand-in for TI's MSP430 DSPLib 1.30: the C functions acec's `DsplibBackend` calls, implemented in Rust
//! on the CPU with acec-runtime's soft kernels, so that the `dsplib` build of the firmware runs in
//! mspdebug's simulator, which has no LEA. What it exercises is the FFI path on the real ISA: symbol names,
//! arity, the `#[repr(C)]` parameter structs as the MSP430 EABI lays them out, pointers, and the status the
//! backend checks, and where the operands are: each function refuses, with DSPLib's status, an operand the
//! LEA could not reach ([`lea_ram`]). What it cannot exercise is the LEA itself (its rounding, the LEA
//! interrupt); `acec selftest` on a board is for that.
//!
//! Why this is an explicit choice: linked in place of TI's library, it would make a device build silently run
//! every "LEA" kernel on the CPU. The firmware harness links it only with its feature `dsplib-standin`
//! (`acec build --firmware --dsplib-standin`); the `dsplib` feature alone leaves `msp_*` for TI's library.
//!
//! Which DSPLib it stands for: the LEA build (`MSP_USE_LEA`), as the backend expects: `twiddleTable` may be
//! NULL (the LEA reads its tables from ROM; `DSPLib_transform.h`), so the tables are never read here.
//! Arithmetic is TI's C path (the `#else //MSP_USE_LEA` branch of each `source/**/msp_*.c`), which is what
//! the soft kernels reproduce and what the host run computes; the argument checks are those the LEA build
//! makes under `#ifndef MSP_DISABLE_DIAGNOSTICS`, the LEA-RAM address checks included (with the one the LEA
//! makes itself, [`lea_ram`]), plus the few this implementation needs (each named where it is made).
//! Sources read: TI MSP430Ware 3.80.06.03 `dsplib/` (DSPLib 1.30.00.02), e.g. the copy at
//! github.com/PiBoxY/msp430ware.
//!
//! The parameter structs are declared here from TI's headers (`types`), independently of acec-runtime's own
//! declarations: two transcriptions of the same header meeting at the link, not one checked against itself.
#![no_std]

mod access;
mod filter;
pub mod lea_ram;
mod transform;
pub mod types;
mod utility;
mod vector;

pub use filter::msp_fir_q15;
pub use transform::{msp_cmplx_fft_fixed_q15, msp_split_q15};
pub use utility::msp_fill_q15;
pub use vector::{msp_add_q15, msp_cmplx_mpy_q15, msp_mac_q15, msp_max_q15, msp_offset_q15, msp_shift_q15};
