//! The Z-step's projection: onto block-circulant form, then onto the Q15 grid at the layer's scale.
//!
//! The set projected onto is `{ expand(v) : every entry of v is k / 2^frac }`. Because entry `e` of a
//! defining vector appears `n_e` times among the real weights (`b` times without padding) and the
//! circulant matrices are a subspace, `||W - expand(v)||^2 = ||W - P(W)||^2 + sum_e n_e (v*_e - v_e)^2`
//! with `v* = project(W)`: rounding `v*` entry by entry is the exact Euclidean projection onto that set
//! (for the scale fixed by `v*`).

use crate::rad::calibrate::max_abs;
use crate::rad::circulant_view::MatrixView;
use crate::rad::quant::{dequantize, frac_bits_for, quantize_i16};

/// Rounds every value to the Q15 grid `acec build` uses for a weight tensor with this largest magnitude;
/// returns the frac bits with the values. Rounding never raises the largest magnitude past the grid's
/// range, so the format of the result is the same `frac` (the grid is stable under reprojection).
pub fn onto_q15_grid(values: &[f32]) -> (i32, Vec<f32>) {
    let frac = frac_bits_for(max_abs(values));
    (frac, values.iter().map(|&v| dequantize(quantize_i16(f64::from(v), frac), frac) as f32).collect())
}

/// Defining vectors of the block-circulant matrix with entries on the Q15 grid nearest to `weight` read
/// through `view` (a dense layer's matrix, or a convolution's channels at every kernel position, padded
/// to whole blocks and fitted on the real entries), block-row-major.
pub fn circulant_q15_vectors(view: &MatrixView, weight: &[f32], block: usize) -> Vec<Vec<f32>> {
    let flat: Vec<f32> = view.project(weight, block).concat();
    let (_, rounded) = onto_q15_grid(&flat);
    rounded.chunks(block).map(<[f32]>::to_vec).collect()
}

/// The same projection as the weight (its own order).
pub fn circulant_q15(view: &MatrixView, weight: &[f32], block: usize) -> Vec<f32> {
    view.expand(&circulant_q15_vectors(view, weight, block), block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rad::circulant::{detect_block_size, expand, project};
    use crate::xorshift::XorShift;

    fn values(n: usize, seed: u64, scale: f32) -> Vec<f32> {
        let mut rng = XorShift::new(seed);
        (0..n).map(|_| ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) as f32 * scale).collect()
    }

    fn distance(a: &[f32], b: &[f32]) -> f64 {
        a.iter().zip(b).map(|(x, y)| (f64::from(*x) - f64::from(*y)).powi(2)).sum()
    }

    #[test]
    fn projection_is_idempotent_and_exactly_circulant_on_the_grid() {
        let w = values(8 * 16, 3, 0.3);
        let once = circulant_q15(&MatrixView::of_shape(&[8, 16]), &w, 4);
        assert_eq!(circulant_q15(&MatrixView::of_shape(&[8, 16]), &once, 4), once);
        assert_eq!(detect_block_size(&once, 8, 16), Some(4));
        let (frac, on_grid) = onto_q15_grid(&once);
        assert_eq!(on_grid, once);
        for v in &once {
            let scaled = f64::from(*v) * 2f64.powi(frac);
            assert_eq!(scaled, scaled.round(), "{v} is not a multiple of 2^-{frac}");
        }
    }

    /// Brute force: on 2 x 2 blocks every other grid point near the answer (each vector entry moved by up to
    /// two grid steps, all 5^2 combinations per block) is at least as far from W in Frobenius norm.
    #[test]
    fn projection_is_optimal_against_brute_force_on_small_blocks() {
        for seed in 0..20 {
            let w = values(4 * 4, seed + 10, 0.8);
            let best_vectors = circulant_q15_vectors(&MatrixView::of_shape(&[4, 4]), &w, 2);
            let best = expand(&best_vectors, 4, 4, 2);
            let frac = frac_bits_for(max_abs(&best_vectors.concat()));
            let step = 2f32.powi(-frac);
            let best_distance = distance(&w, &best);
            // Perturb one block at a time (the distance separates over blocks).
            for block in 0..best_vectors.len() {
                for d0 in -2..=2 {
                    for d1 in -2..=2 {
                        let mut other = best_vectors.clone();
                        other[block][0] += d0 as f32 * step;
                        other[block][1] += d1 as f32 * step;
                        let candidate = expand(&other, 4, 4, 2);
                        assert!(distance(&w, &candidate) >= best_distance - 1e-12, "seed {seed} block {block}");
                    }
                }
            }
            // And against the exact f64 optimum of the unconstrained problem: the residual's squared norm is
            // that of the circulant projection plus b times the rounding error.
            let exact = project(&w, 4, 4, 2);
            let split: f64 =
                distance(&w, &expand(&exact, 4, 4, 2)) + 2.0 * distance(&exact.concat(), &best_vectors.concat());
            assert!((split - best_distance).abs() < 1e-9, "{split} vs {best_distance}");
        }
    }
}
