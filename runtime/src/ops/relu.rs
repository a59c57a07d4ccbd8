//! ReLU on the accelerator for vectors in LEA RAM: three saturating offsets, `x - 32768` (every negative
//! value saturates to -32768, the others land in -32768..=-1), then `+ 32767` and `+ 1` (back to `x`, or 0).
//! Exact, and on the MSP430 cheaper than the CPU loop beyond a few dozen elements: three DSPLib calls of
//! about 100 cycles each plus well under one cycle per element each, against about 11 cycles per element.
//! It needs `msp_offset_q15` to saturate: its CPU path does explicitly (`__saturated_add_q15`), and its LEA
//! path (the LEA's ADDMATRIX command, as `msp_add_q15`) is documented as the same function.

use crate::accelerator::Accelerator;
use crate::error::KernelError;

/// Below this length the CPU loop is cheaper: the three calls' fixed cost (~300 cycles) against ~10 cycles
/// per element saved (the break-even of `targets/msp430-lea`'s costs is 27 elements).
const LEA_FROM: usize = 32;

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
}
