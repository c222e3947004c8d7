//! Keras' `CosineDecay` (with an optional linear warm-up to `warmup_target`) and `CosineDecayRestarts`.

use std::f32::consts::PI;

use super::{ALPHA, DECAY_STEPS, INITIAL_LEARNING_RATE};
use crate::limits::MAX_STEP;
use crate::schedule::{Curve, Kind, Library};
use crate::spec::{Field, Preset, Reader, SpecError};

const WARMUP_TARGET: Field = Field::float("warmup_target", 0.0, 100.0, "The rate warm-up climbs to (none: no warm-up)")
    .log()
    .default(Preset::Null);
const WARMUP_STEPS: Field =
    Field::int("warmup_steps", 0, MAX_STEP, "Steps of linear warm-up to warmup_target").default(Preset::Int(0));
const FIRST_DECAY_STEPS: Field =
    Field::int("first_decay_steps", 1, MAX_STEP, "Steps in the first cycle").example(Preset::Int(200));
const T_MUL: Field = Field::float("t_mul", 0.0, 100.0, "Each cycle is this many times longer than the last")
    .min_open()
    .default(Preset::Float(2.0));
const M_MUL: Field =
    Field::float("m_mul", 0.0, 100.0, "Multiplies the peak rate at each restart").default(Preset::Float(1.0));

struct CosineDecay {
    initial_learning_rate: f64,
    decay_steps: u64,
    alpha: f64,
    warmup: Option<(f64, u64)>,
}

impl CosineDecay {
    fn decay(&self, step: f32, from: f32) -> f32 {
        let fraction = step / self.decay_steps as f32;
        let cosine = 0.5 * (1.0 + (PI * fraction).cos());
        from * ((1.0 - self.alpha) as f32 * cosine + self.alpha as f32)
    }
}

impl Curve for CosineDecay {
    fn lr(&self, t: u64) -> f64 {
        let initial = self.initial_learning_rate as f32;
        let decay_steps = self.decay_steps as f32;
        let step = t as f32;
        let Some((target, warmup_steps)) = self.warmup else {
            return self.decay(step.min(decay_steps), initial) as f64;
        };
        let (target, warmup_steps) = (target as f32, warmup_steps as f32);
        let step = step.min(decay_steps + warmup_steps);
        let lr = if step < warmup_steps {
            (target - initial) * (step / warmup_steps) + initial
        } else {
            self.decay(step - warmup_steps, target)
        };
        lr as f64
    }
}

fn build_cosine(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let warmup_steps = r.int(&WARMUP_STEPS)?;
    Ok(Box::new(CosineDecay {
        initial_learning_rate: r.float(&INITIAL_LEARNING_RATE)?,
        decay_steps: r.int(&DECAY_STEPS)?,
        alpha: r.float(&ALPHA)?,
        warmup: r.optional_float(&WARMUP_TARGET)?.map(|target| (target, warmup_steps)),
    }))
}

pub const COSINE_DECAY: Kind = Kind {
    name: "CosineDecay",
    library: Library::Keras,
    description: "Cosine decay over decay_steps, optionally after a linear warm-up to warmup_target.",
    fields: &[INITIAL_LEARNING_RATE, DECAY_STEPS, ALPHA, WARMUP_TARGET, WARMUP_STEPS],
    cycles_momentum: false,
    build: build_cosine,
};

struct CosineDecayRestarts {
    initial_learning_rate: f64,
    first_decay_steps: u64,
    t_mul: f64,
    m_mul: f64,
    alpha: f64,
}

impl Curve for CosineDecayRestarts {
    fn lr(&self, t: u64) -> f64 {
        let (t_mul, m_mul) = (self.t_mul as f32, self.m_mul as f32);
        let fraction = t as f32 / self.first_decay_steps as f32;
        let (i_restart, fraction) = if t_mul == 1.0 {
            let i = fraction.floor();
            (i, fraction - i)
        } else {
            let i = ((1.0 - fraction * (1.0 - t_mul)).ln() / t_mul.ln()).floor();
            let sum_r = (1.0 - t_mul.powf(i)) / (1.0 - t_mul);
            (i, (fraction - sum_r) / t_mul.powf(i))
        };
        let m_fac = m_mul.powf(i_restart);
        let cosine = 0.5 * m_fac * (1.0 + (PI * fraction).cos());
        // Here Keras takes alpha to float32 before subtracting it from 1.
        let alpha = self.alpha as f32;
        (self.initial_learning_rate as f32 * ((1.0 - alpha) * cosine + alpha)) as f64
    }
}

pub const COSINE_DECAY_RESTARTS: Kind = Kind {
    name: "CosineDecayRestarts",
    library: Library::Keras,
    description: "Cosine decay with warm restarts: cycles t_mul times longer, peaks m_mul times lower.",
    fields: &[INITIAL_LEARNING_RATE, FIRST_DECAY_STEPS, T_MUL, M_MUL, ALPHA],
    cycles_momentum: false,
    build: |r| {
        Ok(Box::new(CosineDecayRestarts {
            initial_learning_rate: r.float(&INITIAL_LEARNING_RATE)?,
            first_decay_steps: r.int(&FIRST_DECAY_STEPS)?,
            t_mul: r.float(&T_MUL)?,
            m_mul: r.float(&M_MUL)?,
            alpha: r.float(&ALPHA)?,
        }))
    },
};
