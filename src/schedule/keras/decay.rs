//! Keras' `ExponentialDecay`, `InverseTimeDecay`, `PolynomialDecay` and `PiecewiseConstantDecay`.

use super::{DECAY_STEPS, INITIAL_LEARNING_RATE};
use crate::limits::MAX_STEP;
use crate::schedule::{Curve, Kind, Library};
use crate::spec::{Field, Preset, Reader, SpecError};

const DECAY_RATE: Field = Field::float("decay_rate", 0.0, 100.0, "The decay's rate").log().example(Preset::Float(0.5));
const STAIRCASE: Field =
    Field::boolean("staircase", "Decay in whole steps of decay_steps").default(Preset::Bool(false));
const END_LEARNING_RATE: Field = Field::float("end_learning_rate", 0.0, 100.0, "The rate at the end of the decay")
    .log()
    .default(Preset::Float(1e-4));
const POWER: Field = Field::float("power", 0.0, 100.0, "Exponent of the polynomial").default(Preset::Float(1.0));
const CYCLE: Field = Field::boolean("cycle", "Past decay_steps, decay again over the next multiple of decay_steps")
    .default(Preset::Bool(false));
const BOUNDARIES: Field =
    Field::int_list("boundaries", 0, MAX_STEP, "Steps after which the next value applies (increasing)")
        .example(Preset::IntList(&[300, 600]));
const VALUES: Field = Field::float_list("values", 0.0, 100.0, "The rates: one more than boundaries")
    .example(Preset::FloatList(&[0.01, 0.005, 0.001]));

#[derive(Clone, Copy)]
enum Decay {
    /// `initial * rate^p`.
    Exponential,
    /// `initial / (1 + rate * p)`.
    InverseTime,
}

struct RateDecay {
    decay: Decay,
    initial_learning_rate: f64,
    decay_steps: u64,
    decay_rate: f64,
    staircase: bool,
}

impl Curve for RateDecay {
    fn lr(&self, t: u64) -> f64 {
        let (initial, rate) = (self.initial_learning_rate as f32, self.decay_rate as f32);
        let mut p = t as f32 / self.decay_steps as f32;
        if self.staircase {
            p = p.floor();
        }
        let lr = match self.decay {
            Decay::Exponential => initial * rate.powf(p),
            Decay::InverseTime => initial / (1.0 + rate * p),
        };
        lr as f64
    }
}

fn build_rate(r: &Reader, decay: Decay) -> Result<Box<dyn Curve>, SpecError> {
    Ok(Box::new(RateDecay {
        decay,
        initial_learning_rate: r.float(&INITIAL_LEARNING_RATE)?,
        decay_steps: r.int(&DECAY_STEPS)?,
        decay_rate: r.float(&DECAY_RATE)?,
        staircase: r.boolean(&STAIRCASE)?,
    }))
}

pub const EXPONENTIAL_DECAY: Kind = Kind {
    name: "ExponentialDecay",
    library: Library::Keras,
    description: "Multiply the rate by decay_rate every decay_steps, smoothly or in stairs.",
    fields: &[INITIAL_LEARNING_RATE, DECAY_STEPS, DECAY_RATE, STAIRCASE],
    cycles_momentum: false,
    build: |r| build_rate(r, Decay::Exponential),
};

pub const INVERSE_TIME_DECAY: Kind = Kind {
    name: "InverseTimeDecay",
    library: Library::Keras,
    description: "Divide the rate by 1 + decay_rate · step / decay_steps.",
    fields: &[INITIAL_LEARNING_RATE, DECAY_STEPS, DECAY_RATE, STAIRCASE],
    cycles_momentum: false,
    build: |r| build_rate(r, Decay::InverseTime),
};

struct PolynomialDecay {
    initial_learning_rate: f64,
    decay_steps: u64,
    end_learning_rate: f64,
    power: f64,
    cycle: bool,
}

