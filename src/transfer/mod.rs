//! Per-group plans: the rate, momentum and trainable flag of every layer group at every optimizer
//! step, for fastai's `fit_one_cycle` (with `slice` rates and `freeze_to`), `fine_tune` and
//! `fit_sgdr`, and ULMFiT's gradual unfreezing with discriminative rates.
//!
//! A plan is built as Session phases first (one schedule per phase, its rate times each group's
//! multiplier, frozen groups), and the table is then read from those phases by the engine's own
//! `RunPlan`: a session trained with `phases` sees exactly the table's values. The tests hold the
//! tables to fastai 2.8.12's `ParamScheduler` (`tests/fixtures/gen_plans.py`).

mod fastai;
mod rates;
mod ulmfit;

use std::sync::Arc;

use serde_json::{json, Value};

use crate::engine::phases::{GroupStep, RunPlan};
use crate::engine::Phase;
use crate::limits::{MAX_PLAN_GROUPS, MAX_PLAN_STEPS, MAX_PLAN_VALUES};
use crate::schedule::Schedule;
use crate::spec::{object, Field, Reader, SpecError};

const METHOD: Field = Field::choice(
    "method",
    &["fit_one_cycle", "fine_tune", "gradual_unfreezing", "fit_sgdr"],
    "How the groups train: fastai's fit_one_cycle, fine_tune or fit_sgdr, or ULMFiT's gradual unfreezing",
);
const N_GROUPS: Field = Field::int("n_groups", 1, MAX_PLAN_GROUPS, "Layer groups, as the session's groups");

/// A plan method: its fields (the one source for validation and controls) and its phases.
struct Method {
    name: &'static str,
    description: &'static str,
    fields: &'static [Field],
    /// Whether the method's schedules set the momentum (otherwise the optimizer's own applies).
    sets_momentum: bool,
    build: fn(&Reader, usize) -> Result<Vec<PlanPhase>, SpecError>,
}

const METHODS: &[Method] = &[fastai::FIT_ONE_CYCLE, fastai::FINE_TUNE, ulmfit::GRADUAL_UNFREEZING, fastai::FIT_SGDR];

/// One phase of a plan, before it becomes a Session phase.
struct PlanPhase {
    steps: u64,
    /// A schedule spec, counting from 0 at the phase's first step.
    schedule: Value,
    group_lr_mult: Vec<f64>,
    frozen: Vec<bool>,
    /// The phase starts with a fresh optimizer state: it follows a fastai `freeze_to` call
    /// (`freeze`, `unfreeze`), which clears it.
    reset_optimizer: bool,
}

impl PlanPhase {
    fn to_json(&self) -> Value {
        json!({
            "steps": self.steps,
            "schedule": self.schedule,
            "group_lr_mult": self.group_lr_mult,
            "frozen": self.frozen,
            "reset_optimizer": self.reset_optimizer,
        })
    }
}

/// Every group's rate, momentum and trainable flag at every step, row-major `[step][group]`,
/// and the Session phases that train them.
#[derive(Debug)]
pub struct Plan {
    pub steps: u64,
    pub n_groups: usize,
    pub lr: Vec<f64>,
    /// The schedule's momentum (SGD) or beta1 (Adam); NaN where the method leaves it to the optimizer.
    pub momentum: Vec<f64>,
    pub trainable: Vec<bool>,
    /// `[{steps, schedule, group_lr_mult, frozen, reset_optimizer}, ...]`, as a Session's `runs[i].phases`.
    pub phases: Vec<Value>,
}

/// Every method with its fields, for building controls.
pub fn methods_json() -> Value {
    let method = |m: &Method| {
        json!({
            "method": m.name,
            "description": m.description,
            "sets_momentum": m.sets_momentum,
            "fields": m.fields.iter().filter(|f| f.name != METHOD.name).map(Field::describe).collect::<Vec<_>>(),
        })
    };
    json!({
        "methods": METHODS.iter().map(method).collect::<Vec<_>>(),
        "limits": {"steps": MAX_PLAN_STEPS, "values": MAX_PLAN_VALUES, "n_groups": MAX_PLAN_GROUPS},
    })
}

