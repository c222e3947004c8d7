//! Losses over a batch, with their gradient with respect to the network's outputs.

use super::elementary::{exp, larger, ln};
use super::{flat, flat_mut};
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

    /// The batch loss of each of `N` lanes (runs that share the batch) from their outputs
    /// feature-major, `[width][rows]` of one value per lane, writing d loss / d outputs in the same
    /// layout into `grad` where there is one (an evaluation needs none, and its loss is the same
    /// bits without). Every sample's terms are computed elementwise, in loops along the rows
    /// that vectorise (and across the lanes), so a lane gets the same bits as alone with `N = 1`.
    /// Inlined, so that it is compiled for whatever SIMD its caller is (the CPU packs' AVX loss).
    #[inline(always)]
    pub fn forward_backward<const N: usize>(
        self,
        outputs: &[[f32; N]],
        width: usize,
        target: Target,
        mut grad: Option<&mut [[f32; N]]>,
        scratch: &mut LossScratch<N>,
    ) -> [f32; N] {
        let rows = outputs.len() / width.max(1);
        if rows == 0 {
            return [f32::NAN; N];
        }
        let mut total = [0.0f64; N];
        let count = match (self, target) {
            (Loss::CrossEntropy, Target::Classes(labels)) => {
                // Log-sum-exp shifted by the max, so large logits do not overflow. The elementwise
                // passes are flat loops over every row and lane, which vectorise (natively, the
                // per-lane loops they replace compiled to scalar code).
                let (max, sum) = scratch.rows(rows);
                let (max, sum) = (flat_mut(max), flat_mut(sum));
                for column in outputs.chunks_exact(rows) {
                    for (m, &x) in max.iter_mut().zip(flat(column)) {
                        *m = larger(*m, x);
                    }
                }
                for column in outputs.chunks_exact(rows) {
                    for ((s, &m), &x) in sum.iter_mut().zip(&*max).zip(flat(column)) {
                        *s += exp(x - m);
                    }
                }
                let log_sum = max;
                for (l, &s) in log_sum.iter_mut().zip(&*sum) {
                    *l += ln(s);
                }
                let log_sum: &[[f32; N]] = bytemuck::cast_slice(log_sum);
                for ((n, l), &label) in log_sum.iter().enumerate().zip(labels) {
                    let picked = &outputs[label as usize * rows + n];
                    for k in 0..N {
                        total[k] += (l[k] - picked[k]) as f64;
                    }
                }
                if let Some(grad) = grad {
                    let batch = rows as f32;
                    for (c, (g_c, x_c)) in grad.chunks_exact_mut(rows).zip(outputs.chunks_exact(rows)).enumerate() {
                        // The softmax, then minus the one-hot label, over the batch.
                        for ((g, &x), &l) in flat_mut(g_c).iter_mut().zip(flat(x_c)).zip(flat(log_sum)) {
                            *g = exp(x - l);
                        }
                        for (g, &label) in g_c.iter_mut().zip(labels) {
                            let is_label = (label as usize == c) as u8 as f32;
                            for g in g {
                                *g = (*g - is_label) / batch;
                            }
                        }
                    }
                }
                rows as f64
            }
            (Loss::Mse, Target::Values(values)) => {
                let n = outputs.len() as f32;
                for (r, row_values) in values.chunks_exact(width).enumerate().take(rows) {
                    for (c, &y) in row_values.iter().enumerate() {
                        let y_hat = &outputs[c * rows + r];
                        let diff: [f32; N] = std::array::from_fn(|k| y_hat[k] - y);
                        for k in 0..N {
                            total[k] += (diff[k] * diff[k]) as f64;
                        }
                        if let Some(grad) = grad.as_deref_mut() {
                            let g = &mut grad[c * rows + r];
                            for k in 0..N {
                                g[k] = 2.0 * diff[k] / n;
                            }
                        }
                    }
                }
                outputs.len() as f64
            }
            // Options validation pairs cross-entropy with labels and MSE with values.
            _ => return [f32::NAN; N],
        };
        total.map(|t| (t / count) as f32)
    }

    /// How many of the batch's predictions are right (classification only), from outputs
    /// feature-major `[width][rows]`.
    pub fn correct(self, outputs: &[f32], width: usize, target: Target) -> Option<usize> {
        let Target::Classes(labels) = target else { return None };
        let rows = outputs.len() / width.max(1);
        let argmax = |n: usize| {
            (0..width)
                .map(|c| outputs[c * rows + n])
                .enumerate()
                .fold((0, f32::NEG_INFINITY), |best, (i, x)| if x > best.1 { (i, x) } else { best })
                .0
        };
        Some(labels.iter().enumerate().filter(|&(n, &label)| argmax(n) == label as usize).count())
    }
}

