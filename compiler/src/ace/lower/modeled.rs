//! What a candidate form of a layer costs, asked of the build's cost model on zero operands (costs depend
//! on shapes, not data), and whether each of its work units fits one charge of the energy buffer.

use super::super::cost::{CostModel, Lengths, Recorder, Shape};
use super::super::program::Call;
use super::LowerOptions;

/// Cycles of `call`, recorded by `run` on zero operands of `lengths` (costs depend on shapes, not data).
pub(super) fn modeled<F>(costs: &CostModel, call: &Call, lengths: Lengths, run: F) -> Option<u64>
where
    F: FnOnce(&mut Recorder) -> Result<(), acec_runtime::KernelError>,
{
    let calls = costs.calls(Shape::candidate(call, lengths, false, 0..usize::MAX), run).ok()?;
    Some(costs.charge(&calls).cycles)
}

/// Cycles of a whole `call` on zero operands of `lengths`, or `None` when one of its work units needs more
/// energy than `options.unit_energy_pj`, even if its constants end up in upper FRAM (the memory plan decides
/// after lowering). Every unit is costed, not only the first: units differ (a convolution's edge bands skip
/// the kernel rows that read only padding), and FLEX must be able to run the costliest one in a charge.
/// `run` gets the work range and whether to read the constants as far (by DMA); a range past the last unit
/// does no work.
pub(super) fn modeled_within_charge<F>(options: &LowerOptions, call: &Call, lengths: Lengths, run: F) -> Option<u64>
where
    F: Fn(&mut Recorder, std::ops::Range<usize>, bool) -> Result<(), acec_runtime::KernelError>,
{
    let costs = &options.costs;
    for unit in 0..call.work_units() {
        let shape = Shape::candidate(call, lengths, true, unit..unit + 1);
        let calls = costs.calls(shape, |acc| run(acc, unit..unit + 1, true)).ok()?;
        if calls.count() == 0 {
            break; // past the last unit that does work (a band covers several rows)
        }
        if costs.charge(&calls).energy_pj() > options.unit_energy_pj {
            return None;
        }
    }
    modeled(costs, call, lengths, |acc| run(acc, 0..usize::MAX, false))
}
