//! `y = x * scale_c + offset_c` per channel (a BatchNorm or constant arithmetic that could not be folded
//! into the layer before it).

use core::ops::Range;

use super::need;
use crate::accelerator::Accelerator;
use crate::cost::Kernel;
use crate::error::KernelError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChannelAffineParams {
    pub channels: usize,
    /// Elements per channel.
    pub plane: usize,
    /// `msp_scale_q15`'s shift: the product is `x * scale / 2^(15 - shift)`.
    pub shift: u8,
}

/// Applies the affine map in place to every channel when `work` holds unit 0, to none otherwise: the call is
/// one work unit, as the compiler's FLEX tasks count it (a step copies its whole input before working in
/// place, so it cannot be split by channel). `lea` needs `plane` rounded up to even.
pub fn channel_affine<A: Accelerator>(
    acc: &mut A,
    p: &ChannelAffineParams,
    scales: &[i16],
    offsets: &[i16],
    data: &mut [i16],
    lea: &mut [i16],
    work: Range<usize>,
) -> Result<(), KernelError> {
    let even = p.plane.div_ceil(2) * 2;
    need(Kernel::Scale, lea.len(), even)?;
    need(Kernel::Scale, scales.len(), p.channels)?;
    need(Kernel::Offset, offsets.len(), p.channels)?;
    need(Kernel::Scale, data.len(), p.channels * p.plane)?;
    let buf = &mut lea[..even];
    let channels = if work.contains(&0) { p.channels } else { 0 };
    for c in 0..channels {
        let plane = &mut data[c * p.plane..(c + 1) * p.plane];
        if even > p.plane {
            buf[p.plane] = 0;
        }
        acc.copy(plane, &mut buf[..p.plane])?;
        acc.scale(buf, scales[c], p.shift)?;
        acc.offset(buf, offsets[c])?;
        acc.copy(&buf[..p.plane], plane)?;
    }
    Ok(())
}
