//! The cost model: what one kernel call costs on a target, in cycles and energy.
//!
//! `cycles(N) = a + b*N + c*N*log2(N)` per kernel, with the coefficients of the target (from
//! `targets/<name>/target.json`, where every coefficient names its source). Coefficients are fixed point in
//! milli-cycles so the table is plain integers (`no_std`, no float); energy is charged per cycle of the
//! engine that runs the kernel (CPU or LEA), in picojoules.
//!
//! What `N` is for each kernel is fixed by [`Kernel::charged_n`]'s documentation, and the target JSON's
//! coefficients are fitted against exactly that `N`.

use crate::accelerator::PoolShape;

/// Every kernel of [`crate::Accelerator`], by its stable snake_case name (the keys of `costs` in a
/// `target.json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kernel {
    Rfft,
    Irfft,
    Cfft,
    Cifft,
    CmplxMpy,
    CmplxMac,
    Mac,
    Fir,
    Add,
    Shift,
    Scale,
    Offset,
    Fill,
    Max,
    Relu,
    MaxPool,
    AvgPool,
    Requantize,
    Argmax,
    Copy,
    /// A copy from constants the CPU cannot address (upper FRAM), by DMA: [`crate::Far`].
    FarCopy,
    ToComplex,
    RealPart,
    Softmax,
}

impl Kernel {
    /// Number of kernels.
    pub const COUNT: usize = 24;

    /// All kernels, in declaration order (the order of [`CostTable`]'s entries).
    pub const ALL: [Kernel; Kernel::COUNT] = [
        Kernel::Rfft,
        Kernel::Irfft,
        Kernel::Cfft,
        Kernel::Cifft,
        Kernel::CmplxMpy,
        Kernel::CmplxMac,
        Kernel::Mac,
        Kernel::Fir,
        Kernel::Add,
        Kernel::Shift,
        Kernel::Scale,
        Kernel::Offset,
        Kernel::Fill,
        Kernel::Max,
        Kernel::Relu,
        Kernel::MaxPool,
        Kernel::AvgPool,
        Kernel::Requantize,
        Kernel::Argmax,
        Kernel::Copy,
        Kernel::FarCopy,
        Kernel::ToComplex,
        Kernel::RealPart,
        Kernel::Softmax,
    ];

