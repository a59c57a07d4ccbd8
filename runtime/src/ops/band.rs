//! Staging a band of input rows into LEA RAM for the convolutions that treat it as one long signal (FIR
//! bands, FFT blocks): rows `plane_width` apart, each shifted right by the left padding.

use crate::accelerator::Accelerator;
use crate::error::KernelError;

/// Where one input channel's rows go: the plane is `in_height x in_width`; staged rows are `plane_width`
/// apart (at least `pad_left + in_width`), each starting at `pad_left`.
pub(crate) struct RowLayout {
    pub in_height: usize,
    pub in_width: usize,
    pub plane_width: usize,
    pub pad_left: usize,
}

/// Stages input rows `first .. first + rows` of `plane` into `dst`; rows outside the plane are padding.
/// `dst` is zeroed first where padding or the gaps between rows need zeros, and always with `zero_rest`
/// (the caller reads `dst` past the staged rows).
pub(crate) fn stage_rows<A: Accelerator>(
    acc: &mut A,
    layout: &RowLayout,
    plane: &[i16],
    (first, rows): (isize, usize),
    dst: &mut [i16],
    zero_rest: bool,
) -> Result<(), KernelError> {
    let RowLayout { in_height, in_width, plane_width, pad_left } = *layout;
    let end = first + rows as isize;
    let (lo, hi) = (first.max(0), end.min(in_height as isize));
    // Rows already `plane_width` apart (no padding columns): the band is one contiguous copy.
    let contiguous = plane_width == in_width;
    if zero_rest || !contiguous || lo > first || hi < end {
        acc.fill(dst, 0)?;
    }
    if lo >= hi {
        return Ok(());
    }
    let (lo, hi) = (lo as usize, hi as usize);
    let at = (lo as isize - first) as usize * plane_width + pad_left;
    if contiguous {
        return acc.copy(&plane[lo * in_width..hi * in_width], &mut dst[at..at + (hi - lo) * in_width]);
    }
    for (j, iy) in (lo..hi).enumerate() {
        let to = at + j * plane_width;
        acc.copy(&plane[iy * in_width..][..in_width], &mut dst[to..to + in_width])?;
    }
    Ok(())
}
