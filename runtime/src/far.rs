//! Constants the CPU cannot address: upper FRAM.
//!
//! The MSP430FR5994 has 256 KB of FRAM, but Rust's msp430 pointers are 16 bits wide, so only the lower
//! ~48 KB (0x4000-0xFF7F) can be read through a slice. A model whose constants do not fit there keeps its
//! largest weight arrays above 0x10000, and the layer operations never read them directly: every weight they
//! use is staged into LEA RAM (or SRAM) first anyway, so the staging copy becomes a DMA block transfer with a
//! 20-bit source address ([`Far`]). Layer operations take their weights as any
//! [`ConstSlice`](crate::ConstSlice): a plain slice (lower FRAM) or a [`Far`] range, and the generated code
//! picks per array.
//!
//! On other architectures (the host tests, Cortex-M) a [`Far`] is a slice, read by the CPU.

use crate::error::KernelError;

/// A range of `i16` constants in upper FRAM, addressed by its 20-bit address on the MSP430 and by a slice
/// elsewhere.
#[derive(Clone, Copy, Debug)]
pub struct Far<'a> {
    #[cfg(target_arch = "msp430")]
    address: u32,
    #[cfg(target_arch = "msp430")]
    len: u32,
    #[cfg(target_arch = "msp430")]
    _data: core::marker::PhantomData<&'a [i16]>,
    #[cfg(not(target_arch = "msp430"))]
    data: &'a [i16],
}

impl<'a> Far<'a> {
    /// `len` values from byte address `address` (even, above the 16-bit space or not). Counts and offsets
    /// are `u32`: one weight array in upper FRAM may hold more values than a 16-bit `usize` counts.
    ///
    /// # Safety
    /// `address .. address + 2 * len` must hold initialised constants for `'a` (the generated crate places
    /// them with its linker section and checks the address at build time).
    #[cfg(target_arch = "msp430")]
    pub const unsafe fn at_address(address: u32, len: u32) -> Far<'a> {
        Far { address, len, _data: core::marker::PhantomData }
    }

    /// The values of `data`, read through the CPU (hosts and 32-bit targets address everything).
    #[cfg(not(target_arch = "msp430"))]
    pub const fn from_slice(data: &'a [i16]) -> Far<'a> {
        Far { data }
    }

    pub const fn len(&self) -> u32 {
        #[cfg(target_arch = "msp430")]
        return self.len;
        #[cfg(not(target_arch = "msp430"))]
        return self.data.len() as u32;
    }

    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Values `at .. at + len` (clamped to the end).
    pub fn range(&self, at: u32, len: u32) -> Far<'a> {
        let at = at.min(self.len());
        let len = len.min(self.len() - at);
        #[cfg(target_arch = "msp430")]
        return Far { address: self.address + 2 * at, len, _data: core::marker::PhantomData };
        #[cfg(not(target_arch = "msp430"))]
        return Far { data: &self.data[at as usize..(at + len) as usize] };
    }

    /// Copies all values into `dst` (same length), without the cost model: backends call it from
    /// [`crate::Accelerator::far_copy`].
    pub fn read_into(&self, dst: &mut [i16]) -> Result<(), KernelError> {
        if self.len() != dst.len() as u32 {
            let violation = crate::error::Violation::LengthMismatch {
                expected: dst.len(),
                actual: usize::try_from(self.len()).unwrap_or(usize::MAX),
            };
            return Err(KernelError::new(crate::cost::Kernel::FarCopy, violation));
        }
        #[cfg(target_arch = "msp430")]
        {
            // SAFETY: `at_address`'s contract: the source range holds `len` constants; `dst` is a valid,
            // exclusive buffer of the same length.
            unsafe { dma::block_copy(self.address, dst) };
        }
        #[cfg(not(target_arch = "msp430"))]
        dst.copy_from_slice(self.data);
        Ok(())
    }
}

/// DMA channel 0 as a block copier with a 20-bit source address (also the DSPLib backend's `copy`).
#[cfg(target_arch = "msp430")]
pub(crate) mod dma {
    use core::ptr::{read_volatile, write_volatile};

    // Register addresses: TI's MSP430FR5xx/6xx device linker files (DMA module at 0x0500).
    const DMACTL0: *mut u16 = 0x0500 as *mut u16;
    const DMA0CTL: *mut u16 = 0x0510 as *mut u16;
    const DMA0DA: *mut u16 = 0x0516 as *mut u16;
    const DMA0SZ: *mut u16 = 0x051A as *mut u16;
    /// DMA0TSEL, bits 4-0 of DMACTL0: 0 selects the software trigger (DMAREQ).
    const DMA0TSEL_MASK: u16 = 0x001F;
    /// DMADT_1 (block transfer) | DMADSTINCR_3 | DMASRCINCR_3 (both addresses increment), word units.
    const BLOCK_INCREMENTING: u16 = 0x1000 | 0x0C00 | 0x0300;
    const DMAEN: u16 = 0x0010;
    const DMAREQ: u16 = 0x0001;

    /// Copies `dst.len()` words from the 20-bit byte address `source` into `dst`.
    ///
    /// A block transfer halts the CPU until the last word is written (SLAU367, "Block Transfer"), so the
    /// data is in place when this returns. DMA0SA is 20 bits wide but a 16-bit `mov` into it clears bits
    /// 19-16, and LLVM's MSP430 assembler has no MSP430X instructions: the two address instructions are
    /// given as their encodings (SLAU367 "Extended Instruction Binary Descriptions"; mspdebug's
    /// disassembler decodes them as the comments say).
    ///
    /// # Safety
    /// `source .. source + 2 * dst.len()` must be readable memory; DMA channel 0 must not be in use by
    /// anyone else while this runs.
    pub unsafe fn block_copy(source: u32, dst: &mut [i16]) {
        if dst.is_empty() {
            return;
        }
        let source_words: [u16; 2] = [source as u16, (source >> 16) as u16 & 0x000F];
        unsafe {
            write_volatile(DMA0CTL, 0);
            write_volatile(DMACTL0, read_volatile(DMACTL0) & !DMA0TSEL_MASK);
            core::arch::asm!(
                ".short 0x0C0D", // MOVA @R12, R13: the 20-bit address stored at R12 into R13
                ".short 0x0D60", // MOVA R13, &0x00512: R13 into DMA0SA, all 20 bits
                ".short 0x0512",
                in("r12") source_words.as_ptr(),
                out("r13") _,
                options(nostack, preserves_flags),
            );
            write_volatile(DMA0DA, dst.as_mut_ptr() as u16);
            write_volatile(DMA0SZ, dst.len() as u16);
            write_volatile(DMA0CTL, BLOCK_INCREMENTING | DMAEN);
            write_volatile(DMA0CTL, BLOCK_INCREMENTING | DMAEN | DMAREQ);
        }
        // The transfer wrote `dst` behind the compiler's back: an opaque block that may read and write it
        // keeps the compiler from reusing values it loaded before.
        unsafe { core::arch::asm!("", in("r12") dst.as_mut_ptr(), options(nostack, preserves_flags)) };
    }
}
