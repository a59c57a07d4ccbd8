//! A backend that models the LEA's undocumented rounding as noise: [`SoftBackend`] with every value the LEA
//! rounds moved by a seeded pseudo-random integer in `[-K, K]` LSB (uniform), so `acec verify --lsb-jitter K`
//! can say how much accuracy a compiled model keeps if the device rounds differently from TI's C source.
//!
//! What is perturbed, and why:
//! - **Every value after each stage of `msp_cmplx_fft_fixed_q15`** (through
//!   [`fft_fixed::cmplx_fft_fixed_staged`]) and **after `msp_split_q15`**: each stage rounds (the butterfly's
//!   halving, the twiddle product) on the LEA in a way TI does not document bit for bit. The four transforms
//!   are [`fft::rfft`], [`fft::irfft`], [`fft::cfft`] and [`fft::cifft`] run with these steps, so their CPU
//!   steps (input clamps, conjugations, the Nyquist bin) stay exact, as on the device.
//! - **Every output element of the LEA's product kernels**: `cmplx_mpy` (Q15), `fir` (Q15) and the `mac`
//!   result. `mac` returns Q31, so its LSB is 2^-16 of a Q15 LSB: the LEA forms exact products and the only
//!   freedom is in the accumulator's last bits, which is what K LSB of Q31 models.
//! - **Not perturbed**: `add`, `offset`, `shift`, `copy`, `fill`, `max` run on the LEA but are exact on any
//!   sane datapath (a sum that saturates or wraps as documented, a shift, a move, a comparison), and so is
//!   `cmplx_mac`, which the DSPLib backend runs on the CPU. The CPU kernels (`scale`, `requantize`, pooling,
//!   `relu`, `argmax`, `softmax`, the interleaves) are our own code on the CPU: exact.
//!
//! Perturbed values saturate (to `i16`, and to `i32` for `mac`) rather than wrap: noise that wrapped would
//! flip a sign, which no rounding difference does. For K beyond the transforms' headroom (about 90 LSB of
//! modulus over all stages, [`fft`]) a perturbed stage can still overflow the next butterfly, which then
//! wraps as TI's C code does; `--lsb-jitter` stops at 64.
//!
//! The same seed gives the same bits: one generator per backend, drawn in call order (the program's order
//! is fixed). [`JitterBackend::for_sample`] derives a generator per sample from the seed and the sample's
//! index, so a sample's noise does not depend on how many samples ran before it (`--limit`).
//!
//! Why here and not in `acec-runtime`: it is a host-only verification device that no generated crate may
//! ever link, it needs a random generator (the compiler's [`XorShift`]), and the runtime already exposes all
//! it composes (the `FftSteps` trait, the staged FFT, the split, the soft kernels).

use acec_runtime::kernels::fft::{self, FftSteps};
use acec_runtime::kernels::{fft_fixed, split};
use acec_runtime::{Accelerator, Far, KernelError, LookupShape, PermuteShape, PoolShape, SoftBackend, SpectrumLayout};

use crate::xorshift::XorShift;

/// The largest amplitude `--lsb-jitter` accepts: past it, the noise is no longer a rounding difference.
pub const MAX_LSB: u8 = 64;

/// A jitter amplitude outside `0..=MAX_LSB`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{given}' is not an amplitude: expected an integer K in 0..={MAX_LSB} (LSB of rounding noise per value; \
     1 or 2 model a device that rounds differently from TI's C source)"
)]
pub struct BadAmplitude {
    pub given: String,
}

/// A validated jitter amplitude K, in LSB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amplitude(u8);

impl Amplitude {
    pub fn new(lsb: i64) -> Result<Self, BadAmplitude> {
        u8::try_from(lsb)
            .ok()
            .filter(|&k| k <= MAX_LSB)
            .map(Amplitude)
            .ok_or_else(|| BadAmplitude { given: lsb.to_string() })
    }

    /// Parses a command-line value (`clap`'s value parser).
    pub fn parse(text: &str) -> Result<Self, BadAmplitude> {
        let lsb = text.trim().parse::<i64>().map_err(|_| BadAmplitude { given: text.to_string() })?;
        Amplitude::new(lsb).map_err(|_| BadAmplitude { given: text.to_string() })
    }

    pub fn lsb(self) -> u8 {
        self.0
    }
}

/// A jittered run: amplitude K and seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jitter {
    pub amplitude: Amplitude,
    pub seed: u64,
}

/// The noise source: uniform integers in `[-K, K]`, added with saturation.
struct Noise {
    lsb: i64,
    rng: XorShift,
}

