//! A softmax layer: the model's probabilities, when a build keeps its final softmax.

use core::ops::Range;

use super::need;
use crate::accelerator::Accelerator;
use crate::cost::Kernel;
use crate::error::KernelError;

/// A softmax over the first `len` elements: input in Q`input_frac`, output probabilities in Q15.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SoftmaxParams {
    pub len: usize,
    pub input_frac: i8,
}

/// The softmax of `input`'s first `len` elements into `output`'s. One work unit: it needs the whole
/// vector's maximum and sum.
pub fn softmax<A: Accelerator>(
    acc: &mut A,
    params: &SoftmaxParams,
    input: &[i16],
    output: &mut [i16],
    _work: Range<usize>,
) -> Result<(), KernelError> {
    need(Kernel::Softmax, input.len(), params.len)?;
    need(Kernel::Softmax, output.len(), params.len)?;
    acc.softmax(&input[..params.len], params.input_frac, &mut output[..params.len])
}
