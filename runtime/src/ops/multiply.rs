//! The element-wise product of two activation tensors: a gate (squeeze-excite's per-channel weights, a
//! sigmoid-gated unit) times the values it gates. `out = floor(a * b / 2^15)`, kept to 16 bits: in the
//! formats' terms, Q`x` times Q`y` is Q(`x + y - 15`), the format the product of two in-range values
//! always fits.
//!
//! DSPLib has no real element-wise multiply this backend uses, so the product is built from kernels it
//! has. Where every element of `a` has its own `b` (`plane == 1`), both are interleaved as complex values
//! with zero imaginary parts and multiplied by `msp_cmplx_mpy_q15`, whose real part is then `a * b`'s
//! (TI's MPY32 sequence: bits 15..30 of `Ar * Br - Ai * Bi`, with `Ai = Bi = 0`). Where `b` holds one value
//! per plane of `a` (a per-channel gate), each plane is scaled by its value with `msp_scale_q15` at shift
//! 0, which gives the same bits (`kernels::vector::scale`). Neither saturates: only -1.0 * -1.0 leaves Q15,
//! and wraps to -1.0.

use core::ops::Range;

use super::need;
use super::rescale::stage_shifted;
use crate::accelerator::Accelerator;
use crate::cost::Kernel;
use crate::error::KernelError;
use crate::shapes::SpectrumLayout;

/// Output elements in one work unit of an element-wise product (`plane == 1`).
pub const MULTIPLY_UNIT: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MultiplyParams {
    /// Elements of `a` and of the output.
    pub len: usize,
    /// Consecutive elements of `a` that one element of `b` multiplies: 1 when both have one shape, a
    /// channel's height x width when `b` holds one value per channel, `len` when it is one value.
    /// `b` holds `len / plane` elements.
    pub plane: usize,
}

impl MultiplyParams {
    /// Work units: pieces of [`MULTIPLY_UNIT`] elements, or one per element of `b` (a plane each).
    pub const fn units(&self) -> usize {
        if self.plane <= 1 { self.len.div_ceil(MULTIPLY_UNIT) } else { self.len / self.plane }
    }

    /// Elements of `b`.
    pub const fn gates(&self) -> usize {
        if self.plane <= 1 { self.len } else { self.len / self.plane }
    }
}

/// `out = floor(a * b / 2^15)` over the work units in `work`. `out` is neither operand, so a re-executed
/// unit gives the same bits. `lea` needs at least 6 elements for an element-wise product (it holds three
/// complex pieces) and 2 for a per-plane one; the longer, the fewer calls.
#[allow(clippy::too_many_arguments)]
pub fn multiply<A: Accelerator>(
    acc: &mut A,
    p: &MultiplyParams,
    a: &[i16],
    b: &[i16],
    out: &mut [i16],
    lea: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    need(Kernel::CmplxMpy, a.len(), p.len)?;
    need(Kernel::CmplxMpy, out.len(), p.len)?;
    need(Kernel::CmplxMpy, b.len(), p.gates())?;
    let units = work.start..work.end.min(p.units());
    if p.plane <= 1 {
        need(Kernel::CmplxMpy, lea.len(), 6)?;
        let range = units.start * MULTIPLY_UNIT..p.len.min(units.end * MULTIPLY_UNIT);
        elementwise(acc, &a[range.clone()], &b[range.clone()], &mut out[range], lea)
    } else {
        need(Kernel::Scale, lea.len(), 2)?;
        for gate in units {
            let plane = gate * p.plane..(gate + 1) * p.plane;
            scale_plane(acc, &a[plane.clone()], b[gate], &mut out[plane], lea)?;
        }
        Ok(())
    }
}

/// `out = a * b` element by element, in pieces of a third of `lea`: `a` and `b` as complex vectors with
/// zero imaginary parts, their complex product, and its real parts.
fn elementwise<A: Accelerator>(
    acc: &mut A,
    a: &[i16],
    b: &[i16],
    out: &mut [i16],
    lea: &mut [i16],
) -> Result<(), KernelError> {
    let piece = lea.len() / 6;
    let (x, rest) = lea.split_at_mut(2 * piece);
    let (y, product) = rest.split_at_mut(2 * piece);
    for start in (0..a.len()).step_by(piece) {
        let range = start..a.len().min(start + piece);
        let complex = 2 * range.len();
        acc.to_complex(&a[range.clone()], &mut x[..complex])?;
        acc.to_complex(&b[range.clone()], &mut y[..complex])?;
        acc.cmplx_mpy(SpectrumLayout::Complex, &x[..complex], &y[..complex], &mut product[..complex])?;
        acc.real_part(&product[..complex], &mut out[range])?;
    }
    Ok(())
}

