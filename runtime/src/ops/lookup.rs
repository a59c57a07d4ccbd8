//! An element-wise function (Tanh, Sigmoid, HardSwish, ...) over a tensor, by the [`Accelerator::lookup`]
//! table kernel, in work units of [`LOOKUP_UNIT`] elements: a unit reads only its input slice and writes
//! only its output slice, so a re-executed unit gives the same bits and a large tensor can be spread over
//! several FLEX tasks.

use core::ops::Range;

use super::need;
use crate::accelerator::Accelerator;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::shapes::LookupShape;

/// Elements of one work unit: at about 150 CPU cycles an element on the MSP430 (targets/msp430-lea's
/// `lookup`), some 38,000 cycles (about 13 uJ), well inside one charge of the smallest energy buffer.
pub const LOOKUP_UNIT: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LookupParams {
    /// Elements of the tensor.
    pub len: usize,
    /// Entries of the table.
    pub entries: usize,
    pub shape: LookupShape,
}

impl LookupParams {
    /// Work units: pieces of [`LOOKUP_UNIT`] elements (at least one).
    pub const fn units(&self) -> usize {
        if self.len == 0 { 1 } else { self.len.div_ceil(LOOKUP_UNIT) }
    }
}

/// `out[i] = f(input[i])` for the elements of the units in `work`.
pub fn lookup<A: Accelerator>(
    acc: &mut A,
    p: &LookupParams,
    table: &[i16],
    input: &[i16],
    out: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    need(Kernel::Lookup, input.len(), p.len)?;
    need(Kernel::Lookup, out.len(), p.len)?;
    need(Kernel::Lookup, table.len(), p.entries)?;
    let end = work.end.min(p.units());
    for unit in work.start..end {
        let range = unit * LOOKUP_UNIT..p.len.min((unit + 1) * LOOKUP_UNIT);
        acc.lookup(&input[range.clone()], &table[..p.entries], p.shape, &mut out[range])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    use crate::SoftBackend;
    use crate::kernels::lookup::lookup as whole;

    /// Any split of the units gives the kernel's result on the whole tensor, and writes nothing past it.
    #[test]
    fn units_in_any_split_equal_one_call_on_the_whole_tensor() {
        let x: Vec<i16> = (0..700).map(|i| ((i * 7919) % 65536 - 32768) as i16).collect();
        let table = [-30000, -100, 0, 50, 20000];
        let p = LookupParams { len: x.len(), entries: table.len(), shape: LookupShape { base: -20000, step_log2: 13 } };
        let mut expected = std::vec![0; x.len()];
        whole(&x, &table, p.shape, &mut expected).unwrap();
        assert_eq!(p.units(), 3);
        for split in [1, 2] {
            let mut out = std::vec![7; x.len() + 1];
            lookup(&mut SoftBackend, &p, &table, &x, &mut out, 0..split).unwrap();
            lookup(&mut SoftBackend, &p, &table, &x, &mut out, split..usize::MAX).unwrap();
            assert_eq!(&out[..x.len()], &expected[..]);
            assert_eq!(out[x.len()], 7);
        }
    }
}
