//! The cost model: what one kernel call costs on a target, in cycles and energy.
//!
//! `cycles(N) = a + b*N + c*N*log2(N)` per kernel, with the coefficients of the target (from
//! `targets/<name>/target.json`, where every coefficient names its source). Coefficients are fixed point in
//! milli-cycles so the table is plain integers (`no_std`, no float). A kernel's cycles are split by engine
//! (CPU, LEA, and the CPU cycles with the hardware multiplier running), and each engine's cycles are charged
//! its own energy per cycle, in picojoules: energy follows which engine works, not the cycle count.
//!
//! What `N` is for each kernel is fixed by its entry in [`crate::kernel_table`], and the target JSON's
//! coefficients are fitted against exactly that `N`.

/// Expands the kernel table into [`Kernel`]: a variant per entry, named for its cost key (the method's name).
macro_rules! declare_kernels {
    ($($(#[$doc:meta])* $variant:ident: fn $method:ident($($arg:ident: $ty:ty),*) -> $ret:ty, n = $n:expr;)*) => {
        /// Every kernel of [`crate::Accelerator`] ([`crate::kernel_table`]), by its stable snake_case name
        /// (the keys of `costs` in a `target.json`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kernel {
            $(
                #[doc = concat!("[`crate::Accelerator::", stringify!($method), "`], charged for `N = ",
                    stringify!($n), "`.")]
                $variant,
            )*
        }

        impl Kernel {
            /// Number of kernels.
            pub const COUNT: usize = [$(stringify!($variant)),*].len();

            /// All kernels, in declaration order (the order of [`CostTable`]'s entries).
            pub const ALL: [Kernel; Kernel::COUNT] = [$(Kernel::$variant),*];

            /// Stable snake_case name, as used in `target.json` and reports: the method's.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Kernel::$variant => stringify!($method),)*
                }
            }
        }
    };
}

crate::kernel_table::for_each_kernel!(declare_kernels);

