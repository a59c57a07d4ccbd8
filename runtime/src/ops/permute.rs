//! A Transpose of a computed tensor, by the [`Accelerator::permute`] gather, in work units of
//! [`PERMUTE_UNIT`] output elements: a unit reads the input (never written by the step) and writes only its
//! own slice of the output, so a re-executed unit gives the same bits and a large tensor can be spread over
//! several FLEX tasks.

use core::ops::Range;

use super::need;
use crate::accelerator::Accelerator;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::shapes::PermuteShape;

/// Output elements of one work unit: about 9,000 CPU cycles on the MSP430 (targets/msp430-lea's `permute`:
/// 797 + 31.6 an element), well inside one charge of the smallest energy buffer.
pub const PERMUTE_UNIT: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PermuteParams {
    pub shape: PermuteShape,
}

impl PermuteParams {
    /// Elements of the tensor.
    pub const fn len(&self) -> usize {
        let [a, b, c, d] = self.shape.dims;
        a * b * c * d
    }

    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Work units: pieces of [`PERMUTE_UNIT`] output elements (at least one).
    pub const fn units(&self) -> usize {
        if self.is_empty() { 1 } else { self.len().div_ceil(PERMUTE_UNIT) }
    }
}

/// `out` = `input` gathered by `p.shape`, for the output elements of the units in `work`.
pub fn permute<A: Accelerator>(
    acc: &mut A,
    p: &PermuteParams,
    input: &[i16],
    out: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    need(Kernel::Permute, out.len(), p.len())?;
    for unit in work.start..work.end.min(p.units()) {
        let range = unit * PERMUTE_UNIT..p.len().min((unit + 1) * PERMUTE_UNIT);
        acc.permute(input, &p.shape, range.start, &mut out[range])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    use crate::SoftBackend;

    /// NHWC (2 x 5 x 60 x 3, a tf2onnx input) to NCHW in any split of the units equals the definition, and
    /// nothing past the tensor is written.
    #[test]
    fn units_in_any_split_gather_nhwc_into_nchw() {
        let (h, w, c) = (10, 60, 3);
        let input: Vec<i16> = (0..(h * w * c) as i16).collect();
        let p = PermuteParams { shape: PermuteShape { dims: [1, c, h, w], strides: [0, 1, w * c, c] } };
        assert_eq!(p.units(), 8);
        let expected: Vec<i16> = (0..c)
            .flat_map(|ch| (0..h).flat_map(move |y| (0..w).map(move |x| ((y * w + x) * c + ch) as i16)))
            .collect();
        for split in [0, 1, 5, 8] {
            let mut out = std::vec![-1; input.len() + 1];
            permute(&mut SoftBackend, &p, &input, &mut out, 0..split).unwrap();
            permute(&mut SoftBackend, &p, &input, &mut out, split..usize::MAX).unwrap();
            assert_eq!(&out[..input.len()], &expected[..], "split at {split}");
            assert_eq!(out[input.len()], -1);
        }
    }

    #[test]
    fn an_input_shorter_than_the_gather_reaches_is_refused() {
        let p = PermuteParams { shape: PermuteShape { dims: [1, 1, 2, 3], strides: [0, 0, 1, 2] } };
        let mut out = [0; 6];
        assert!(permute(&mut SoftBackend, &p, &[0; 5], &mut out, 0..1).is_err());
        assert!(permute(&mut SoftBackend, &p, &[0; 6], &mut out, 0..1).is_ok());
    }
}