/// `out = plane * gate`, staged through `lea` in pieces of even length (`stage_shifted`: an odd tail takes
/// one zeroed padding lane, never copied out).
fn scale_plane<A: Accelerator>(
    acc: &mut A,
    plane: &[i16],
    gate: i16,
    out: &mut [i16],
    lea: &mut [i16],
) -> Result<(), KernelError> {
    let piece = lea.len() / 2 * 2;
    for start in (0..plane.len()).step_by(piece) {
        let range = start..plane.len().min(start + piece);
        let even = stage_shifted(acc, &plane[range.clone()], lea, 0)?;
        acc.scale(&mut lea[..even], gate, 0)?;
        acc.copy(&lea[..range.len()], &mut out[range])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    use crate::SoftBackend;

    fn values(n: usize, seed: i64) -> Vec<i16> {
        let mut v: Vec<i16> = (0..n as i64).map(|i| ((i * 7919 + seed * 104_729) % 65536 - 32768) as i16).collect();
        // The extremes, -1.0 * -1.0 (which wraps) among them.
        v[0] = i16::MIN;
        if n > 1 {
            v[1] = i16::MAX;
        }
        v
    }

    /// `floor(a * b / 2^15)` wrapped to 16 bits, in i64.
    fn definition(a: i16, b: i16) -> i64 {
        let floor = (i64::from(a) * i64::from(b)).div_euclid(1 << 15);
        i64::from(floor as i16)
    }

    /// Against the definition for every piece length (odd tails included) and both forms: one `b` per
    /// element, and one per plane (odd planes, one plane for the whole tensor).
    #[test]
    fn equals_the_floored_product_of_every_element() {
        let len = 2 * MULTIPLY_UNIT + 37;
        let a = values(len, 1);
        for plane in [1, 7, 13, len] {
            let mut b = values(len / plane, 2);
            b[0] = i16::MIN;
            for scratch in [6, 7, 20, 64, 1000] {
                let p = MultiplyParams { len: len / plane * plane, plane };
                let mut out = std::vec![0; len];
                multiply(&mut SoftBackend, &p, &a, &b, &mut out, &mut std::vec![0; scratch], 0..p.units()).unwrap();
                for i in 0..p.len {
                    assert_eq!(i64::from(out[i]), definition(a[i], b[i / plane]), "element {i}, plane {plane}");
                }
            }
        }
    }

    /// Units computed separately, in any split, write what one call over all of them writes, and nothing
    /// outside them.
    #[test]
    fn units_split_anywhere_give_the_same_bits() {
        for plane in [1, 5] {
            let len = 3 * MULTIPLY_UNIT + 10;
            let p = MultiplyParams { len: len / plane * plane, plane };
            let (a, b) = (values(len, 3), values(len, 4));
            let mut whole = std::vec![0; len];
            multiply(&mut SoftBackend, &p, &a, &b, &mut whole, &mut std::vec![0; 48], 0..p.units()).unwrap();
            let mut split = std::vec![7; len];
            multiply(&mut SoftBackend, &p, &a, &b, &mut split, &mut std::vec![0; 48], 1..2).unwrap();
            let first = if plane == 1 { MULTIPLY_UNIT } else { plane };
            assert!(split[..first].iter().all(|&v| v == 7), "plane {plane}: unit 0 was not asked for");
            multiply(&mut SoftBackend, &p, &a, &b, &mut split, &mut std::vec![0; 48], 0..1).unwrap();
            multiply(&mut SoftBackend, &p, &a, &b, &mut split, &mut std::vec![0; 48], 2..p.units()).unwrap();
            assert_eq!(split[..p.len], whole[..p.len], "plane {plane}");
        }
    }
}
