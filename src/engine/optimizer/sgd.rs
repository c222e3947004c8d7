//! SGD's update, as torch.optim.SGD's single-tensor step, with the shortcut for parameters at
//! rest (see `rest`): the ReLU reference network trains 1.05-1.08x faster on an Intel CPU
//! natively at R = 1, 1.27x at 8 and 1.29-1.36x at 64, and in wasm 1.21x at 1 and 1.29x at 8
//! (`scripts/wasm-ab.mjs`); tanh (no unit at rest) within noise of before (0.93-1.0x). Chunks
//! of a fixed length, so that the rested buffers' arithmetic vectorises too, took it a further
//! 1.10x at R = 8 and 1.13x at 64, and the rest flags as bit masks about 1.05-1.1x more.

use super::rest::{self, all_ones_if, is_subnormal, rounded_product, stays, Chunk, Rested, MAGNITUDE, SIGN};
use super::Coefficients;

/// The scalars of one group's SGD step.
pub(super) struct Sgd {
    pub lr: f32,
    pub momentum: f32,
    pub weight_decay: f32,
    /// 1 - dampening.
    pub keep: f32,
    pub nesterov: bool,
    /// The momentum buffer starts as this step's gradient.
    pub first_step: bool,
}

/// The largest |lr| for which `lr · buf` (buf subnormal, |buf| < 2⁻¹²⁶) stays below half an
/// ulp of a parameter that rests (`rest::MIN_RESTING_PARAM`): |lr · buf| < 2²⁰ · 2⁻¹²⁶ = 2⁻¹⁰⁶.
const MAX_RESTING_LR: f32 = 1_048_576.0;

impl Sgd {
    pub fn new(c: Coefficients, dampening: f64, nesterov: bool, weight_decay: f64) -> Self {
        Self {
            lr: c.lr,
            momentum: c.momentum,
            weight_decay: weight_decay as f32,
            keep: (1.0 - dampening) as f32,
            nesterov,
            first_step: c.first_step,
        }
    }

    /// Updates `params` and their momentum buffers `bufs` from `grads`.
    pub fn apply(&self, params: &mut [f32], grads: &[f32], bufs: &mut [f32]) {
        let plain = |p: &mut [f32], g: &[f32], [buf]: [&mut [f32]; 1]| self.update_all(p, g, buf);
        if self.can_rest() {
            rest::apply_resting(params, grads, [bufs], plain, |chunk| self.rests(chunk));
        } else {
            plain(params, grads, [bufs]);
        }
    }

    fn update_all(&self, params: &mut [f32], grads: &[f32], bufs: &mut [f32]) {
        for ((p, &g), buf) in params.iter_mut().zip(grads).zip(bufs.iter_mut()) {
            self.update(p, g, buf);
        }
    }

    /// Whether this step can leave a parameter at rest as it is: a momentum buffer that decays
    /// (0 < momentum ≤ 1) by the gradient alone (no weight decay, no Nesterov term), past the
    /// first step, and a rate within `MAX_RESTING_LR`.
    fn can_rest(&self) -> bool {
        self.momentum > 0.0
            && self.momentum <= 1.0
            && self.weight_decay == 0.0
            && !self.nesterov
            && !self.first_step
            && self.keep.is_finite()
            && self.lr.abs() < MAX_RESTING_LR
    }

    /// Which buffers of a chunk rest, and their bits after the update (see `rest`).
    fn rests(&self, chunk: &Chunk<1>) -> Rested<1> {
        let Chunk { params, grads, state: [bufs] } = chunk;
        Rested {
            masks: [std::array::from_fn(|i| all_ones_if(self.at_rest(params[i], grads[i], bufs[i])))],
            bits: [std::array::from_fn(|i| self.rested_buffer(bufs[i], grads[i]).to_bits())],
        }
    }

    /// torch's step for one parameter.
    #[inline(always)]
    fn update(&self, p: &mut f32, g: f32, buf: &mut f32) {
        let mut d = if self.weight_decay != 0.0 { g + self.weight_decay * *p } else { g };
        if self.momentum != 0.0 {
            *buf = if self.first_step { d } else { self.momentum * *buf + self.keep * d };
            d = if self.nesterov { d + self.momentum * *buf } else { *buf };
        }
        *p -= self.lr * d;
    }

    /// Whether a parameter is at rest (see `rest`), where `can_rest` holds: a zero gradient, a
    /// subnormal buffer, and a parameter that `lr · buf` cannot move, all read from the bits.
    #[inline(always)]
    fn at_rest(&self, p: f32, g: f32, buf: f32) -> bool {
        (g.to_bits() & MAGNITUDE == 0) & is_subnormal(buf) & stays(p)
    }

