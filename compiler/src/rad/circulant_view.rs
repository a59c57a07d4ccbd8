//! A layer's weight read as the matrix whose `b x b` blocks are circulant, padded to whole blocks.
//!
//! A dense layer's matrix is its own `outputs x inputs`. A convolution's is CirCNN's: `out x (positions *
//! in)` with the columns ordered kernel position first, channel second, so that at every kernel position
//! the `out x in` channel matrix is block-circulant. Channel counts that the block does not divide are
//! padded up to a multiple of it: the padded input channels are zero (they multiply nothing) and the padded
//! outputs are dropped, so the matrix entries there are free, and the nearest block-circulant matrix is
//! fitted to the real entries alone. (A 24-channel layer at block 16 is 32 x 32 channels, 4 defining
//! vectors per kernel position instead of 576 weights.) The weight itself stays in ONNX's
//! `out x in x kernel...` order everywhere else.

use crate::rad::quant::snr_db;

use super::circulant::EXACT_TOLERANCE;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatrixView {
    pub rows: usize,
    /// Input channels (a dense layer's inputs).
    pub channels: usize,
    /// Kernel positions (1 for a dense layer).
    pub positions: usize,
}

impl MatrixView {
    /// The view of a weight of this ONNX shape: `outputs x inputs`, or `out x in x kernel...`.
    pub fn of_shape(shape: &[usize]) -> Self {
        let positions = shape[2..].iter().product();
        MatrixView { rows: shape[0], channels: shape.get(1).copied().unwrap_or(1), positions }
    }

    /// Columns before padding: a dense layer's inputs, a convolution's positions x in channels.
    pub fn cols(&self) -> usize {
        self.channels * self.positions
    }

    /// Rows padded to whole blocks.
    pub fn padded_rows(&self, block: usize) -> usize {
        self.rows.next_multiple_of(block)
    }

    /// Input channels padded to whole blocks: a kernel position's share of a padded row.
    pub fn padded_channels(&self, block: usize) -> usize {
        self.channels.next_multiple_of(block)
    }

    pub fn padded_cols(&self, block: usize) -> usize {
        self.positions * self.padded_channels(block)
    }

    /// Defining vectors stored at `block`: `padded_rows/b x padded_cols/b` of `b` values.
    pub fn stored(&self, block: usize) -> usize {
        self.padded_rows(block) * self.padded_cols(block) / block
    }

    /// Whether `block` at least halves the weights: padding must not turn the structure into a mere
    /// relabelling (at 1 input channel and block 16 every padded diagonal holds one real weight).
    pub fn compresses(&self, block: usize) -> bool {
        block >= 2 && 2 * self.stored(block) <= self.rows * self.cols()
    }

    /// Where entry `at` of the weight (ONNX order) sits in the padded matrix: `(row, column)`.
    pub fn place(&self, at: usize, block: usize) -> (usize, usize) {
        let cols = self.cols();
        let (row, rest) = (at / cols, at % cols);
        let (channel, position) = (rest / self.positions, rest % self.positions);
        (row, position * self.padded_channels(block) + channel)
    }

    /// Index into the concatenated defining vectors (block-row-major) of the value entry `at` repeats.
    pub fn vector_entry(&self, at: usize, block: usize) -> usize {
        let (row, col) = self.place(at, block);
        let vector = (row / block) * (self.padded_cols(block) / block) + col / block;
        vector * block + (row % block + block - col % block) % block
    }

    /// The defining vectors of the block-circulant matrix nearest to `weight` on its real entries (each
    /// value the mean of the real entries that repeat it; 0 where there are none), block-row-major.
    pub fn project(&self, weight: &[f32], block: usize) -> Vec<Vec<f32>> {
        let mut sums = vec![0f64; self.stored(block)];
        let mut counts = vec![0u32; sums.len()];
        for (at, &w) in weight.iter().enumerate() {
            let entry = self.vector_entry(at, block);
            sums[entry] += f64::from(w);
            counts[entry] += 1;
        }
        let values: Vec<f32> =
            sums.iter().zip(&counts).map(|(&s, &n)| if n == 0 { 0.0 } else { (s / f64::from(n)) as f32 }).collect();
        values.chunks(block).map(<[f32]>::to_vec).collect()
    }

