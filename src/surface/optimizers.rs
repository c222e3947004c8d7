//! torch.optim's update rules in float64 for one 2-D parameter: SGD, Adam, AdamW, RMSprop and
//! Adagrad, each operation in the order of torch's single-tensor path (`_single_tensor_sgd`,
//! `_single_tensor_adam`, `_single_tensor_rmsprop`, `_single_tensor_adagrad`), so that a
//! trajectory matches torch float64 to the last bits.

use libm::{pow, sqrt};

use super::optimizer_options::AnyOptimizer;
use crate::engine::Optimizer;

/// An optimizer with its state (moments, buffers, step count) for one 2-D parameter.
pub struct Stepper {
    optimizer: AnyOptimizer,
    /// Steps taken (torch's `state["step"]`).
    steps: u64,
    /// SGD's or RMSprop's momentum buffer, or Adam's first moment; `None` until created.
    first: Option<[f64; 2]>,
    /// Adam's and RMSprop's squared-gradient average, or Adagrad's sum.
    second: [f64; 2],
    /// Centered RMSprop's gradient average.
    grad_avg: [f64; 2],
}

/// torch's `lerp(start, end, weight)` on the CPU: two formulas, by the weight's size, for accuracy.
fn lerp(start: f64, end: f64, weight: f64) -> f64 {
    if weight.abs() < 0.5 {
        start + weight * (end - start)
    } else {
        end - (end - start) * (1.0 - weight)
    }
}

impl Stepper {
    pub fn new(optimizer: AnyOptimizer) -> Self {
        let second = match optimizer {
            AnyOptimizer::Adagrad(a) => [a.initial_accumulator_value; 2],
            _ => [0.0; 2],
        };
        Self { optimizer, steps: 0, first: None, second, grad_avg: [0.0; 2] }
    }

