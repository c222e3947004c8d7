//! SGD, Adam and AdamW with PyTorch's exact update rules (torch.optim, single-tensor path).

mod adam;
mod rest;
mod sgd;

use adam::Adam;
use sgd::Sgd;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Optimizer {
    Sgd {
        momentum: f64,
        dampening: f64,
        nesterov: bool,
        weight_decay: f64,
    },
    /// `decoupled`: AdamW (decay the weights directly) rather than Adam (L2 added to the gradient).
    Adam {
        beta1: f64,
        beta2: f64,
        eps: f64,
        weight_decay: f64,
        decoupled: bool,
    },
}

/// The hyper-parameters of one group at one step: the schedule's rate times the group's
/// multiplier, and the momentum (SGD) or beta1 (Adam) when the schedule cycles it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepHyper {
    pub lr: f64,
    pub momentum: Option<f64>,
}

/// Per-parameter optimizer state for one group of one run. Its step count lives with the
/// session, which computes every update's `Coefficients` before a backend applies them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupState {
    /// SGD's momentum buffer, or Adam's first moment.
    pub first: Vec<f32>,
    /// Adam's second moment.
    pub second: Vec<f32>,
}

impl GroupState {
    pub fn new(len: usize) -> Self {
        Self { first: vec![0.0; len], second: vec![0.0; len] }
    }
}

/// The scalars of one group's update at one step, computed in f64 on the host as PyTorch does
/// in Python; the CPU loop and the GPU kernel both apply exactly these.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coefficients {
    pub lr: f32,
    /// SGD momentum or Adam beta1 at this step.
    pub momentum: f32,
    /// Adam: lr / (1 - beta1^k).
    pub step_size: f32,
    /// Adam: sqrt(1 - beta2^k).
    pub correction2_sqrt: f32,
    /// SGD: the momentum buffer starts as this step's gradient.
    pub first_step: bool,
    /// Adam: 1 - beta1 and 1 - beta2, the moments' weights of the new gradient, and AdamW:
    /// 1 - lr·wd, the weights' decay. Each is computed in f64 and rounded once, as torch rounds
    /// the Python float it is given: in f32 they would be off (1 - 0.999f32 = 0.0009999871, not
    /// 0.001), a bias that compounds over the steps.
    pub first_weight: f32,
    pub second_weight: f32,
    pub decay: f32,
}

impl Optimizer {
    /// The momentum (SGD) or beta1 (Adam) used at this step.
    fn momentum(&self, hyper: StepHyper) -> f64 {
        match *self {
            Optimizer::Sgd { momentum, .. } => hyper.momentum.unwrap_or(momentum),
            Optimizer::Adam { beta1, .. } => hyper.momentum.unwrap_or(beta1),
        }
    }

    /// Advances the group's step count for this step and returns the update's scalars.
    pub fn coefficients(&self, hyper: StepHyper, steps: &mut u64) -> Coefficients {
        let mu = self.momentum(hyper);
        let first_step = *steps == 0;
        match *self {
            Optimizer::Sgd { .. } => {
                // torch creates the momentum buffer from the first gradient seen with momentum != 0.
                if mu != 0.0 {
                    *steps += 1;
                }
                Coefficients {
                    lr: hyper.lr as f32,
                    momentum: mu as f32,
                    step_size: 0.0,
                    correction2_sqrt: 1.0,
                    first_step,
                    first_weight: 0.0,
                    second_weight: 0.0,
                    decay: 1.0,
                }
            }
            Optimizer::Adam { beta2, weight_decay, decoupled, .. } => {
                *steps += 1;
                let k = *steps as f64;
                Coefficients {
                    lr: hyper.lr as f32,
                    momentum: mu as f32,
                    step_size: (hyper.lr / (1.0 - mu.powf(k))) as f32,
                    correction2_sqrt: (1.0 - beta2.powf(k)).sqrt() as f32,
                    first_step,
                    first_weight: (1.0 - mu) as f32,
                    second_weight: (1.0 - beta2) as f32,
                    decay: if decoupled { (1.0 - hyper.lr * weight_decay) as f32 } else { 1.0 },
                }
            }
        }
    }

    /// Updates `params` in place from `grads` with one step's coefficients, as one
    /// `optimizer.step()` does for one param group.
    pub fn apply(&self, params: &mut [f32], grads: &[f32], state: &mut GroupState, c: Coefficients) {
        match *self {
            Optimizer::Sgd { dampening, nesterov, weight_decay, .. } => {
                let sgd = Sgd::new(c, dampening, nesterov, weight_decay);
                sgd.apply(params, grads, &mut state.first);
            }
            Optimizer::Adam { beta2, eps, weight_decay, decoupled, .. } => {
                let adam = Adam::new(c, beta2, eps, weight_decay, decoupled);
                adam.apply(params, grads, &mut state.first, &mut state.second);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(opt: Optimizer, grads: &[[f32; 2]], hyper: StepHyper) -> [f32; 2] {
        let mut p = [1.0f32, -2.0];
        let (mut state, mut steps) = (GroupState::new(2), 0);
        for g in grads {
            opt.apply(&mut p, g, &mut state, opt.coefficients(hyper, &mut steps));
        }
        p
    }

    #[test]
    fn sgd_momentum_buffer_starts_as_the_first_gradient() {
        let opt = Optimizer::Sgd { momentum: 0.9, dampening: 0.5, nesterov: false, weight_decay: 0.0 };
        let p = run(opt, &[[1.0, 2.0], [1.0, 2.0]], StepHyper { lr: 0.1, momentum: None });
        // buf1 = g (no dampening on the first step); buf2 = 0.9 g + 0.5 g = 1.4 g.
        assert!((p[0] - (1.0 - 0.1 * 1.0 - 0.1 * 1.4)).abs() < 1e-6, "{p:?}");
    }

    #[test]
    fn adam_first_step_moves_each_weight_by_lr() {
        let opt = Optimizer::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.0, decoupled: false };
        let p = run(opt, &[[0.3, -5.0]], StepHyper { lr: 0.01, momentum: None });
        assert!((p[0] - 0.99).abs() < 1e-6 && (p[1] + 1.99).abs() < 1e-6, "{p:?}");
    }

    /// torch rounds `1 - beta1`, `1 - beta2` and `1 - lr * weight_decay` from Python floats once;
    /// computing them in f32 (1 - 0.999f32 = 0.0009999871) biased every step's second moment.
    #[test]
    fn adam_weights_are_rounded_once_from_f64_as_torch_does() {
        let opt = Optimizer::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.3, decoupled: true };
        let c = opt.coefficients(StepHyper { lr: 0.7, momentum: None }, &mut 0);
        assert_eq!((c.first_weight, c.second_weight, c.decay), (0.1f32, 0.001f32, (1.0 - 0.7 * 0.3) as f32));
        let (mut p, mut state) = ([1.0f32], GroupState::new(1));
        opt.apply(&mut p, &[3.0], &mut state, c);
        assert_eq!(state.first[0].to_bits(), (3.0 * 0.1f32).to_bits());
        assert_eq!(state.second[0].to_bits(), (0.001f32 * 3.0 * 3.0).to_bits());
    }

    #[test]
    fn adamw_decays_weights_without_touching_the_gradient() {
        let opt = Optimizer::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.5, decoupled: true };
        let p = run(opt, &[[0.0, 0.0]], StepHyper { lr: 0.1, momentum: None });
        assert!((p[0] - 0.95).abs() < 1e-6 && (p[1] + 1.9).abs() < 1e-6, "{p:?}");
    }
}
