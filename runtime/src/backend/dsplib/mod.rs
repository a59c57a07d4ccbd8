//! The LEA backend: TI's DSPLib on the MSP430FR5994 (feature `dsplib`, `target_arch = "msp430"` only).
//!
//! Kernels the LEA runs (the transforms, through `msp_cmplx_fft_fixed_q15` and `msp_split_q15`,
//! `cmplx_mpy`, `mac`, `fir`, `add`, `shift`, `offset`, `fill`, `max`) call DSPLib; the rest run the soft
//! kernels on the CPU, so they are bit-identical to [`crate::SoftBackend`]: `cmplx_mac`, `relu`, pooling,
//! `requantize`, `argmax`, `to_complex` and `real_part` have no LEA command, and `scale` has none in
//! DSPLib's LEA build. `copy` is a DMA block transfer (below).
//!
//! Arguments are validated with the same rules as the soft backend before DSPLib is called, so a host run
//! refuses exactly what the device refuses. DSPLib's own checks remain (built without
//! `MSP_DISABLE_DIAGNOSTICS`) and a failure comes back as [`Violation::DeviceStatus`].
//!
//! LEA RAM placement (the caller's job; generated code does it): every operand of an LEA kernel must be in
//! LEA RAM (0x2C00..0x3AC7 on the FR5994: 4 KB minus the 0x138-byte LEA parameter stack at the top), at
//! least 4-byte aligned; a real FFT of N points needs `2*N`-byte alignment (`MSP_ALIGN_FFT_Q15`), a complex
//! FFT of N points `4*N` (`MSP_ALIGN_CMPLX_FFT_Q15`: 1 KB at 256 points). Place buffers with
//! `#[unsafe(link_section = ".leaRAM")]` and `#[repr(C, align(N))]` wrappers; the link script maps
//! `.leaRAM` to the LEA region, sorted by alignment (`SORT_BY_ALIGNMENT`, so the backend's own word in
//! LEA RAM, [`MAC_RESULT`], costs no padding). Operands elsewhere make DSPLib return
//! `MSP_LEA_INVALID_ADDRESS` (TI's `MSP_LEA_VALID_ADDRESS` checks, `include/DSPLib_lea.h`); the DSPLib
//! stand-in makes the same checks in mspdebug's simulator.
//!
//! `copy` is the one kernel whose operands are not both in LEA RAM: it stages weights and activations
//! from FRAM into LEA RAM and results back. `msp_copy_q15` would have the LEA read or write FRAM (TI's
//! code checks only the destination, and the LEA addresses its RAM alone), so copies are DMA block
//! transfers (channel 0, as [`crate::far`]'s), or, with the feature `cpu-copies` (mspdebug's simulator,
//! which has no DMA), CPU copies.
//!
//! Semantics versus the soft backend: the transforms are one composition ([`crate::kernels::fft`]) of
//! `msp_cmplx_fft_fixed_q15` and `msp_split_q15` with CPU steps, shared with the soft backend, which runs
//! TI's C source semantics of those two functions in their place; inputs are clamped so that no stage can
//! overflow, so wrapping and saturating datapaths agree. What remains is the LEA's rounding, which TI does
//! not document bit for bit: only a run on a board can measure it (`acec selftest` builds the firmware
//! that compares every kernel with the host's, in LSB; it runs in the simulator against the stand-in, and
//! a board image waits for the board firmware), and `acec verify --lsb-jitter` shows how much of it a
//! model tolerates.

mod abi;
mod conform;
mod contract;
mod ctype;
mod declare;
mod ffi;

use crate::accelerator::Accelerator;
use crate::cost::Kernel;
use crate::error::{KernelError, Violation};
use crate::far::Far;
use crate::kernels::fft::{self, FftSteps};
use crate::kernels::{check, complex, interleave, lookup, permute, pool, requantize, softmax, vector};
use crate::shapes::{LookupShape, PermuteShape, PoolShape, SpectrumLayout};
use ffi::MspStatus;

