//! optax's and Keras' schedules that a float64 closed form still gives within their float32
//! rounding (2e-6 relative): what a PyTorch `LambdaLR` can carry over. Those whose float32
//! arithmetic changes a step's value beyond that (or that need it emulated) are not here.

use super::args::Args;
use super::closed_form::Forms;
use super::python::{int, ints, num, nums};
use crate::schedule::sort_by_step;
use crate::spec::SpecError;

pub(crate) fn forms(a: &Args, suffix: &str) -> Result<Forms, SpecError> {
    let (imports, body) = match a.kind.name {
        "ExponentialDecay" | "InverseTimeDecay" => {
            let (initial, rate) = (num(a.float("initial_learning_rate")?), num(a.float("decay_rate")?));
            let steps = int(a.int("decay_steps")?);
            let p = if a.boolean("staircase")? { format!("step // {steps}") } else { format!("step / {steps}") };
            let value = if a.kind.name == "ExponentialDecay" {
                format!("{initial} * {rate} ** p")
            } else {
                format!("{initial} / (1.0 + {rate} * p)")
            };
            (vec![], format!("    p = {p}\n    return {value}"))
        }
        "PiecewiseConstantDecay" => {
            // A step equal to a boundary has not passed it.
            let (boundaries, values) = (ints(&a.ints("boundaries")?), nums(&a.floats("values")?));
            (vec!["import bisect"], format!("    return {values}[bisect.bisect_left({boundaries}, step)]"))
        }
        "piecewise_constant_schedule" => {
            let table = a.json("boundaries_and_scales")?.and_then(|v| v.as_object());
            let mut pairs: Vec<(u64, f64)> = table
                .into_iter()
                .flatten()
                .filter_map(|(step, scale)| Some((step.trim().parse().ok()?, scale.as_f64()?)))
                .collect();
            sort_by_step(&mut pairs);
            let pairs = pairs.iter().map(|&(step, scale)| format!("({step}, {})", num(scale))).collect::<Vec<_>>();
            let body = format!(
                "    value = {}\n    for boundary, scale in [{}]:\n        if boundary <= step:\n            value = scale * value\n    return value",
                num(a.float("init_value")?),
                pairs.join(", ")
            );
            (vec![], body)
        }
        other => return Err(SpecError::new("kind", format!("{other} has no float64 closed form that matches"))),
    };
    Ok(Forms { imports, defs: vec![format!("def lr_at{suffix}(step):\n{body}")], momentum: false })
}
