//! Test helpers: a deterministic PRNG and f64 reference transforms.
#![allow(dead_code)] // each test binary uses a subset

/// xorshift64*: tiny, deterministic, good enough to draw test vectors.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i32, hi: i32) -> i32 {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i32
    }

    pub fn vec_i16(&mut self, len: usize, lo: i16, hi: i16) -> Vec<i16> {
        (0..len).map(|_| self.range(lo as i32, hi as i32) as i16).collect()
    }
}

/// Unnormalised DFT of interleaved complex input: `X(k) = sum x(n) e^{-2 pi i k n / N}`.
pub fn dft(re: &[f64], im: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let n = re.len();
    let mut out = (vec![0.0; n], vec![0.0; n]);
    for k in 0..n {
        for t in 0..n {
            let angle = -2.0 * std::f64::consts::PI * ((k * t) % n) as f64 / n as f64;
            let (s, c) = angle.sin_cos();
            out.0[k] += re[t] * c - im[t] * s;
            out.1[k] += re[t] * s + im[t] * c;
        }
    }
    out
}

pub fn max_abs_diff(a: &[i16], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(&x, &y)| (x as f64 - y).abs()).fold(0.0, f64::max)
}

pub const FFT_LENGTHS: [usize; 6] = [16, 32, 64, 128, 256, 512];
