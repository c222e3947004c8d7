//! optax's `warmup_cosine_decay_schedule` and `sgdr_schedule` (a list of them, joined end to end).

use std::f32::consts::PI;

use serde_json::Value;

use super::{join, Polynomial, INIT_VALUE, PEAK_VALUE, WARMUP_STEPS};
use crate::limits::MAX_STEP;
use crate::schedule::{Curve, Kind, Library};
use crate::spec::{describe_value, Field, Preset, Reader, SpecError};

const DECAY_STEPS: Field =
    Field::int("decay_steps", 1, MAX_STEP, "Steps of the whole schedule, warm-up included").example(Preset::Int(1000));
const END_VALUE: Field = Field::float("end_value", 0.0, 100.0, "The rate at the end").default(Preset::Float(0.0));
const EXPONENT: Field =
    Field::float("exponent", 0.0, 100.0, "Raises the cosine's factor to this power").default(Preset::Float(1.0));
const COSINE_KWARGS: Field = Field::json("cosine_kwargs", "The cycles: a list of warmup_cosine_decay_schedule arguments")
    .example(Preset::Json(
        r#"[{"init_value":0.0001,"peak_value":0.001,"warmup_steps":50,"decay_steps":500},{"init_value":0.0001,"peak_value":0.0005,"warmup_steps":50,"decay_steps":500}]"#,
    ));
const WARMUP_COSINE_FIELDS: &[Field] = &[INIT_VALUE, PEAK_VALUE, WARMUP_STEPS, DECAY_STEPS, END_VALUE, EXPONENT];
/// SGDR cycles: each is a closed form, so this only bounds the spec's size.
const MAX_CYCLES: usize = 1000;

/// optax's `cosine_decay_schedule` after a linear warm-up.
#[derive(Clone, Copy)]
struct WarmupCosine {
    warmup: Polynomial,
    warmup_steps: u64,
    peak_value: f64,
    /// Steps of the cosine (decay_steps - warmup_steps).
    cosine_steps: u64,
    /// `end_value / peak_value`, in float64 as optax computes it.
    alpha: f64,
    exponent: f64,
}

impl WarmupCosine {
    fn read(r: &Reader) -> Result<Self, SpecError> {
        let (init_value, peak_value) = (r.float(&INIT_VALUE)?, r.float(&PEAK_VALUE)?);
        let (warmup_steps, decay_steps) = (r.int(&WARMUP_STEPS)?, r.int(&DECAY_STEPS)?);
        if decay_steps <= warmup_steps {
            // optax's cosine_decay_schedule raises ValueError for no decay steps.
            let message =
                format!("must be above warmup_steps ({warmup_steps}): it includes the warm-up, got {decay_steps}");
            return Err(r.error(&DECAY_STEPS, message));
        }
        let end_value = r.float(&END_VALUE)?;
        Ok(Self {
            warmup: Polynomial::linear(init_value, peak_value, warmup_steps),
            warmup_steps,
            peak_value,
            cosine_steps: decay_steps - warmup_steps,
            alpha: if peak_value == 0.0 { 0.0 } else { end_value / peak_value },
            exponent: r.float(&EXPONENT)?,
        })
    }

    fn cosine(&self, count: i64) -> f32 {
        let steps = self.cosine_steps as f32;
        let count = (count as f32).min(steps);
        let cosine_decay = 0.5 * (1.0 + (PI * count / steps).cos());
        let decayed = (1.0 - self.alpha) as f32 * cosine_decay.powf(self.exponent as f32) + self.alpha as f32;
        self.peak_value as f32 * decayed
    }

    fn at(&self, count: i64) -> f32 {
        let part = |warming: &bool, c| if *warming { self.warmup.at(c) } else { self.cosine(c) };
        join(&[true, false], &[self.warmup_steps], count.max(0) as u64, part)
    }
}

impl Curve for WarmupCosine {
    fn lr(&self, t: u64) -> f64 {
        self.at(t as i64) as f64
    }
}

