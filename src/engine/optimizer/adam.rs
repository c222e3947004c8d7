//! Adam's and AdamW's update, as torch.optim.Adam's single-tensor step, with the shortcut for
//! parameters at rest (see `rest`): a dead ReLU unit's first moments decay into the subnormals
//! within about 800 steps, and the ReLU reference network with Adam then spent two thirds of
//! its step in the update's assists. At rest, it trains about 2x faster at R = 1 and at R = 64
//! natively (`TRAINING_OPTIMIZER='{"kind":"adam"}' cargo bench --bench training`).

use super::rest::{self, all_ones_if, rounded_product, stays, Chunk, Rested, CHUNK, MAGNITUDE, MIN_NORMAL_BITS, SIGN};
use super::Coefficients;

/// The scalars of one group's Adam step.
pub(super) struct Adam {
    /// lr / (1 - beta1^k).
    pub step_size: f32,
    /// sqrt(1 - beta2^k).
    pub correction2_sqrt: f32,
    pub beta2: f32,
    pub eps: f32,
    /// 1 - beta1 and 1 - beta2 (see `Coefficients`).
    pub first_weight: f32,
    pub second_weight: f32,
    /// L2 weight decay added to the gradient (Adam).
    pub weight_decay: f32,
    /// AdamW: the weights' decay, 1 - lr·wd, applied before the step.
    pub decoupled: bool,
    pub decay: f32,
}

/// The largest `step_size / eps` for which `step_size · m / denom` (m subnormal, |m| < 2⁻¹²⁶,
/// denom ≥ eps) stays below half an ulp of a parameter that rests (`rest::MIN_RESTING_PARAM`):
/// below 2⁴⁰ · 2⁻¹²⁶ = 2⁻⁸⁶, with room for the rounding of the product and the quotient.
const MAX_RESTING_STEP_OVER_EPS: f32 = 1_099_511_627_776.0;

impl Adam {
    pub fn new(c: Coefficients, beta2: f64, eps: f64, weight_decay: f64, decoupled: bool) -> Self {
        Self {
            step_size: c.step_size,
            correction2_sqrt: c.correction2_sqrt,
            beta2: beta2 as f32,
            eps: eps as f32,
            first_weight: c.first_weight,
            second_weight: c.second_weight,
            weight_decay: weight_decay as f32,
            decoupled,
            decay: c.decay,
        }
    }

    /// Updates `params` and their moments `m` and `v` from `grads`.
    pub fn apply(&self, params: &mut [f32], grads: &[f32], m: &mut [f32], v: &mut [f32]) {
        let plain = |p: &mut [f32], g: &[f32], [m, v]: [&mut [f32]; 2]| self.update_all(p, g, m, v);
        if self.can_rest() {
            rest::apply_resting(params, grads, [m, v], plain, |chunk| self.rests(chunk));
        } else {
            plain(params, grads, [m, v]);
        }
    }

    fn update_all(&self, params: &mut [f32], grads: &[f32], m: &mut [f32], v: &mut [f32]) {
        for ((p, &g), (m, v)) in params.iter_mut().zip(grads).zip(m.iter_mut().zip(v.iter_mut())) {
            self.update(p, g, m, v);
        }
    }

    /// Whether this step can leave a parameter at rest as it is: a first moment that decays by
    /// the gradient alone (first weight in [0, 1]), a second moment that stays finite and
    /// non-negative (beta2 and its weight in [0, 1]), a denominator of at least eps > 0 (a
    /// positive correction), and a step size within `MAX_RESTING_STEP_OVER_EPS` of eps.
    fn can_rest(&self) -> bool {
        let unit = |x: f32| (0.0..=1.0).contains(&x);
        unit(self.first_weight)
            && unit(self.beta2)
            && unit(self.second_weight)
            && self.eps > 0.0
            && self.eps.is_finite()
            && self.correction2_sqrt > 0.0
            && self.correction2_sqrt.is_finite()
            && self.step_size.abs() < MAX_RESTING_STEP_OVER_EPS * self.eps
    }

    /// Which moments of a chunk rest, and their bits after the update (see `rest`): the first,
    /// and the second where it is subnormal too, as it becomes after some 70,000 steps (a normal
    /// one the plain update takes as the true update does).
    fn rests(&self, chunk: &Chunk<2>) -> Rested<2> {
        let Chunk { params, grads, state: [m, v] } = chunk;
        let m_rests: [u32; CHUNK] = std::array::from_fn(|i| all_ones_if(self.at_rest(params[i], grads[i], m[i], v[i])));
        Rested {
            masks: [m_rests, std::array::from_fn(|i| m_rests[i] & all_ones_if(v[i].to_bits() < MIN_NORMAL_BITS))],
            bits: [
                std::array::from_fn(|i| self.rested_first_moment(m[i]).to_bits()),
                std::array::from_fn(|i| rounded_product(self.beta2, v[i].to_bits() & MAGNITUDE)),
            ],
        }
    }

