//! Moving between real vectors and interleaved complex ones, on the CPU. DSPLib has no LEA command for
//! either, so code that feeds real data to the complex FFT (the published circulant implementation does)
//! pays a CPU loop each way; these kernels make that loop visible to the cost meter.

use super::check;
use crate::cost::Kernel;
use crate::error::KernelError;

/// `dst[2k] = src[k]`, `dst[2k + 1] = 0`: a real vector as complex points with zero imaginary parts.
/// `dst.len() == 2 * src.len()`, any length.
pub fn to_complex(src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
    check::same_len(Kernel::ToComplex, 2 * src.len(), dst.len())?;
    for (pair, &x) in dst.chunks_exact_mut(2).zip(src) {
        pair[0] = x;
        pair[1] = 0;
    }
    Ok(())
}

/// `dst[k] = src[2k]`: the real parts of interleaved complex points. `src.len() == 2 * dst.len()`, any
/// length.
pub fn real_part(src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
    check::same_len(Kernel::RealPart, 2 * dst.len(), src.len())?;
    for (x, pair) in dst.iter_mut().zip(src.chunks_exact(2)) {
        *x = pair[0];
    }
    Ok(())
}
