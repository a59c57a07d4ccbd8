//! The expected outputs: each case run on the host through `SoftBackend` (the soft semantics `acec verify`
//! trusts), by the very code the firmware runs (`case.rs`), over an arena laid out as on the device.

use acec_runtime::SoftBackend;

use super::arena::{ARENA_WORDS, place, violation};
use super::case::{self, ARGS, Case, Operand};
use super::plan::{Lands, Spec};

/// A case ready to be written: the call, its scalars and input words per slot, where everything goes, the
/// host's output words.
#[derive(Clone, Debug)]
pub struct Planned {
    pub spec: Spec,
    pub args: [i16; ARGS],
    pub inputs: Vec<Vec<i16>>,
    /// The case with arena offsets and lengths; its data offsets point into [`Planned::args`] and
    /// [`Planned::inputs`] laid end to end (`expected.data` unset), until `cases_rs` places them in the
    /// firmware's data.
    pub case: Case,
    pub expected: Vec<i16>,
}

/// What the harness fills the arena with before a case (`JUNK` in its `main.rs`).
const JUNK: i16 = 0x5A5A;

/// Lays out and runs `spec` on the host. An error is a bug of the generator (a case the soft backend
/// refuses, or one that breaks DSPLib's placement rules), never of the user's input.
pub fn plan(spec: &Spec) -> Result<Planned, String> {
    let placement = place(spec);
    if let Some(why) = violation(spec, &placement) {
        return Err(format!("{}: {why}", spec.describe()));
    }
    let inputs: Vec<Vec<i16>> = spec.inputs.iter().map(|&(pattern, len)| pattern.words(len)).collect();
    let mut args = [0i16; ARGS];
    for (arg, (_, value)) in args.iter_mut().zip(&spec.args) {
        *arg = *value;
    }
    let mut slots = [Operand::default(); 3];
    let mut data_at = ARGS;
    for (slot, &(at, len)) in slots.iter_mut().zip(&placement.inputs) {
        *slot = Operand { data: data_at as u16, len: len as u16, at: at as u16 };
        data_at += len;
    }
    let (at, len) = match (spec.lands, placement.output) {
        (_, Some(span)) => span,
        (Lands::Returned(values), None) => (0, 2 * values),
        (_, None) => return Err(format!("{}: no output slot", spec.describe())),
    };
    let expected_slot = Operand { data: 0, len: len as u16, at: at as u16 };
    let case = Case { kernel: spec.kernel.index() as u16, args: 0, inputs: slots, expected: expected_slot };
    let data: Vec<i16> = [args.to_vec(), inputs.concat()].concat();
    let mut arena = vec![JUNK; ARENA_WORDS];
    let output = match case::run(&mut SoftBackend, &case, &data, &mut arena) {
        Some(Ok(output)) => output,
        Some(Err(e)) => return Err(format!("{}: the soft backend refused it: {e:?}", spec.describe())),
        None => return Err(format!("{}: malformed case", spec.describe())),
    };
    let expected = case::output_words(&output, &case, &arena)
        .ok_or_else(|| format!("{}: no output words", spec.describe()))?
        .to_vec();
    Ok(Planned { spec: spec.clone(), args, inputs, case, expected })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::firmware::selftest::plan::specs;
    use acec_runtime::Kernel;

    #[test]
    fn every_case_runs_on_the_host() {
        for spec in specs() {
            let planned = plan(&spec).unwrap();
            assert_eq!(planned.expected.len(), usize::from(planned.case.expected.len), "{}", spec.describe());
        }
    }

    #[test]
    fn expectations_are_the_kernels_semantics() {
        let find = |kernel: Kernel, pred: &dyn Fn(&Spec) -> bool| {
            plan(&specs().into_iter().find(|s| s.kernel == kernel && pred(s)).unwrap()).unwrap()
        };
        // An all-equal vector: the first maximum is at 0.
        let max = find(Kernel::Max, &|s| s.inputs[0].0 == crate::firmware::selftest::plan::Pattern::MinusFull);
        assert_eq!(max.expected, [-32768, -1, 0, 0]);
        // Full scale squared, summed 64 times, doubled: saturated Q31.
        let mac = find(Kernel::Mac, &|s| s.inputs[0] == (crate::firmware::selftest::plan::Pattern::PlusFull, 64));
        assert_eq!(case::wide(mac.expected[0], mac.expected[1]), i32::MAX);
        // Shift 15 of alternating full scale wraps: every bit shifted out but the sign's.
        let shift = find(Kernel::Shift, &|s| {
            s.args == [("shift", 15)] && s.inputs[0].0 != crate::firmware::selftest::plan::Pattern::Random(1)
        });
        assert!(shift.expected.iter().all(|&w| w == i16::MIN || w == 0), "{:?}", &shift.expected[..4]);
        let fill = find(Kernel::Fill, &|s| s.args == [("value", 12345)]);
        assert!(fill.expected.iter().all(|&w| w == 12345));
    }
}
