//! The measured cases: kernel id (index in `acec_runtime::Kernel::ALL`), the length argument, and the
//! extra shape numbers some kernels need. `run.sh` prints them in this order, so keep `CASE_LIST` in
//! `run.sh` identical.

pub const RFFT: u8 = 0;
pub const IRFFT: u8 = 1;
pub const CFFT: u8 = 2;
pub const CIFFT: u8 = 3;
pub const CMPLX_MPY: u8 = 4;
pub const CMPLX_MAC: u8 = 5;
pub const MAC: u8 = 6;
pub const FIR: u8 = 7;
pub const ADD: u8 = 8;
pub const SHIFT: u8 = 9;
pub const SCALE: u8 = 10;
pub const OFFSET: u8 = 11;
pub const FILL: u8 = 12;
pub const MAX: u8 = 13;
pub const RELU: u8 = 14;
pub const MAX_POOL: u8 = 15;
pub const AVG_POOL: u8 = 16;
pub const REQUANTIZE: u8 = 17;
pub const ARGMAX: u8 = 18;
pub const COPY: u8 = 19;
// 20 is `far_copy`: a DMA transfer, which the simulator does not model (not measured here).
pub const TO_COMPLEX: u8 = 21;
pub const REAL_PART: u8 = 22;
pub const SOFTMAX: u8 = 23;
pub const LOOKUP: u8 = 24;
pub const PERMUTE: u8 = 25;

/// One measurement: `n` is the slice length argument (real points, complex points, FIR outputs, pooling
/// input elements); `taps` is FIR taps or the pooling input side; `window` the pooling window (= stride;
/// 2x2 for every pooling case, the common CNN window: the fit is for that window).
pub struct Case {
    pub kernel: u8,
    pub n: u16,
    pub taps: u16,
    pub window: u16,
}

const fn case(kernel: u8, n: u16) -> Case {
    Case { kernel, n, taps: 0, window: 0 }
}

pub static CASES: [Case; 77] = [
    case(RFFT, 64),
    case(RFFT, 128),
    case(RFFT, 256),
    case(RFFT, 512),
    case(IRFFT, 64),
    case(IRFFT, 128),
    case(IRFFT, 256),
    case(IRFFT, 512),
    case(CFFT, 32),
    case(CFFT, 64),
    case(CFFT, 128),
    case(CFFT, 256),
    case(CIFFT, 32),
    case(CIFFT, 64),
    case(CIFFT, 128),
    case(CIFFT, 256),
    case(CMPLX_MPY, 32),
    case(CMPLX_MPY, 128),
    case(CMPLX_MPY, 256),
    case(CMPLX_MAC, 32),
    case(CMPLX_MAC, 128),
    case(CMPLX_MAC, 256),
    case(MAC, 32),
    case(MAC, 128),
    case(MAC, 512),
    Case { kernel: FIR, n: 16, taps: 8, window: 0 },
    Case { kernel: FIR, n: 32, taps: 16, window: 0 },
    Case { kernel: FIR, n: 64, taps: 32, window: 0 },
    case(ADD, 32),
    case(ADD, 128),
    case(ADD, 512),
    case(SHIFT, 32),
    case(SHIFT, 128),
    case(SHIFT, 512),
    case(SCALE, 32),
    case(SCALE, 128),
    case(SCALE, 512),
    case(OFFSET, 32),
    case(OFFSET, 128),
    case(OFFSET, 512),
    case(FILL, 32),
    case(FILL, 128),
    case(FILL, 512),
    case(MAX, 32),
    case(MAX, 128),
    case(MAX, 512),
    case(RELU, 32),
    case(RELU, 128),
    case(RELU, 512),
    Case { kernel: MAX_POOL, n: 64, taps: 8, window: 2 },
    Case { kernel: MAX_POOL, n: 256, taps: 16, window: 2 },
    Case { kernel: MAX_POOL, n: 512, taps: 16, window: 2 },
    Case { kernel: AVG_POOL, n: 64, taps: 8, window: 2 },
    Case { kernel: AVG_POOL, n: 256, taps: 16, window: 2 },
    Case { kernel: AVG_POOL, n: 512, taps: 16, window: 2 },
    case(REQUANTIZE, 32),
    case(REQUANTIZE, 128),
    case(REQUANTIZE, 512),
    case(ARGMAX, 32),
    case(ARGMAX, 512),
    case(COPY, 32),
    case(COPY, 512),
    case(TO_COMPLEX, 32),
    case(TO_COMPLEX, 128),
    case(TO_COMPLEX, 256),
    case(REAL_PART, 32),
    case(REAL_PART, 128),
    case(REAL_PART, 256),
    case(SOFTMAX, 10),
    case(SOFTMAX, 32),
    case(SOFTMAX, 100),
    case(LOOKUP, 32),
    case(LOOKUP, 128),
    case(LOOKUP, 512),
    case(PERMUTE, 48),
    case(PERMUTE, 192),
    case(PERMUTE, 480),
];