/// A 32-bit word in LEA RAM, 4-byte aligned, as `msp_mac_q15` needs its result (`MSP_LEA_VALID_ADDRESS(result,
/// 4)`, `source/vector/msp_mac_q15.c`: the LEA writes it).
#[repr(C, align(4))]
struct LeaWord(core::cell::UnsafeCell<i32>);

// SAFETY: the firmware is single-threaded and DSPLib is not re-entrant (`msp_lea_acquireLock`); the word is
// only touched inside `DsplibBackend::mac`.
unsafe impl Sync for LeaWord {}

/// Where `msp_mac_q15` writes its result: the [`crate::backend::LEA_RAM_RESERVED_BYTES`] of LEA RAM that
/// acec's memory plan leaves to the backend.
#[unsafe(link_section = ".leaRAM.acec_backend")]
static MAC_RESULT: LeaWord = LeaWord(core::cell::UnsafeCell::new(0));

const _: () = assert!(core::mem::size_of::<LeaWord>() == crate::backend::LEA_RAM_RESERVED_BYTES);

/// Calls TI's DSPLib (built with `MSP_USE_LEA`) for the kernels the LEA runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct DsplibBackend;

/// DSPLib lengths are `uint16_t`; every checked slice on a 16-bit target fits.
fn length(len: usize) -> u16 {
    len as u16
}

fn status(kernel: Kernel, status: MspStatus) -> Result<(), KernelError> {
    if status == ffi::MSP_SUCCESS {
        Ok(())
    } else {
        Err(KernelError { kernel, violation: Violation::DeviceStatus { status } })
    }
}

/// The two DSPLib functions the transforms are composed of (see [`crate::kernels::fft`]): the same
/// composition as the soft backend's, with TI's functions in place of their C semantics.
struct LeaSteps;

impl FftSteps for LeaSteps {
    fn cmplx_fft_fixed(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        let params = ffi::MspFftQ15Params {
            length: length(data.len() / 2),
            bit_reverse: true,
            twiddle_table: core::ptr::null(),
        };
        // SAFETY: `data` holds `2 * length` i16 (interleaved complex), transformed in place; the twiddle
        // table may be NULL with DSPLib built for the LEA (tables in LEA ROM, `DSPLib_transform.h`).
        status(Kernel::Cfft, unsafe { ffi::msp_cmplx_fft_fixed_q15(&params, data.as_mut_ptr()) })
    }

    fn split(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        let params = ffi::MspSplitQ15Params { length: length(data.len()), twiddle_table: core::ptr::null() };
        // SAFETY: `data` holds `length` i16 (`length / 2` complex points), split in place; NULL table as above.
        status(Kernel::Rfft, unsafe { ffi::msp_split_q15(&params, data.as_mut_ptr()) })
    }
}

