//! PyTorch's `SequentialLR`: hand over from one schedule to the next at milestones (warm-up then X).

use super::{Curve, Kind, Library, Schedule};
use crate::limits::MAX_STEP;
use crate::spec::{Field, Preset, Reader, SpecError};

const SCHEDULES: Field = Field::nested("schedules", "The schedules, in order")
    .example(Preset::Json(r#"[{"kind":"LinearLR","lr":0.1,"start_factor":0.1,"total_iters":10},{"kind":"CosineAnnealingLR","lr":0.1,"T_max":90}]"#));
const MILESTONES: Field = Field::int_list(
    "milestones",
    1,
    MAX_STEP,
    "Steps at which the next schedule takes over (one fewer than schedules)",
)
.example(Preset::IntList(&[10]));

/// Schedule `i` runs from `milestones[i - 1]` with its own step count restarted at 0, as PyTorch
/// calls `scheduler.step(0)` on the incoming scheduler at each milestone.
struct Sequential {
    parts: Vec<Schedule>,
    milestones: Vec<u64>,
}

impl Sequential {
    fn locate(&self, t: u64) -> (&Schedule, u64) {
        let i = self.milestones.partition_point(|&m| m <= t);
        let start = if i == 0 { 0 } else { self.milestones[i - 1] };
        (&self.parts[i], t - start)
    }
}

impl Curve for Sequential {
    fn lr(&self, t: u64) -> f64 {
        let (part, local) = self.locate(t);
        part.curve.lr(local)
    }

    fn momentum(&self, t: u64) -> Option<f64> {
        let (part, local) = self.locate(t);
        part.curve.momentum(local)
    }

    fn last_step(&self) -> Option<u64> {
        let last = self.parts.last()?.last_step()?;
        Some(self.milestones.last().copied().unwrap_or(0) + last)
    }
}

fn build(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let specs = r.spec_list(&SCHEDULES, "schedule specs")?;
    if specs.is_empty() || specs.len() > 16 {
        return Err(r.error(&SCHEDULES, format!("must list 1 to 16 schedules, got {}", specs.len())));
    }
    let mut parts = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let nested = spec.get("kind").and_then(|k| k.as_str()) == Some(SEQUENTIAL_LR.name);
        if nested {
            return Err(r.item_error(&SCHEDULES, i, "cannot be another SequentialLR"));
        }
        // The part's own errors keep its kind and are placed under `schedules[i]`.
        let part = Schedule::from_spec(spec).map_err(|e| e.at(i).within(SCHEDULES.name))?;
        if part.plateau().is_some() {
            return Err(r.item_error(
                &SCHEDULES,
                i,
                "cannot be a ReduceLROnPlateau: it follows a metric, not the step",
            ));
        }
        parts.push(part);
    }
    let milestones = r.int_list(&MILESTONES)?;
    if milestones.len() + 1 != parts.len() {
        return Err(r.error(
            &MILESTONES,
            format!("must have one fewer entry than schedules ({}), got {}", parts.len() - 1, milestones.len()),
        ));
    }
    if milestones.windows(2).any(|w| w[0] >= w[1]) {
        return Err(r.error(&MILESTONES, "must be strictly increasing"));
    }
    // A fixed-length schedule must last until the next one takes over.
    let mut start = 0;
    for (i, (part, &end)) in parts.iter().zip(&milestones).enumerate() {
        if let Some(last) = part.last_step() {
            if end - start - 1 > last {
                return Err(r.item_error(
                    &MILESTONES,
                    i,
                    format!(
                        "must be at most {} (schedule {i}, a {}, ends after {} steps), got {end}",
                        start + last + 1,
                        part.kind(),
                        last + 1
                    ),
                ));
            }
        }
        start = end;
    }
    Ok(Box::new(Sequential { parts, milestones }))
}

pub const SEQUENTIAL_LR: Kind = Kind {
    name: "SequentialLR",
    library: Library::PyTorch,
    description:
        "PyTorch SequentialLR: run each schedule in turn, switching at the milestones (e.g. warm-up, then cosine).",
    fields: &[SCHEDULES, MILESTONES],
    cycles_momentum: false,
    build,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn each_part_restarts_its_own_count_at_its_milestone() {
        let spec = json!({"kind": "SequentialLR", "milestones": [2], "schedules": [
            {"kind": "ConstantLR", "lr": 1.0, "factor": 0.5, "total_iters": 5},
            {"kind": "StepLR", "lr": 1.0, "step_size": 2, "gamma": 0.1}]});
        let lr = Schedule::from_spec(&spec).unwrap().sample(6).unwrap().lr;
        assert_eq!(lr[..4], [0.5, 0.5, 1.0, 1.0]);
        assert!((lr[4] - 0.1).abs() < 1e-16 && (lr[5] - 0.1).abs() < 1e-16);
    }

    #[test]
    fn a_metric_driven_part_is_refused() {
        let e = Schedule::from_spec(&json!({"kind": "SequentialLR", "milestones": [5],
                                            "schedules": [{"kind": "Constant"}, {"kind": "ReduceLROnPlateau"}]}))
        .err()
        .unwrap();
        assert_eq!(
            e.to_string(),
            "schedules[1] (SequentialLR): cannot be a ReduceLROnPlateau: it follows a metric, not the step"
        );
    }

    #[test]
    fn errors_point_into_the_list() {
        let err = |spec: serde_json::Value| Schedule::from_spec(&spec).err().unwrap();
        let e = err(
            json!({"kind": "SequentialLR", "milestones": [5], "schedules": [{"kind": "Constant"}, {"kind": "StepLR"}]}),
        );
        assert_eq!((e.field.as_str(), e.kind), ("schedules[1].step_size", Some("StepLR")));
        assert_eq!(e.to_string(), "schedules[1].step_size (StepLR): is required: an integer in [1, 1000000000]");
        let e = err(json!({"kind": "SequentialLR", "milestones": [5], "schedules": [{"kind": "Constant"}, 3]}));
        assert_eq!(e.to_string(), "schedules[1]: must be an object with a \"kind\" field, got 3");
        let e = err(
            json!({"kind": "SequentialLR", "milestones": [5, 6], "schedules": [{"kind": "Constant"}, {"kind": "Constant"}]}),
        );
        assert_eq!(e.to_string(), "milestones (SequentialLR): must have one fewer entry than schedules (1), got 2");
        let e = err(json!({"kind": "SequentialLR", "milestones": [20], "schedules": [
            {"kind": "OneCycleLR", "max_lr": 0.1, "total_steps": 9}, {"kind": "Constant"}]}));
        assert_eq!(
            e.to_string(),
            "milestones[0] (SequentialLR): must be at most 10 (schedule 0, a OneCycleLR, ends after 10 steps), got 20"
        );
        let e = err(json!({"kind": "SequentialLR", "milestones": [], "schedules": [{"kind": "SequentialLR"}]}));
        assert_eq!(e.to_string(), "schedules[0] (SequentialLR): cannot be another SequentialLR");
    }
}