/// Per-row buffers of the cross-entropy for `N` lanes, reused from step to step.
#[derive(Default)]
pub struct LossScratch<const N: usize> {
    max: Vec<[f32; N]>,
    sum: Vec<[f32; N]>,
}

impl<const N: usize> LossScratch<N> {
    /// The running max (from -∞) and sum of exponentials (from 0) of `rows` rows.
    fn rows(&mut self, rows: usize) -> (&mut [[f32; N]], &mut [[f32; N]]) {
        self.max.clear();
        self.max.resize(rows, [f32::NEG_INFINITY; N]);
        self.sum.clear();
        self.sum.resize(rows, [0.0; N]);
        (&mut self.max, &mut self.sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One run's loss of feature-major `outputs` `[width][rows]`.
    fn alone(loss: Loss, outputs: &[f32], width: usize, target: Target, grad: &mut [f32]) -> f32 {
        let grad = bytemuck::cast_slice_mut(grad);
        loss.forward_backward::<1>(
            bytemuck::cast_slice(outputs),
            width,
            target,
            Some(grad),
            &mut LossScratch::default(),
        )[0]
    }

    #[test]
    fn names_follow_all() {
        assert_eq!(Loss::ALL.map(Loss::name), Loss::NAMES);
        assert!(Loss::NAMED.iter().all(|&(l, name)| l.name() == name));
    }

    #[test]
    fn cross_entropy_of_uniform_logits_is_log_classes() {
        let mut grad = [0.0; 6];
        let loss = alone(Loss::CrossEntropy, &[0.0; 6], 3, Target::Classes(&[0, 2]), &mut grad);
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
            alone(loss, &outputs, 3, target, &mut grad);
            for i in 0..6 {
                let at = |d: f32| {
                    let mut o = outputs;
                    o[i] += d;
                    alone(loss, &o, 3, target, &mut [0.0; 6]) as f64
                };
                let numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
                assert!((numeric - grad[i] as f64).abs() < 1e-3, "{}[{i}]: {numeric} vs {}", loss.name(), grad[i]);
            }
        }
    }

    /// Without a gradient to write, the loss is the same bits.
    #[test]
    fn the_loss_alone_is_the_loss_with_its_gradient() {
        let outputs = [0.3f32, -1.2, 2.5, 0.7, -0.4, 1.1];
        let values = [1.0f32, 0.0, -1.0, 0.5, 0.2, 0.3];
        for (loss, target) in [(Loss::CrossEntropy, Target::Classes(&[2, 0])), (Loss::Mse, Target::Values(&values))] {
            let with = alone(loss, &outputs, 3, target, &mut [0.0; 6]);
            let without = loss.forward_backward::<1>(
                bytemuck::cast_slice(&outputs),
                3,
                target,
                None,
                &mut LossScratch::default(),
            );
            assert_eq!(with.to_bits(), without[0].to_bits(), "{}", loss.name());
        }
    }

    /// Each of eight lanes gets the same bits as computed alone, for both losses.
    #[test]
    fn lanes_get_the_bits_of_one_run() {
        let lane_outputs = |k: usize| (0..6).map(|i| ((i * 5 + k * 3) % 7) as f32 * 1.7 - 4.0).collect::<Vec<f32>>();
        let values = [1.0f32, 0.0, -1.0, 0.5, 0.2, 0.3];
        let cases = [(Loss::CrossEntropy, Target::Classes(&[2, 0])), (Loss::Mse, Target::Values(&values))];
        for (loss, target) in cases {
            let packed: Vec<[f32; 8]> = (0..6).map(|i| std::array::from_fn(|k| lane_outputs(k)[i])).collect();
            let mut grads = vec![[0.0; 8]; 6];
            let losses = loss.forward_backward(&packed, 3, target, Some(&mut grads), &mut LossScratch::default());
            for k in 0..8 {
                let mut grad = [0.0; 6];
                assert_eq!(losses[k].to_bits(), alone(loss, &lane_outputs(k), 3, target, &mut grad).to_bits());
                assert!(grads.iter().zip(grad).all(|(g, want)| g[k].to_bits() == want.to_bits()), "{}", loss.name());
            }
        }
    }
}
