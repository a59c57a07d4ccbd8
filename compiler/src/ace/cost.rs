//! The cost model every stage asks: lowering (which form of a layer is cheaper, and whether a work unit
//! fits one charge), FLEX (how many units a task holds), `report` (totals, the sensitivity to DSPLib's
//! overhead, the bound) and `compress` (the energy of a block configuration).
//!
//! A call's cost depends on its shape, not on its data, so the model runs each call shape once on zeros
//! (or on whatever its program holds) through the runtime's own kernels, and keeps the kernel calls it
//! made — each kernel with its charged `N` — rather than one price. The same record then prices the call
//! under any cost table (DSPLib's overhead scaled, or left out for the bound) without running it again.
//! Asking again for a shape it has seen, in this program or in another one (the layers `compress`
//! re-lowers for every configuration it tries), costs a hash lookup.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::rc::Rc;

use acec_runtime::{Charge, CostTable, Kernel, KernelError, Metered, SoftBackend, Tally};

use super::exec::Machine;
use super::program::{Program, Space};
use super::{BufferId, Call};

/// The kernel calls of one call shape: how many times each kernel ran with each charged `N`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calls(BTreeMap<(Kernel, usize), u64>);

impl Tally for Calls {
    fn add(&mut self, kernel: Kernel, n: usize, _: Charge) {
        *self.0.entry((kernel, n)).or_default() += 1;
    }
}

impl Calls {
    /// What these calls cost under `table`: the same sum the runtime's meter adds up call by call.
    pub fn priced(&self, table: &CostTable) -> Charge {
        self.0
            .iter()
            .fold(Charge::default(), |total, (&(kernel, n), &count)| total.plus(table.charge(kernel, n).times(count)))
    }

    /// Every kernel call, of every kernel.
    pub fn count(&self) -> u64 {
        self.0.values().sum()
    }
}

/// The backend a call shape is recorded on: the soft kernels, metered into [`Calls`].
pub type Recorder<'t> = Metered<'t, SoftBackend, Calls>;

/// The lengths of what a call is handed besides its params: its LEA scratch, its 32-bit accumulators and
/// its input slice. Some kernels' calls depend on them (a dense layer batches its rows by the accumulators
/// it has, and zero-fills a row's pad only where the input slice ends), so two programs that size them
/// differently do not share a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Lengths {
    pub lea: usize,
    pub acc32: usize,
    pub input: usize,
}

/// What a call's cost depends on: its kind and sizes (operands left out: which buffers it reads does not
/// matter), the lengths it is handed, the elements an in-place call copies first, whether it stages its
/// weights from upper FRAM by DMA, and which of its work units run.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    call: Call,
    lengths: Lengths,
    copied: usize,
    far: bool,
    work: Range<usize>,
}

impl Shape {
    /// A call lowering weighs before it is part of a program (nothing copied first), over `work`.
    pub fn candidate(call: &Call, lengths: Lengths, far: bool, work: Range<usize>) -> Shape {
        Shape::new(call, lengths, 0, far, work)
    }

    /// `work` is clamped to the call's work units, so `0..usize::MAX` and `0..units` are one shape.
    fn new(call: &Call, lengths: Lengths, copied: usize, far: bool, work: Range<usize>) -> Shape {
        let units = call.work_units().max(1);
        let work = work.start.min(units)..work.end.min(units);
        Shape { call: call.with_operands(BufferId(0)), lengths, copied, far, work }
    }

    /// Step `index` of `program` over `work`, handed what [`Machine::run_step`] hands it.
    fn of_step(program: &Program, index: usize, work: Range<usize>) -> Shape {
        let step = &program.steps[index];
        let far = step.call.staged_weights().is_some_and(|id| program.buffer(id).space == Space::FramUpper);
        let copied = if step.call.works_in_place() && step.input != step.output { step.output_len } else { 0 };
        let input = program.buffer(program.act_buffer(step.input)).data.len().saturating_sub(step.input_offset);
        let lengths = Lengths {
            lea: program.buffer(program.lea).data.len(),
            acc32: program.buffer(program.acc32).data.len(),
            input,
        };
        Shape::new(&step.call, lengths, copied, far, work)
    }
}

/// The target's cost table and the kernel calls of every call shape asked so far.
#[derive(Debug)]
pub struct CostModel {
    table: CostTable,
    recorded: RefCell<HashMap<Shape, Rc<Calls>>>,
}

impl CostModel {
    pub fn new(table: CostTable) -> CostModel {
        CostModel { table, recorded: RefCell::default() }
    }