impl Accelerator for DsplibBackend {
    fn rfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::rfft(&mut LeaSteps, data)
    }

    fn irfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::irfft(&mut LeaSteps, data)
    }

    fn cfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::cfft(&mut LeaSteps, data)
    }

    fn cifft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::cifft(&mut LeaSteps, data)
    }

    fn cmplx_mpy(&mut self, layout: SpectrumLayout, a: &[i16], b: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        check::binary_even(Kernel::CmplxMpy, a.len(), b.len(), dst.len())?;
        check::layout(Kernel::CmplxMpy, layout, a.len())?;
        let params = ffi::MspLengthParams { length: length(a.len() / 2) };
        // SAFETY: three distinct slices of `2 * length` i16.
        status(Kernel::CmplxMpy, unsafe { ffi::msp_cmplx_mpy_q15(&params, a.as_ptr(), b.as_ptr(), dst.as_mut_ptr()) })?;
        // A packed pair holds two real bins (DC, Nyquist): redo each component-wise on the CPU. They start
        // the buffer (`RealPacked`) or every block (`RealPackedBlocks`, checked to tile the buffer).
        let packed_every = match layout {
            SpectrumLayout::Complex => return Ok(()),
            SpectrumLayout::RealPacked => a.len().max(2),
            SpectrumLayout::RealPackedBlocks(block) => block,
        };
        for at in (0..a.len()).step_by(packed_every) {
            let pair = at..at + 2;
            complex::cmplx_mpy(SpectrumLayout::RealPacked, &a[pair.clone()], &b[pair.clone()], &mut dst[pair])?;
        }
        Ok(())
    }

    fn cmplx_mac(&mut self, layout: SpectrumLayout, a: &[i16], b: &[i16], acc: &mut [i32]) -> Result<(), KernelError> {
        complex::cmplx_mac(layout, a, b, acc)
    }

    fn mac(&mut self, a: &[i16], b: &[i16]) -> Result<i32, KernelError> {
        check::same_len(Kernel::Mac, a.len(), b.len())?;
        check::even(Kernel::Mac, a.len())?;
        let params = ffi::MspLengthParams { length: length(a.len()) };
        let result = MAC_RESULT.0.get();
        // SAFETY: two slices of `length` i16 and the LEA-RAM result word, which nothing else uses.
        status(Kernel::Mac, unsafe { ffi::msp_mac_q15(&params, a.as_ptr(), b.as_ptr(), result) })?;
        // SAFETY: the LEA wrote the word; volatile, as a write the compiler did not see.
        Ok(unsafe { result.read_volatile() })
    }

    fn fir(&mut self, src: &[i16], coeffs: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        check::non_empty(Kernel::Fir, coeffs.len())?;
        check::even(Kernel::Fir, coeffs.len())?;
        check::even(Kernel::Fir, dst.len())?;
        check::same_len(Kernel::Fir, dst.len() + coeffs.len() - 1, src.len())?;
        let params = ffi::MspFirQ15Params {
            length: length(dst.len()),
            tap_length: length(coeffs.len()),
            coeffs: coeffs.as_ptr(),
            enable_circular_buffer: false,
        };
        // SAFETY: `src` holds `length + tapLength - 1` samples, `dst` `length`, `coeffs` `tapLength`.
        status(Kernel::Fir, unsafe { ffi::msp_fir_q15(&params, src.as_ptr(), dst.as_mut_ptr()) })
    }

    fn add(&mut self, src: &[i16], acc: &mut [i16]) -> Result<(), KernelError> {
        check::binary_even(Kernel::Add, src.len(), src.len(), acc.len())?;
        let params = ffi::MspLengthParams { length: length(src.len()) };
        let acc_ptr = acc.as_mut_ptr();
        // SAFETY: DSPLib documents `msp_add_q15` as supporting in-place operation (srcB == dst).
        status(Kernel::Add, unsafe { ffi::msp_add_q15(&params, src.as_ptr(), acc_ptr, acc_ptr) })
    }

    fn shift(&mut self, data: &mut [i16], shift: i8) -> Result<(), KernelError> {
        check::shift_range(Kernel::Shift, shift as i32, -15, 15)?;
        check::even(Kernel::Shift, data.len())?;
        if !contract::shift_calls_dsplib(shift) {
            // In place, DSPLib would multiply by -1.0 (see `contract::shift_calls_dsplib`).
            return Ok(());
        }
        let params = ffi::MspShiftQ15Params { length: length(data.len()), shift };
        let ptr = data.as_mut_ptr();
        // SAFETY: in-place operation is documented for `msp_shift_q15`.
        status(Kernel::Shift, unsafe { ffi::msp_shift_q15(&params, ptr, ptr) })
    }

    fn scale(&mut self, data: &mut [i16], scale: i16, shift: u8) -> Result<(), KernelError> {
        vector::scale(data, scale, shift)
    }

    fn offset(&mut self, data: &mut [i16], offset: i16) -> Result<(), KernelError> {
        check::even(Kernel::Offset, data.len())?;
        let params = ffi::MspOffsetQ15Params { length: length(data.len()), offset };
        let ptr = data.as_mut_ptr();
        // SAFETY: in-place operation is documented for `msp_offset_q15`.
        status(Kernel::Offset, unsafe { ffi::msp_offset_q15(&params, ptr, ptr) })
    }

    fn fill(&mut self, dst: &mut [i16], value: i16) -> Result<(), KernelError> {
        check::even(Kernel::Fill, dst.len())?;
        let params = ffi::MspFillQ15Params { length: length(dst.len()), value };
        // SAFETY: `dst` holds `length` i16.
        status(Kernel::Fill, unsafe { ffi::msp_fill_q15(&params, dst.as_mut_ptr()) })
    }

    fn max(&mut self, src: &[i16]) -> Result<(i16, usize), KernelError> {
        check::non_empty(Kernel::Max, src.len())?;
        check::even(Kernel::Max, src.len())?;
        let params = ffi::MspLengthParams { length: length(src.len()) };
        let (mut value, mut index) = (0i16, 0u16);
        // SAFETY: `src` holds `length` i16; one i16 and one u16 result.
        status(Kernel::Max, unsafe { ffi::msp_max_q15(&params, src.as_ptr(), &mut value, &mut index) })?;
        // DSPLib does not promise the first of equal maxima (see `contract::first_max_index`). A report that
        // does not hold cannot come from a working DSPLib; the CPU kernel then answers, as the soft backend.
        match contract::first_max_index(src, value, index) {
            Some(first) => Ok((value, first)),
            None => vector::max(src),
        }
    }

    fn relu(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        vector::relu(data)
    }

    fn max_pool(&mut self, src: &[i16], shape: &PoolShape, floor: i16, dst: &mut [i16]) -> Result<(), KernelError> {
        pool::max_pool(src, shape, floor, dst)
    }

    fn avg_pool(&mut self, src: &[i16], shape: &PoolShape, dst: &mut [i16]) -> Result<(), KernelError> {
        pool::avg_pool(src, shape, dst)
    }

    fn requantize(&mut self, src: &[i32], shift: u8, dst: &mut [i16]) -> Result<(), KernelError> {
        requantize::requantize(src, shift, dst)
    }

    fn argmax(&mut self, src: &[i16]) -> Result<usize, KernelError> {
        vector::argmax(src)
    }

    fn copy(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        #[cfg(feature = "cpu-copies")]
        return vector::copy(src, dst);
        #[cfg(not(feature = "cpu-copies"))]
        {
            check::same_len(Kernel::Copy, src.len(), dst.len())?;
            // SAFETY: `src` is readable memory of `dst.len()` words and `dst` an exclusive buffer (slices);
            // DMA channel 0 is only used by the runtime's copies, one at a time (single-threaded firmware).
            unsafe { crate::far::dma::block_copy(src.as_ptr() as usize as u32, dst) };
            Ok(())
        }
    }

    fn to_complex(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        interleave::to_complex(src, dst)
    }

    fn real_part(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        interleave::real_part(src, dst)
    }
    fn far_copy(&mut self, src: &Far<'_>, dst: &mut [i16]) -> Result<(), KernelError> {
        src.read_into(dst)
    }

    fn softmax(&mut self, src: &[i16], frac: i8, dst: &mut [i16]) -> Result<(), KernelError> {
        softmax::softmax(src, frac, dst)
    }

    fn lookup(&mut self, src: &[i16], table: &[i16], shape: LookupShape, dst: &mut [i16]) -> Result<(), KernelError> {
        lookup::lookup(src, table, shape, dst)
    }

    fn permute(&mut self, src: &[i16], shape: &PermuteShape, first: usize, dst: &mut [i16]) -> Result<(), KernelError> {
        permute::permute(src, shape, first, dst)
    }
}
