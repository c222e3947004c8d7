//! Filter-normalised random directions (Li et al. 2018, "Visualizing the Loss Landscape of
//! Neural Nets", section 4): a Gaussian direction d whose every filter is rescaled to the norm
//! of the same filter of θ, so that a step along d means the same relative change for every
//! unit however its weights are scaled.
//!
//! For an MLP a filter is one output unit's incoming weights: a row of the Linear weight
//! `[out, in]`. Biases are left out (zero) by default, as Li et al.'s `ignore='biasbn'`. With
//! `biases`, each layer's bias vector is treated as one more filter and rescaled to the norm of
//! θ's bias vector; Li et al.'s reference code instead copies θ's bias into d there, which makes
//! the bias move by a fixed fraction of itself and not at random.

use crate::model::Mlp;
use crate::rng::{normal, seeded_stream, Rng, DIRECTIONS_STREAM};

/// Li et al.'s guard against a zero-norm direction filter.
const NORM_EPS: f32 = 1e-10;

/// The two landscape directions for `seed`, in `params` order, normalised against `theta`.
pub fn random_pair(mlp: &Mlp, theta: &[f32], seed: u64, biases: bool) -> [Vec<f32>; 2] {
    let mut rng = seeded_stream(seed, DIRECTIONS_STREAM);
    let first = filter_normalized(mlp, theta, &mut rng, biases);
    let second = filter_normalized(mlp, theta, &mut rng, biases);
    [first, second]
}

/// One Gaussian direction, filter-normalised against `theta` (P values, `params` order).
pub fn filter_normalized(mlp: &Mlp, theta: &[f32], rng: &mut Rng, biases: bool) -> Vec<f32> {
    let mut d: Vec<f32> = theta.iter().map(|_| normal(rng) as f32).collect();
    for l in 0..mlp.linear_count() {
        let (fan_in, fan_out) = mlp.shape(l);
        let (weights, bias) = (mlp.weight_offset(l), mlp.bias_offset(l));
        for row in 0..fan_out {
            let filter = weights + row * fan_in..weights + (row + 1) * fan_in;
            rescale(&mut d[filter.clone()], &theta[filter]);
        }
        let bias = bias..bias + fan_out;
        if biases {
            rescale(&mut d[bias.clone()], &theta[bias]);
        } else {
            d[bias].fill(0.0);
        }
    }
    d
}

fn norm(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum::<f32>().sqrt()
}

/// `d` scaled to the norm of `like`.
fn rescale(d: &mut [f32], like: &[f32]) {
    let scale = norm(like) / (norm(d) + NORM_EPS);
    d.iter_mut().for_each(|x| *x *= scale);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activation, Loss};
    use crate::rng::seeded;

    fn mlp() -> Mlp {
        Mlp { layers: vec![3, 5, 4, 2], activation: Activation::Tanh, loss: Loss::CrossEntropy }
    }

    fn rows(mlp: &Mlp, v: &[f32], l: usize) -> Vec<f32> {
        let (fan_in, fan_out) = mlp.shape(l);
        (0..fan_out).map(|o| norm(&v[mlp.weight_offset(l) + o * fan_in..][..fan_in])).collect()
    }

    #[test]
    fn every_filter_has_the_norm_of_thetas_and_biases_stay_zero() {
        let mlp = mlp();
        let theta = mlp.init(&mut seeded(4));
        for d in random_pair(&mlp, &theta, 9, false) {
            assert_eq!(d.len(), mlp.param_count());
            for l in 0..mlp.linear_count() {
                for (got, want) in rows(&mlp, &d, l).iter().zip(rows(&mlp, &theta, l)) {
                    assert!((got - want).abs() <= 1e-6 * want, "layer {l}: {got} vs {want}");
                }
                let bias = mlp.bias_offset(l);
                assert!(d[bias..bias + mlp.shape(l).1].iter().all(|&b| b == 0.0), "layer {l}'s bias is zero");
            }
        }
    }

    #[test]
    fn biases_when_asked_take_the_norm_of_each_bias_vector() {
        let mlp = mlp();
        let theta = mlp.init(&mut seeded(4));
        let [d, _] = random_pair(&mlp, &theta, 9, true);
        for l in 0..mlp.linear_count() {
            let bias = mlp.bias_offset(l)..mlp.bias_offset(l) + mlp.shape(l).1;
            let (got, want) = (norm(&d[bias.clone()]), norm(&theta[bias]));
            assert!((got - want).abs() <= 1e-6 * want, "layer {l}: {got} vs {want}");
        }
    }

    #[test]
    fn seeded_distinct_and_a_zero_filter_stays_zero() {
        let mlp = mlp();
        let mut theta = mlp.init(&mut seeded(4));
        let [a, b] = random_pair(&mlp, &theta, 9, false);
        assert_eq!(random_pair(&mlp, &theta, 9, false), [a.clone(), b.clone()]);
        assert_ne!(a, b);
        assert_ne!(random_pair(&mlp, &theta, 10, false)[0], a);
        // A dead unit (all-zero incoming weights) gets a zero direction row, not NaN.
        theta[..3].fill(0.0);
        let [d, _] = random_pair(&mlp, &theta, 9, false);
        assert_eq!(&d[..3], &[0.0; 3]);
        assert!(d.iter().all(|x| x.is_finite()));
    }
}
