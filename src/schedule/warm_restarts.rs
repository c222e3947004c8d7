//! PyTorch's `CosineAnnealingWarmRestarts` (Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent
//! with Warm Restarts", 2017), with two extensions PyTorch rejects: a real-valued `T_mult`
//! (pytorch#62640) and `restart_decay`, which multiplies the peak rate at every restart (pytorch#95122).

use super::cosine::{cosine_between, ETA_MIN};
use super::{Curve, Kind, Library, LR};
use crate::limits::MAX_STEP;
use crate::spec::{Field, Preset, Reader, SpecError};

const T_0: Field = Field::int("T_0", 1, MAX_STEP, "Steps in the first cycle").example(Preset::Int(50));
const T_MULT: Field =
    Field::float("T_mult", 1.0, 10.0, "Each cycle is T_mult times longer than the last (PyTorch: integers only)")
        .default(Preset::Float(1.0));
const RESTART_DECAY: Field =
    Field::float("restart_decay", 0.0, 1.0, "Multiplies the peak rate at every restart (1: PyTorch)")
        .min_open()
        .default(Preset::Float(1.0));

struct WarmRestarts {
    lr: f64,
    t_0: f64,
    t_mult: f64,
    eta_min: f64,
    restart_decay: f64,
}

impl WarmRestarts {
    /// The first step of cycle `k`: the sum of the lengths of cycles 0..k.
    fn cycle_start(&self, k: u64) -> f64 {
        if self.t_mult == 1.0 {
            self.t_0 * k as f64
        } else {
            self.t_0 * (self.t_mult.powf(k as f64) - 1.0) / (self.t_mult - 1.0)
        }
    }

    /// The cycle that step `t` falls in, found in closed form and then corrected for rounding so
    /// that a restart happens exactly when PyTorch's `T_cur >= T_i` test fires.
    fn cycle_of(&self, t: f64) -> u64 {
        let estimate = if self.t_mult == 1.0 {
            (t / self.t_0).floor()
        } else {
            ((t * (self.t_mult - 1.0) / self.t_0 + 1.0).ln() / self.t_mult.ln()).floor()
        };
        let mut k = estimate.max(0.0) as u64;
        while k > 0 && self.cycle_start(k) > t {
            k -= 1;
        }
        while self.cycle_start(k + 1) <= t {
            k += 1;
        }
        k
    }
}

impl Curve for WarmRestarts {
    fn lr(&self, t: u64) -> f64 {
        let t = t as f64;
        let k = self.cycle_of(t);
        let t_cur = t - self.cycle_start(k);
        let t_i = self.t_0 * self.t_mult.powf(k as f64);
        let peak = self.lr * self.restart_decay.powf(k as f64);
        cosine_between(peak, self.eta_min, t_cur / t_i)
    }
}

fn build(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    Ok(Box::new(WarmRestarts {
        lr: r.float(&LR)?,
        t_0: r.int(&T_0)? as f64,
        t_mult: r.float(&T_MULT)?,
        eta_min: r.float(&ETA_MIN)?,
        restart_decay: r.float(&RESTART_DECAY)?,
    }))
}

pub const COSINE_ANNEALING_WARM_RESTARTS: Kind = Kind {
    name: "CosineAnnealingWarmRestarts",
    library: Library::PyTorch,
    description:
        "PyTorch CosineAnnealingWarmRestarts (SGDR): cosine cycles of T_0, T_0·T_mult, … steps, each restarting at lr.",
    fields: &[LR, T_0, T_MULT, ETA_MIN, RESTART_DECAY],
    cycles_momentum: false,
    build,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    fn sample(spec: serde_json::Value, n: u64) -> Vec<f64> {
        Schedule::from_spec(&spec).unwrap().sample(n).unwrap().lr
    }

    #[test]
    fn restarts_after_t_0_then_doubles() {
        let lr = sample(json!({"kind": "CosineAnnealingWarmRestarts", "lr": 1.0, "T_0": 2, "T_mult": 2}), 8);
        // Cycles of 2 then 4 steps: restarts at t = 2 and t = 6.
        let expected = [1.0, 0.5, 1.0, 0.8535533905932737, 0.5, 0.14644660940672627, 1.0, 0.9619397662556434];
        for (a, b) in lr.iter().zip(expected) {
            assert!((a - b).abs() < 1e-15, "{lr:?}");
        }
    }

    #[test]
    fn real_t_mult_restarts_at_the_first_step_past_the_boundary() {
        // Cycles of 2 and 3 steps, then 4.5: the third restart comes at t = 9.5, seen at t = 10 as T_cur = 0.5.
        let lr = sample(json!({"kind": "CosineAnnealingWarmRestarts", "lr": 1.0, "T_0": 2, "T_mult": 1.5}), 11);
        assert_eq!(lr[5], 1.0);
        let expected = (1.0 + (std::f64::consts::PI * 0.5 / 6.75).cos()) / 2.0;
        assert!((lr[10] - expected).abs() < 1e-15, "{lr:?}");
    }

    #[test]
    fn restart_decay_lowers_each_peak() {
        let lr = sample(json!({"kind": "CosineAnnealingWarmRestarts", "lr": 1.0, "T_0": 3, "restart_decay": 0.5}), 7);
        assert_eq!([lr[0], lr[3], lr[6]], [1.0, 0.5, 0.25]);
    }
}
