//! optax's schedules (`optax.*_schedule`, `optax.exponential_decay`): step `t`'s rate is
//! `schedule(t)` for an int32 step count, computed as optax computes it, in float32 (the values
//! here are those float32 results, widened).

mod cosine;
mod decay;
mod onecycle;

pub use cosine::{SGDR_SCHEDULE, WARMUP_COSINE_DECAY_SCHEDULE};
pub use decay::{
    EXPONENTIAL_DECAY, PIECEWISE_CONSTANT_SCHEDULE, POLYNOMIAL_SCHEDULE, WARMUP_EXPONENTIAL_DECAY_SCHEDULE,
};
pub use onecycle::{COSINE_ONECYCLE_SCHEDULE, LINEAR_ONECYCLE_SCHEDULE};

use crate::limits::MAX_STEP;
use crate::spec::{Field, Preset};

const INIT_VALUE: Field =
    Field::float("init_value", 0.0, 100.0, "The rate at step 0").log().example(Preset::Float(1e-4));
const PEAK_VALUE: Field =
    Field::float("peak_value", 0.0, 100.0, "The rate warm-up reaches").log().example(Preset::Float(1e-3));
const WARMUP_STEPS: Field =
    Field::int("warmup_steps", 0, MAX_STEP, "Steps of linear warm-up from init_value to peak_value")
        .example(Preset::Int(100));

/// (step, scale) pairs in step order, ties in their given order. Every such table in the crate
/// (parsed, exported, written as a closed form) is sorted here: std's sort is generic, and each call
/// with a key closure of its own would add a copy of it to the wasm module.
pub fn sort_by_step(pairs: &mut [(u64, f64)]) {
    pairs.sort_by_key(|&(step, _)| step);
}

/// optax's `polynomial_schedule` (and `linear_schedule`, its power-1 case).
#[derive(Clone, Copy)]
struct Polynomial {
    init_value: f64,
    end_value: f64,
    power: f64,
    transition_steps: u64,
    transition_begin: u64,
}

impl Polynomial {
    fn linear(init_value: f64, end_value: f64, transition_steps: u64) -> Self {
        Self { init_value, end_value, power: 1.0, transition_steps, transition_begin: 0 }
    }

    fn at(&self, count: i64) -> f32 {
        if self.transition_steps == 0 {
            return self.init_value as f32;
        }
        let steps = self.transition_steps as i64;
        let count = (count - self.transition_begin as i64).clamp(0, steps);
        let frac = 1.0 - count as f32 / steps as f32;
        // optax subtracts the Python floats before float32 comes in.
        ((self.init_value - self.end_value) as f32) * frac.powf(self.power as f32) + self.end_value as f32
    }
}

/// optax's `join_schedules`: schedule `i + 1` takes over at `boundaries[i]`, counting from 0 there.
fn join<S>(parts: &[S], boundaries: &[u64], t: u64, at: impl Fn(&S, i64) -> f32) -> f32 {
    let t = t as i64;
    let mut out = parts.first().map_or(0.0, |p| at(p, t));
    for (part, &boundary) in parts.iter().skip(1).zip(boundaries) {
        if t >= boundary as i64 {
            out = at(part, t - boundary as i64);
        }
    }
    out
}
