//! A copy that changes an activation's format on the way: `out = floor(x * 2^shift)`, a right shift or
//! none. One part of a concatenation, brought to the format the joined tensor has.

use core::ops::Range;

use super::need;
use crate::accelerator::Accelerator;
use crate::cost::Kernel;
use crate::error::KernelError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RescaleParams {
    /// Elements copied.
    pub len: usize,
    /// 0 (a plain copy) or a right shift (-15..=-1), flooring as `msp_shift_q15` does.
    pub shift: i8,
}

/// Copies `input` to `out` with the shift when `work` holds unit 0 (the call is one work unit), nothing
/// otherwise. A shifted copy goes through `lea` in pieces as long as it is (at least 2 elements); a plain
/// one is a single copy. `out` is not `input`, so a re-executed call gives the same bits.
pub fn rescale<A: Accelerator>(
    acc: &mut A,
    p: &RescaleParams,
    input: &[i16],
    out: &mut [i16],
    lea: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    need(Kernel::Copy, input.len(), p.len)?;
    need(Kernel::Copy, out.len(), p.len)?;
    if !work.contains(&0) {
        return Ok(());
    }
    if p.shift == 0 {
        return acc.copy(&input[..p.len], &mut out[..p.len]);
    }
    need(Kernel::Shift, lea.len(), 2)?;
    let piece = lea.len() / 2 * 2;
    for start in (0..p.len).step_by(piece) {
        let range = start..p.len.min(start + piece);
        stage_shifted(acc, &input[range.clone()], lea, p.shift)?;
        acc.copy(&lea[..range.len()], &mut out[range])?;
    }
    Ok(())
}

/// Copies `src` into the start of `buf` (LEA scratch) and multiplies it by `2^shift` there (nothing for 0);
/// returns the staged length rounded up to even, as LEA vectors are. An odd length takes one padding lane
/// (zeroed first: defined, and never copied out). `buf` holds at least that even length.
pub(crate) fn stage_shifted<A: Accelerator>(
    acc: &mut A,
    src: &[i16],
    buf: &mut [i16],
    shift: i8,
) -> Result<usize, KernelError> {
    let (len, even) = (src.len(), src.len().div_ceil(2) * 2);
    if even > len {
        buf[len] = 0;
    }
    acc.copy(src, &mut buf[..len])?;
    if shift != 0 {
        acc.shift(&mut buf[..even], shift)?;
    }
    Ok(even)
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    use crate::SoftBackend;

    /// Against `floor(x / 2^k)` in i64 for every piece length (odd tails included) and shift.
    #[test]
    fn equals_the_floored_shift_of_every_element() {
        let x: Vec<i16> = (0..29).map(|i| ((i * 7919) % 65536 - 32768) as i16).collect();
        for scratch in [2, 3, 8, 64] {
            for shift in [0, -1, -4, -15] {
                let p = RescaleParams { len: x.len(), shift };
                let mut out = std::vec![0; x.len() + 1];
                rescale(&mut SoftBackend, &p, &x, &mut out, &mut std::vec![0; scratch], 0..1).unwrap();
                for (i, (&v, &y)) in x.iter().zip(&out).enumerate() {
                    assert_eq!(i64::from(y), i64::from(v) >> -i32::from(shift), "element {i}, scratch {scratch}");
                }
                assert_eq!(out[x.len()], 0, "nothing past len is written");
            }
        }
    }
}
