//! transformers' warm-up-then-decay schedules: constant, linear, cosine (with hard restarts, or
//! down to a floor) and polynomial.

use std::f64::consts::PI;

use super::{progress, warmup, NUM_CYCLES, NUM_TRAINING_STEPS, NUM_WARMUP_STEPS};
use crate::schedule::{Curve, Kind, Library, LR};
use crate::spec::{Field, Preset, Reader, SpecError};

/// What follows the warm-up, as a factor of `lr`.
enum Decay {
    Constant,
    Linear,
    Cosine {
        num_cycles: f64,
        min_lr_rate: f64,
    },
    HardRestarts {
        num_cycles: f64,
    },
    /// `lr_end` and `power`; the factor is computed as transformers does, `decay / lr`.
    Polynomial {
        lr_end: f64,
        power: f64,
    },
}

struct WarmupDecay {
    lr: f64,
    num_warmup_steps: u64,
    num_training_steps: u64,
    decay: Decay,
}

impl WarmupDecay {
    fn factor(&self, t: u64) -> f64 {
        if let Some(f) = warmup(t, self.num_warmup_steps) {
            return f;
        }
        let (w, n) = (self.num_warmup_steps, self.num_training_steps);
        match self.decay {
            Decay::Constant => 1.0,
            Decay::Linear => (0f64).max((n as f64 - t as f64) / n.saturating_sub(w).max(1) as f64),
            Decay::Cosine { num_cycles, min_lr_rate } => {
                let factor = 0.5 * (1.0 + (PI * num_cycles * 2.0 * progress(t, w, n)).cos());
                (0f64).max(factor * (1.0 - min_lr_rate) + min_lr_rate)
            }
            Decay::HardRestarts { num_cycles } => {
                let p = progress(t, w, n);
                if p >= 1.0 {
                    return 0.0;
                }
                (0f64).max(0.5 * (1.0 + (PI * ((num_cycles * p) % 1.0)).cos()))
            }
            Decay::Polynomial { lr_end, power } => {
                if t > n {
                    return lr_end / self.lr;
                }
                let pct_remaining = 1.0 - (t - w) as f64 / (n - w) as f64;
                ((self.lr - lr_end) * pct_remaining.powf(power) + lr_end) / self.lr
            }
        }
    }
}

impl Curve for WarmupDecay {
    fn lr(&self, t: u64) -> f64 {
        self.lr * self.factor(t)
    }
}

fn read(r: &Reader, num_training_steps: u64, decay: Decay) -> Result<Box<dyn Curve>, SpecError> {
    Ok(Box::new(WarmupDecay {
        lr: r.float(&LR)?,
        num_warmup_steps: r.int(&NUM_WARMUP_STEPS)?,
        num_training_steps,
        decay,
    }))
}

const NUM_HARD_RESTARTS: Field =
    Field::int("num_cycles", 0, 1_000_000, "Cosine cycles, each restarting at lr").default(Preset::Int(1));
const LR_END: Field = Field::float("lr_end", 0.0, 100.0, "The rate at the end of the decay (below lr)")
    .log()
    .default(Preset::Float(1e-7));
const POWER: Field = Field::float("power", 0.0, 100.0, "Exponent of the decay").default(Preset::Float(1.0));
const MIN_LR: Field =
    Field::float("min_lr", 0.0, 100.0, "The lowest rate (give this or min_lr_rate)").default(Preset::Null);
const MIN_LR_RATE: Field =
    Field::float("min_lr_rate", 0.0, 1.0, "The lowest rate as a fraction of lr (give this or min_lr)")
        .default(Preset::Null)
        .example(Preset::Float(0.1));

pub const GET_CONSTANT_SCHEDULE_WITH_WARMUP: Kind = Kind {
    name: "get_constant_schedule_with_warmup",
    library: Library::Transformers,
    description: "Linear warm-up from 0 to lr, then constant.",
    fields: &[LR, NUM_WARMUP_STEPS],
    cycles_momentum: false,
    build: |r| {
        Ok(Box::new(WarmupDecay {
            lr: r.float(&LR)?,
            num_warmup_steps: r.int(&NUM_WARMUP_STEPS)?,
            num_training_steps: 0,
            decay: Decay::Constant,
        }))
    },
};

pub const GET_LINEAR_SCHEDULE_WITH_WARMUP: Kind = Kind {
    name: "get_linear_schedule_with_warmup",
    library: Library::Transformers,
    description: "Linear warm-up to lr, then linear decay to 0 at num_training_steps.",
    fields: &[LR, NUM_WARMUP_STEPS, NUM_TRAINING_STEPS],
    cycles_momentum: false,
    build: |r| read(r, r.int(&NUM_TRAINING_STEPS)?, Decay::Linear),
};

pub const GET_COSINE_SCHEDULE_WITH_WARMUP: Kind = Kind {
    name: "get_cosine_schedule_with_warmup",
    library: Library::Transformers,
    description: "Linear warm-up to lr, then cosine decay to 0 at num_training_steps.",
    fields: &[LR, NUM_WARMUP_STEPS, NUM_TRAINING_STEPS, NUM_CYCLES],
    cycles_momentum: false,
    build: |r| {
        read(r, r.int(&NUM_TRAINING_STEPS)?, Decay::Cosine { num_cycles: r.float(&NUM_CYCLES)?, min_lr_rate: 0.0 })
    },
};