    /// The weight (ONNX order, real entries) the defining vectors give.
    pub fn expand(&self, vectors: &[Vec<f32>], block: usize) -> Vec<f32> {
        let flat = vectors.concat();
        (0..self.rows * self.cols()).map(|at| flat[self.vector_entry(at, block)]).collect()
    }

    /// The whole padded matrix (`padded_rows x padded_cols`, row-major) the defining vectors give.
    pub fn expand_padded(&self, vectors: &[Vec<f32>], block: usize) -> Vec<f32> {
        let (rows, cols) = (self.padded_rows(block), self.padded_cols(block));
        let block_cols = cols / block;
        let mut matrix = vec![0.0; rows * cols];
        for r in 0..rows {
            for c in 0..cols {
                let vector = &vectors[(r / block) * block_cols + c / block];
                matrix[r * cols + c] = vector[(r % block + block - c % block) % block];
            }
        }
        matrix
    }

    /// `weight` projected at `block` (ONNX order).
    pub fn projected(&self, weight: &[f32], block: usize) -> Vec<f32> {
        self.expand(&self.project(weight, block), block)
    }

    /// Whether `weight` is block-circulant at `block` within [`EXACT_TOLERANCE`] of its largest magnitude.
    pub fn is_circulant_at(&self, weight: &[f32], block: usize) -> bool {
        let scale = weight.iter().fold(0f32, |m, w| m.max(w.abs()));
        let tolerance = EXACT_TOLERANCE * scale.max(f32::MIN_POSITIVE);
        weight.iter().zip(self.projected(weight, block)).all(|(w, p)| (w - p).abs() <= tolerance)
    }

    /// The largest power-of-two block up to `largest` that halves the weights and at which `weight` is
    /// block-circulant, or `None`. Every candidate is tried, largest first: circulant at `b` does not
    /// imply circulant at `b / 2`.
    pub fn detect_block_size(&self, weight: &[f32], largest: usize) -> Option<usize> {
        let candidates: Vec<usize> = (1..usize::BITS).map(|p| 1usize << p).take_while(|&b| b <= largest).collect();
        candidates.into_iter().rev().filter(|&b| self.compresses(b)).find(|&b| self.is_circulant_at(weight, b))
    }

