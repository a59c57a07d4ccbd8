//! The shapes kernel calls take besides their slices: how a spectrum is laid out, a pooling window, where a
//! lookup table sits. Plain data, imported by the kernels, the cost model and the accelerator interface
//! alike (so none of them imports another for a shape).

/// How a spectrum buffer is laid out, for the element-wise spectrum kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpectrumLayout {
    /// Every (re, im) pair is one complex value: the output of [`Accelerator::cfft`](crate::Accelerator::cfft).
    Complex,
    /// The output of [`Accelerator::rfft`](crate::Accelerator::rfft): pair 0 holds two real values, the DC bin and the Nyquist bin, and
    /// pairs 1.. hold bins 1..N/2-1. Pair 0 is multiplied component-wise (DC*DC, Nyq*Nyq), the rest as complex
    /// values, so a product of two packed spectra is the packed spectrum of the circular convolution.
    RealPacked,
    /// Consecutive [`SpectrumLayout::RealPacked`] spectra of this many values each (even, dividing the
    /// length): pair 0 of every block holds its DC and Nyquist bins. One call multiplies them all, where
    /// `RealPacked` would take a call per spectrum (each DSPLib call costs hundreds of cycles).
    RealPackedBlocks(usize),
}

impl SpectrumLayout {
    /// Whether complex pair `pair` holds two real bins (DC, Nyquist) rather than one complex value.
    pub const fn is_packed_pair(self, pair: usize) -> bool {
        match self {
            SpectrumLayout::Complex => false,
            SpectrumLayout::RealPacked => pair == 0,
            SpectrumLayout::RealPackedBlocks(block) => block > 0 && (2 * pair).is_multiple_of(block),
        }
    }
}

/// A 2-D pooling window over a CHW tensor (channels, height, width; row-major, width fastest).
///
/// Valid padding: output height = `(height - window_h) / stride_h + 1`, output width likewise. 1-D pooling
/// is `height = window_h = stride_h = 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PoolShape {
    pub channels: usize,
    pub height: usize,
    pub width: usize,
    pub window_h: usize,
    pub window_w: usize,
    pub stride_h: usize,
    pub stride_w: usize,
}

impl PoolShape {
    /// Output height, or `None` if the window or stride is empty or taller than the input.
    pub const fn out_height(&self) -> Option<usize> {
        out_extent(self.height, self.window_h, self.stride_h)
    }

    /// Output width, or `None` if the window or stride is empty or wider than the input.
    pub const fn out_width(&self) -> Option<usize> {
        out_extent(self.width, self.window_w, self.stride_w)
    }

    /// Elements of the input tensor.
    pub const fn input_len(&self) -> usize {
        self.channels * self.height * self.width
    }

    /// Elements of the output tensor, or `None` if the shape is invalid.
    pub const fn output_len(&self) -> Option<usize> {
        match (self.out_height(), self.out_width()) {
            (Some(h), Some(w)) => Some(self.channels * h * w),
            _ => None,
        }
    }
}

/// Where a [`Accelerator::lookup`](crate::Accelerator::lookup) table sits on the input axis: entry `k` holds the function at input
/// `base + k * 2^step_log2` (raw `i16` units of the input's Q format).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LookupShape {
    pub base: i16,
    /// log2 of the input spacing between entries, 0..=15.
    pub step_log2: u8,
}

/// `(input - window) / stride + 1`. Strides 1 and 2 (nearly every pooling layer) take no division: the
/// MSP430 divides in a library loop of hundreds of cycles, and the pooling kernels ask this on every call.
const fn out_extent(input: usize, window: usize, stride: usize) -> Option<usize> {
    if window == 0 || stride == 0 || window > input {
        return None;
    }
    let span = input - window;
    Some(
        match stride {
            1 => span,
            2 => span >> 1,
            _ => span / stride,
        } + 1,
    )
}

/// A gather for [`Accelerator::permute`](crate::Accelerator::permute): output element `(a, b, c, d)` of
/// `dims` (row-major) is input element `a * strides[0] + b * strides[1] + c * strides[2] + d * strides[3]`.
/// A transpose of up to four axes longer than 1; leading axes of extent 1 pad it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PermuteShape {
    pub dims: [usize; 4],
    pub strides: [usize; 4],
}
