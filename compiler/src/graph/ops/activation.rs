//! Element-wise activations: every one is its f64 function, and nothing else in acec needs to know which
//! it is. Float evaluation applies the function; lowering samples it into a lookup table (checked on all
//! 65,536 inputs); the static range bound and the ONNX export read it from here. So a new element-wise
//! op is a variant here plus its importer (and its form in `acec compress`'s training graph).

/// An element-wise function of one tensor.
#[derive(Clone, Debug, PartialEq)]
pub enum Activation {
    Relu,
    LeakyRelu {
        alpha: f32,
    },
    /// `min(max(x, min), max)` (ReLU6 is `Clip { min: 0, max: 6 }`); every output is `max` when `min > max`,
    /// as in ONNX and numpy.
    Clip {
        min: f32,
        max: f32,
    },
    Tanh,
    /// `1 / (1 + exp(-x))`.
    Sigmoid,
    /// `max(0, min(1, alpha * x + beta))` (ONNX defaults: alpha 0.2, beta 0.5; PyTorch's is 1/6, 1/2).
    HardSigmoid {
        alpha: f32,
        beta: f32,
    },
    /// `x * max(0, min(1, x / 6 + 1 / 2))`.
    HardSwish,
}

impl Activation {
    /// The function, in f64: the reference every fixed-point form of it is checked against.
    pub fn apply(&self, x: f64) -> f64 {
        match self {
            Activation::Relu => x.max(0.0),
            Activation::LeakyRelu { alpha } => {
                if x >= 0.0 {
                    x
                } else {
                    x * f64::from(*alpha)
                }
            }
            Activation::Clip { min, max } => x.max(f64::from(*min)).min(f64::from(*max)),
            Activation::Tanh => x.tanh(),
            Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Activation::HardSigmoid { alpha, beta } => hard_sigmoid(x, f64::from(*alpha), f64::from(*beta)),
            Activation::HardSwish => x * hard_sigmoid(x, 1.0 / 6.0, 0.5),
        }
    }

    /// The ONNX op it is (and `inspect`'s name for it).
    pub fn onnx_op(&self) -> &'static str {
        match self {
            Activation::Relu => "Relu",
            Activation::LeakyRelu { .. } => "LeakyRelu",
            Activation::Clip { .. } => "Clip",
            Activation::Tanh => "Tanh",
            Activation::Sigmoid => "Sigmoid",
            Activation::HardSigmoid { .. } => "HardSigmoid",
            Activation::HardSwish => "HardSwish",
        }
    }

    /// Its float attributes, as ONNX names them (Clip's bounds are inputs, not attributes: see the
    /// exporter).
    pub fn onnx_float_attrs(&self) -> Vec<(&'static str, f32)> {
        match self {
            Activation::LeakyRelu { alpha } => vec![("alpha", *alpha)],
            Activation::HardSigmoid { alpha, beta } => vec![("alpha", *alpha), ("beta", *beta)],
            _ => Vec::new(),
        }
    }

    /// The inputs where the function is not smooth (its slope jumps). A lookup table that has an entry at
    /// each of them interpolates straight lines exactly.
    pub fn knots(&self) -> Vec<f64> {
        match self {
            Activation::Relu | Activation::LeakyRelu { .. } => vec![0.0],
            Activation::Clip { min, max } => vec![f64::from(*min), f64::from(*max)],
            Activation::Tanh | Activation::Sigmoid => Vec::new(),
            Activation::HardSigmoid { alpha, beta } => {
                let (alpha, beta) = (f64::from(*alpha), f64::from(*beta));
                if alpha == 0.0 { Vec::new() } else { vec![-beta / alpha, (1.0 - beta) / alpha] }
            }
            Activation::HardSwish => vec![-3.0, 3.0],
        }
    }

    /// The largest output magnitude for inputs of magnitude at most `input`.
    pub fn bound(&self, input: f64) -> f64 {
        let ends = self.apply(-input).abs().max(self.apply(input).abs());
        match self {
            Activation::Relu | Activation::Tanh | Activation::Sigmoid | Activation::HardSigmoid { .. } => ends,
            Activation::LeakyRelu { alpha } => input * f64::from(alpha.abs()).max(1.0),
            Activation::Clip { min, max } => input.min(f64::from(min.abs().max(max.abs()))),
            // Its minimum, -3/8 at x = -3/2, lies inside.
            Activation::HardSwish => ends.max(if input >= 1.5 { 0.375 } else { 0.0 }),
        }
    }
}

fn hard_sigmoid(x: f64, alpha: f64, beta: f64) -> f64 {
    (alpha * x + beta).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bound holds on a fine grid of inputs, and every knot is where the slope changes.
    #[test]
    fn bounds_hold_and_knots_are_where_the_slope_jumps() {
        let all = [
            Activation::Relu,
            Activation::LeakyRelu { alpha: -1.5 },
            Activation::Clip { min: -1.0, max: 6.0 },
            Activation::Tanh,
            Activation::Sigmoid,
            Activation::HardSigmoid { alpha: 0.2, beta: 0.5 },
            Activation::HardSwish,
        ];
        for a in &all {
            for input in [0.5, 2.0, 9.0] {
                let bound = a.bound(input);
                for i in 0..=2000 {
                    let x = input * (f64::from(i) / 1000.0 - 1.0);
                    assert!(a.apply(x).abs() <= bound + 1e-12, "{a:?} at {x}: {} > {bound}", a.apply(x));
                }
            }
            for knot in a.knots() {
                let h = 1e-4;
                let left = (a.apply(knot) - a.apply(knot - h)) / h;
                let right = (a.apply(knot + h) - a.apply(knot)) / h;
                assert!((left - right).abs() > 0.01, "{a:?} is smooth at its knot {knot}");
            }
        }
    }
}
