//! The sum of two activation tensors (a residual connection): each operand brought to the output's
//! format by a right shift, then added with saturation, in pieces as long as half the LEA scratch.

use core::ops::Range;

use super::need;
use super::rescale::stage_shifted;
use crate::accelerator::Accelerator;
use crate::cost::Kernel;
use crate::error::KernelError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AddParams {
    /// Elements of each operand and of the output.
    pub len: usize,
    /// Each operand is multiplied by `2^shift` first: 0 or a right shift (-15..=0), flooring as
    /// `msp_shift_q15` does.
    pub shift_a: i8,
    pub shift_b: i8,
}

/// `out = sat16(floor(a * 2^shift_a) + floor(b * 2^shift_b))` when `work` holds unit 0 (the call is one
/// work unit), nothing otherwise. `out` is neither operand, so a re-executed call gives the same bits.
/// `lea` holds two pieces side by side: at least 4 elements, and the longer the fewer calls.
#[allow(clippy::too_many_arguments)]
pub fn add<A: Accelerator>(
    acc: &mut A,
    p: &AddParams,
    a: &[i16],
    b: &[i16],
    out: &mut [i16],
    lea: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    need(Kernel::Add, a.len(), p.len)?;
    need(Kernel::Add, b.len(), p.len)?;
    need(Kernel::Add, out.len(), p.len)?;
    need(Kernel::Add, lea.len(), 4)?;
    if !work.contains(&0) {
        return Ok(());
    }
    let piece = lea.len() / 4 * 2;
    let (x, rest) = lea.split_at_mut(piece);
    let y = &mut rest[..piece];
    for start in (0..p.len).step_by(piece) {
        let range = start..p.len.min(start + piece);
        let even = stage_shifted(acc, &a[range.clone()], x, p.shift_a)?;
        stage_shifted(acc, &b[range.clone()], y, p.shift_b)?;
        acc.add(&x[..even], &mut y[..even])?;
        acc.copy(&y[..range.len()], &mut out[range])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    use crate::SoftBackend;

    /// Against the definition computed in i64: every piece length (odd tails included), both shift
    /// orders, saturation at both ends.
    #[test]
    fn equals_the_shifted_saturating_sum() {
        let a: Vec<i16> = (0..37).map(|i| ((i * 7919) % 65536 - 32768) as i16).collect();
        let b: Vec<i16> = (0..37).map(|i| ((i * 104_729 + 12_345) % 65536 - 32768) as i16).collect();
        for scratch in [4, 6, 10, 40, 80] {
            for (shift_a, shift_b) in [(0, 0), (-1, 0), (0, -3), (-15, -2)] {
                let p = AddParams { len: a.len(), shift_a, shift_b };
                let mut out = std::vec![0; a.len()];
                add(&mut SoftBackend, &p, &a, &b, &mut out, &mut std::vec![0; scratch], 0..1).unwrap();
                for i in 0..a.len() {
                    let floor = |v: i16, s: i8| i64::from(v) >> -i32::from(s);
                    let sum = (floor(a[i], shift_a) + floor(b[i], shift_b)).clamp(-32768, 32767);
                    assert_eq!(i64::from(out[i]), sum, "element {i}, scratch {scratch}, shifts {shift_a} {shift_b}");
                }
            }
        }
    }

    #[test]
    fn a_range_without_unit_zero_writes_nothing() {
        let p = AddParams { len: 4, shift_a: 0, shift_b: 0 };
        let mut out = [7; 4];
        add(&mut SoftBackend, &p, &[1; 4], &[2; 4], &mut out, &mut [0; 8], 1..2).unwrap();
        assert_eq!(out, [7; 4]);
    }
}