impl Noise {
    fn draw(&mut self) -> i64 {
        // 2K + 1 <= 129 values from the generator's high word: the modulo bias is below 2^-24.
        (self.rng.next_u64() >> 32) as i64 % (2 * self.lsb + 1) - self.lsb
    }

    fn perturb(&mut self, data: &mut [i16]) {
        if self.lsb == 0 {
            return;
        }
        for x in data.iter_mut() {
            *x = (i64::from(*x) + self.draw()).clamp(i64::from(i16::MIN), i64::from(i16::MAX)) as i16;
        }
    }

    fn perturb_i32(&mut self, x: i32) -> i32 {
        if self.lsb == 0 {
            return x;
        }
        (i64::from(x) + self.draw()).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
    }
}

/// TI's two FFT functions as the soft backend computes them, each stage's output perturbed.
struct JitterSteps<'a>(&'a mut Noise);

impl FftSteps for JitterSteps<'_> {
    fn cmplx_fft_fixed(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft_fixed::cmplx_fft_fixed_staged(data, |stage| self.0.perturb(stage));
        Ok(())
    }

    fn split(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        split::split(data);
        self.0.perturb(data);
        Ok(())
    }
}

/// [`SoftBackend`] with K LSB of seeded noise on every value the LEA rounds (see the module docs).
pub struct JitterBackend {
    noise: Noise,
}

impl JitterBackend {
    pub fn new(amplitude: Amplitude, seed: u64) -> Self {
        JitterBackend { noise: Noise { lsb: i64::from(amplitude.lsb()), rng: XorShift::new(seed) } }
    }

    /// The backend for sample `index` of a run seeded with `seed`: its own generator, so each sample's noise
    /// is fixed by (seed, index) alone.
    pub fn for_sample(amplitude: Amplitude, seed: u64, index: usize) -> Self {
        JitterBackend::new(amplitude, XorShift::new(seed).next_u64() ^ index as u64)
    }

    fn steps(&mut self) -> JitterSteps<'_> {
        JitterSteps(&mut self.noise)
    }
}

