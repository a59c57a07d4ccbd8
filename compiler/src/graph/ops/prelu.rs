//! PReLU with one slope per channel: `x` where `x >= 0`, `slope[c] * x` below, in channel `c`. One slope
//! for the whole tensor (PyTorch's default `nn.PReLU()`) imports as a LeakyRelu instead, so this holds
//! only slopes that differ between channels.

use super::activation::Activation;

#[derive(Clone, Debug, PartialEq)]
pub struct PRelu {
    /// One slope per channel (axis 1; axis 0 of a 1-D tensor).
    pub slopes: Vec<f32>,
}

impl PRelu {
    /// Elements of one channel's run in row-major order: the product of the axes after the channel axis.
    pub fn plane(dims: &[usize]) -> usize {
        dims.iter().skip(Self::channel_axis(dims) + 1).product()
    }

    pub fn channel_axis(dims: &[usize]) -> usize {
        usize::from(dims.len() >= 2)
    }

    /// Channel `c`'s function: a LeakyRelu of its slope.
    pub fn channel(&self, c: usize) -> Activation {
        Activation::LeakyRelu { alpha: self.slopes[c] }
    }

    /// `x` (row-major, of shape `dims`) through each channel's function.
    pub fn apply(&self, x: &[f32], dims: &[usize]) -> Vec<f32> {
        let plane = Self::plane(dims).max(1);
        let channels = self.slopes.len();
        x.iter().enumerate().map(|(i, &v)| if v >= 0.0 { v } else { v * self.slopes[(i / plane) % channels] }).collect()
    }

    /// The largest magnitude out, given the largest in.
    pub fn bound(&self, input: f64) -> f64 {
        self.slopes.iter().fold(1f64, |m, s| m.max(f64::from(s.abs()))) * input
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_channel_takes_its_own_slope_below_zero() {
        let prelu = PRelu { slopes: vec![0.5, -2.0] };
        // 1 x 2 x 2: channel 0 is [-2, 3], channel 1 is [-1, 4].
        let y = prelu.apply(&[-2.0, 3.0, -1.0, 4.0], &[1, 2, 2]);
        assert_eq!(y, [-1.0, 3.0, 2.0, 4.0]);
        assert_eq!(PRelu::plane(&[1, 2, 2]), 2);
        assert_eq!(PRelu::plane(&[1, 5]), 1);
        assert_eq!(prelu.bound(3.0), 6.0);
        assert_eq!(prelu.channel(1), Activation::LeakyRelu { alpha: -2.0 });
    }
}
