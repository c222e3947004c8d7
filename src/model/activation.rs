//! Hidden-layer activations, with the derivatives PyTorch's autograd uses.

use std::f32::consts::FRAC_1_SQRT_2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Relu,
    Tanh,
    Sigmoid,
    /// The exact (erf) form, as `torch.nn.GELU()`.
    Gelu,
    Linear,
}

impl Activation {
    pub const ALL: [Activation; 5] = [Activation::Relu, Activation::Tanh, Activation::Sigmoid, Activation::Gelu, Activation::Linear];

    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Gelu => "gelu",
            Activation::Linear => "linear",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Index shared with the WGSL kernels (`ACT_*` constants in shaders/).
    pub fn code(self) -> u32 {
        self as u32
    }

    pub fn forward(self, z: f32) -> f32 {
        match self {
            Activation::Relu => z.max(0.0),
            Activation::Tanh => z.tanh(),
            Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
            Activation::Gelu => 0.5 * z * (1.0 + libm::erff(z * FRAC_1_SQRT_2)),
            Activation::Linear => z,
        }
    }

    /// d activation / d z at pre-activation `z` (ReLU's is 0 at 0, as PyTorch's).
    pub fn derivative(self, z: f32) -> f32 {
        match self {
            Activation::Relu => (z > 0.0) as u8 as f32,
            Activation::Tanh => 1.0 - z.tanh().powi(2),
            Activation::Sigmoid => {
                let s = 1.0 / (1.0 + (-z).exp());
                s * (1.0 - s)
            }
            Activation::Gelu => {
                let cdf = 0.5 * (1.0 + libm::erff(z * FRAC_1_SQRT_2));
                let pdf = (-0.5 * z * z).exp() * 0.398_942_3;
                cdf + z * pdf
            }
            Activation::Linear => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_finite_differences() {
        for act in Activation::ALL {
            for z in [-2.3f32, -0.7, 0.4, 1.9] {
                let h = 1e-2f64;
                let f = |x: f64| act.forward(x as f32) as f64;
                let numeric = (f(z as f64 + h) - f(z as f64 - h)) / (2.0 * h);
                let analytic = act.derivative(z) as f64;
                assert!((numeric - analytic).abs() < 2e-3, "{}: at {z}: {numeric} vs {analytic}", act.name());
            }
        }
    }
}