pub const WARMUP_COSINE_DECAY_SCHEDULE: Kind = Kind {
    name: "warmup_cosine_decay_schedule",
    library: Library::Optax,
    description: "Linear warm-up to peak_value, then cosine decay to end_value at decay_steps.",
    fields: WARMUP_COSINE_FIELDS,
    cycles_momentum: false,
    build: |r| Ok(Box::new(WarmupCosine::read(r)?)),
};

/// Warm-up-cosine cycles, each starting where the one before ends.
struct Sgdr {
    cycles: Vec<WarmupCosine>,
    boundaries: Vec<u64>,
}

impl Curve for Sgdr {
    fn lr(&self, t: u64) -> f64 {
        join(&self.cycles, &self.boundaries, t, |cycle, count| cycle.at(count)) as f64
    }
}

fn build_sgdr(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let items = match r.given(&COSINE_KWARGS) {
        Some(Value::Array(items)) if !items.is_empty() && items.len() <= MAX_CYCLES => items,
        Some(Value::Array(items)) => {
            return Err(r.error(&COSINE_KWARGS, format!("must list 1 to {MAX_CYCLES} cycles, got {}", items.len())))
        }
        Some(other) => {
            let message =
                format!("must be a list of warmup_cosine_decay_schedule arguments, got {}", describe_value(other));
            return Err(r.error(&COSINE_KWARGS, message));
        }
        None => return Err(r.error(&COSINE_KWARGS, "is required: a list of warmup_cosine_decay_schedule arguments")),
    };
    let mut cycles = Vec::with_capacity(items.len());
    let mut boundaries = Vec::with_capacity(items.len());
    let mut step = 0u64;
    for (i, item) in items.iter().enumerate() {
        let placed = |e: SpecError| e.at(i).within(COSINE_KWARGS.name).with_kind(Some(SGDR_SCHEDULE.name));
        let object = item.as_object().ok_or_else(|| {
            placed(SpecError::new("", format!("must be an object of arguments, got {}", describe_value(item))))
        })?;
        let cycle = Reader::new(object, WARMUP_COSINE_FIELDS).and_then(|cr| WarmupCosine::read(&cr)).map_err(placed)?;
        step = step.saturating_add(cycle.warmup_steps + cycle.cosine_steps);
        cycles.push(cycle);
        boundaries.push(step);
    }
    boundaries.pop();
    Ok(Box::new(Sgdr { cycles, boundaries }))
}

pub const SGDR_SCHEDULE: Kind = Kind {
    name: "sgdr_schedule",
    library: Library::Optax,
    description: "Warm restarts: warm-up-cosine cycles joined end to end.",
    fields: &[COSINE_KWARGS],
    cycles_momentum: false,
    build: build_sgdr,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn each_cycle_restarts_at_its_own_warm_up() {
        let spec = json!({"kind": "sgdr_schedule", "cosine_kwargs": [
            {"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 2, "decay_steps": 4},
            {"init_value": 0.5, "peak_value": 0.5, "warmup_steps": 0, "decay_steps": 2}]});
        let lr = Schedule::from_spec(&spec).unwrap().sample(8).unwrap().lr;
        assert_eq!(lr[..3], [0.0, 0.5, 1.0]);
        assert!((lr[3] - 0.5).abs() < 1e-7 && lr[4] == 0.5 && (lr[5] - 0.25).abs() < 1e-7 && lr[6] == 0.0, "{lr:?}");
    }

    #[test]
    fn a_bad_cycle_is_named_by_its_index() {
        let e = Schedule::from_spec(&json!({"kind": "sgdr_schedule", "cosine_kwargs": [
            {"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 2, "decay_steps": 4},
            {"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 5, "decay_steps": 4}]}))
        .err()
        .unwrap();
        assert_eq!(e.field, "cosine_kwargs[1].decay_steps");
        assert_eq!(
            e.to_string(),
            "cosine_kwargs[1].decay_steps (sgdr_schedule): must be above warmup_steps (5): it includes the warm-up, got 4"
        );
        let e = Schedule::from_spec(&json!({"kind": "sgdr_schedule", "cosine_kwargs": []})).err().unwrap();
        assert_eq!(e.to_string(), "cosine_kwargs (sgdr_schedule): must list 1 to 1000 cycles, got 0");
    }
}
