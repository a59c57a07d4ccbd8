//! A tiny deterministic generator (xorshift64) for simulation junk, pseudo-random inputs and failure points:
//! reproducible from a seed, no dependency.

pub struct XorShift(u64);

impl XorShift {
    /// Any seed works, and different seeds give different sequences: the seed is mixed (splitmix64's
    /// finalizer, a bijection) before use, and a zero state, which xorshift cannot leave, is nudged.
    pub fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        XorShift(if z == 0 { 1 } else { z })
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::XorShift;

    #[test]
    fn different_seeds_give_different_sequences() {
        let firsts: Vec<u64> = (0..64).map(|seed| XorShift::new(seed).next_u64()).collect();
        let mut unique = firsts.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), firsts.len());
    }
}
