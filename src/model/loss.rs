//! Losses over a batch, with their gradient with respect to the network's outputs.

use crate::spec::{name_of, names, variants};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// Softmax cross-entropy against class labels, mean over the batch (`nn.CrossEntropyLoss()`).
    CrossEntropy,
    /// Squared error, mean over every element (`nn.MSELoss()`).
    Mse,
}

/// What the network is trained against: class labels or target values, row-major per sample.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    Classes(&'a [u32]),
    Values(&'a [f32]),
}

impl Loss {
    /// Every loss with its name in specs: the one table of names.
    pub const NAMED: [(Loss, &'static str); 2] = [(Loss::CrossEntropy, "cross_entropy"), (Loss::Mse, "mse")];
    pub const ALL: [Loss; 2] = variants(&Self::NAMED);
    /// The names alone, usable in consts (option tables list them as choices).
    pub const NAMES: [&'static str; 2] = names(&Self::NAMED);

    pub fn name(self) -> &'static str {
        name_of(&Self::NAMED, self)
    }

    /// The batch loss of `outputs` [batch, width], writing d loss / d outputs into `grad`.
    pub fn forward_backward(self, outputs: &[f32], width: usize, target: Target, grad: &mut [f32]) -> f32 {
        let batch = outputs.len() / width;
        match (self, target) {
            (Loss::CrossEntropy, Target::Classes(labels)) => {
                let mut total = 0.0f64;
                for ((row, g), &label) in outputs.chunks(width).zip(grad.chunks_mut(width)).zip(labels) {
                    // Log-sum-exp shifted by the max, so large logits do not overflow.
                    let max = row.iter().fold(f32::NEG_INFINITY, |m, &x| m.max(x));
                    let sum: f32 = row.iter().map(|&x| (x - max).exp()).sum();
                    let log_sum = max + sum.ln();
                    total += (log_sum - row[label as usize]) as f64;
                    for (k, (gk, &x)) in g.iter_mut().zip(row).enumerate() {
                        let p = (x - log_sum).exp();
                        *gk = (p - (k == label as usize) as u8 as f32) / batch as f32;
                    }
                }
                (total / batch as f64) as f32
            }
            (Loss::Mse, Target::Values(values)) => {
                let n = outputs.len() as f32;
                let mut total = 0.0f64;
                for ((g, &y_hat), &y) in grad.iter_mut().zip(outputs).zip(values) {
                    let diff = y_hat - y;
                    total += (diff * diff) as f64;
                    *g = 2.0 * diff / n;
                }
                (total / outputs.len() as f64) as f32
            }
            // Options validation pairs cross-entropy with labels and MSE with values.
            _ => f32::NAN,
        }
    }

    /// How many of the batch's predictions are right (classification only).
    pub fn correct(self, outputs: &[f32], width: usize, target: Target) -> Option<usize> {
        let Target::Classes(labels) = target else { return None };
        let argmax = |row: &[f32]| {
            row.iter()
                .enumerate()
                .fold((0, f32::NEG_INFINITY), |best, (i, &x)| if x > best.1 { (i, x) } else { best })
                .0
        };
        Some(outputs.chunks(width).zip(labels).filter(|(row, &label)| argmax(row) == label as usize).count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_all() {
        assert_eq!(Loss::ALL.map(Loss::name), Loss::NAMES);
        assert!(Loss::NAMED.iter().all(|&(l, name)| l.name() == name));
    }

    #[test]
    fn cross_entropy_of_uniform_logits_is_log_classes() {
        let mut grad = [0.0; 6];
        let loss = Loss::CrossEntropy.forward_backward(&[0.0; 6], 3, Target::Classes(&[0, 2]), &mut grad);
        assert!((loss - 3f32.ln()).abs() < 1e-6);
        assert!((grad[0] - (1.0 / 3.0 - 1.0) / 2.0).abs() < 1e-7 && (grad[1] - 1.0 / 6.0).abs() < 1e-7);
    }

    #[test]
    fn losses_have_finite_difference_gradients() {
        let outputs = [0.3f32, -1.2, 2.0, 0.7, 0.1, -0.4];
        let values = [1.0f32, 0.0, -1.0, 0.5, 0.2, 0.3];
        let cases = [(Loss::CrossEntropy, Target::Classes(&[2, 0])), (Loss::Mse, Target::Values(&values))];
        for (loss, target) in cases {
            let mut grad = [0.0; 6];
            loss.forward_backward(&outputs, 3, target, &mut grad);
            for i in 0..6 {
                let at = |d: f32| {
                    let mut o = outputs;
                    o[i] += d;
                    loss.forward_backward(&o, 3, target, &mut [0.0; 6]) as f64
                };
                let numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
                assert!((numeric - grad[i] as f64).abs() < 1e-3, "{}[{i}]: {numeric} vs {}", loss.name(), grad[i]);
            }
        }
    }
}
