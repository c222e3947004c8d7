//! optax's `polynomial_schedule`, `exponential_decay`, `warmup_exponential_decay_schedule` and
//! `piecewise_constant_schedule`.

use serde_json::Value;

use super::{join, sort_by_step, Polynomial, INIT_VALUE, PEAK_VALUE, WARMUP_STEPS};
use crate::limits::MAX_STEP;
use crate::schedule::{Curve, Kind, Library};
use crate::spec::{describe_value, Field, Preset, Reader, SpecError};

const END_VALUE: Field =
    Field::float("end_value", 0.0, 100.0, "The rate at the end").log().example(Preset::Float(1e-5));
const POWER: Field = Field::float("power", 0.0, 100.0, "Exponent of the polynomial").example(Preset::Float(2.0));
const TRANSITION_STEPS: Field =
    Field::int("transition_steps", 0, MAX_STEP, "Steps of the transition (0: hold the start value)")
        .example(Preset::Int(1000));
const TRANSITION_BEGIN: Field =
    Field::int("transition_begin", 0, MAX_STEP, "Steps before the transition starts").default(Preset::Int(0));
const DECAY_RATE: Field =
    Field::float("decay_rate", 0.0, 10.0, "Factor per transition_steps (0: hold the start value)")
        .log()
        .example(Preset::Float(0.5));
const STAIRCASE: Field =
    Field::boolean("staircase", "Decay in whole steps of transition_steps").default(Preset::Bool(false));
const DECAY_END_VALUE: Field =
    Field::float("end_value", 0.0, 100.0, "Bound the decay stops at (none: no bound)").default(Preset::Null);
const BOUNDARIES_AND_SCALES: Field = Field::json(
    "boundaries_and_scales",
    "Object of step → scale: from that step on, the rate is multiplied by the scale",
)
.default(Preset::Null)
.example(Preset::Json(r#"{"300": 0.1, "600": 0.1}"#));

struct PolynomialSchedule(Polynomial);

impl Curve for PolynomialSchedule {
    fn lr(&self, t: u64) -> f64 {
        self.0.at(t as i64) as f64
    }
}

pub const POLYNOMIAL_SCHEDULE: Kind = Kind {
    name: "polynomial_schedule",
    library: Library::Optax,
    description: "Polynomial transition from init_value to end_value over transition_steps.",
    fields: &[INIT_VALUE, END_VALUE, POWER, TRANSITION_STEPS, TRANSITION_BEGIN],
    cycles_momentum: false,
    build: |r| {
        Ok(Box::new(PolynomialSchedule(Polynomial {
            init_value: r.float(&INIT_VALUE)?,
            end_value: r.float(&END_VALUE)?,
            power: r.float(&POWER)?,
            transition_steps: r.int(&TRANSITION_STEPS)?,
            transition_begin: r.int(&TRANSITION_BEGIN)?,
        })))
    },
};

/// optax's `exponential_decay`.
#[derive(Clone, Copy)]
struct Exponential {
    init_value: f64,
    transition_steps: u64,
    decay_rate: f64,
    transition_begin: u64,
    staircase: bool,
    end_value: Option<f64>,
}

impl Exponential {
    fn read(r: &Reader, init_value: f64) -> Result<Self, SpecError> {
        Ok(Self {
            init_value,
            transition_steps: r.int(&TRANSITION_STEPS)?,
            decay_rate: r.float(&DECAY_RATE)?,
            transition_begin: r.int(&TRANSITION_BEGIN)?,
            staircase: r.boolean(&STAIRCASE)?,
            end_value: r.optional_float(&DECAY_END_VALUE)?,
        })
    }

    fn at(&self, count: i64) -> f32 {
        let init = self.init_value as f32;
        if self.transition_steps == 0 || self.decay_rate == 0.0 {
            return init;
        }
        let decreased = count - self.transition_begin as i64;
        let mut p = decreased as f32 / self.transition_steps as f32;
        if self.staircase {
            p = p.floor();
        }
        let value = if decreased <= 0 { init } else { init * (self.decay_rate as f32).powf(p) };
        match self.end_value {
            Some(end) if self.decay_rate < 1.0 => value.max(end as f32),
            Some(end) => value.min(end as f32),
            None => value,
        }
    }
}

impl Curve for Exponential {
    fn lr(&self, t: u64) -> f64 {
        self.at(t as i64) as f64
    }
}

pub const EXPONENTIAL_DECAY: Kind = Kind {
    name: "exponential_decay",
    library: Library::Optax,
    description: "Multiply init_value by decay_rate every transition_steps, smoothly or in stairs.",
    fields: &[INIT_VALUE, TRANSITION_STEPS, DECAY_RATE, TRANSITION_BEGIN, STAIRCASE, DECAY_END_VALUE],
    cycles_momentum: false,
    build: |r| Ok(Box::new(Exponential::read(r, r.float(&INIT_VALUE)?)?)),
};

/// Linear warm-up to `peak_value`, then exponential decay from it.
struct WarmupExponential {
    warmup: Polynomial,
    decay: Exponential,
    warmup_steps: u64,
}

impl Curve for WarmupExponential {
    fn lr(&self, t: u64) -> f64 {
        let part = |first: &bool, count| if *first { self.warmup.at(count) } else { self.decay.at(count) };
        join(&[true, false], &[self.warmup_steps], t, part) as f64
    }
}

pub const WARMUP_EXPONENTIAL_DECAY_SCHEDULE: Kind = Kind {
    name: "warmup_exponential_decay_schedule",
    library: Library::Optax,
    description: "Linear warm-up to peak_value, then exponential decay.",
    fields: &[
        INIT_VALUE,
        PEAK_VALUE,
        WARMUP_STEPS,
        TRANSITION_STEPS,
        DECAY_RATE,
        TRANSITION_BEGIN,
        STAIRCASE,
        DECAY_END_VALUE,
    ],
    cycles_momentum: false,
    build: |r| {
        let (init_value, peak_value, warmup_steps) =
            (r.float(&INIT_VALUE)?, r.float(&PEAK_VALUE)?, r.int(&WARMUP_STEPS)?);
        Ok(Box::new(WarmupExponential {
            warmup: Polynomial::linear(init_value, peak_value, warmup_steps),
            decay: Exponential::read(r, peak_value)?,
            warmup_steps,
        }))
    },
};

/// The rate is `init_value` times every scale whose step has been reached (sorted by step).
struct PiecewiseConstant {
    init_value: f64,
    boundaries_and_scales: Vec<(u64, f64)>,
}

impl Curve for PiecewiseConstant {
    fn lr(&self, t: u64) -> f64 {
        let reached = self.boundaries_and_scales.iter().take_while(|(step, _)| *step <= t);
        reached.fold(self.init_value as f32, |v, (_, scale)| *scale as f32 * v) as f64
    }
}

const MAX_BOUNDARIES: usize = 10_000;

/// `{"step": scale, ...}` as sorted (step, scale) pairs; errors name the step's key.
fn boundaries_and_scales(r: &Reader) -> Result<Vec<(u64, f64)>, SpecError> {
    let field = &BOUNDARIES_AND_SCALES;
    let object = match r.given(field) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(object)) => object,
        Some(other) => {
            return Err(r.error(field, format!("must be an object of step → scale, got {}", describe_value(other))))
        }
    };
    if object.len() > MAX_BOUNDARIES {
        return Err(r.error(field, format!("must have at most {MAX_BOUNDARIES} entries, got {}", object.len())));
    }
    let entry_error = |key: &str, message: String| {
        let mut e = r.error(field, message);
        e.field = format!("{}.{key}", field.name);
        e
    };
    let mut pairs = Vec::with_capacity(object.len());
    for (key, value) in object {
        let step = key.parse::<u64>().ok().filter(|&s| s <= MAX_STEP).ok_or_else(|| {
            entry_error(key, format!("is not a step: keys must be integers in [0, {MAX_STEP}], got {key:?}"))
        })?;
        let scale = value.as_f64().filter(|s| s.is_finite() && (0.0..=1e6).contains(s)).ok_or_else(|| {
            entry_error(key, format!("must be a finite number in [0, 1000000], got {}", describe_value(value)))
        })?;
        pairs.push((step, scale));
    }
    sort_by_step(&mut pairs);
    Ok(pairs)
}

