//! Keras' schedules (`keras.optimizers.schedules`): step `t`'s rate is `schedule(t)`, computed as
//! Keras computes it, in float32 (the values here are those float32 results, widened).

mod cosine;
mod decay;

pub use cosine::{COSINE_DECAY, COSINE_DECAY_RESTARTS};
pub use decay::{EXPONENTIAL_DECAY, INVERSE_TIME_DECAY, PIECEWISE_CONSTANT_DECAY, POLYNOMIAL_DECAY};

use crate::limits::MAX_STEP;
use crate::spec::{Field, Preset};

const INITIAL_LEARNING_RATE: Field = Field::float("initial_learning_rate", 0.0, 100.0, "The rate at step 0")
    .min_open()
    .log()
    .example(Preset::Float(0.01));
const DECAY_STEPS: Field = Field::int("decay_steps", 1, MAX_STEP, "Steps of the decay").example(Preset::Int(1000));
const ALPHA: Field =
    Field::float("alpha", 0.0, 1.0, "The lowest rate, as a fraction of the initial one").default(Preset::Float(0.0));
