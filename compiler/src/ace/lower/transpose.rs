//! A layout Transpose of a computed tensor that no pass folded away (the one before a Dense layer folds into
//! its weights): a gather on the CPU, each output element read from its place in the input. An NHWC model's
//! input Transpose (tf2onnx's `Transpose[0,3,1,2]`) is the usual one: the crate then takes the model's own
//! NHWC input, and the first step lays it out as the convolutions read it.

use acec_runtime::PermuteShape;
use acec_runtime::ops::PermuteParams;

use super::super::error::LowerError;
use super::super::program::{Call, Step};
use super::LayerCtx;

/// The gather for `perm` over `dims`: output axis `k` is input axis `perm[k]`, so it steps through the
/// input by that axis's stride. Axes of extent 1 take no part; `None` when more than four remain.
pub fn permute_shape(dims: &[usize], perm: &[usize]) -> Option<PermuteShape> {
    let mut in_strides = vec![1; dims.len()];
    for axis in (0..dims.len().saturating_sub(1)).rev() {
        in_strides[axis] = in_strides[axis + 1] * dims[axis + 1];
    }
    let axes: Vec<(usize, usize)> =
        perm.iter().map(|&p| (dims[p], in_strides[p])).filter(|&(extent, _)| extent > 1).collect();
    if axes.len() > 4 {
        return None;
    }
    let mut shape = PermuteShape { dims: [1; 4], strides: [0; 4] };
    for (k, &(extent, stride)) in axes.iter().enumerate() {
        shape.dims[4 - axes.len() + k] = extent;
        shape.strides[4 - axes.len() + k] = stride;
    }
    Some(shape)
}

/// Why a transpose over `dims` has no kernel (more than four axes longer than 1).
pub fn too_many_axes(dims: &[usize], perm: &[usize]) -> String {
    let long = dims.iter().filter(|&&d| d > 1).count();
    format!(
        "a transpose (perm {perm:?}) of {long} axes longer than 1 has no kernel; the gather kernel takes at most four"
    )
}

pub(super) fn lower_transpose(ctx: &LayerCtx, perm: &[usize]) -> Result<Step, LowerError> {
    let dims = ctx.layer().input_shape.dims();
    let shape = permute_shape(dims, perm).ok_or_else(|| ctx.unsupported(too_many_axes(dims, perm)))?;
    Ok(ctx.step("transpose", Call::Permute { params: PermuteParams { shape } }, ctx.input_frac))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the definition: output coordinates permuted back to input coordinates, for tf2onnx's two
    /// layout transposes and a rank-5 one with unit axes.
    #[test]
    fn the_gather_reads_each_output_element_from_its_input_coordinates() {
        for (dims, perm) in [
            (vec![1, 4, 3, 2], vec![0, 3, 1, 2]),
            (vec![1, 2, 4, 3], vec![0, 2, 3, 1]),
            (vec![1, 3, 1, 2, 5], vec![0, 4, 2, 1, 3]),
        ] {
            let shape = permute_shape(&dims, &perm).unwrap();
            let input: Vec<i16> = (0..dims.iter().product::<usize>() as i16).collect();
            let mut out = vec![0; input.len()];
            acec_runtime::kernels::permute::permute(&input, &shape, 0, &mut out).unwrap();
            let expected: Vec<i16> = crate::graph::permuted_indices(&dims, &perm).iter().map(|&i| input[i]).collect();
            assert_eq!(out, expected, "{dims:?} by {perm:?}");
        }
    }
}
