//! Block-circulant matrices: Euclidean projection and detection.
//!
//! Convention (shared with the fixture scripts and every later stage): a `rows x cols` matrix is cut into
//! `b x b` blocks; block `(I, J)` is defined by one vector `v` of length `b` with
//! `W[I*b + r][J*b + c] = v[(r - c) mod b]`. The transpose of a circulant block is circulant too, so the
//! orientation of the weight (outputs x inputs or the reverse) does not change the answer.

/// The defining vectors of the nearest block-circulant matrix in Frobenius norm: for each block, the mean
/// along each wrapped diagonal. Returned block-row-major (`rows/b x cols/b` vectors of length `b`).
///
/// The caller guarantees `b` divides both `rows` and `cols`.
pub fn project(weight: &[f32], rows: usize, cols: usize, b: usize) -> Vec<Vec<f32>> {
    let mut vectors = Vec::with_capacity((rows / b) * (cols / b));
    for block_row in 0..rows / b {
        for block_col in 0..cols / b {
            let vector = (0..b)
                .map(|d| {
                    let sum: f64 = (0..b)
                        .map(|r| f64::from(weight[(block_row * b + r) * cols + block_col * b + (r + b - d) % b]))
                        .sum();
                    (sum / b as f64) as f32
                })
                .collect();
            vectors.push(vector);
        }
    }
    vectors
}

/// Expands defining vectors (as [`project`] returns them) back into a dense `rows x cols` matrix.
pub fn expand(vectors: &[Vec<f32>], rows: usize, cols: usize, b: usize) -> Vec<f32> {
    let mut weight = vec![0.0; rows * cols];
    for (index, vector) in vectors.iter().enumerate() {
        let (block_row, block_col) = (index / (cols / b), index % (cols / b));
        for r in 0..b {
            for c in 0..b {
                weight[(block_row * b + r) * cols + block_col * b + c] = vector[(r + b - c) % b];
            }
        }
    }
    weight
}

/// Relative tolerance below which a matrix counts as exactly block-circulant (float export noise).
pub const EXACT_TOLERANCE: f32 = 1e-6;

/// The largest power-of-two block size `b >= 2` (dividing both dimensions) at which `weight` is
/// block-circulant within [`EXACT_TOLERANCE`] of its largest magnitude, or `None`.
///
/// Every candidate is tried, largest first: circulant at `b` does not imply circulant at `b / 2`.
pub fn detect_block_size(weight: &[f32], rows: usize, cols: usize) -> Option<usize> {
    let largest = rows.min(cols);
    let candidates = (1..usize::BITS).map(|p| 1usize << p).take_while(|&b| b <= largest);
    let mut fitting: Vec<usize> = candidates.filter(|b| rows.is_multiple_of(*b) && cols.is_multiple_of(*b)).collect();
    fitting.reverse();
    fitting.into_iter().find(|&b| is_circulant_at(weight, rows, cols, b))
}

/// Whether `weight` is block-circulant at `b` within [`EXACT_TOLERANCE`] of its largest magnitude: its
/// projection loses nothing. The caller guarantees `b` divides both dimensions.
pub fn is_circulant_at(weight: &[f32], rows: usize, cols: usize, b: usize) -> bool {
    let scale = weight.iter().fold(0f32, |m, w| m.max(w.abs()));
    let tolerance = EXACT_TOLERANCE * scale.max(f32::MIN_POSITIVE);
    let projected = expand(&project(weight, rows, cols, b), rows, cols, b);
    weight.iter().zip(&projected).all(|(w, p)| (w - p).abs() <= tolerance)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the tests need no extra crate.
    fn pseudo_random(n: usize, seed: u64) -> Vec<f32> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((state >> 33) as f32 / (1u64 << 31) as f32) * 2.0 - 1.0
            })
            .collect()
    }

    #[test]
    fn projection_is_idempotent() {
        let w = pseudo_random(8 * 12, 1);
        let once = expand(&project(&w, 8, 12, 4), 8, 12, 4);
        let twice = expand(&project(&once, 8, 12, 4), 8, 12, 4);
        for (a, b) in once.iter().zip(&twice) {
            assert!((a - b).abs() < 1e-6);
        }
    }

    #[test]
    fn projection_is_the_nearest_circulant_matrix() {
        // Optimality: the residual is orthogonal to every circulant direction, so any other circulant matrix
        // (here: random defining vectors) is at least as far from W as the projection.
        let w = pseudo_random(4 * 4, 7);
        let best = expand(&project(&w, 4, 4, 4), 4, 4, 4);
        let distance = |m: &[f32]| -> f32 { w.iter().zip(m).map(|(a, b)| (a - b).powi(2)).sum() };
        for seed in 0..200 {
            let other = expand(&[pseudo_random(4, seed + 100)], 4, 4, 4);
            assert!(distance(&best) <= distance(&other) + 1e-6);
        }
    }

    #[test]
    fn detects_the_largest_exact_block() {
        let vectors: Vec<Vec<f32>> = (0..4).map(|s| pseudo_random(8, s)).collect();
        let w = expand(&vectors, 16, 16, 8);
        assert_eq!(detect_block_size(&w, 16, 16), Some(8));
        assert_eq!(detect_block_size(&pseudo_random(16 * 16, 3), 16, 16), None);
    }

    #[test]
    fn dimensions_not_divisible_by_two_have_no_block() {
        assert_eq!(detect_block_size(&pseudo_random(30, 2), 10, 3), None);
    }
}