    /// How much of `weight` its projection at `block` keeps, in dB (infinite when exact).
    pub fn projection_snr_db(&self, weight: &[f32], block: usize) -> f64 {
        let exact: Vec<f64> = weight.iter().map(|&w| f64::from(w)).collect();
        let approx: Vec<f64> = self.projected(weight, block).iter().map(|&w| f64::from(w)).collect();
        snr_db(&exact, &approx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rad::circulant::{expand, project};

    fn pseudo_random(n: usize, seed: u64) -> Vec<f32> {
        let mut rng = crate::xorshift::XorShift::new(seed + 1);
        (0..n).map(|_| ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) as f32).collect()
    }

    /// A convolution whose channel matrix is block-circulant at every kernel position (built entry by entry
    /// from CirCNN's definition, `W[o][i][k] = v_k,IJ[(o - i) mod b]`) is block-circulant in its view; in
    /// ONNX's own column order (channel first) it is not.
    #[test]
    fn a_convolution_circulant_at_every_kernel_position_is_circulant_in_its_view() {
        let (out, inputs, positions, b) = (8, 4, 3, 4);
        let vectors = pseudo_random(positions * (out / b) * (inputs / b) * b, 11);
        let mut weight = vec![0.0; out * inputs * positions];
        for o in 0..out {
            for i in 0..inputs {
                for k in 0..positions {
                    let block = (k * (out / b) + o / b) * (inputs / b) + i / b;
                    weight[(o * inputs + i) * positions + k] = vectors[block * b + (o % b + b - i % b) % b];
                }
            }
        }
        let view = MatrixView::of_shape(&[out, inputs, 1, positions]);
        assert!(view.is_circulant_at(&weight, b));
        assert_eq!(view.detect_block_size(&weight, 8), Some(4));
        assert!(!crate::rad::circulant::is_circulant_at(&weight, out, inputs * positions, b));
    }

    /// Without padding the view of a dense layer projects exactly as `rad::circulant` does.
    #[test]
    fn an_unpadded_dense_view_is_the_plain_projection() {
        let w = pseudo_random(8 * 12, 3);
        let view = MatrixView::of_shape(&[8, 12]);
        let vectors = view.project(&w, 4);
        let plain = project(&w, 8, 12, 4);
        for (a, b) in vectors.iter().flatten().zip(plain.iter().flatten()) {
            assert!((a - b).abs() < 1e-6);
        }
        assert_eq!(view.expand(&vectors, 4), expand(&vectors, 8, 12, 4));
    }

    /// Padded channels (6 in, 10 out, 2 positions; at block 8 a 16 x 16 matrix) are free: the projection of
    /// a padded block-circulant weight gives it back, it is optimal on the real entries (no other
    /// circulant matrix is nearer on them), and a block that would not halve the weights is refused.
    #[test]
    fn padded_channels_are_fitted_on_the_real_entries_only() {
        let view = MatrixView::of_shape(&[10, 6, 1, 2]);
        let b = 8;
        assert_eq!((view.padded_rows(b), view.padded_cols(b), view.stored(b)), (16, 16, 32));
        assert!(view.compresses(b) && !view.compresses(32));
        let truth: Vec<Vec<f32>> = (0..4).map(|s| pseudo_random(b, s)).collect();
        let weight = view.expand(&truth, b);
        assert!(view.is_circulant_at(&weight, b));
        let noisy: Vec<f32> = weight.iter().zip(pseudo_random(weight.len(), 9)).map(|(w, n)| w + 0.3 * n).collect();
        let best = view.projected(&noisy, b);
        let distance = |m: &[f32]| -> f32 { noisy.iter().zip(m).map(|(a, b)| (a - b).powi(2)).sum() };
        for seed in 0..100 {
            let other: Vec<Vec<f32>> = (0..4).map(|s| pseudo_random(b, 100 * seed + s)).collect();
            assert!(distance(&best) <= distance(&view.expand(&other, b)) + 1e-5);
        }
        assert!(!view.is_circulant_at(&noisy, b));
        // The padded matrix holds the real weights where they sit.
        let padded = view.expand_padded(&truth, b);
        for (at, &w) in weight.iter().enumerate() {
            let (r, c) = view.place(at, b);
            assert_eq!(padded[r * 16 + c], w);
        }
    }

    /// An exactly circulant matrix keeps everything; iid weights keep only their share of the circulant
    /// directions, `1/b` of their energy: the SNR is `10 log10(b / (b - 1))`, within sampling noise.
    #[test]
    fn projection_snr_is_infinite_when_exact_and_near_zero_for_random_weights() {
        let vectors: Vec<Vec<f32>> = (0..4).map(|s| pseudo_random(8, s)).collect();
        let exact = expand(&vectors, 16, 16, 8);
        let view = MatrixView::of_shape(&[16, 16]);
        assert!(view.is_circulant_at(&exact, 8));
        assert_eq!(view.projection_snr_db(&exact, 8), f64::INFINITY);
        let random = pseudo_random(128 * 128, 7);
        let view = MatrixView::of_shape(&[128, 128]);
        assert!(!view.is_circulant_at(&random, 16));
        let expected = 10.0 * (16f64 / 15.0).log10();
        let snr = view.projection_snr_db(&random, 16);
        assert!((snr - expected).abs() < 0.05, "{snr} dB, expected {expected}");
    }
}
