//! A backend wrapper that charges every call to a [`CostTable`].
//!
//! `Metered<B>` forwards each kernel to `B` and adds the call's modeled [`Charge`] (for the `N` its entry in
//! [`crate::kernel_table`] defines) to a [`Meter`], or to any other [`Tally`] (the compiler's cost model keeps the
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

/// Expands the kernel table into `Metered`'s [`Accelerator`] implementation: every call admitted by the
/// simulated supply, forwarded, and charged for the entry's `N` when it succeeds.
macro_rules! metered_kernels {
    ($($(#[$doc:meta])* $variant:ident: fn $method:ident($($arg:ident: $ty:ty),*) -> $ret:ty, n = $n:expr;)*) => {
        impl<B: Accelerator, T: Tally> Accelerator for Metered<'_, B, T> {
            $(
                fn $method(&mut self, $($arg: $ty),*) -> Result<$ret, KernelError> {
                    let n = $n;
                    self.gate(Kernel::$variant, n)?;
                    let result = self.inner.$method($($arg),*);
                    self.charged(Kernel::$variant, n, result)
                }
            )*
        }
    };
}

crate::kernel_table::for_each_kernel!(metered_kernels);