impl Accelerator for JitterBackend {
    fn rfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::rfft(&mut self.steps(), data)
    }

    fn irfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::irfft(&mut self.steps(), data)
    }

    fn cfft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::cfft(&mut self.steps(), data)
    }

    fn cifft(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        fft::cifft(&mut self.steps(), data)
    }

    fn cmplx_mpy(&mut self, layout: SpectrumLayout, a: &[i16], b: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.cmplx_mpy(layout, a, b, dst)?;
        self.noise.perturb(dst);
        Ok(())
    }

    fn cmplx_mac(&mut self, layout: SpectrumLayout, a: &[i16], b: &[i16], acc: &mut [i32]) -> Result<(), KernelError> {
        SoftBackend.cmplx_mac(layout, a, b, acc)
    }

    fn mac(&mut self, a: &[i16], b: &[i16]) -> Result<i32, KernelError> {
        Ok(self.noise.perturb_i32(SoftBackend.mac(a, b)?))
    }

    fn fir(&mut self, src: &[i16], coeffs: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.fir(src, coeffs, dst)?;
        self.noise.perturb(dst);
        Ok(())
    }

    fn add(&mut self, src: &[i16], acc: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.add(src, acc)
    }

    fn shift(&mut self, data: &mut [i16], shift: i8) -> Result<(), KernelError> {
        SoftBackend.shift(data, shift)
    }

    fn scale(&mut self, data: &mut [i16], scale: i16, shift: u8) -> Result<(), KernelError> {
        SoftBackend.scale(data, scale, shift)
    }

    fn offset(&mut self, data: &mut [i16], offset: i16) -> Result<(), KernelError> {
        SoftBackend.offset(data, offset)
    }

    fn fill(&mut self, dst: &mut [i16], value: i16) -> Result<(), KernelError> {
        SoftBackend.fill(dst, value)
    }

    fn max(&mut self, src: &[i16]) -> Result<(i16, usize), KernelError> {
        SoftBackend.max(src)
    }

    fn relu(&mut self, data: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.relu(data)
    }

    fn max_pool(&mut self, src: &[i16], shape: &PoolShape, floor: i16, dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.max_pool(src, shape, floor, dst)
    }

    fn avg_pool(&mut self, src: &[i16], shape: &PoolShape, dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.avg_pool(src, shape, dst)
    }

    fn requantize(&mut self, src: &[i32], shift: u8, dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.requantize(src, shift, dst)
    }

    fn argmax(&mut self, src: &[i16]) -> Result<usize, KernelError> {
        SoftBackend.argmax(src)
    }

    fn copy(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.copy(src, dst)
    }

    fn to_complex(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.to_complex(src, dst)
    }

    fn real_part(&mut self, src: &[i16], dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.real_part(src, dst)
    }

    fn softmax(&mut self, src: &[i16], frac: i8, dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.softmax(src, frac, dst)
    }
    fn far_copy(&mut self, src: &Far<'_>, dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.far_copy(src, dst)
    }

    fn lookup(&mut self, src: &[i16], table: &[i16], shape: LookupShape, dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.lookup(src, table, shape, dst)
    }

    fn permute(&mut self, src: &[i16], shape: &PermuteShape, first: usize, dst: &mut [i16]) -> Result<(), KernelError> {
        SoftBackend.permute(src, shape, first, dst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(len: usize) -> Vec<i16> {
        let mut rng = XorShift::new(7);
        (0..len).map(|_| (rng.next_u64() >> 48) as i16 / 4).collect()
    }

    type Transform<A> = fn(&mut A, &mut [i16]) -> Result<(), KernelError>;

    /// Runs every perturbed kernel once on `backend`, returning all outputs concatenated.
    fn kernels<A: Accelerator>(backend: &mut A) -> Vec<i32> {
        let x = signal(256);
        let mut out = Vec::new();
        let transforms: [Transform<A>; 4] = [A::rfft, A::irfft, A::cfft, A::cifft];
        for transform in transforms {
            let mut data = x.clone();
            transform(backend, &mut data).unwrap();
            out.extend(data.iter().map(|&v| i32::from(v)));
        }
        let mut product = vec![0; 64];
        backend.cmplx_mpy(SpectrumLayout::RealPacked, &x[..64], &x[64..128], &mut product).unwrap();
        let mut filtered = vec![0; 60];
        backend.fir(&x[..63], &x[100..104], &mut filtered).unwrap();
        out.extend(product.iter().chain(&filtered).map(|&v| i32::from(v)));
        out.push(backend.mac(&x[..128], &x[128..]).unwrap());
        out
    }

    #[test]
    fn amplitudes_outside_0_to_64_are_refused() {
        assert_eq!(Amplitude::parse("0").unwrap().lsb(), 0);
        assert_eq!(Amplitude::parse("64").unwrap().lsb(), 64);
        for bad in ["-1", "65", "1.5", "two", ""] {
            assert!(Amplitude::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn no_jitter_is_the_soft_backend_bit_for_bit() {
        let zero = Amplitude::new(0).unwrap();
        assert_eq!(kernels(&mut JitterBackend::new(zero, 1)), kernels(&mut SoftBackend));
    }

    #[test]
    fn jitter_changes_bits_by_at_most_k_per_kernel_output_and_repeats_per_seed() {
        let two = Amplitude::new(2).unwrap();
        let exact = kernels(&mut SoftBackend);
        let a = kernels(&mut JitterBackend::new(two, 1));
        assert_eq!(a, kernels(&mut JitterBackend::new(two, 1)));
        assert_ne!(a, exact);
        assert_ne!(a, kernels(&mut JitterBackend::new(two, 2)));
        // Products are perturbed once, after the exact kernel: within K of it.
        let products = 4 * 256..4 * 256 + 64 + 60;
        assert!(a[products.clone()].iter().zip(&exact[products]).all(|(x, y)| (x - y).abs() <= 2));
    }

    #[test]
    fn exact_kernels_stay_exact() {
        let mut jitter = JitterBackend::new(Amplitude::new(64).unwrap(), 3);
        let x = signal(64);
        let (mut a, mut b) = (x.clone(), x.clone());
        jitter.add(&x, &mut a).unwrap();
        SoftBackend.add(&x, &mut b).unwrap();
        jitter.shift(&mut a, -3).unwrap();
        SoftBackend.shift(&mut b, -3).unwrap();
        let mut wide = vec![1i32 << 20; 64];
        jitter.cmplx_mac(SpectrumLayout::Complex, &x, &x, &mut wide).unwrap();
        let mut wide_soft = vec![1i32 << 20; 64];
        SoftBackend.cmplx_mac(SpectrumLayout::Complex, &x, &x, &mut wide_soft).unwrap();
        assert_eq!((a, wide), (b, wide_soft));
    }

    #[test]
    fn perturbed_values_saturate() {
        let mut noise = Noise { lsb: 64, rng: XorShift::new(5) };
        let mut data = vec![i16::MAX; 64];
        data.extend(vec![i16::MIN; 64]);
        noise.perturb(&mut data);
        assert!(data[..64].iter().all(|&v| v > i16::MAX - 65));
        assert!(data[64..].iter().all(|&v| v < i16::MIN + 65));
        assert!((0..64).all(|_| noise.perturb_i32(i32::MAX) > i32::MAX - 65));
    }
}