    /// The table this model prices with (the target's, as lowering and FLEX see it).
    pub fn table(&self) -> &CostTable {
        &self.table
    }

    /// `calls` priced under this model's table.
    pub fn charge(&self, calls: &Calls) -> Charge {
        calls.priced(&self.table)
    }

    /// The kernel calls of `shape`; `run` records them the first time the shape is asked (on operands of
    /// the right sizes: their values do not matter). A kernel that refuses the call is the error, and
    /// nothing is kept.
    pub fn calls<F>(&self, shape: Shape, run: F) -> Result<Rc<Calls>, KernelError>
    where
        F: FnOnce(&mut Recorder) -> Result<(), KernelError>,
    {
        if let Some(calls) = self.recorded.borrow().get(&shape) {
            return Ok(Rc::clone(calls));
        }
        let mut recorder = Recorder::with_tally(SoftBackend, &self.table);
        run(&mut recorder)?;
        let calls = Rc::new(recorder.take_meter());
        self.recorded.borrow_mut().insert(shape, Rc::clone(&calls));
        Ok(calls)
    }

    /// The kernel calls of work units `work` of step `index` of `program`.
    pub fn step(&self, program: &Program, index: usize, work: Range<usize>) -> Result<Rc<Calls>, KernelError> {
        let shape = Shape::of_step(program, index, work.clone());
        self.calls(shape, |recorder| Machine::new(program).run_step(recorder, index, work))
    }

    /// The kernel calls of every step of `program`, whole.
    pub fn steps(&self, program: &Program) -> Result<Vec<Rc<Calls>>, KernelError> {
        (0..program.steps.len()).map(|index| self.step(program, index, 0..usize::MAX)).collect()
    }

    /// Cycles and energy of one inference of `program` under this model's table.
    pub fn program(&self, program: &Program) -> Result<Charge, KernelError> {
        let steps = self.steps(program)?;
        Ok(steps.iter().fold(Charge::default(), |total, calls| total.plus(self.charge(calls))))
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use acec_runtime::{Accelerator, EnergyRates, Engine, KernelCost};

    use super::*;

    fn table() -> CostTable {
        let rates = EnergyRates { cpu_pj_per_cycle: 354, multiplier_pj_per_cycle: 84, lea_pj_per_cycle: 303 };
        CostTable::new(rates).with(Kernel::Add, KernelCost::from_cycles(Engine::Cpu, 600.0, 1.5, 0.0))
    }

    const LENGTHS: Lengths = Lengths { lea: 8, acc32: 0, input: 8 };

    #[test]
    fn a_shape_is_recorded_once_and_priced_like_the_meter() {
        let model = CostModel::new(table());
        let runs = Cell::new(0);
        let call = Call::Relu { params: acec_runtime::ops::ReluParams { len: 8 } };
        let run = |acc: &mut Recorder| {
            runs.set(runs.get() + 1);
            let mut data = [0i16; 8];
            acc.add(&[0; 8], &mut data)?;
            acc.add(&[0; 4], &mut data[..4])
        };
        let first = model.calls(Shape::candidate(&call, LENGTHS, false, 0..usize::MAX), run).unwrap();
        let again = model.calls(Shape::candidate(&call, LENGTHS, false, 0..1), run).unwrap();
        assert_eq!(runs.get(), 1, "0..usize::MAX and 0..1 are one shape of a one-unit call");
        assert_eq!(first, again);
        assert_eq!(first.count(), 2);
        // The meter's own sum: 600 + 1.5 * 8 and 600 + 1.5 * 4 cycles.
        assert_eq!(model.charge(&first).cycles, 612 + 606);
        let mut metered = Metered::new(SoftBackend, model.table());
        let mut data = [0i16; 8];
        metered.add(&[0; 8], &mut data).unwrap();
        metered.add(&[0; 4], &mut data[..4]).unwrap();
        assert_eq!(model.charge(&first), metered.meter().total);
    }

    #[test]
    fn a_refused_call_is_not_recorded() {
        let model = CostModel::new(table());
        let shape =
            Shape::candidate(&Call::Relu { params: acec_runtime::ops::ReluParams { len: 8 } }, LENGTHS, false, 0..1);
        let refused = model.calls(shape.clone(), |acc| acc.add(&[0; 8], &mut [0; 4]));
        assert!(refused.is_err());
        let runs = Cell::new(0);
        model
            .calls(shape, |_| {
                runs.set(1);
                Ok(())
            })
            .unwrap();
        assert_eq!(runs.get(), 1, "the failed run left nothing behind");
    }
}
