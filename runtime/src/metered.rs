//! A backend wrapper that charges every call to a [`CostTable`].
//!
//! `Metered<B>` forwards each kernel to `B` and adds the call's modeled [`Charge`] (for the `N` defined in
//! [`Kernel::charged_n`]) to a [`Meter`], or to any other [`Tally`] (the compiler's cost model keeps the
//! calls themselves, to price them under several tables). Calls that fail are not charged. Code that does not want a meter
//! uses `B` directly: nothing of this module is compiled into it, so metering costs nothing when off.

use crate::accelerator::Accelerator;
use crate::cost::{Charge, CostTable, Kernel};
use crate::error::KernelError;
#[cfg(feature = "sim")]
use crate::error::Violation;
use crate::far::Far;
use crate::shapes::{LookupShape, PermuteShape, PoolShape, SpectrumLayout};

/// Accumulated calls, cycles and energy (by engine), in total and per kernel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Meter {
    pub total: Charge,
    /// Per kernel, indexed by [`Kernel::index`].
    pub per_kernel: [KernelTally; Kernel::COUNT],
}

/// Calls and charge of one kernel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KernelTally {
    pub calls: u64,
    pub charge: Charge,
}

/// Where a [`Metered`] backend records each call it admitted: its kernel, its charged `N` and its charge.
pub trait Tally: Default {
    fn add(&mut self, kernel: Kernel, n: usize, charge: Charge);
}

impl Tally for Meter {
    fn add(&mut self, kernel: Kernel, _: usize, charge: Charge) {
        self.total = self.total.plus(charge);
        let tally = &mut self.per_kernel[kernel.index()];
        tally.calls += 1;
        tally.charge = tally.charge.plus(charge);
    }
}

impl Meter {
    /// The tally of one kernel.
    pub fn kernel(&self, kernel: Kernel) -> KernelTally {
        self.per_kernel[kernel.index()]
    }
}

/// `B` plus a meter (by default a [`Meter`]) charged from `table`.
pub struct Metered<'t, B, T = Meter> {
    inner: B,
    table: &'t CostTable,
    meter: T,
    /// Simulated supply: calls are refused with [`Violation::PowerLoss`] once it runs out.
    #[cfg(feature = "sim")]
    supply: Supply,
}

/// What the simulated supply allows before it fails (host power-failure simulation, feature `sim`). The
/// default, unlimited, never fails.
#[cfg(feature = "sim")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Supply {
    /// Fail at the call with this index (0-based, counted since the supply was set).
    pub fail_at_call: Option<u64>,
    /// Energy left in the store, picojoules; a call that needs more fails.
    pub energy_pj: Option<u64>,
    /// Calls admitted since the supply was set.
    pub calls: u64,
}

impl<'t, B: Accelerator> Metered<'t, B> {
    /// Wrap `inner`, charging calls to `table` on a [`Meter`].
    pub fn new(inner: B, table: &'t CostTable) -> Self {
        Self::with_tally(inner, table)
    }
}

impl<'t, B: Accelerator, T: Tally> Metered<'t, B, T> {
    /// Wrap `inner`, charging calls to `table` on a fresh `T`.
    pub fn with_tally(inner: B, table: &'t CostTable) -> Self {
        Metered {
            inner,
            table,
            meter: T::default(),
            #[cfg(feature = "sim")]
            supply: Supply::default(),
        }
    }

    /// Everything charged since creation or the last [`Metered::take_meter`].
    pub fn meter(&self) -> &T {
        &self.meter
    }

    /// Return the meter and start a fresh one (e.g. once per layer).
    pub fn take_meter(&mut self) -> T {
        core::mem::take(&mut self.meter)
    }

    /// The wrapped backend.
    pub fn into_inner(self) -> B {
        self.inner
    }

    /// Sets the simulated supply (host simulation of power failures).
    #[cfg(feature = "sim")]
    pub fn set_supply(&mut self, supply: Supply) {
        self.supply = supply;
    }

    /// The simulated supply as it is now (energy left, calls admitted).
    #[cfg(feature = "sim")]
    pub fn supply(&self) -> Supply {
        self.supply
    }

    /// Without the simulator every call is admitted.
    #[cfg(not(feature = "sim"))]
    #[inline(always)]
    fn gate(&mut self, _: Kernel, _: usize) -> Result<(), KernelError> {
        Ok(())
    }

