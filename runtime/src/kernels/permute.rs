//! A layout change on the CPU: each output element read from its place in the input, by strides. A
//! Transpose of a computed tensor (an NHWC model's input as tf2onnx leaves it, `Transpose[0,3,1,2]`, or any
//! other layout transpose of up to four axes) is one such gather.

use crate::cost::Kernel;
use crate::error::{KernelError, Violation};
use crate::shapes::PermuteShape;

/// `dst[k] = src[offset(first + k)]`, where output element `i` has coordinates `(a, b, c, d)` in
/// `shape.dims` (row-major, `d` fastest) and is read from `src[a * strides[0] + b * strides[1] +
/// c * strides[2] + d * strides[3]]`. Output elements `first .. first + dst.len()` of the whole output;
/// every one of them must read inside `src`.
pub fn permute(src: &[i16], shape: &PermuteShape, first: usize, dst: &mut [i16]) -> Result<(), KernelError> {
    let [d0, d1, d2, d3] = shape.dims;
    let total = d0 * d1 * d2 * d3;
    if first + dst.len() > total {
        return Err(KernelError::new(
            Kernel::Permute,
            Violation::LengthMismatch { expected: total, actual: first + dst.len() },
        ));
    }
    // The farthest element read: strides are non-negative.
    let [s0, s1, s2, s3] = shape.strides;
    let reach = |d: usize, s: usize| d.saturating_sub(1) * s;
    let needed = if total == 0 { 0 } else { reach(d0, s0) + reach(d1, s1) + reach(d2, s2) + reach(d3, s3) + 1 };
    if src.len() < needed {
        return Err(KernelError::new(
            Kernel::Permute,
            Violation::LengthMismatch { expected: needed, actual: src.len() },
        ));
    }
    if dst.is_empty() {
        return Ok(());
    }
    // Coordinates of `first`: four divisions per call, then an odometer (the MSP430 divides in a library
    // loop of hundreds of cycles).
    let (mut c3, rest) = (first % d3, first / d3);
    let (mut c2, rest) = (rest % d2, rest / d2);
    let (mut c1, c0) = (rest % d1, rest / d1);
    let mut at = c0 * s0 + c1 * s1 + c2 * s2 + c3 * s3;
    for y in dst.iter_mut() {
        *y = src[at];
        c3 += 1;
        at += s3;
        if c3 == d3 {
            c3 = 0;
            at -= d3 * s3;
            c2 += 1;
            at += s2;
            if c2 == d2 {
                c2 = 0;
                at -= d2 * s2;
                c1 += 1;
                at += s1;
                if c1 == d1 {
                    // The outermost axis needs no counter: nothing wraps it.
                    c1 = 0;
                    at -= d1 * s1;
                    at += s0;
                }
            }
        }
    }
    Ok(())
}