    /// Stable snake_case name, as used in `target.json` and reports.
    pub const fn name(self) -> &'static str {
        match self {
            Kernel::Rfft => "rfft",
            Kernel::Irfft => "irfft",
            Kernel::Cfft => "cfft",
            Kernel::Cifft => "cifft",
            Kernel::CmplxMpy => "cmplx_mpy",
            Kernel::CmplxMac => "cmplx_mac",
            Kernel::Mac => "mac",
            Kernel::Fir => "fir",
            Kernel::Add => "add",
            Kernel::Shift => "shift",
            Kernel::Scale => "scale",
            Kernel::Offset => "offset",
            Kernel::Fill => "fill",
            Kernel::Max => "max",
            Kernel::Relu => "relu",
            Kernel::MaxPool => "max_pool",
            Kernel::AvgPool => "avg_pool",
            Kernel::Requantize => "requantize",
            Kernel::Argmax => "argmax",
            Kernel::Copy => "copy",
            Kernel::FarCopy => "far_copy",
            Kernel::ToComplex => "to_complex",
            Kernel::RealPart => "real_part",
            Kernel::Softmax => "softmax",
        }
    }

    /// The kernel with this snake_case name.
    pub fn from_name(name: &str) -> Option<Kernel> {
        Kernel::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Position in [`Kernel::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The `N` a call is charged for. Per kernel:
    /// - `rfft`, `irfft`: real points (`data.len()`);
    /// - `cfft`, `cifft`, `cmplx_mpy`, `cmplx_mac`: complex points (`len / 2`);
    /// - `fir`: output samples x taps (`dst.len() * coeffs.len()`), the number of multiply-accumulates;
    /// - `max_pool`, `avg_pool`: output elements x window size, the number of element visits;
    /// - `to_complex`, `real_part`: complex points (the real vector's length, whichever side it is on);
    /// - every other kernel: elements of its (first) vector argument.
    ///
    /// This function covers the kernels whose `N` is one length; [`Kernel::fir_n`] and [`Kernel::pool_n`]
    /// the other two.
    pub const fn charged_n(self, len: usize) -> usize {
        match self {
            Kernel::Cfft | Kernel::Cifft | Kernel::CmplxMpy | Kernel::CmplxMac => len / 2,
            _ => len,
        }
    }

    /// `N` of a FIR call: outputs x taps.
    pub const fn fir_n(outputs: usize, taps: usize) -> usize {
        outputs * taps
    }

    /// `N` of a pooling call: outputs x window size (0 for an invalid shape).
    pub const fn pool_n(shape: &PoolShape) -> usize {
        match shape.output_len() {
            Some(outputs) => outputs * shape.window_h * shape.window_w,
            None => 0,
        }
    }
}

/// The engine a kernel runs on; selects the energy per cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// The CPU (MSP430 core, or the host).
    Cpu,
    /// The LEA vector accelerator (the CPU waits in LPM0).
    Lea,
}

/// Fixed-point scale of the coefficients: 1 cycle = 1000 milli-cycles.
pub const MILLI: u64 = 1000;

/// One kernel's cost: `cycles(N) = (a + b*N + c*N*log2(N)) / 1000`, coefficients in milli-cycles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelCost {
    pub engine: Engine,
    /// Fixed cycles per call (call overhead, LEA command setup), in milli-cycles.
    pub a_milli: u64,
    /// Cycles per element of `N`, in milli-cycles.
    pub b_milli: u64,
    /// Cycles per `N*log2(N)` (FFTs), in milli-cycles; `log2` is floor(log2 N), exact for FFT lengths.
    pub c_milli: u64,
}

impl KernelCost {
    /// Zero cost on the CPU: the default for a target without a device model (`host`).
    pub const FREE: KernelCost = KernelCost { engine: Engine::Cpu, a_milli: 0, b_milli: 0, c_milli: 0 };

    /// From coefficients in cycles, as written in `target.json` (rounded to the nearest milli-cycle;
    /// negative values, which no fit should produce, count as 0). Host-side construction only.
    pub fn from_cycles(engine: Engine, a: f64, b: f64, c: f64) -> KernelCost {
        let milli = |x: f64| {
            if x > 0.0 { (x * MILLI as f64 + 0.5) as u64 } else { 0 }
        };
        KernelCost { engine, a_milli: milli(a), b_milli: milli(b), c_milli: milli(c) }
    }

    /// Modeled cycles for one call charged `n`, rounded to the nearest cycle.
    pub const fn cycles(&self, n: usize) -> u64 {
        let n = n as u64;
        let log2 = if n > 1 { n.ilog2() as u64 } else { 0 };
        (self.a_milli + self.b_milli * n + self.c_milli * n * log2 + MILLI / 2) / MILLI
    }
}

/// Cycles and energy of one call (or a sum of calls).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Charge {
    pub cycles: u64,
    pub energy_pj: u64,
}

/// Per-kernel costs and per-cycle energy of one target. Build it with [`CostTable::new`] and
/// [`CostTable::with`] from the numbers of a `target.json`:
/// `energy_pj_per_cycle = active_current_ua_per_mhz * supply_v` (uA/MHz x V = pJ per cycle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CostTable {
    costs: [KernelCost; Kernel::COUNT],
    /// Energy per CPU cycle, picojoules.
    pub cpu_pj_per_cycle: u64,
    /// Energy per LEA cycle (LEA running, CPU in LPM0), picojoules.
    pub lea_pj_per_cycle: u64,
}

impl CostTable {
    /// Every kernel free, with the given energy per cycle of each engine.
    pub const fn new(cpu_pj_per_cycle: u64, lea_pj_per_cycle: u64) -> CostTable {
        CostTable { costs: [KernelCost::FREE; Kernel::COUNT], cpu_pj_per_cycle, lea_pj_per_cycle }
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

    /// What one call of `kernel` charged `n` costs.
    pub const fn charge(&self, kernel: Kernel, n: usize) -> Charge {
        let cost = self.costs[kernel.index()];
        let cycles = cost.cycles(n);
        let per_cycle = match cost.engine {
            Engine::Cpu => self.cpu_pj_per_cycle,
            Engine::Lea => self.lea_pj_per_cycle,
        };
        Charge { cycles, energy_pj: cycles * per_cycle }
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

    #[test]
    fn cost_formula_uses_n_and_n_log_n() {
        let fft = KernelCost::from_cycles(Engine::Lea, 100.0, 1.5, 2.0);
        // 100 + 1.5*256 + 2*256*8 = 100 + 384 + 4096
        assert_eq!(fft.cycles(256), 4580);
        let table = CostTable::new(354, 120).with(Kernel::Rfft, fft);
        assert_eq!(table.charge(Kernel::Rfft, 256), Charge { cycles: 4580, energy_pj: 4580 * 120 });
        assert_eq!(table.charge(Kernel::Add, 64), Charge::default());
    }
}