    /// Admits a call if the simulated supply allows it; charges its energy to the supply.
    #[cfg(feature = "sim")]
    fn gate(&mut self, kernel: Kernel, n: usize) -> Result<(), KernelError> {
        let lost = Err(KernelError::new(kernel, Violation::PowerLoss));
        if self.supply.fail_at_call == Some(self.supply.calls) {
            return lost;
        }
        if let Some(energy) = self.supply.energy_pj {
            let needed = self.table.charge(kernel, n).energy_pj();
            if needed > energy {
                return lost;
            }
            self.supply.energy_pj = Some(energy - needed);
        }
        self.supply.calls += 1;
        Ok(())
    }

    fn charged<R>(&mut self, kernel: Kernel, n: usize, result: Result<R, KernelError>) -> Result<R, KernelError> {
        if result.is_ok() {
            let charge = self.table.charge(kernel, n);
            self.meter.add(kernel, n, charge);
        }
        result
    }
}

impl<B: Accelerator, T: Tally> Accelerator for Metered<'_, B, T> {
    fn rfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        let n = Kernel::Rfft.charged_n(data.len());
        self.gate(Kernel::Rfft, n)?;
        let r = self.inner.rfft(data);
        self.charged(Kernel::Rfft, n, r)
    }

    fn irfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        let n = Kernel::Irfft.charged_n(data.len());
        self.gate(Kernel::Irfft, n)?;
        let r = self.inner.irfft(data);
        self.charged(Kernel::Irfft, n, r)
    }

    fn cfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        let n = Kernel::Cfft.charged_n(data.len());
        self.gate(Kernel::Cfft, n)?;
        let r = self.inner.cfft(data);
        self.charged(Kernel::Cfft, n, r)
    }

    fn cifft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        let n = Kernel::Cifft.charged_n(data.len());
        self.gate(Kernel::Cifft, n)?;
        let r = self.inner.cifft(data);
        self.charged(Kernel::Cifft, n, r)
    }

    fn cmplx_mpy(&mut self, layout: SpectrumLayout, a: &[i16], b: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        let n = Kernel::CmplxMpy.charged_n(a.len());
        self.gate(Kernel::CmplxMpy, n)?;
        let r = self.inner.cmplx_mpy(layout, a, b, dst);
        self.charged(Kernel::CmplxMpy, n, r)
    }

    fn cmplx_mac(&mut self, layout: SpectrumLayout, a: &[i16], b: &[i16], acc: &mut [i32]) -> Result<(), KernelError> {
        let n = Kernel::CmplxMac.charged_n(a.len());
        self.gate(Kernel::CmplxMac, n)?;
        let r = self.inner.cmplx_mac(layout, a, b, acc);
        self.charged(Kernel::CmplxMac, n, r)
    }

    fn mac(&mut self, a: &[i16], b: &[i16]) -> Result<i32, KernelError> {
        let n = a.len();
        self.gate(Kernel::Mac, n)?;
        let r = self.inner.mac(a, b);
        self.charged(Kernel::Mac, n, r)
    }

    fn fir(&mut self, src: &[i16], coeffs: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        let n = Kernel::fir_n(dst.len(), coeffs.len());
        self.gate(Kernel::Fir, n)?;
        let r = self.inner.fir(src, coeffs, dst);
        self.charged(Kernel::Fir, n, r)
    }

    fn add(&mut self, src: &[i16], acc: &mut [i16]) -> Result<(), KernelError> {
        let n = src.len();
        self.gate(Kernel::Add, n)?;
        let r = self.inner.add(src, acc);
        self.charged(Kernel::Add, n, r)
    }

    fn shift(&mut self, data: &mut [i16], shift: i8) -> Result<(), KernelError> {
        let n = data.len();
        self.gate(Kernel::Shift, n)?;
        let r = self.inner.shift(data, shift);
        self.charged(Kernel::Shift, n, r)
    }

    fn scale(&mut self, data: &mut [i16], scale: i16, shift: u8) -> Result<(), KernelError> {
        let n = data.len();
        self.gate(Kernel::Scale, n)?;
        let r = self.inner.scale(data, scale, shift);
        self.charged(Kernel::Scale, n, r)
    }

    fn offset(&mut self, data: &mut [i16], offset: i16) -> Result<(), KernelError> {
        let n = data.len();
        self.gate(Kernel::Offset, n)?;
        let r = self.inner.offset(data, offset);
        self.charged(Kernel::Offset, n, r)
    }

    fn fill(&mut self, dst: &mut [i16], value: i16) -> Result<(), KernelError> {
        let n = dst.len();
        self.gate(Kernel::Fill, n)?;
        let r = self.inner.fill(dst, value);
        self.charged(Kernel::Fill, n, r)
    }

    fn max(&mut self, src: &[i16]) -> Result<(i16, usize), KernelError> {
        let n = src.len();
        self.gate(Kernel::Max, n)?;
        let r = self.inner.max(src);
        self.charged(Kernel::Max, n, r)
    }

    fn relu(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        let n = data.len();
        self.gate(Kernel::Relu, n)?;
        let r = self.inner.relu(data);
        self.charged(Kernel::Relu, n, r)
    }

    fn max_pool(&mut self, src: &[i16], shape: &PoolShape, floor: i16, dst: &mut [i16]) -> Result<(), KernelError> {
        let n = Kernel::pool_n(shape);
        self.gate(Kernel::MaxPool, n)?;
        let r = self.inner.max_pool(src, shape, floor, dst);
        self.charged(Kernel::MaxPool, n, r)
    }

    fn avg_pool(&mut self, src: &[i16], shape: &PoolShape, dst: &mut [i16]) -> Result<(), KernelError> {
        let n = Kernel::pool_n(shape);
        self.gate(Kernel::AvgPool, n)?;
        let r = self.inner.avg_pool(src, shape, dst);
        self.charged(Kernel::AvgPool, n, r)
    }

    fn requantize(&mut self, src: &[i32], shift: u8, dst: &mut [i16]) -> Result<(), KernelError> {
        let n = src.len();
        self.gate(Kernel::Requantize, n)?;
        let r = self.inner.requantize(src, shift, dst);
        self.charged(Kernel::Requantize, n, r)
    }

    fn argmax(&mut self, src: &[i16]) -> Result<usize, KernelError> {
        let n = src.len();
        self.gate(Kernel::Argmax, n)?;
        let r = self.inner.argmax(src);
        self.charged(Kernel::Argmax, n, r)
    }

    fn copy(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        let n = src.len();
        self.gate(Kernel::Copy, n)?;
        let r = self.inner.copy(src, dst);
        self.charged(Kernel::Copy, n, r)
    }

    fn far_copy(&mut self, src: &Far<'_>, dst: &mut [i16]) -> Result<(), KernelError> {
        let n = dst.len();
        self.gate(Kernel::FarCopy, n)?;
        let r = self.inner.far_copy(src, dst);
        self.charged(Kernel::FarCopy, n, r)
    }

    fn to_complex(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        let n = src.len();
        self.gate(Kernel::ToComplex, n)?;
        let r = self.inner.to_complex(src, dst);
        self.charged(Kernel::ToComplex, n, r)
    }

    fn real_part(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        let n = dst.len();
        self.gate(Kernel::RealPart, n)?;
        let r = self.inner.real_part(src, dst);
        self.charged(Kernel::RealPart, n, r)
    }

    fn softmax(&mut self, src: &[i16], frac: i8, dst: &mut [i16]) -> Result<(), KernelError> {
        let n = src.len();
        self.gate(Kernel::Softmax, n)?;
        let r = self.inner.softmax(src, frac, dst);
        self.charged(Kernel::Softmax, n, r)
    }

    fn lookup(&mut self, src: &[i16], table: &[i16], shape: LookupShape, dst: &mut [i16]) -> Result<(), KernelError> {
        let n = src.len();
        self.gate(Kernel::Lookup, n)?;
        let r = self.inner.lookup(src, table, shape, dst);
        self.charged(Kernel::Lookup, n, r)
    }

    fn permute(&mut self, src: &[i16], shape: &PermuteShape, first: usize, dst: &mut [i16]) -> Result<(), KernelError> {
        let n = dst.len();
        self.gate(Kernel::Permute, n)?;
        let r = self.inner.permute(src, shape, first, dst);
        self.charged(Kernel::Permute, n, r)
    }
}
