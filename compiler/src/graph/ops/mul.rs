//! The element-wise product of two computed tensors: a gate times what it gates. Squeeze-excite blocks
//! (MobileNetV3, EfficientNet) multiply a feature map by one sigmoid-gated value per channel; gated units
//! (SiLU as `x * sigmoid(x)`, GLU) by a tensor of its own shape. The first operand has the output's shape;
//! the second (the gate) has that shape, one value per channel, or one value: the broadcasts whose gate
//! element for output `i` is `i / plane`, which the runtime's `ops::multiply` computes.

use super::super::{Shape, broadcast_indices};

#[derive(Clone, Debug, PartialEq)]
pub struct Mul {
    /// The second operand's shape (it broadcasts to the first's).
    pub gate: Shape,
}

impl Mul {
    /// Consecutive elements of a tensor of shape `dims` that one element of a `gate`-shaped tensor
    /// multiplies, when the broadcast is a whole number of them per gate element in order (same shape: 1;
    /// one value per channel: a channel's plane; one value: all); `None` for another broadcast (a gate per
    /// column, say), which has no kernel.
    pub fn plane(gate: &[usize], dims: &[usize]) -> Option<usize> {
        if gate.len() > dims.len() {
            return None;
        }
        let len: usize = dims.iter().product();
        let gates: usize = gate.iter().product();
        if gates == 0 || !len.is_multiple_of(gates) {
            return None;
        }
        let plane = len / gates;
        let in_order = broadcast_indices(gate, dims).iter().enumerate().all(|(i, &g)| g == i / plane);
        in_order.then_some(plane)
    }

    /// `x` (of shape `dims`) times the gate, element by element, in f64.
    pub fn apply(&self, x: &[f32], gate: &[f32], dims: &[usize]) -> Vec<f32> {
        let index = broadcast_indices(self.gate.dims(), dims);
        x.iter().zip(index).map(|(&v, g)| (f64::from(v) * f64::from(gate[g])) as f32).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gate_per_channel_multiplies_each_channel_plane() {
        let mul = Mul { gate: Shape(vec![1, 2, 1, 1]) };
        let y = mul.apply(&[1.0, 2.0, 3.0, 4.0], &[10.0, -1.0], &[1, 2, 1, 2]);
        assert_eq!(y, [10.0, 20.0, -3.0, -4.0]);
        assert_eq!(Mul::plane(&[1, 2, 1, 1], &[1, 2, 3, 3]), Some(9));
        assert_eq!(Mul::plane(&[2, 1, 1], &[1, 2, 3, 3]), Some(9));
        assert_eq!(Mul::plane(&[1, 2, 3, 3], &[1, 2, 3, 3]), Some(1));
        assert_eq!(Mul::plane(&[1], &[1, 2, 3, 3]), Some(18));
        // A gate per column repeats across rows: not in order.
        assert_eq!(Mul::plane(&[3], &[1, 2, 3, 3]), None);
        assert_eq!(Mul::plane(&[1, 1, 3, 1], &[1, 2, 3, 3]), None);
    }
}
