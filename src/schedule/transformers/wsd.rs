//! transformers' `get_wsd_schedule`: warm-up, stable, decay (the "warmup-stable-decay" schedule).

use std::f64::consts::PI;

use super::{NUM_CYCLES, NUM_WARMUP_STEPS};
use crate::limits::MAX_STEP;
use crate::schedule::{Curve, Kind, Library, LR};
use crate::spec::{names, Field, Preset, Reader, SpecError};

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Linear,
    Cosine,
    OneMinusSqrt,
}

const SHAPES: [(Shape, &str); 3] =
    [(Shape::Linear, "linear"), (Shape::Cosine, "cosine"), (Shape::OneMinusSqrt, "1-sqrt")];
const SHAPE_NAMES: [&str; 3] = names(&SHAPES);

const NUM_DECAY_STEPS: Field =
    Field::int("num_decay_steps", 0, MAX_STEP, "Steps of the final decay").example(Preset::Int(200));
const NUM_TRAINING_STEPS: Field = Field::int(
    "num_training_steps",
    0,
    MAX_STEP,
    "Total steps; the stable phase is what warm-up and decay leave (or give num_stable_steps)",
)
.default(Preset::Null)
.example(Preset::Int(1000));
const NUM_STABLE_STEPS: Field =
    Field::int("num_stable_steps", 0, MAX_STEP, "Steps at lr between warm-up and decay (wins over num_training_steps)")
        .default(Preset::Null);
const WARMUP_TYPE: Field =
    Field::choice("warmup_type", &SHAPE_NAMES, "Shape of the warm-up").default(Preset::Choice("linear"));
const DECAY_TYPE: Field =
    Field::choice("decay_type", &SHAPE_NAMES, "Shape of the decay").default(Preset::Choice("cosine"));
const MIN_LR_RATIO: Field =
    Field::float("min_lr_ratio", 0.0, 1.0, "Where warm-up starts and decay ends, as a fraction of lr")
        .default(Preset::Float(0.0));

struct Wsd {
    lr: f64,
    warmup: u64,
    stable: u64,
    decay: u64,
    warmup_type: Shape,
    decay_type: Shape,
    min_lr_ratio: f64,
    num_cycles: f64,
}

impl Wsd {
    fn floored(&self, factor: f64) -> f64 {
        (0f64).max(factor * (1.0 - self.min_lr_ratio) + self.min_lr_ratio)
    }

    fn factor(&self, t: u64) -> f64 {
        if t < self.warmup {
            let progress = t as f64 / self.warmup.max(1) as f64;
            let factor = match self.warmup_type {
                Shape::Linear => progress,
                Shape::Cosine => 0.5 * (1.0 - (PI * progress).cos()),
                Shape::OneMinusSqrt => 1.0 - (1.0 - progress).sqrt(),
            };
            return self.floored(factor);
        }
        let decay_start = self.warmup + self.stable;
        if t < decay_start {
            return 1.0;
        }
        if t < decay_start + self.decay {
            let progress = (t - decay_start) as f64 / self.decay.max(1) as f64;
            let factor = match self.decay_type {
                Shape::Linear => 1.0 - progress,
                Shape::Cosine => 0.5 * (1.0 + (PI * self.num_cycles * 2.0 * progress).cos()),
                Shape::OneMinusSqrt => 1.0 - progress.sqrt(),
            };
            return self.floored(factor);
        }
        self.min_lr_ratio
    }
}

impl Curve for Wsd {
    fn lr(&self, t: u64) -> f64 {
        self.lr * self.factor(t)
    }
}

fn build(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let (warmup, decay) = (r.int(&NUM_WARMUP_STEPS)?, r.int(&NUM_DECAY_STEPS)?);
    // As transformers: num_stable_steps wins; else the stable phase is what the total leaves.
    let stable = match (r.optional_int(&NUM_STABLE_STEPS)?, r.optional_int(&NUM_TRAINING_STEPS)?) {
        (Some(stable), _) => stable,
        (None, Some(total)) => total.checked_sub(warmup + decay).ok_or_else(|| {
            r.error(
                &NUM_TRAINING_STEPS,
                format!("must be at least num_warmup_steps + num_decay_steps ({}), got {total}", warmup + decay),
            )
        })?,
        (None, None) => {
            return Err(r.error(&NUM_TRAINING_STEPS, "is required: give num_training_steps or num_stable_steps"))
        }
    };
    Ok(Box::new(Wsd {
        lr: r.float(&LR)?,
        warmup,
        stable,
        decay,
        warmup_type: r.pick(&WARMUP_TYPE, &SHAPES)?,
        decay_type: r.pick(&DECAY_TYPE, &SHAPES)?,
        min_lr_ratio: r.float(&MIN_LR_RATIO)?,
        num_cycles: r.float(&NUM_CYCLES)?,
    }))
}

pub const GET_WSD_SCHEDULE: Kind = Kind {
    name: "get_wsd_schedule",
    library: Library::Transformers,
    description: "Warm-up, a stable stretch at lr, then a decay (warmup-stable-decay).",
    fields: &[
        LR,
        NUM_WARMUP_STEPS,
        NUM_DECAY_STEPS,
        NUM_TRAINING_STEPS,
        NUM_STABLE_STEPS,
        WARMUP_TYPE,
        DECAY_TYPE,
        MIN_LR_RATIO,
        NUM_CYCLES,
    ],
    cycles_momentum: false,
    build,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn one_minus_sqrt_decay_after_a_stable_stretch() {
        let spec = json!({"kind": "get_wsd_schedule", "lr": 1.0, "num_warmup_steps": 1, "num_decay_steps": 4,
                          "num_stable_steps": 2, "decay_type": "1-sqrt", "min_lr_ratio": 0.2});
        let lr = Schedule::from_spec(&spec).unwrap().sample(9).unwrap().lr;
        let decay = |p: f64| (1.0 - p.sqrt()) * 0.8 + 0.2;
        assert_eq!(lr[..3], [0.2, 1.0, 1.0]);
        assert_eq!(lr[3..], [decay(0.0), decay(0.25), decay(0.5), decay(0.75), 0.2, 0.2]);
    }

    #[test]
    fn the_total_must_hold_warm_up_and_decay() {
        let e = Schedule::from_spec(&json!({"kind": "get_wsd_schedule", "num_warmup_steps": 5, "num_decay_steps": 6,
                                            "num_training_steps": 10}))
        .err()
        .unwrap();
        assert_eq!(
            e.to_string(),
            "num_training_steps (get_wsd_schedule): must be at least num_warmup_steps + num_decay_steps (11), got 10"
        );
    }
}