    /// torch's step for one parameter.
    #[inline(always)]
    fn update(&self, p: &mut f32, g: f32, m: &mut f32, v: &mut f32) {
        let g = self.gradient(p, g);
        // exp_avg.lerp_(grad, 1 - beta1)
        *m += (g - *m) * self.first_weight;
        *v = self.beta2 * *v + self.second_weight * g * g;
        let denom = v.sqrt() / self.correction2_sqrt + self.eps;
        *p -= self.step_size * *m / denom;
    }

    /// The gradient the moments see: AdamW decays `p` first, Adam adds the L2 term.
    #[inline(always)]
    fn gradient(&self, p: &mut f32, g: f32) -> f32 {
        if self.decoupled {
            *p *= self.decay;
            g
        } else {
            g + self.weight_decay * *p
        }
    }

    /// Whether a parameter is at rest, where `can_rest` holds: a zero gradient (with Adam's L2
    /// term), a first moment that is subnormal or zero, a second moment that is finite and
    /// non-negative, and a parameter (AdamW: once decayed) that the step cannot move.
    #[inline(always)]
    fn at_rest(&self, p: f32, g: f32, m: f32, v: f32) -> bool {
        let mut p = p;
        let g = self.gradient(&mut p, g);
        (g.to_bits() & MAGNITUDE == 0)
            & (m.to_bits() & MAGNITUDE < MIN_NORMAL_BITS)
            & stays(p)
            & (v.to_bits() < f32::INFINITY.to_bits())
    }

