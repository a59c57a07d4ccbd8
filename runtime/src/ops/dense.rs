//! A dense (fully connected) layer as one LEA dot product per output.

use core::ops::Range;

use super::{need, need_const};
use crate::accelerator::Accelerator;
use crate::const_slice::ConstSlice;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::q15::saturate_i32;

/// Shapes and scaling of a dense layer `y = W x + b`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DenseParams {
    /// Input features (the length of `input`).
    pub inputs: usize,
    /// Row stride of `weights`: `inputs` rounded up to even (LEA vector lengths are even); the pad is zero.
    pub row_stride: usize,
    pub outputs: usize,
    /// Right shift from the dot product's format, Q(w + x + 1) (`mac` returns Q31 of Q15 operands), to the
    /// output's.
    pub shift: u8,
    /// Clamp negative outputs to zero (a fused ReLU).
    pub relu: bool,
}

/// Computes outputs `work` of `y = W x + b`: `weights` is `outputs x row_stride` (in addressable memory or
/// a [`crate::Far`] range), `bias` is in the dot product's format. `lea` holds the input and one weight row
/// (at least `2 * row_stride`, or any even amount of at least 4 elements: longer rows are split into
/// chunks); `acc32` batches the results before requantization (any non-zero length).
#[allow(clippy::too_many_arguments)]
pub fn dense<A: Accelerator, W: ConstSlice + ?Sized>(
    acc: &mut A,
    p: &DenseParams,
    weights: &W,
    bias: &[i32],
    input: &[i16],
    output: &mut [i16],
    lea: &mut [i16],
    acc32: &mut [i32],
    work: Range<usize>,
) -> Result<(), KernelError> {
    need_const(Kernel::Mac, weights, p.outputs as u32 * p.row_stride as u32)?;
    need(Kernel::Mac, bias.len(), p.outputs)?;
    need(Kernel::Mac, input.len(), p.inputs)?;
    need(Kernel::Mac, output.len(), work.end.min(p.outputs))?;
    need(Kernel::Mac, lea.len(), 4)?;
    need(Kernel::Mac, acc32.len(), 1)?;
    let chunk = (p.row_stride).min(lea.len() / 2 / 2 * 2);
    let (x_buf, w_buf) = lea.split_at_mut(chunk);
    let whole_row_fits = chunk == p.row_stride;
    if whole_row_fits {
        stage(acc, input, 0, chunk, x_buf)?;
    }
    let rows = work.start..work.end.min(p.outputs);
    let mut start = rows.start;
    while start < rows.end {
        let end = (start + acc32.len()).min(rows.end);
        for (slot, o) in acc32.iter_mut().zip(start..end) {
            let mut sum = i64::from(bias[o]);
            let mut at = 0;
            while at < p.row_stride {
                let len = chunk.min(p.row_stride - at);
                if !whole_row_fits {
                    stage(acc, input, at, len, &mut x_buf[..len])?;
                }
                weights.stage(acc, o as u32 * p.row_stride as u32 + at as u32, &mut w_buf[..len])?;
                sum += i64::from(acc.mac(&x_buf[..len], &w_buf[..len])?);
                at += len;
            }
            *slot = saturate_i32(sum);
        }
        let out = &mut output[start..end];
        acc.requantize(&acc32[..end - start], p.shift, out)?;
        if p.relu {
            acc.relu(out)?;
        }
        start = end;
    }
    Ok(())
}

/// Copies `input[at..at + len]` into `dst`, zero-filling past the end of the input (the row pad).
fn stage<A: Accelerator>(
    acc: &mut A,
    input: &[i16],
    at: usize,
    len: usize,
    dst: &mut [i16],
) -> Result<(), KernelError> {
    let available = input.len().saturating_sub(at).min(len);
    if available < len {
        acc.fill(&mut dst[..len], 0)?;
    }
    if available > 0 {
        acc.copy(&input[at..at + available], &mut dst[..available])?;
    }
    Ok(())
}