impl Plan {
    /// Validates `spec` (`{method, n_groups, steps_per_epoch, ...}`); errors name the field
    /// (`lr_max.slice[0]`, `freeze_to`, `n_groups`), an empty field the spec itself.
    pub fn from_spec(spec: &Value) -> Result<Plan, SpecError> {
        let obj = object(spec)?;
        let name = Reader::kind_name(obj, &METHOD)?;
        let method = METHODS
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| SpecError::new(METHOD.name, format!("has no plan method named {name:?}")))?;
        let r = Reader::new(obj, method.fields)?;
        let n_groups = r.int(&N_GROUPS)? as usize;
        let phases = (method.build)(&r, n_groups)?;
        let steps = phases.iter().fold(0u64, |sum, p| sum.saturating_add(p.steps));
        if steps > MAX_PLAN_STEPS {
            return Err(r.error(
                &fastai::STEPS_PER_EPOCH,
                format!("gives {steps} steps in all (epochs × steps_per_epoch); at most {MAX_PLAN_STEPS} are allowed"),
            ));
        }
        let values = steps * n_groups as u64;
        if values > MAX_PLAN_VALUES {
            return Err(r.error(
                &N_GROUPS,
                format!("{n_groups} groups × {steps} steps = {values} values; at most {MAX_PLAN_VALUES} are allowed"),
            ));
        }
        let table = table(&phases, steps, n_groups, method.sets_momentum)?;
        Ok(Plan { phases: phases.iter().map(PlanPhase::to_json).collect(), ..table })
    }
}

/// Reads the table from the phases as the engine will: its `RunPlan`, step by step.
fn table(phases: &[PlanPhase], steps: u64, n_groups: usize, sets_momentum: bool) -> Result<Plan, SpecError> {
    let engine_phases = phases
        .iter()
        .map(|p| {
            // A phase's schedule is built from fields already checked; a refusal here still names
            // the field the caller gave (the schedule's fields carry the plan's names).
            let schedule = Schedule::from_spec(&p.schedule).map_err(|e| e.with_kind(None))?;
            Ok(Phase {
                steps: Some(p.steps),
                schedule: Arc::new(schedule),
                group_lr_mult: p.group_lr_mult.clone(),
                frozen: p.frozen.clone(),
                reset_optimizer: p.reset_optimizer,
            })
        })
        .collect::<Result<Vec<_>, SpecError>>()?;
    let run = RunPlan::new(engine_phases);
    let n = steps as usize * n_groups;
    let (mut lr, mut momentum, mut trainable) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let mut row = vec![GroupStep { lr: 0.0, momentum: None, frozen: false }; n_groups];
    for t in 0..steps {
        if !run.groups_at(t, &mut row) {
            return Err(SpecError::new("", format!("the plan's phases end before step {t} of {steps}")));
        }
        for g in &row {
            lr.push(g.lr);
            momentum.push(if sets_momentum { g.momentum.unwrap_or(f64::NAN) } else { f64::NAN });
            trainable.push(!g.frozen);
        }
    }
    Ok(Plan { steps, n_groups, lr, momentum, trainable, phases: Vec::new() })
}

