//! A ReLU layer, and ReLU on the accelerator for vectors in LEA RAM: three saturating offsets, `x - 32768` (every negative
//! value saturates to -32768, the others land in -32768..=-1), then `+ 32767` and `+ 1` (back to `x`, or 0).
//! Exact, and on the MSP430 cheaper than the CPU loop beyond about 190 elements: three DSPLib calls of
//! about 616 cycles each (the board measurement of a DSPLib call) plus well under one cycle per element
//! each, against about 11 cycles per element.
//! It needs `msp_offset_q15` to saturate: its CPU path does explicitly (`__saturated_add_q15`), and its LEA
//! path (the LEA's ADDMATRIX command, as `msp_add_q15`) is documented as the same function.

use core::ops::Range;

use super::need;
use crate::accelerator::Accelerator;
use crate::cost::Kernel;
use crate::error::KernelError;

/// A ReLU layer over the first `len` elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReluParams {
    pub len: usize,
}

/// `data = max(data, 0)` over the first `len` elements, in place: the step copies its input to its
/// output first, so that a re-executed step starts again from its intact input. One work unit.
pub fn relu<A: Accelerator>(
    acc: &mut A,
    params: &ReluParams,
    data: &mut [i16],
    _work: Range<usize>,
) -> Result<(), KernelError> {
    need(Kernel::Relu, data.len(), params.len)?;
    acc.relu(&mut data[..params.len])
}

/// Below this length the CPU loop is cheaper. The break-even of `targets/msp430-lea`'s costs: three
/// offsets at 616 + 0.6 N cycles each (DSPLib's measured call and command overhead) against the CPU loop's
/// 45.7 + 11.42 N, so N = 187.3. The threshold is fixed here, where the runtime has no cost table: a
/// target whose DSPLib calls cost much less (or more) moves it.
const LEA_FROM: usize = 188;

/// `data = max(data, 0)` for `data` in LEA RAM (even length): with the accelerator's saturating offset
/// from [`LEA_FROM`] elements, on the CPU below.
pub(crate) fn relu_on_lea<A: Accelerator>(acc: &mut A, data: &mut [i16]) -> Result<(), KernelError> {
    if data.len() < LEA_FROM {
        return acc.relu(data);
    }
    acc.offset(data, i16::MIN)?;
    acc.offset(data, i16::MAX)?;
    acc.offset(data, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    use crate::SoftBackend;

    #[test]
    fn equals_max_with_zero_on_every_value() {
        let mut data: Vec<i16> = (i16::MIN..=i16::MAX).collect();
        relu_on_lea(&mut SoftBackend, &mut data).unwrap();
        for (x, y) in (i16::MIN..=i16::MAX).zip(&data) {
            assert_eq!(*y, x.max(0));
        }
        let mut short = [-3, 5, i16::MIN, 0];
        relu_on_lea(&mut SoftBackend, &mut short).unwrap();
        assert_eq!(short, [0, 5, 0, 0]);
    }

    /// A 64-point block (a circulant layer's at b = 64) goes through the CPU loop: 777 cycles there against
    /// about 1,960 for three DSPLib offsets; a 256-point one through the LEA (2,969 against 2,309).
    #[test]
    fn short_vectors_take_the_cpu_loop() {
        use crate::cost::{CostTable, EnergyRates, Kernel};
        let table = CostTable::new(EnergyRates::default());
        for (len, relu_calls, offset_calls) in [(64, 1, 0), (256, 0, 3)] {
            let mut metered = crate::Metered::new(SoftBackend, &table);
            relu_on_lea(&mut metered, &mut std::vec![-1; len]).unwrap();
            let meter = metered.take_meter();
            assert_eq!(meter.kernel(Kernel::Relu).calls, relu_calls, "{len} elements");
            assert_eq!(meter.kernel(Kernel::Offset).calls, offset_calls, "{len} elements");
        }
    }
}
