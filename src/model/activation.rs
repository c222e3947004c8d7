//! Hidden-layer activations, with the derivatives PyTorch's autograd uses.

use std::f32::consts::FRAC_1_SQRT_2;

use super::elementary::{exp_nonpositive, ExpConstants};
use crate::spec::{name_of, names, variants};

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
    /// Every activation with its name in specs, in `code()` order: the one table of names.
    pub const NAMED: [(Activation, &'static str); 5] = [
        (Activation::Relu, "relu"),
        (Activation::Tanh, "tanh"),
        (Activation::Sigmoid, "sigmoid"),
        (Activation::Gelu, "gelu"),
        (Activation::Linear, "linear"),
    ];
    pub const ALL: [Activation; 5] = variants(&Self::NAMED);
    /// The names alone, usable in consts (option tables list them as choices).
    pub const NAMES: [&'static str; 5] = names(&Self::NAMED);

    pub fn name(self) -> &'static str {
        name_of(&Self::NAMED, self)
    }

    /// Index shared with the WGSL kernels (`ACT_*` constants in src/engine/backend/gpu/activation.wgsl).
    pub fn code(self) -> u32 {
        self as u32
    }

    pub fn forward(self, z: f32) -> f32 {
        match self {
            Activation::Relu => relu(z),
            Activation::Tanh => tanh(z, &TanhConstants::LITERAL),
            Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
            Activation::Gelu => 0.5 * z * (1.0 + libm::erff(z * FRAC_1_SQRT_2)),
            Activation::Linear => z,
        }
    }

    /// `a = f(z)` elementwise. One loop per activation, so each is a plain loop the compiler
    /// can vectorize (a match per element would not be). Inlined on x86_64, so that it is
    /// compiled for whatever SIMD its caller is (the CPU packs' AVX step); in wasm a function of
    /// its own (see the CPU pack's `linear`).
    #[cfg_attr(target_arch = "x86_64", inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    pub fn forward_slice(self, z: &[f32], a: &mut [f32]) {
        // `for` loops, not `for_each`: a closure's fold is a function of its own that the
        // compiler may leave out of line, compiled without its caller's AVX.
        let pairs = a.iter_mut().zip(z);
        match self {
            Activation::Relu => {
                for (a, &z) in pairs {
                    *a = relu(z);
                }
            }
            Activation::Tanh => {
                // Read once, out of the loop (see `ExpConstants`).
                let c = std::hint::black_box(TanhConstants::LITERAL);
                for (a, &z) in pairs {
                    *a = tanh(z, &c);
                }
            }
            Activation::Linear => {
                for (a, &z) in pairs {
                    *a = z;
                }
            }
            _ => {
                for (a, &z) in pairs {
                    *a = self.forward(z);
                }
            }
        }
    }

    /// `d *= f'(z)` elementwise, given the pre-activations `z` and the activations `a = f(z)`.
    /// ReLU, tanh and sigmoid read their derivative off `a` (same values as from `z`, without
    /// evaluating the function again); GELU needs `z`. Inlined and written as `forward_slice`.
    #[cfg_attr(target_arch = "x86_64", inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    pub fn backward_slice(self, z: &[f32], a: &[f32], d: &mut [f32]) {
        let with_a = d.iter_mut().zip(a);
        match self {
            Activation::Relu => {
                for (d, &a) in with_a {
                    *d *= (a > 0.0) as u8 as f32;
                }
            }
            Activation::Tanh => {
                for (d, &t) in with_a {
                    *d *= 1.0 - t * t;
                }
            }
            Activation::Sigmoid => {
                for (d, &s) in with_a {
                    *d *= s * (1.0 - s);
                }
            }
            Activation::Linear => {}
            Activation::Gelu => {
                for (d, &z) in d.iter_mut().zip(z) {
                    *d *= self.derivative(z);
                }
            }
        }
    }

    /// d activation / d z at pre-activation `z` (ReLU's is 0 at 0, as PyTorch's).
    pub fn derivative(self, z: f32) -> f32 {
        match self {
            Activation::Relu => (z > 0.0) as u8 as f32,
            Activation::Tanh => 1.0 - tanh(z, &TanhConstants::LITERAL).powi(2),
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

/// max(z, 0) as PyTorch's: -0 and NaN pass through. A comparison, not `f32::max`: in wasm, which
/// has no instruction for that, `f32::max` is a call to `fmaxf` per element, and the loop does
/// not vectorise.
#[inline(always)]
fn relu(z: f32) -> f32 {
    if z < 0.0 {
        0.0
    } else {
        z
    }
}

/// The numbers tanh's arithmetic uses, kept out of vectorised loops as `ExpConstants` are.
#[derive(Clone, Copy)]
struct TanhConstants {
    /// tanh t = t + t³·P(t²) below `split`.
    p: [f32; 5],
    split: f32,
    /// Past this t, tanh rounds to 1.
    saturated: f32,
    minus_two: f32,
    exp: ExpConstants,
}

impl TanhConstants {
    const LITERAL: Self = Self {
        p: [-0.006_264_324, 0.021_064_108, -0.053_850_29, 0.133_325_65, -0.333_333_16],
        split: 0.55,
        saturated: 10.0,
        minus_two: -2.0,
        exp: ExpConstants::LITERAL,
    };
}

/// tanh within 2 ulp of the exact value (as std's, which calls the platform's libm), in plain
/// branch-free arithmetic: the compiler vectorizes a loop of it (about 8x faster than a libm
/// call per element), and it gives the same bits natively and in wasm.
#[inline(always)]
fn tanh(z: f32, c: &TanhConstants) -> f32 {
    let t = z.abs();
    // Near 0: tanh t = t + t³·P(t²), P a least-squares fit on [0, 0.55] (relative error 1e-9).
    let s = t * t;
    let [p4, p3, p2, p1, p0] = c.p;
    let p = ((((p4 * s + p3) * s + p2) * s + p1) * s) + p0;
    let small = t + t * s * p;
    // Elsewhere: tanh t = (1 - e) / (1 + e) with e = e^-2t in (0, 1). Past t = 10, tanh rounds
    // to 1; a NaN stays NaN (it fails `t > 10`).
    let e = exp_nonpositive(c.minus_two * if t > c.saturated { c.saturated } else { t }, &c.exp);
    let one = c.exp.one;
    let large = (one - e) / (one + e);
    // A select on the bits: a float select lets the compiler branch around `large` (whose
    // division is the dearest step), and a loop with a branch does not vectorise.
    let near_zero = 0u32.wrapping_sub((t < c.split) as u32);
    f32::from_bits((small.to_bits() & near_zero) | (large.to_bits() & !near_zero)).copysign(z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_all() {
        assert_eq!(Activation::ALL.map(Activation::name), Activation::NAMES);
        assert!(Activation::NAMED.iter().all(|&(a, name)| a.name() == name));
        assert!(Activation::ALL.iter().enumerate().all(|(i, a)| a.code() == i as u32), "NAMED follows code()");
    }

    /// Within 2 ulp of f64's tanh on a sample of every float in [0, 11] (past that it is 1),
    /// odd, and NaN, ±0 and ±∞ as std's.
    #[test]
    fn tanh_is_accurate() {
        let tanh = |z: f32| tanh(z, &TanhConstants::LITERAL);
        let ulps = |z: f32| {
            let want = (z as f64).tanh();
            let ulp = want as f32 - f32::from_bits((want as f32).to_bits() - 1);
            ((tanh(z) as f64 - want) / (ulp as f64).max(1e-45)).abs()
        };
        let worst = (1..11f32.to_bits()).step_by(997).map(|b| ulps(f32::from_bits(b))).fold(0.0, f64::max);
        assert!(worst <= 2.0, "{worst} ulp");
        for z in [0.0, -0.0, 0.3, -0.7, 4.0, -12.0, 1e30, f32::INFINITY, f32::NEG_INFINITY] {
            assert_eq!(tanh(z).to_bits(), (-tanh(-z)).to_bits(), "odd at {z}");
            assert!((tanh(z) - z.tanh()).abs() <= 2.0 * f32::EPSILON, "{z}");
        }
        assert!(tanh(f32::NAN).is_nan());
        assert_eq!(tanh(-0.0).to_bits(), (-0.0f32).to_bits());
    }

    #[test]
    fn relu_is_pytorchs() {
        let relu = |z: f32| Activation::Relu.forward(z);
        assert_eq!(relu(-2.0), 0.0);
        assert_eq!(relu(3.5), 3.5);
        assert_eq!(relu(-0.0).to_bits(), (-0.0f32).to_bits());
        assert!(relu(f32::NAN).is_nan());
        let mut a = [1.0; 3];
        Activation::Relu.forward_slice(&[-1.0, f32::NAN, 2.0], &mut a);
        assert_eq!(a[0], 0.0);
        assert!(a[1].is_nan());
        assert_eq!(a[2], 2.0);
    }

    /// Over a slice (constants read once, the loop vectorised) tanh gives the same bits as alone.
    #[test]
    fn tanh_slice_is_tanh() {
        let z: Vec<f32> = (0..4001).map(|i| (i as f32 - 2000.0) * 0.0071).chain([f32::NAN, 30.0, -0.0]).collect();
        let mut a = vec![0.0; z.len()];
        Activation::Tanh.forward_slice(&z, &mut a);
        for (&z, &a) in z.iter().zip(&a) {
            assert_eq!(a.to_bits(), Activation::Tanh.forward(z).to_bits(), "at {z}");
        }
    }

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