impl Kernel {
    /// The kernel with this snake_case name.
    pub fn from_name(name: &str) -> Option<Kernel> {
        Kernel::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Position in [`Kernel::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// The engine a kernel's arithmetic runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// The CPU (MSP430 core, or the host).
    Cpu,
    /// The LEA vector accelerator (the CPU waits in LPM0).
    Lea,
}

/// Fixed-point scale of the coefficients: 1 cycle = 1000 milli-cycles.
pub const MILLI: u64 = 1000;

/// `cycles(N) = (a + b*N + c*N*log2(N)) / 1000`, coefficients in milli-cycles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Terms {
    /// Fixed cycles per call, in milli-cycles.
    pub a_milli: u64,
    /// Cycles per element of `N`, in milli-cycles.
    pub b_milli: u64,
    /// Cycles per `N*log2(N)` (FFTs), in milli-cycles; `log2` is floor(log2 N), exact for FFT lengths.
    pub c_milli: u64,
}

impl Terms {
    /// No cycles.
    pub const ZERO: Terms = Terms { a_milli: 0, b_milli: 0, c_milli: 0 };

    /// From coefficients in cycles, as written in `target.json` (rounded to the nearest milli-cycle;
    /// negative values, which no fit should produce, count as 0). Host-side construction only.
    pub fn from_cycles(a: f64, b: f64, c: f64) -> Terms {
        let milli = |x: f64| {
            if x > 0.0 { (x * MILLI as f64 + 0.5) as u64 } else { 0 }
        };
        Terms { a_milli: milli(a), b_milli: milli(b), c_milli: milli(c) }
    }

    /// Cycles for one call charged `n`, rounded to the nearest cycle.
    pub const fn cycles(&self, n: usize) -> u64 {
        let n = n as u64;
        let log2 = if n > 1 { n.ilog2() as u64 } else { 0 };
        (self.a_milli + self.b_milli * n + self.c_milli * n * log2 + MILLI / 2) / MILLI
    }
}

/// One kernel's cost, by engine: the engines take turns (the CPU sleeps in LPM0 while the LEA works), so
/// the call's cycles are the CPU's plus the LEA's, and each is charged its own current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelCost {
    /// CPU-active cycles: the kernel's own CPU work and, for a DSPLib kernel, DSPLib's per-call overhead.
    pub cpu: Terms,
    /// Of the CPU cycles, those with the hardware multiplier running (it draws extra current meanwhile).
    pub multiplier: Terms,
    /// LEA cycles: its per-command setup and its arithmetic, with the CPU in LPM0.
    pub lea: Terms,
}

impl KernelCost {
    /// Zero cost: the default for a target without a device model (`host`).
    pub const FREE: KernelCost = KernelCost { cpu: Terms::ZERO, multiplier: Terms::ZERO, lea: Terms::ZERO };

    /// All of a kernel's cycles on one engine, no multiplier (coefficients in cycles, see
    /// [`Terms::from_cycles`]).
    pub fn from_cycles(engine: Engine, a: f64, b: f64, c: f64) -> KernelCost {
        let terms = Terms::from_cycles(a, b, c);
        match engine {
            Engine::Cpu => KernelCost { cpu: terms, ..KernelCost::FREE },
            Engine::Lea => KernelCost { lea: terms, ..KernelCost::FREE },
        }
    }

    /// Modeled cycles for one call charged `n`: the CPU's and the LEA's, each rounded to the nearest cycle.
    pub const fn cycles(&self, n: usize) -> u64 {
        self.cpu.cycles(n) + self.lea.cycles(n)
    }
}

/// Cycles and energy of one call (or a sum of calls), by engine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Charge {
    /// All cycles: the CPU's and the LEA's.
    pub cycles: u64,
    /// Of `cycles`, those the LEA works (the CPU in LPM0).
    pub lea_cycles: u64,
    /// Energy of the CPU-active cycles, picojoules.
    pub cpu_pj: u64,
    /// The hardware multiplier's extra energy while it runs, picojoules.
    pub multiplier_pj: u64,
    /// Energy of the LEA cycles: the LEA module's and the CPU's in LPM0, picojoules.
    pub lea_pj: u64,
}

impl Charge {
    /// Energy of all engines, picojoules.
    pub const fn energy_pj(&self) -> u64 {
        self.cpu_pj + self.multiplier_pj + self.lea_pj
    }

    /// Cycles the CPU is active.
    pub const fn cpu_cycles(&self) -> u64 {
        self.cycles - self.lea_cycles
    }

    /// This charge `count` times over (as many calls of one kernel with one `N`).
    pub const fn times(self, count: u64) -> Charge {
        Charge {
            cycles: self.cycles * count,
            lea_cycles: self.lea_cycles * count,
            cpu_pj: self.cpu_pj * count,
            multiplier_pj: self.multiplier_pj * count,
            lea_pj: self.lea_pj * count,
        }
    }

    /// This charge and `other` together.
    pub const fn plus(self, other: Charge) -> Charge {
        Charge {
            cycles: self.cycles + other.cycles,
            lea_cycles: self.lea_cycles + other.lea_cycles,
            cpu_pj: self.cpu_pj + other.cpu_pj,
            multiplier_pj: self.multiplier_pj + other.multiplier_pj,
            lea_pj: self.lea_pj + other.lea_pj,
        }
    }
}

/// Energy per cycle of each engine, picojoules (uA/MHz x V = pJ per cycle, rounded to the nearest pJ).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EnergyRates {
    /// A CPU-active cycle.
    pub cpu_pj_per_cycle: u64,
    /// What the hardware multiplier adds to a CPU cycle while it runs.
    pub multiplier_pj_per_cycle: u64,
    /// An LEA cycle: the LEA module plus the CPU in LPM0.
    pub lea_pj_per_cycle: u64,
}

/// Per-kernel costs and per-cycle energy of each engine of one target. Build it with [`CostTable::new`]
/// and [`CostTable::with`] from the numbers of a `target.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CostTable {
    costs: [KernelCost; Kernel::COUNT],
    pub rates: EnergyRates,
}

impl CostTable {
    /// Every kernel free, with the given energy per cycle of each engine.
    pub const fn new(rates: EnergyRates) -> CostTable {
        CostTable { costs: [KernelCost::FREE; Kernel::COUNT], rates }
    }

    /// This table with `kernel` costing `cost`.
    pub const fn with(mut self, kernel: Kernel, cost: KernelCost) -> CostTable {
        self.costs[kernel.index()] = cost;
        self
    }

    /// Set one kernel's cost.
    pub fn set(&mut self, kernel: Kernel, cost: KernelCost) {
        self.costs[kernel.index()] = cost;
    }

    /// One kernel's cost.
    pub const fn cost(&self, kernel: Kernel) -> KernelCost {
        self.costs[kernel.index()]
    }

    /// What one call of `kernel` charged `n` costs: each engine's cycles at its own energy per cycle.
    pub const fn charge(&self, kernel: Kernel, n: usize) -> Charge {
        let cost = self.costs[kernel.index()];
        let (cpu, lea) = (cost.cpu.cycles(n), cost.lea.cycles(n));
        let rates = &self.rates;
        Charge {
            cycles: cpu + lea,
            lea_cycles: lea,
            cpu_pj: cpu * rates.cpu_pj_per_cycle,
            multiplier_pj: cost.multiplier.cycles(n) * rates.multiplier_pj_per_cycle,
            lea_pj: lea * rates.lea_pj_per_cycle,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for (i, k) in Kernel::ALL.into_iter().enumerate() {
            assert_eq!(k.index(), i);
            assert_eq!(Kernel::from_name(k.name()), Some(k));
        }
        assert_eq!(Kernel::from_name("conv"), None);
    }

    const RATES: EnergyRates =
        EnergyRates { cpu_pj_per_cycle: 354, multiplier_pj_per_cycle: 84, lea_pj_per_cycle: 303 };

    #[test]
    fn cost_formula_uses_n_and_n_log_n() {
        let fft = KernelCost::from_cycles(Engine::Lea, 100.0, 1.5, 2.0);
        // 100 + 1.5*256 + 2*256*8 = 100 + 384 + 4096
        assert_eq!(fft.cycles(256), 4580);
        let table = CostTable::new(RATES).with(Kernel::Rfft, fft);
        let charge = table.charge(Kernel::Rfft, 256);
        assert_eq!(charge, Charge { cycles: 4580, lea_cycles: 4580, lea_pj: 4580 * 303, ..Charge::default() });
        assert_eq!(table.charge(Kernel::Add, 64), Charge::default());
    }

    #[test]
    fn each_engine_is_charged_its_own_energy_per_cycle() {
        // A DSPLib-style kernel: 600 CPU cycles per call, 16 + 1.5 N on the LEA; a CPU kernel whose
        // multiplier runs 3 of its 10 cycles per element.
        let mac = KernelCost {
            cpu: Terms::from_cycles(600.0, 0.0, 0.0),
            multiplier: Terms::ZERO,
            lea: Terms::from_cycles(16.0, 1.5, 0.0),
        };
        let scale = KernelCost {
            cpu: Terms::from_cycles(0.0, 10.0, 0.0),
            multiplier: Terms::from_cycles(0.0, 3.0, 0.0),
            lea: Terms::ZERO,
        };
        let table = CostTable::new(RATES).with(Kernel::Mac, mac).with(Kernel::Scale, scale);
        let charge = table.charge(Kernel::Mac, 64);
        assert_eq!((charge.cycles, charge.lea_cycles, charge.cpu_cycles()), (712, 112, 600));
        assert_eq!(charge.energy_pj(), 600 * 354 + 112 * 303);
        let charge = table.charge(Kernel::Scale, 8);
        assert_eq!((charge.cycles, charge.cpu_pj, charge.multiplier_pj), (80, 80 * 354, 24 * 84));
        assert_eq!(charge.plus(charge).energy_pj(), 2 * (80 * 354 + 24 * 84));
    }
}