pub const PIECEWISE_CONSTANT_SCHEDULE: Kind = Kind {
    name: "piecewise_constant_schedule",
    library: Library::Optax,
    description: "init_value, multiplied by each scale from its step on.",
    fields: &[INIT_VALUE, BOUNDARIES_AND_SCALES],
    cycles_momentum: false,
    build: |r| {
        Ok(Box::new(PiecewiseConstant {
            init_value: r.float(&INIT_VALUE)?,
            boundaries_and_scales: boundaries_and_scales(r)?,
        }))
    },
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn scales_apply_from_their_step_in_step_order() {
        let spec = json!({"kind": "piecewise_constant_schedule", "init_value": 1.0,
                          "boundaries_and_scales": {"4": 0.5, "2": 0.25}});
        let lr = Schedule::from_spec(&spec).unwrap().sample(6).unwrap().lr;
        assert_eq!(lr, vec![1.0, 1.0, 0.25, 0.25, 0.125, 0.125]);
    }

    #[test]
    fn bad_boundaries_name_their_key() {
        let err = |b| {
            Schedule::from_spec(
                &json!({"kind": "piecewise_constant_schedule", "init_value": 1.0, "boundaries_and_scales": b}),
            )
            .err()
            .unwrap()
        };
        let e = err(json!({"ten": 0.5}));
        assert_eq!(e.field, "boundaries_and_scales.ten");
        assert_eq!(
            e.to_string(),
            "boundaries_and_scales.ten (piecewise_constant_schedule): is not a step: keys must be integers in [0, 1000000000], got \"ten\""
        );
        assert_eq!(
            err(json!({"3": -1})).to_string(),
            "boundaries_and_scales.3 (piecewise_constant_schedule): must be a finite number in [0, 1000000], got -1"
        );
        assert_eq!(
            err(json!([1, 2])).to_string(),
            "boundaries_and_scales (piecewise_constant_schedule): must be an object of step → scale, got [1, 2]"
        );
    }

    #[test]
    fn exponential_decay_stops_at_its_end_value() {
        let spec = json!({"kind": "exponential_decay", "init_value": 1.0, "transition_steps": 1, "decay_rate": 0.5,
                          "end_value": 0.2});
        let lr = Schedule::from_spec(&spec).unwrap().sample(5).unwrap().lr;
        assert_eq!(lr, vec![1.0, 0.5, 0.25, 0.2f32 as f64, 0.2f32 as f64]);
    }
}