pub const GET_COSINE_WITH_HARD_RESTARTS_SCHEDULE_WITH_WARMUP: Kind = Kind {
    name: "get_cosine_with_hard_restarts_schedule_with_warmup",
    library: Library::Transformers,
    description: "Linear warm-up to lr, then num_cycles cosine decays to 0, each restarting at lr.",
    fields: &[LR, NUM_WARMUP_STEPS, NUM_TRAINING_STEPS, NUM_HARD_RESTARTS],
    cycles_momentum: false,
    build: |r| {
        let num_cycles = r.int(&NUM_HARD_RESTARTS)? as f64;
        read(r, r.int(&NUM_TRAINING_STEPS)?, Decay::HardRestarts { num_cycles })
    },
};

fn build_polynomial(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let (lr, lr_end) = (r.float(&LR)?, r.float(&LR_END)?);
    if lr_end >= lr {
        return Err(r.error(&LR_END, format!("must be smaller than lr ({lr}), got {lr_end}")));
    }
    let (w, n) = (r.int(&NUM_WARMUP_STEPS)?, r.int(&NUM_TRAINING_STEPS)?);
    if w == n {
        // transformers divides by num_training_steps - num_warmup_steps at that step.
        return Err(r.error(&NUM_TRAINING_STEPS, "must differ from num_warmup_steps (the decay would have no steps)"));
    }
    read(r, n, Decay::Polynomial { lr_end, power: r.float(&POWER)? })
}

pub const GET_POLYNOMIAL_DECAY_SCHEDULE_WITH_WARMUP: Kind = Kind {
    name: "get_polynomial_decay_schedule_with_warmup",
    library: Library::Transformers,
    description: "Linear warm-up to lr, then polynomial decay to lr_end at num_training_steps.",
    fields: &[LR, NUM_WARMUP_STEPS, NUM_TRAINING_STEPS, LR_END, POWER],
    cycles_momentum: false,
    build: build_polynomial,
};

fn build_min_lr(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let min_lr_rate = match (r.optional_float(&MIN_LR)?, r.optional_float(&MIN_LR_RATE)?) {
        (Some(_), Some(_)) => return Err(r.error(&MIN_LR, "give min_lr or min_lr_rate, not both")),
        (Some(min_lr), None) => min_lr / r.float(&LR)?,
        (None, Some(rate)) => rate,
        (None, None) => return Err(r.error(&MIN_LR_RATE, "is required: give min_lr or min_lr_rate")),
    };
    read(r, r.int(&NUM_TRAINING_STEPS)?, Decay::Cosine { num_cycles: r.float(&NUM_CYCLES)?, min_lr_rate })
}

pub const GET_COSINE_WITH_MIN_LR_SCHEDULE_WITH_WARMUP: Kind = Kind {
    name: "get_cosine_with_min_lr_schedule_with_warmup",
    library: Library::Transformers,
    description: "Linear warm-up to lr, then cosine decay to a floor (min_lr, or min_lr_rate × lr).",
    fields: &[LR, NUM_WARMUP_STEPS, NUM_TRAINING_STEPS, NUM_CYCLES, MIN_LR, MIN_LR_RATE],
    cycles_momentum: false,
    build: build_min_lr,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::{json, Value};

    fn lr(spec: Value, n: u64) -> Vec<f64> {
        Schedule::from_spec(&spec).unwrap().sample(n).unwrap().lr
    }

    fn err(spec: Value) -> String {
        Schedule::from_spec(&spec).err().expect("rejected").to_string()
    }

    #[test]
    fn warm_up_then_linear_decay_to_zero() {
        let spec = json!({"kind": "get_linear_schedule_with_warmup", "lr": 1.0, "num_warmup_steps": 2, "num_training_steps": 6});
        assert_eq!(lr(spec, 8), vec![0.0, 0.5, 1.0, 0.75, 0.5, 0.25, 0.0, 0.0]);
    }

    #[test]
    fn hard_restarts_return_to_lr_and_end_at_zero() {
        let spec = json!({"kind": "get_cosine_with_hard_restarts_schedule_with_warmup", "lr": 1.0,
                          "num_warmup_steps": 0, "num_training_steps": 4, "num_cycles": 2});
        assert_eq!(lr(spec, 6), vec![1.0, 0.5, 1.0, 0.5, 0.0, 0.0]);
    }

    #[test]
    fn polynomial_holds_lr_end_after_the_end() {
        let spec = json!({"kind": "get_polynomial_decay_schedule_with_warmup", "lr": 1.0, "num_warmup_steps": 1,
                          "num_training_steps": 3, "lr_end": 0.5, "power": 2.0});
        assert_eq!(lr(spec, 5), vec![0.0, 1.0, 0.625, 0.5, 0.5]);
    }

    #[test]
    fn min_lr_and_polynomial_arguments_are_checked() {
        let base = |extra: Value| {
            let mut spec = json!({"kind": "get_cosine_with_min_lr_schedule_with_warmup", "lr": 0.1,
                                  "num_warmup_steps": 1, "num_training_steps": 9});
            spec.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            spec
        };
        assert_eq!(
            err(base(json!({}))),
            "min_lr_rate (get_cosine_with_min_lr_schedule_with_warmup): is required: give min_lr or min_lr_rate"
        );
        assert_eq!(
            err(base(json!({"min_lr": 0.01, "min_lr_rate": 0.1}))),
            "min_lr (get_cosine_with_min_lr_schedule_with_warmup): give min_lr or min_lr_rate, not both"
        );
        let floor = lr(base(json!({"min_lr": 0.01})), 10)[9];
        assert!((floor - 0.01).abs() < 1e-15, "{floor}");
        assert_eq!(
            err(json!({"kind": "get_polynomial_decay_schedule_with_warmup", "lr": 0.1, "lr_end": 0.1,
                       "num_warmup_steps": 1, "num_training_steps": 9})),
            "lr_end (get_polynomial_decay_schedule_with_warmup): must be smaller than lr (0.1), got 0.1"
        );
    }
}
