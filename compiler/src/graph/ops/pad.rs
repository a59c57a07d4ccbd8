//! Pad with a constant: every axis widened by its begin and end pads, the new cells holding `value`. Alone
//! it has no kernel; a zero Pad of the spatial axes that a convolution alone reads is that convolution's own
//! padding (the `fold-pad-into-conv` pass), as PyTorch's `ZeroPad2d` and Keras's `ZeroPadding2D` export.

use super::super::Shape;

/// A constant Pad (ONNX `mode="constant"`).
#[derive(Clone, Debug, PartialEq)]
pub struct Pad {
    /// Begin pads of every axis, then end pads (ONNX's order), all non-negative.
    pub pads: Vec<usize>,
    pub value: f32,
}

impl Pad {
    /// The padded shape of `input`.
    pub fn output_shape(&self, input: &[usize]) -> Shape {
        let rank = input.len();
        Shape(input.iter().enumerate().map(|(axis, &d)| d + self.pads[axis] + self.pads[axis + rank]).collect())
    }

    /// `x` (row-major, of shape `input`) padded.
    pub fn apply(&self, x: &[f32], input: &[usize]) -> Vec<f32> {
        let rank = input.len();
        let output = self.output_shape(input);
        let out_dims = output.dims();
        let mut out = vec![self.value; output.elements()];
        let mut coords = vec![0usize; rank];
        for &v in x {
            let index = (0..rank).fold(0, |acc, axis| acc * out_dims[axis] + coords[axis] + self.pads[axis]);
            out[index] = v;
            // The next input coordinate, last axis fastest.
            for axis in (0..rank).rev() {
                coords[axis] += 1;
                if coords[axis] < input[axis] {
                    break;
                }
                coords[axis] = 0;
            }
        }
        out
    }

    /// The spatial pads (axes 2..) when this Pad only widens them with zeros: what a following convolution
    /// can take as its own padding (begin pads, then end pads).
    pub fn spatial_zero_pads(&self) -> Option<Vec<usize>> {
        let rank = self.pads.len() / 2;
        let untouched = |axis: usize| self.pads[axis] == 0 && self.pads[axis + rank] == 0;
        (self.value == 0.0 && rank >= 3 && untouched(0) && untouched(1))
            .then(|| self.pads[2..rank].iter().chain(&self.pads[rank + 2..]).copied().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_lands_inside_its_border() {
        let pad = Pad { pads: vec![0, 1, 0, 2], value: -1.0 };
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        // 2 x 3 -> 2 x 6 (one column before, two after).
        let y = pad.apply(&x, &[2, 3]);
        assert_eq!(y, [-1.0, 1.0, 2.0, 3.0, -1.0, -1.0, -1.0, 4.0, 5.0, 6.0, -1.0, -1.0]);
        assert_eq!(pad.spatial_zero_pads(), None);
        let spatial = Pad { pads: vec![0, 0, 1, 2, 0, 0, 3, 4], value: 0.0 };
        assert_eq!(spatial.spatial_zero_pads(), Some(vec![1, 2, 3, 4]));
    }
}
