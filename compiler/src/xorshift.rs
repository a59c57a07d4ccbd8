//! A tiny deterministic generator (xorshift64) for simulation junk, pseudo-random inputs and failure points:
//! reproducible from a seed, no dependency.

pub struct XorShift(u64);

impl XorShift {
    /// Any seed works (zero, which xorshift cannot leave, is nudged).
    pub fn new(seed: u64) -> Self {
        XorShift(seed | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