    /// The buffer after `update` of a parameter at rest: momentum · buf + keep · g, from the bits.
    #[inline(always)]
    fn rested_buffer(&self, buf: f32, g: f32) -> f32 {
        // buf = ±k·2⁻¹⁴⁹, and with momentum ≤ 1 the product is ±(momentum · k rounded)·2⁻¹⁴⁹.
        let bits = buf.to_bits();
        let k = rounded_product(self.momentum, bits & MAGNITUDE);
        let sign = bits & SIGN;
        // Then + keep · g, which is ±0: the product as it is, or, where it is zero, the sum of
        // zeros for its sign.
        let zero = f32::from_bits(sign) + self.keep * g;
        if k != 0 {
            f32::from_bits(sign | k)
        } else {
            zero
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::optimizer::rest::test_values::{bits, mixed_group, subnormals};
    use crate::engine::optimizer::rest::MIN_RESTING_PARAM;

    const SGD: Sgd = Sgd { lr: 0.03, momentum: 0.9, weight_decay: 0.0, keep: 1.0, nesterov: false, first_step: false };

    /// Buffers at rest (both signs, every k up to 2¹⁰ and a spread to 2²³, so every rounding
    /// tie), each momentum in (0, 1], each sign of a zero gradient, with dampening: the same bits
    /// as the plain update (which the CPU computes with subnormals, as IEEE 754 says).
    #[test]
    fn a_parameter_at_rest_gets_the_plain_updates_bits() {
        let bufs = subnormals();
        for momentum in [0.9, 0.5, 0.95, 0.99, 1.0, 0.1, 0.85, 0.333_333_34, 1e-30] {
            for (keep, g) in [(1.0, 0.0), (1.0, -0.0), (0.5, 0.0), (0.0, -0.0), (-2.0, 0.0)] {
                for p in [0.25f32, -1.5, MIN_RESTING_PARAM, -3.0e30] {
                    let sgd = Sgd { momentum, keep, ..SGD };
                    for &buf in &bufs {
                        assert!(sgd.at_rest(p, g, buf), "{buf:e} at rest");
                        let (mut rested, mut rested_p) = (buf, p);
                        sgd.apply(std::slice::from_mut(&mut rested_p), &[g], std::slice::from_mut(&mut rested));
                        let (mut want, mut want_p) = (buf, p);
                        sgd.update(&mut want_p, g, &mut want);
                        assert_eq!(
                            (rested.to_bits(), rested_p.to_bits()),
                            (want.to_bits(), want_p.to_bits()),
                            "buf {buf:e}, momentum {momentum}, keep {keep}, g {g}, p {p}"
                        );
                    }
                }
            }
        }
    }

    /// A gradient, a normal buffer or a parameter too small to be sure of are not at rest.
    #[test]
    fn only_a_zero_gradient_a_subnormal_buffer_and_a_large_parameter_are_at_rest() {
        let tiny = f32::from_bits(3);
        for (p, g, buf) in [
            (1.0, 1e-3, tiny),
            (1.0, f32::from_bits(1), tiny),
            (1.0, 0.0, 1e-3),
            (1.0, 0.0, 0.0),
            (1e-30, 0.0, tiny),
            (f32::NAN, 0.0, tiny),
            (f32::INFINITY, 0.0, tiny),
        ] {
            assert!(!SGD.at_rest(p, g, buf), "p {p}, g {g}, buf {buf:e}");
        }
    }

    /// A mix of parameters at rest, moving ones and ones that could rest but are too small, over
    /// a length that leaves a remainder after the chunks, for several steps: `apply` and the
    /// plain update agree bit for bit, under each setting, including those that cannot rest.
    #[test]
    fn apply_gives_the_plain_updates_bits_at_rest_or_not() {
        let (params, grads, bufs) = mixed_group();
        let settings = [
            SGD,
            Sgd { keep: 0.5, ..SGD },
            Sgd { weight_decay: 1e-4, ..SGD },
            Sgd { nesterov: true, ..SGD },
            Sgd { first_step: true, ..SGD },
            Sgd { momentum: 0.0, ..SGD },
            Sgd { lr: 2e6, ..SGD },
        ];
        for sgd in settings {
            let (mut p, mut b) = (params.clone(), bufs.clone());
            let (mut want_p, mut want_b) = (params.clone(), bufs.clone());
            for _ in 0..40 {
                sgd.apply(&mut p, &grads, &mut b);
                sgd.update_all(&mut want_p, &grads, &mut want_b);
                assert_eq!((bits(&p), bits(&b)), (bits(&want_p), bits(&want_b)));
            }
        }
        // The mix has parameters at rest under the default setting.
        assert!(bufs.iter().zip(&grads).zip(&params).any(|((&b, &g), &p)| SGD.at_rest(p, g, b)));
    }
}