/// Per-group multipliers of the largest rate, which the phase's schedule then peaks at.
fn multipliers(rates: &[f64]) -> (f64, Vec<f64>) {
    let top = rates.iter().copied().fold(0.0, f64::max);
    (top, rates.iter().map(|r| r / top).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn plan(spec: Value) -> Plan {
        Plan::from_spec(&spec).unwrap_or_else(|e| panic!("{e}"))
    }

    pub(super) fn err(spec: Value) -> SpecError {
        Plan::from_spec(&spec).expect_err("the spec should be refused")
    }

    #[test]
    fn the_method_is_required_and_named() {
        assert_eq!(
            err(json!({"n_groups": 2})).to_string(),
            "method: is required: one of fit_one_cycle | fine_tune | gradual_unfreezing | fit_sgdr"
        );
        assert_eq!(
            err(json!({"method": "fit"})).to_string(),
            "method: must be one of fit_one_cycle | fine_tune | gradual_unfreezing | fit_sgdr, got \"fit\""
        );
        assert_eq!(err(json!([1])).to_string(), "must be an object, got [1]");
    }

    #[test]
    fn sizes_are_bounded_by_name() {
        let spec = |n_groups: u64, steps_per_epoch: u64, n_epoch: u64| json!({"method": "fit_one_cycle", "n_groups": n_groups, "steps_per_epoch": steps_per_epoch, "n_epoch": n_epoch});
        assert_eq!(
            err(spec(2, 1_000_000, 2)).to_string(),
            "steps_per_epoch: gives 2000000 steps in all (epochs × steps_per_epoch); at most 1000000 are allowed"
        );
        assert_eq!(
            err(spec(5, 1000, 1000)).to_string(),
            "n_groups: 5 groups × 1000000 steps = 5000000 values; at most 4000000 are allowed"
        );
        assert_eq!(err(spec(17, 10, 1)).to_string(), "n_groups: must be an integer in [1, 16], got 17");
        assert_eq!(plan(spec(4, 1000, 1000)).lr.len(), 4_000_000);
    }

    #[test]
    fn the_phases_are_session_phases_that_give_the_table() {
        let specs = [
            json!({"method": "fine_tune", "n_groups": 3, "steps_per_epoch": 4, "epochs": 2}),
            json!({"method": "fit_one_cycle", "n_groups": 3, "steps_per_epoch": 5, "n_epoch": 2,
                "lr_max": {"slice": [1e-3, 0.1]}, "freeze_to": -1}),
            json!({"method": "gradual_unfreezing", "n_groups": 3, "steps_per_epoch": 7, "epochs": 4}),
            json!({"method": "fit_sgdr", "n_groups": 3, "steps_per_epoch": 3, "n_cycles": 2, "cycle_len": 1}),
        ];
        for spec in specs {
            let p = plan(spec.clone());
            let options = json!({
                "layers": [2, 4, 4, 2], "data": {"kind": "circle", "n": 40}, "batch_size": 8,
                "runs": [{"phases": p.phases}],
            });
            let config = crate::engine::options::parse(&options).unwrap_or_else(|e| panic!("{spec}: {e}")).config;
            let run = RunPlan::new(config.runs[0].phases.clone());
            let mut row = vec![GroupStep { lr: 0.0, momentum: None, frozen: false }; 3];
            for t in 0..p.steps {
                assert!(run.groups_at(t, &mut row), "{spec}: step {t}");
                for (g, group) in row.iter().enumerate() {
                    let i = t as usize * 3 + g;
                    let momentum = group.momentum.unwrap_or(f64::NAN);
                    assert_eq!((group.lr, !group.frozen), (p.lr[i], p.trainable[i]), "{spec}: step {t}");
                    assert!(momentum == p.momentum[i] || momentum.is_nan() && p.momentum[i].is_nan(), "{spec}");
                }
            }
            assert!(!run.groups_at(p.steps, &mut row), "{spec}: the run is finished after the plan");
        }
        let fine_tune = plan(json!({"method": "fine_tune", "n_groups": 3, "steps_per_epoch": 4, "epochs": 2}));
        assert_eq!(fine_tune.phases.len(), 2);
        assert_eq!((&fine_tune.phases[0]["steps"], &fine_tune.phases[1]["steps"]), (&json!(4), &json!(8)));
        assert_eq!(fine_tune.phases[0]["frozen"], json!([true, true, false]));
    }

    #[test]
    fn every_method_is_described_with_its_fields() {
        let methods = methods_json();
        let names: Vec<&str> =
            methods["methods"].as_array().unwrap().iter().map(|m| m["method"].as_str().unwrap()).collect();
        assert_eq!(names, ["fit_one_cycle", "fine_tune", "gradual_unfreezing", "fit_sgdr"]);
        // `from_spec` indexes METHODS by the choice METHOD reads.
        let crate::spec::FieldType::Choice(choices) = METHOD.ty else { panic!("METHOD is a choice") };
        assert_eq!(choices, names);
        let fine_tune = &methods["methods"][1]["fields"];
        let field = |name: &str| fine_tune.as_array().unwrap().iter().find(|f| f["name"] == name).cloned();
        assert_eq!(field("base_lr").unwrap()["default"], json!(2e-3));
        assert_eq!(field("div").unwrap()["default"], json!(5.0));
        assert!(field("method").is_none());
        assert_eq!(methods["limits"], json!({"steps": 1_000_000, "values": 4_000_000, "n_groups": 16}));
    }
}
