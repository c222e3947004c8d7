//! Hugging Face transformers' schedules (`transformers.optimization`): each is a `LambdaLR` whose
//! factor multiplies the optimizer's `lr`, so step `t`'s rate is `lr * factor(t)` in float64.

mod inverse_sqrt;
mod warmup_decay;
mod wsd;

pub use inverse_sqrt::GET_INVERSE_SQRT_SCHEDULE;
pub use warmup_decay::{
    GET_CONSTANT_SCHEDULE_WITH_WARMUP, GET_COSINE_SCHEDULE_WITH_WARMUP,
    GET_COSINE_WITH_HARD_RESTARTS_SCHEDULE_WITH_WARMUP, GET_COSINE_WITH_MIN_LR_SCHEDULE_WITH_WARMUP,
    GET_LINEAR_SCHEDULE_WITH_WARMUP, GET_POLYNOMIAL_DECAY_SCHEDULE_WITH_WARMUP,
};
pub use wsd::GET_WSD_SCHEDULE;

use crate::limits::MAX_STEP;
use crate::spec::{Field, Preset};

const NUM_WARMUP_STEPS: Field =
    Field::int("num_warmup_steps", 0, MAX_STEP, "Steps of linear warm-up from 0 to lr").example(Preset::Int(100));
const NUM_TRAINING_STEPS: Field =
    Field::int("num_training_steps", 0, MAX_STEP, "Total training steps, warm-up included").example(Preset::Int(1000));
const NUM_CYCLES: Field =
    Field::float("num_cycles", 0.0, 1000.0, "Cosine waves over the decay (0.5: half a cosine down to the end)")
        .default(Preset::Float(0.5));

/// The warm-up factor every transformers schedule starts with: `t / max(1, num_warmup_steps)`,
/// or `None` once warm-up is over.
fn warmup(t: u64, num_warmup_steps: u64) -> Option<f64> {
    (t < num_warmup_steps).then(|| t as f64 / num_warmup_steps.max(1) as f64)
}

/// How far through the decay after warm-up step `t` is, as transformers divides it (not clamped).
fn progress(t: u64, num_warmup_steps: u64, num_training_steps: u64) -> f64 {
    let span = num_training_steps.saturating_sub(num_warmup_steps).max(1);
    (t as f64 - num_warmup_steps as f64) / span as f64
}
