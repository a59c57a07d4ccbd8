//! A pooling layer over a range of its channels (its work units), with the ReLU of the layer before a
//! max-pool applied to the pooled values: ReLU and max-pool commute, and the pool has fewer values.

use core::ops::Range;

use super::need;
use crate::accelerator::Accelerator;
use crate::cost::Kernel;
use crate::error::{KernelError, Violation};
use crate::shapes::PoolShape;

/// A max-pool layer: its shape, and whether the pooled values' ReLU (of the layer before) comes too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MaxPoolParams {
    pub shape: PoolShape,
    pub relu: bool,
}

/// Max-pools channels `work` of `input` (CHW) into the same channels of `output`.
pub fn max_pool<A: Accelerator>(
    acc: &mut A,
    params: &MaxPoolParams,
    input: &[i16],
    output: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    pool(acc, &params.shape, Pooling::Max { relu: params.relu }, input, output, work)
}

/// Average-pools channels `work` of `input` (CHW, `shape`) into the same channels of `output`.
pub fn average_pool<A: Accelerator>(
    acc: &mut A,
    shape: &PoolShape,
    input: &[i16],
    output: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    pool(acc, shape, Pooling::Average, input, output, work)
}

/// What a pooling layer computes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pooling {
    Max { relu: bool },
    Average,
}

fn pool<A: Accelerator>(
    acc: &mut A,
    shape: &PoolShape,
    pooling: Pooling,
    input: &[i16],
    output: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    let kernel = if pooling == Pooling::Average { Kernel::AvgPool } else { Kernel::MaxPool };
    let plane_out = match (shape.out_height(), shape.out_width()) {
        (Some(h), Some(w)) => h * w,
        _ => return Err(KernelError::new(kernel, Violation::InvalidPoolShape)),
    };
    let plane_in = shape.height * shape.width;
    need(kernel, input.len(), shape.channels * plane_in)?;
    need(kernel, output.len(), shape.channels * plane_out)?;
    let (start, end) = (work.start.min(shape.channels), work.end.min(shape.channels));
    if start == end {
        return Ok(());
    }
    let part = PoolShape { channels: end - start, ..*shape };
    let (src, dst) = (&input[start * plane_in..end * plane_in], &mut output[start * plane_out..end * plane_out]);
    match pooling {
        Pooling::Max { relu } => acc.max_pool(src, &part, if relu { 0 } else { i16::MIN }, dst),
        Pooling::Average => acc.avg_pool(src, &part, dst),
    }
}