    /// One `optimizer.step()` at rate `lr`, with the momentum (SGD, RMSprop) or beta1 (Adam) a
    /// cycling schedule sets for this step, if it does.
    pub fn step(&mut self, p: &mut [f64; 2], grad: [f64; 2], lr: f64, cycled_momentum: Option<f64>) {
        self.steps += 1;
        match self.optimizer {
            AnyOptimizer::Session(Optimizer::Sgd { momentum, dampening, nesterov, weight_decay }) => {
                let mu = cycled_momentum.unwrap_or(momentum);
                let mut d = grad;
                if weight_decay != 0.0 {
                    d = [d[0] + weight_decay * p[0], d[1] + weight_decay * p[1]];
                }
                if mu != 0.0 {
                    // The buffer starts as a copy of the first gradient (no dampening).
                    let buf = match self.first {
                        None => d,
                        Some(b) => [b[0] * mu + (1.0 - dampening) * d[0], b[1] * mu + (1.0 - dampening) * d[1]],
                    };
                    self.first = Some(buf);
                    d = if nesterov { [d[0] + mu * buf[0], d[1] + mu * buf[1]] } else { buf };
                }
                for i in 0..2 {
                    p[i] += -lr * d[i];
                }
            }
            AnyOptimizer::Session(Optimizer::Adam { beta1, beta2, eps, weight_decay, decoupled }) => {
                let beta1 = cycled_momentum.unwrap_or(beta1);
                let k = self.steps as f64;
                let bias_correction1 = 1.0 - pow(beta1, k);
                let bias_correction2 = 1.0 - pow(beta2, k);
                let step_size = lr / bias_correction1;
                let bias_correction2_sqrt = sqrt(bias_correction2);
                let m = self.first.get_or_insert([0.0; 2]);
                for i in 0..2 {
                    let mut g = grad[i];
                    if weight_decay != 0.0 {
                        if decoupled {
                            p[i] *= 1.0 - lr * weight_decay;
                        } else {
                            g += weight_decay * p[i];
                        }
                    }
                    m[i] = lerp(m[i], g, 1.0 - beta1);
                    self.second[i] = self.second[i] * beta2 + (1.0 - beta2) * g * g;
                    let denom = sqrt(self.second[i]) / bias_correction2_sqrt + eps;
                    p[i] += -step_size * m[i] / denom;
                }
            }
            AnyOptimizer::RmsProp(r) => {
                let mu = cycled_momentum.unwrap_or(r.momentum);
                for i in 0..2 {
                    let mut g = grad[i];
                    if r.weight_decay != 0.0 {
                        g += r.weight_decay * p[i];
                    }
                    self.second[i] = self.second[i] * r.alpha + (1.0 - r.alpha) * g * g;
                    let avg = if r.centered {
                        self.grad_avg[i] = lerp(self.grad_avg[i], g, 1.0 - r.alpha);
                        sqrt(self.second[i] - self.grad_avg[i] * self.grad_avg[i])
                    } else {
                        sqrt(self.second[i])
                    } + r.eps;
                    if mu > 0.0 {
                        let buf = self.first.get_or_insert([0.0; 2]);
                        buf[i] = buf[i] * mu + g / avg;
                        p[i] += -lr * buf[i];
                    } else {
                        p[i] += -lr * g / avg;
                    }
                }
            }
            AnyOptimizer::Adagrad(a) => {
                let clr = lr / (1.0 + (self.steps - 1) as f64 * a.lr_decay);
                for i in 0..2 {
                    let mut g = grad[i];
                    if a.weight_decay != 0.0 {
                        g += a.weight_decay * p[i];
                    }
                    self.second[i] += g * g;
                    let std = sqrt(self.second[i]) + a.eps;
                    p[i] += -clr * g / std;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::optimizer_options::{Adagrad, RmsProp};

    fn run(optimizer: AnyOptimizer, grads: &[[f64; 2]], lr: f64) -> [f64; 2] {
        let mut p = [1.0, -2.0];
        let mut stepper = Stepper::new(optimizer);
        for &g in grads {
            stepper.step(&mut p, g, lr, None);
        }
        p
    }

    fn close(a: [f64; 2], b: [f64; 2]) -> bool {
        (a[0] - b[0]).abs() < 1e-15 && (a[1] - b[1]).abs() < 1e-15
    }

    #[test]
    fn sgd_momentum_buffer_starts_as_the_first_gradient() {
        let sgd = Optimizer::Sgd { momentum: 0.9, dampening: 0.5, nesterov: false, weight_decay: 0.0 };
        let p = run(AnyOptimizer::Session(sgd), &[[1.0, 2.0], [1.0, 2.0]], 0.1);
        // buf1 = g; buf2 = 0.9 g + 0.5 g = 1.4 g.
        assert!(close(p, [1.0 - 0.1 - 0.1 * 1.4, -2.0 - 0.2 - 0.1 * 2.8]), "{p:?}");
        let nesterov = Optimizer::Sgd { momentum: 0.5, dampening: 0.0, nesterov: true, weight_decay: 0.0 };
        let p = run(AnyOptimizer::Session(nesterov), &[[1.0, 0.0]], 0.1);
        assert!(close(p, [1.0 - 0.1 * 1.5, -2.0]), "{p:?}");
    }

    #[test]
    fn adam_first_step_moves_each_coordinate_by_lr() {
        let adam = Optimizer::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.0, decoupled: false };
        let p = run(AnyOptimizer::Session(adam), &[[0.3, -5.0]], 0.01);
        assert!((p[0] - 0.99).abs() < 1e-9 && (p[1] + 1.99).abs() < 1e-9, "{p:?}");
    }

    #[test]
    fn rmsprop_divides_by_the_root_mean_square() {
        let plain = RmsProp { alpha: 0.5, eps: 1e-300, momentum: 0.0, centered: false, weight_decay: 0.0 };
        let p = run(AnyOptimizer::RmsProp(plain), &[[2.0, 0.0]], 0.1);
        // square_avg = 0.5 · 4 = 2; step = 0.1 · 2 / sqrt 2.
        assert!(close(p, [1.0 - 0.1 * 2.0 / 2f64.sqrt(), -2.0]), "{p:?}");
        let centered = RmsProp { centered: true, ..plain };
        let p = run(AnyOptimizer::RmsProp(centered), &[[2.0, 0.0]], 0.1);
        // grad_avg = 1; avg = sqrt(2 - 1) = 1.
        assert!(close(p, [1.0 - 0.2, -2.0]), "{p:?}");
        let momentum = RmsProp { momentum: 0.5, ..plain };
        let p = run(AnyOptimizer::RmsProp(momentum), &[[2.0, 0.0], [2.0, 0.0]], 0.1);
        // square_avg: 2, then 3; buf: 2/√2, then 0.5 · 2/√2 + 2/√3.
        let b1 = 2.0 / 2f64.sqrt();
        let b2 = 0.5 * b1 + 2.0 / 3f64.sqrt();
        assert!(close(p, [1.0 - 0.1 * b1 - 0.1 * b2, -2.0]), "{p:?}");
    }

    #[test]
    fn adagrad_decays_its_rate_by_the_step() {
        let adagrad = Adagrad { lr_decay: 0.5, eps: 0.0, weight_decay: 0.0, initial_accumulator_value: 0.0 };
        let p = run(AnyOptimizer::Adagrad(adagrad), &[[3.0, 4.0], [3.0, 4.0]], 0.1);
        // Step 1: clr 0.1, sum 9 → 0.1; step 2: clr 0.1 / 1.5, sum 18 → 3 / sqrt 18.
        let x = 1.0 - 0.1 - 0.1 / 1.5 * 3.0 / 18f64.sqrt();
        let y = -2.0 - 0.1 - 0.1 / 1.5 * 4.0 / 32f64.sqrt();
        assert!(close(p, [x, y]), "{p:?}");
    }

    #[test]
    fn lerp_is_torchs_two_sided_formula() {
        assert_eq!(lerp(1.0, 3.0, 0.25), 1.5);
        assert_eq!(lerp(1.0, 3.0, 0.75), 2.5);
        assert_eq!(lerp(1.0, 3.0, 1.0), 3.0);
    }
}
