//! An element-wise function by table: `y = f(x)` for any `f` the compiler can sample (Tanh, Sigmoid,
//! HardSigmoid, HardSwish, LeakyRelu, Clip), read from a table of `f` at evenly spaced inputs with linear
//! interpolation between neighbours.
//!
//! One kernel serves every such function: the compiler chooses the table (its start, its spacing and its
//! values, in the input's and output's Q formats) and checks the result against the function in f64 on
//! every one of the 65,536 inputs before it accepts the table. Integer arithmetic only (a 16 x 16-bit
//! product and shifts), so every backend and the host agree bit for bit.

use super::check;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::shapes::LookupShape;

/// `dst[i] = interpolate(table, src[i])`: with `u = src[i] - shape.base` (in `i32`), `k = u >> step_log2`
/// and `r = u mod 2^step_log2`, the output is `table[k] + floor(((table[k+1] - table[k]) * r + 2^(step_log2-1))
/// / 2^step_log2)` (rounded half up; `table[k]` itself when `step_log2` is 0). An input below `base` reads
/// `table[0]`, one at or past the last entry's input `table[n-1]`. `table` has at least one entry,
/// `step_log2` is in 0..=15, `src` and `dst` have one length (any).
///
/// Consecutive entries must differ by at most 32,767 (acec's tables do): the difference is then an `i16`,
/// and the product a 16 x 16-bit one, which the MSP430's multiplier does in one go. A table that breaks the
/// rule gives wrapped, but deterministic, values.
pub fn lookup(src: &[i16], table: &[i16], shape: LookupShape, dst: &mut [i16]) -> Result<(), KernelError> {
    check::same_len(Kernel::Lookup, src.len(), dst.len())?;
    check::non_empty(Kernel::Lookup, table.len())?;
    check::shift_range(Kernel::Lookup, i32::from(shape.step_log2), 0, 15)?;
    let last = table.len() - 1;
    let step = u32::from(shape.step_log2);
    let mask = ((1u32 << step) - 1) as u16;
    for (&x, y) in src.iter().zip(dst.iter_mut()) {
        let u = i32::from(x) - i32::from(shape.base);
        *y = if u <= 0 {
            table[0]
        } else {
            // 1..=65535: the input's distance from the table's start fits 16 unsigned bits.
            let u = u as u16;
            let k = usize::from(u >> step);
            if k >= last {
                table[last]
            } else {
                let lo = table[k];
                let difference = table[k + 1].wrapping_sub(lo);
                // r / 2^step as a Q15 fraction: (d * r + 2^(step-1)) >> step, computed as
                // (d * r * 2^(15-step) + 2^14) >> 15, the same value with one fixed shift.
                let fraction = ((u & mask) << (15 - step)) as i16;
                let offset = (i32::from(difference) * i32::from(fraction) + (1 << 14)) >> 15;
                lo.wrapping_add(offset as i16)
            }
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    /// The definition in f64: the table as a piecewise-linear function of the input, rounded half up.
    fn reference(x: i16, table: &[i16], shape: LookupShape) -> i16 {
        let spacing = f64::from(1u32 << shape.step_log2);
        let position = (f64::from(x) - f64::from(shape.base)) / spacing;
        if position <= 0.0 {
            return table[0];
        }
        let k = position.floor() as usize;
        if k + 1 >= table.len() {
            return table[table.len() - 1];
        }
        let (lo, hi) = (f64::from(table[k]), f64::from(table[k + 1]));
        (lo + (hi - lo) * (position - k as f64) + 0.5).floor() as i16
    }

    #[test]
    fn every_input_is_the_rounded_interpolation_of_its_neighbours() {
        // The largest steps between entries the kernel takes (32,767 either way) and tables that start and end inside the range.
        let tables: [&[i16]; 5] =
            [&[-16000, 16767, -16000, 0, 7], &[-32768, -1, 32766, -1], &[5], &[100, -100], &[0, 1, 3, 6, 10, 15, 21]];
        let all: Vec<i16> = (i16::MIN..=i16::MAX).collect();
        for table in tables {
            for (base, step_log2) in [(-32768, 14), (-3, 0), (-1000, 9), (0, 15), (-32768, 15), (12000, 3)] {
                let shape = LookupShape { base, step_log2 };
                let mut out = std::vec![0; all.len()];
                lookup(&all, table, shape, &mut out).unwrap();
                for (&x, &y) in all.iter().zip(&out) {
                    assert_eq!(y, reference(x, table, shape), "x {x}, base {base}, step 2^{step_log2}, {table:?}");
                }
            }
        }
    }

    #[test]
    fn refuses_an_empty_table_a_wide_step_and_unequal_lengths() {
        let shape = LookupShape { base: 0, step_log2: 4 };
        assert!(lookup(&[1, 2], &[], shape, &mut [0, 0]).is_err());
        assert!(lookup(&[1, 2], &[0, 1], LookupShape { base: 0, step_log2: 16 }, &mut [0, 0]).is_err());
        let mut out = [9, 9, 9];
        assert!(lookup(&[1, 2], &[0, 1], shape, &mut out).is_err());
        assert_eq!(out, [9, 9, 9], "a refused call writes nothing");
    }
}
