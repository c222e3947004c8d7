//! optax's `linear_onecycle_schedule` and `cosine_onecycle_schedule`: interpolation between
//! accumulated scales at step boundaries (optax's `piecewise_interpolate_schedule`).

use std::f32::consts::PI;

use super::sort_by_step;
use crate::limits::MAX_STEP;
use crate::schedule::{Curve, Kind, Library};
use crate::spec::{Field, Preset, Reader, SpecError};

const TRANSITION_STEPS: Field =
    Field::int("transition_steps", 1, MAX_STEP, "Steps of the cycle").example(Preset::Int(1000));
const PEAK_VALUE: Field =
    Field::float("peak_value", 0.0, 100.0, "The highest rate").min_open().log().example(Preset::Float(0.01));
const PCT_START: Field =
    Field::float("pct_start", 0.0, 1.0, "Fraction of the cycle spent increasing the rate").default(Preset::Float(0.3));
const PCT_FINAL: Field =
    Field::float("pct_final", 0.0, 1.0, "Fraction of the cycle at whose end the rate is back at the start")
        .default(Preset::Float(0.85));
const DIV_FACTOR: Field = Field::float("div_factor", 0.0, 1e9, "Start rate = peak_value / div_factor")
    .min_open()
    .log()
    .default(Preset::Float(25.0));
const FINAL_DIV_FACTOR: Field = Field::float("final_div_factor", 0.0, 1e12, "End rate = start rate / final_div_factor")
    .min_open()
    .log()
    .default(Preset::Float(1e4));

#[derive(Clone, Copy)]
enum Interpolate {
    Linear,
    Cosine,
}

struct Interpolated {
    interpolate: Interpolate,
    /// 0, then the sorted steps.
    bounds: Vec<u64>,
    /// The start value and its running products with the scales, in float32.
    values: Vec<f32>,
}

impl Interpolated {
    /// `init_value` and `{step: scale}` entries in the order a Python dict literal keeps them (a
    /// repeated step keeps its first place and its last scale).
    fn new(interpolate: Interpolate, init_value: f64, entries: &[(u64, f64)]) -> Self {
        let mut dict: Vec<(u64, f64)> = Vec::new();
        for &(step, scale) in entries {
            match dict.iter_mut().find(|(s, _)| *s == step) {
                Some(entry) => entry.1 = scale,
                None => dict.push((step, scale)),
            }
        }
        sort_by_step(&mut dict);
        let mut bounds = vec![0];
        let mut values = vec![init_value as f32];
        for (step, scale) in dict {
            bounds.push(step);
            values.push(values[values.len() - 1] * scale as f32);
        }
        Self { interpolate, bounds, values }
    }
}

impl Curve for Interpolated {
    fn lr(&self, t: u64) -> f64 {
        let last = self.bounds.len() - 1;
        if self.bounds[last] <= t {
            return self.values[last] as f64;
        }
        let Some(i) = (0..last).find(|&i| self.bounds[i] <= t && t < self.bounds[i + 1]) else { return 0.0 };
        let size = (self.bounds[i + 1] - self.bounds[i]).max(1);
        let pct = (t - self.bounds[i]) as f32 / size as f32;
        let (start, end) = (self.values[i], self.values[i + 1]);
        let value = match self.interpolate {
            Interpolate::Linear => (end - start) * pct + start,
            Interpolate::Cosine => end + (start - end) / 2.0 * ((PI * pct).cos() + 1.0),
        };
        value as f64
    }
}

/// `int(pct * transition_steps)`, as Python truncates it.
fn step_at(pct: f64, transition_steps: u64) -> u64 {
    (pct * transition_steps as f64) as u64
}

fn build_linear(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let (steps, peak) = (r.int(&TRANSITION_STEPS)?, r.float(&PEAK_VALUE)?);
    let (div, final_div) = (r.float(&DIV_FACTOR)?, r.float(&FINAL_DIV_FACTOR)?);
    let entries = [
        (step_at(r.float(&PCT_START)?, steps), div),
        (step_at(r.float(&PCT_FINAL)?, steps), 1.0 / div),
        (steps, 1.0 / final_div),
    ];
    Ok(Box::new(Interpolated::new(Interpolate::Linear, peak / div, &entries)))
}

fn build_cosine(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let (steps, peak) = (r.int(&TRANSITION_STEPS)?, r.float(&PEAK_VALUE)?);
    let (div, final_div) = (r.float(&DIV_FACTOR)?, r.float(&FINAL_DIV_FACTOR)?);
    let entries = [(step_at(r.float(&PCT_START)?, steps), div), (steps, 1.0 / (div * final_div))];
    Ok(Box::new(Interpolated::new(Interpolate::Cosine, peak / div, &entries)))
}

pub const LINEAR_ONECYCLE_SCHEDULE: Kind = Kind {
    name: "linear_onecycle_schedule",
    library: Library::Optax,
    description: "One cycle in three linear legs: up to peak_value, back down, then far below the start.",
    fields: &[TRANSITION_STEPS, PEAK_VALUE, PCT_START, PCT_FINAL, DIV_FACTOR, FINAL_DIV_FACTOR],
    cycles_momentum: false,
    build: build_linear,
};

pub const COSINE_ONECYCLE_SCHEDULE: Kind = Kind {
    name: "cosine_onecycle_schedule",
    library: Library::Optax,
    description: "One cycle with cosine legs: up to peak_value, then down far below the start.",
    fields: &[TRANSITION_STEPS, PEAK_VALUE, PCT_START, DIV_FACTOR, FINAL_DIV_FACTOR],
    cycles_momentum: false,
    build: build_cosine,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn linear_onecycle_peaks_then_returns_then_ends_low() {
        let spec = json!({"kind": "linear_onecycle_schedule", "transition_steps": 10, "peak_value": 1.0,
                          "pct_start": 0.2, "pct_final": 0.6, "div_factor": 4.0, "final_div_factor": 5.0});
        let lr = Schedule::from_spec(&spec).unwrap().sample(12).unwrap().lr;
        assert_eq!(
            (lr[0], lr[1], lr[2], lr[6], lr[10], lr[11]),
            (0.25, 0.625, 1.0, 0.25, 0.05f32 as f64, 0.05f32 as f64)
        );
    }
}