impl Curve for PolynomialDecay {
    fn lr(&self, t: u64) -> f64 {
        let mut step = t as f32;
        let mut decay_steps = self.decay_steps as f32;
        if self.cycle {
            let multiplier = if step == 0.0 { 1.0 } else { (step / decay_steps).ceil() };
            decay_steps *= multiplier;
        } else {
            step = step.min(decay_steps);
        }
        let p = step / decay_steps;
        let (initial, end) = (self.initial_learning_rate as f32, self.end_learning_rate as f32);
        ((initial - end) * (1.0 - p).powf(self.power as f32) + end) as f64
    }
}

pub const POLYNOMIAL_DECAY: Kind = Kind {
    name: "PolynomialDecay",
    library: Library::Keras,
    description: "Polynomial decay to end_learning_rate over decay_steps, optionally cycling.",
    fields: &[INITIAL_LEARNING_RATE, DECAY_STEPS, END_LEARNING_RATE, POWER, CYCLE],
    cycles_momentum: false,
    build: |r| {
        Ok(Box::new(PolynomialDecay {
            initial_learning_rate: r.float(&INITIAL_LEARNING_RATE)?,
            decay_steps: r.int(&DECAY_STEPS)?,
            end_learning_rate: r.float(&END_LEARNING_RATE)?,
            power: r.float(&POWER)?,
            cycle: r.boolean(&CYCLE)?,
        }))
    },
};

/// `values[i]` after `i` boundaries have been passed (a step equal to a boundary has not passed it).
struct PiecewiseConstant {
    boundaries: Vec<u64>,
    values: Vec<f32>,
}

impl Curve for PiecewiseConstant {
    fn lr(&self, t: u64) -> f64 {
        let passed = self.boundaries.partition_point(|&b| b < t);
        self.values.get(passed).copied().unwrap_or(0.0) as f64
    }
}

const MAX_BOUNDARIES: usize = 10_000;

fn build_piecewise(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let (boundaries, values) = (r.int_list(&BOUNDARIES)?, r.float_list(&VALUES)?);
    if boundaries.is_empty() || boundaries.len() > MAX_BOUNDARIES {
        return Err(r.error(&BOUNDARIES, format!("must have 1 to {MAX_BOUNDARIES} entries, got {}", boundaries.len())));
    }
    if let Some(i) = boundaries.windows(2).position(|w| w[1] <= w[0]) {
        return Err(r.item_error(&BOUNDARIES, i + 1, "must be above the boundary before it"));
    }
    if values.len() != boundaries.len() + 1 {
        let message =
            format!("must have one more entry than boundaries ({}), got {}", boundaries.len() + 1, values.len());
        return Err(r.error(&VALUES, message));
    }
    Ok(Box::new(PiecewiseConstant { boundaries, values: values.iter().map(|&v| v as f32).collect() }))
}

pub const PIECEWISE_CONSTANT_DECAY: Kind = Kind {
    name: "PiecewiseConstantDecay",
    library: Library::Keras,
    description: "A constant rate per stretch: values[i] up to and including boundaries[i].",
    fields: &[BOUNDARIES, VALUES],
    cycles_momentum: false,
    build: build_piecewise,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn a_boundary_step_still_has_the_value_before_it() {
        let spec = json!({"kind": "PiecewiseConstantDecay", "boundaries": [1, 3], "values": [1.0, 0.5, 0.25]});
        let lr = Schedule::from_spec(&spec).unwrap().sample(5).unwrap().lr;
        assert_eq!(lr, vec![1.0, 1.0, 0.5, 0.5, 0.25]);
        let e = Schedule::from_spec(&json!({"kind": "PiecewiseConstantDecay", "boundaries": [1, 3], "values": [1.0]}))
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "values (PiecewiseConstantDecay): must have one more entry than boundaries (3), got 1"
        );
    }

    #[test]
    fn cycling_polynomial_decays_again_over_the_next_multiple() {
        let spec = json!({"kind": "PolynomialDecay", "initial_learning_rate": 1.0, "decay_steps": 2,
                          "end_learning_rate": 0.0, "cycle": true});
        let lr = Schedule::from_spec(&spec).unwrap().sample(5).unwrap().lr;
        assert_eq!(lr, vec![1.0, 0.5, 0.0, 0.25, 0.0]);
    }
}