    /// The first moment after `update` of a parameter at rest, from the bits: m = ±k·2⁻¹⁴⁹ and
    /// g = ±0, so g - m = -m, times the weight is ∓j·2⁻¹⁴⁹ with j = weight · k rounded, and the
    /// sum ±(k - j)·2⁻¹⁴⁹ is exact: +0 where it cancels (and for m = ±0). The second moment,
    /// where subnormal or zero, is beta2 · v rounded on the same grid, plus weight · g² = +0.
    #[inline(always)]
    fn rested_first_moment(&self, m: f32) -> f32 {
        let bits = m.to_bits();
        let k = bits & MAGNITUDE;
        let left = k - rounded_product(self.first_weight, k).min(k);
        f32::from_bits(if left == 0 { 0 } else { (bits & SIGN) | left })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::optimizer::rest::test_values::{bits, mixed_group, subnormals};
    use crate::engine::optimizer::rest::MIN_RESTING_PARAM;

    const ADAM: Adam = Adam {
        step_size: 0.01,
        correction2_sqrt: 0.3,
        beta2: 0.999,
        eps: 1e-8,
        first_weight: 0.1,
        second_weight: 0.001,
        weight_decay: 0.0,
        decoupled: false,
        decay: 1.0,
    };

    /// First moments at rest (both signs, every k up to 2¹⁰ and a spread to 2²³, so every
    /// rounding tie, and zeros), under several first weights, second moments (normal, subnormal
    /// and zero) and AdamW's decay: the same bits as the plain update (which the CPU computes
    /// with subnormals, as IEEE 754 says).
    #[test]
    fn a_parameter_at_rest_gets_the_plain_updates_bits() {
        let moments: Vec<f32> = subnormals().into_iter().chain([0.0, -0.0]).collect();
        let settings = [
            ADAM,
            Adam { first_weight: 0.5, ..ADAM },
            Adam { first_weight: 1.0, ..ADAM },
            Adam { first_weight: 0.05, ..ADAM },
            Adam { first_weight: 1e-30, ..ADAM },
            Adam { decoupled: true, decay: 0.999_7, ..ADAM },
            Adam { step_size: -3.0, eps: 1e-3, ..ADAM },
        ];
        for adam in settings {
            assert!(adam.can_rest());
            // The smallest parameter that rests, once AdamW has decayed it.
            let smallest = if adam.decoupled { MIN_RESTING_PARAM * 1.001 } else { MIN_RESTING_PARAM };
            let seconds = [1e-4, 0.0, 3.0e-30, f32::MIN_POSITIVE, f32::from_bits(5), f32::from_bits(0x7f_ffff)];
            for (g, v) in seconds.iter().flat_map(|&v| [(0.0, v), (-0.0, v)]) {
                for p in [0.25f32, -1.5, smallest, -3.0e30] {
                    for &m in &moments {
                        assert!(
                            adam.at_rest(p, g, m, v),
                            "{m:e} at rest, p {p}, g {g}, v {v:e}, weight {}",
                            adam.first_weight
                        );
                        let (mut rested_p, mut rested_m, mut rested_v) = (p, m, v);
                        adam.apply(
                            std::slice::from_mut(&mut rested_p),
                            &[g],
                            std::slice::from_mut(&mut rested_m),
                            std::slice::from_mut(&mut rested_v),
                        );
                        let (mut want_p, mut want_m, mut want_v) = (p, m, v);
                        adam.update(&mut want_p, g, &mut want_m, &mut want_v);
                        assert_eq!(
                            bits(&[rested_p, rested_m, rested_v]),
                            bits(&[want_p, want_m, want_v]),
                            "m {m:e}, p {p}, g {g}, v {v:e}, weight {}",
                            adam.first_weight
                        );
                    }
                }
            }
        }
    }

    /// A gradient, a normal first moment, a parameter too small to be sure of or a second
    /// moment that is not finite or negative are not at rest; nor is a parameter whose L2 term moves it.
    #[test]
    fn only_a_zero_gradient_a_tiny_moment_and_a_large_parameter_are_at_rest() {
        let tiny = f32::from_bits(3);
        for (adam, p, g, m, v) in [
            (ADAM, 1.0, 1e-3, tiny, 1e-4),
            (ADAM, 1.0, f32::from_bits(1), tiny, 1e-4),
            (ADAM, 1.0, 0.0, 1e-3, 1e-4),
            (ADAM, 1e-30, 0.0, tiny, 1e-4),
            (ADAM, f32::NAN, 0.0, tiny, 1e-4),
            (ADAM, 1.0, 0.0, tiny, f32::NAN),
            (ADAM, 1.0, 0.0, tiny, f32::INFINITY),
            (ADAM, 1.0, 0.0, tiny, -1e-4),
            (Adam { weight_decay: 1e-2, ..ADAM }, 1.0, 0.0, tiny, 1e-4),
            (Adam { decoupled: true, decay: 0.5, ..ADAM }, MIN_RESTING_PARAM * 1.5, 0.0, tiny, 1e-4),
        ] {
            assert!(!adam.at_rest(p, g, m, v), "p {p}, g {g}, m {m:e}, v {v:e}");
        }
        for adam in [
            Adam { eps: 0.0, ..ADAM },
            Adam { step_size: 1e5, ..ADAM },
            Adam { correction2_sqrt: 0.0, ..ADAM },
            Adam { first_weight: 1.5, ..ADAM },
            Adam { beta2: 1.5, ..ADAM },
        ] {
            assert!(!adam.can_rest());
        }
    }

    /// A mix of parameters at rest, moving ones and ones too small to rest, over a length that
    /// leaves a remainder after the chunks, for several steps: `apply` and the plain update
    /// agree bit for bit, under each setting, including those that cannot rest.
    #[test]
    fn apply_gives_the_plain_updates_bits_at_rest_or_not() {
        let (params, grads, first) = mixed_group();
        let n = params.len();
        let second: Vec<f32> =
            (0..n).map(|i| if i % 6 == 1 { f32::from_bits(i as u32 * 11) } else { 1e-3 / (1 + i) as f32 }).collect();
        let settings = [
            ADAM,
            Adam { decoupled: true, decay: 0.999, ..ADAM },
            Adam { weight_decay: 1e-4, ..ADAM },
            Adam { first_weight: 0.5, ..ADAM },
            Adam { eps: 0.0, ..ADAM },
            Adam { step_size: 2e6, ..ADAM },
        ];
        for adam in settings {
            let (mut p, mut m, mut v) = (params.clone(), first.clone(), second.clone());
            let (mut want_p, mut want_m, mut want_v) = (params.clone(), first.clone(), second.clone());
            for _ in 0..40 {
                adam.apply(&mut p, &grads, &mut m, &mut v);
                adam.update_all(&mut want_p, &grads, &mut want_m, &mut want_v);
                assert_eq!((bits(&p), bits(&m), bits(&v)), (bits(&want_p), bits(&want_m), bits(&want_v)));
            }
        }
        // The mix has parameters at rest under the default setting.
        assert!((0..n).any(|i| ADAM.at_rest(params[i], grads[i], first[i], second[i])));
    }
}
