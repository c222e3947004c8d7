//! Layer groups, runs, their phases, and the updates a run takes between steps.

use std::sync::Arc;

use serde_json::Value;

use crate::engine::phases::{Phase, RunConfig, RunUpdate};
use crate::engine::plateau::DEFAULT_EVAL_EVERY;
use crate::limits::{MAX_PHASES, MAX_STEP};
use crate::model::Mlp;
use crate::schedule::Schedule;
use crate::spec::{check_number, describe_value, object, Field, Preset, Reader, SpecError};

/// Errors are relative to the groups value.
pub(super) fn parse_groups(value: Option<&Value>, linears: usize) -> Result<Vec<Vec<usize>>, SpecError> {
    let Some(value) = value else {
        return Ok((0..linears).map(|l| vec![l]).collect());
    };
    let layer = Field::int("layer", 0, linears as u64 - 1, "A Linear layer's index");
    fn list<'v>(v: &'v Value, what: &str) -> Result<&'v [Value], SpecError> {
        v.as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| SpecError::new("", format!("must be {what}, got {}", describe_value(v))))
    }
    let groups = list(value, "a list of groups of Linear layer indices, e.g. [[0], [1, 2]]")?
        .iter()
        .enumerate()
        .map(|(g, group)| {
            list(group, "a list of Linear layer indices")
                .map_err(|e| e.at(g))?
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    check_number(&layer, l).map(|l| l as usize).map_err(|m| SpecError::new("", m).at(i).at(g))
                })
                .collect::<Result<Vec<usize>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    check_groups(&groups, linears)?;
    Ok(groups)
}

/// Groups must split the Linear layers `0..linears` into consecutive runs, in order. Errors are
/// relative to the groups value.
pub(super) fn check_groups(groups: &[Vec<usize>], linears: usize) -> Result<(), SpecError> {
    let flat: Vec<usize> = groups.iter().flatten().copied().collect();
    if groups.iter().any(Vec::is_empty) || flat != (0..linears).collect::<Vec<_>>() {
        return Err(SpecError::new(
            "",
            format!(
                "must split the Linear layers 0..={} into consecutive groups, in order, e.g. [[0], [1, 2]]",
                linears.saturating_sub(1)
            ),
        ));
    }
    Ok(())
}

const RUN_SEED: Field =
    Field::int("seed", 0, u32::MAX as u64, "Seeds this run's initial weights").default(Preset::Int(0));
const RUN_DATA_SEED: Field = Field::int(
    "data_seed",
    0,
    u32::MAX as u64,
    "Shuffles this run's batches with its own seed (none: the session's order, the same batches as the other runs)",
)
.default(Preset::Null);
const SCHEDULE: Field =
    Field::nested("schedule", "A learning-rate schedule spec; in a phase it counts from the phase's first step");
const RUN_PHASES: Field = Field::nested(
    "phases",
    "Instead of schedule: 1 to 64 phases {steps, schedule, group_lr_mult, frozen, reset_optimizer}, in order; all but the last give steps",
)
.default(Preset::Null);
const GROUP_LR_MULT: Field =
    Field::float_list("group_lr_mult", 0.0, 1e6, "Multiplies the schedule's rate, one per group (default: all 1)")
        .default(Preset::Null);
const FROZEN: Field =
    Field::bool_list("frozen", "One flag per group: frozen groups do not train (default: none)").default(Preset::Null);
const RESET_OPTIMIZER: Field = Field::boolean(
    "reset_optimizer",
    "Start the phase with a fresh optimizer state: every group's momentum buffer or Adam moments and step count back to zero (fastai's freeze_to/unfreeze clear it)",
)
.default(Preset::Bool(false));
const PHASE_STEPS: Field = Field::int(
    "steps",
    1,
    MAX_STEP,
    "Optimizer steps the phase lasts; every phase but the last gives it (the last otherwise lasts until its schedule ends)",
)
.default(Preset::Null);
const UPDATE_SCHEDULE: Field =
    Field::nested("schedule", "A new schedule, counting from 0 at the next step (none: the current schedule goes on)")
        .default(Preset::Null);
const RUN_INIT_PARAMS: Field = Field::float_list(
    "init_params",
    f32::MIN as f64,
    f32::MAX as f64,
    "Pretrained parameters of the lowest Linear layers, in nn.Sequential order (weight0, bias0, weight1, …); the layers above start from seed",
)
.default(Preset::Null);
const EVAL_EVERY: Field = Field::int(
    "eval_every",
    1,
    MAX_STEP,
    "Steps between the validation-loss evaluations that feed a ReduceLROnPlateau schedule",
)
.default(Preset::Int(DEFAULT_EVAL_EVERY));
pub(super) const RUN_FIELDS: &[Field] =
    &[RUN_SEED, RUN_DATA_SEED, RUN_INIT_PARAMS, SCHEDULE, RUN_PHASES, GROUP_LR_MULT, FROZEN, EVAL_EVERY];
pub(super) const PHASE_FIELDS: &[Field] = &[PHASE_STEPS, SCHEDULE, GROUP_LR_MULT, FROZEN, RESET_OPTIMIZER];
pub(super) const UPDATE_FIELDS: &[Field] = &[UPDATE_SCHEDULE, GROUP_LR_MULT, FROZEN, RESET_OPTIMIZER];

/// A run: `{seed?, data_seed?, init_params?, schedule, group_lr_mult?, frozen?}` (one phase) or
/// `{seed?, data_seed?, init_params?, phases: [...]}`. Errors are relative to the run.
pub(super) fn parse_run(value: &Value, mlp: &Mlp, groups: usize) -> Result<RunConfig, SpecError> {
    let obj = object(value)?;
    let r = Reader::new(obj, RUN_FIELDS)?;
    let seed = r.int(&RUN_SEED)?;
    let data_seed = r.optional_int(&RUN_DATA_SEED)?;
    let init_params = match r.given(&RUN_INIT_PARAMS) {
        None | Some(Value::Null) => None,
        Some(_) => r.optional_float_list(&RUN_INIT_PARAMS)?,
    };
    if let Some(values) = &init_params {
        check_init_params(values.len(), mlp)?;
    }
    let init_params = init_params.map(|values| values.into_iter().map(|v| v as f32).collect());
    let phases = match (r.given(&SCHEDULE), r.given(&RUN_PHASES)) {
        (Some(_), Some(_)) => {
            return Err(r.error(&RUN_PHASES, "cannot go with schedule: give schedule (one phase) or phases, not both"))
        }
        (None, None) => return Err(r.error(
            &SCHEDULE,
            "is required: a schedule spec such as {kind: \"Constant\", lr: 0.1}, or phases: [{steps, schedule}, ...]",
        )),
        (Some(_), None) => vec![read_phase(&r, groups, None)?],
        (None, Some(_)) => {
            for field in [&GROUP_LR_MULT, &FROZEN] {
                if r.given(field).is_some() {
                    return Err(r.error(field, "goes in each phase when a run gives phases"));
                }
            }
            let specs = r.spec_list(&RUN_PHASES, "phase specs")?;
            check_phase_count(specs.len())?;
            let last = specs.len() - 1;
            specs
                .iter()
                .enumerate()
                .map(|(i, spec)| parse_phase(spec, groups, i == last).map_err(|e| e.at(i).within(RUN_PHASES.name)))
                .collect::<Result<_, _>>()?
        }
    };
    Ok(RunConfig { seed, data_seed, phases, init_params, eval_every: r.int(&EVAL_EVERY)? })
}

/// One entry of a run's `phases`; errors are relative to it.
fn parse_phase(value: &Value, groups: usize, last: bool) -> Result<Phase, SpecError> {
    let obj = object(value)?;
    let r = Reader::new(obj, PHASE_FIELDS)?;
    let steps = r.optional_int(&PHASE_STEPS)?;
    check_steps_given(steps, last)?;
    Ok(Phase { reset_optimizer: r.boolean(&RESET_OPTIMIZER)?, ..read_phase(&r, groups, steps)? })
}

/// The schedule and per-group settings of a phase (or of a one-phase run).
fn read_phase(r: &Reader, groups: usize, steps: Option<u64>) -> Result<Phase, SpecError> {
    let spec = r
        .given(&SCHEDULE)
        .ok_or_else(|| r.error(&SCHEDULE, "is required: a schedule spec such as {kind: \"Constant\", lr: 0.1}"))?;
    let schedule = Schedule::from_spec(spec).map_err(|e| e.within(SCHEDULE.name))?;
    check_schedule_end(steps, &schedule)?;
    let GroupSettings { group_lr_mult, frozen } = read_groups(r, groups)?;
    Ok(Phase {
        steps,
        schedule: Arc::new(schedule),
        group_lr_mult: group_lr_mult.unwrap_or_else(|| vec![1.0; groups]),
        frozen: frozen.unwrap_or_else(|| vec![false; groups]),
        reset_optimizer: false,
    })
}

/// `group_lr_mult` and `frozen` as given (`None`: not given), each with one entry per group.
struct GroupSettings {
    group_lr_mult: Option<Vec<f64>>,
    frozen: Option<Vec<bool>>,
}

fn read_groups(r: &Reader, groups: usize) -> Result<GroupSettings, SpecError> {
    let group_lr_mult = r.optional_float_list(&GROUP_LR_MULT)?;
    if let Some(mults) = &group_lr_mult {
        check_mult_count(mults, groups)?;
    }
    let frozen = r.bool_list(&FROZEN)?;
    if let Some(flags) = &frozen {
        check_frozen_count(flags, groups)?;
    }
    Ok(GroupSettings { group_lr_mult, frozen })
}

/// `session.updateRun(run, {schedule?, group_lr_mult?, frozen?, reset_optimizer?})`: what changes from the next
/// step on. Errors are relative to the update object (an empty field is the object itself).
pub fn parse_run_update(value: &Value, groups: usize) -> Result<RunUpdate, SpecError> {
    let obj = object(value)?;
    let r = Reader::new(obj, UPDATE_FIELDS)?;
    let schedule = match r.given(&UPDATE_SCHEDULE) {
        Some(spec) => Some(Arc::new(Schedule::from_spec(spec).map_err(|e| e.within(UPDATE_SCHEDULE.name))?)),
        None => None,
    };
    let GroupSettings { group_lr_mult, frozen } = read_groups(&r, groups)?;
    Ok(RunUpdate { schedule, group_lr_mult, frozen, reset_optimizer: r.boolean(&RESET_OPTIMIZER)? })
}

// The rules a run obeys whichever way it was made: `parse_run` applies them as it reads, and
// `check_run` to a run built in Rust. Errors are relative to the run, or to the phase.

/// Whole layers only: the parameters of Linear layers 0..=l for some l.
fn check_init_params(len: usize, mlp: &Mlp) -> Result<(), SpecError> {
    let lengths: Vec<usize> = (0..mlp.linear_count()).map(|l| mlp.bias_offset(l) + mlp.shape(l).1).collect();
    if !lengths.contains(&len) {
        let allowed = lengths.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
        return Err(SpecError::new(
            RUN_INIT_PARAMS.name,
            format!(
                "must hold the parameters of the first 1 to {} Linear layers, one of {allowed} values, got {len}",
                mlp.linear_count()
            ),
        ));
    }
    Ok(())
}

fn check_phase_count(count: usize) -> Result<(), SpecError> {
    if count == 0 || count > MAX_PHASES {
        return Err(SpecError::new(RUN_PHASES.name, format!("must list 1 to {MAX_PHASES} phases, got {count}")));
    }
    Ok(())
}

fn check_steps_given(steps: Option<u64>, last: bool) -> Result<(), SpecError> {
    if steps.is_none() && !last {
        let message = format!("is required in every phase but the last: an integer in [1, {MAX_STEP}]");
        return Err(SpecError::new(PHASE_STEPS.name, message));
    }
    Ok(())
}

/// Past its schedule's end a phase could not train: the run would finish there.
fn check_schedule_end(steps: Option<u64>, schedule: &Schedule) -> Result<(), SpecError> {
    if let (Some(steps), Some(last)) = (steps, schedule.last_step()) {
        if steps > last + 1 {
            let (kind, most) = (schedule.kind(), last + 1);
            let message = format!("must be at most {most} (its {kind} ends after {most} steps), got {steps}");
            return Err(SpecError::new(PHASE_STEPS.name, message));
        }
    }
    Ok(())
}

fn check_mult_count(mults: &[f64], groups: usize) -> Result<(), SpecError> {
    if mults.len() != groups {
        let message = format!("must have one multiplier per group ({groups}), got {}", mults.len());
        return Err(SpecError::new(GROUP_LR_MULT.name, message));
    }
    Ok(())
}

fn check_frozen_count(flags: &[bool], groups: usize) -> Result<(), SpecError> {
    if flags.len() != groups {
        return Err(SpecError::new(
            FROZEN.name,
            format!("must have one flag per group ({groups}), got {}", flags.len()),
        ));
    }
    Ok(())
}

/// A run built in Rust, held to everything `parse_run` checks; errors are relative to the run.
pub(super) fn check_run(run: &RunConfig, mlp: &Mlp, groups: usize) -> Result<(), SpecError> {
    RUN_SEED.check(run.seed as f64)?;
    if let Some(seed) = run.data_seed {
        RUN_DATA_SEED.check(seed as f64)?;
    }
    if let Some(values) = &run.init_params {
        check_init_params(values.len(), mlp)?;
        check_items(&RUN_INIT_PARAMS, values.iter().map(|&v| v as f64))?;
    }
    check_phase_count(run.phases.len())?;
    let last = run.phases.len() - 1;
    for (i, phase) in run.phases.iter().enumerate() {
        check_phase(phase, groups, i == last).map_err(|e| e.at(i).within(RUN_PHASES.name))?;
    }
    Ok(())
}

/// One phase of a run built in Rust; errors are relative to the phase.
fn check_phase(phase: &Phase, groups: usize, last: bool) -> Result<(), SpecError> {
    check_steps_given(phase.steps, last)?;
    if let Some(steps) = phase.steps {
        PHASE_STEPS.check(steps as f64)?;
    }
    check_schedule_end(phase.steps, &phase.schedule)?;
    check_mult_count(&phase.group_lr_mult, groups)?;
    check_items(&GROUP_LR_MULT, phase.group_lr_mult.iter().copied())?;
    check_frozen_count(&phase.frozen, groups)
}

/// Every item of a list field built in Rust, in its range; errors name the item (`field[i]`).
fn check_items(field: &Field, values: impl Iterator<Item = f64>) -> Result<(), SpecError> {
    for (i, x) in values.enumerate() {
        field.check_value(x).map_err(|message| SpecError::new("", message).at(i).within(field.name))?;
    }
    Ok(())
}

/// A run of one phase: `schedule` from its first step to its end, every group at its rate.
pub fn one_phase_run(seed: u64, schedule: Arc<Schedule>, groups: usize) -> RunConfig {
    let phase = Phase {
        steps: None,
        schedule,
        group_lr_mult: vec![1.0; groups],
        frozen: vec![false; groups],
        reset_optimizer: false,
    };
    RunConfig { seed, data_seed: None, phases: vec![phase], init_params: None, eval_every: DEFAULT_EVAL_EVERY }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::testing::{base, runs, with};
    use super::*;
    use serde_json::json;

    #[test]
    fn group_lists_hold_layer_indices_only() {
        let mut options = base();
        options["layers"] = json!([2, 8, 8, 2]);
        let groups = |g: Value| {
            let mut o = options.clone();
            o["groups"] = g;
            parse(&o).map(|o| o.config.groups).map_err(|e| e.to_string())
        };
        assert_eq!(groups(json!([[0], [1, 2]])), Ok(vec![vec![0], vec![1, 2]]));
        assert_eq!(
            groups(json!([[0, "x"], [1, 2]])),
            Err("groups[0][1]: must be an integer in [0, 2], got \"x\"".into())
        );
        assert_eq!(groups(json!([[0], [1.5, 2]])), Err("groups[1][0]: must be an integer in [0, 2], got 1.5".into()));
        assert_eq!(groups(json!([[0], 1])), Err("groups[1]: must be a list of Linear layer indices, got 1".into()));
        assert_eq!(
            groups(json!({"0": [0]})),
            Err("groups: must be a list of groups of Linear layer indices, e.g. [[0], [1, 2]], got an object".into())
        );
        let order = "groups: must split the Linear layers 0..=2 into consecutive groups, in order, e.g. [[0], [1, 2]]";
        assert_eq!(groups(json!([[1], [0, 2]])), Err(order.into()));
        assert_eq!(groups(json!([[0], [], [1, 2]])), Err(order.into()));
        assert_eq!(groups(json!([[0], [1]])), Err(order.into()));
    }

    #[test]
    fn runs_list_phases() {
        let phases = json!([{"seed": 4, "data_seed": 9, "phases": [
            {"steps": 10, "schedule": {"kind": "Constant", "lr": 0.1}, "frozen": [true, false]},
            {"steps": 5, "schedule": {"kind": "OneCycleLR", "max_lr": 0.3, "total_steps": 4}, "group_lr_mult": [0.5, 1],
                "reset_optimizer": true},
            {"schedule": {"kind": "Constant", "lr": 0.01}, "reset_optimizer": false}]}]);
        let run = runs(phases).unwrap().remove(0);
        assert_eq!((run.seed, run.data_seed), (4, Some(9)));
        type Summary<'a> = (Option<u64>, &'a str, Vec<f64>, Vec<bool>);
        let summary: Vec<Summary> = run
            .phases
            .iter()
            .map(|p| (p.steps, p.schedule.kind(), p.group_lr_mult.clone(), p.frozen.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                (Some(10), "Constant", vec![1.0, 1.0], vec![true, false]),
                (Some(5), "OneCycleLR", vec![0.5, 1.0], vec![false, false]),
                (None, "Constant", vec![1.0, 1.0], vec![false, false]),
            ]
        );
        let resets: Vec<bool> = run.phases.iter().map(|p| p.reset_optimizer).collect();
        assert_eq!(resets, [false, true, false]);
        let last_with_steps = runs(json!([{"phases": [{"steps": 3, "schedule": {"kind": "Constant"}}]}])).unwrap();
        assert_eq!(last_with_steps[0].phases[0].steps, Some(3));
        assert_eq!(runs(json!([{"data_seed": null, "schedule": {"kind": "Constant"}}])).unwrap()[0].data_seed, None);
    }

    #[test]
    fn phase_errors_name_the_phase_and_field() {
        let constant = json!({"kind": "Constant"});
        let err = |run: Value| runs(json!([{"schedule": constant}, run])).err().unwrap();
        assert_eq!(
            err(json!({"phases": [{"schedule": constant}, {"schedule": constant}]})),
            "runs[1].phases[0].steps: is required in every phase but the last: an integer in [1, 1000000000]"
        );
        assert_eq!(
            err(json!({"phases": [{"steps": 0, "schedule": constant}, {"schedule": constant}]})),
            "runs[1].phases[0].steps: must be an integer in [1, 1000000000], got 0"
        );
        assert_eq!(
            err(json!({"phases": [{"steps": 2, "schedule": constant}, {"steps": 1000000001, "schedule": constant}]})),
            "runs[1].phases[1].steps: must be an integer in [1, 1000000000], got 1000000001"
        );
        assert_eq!(
            err(json!({"phases": [{"steps": 2, "schedule": constant}, {"steps": 2.5, "schedule": constant}]})),
            "runs[1].phases[1].steps: must be an integer in [1, 1000000000], got 2.5"
        );
        assert_eq!(
            err(
                json!({"phases": [{"steps": 20, "schedule": {"kind": "OneCycleLR", "max_lr": 0.1, "total_steps": 9}}, {"schedule": constant}]})
            ),
            "runs[1].phases[0].steps: must be at most 10 (its OneCycleLR ends after 10 steps), got 20"
        );
        assert_eq!(
            err(json!({"phases": [{"steps": 2, "schedule": {"kind": "StepLR", "step_size": 0}}]})),
            "runs[1].phases[0].schedule.step_size (StepLR): must be an integer in [1, 1000000000], got 0"
        );
        assert_eq!(
            err(json!({"phases": [{"steps": 2}]})),
            "runs[1].phases[0].schedule: is required: a schedule spec such as {kind: \"Constant\", lr: 0.1}"
        );
        assert_eq!(
            err(json!({"phases": [{"schedule": constant, "frozen": [true]}]})),
            "runs[1].phases[0].frozen: must have one flag per group (2), got 1"
        );
        assert_eq!(
            err(json!({"phases": [{"schedule": constant, "seed": 1}]})),
            "runs[1].phases[0].seed: unknown field (allowed: steps, schedule, group_lr_mult, frozen, reset_optimizer)"
        );
        assert_eq!(
            err(json!({"phases": [{"schedule": constant, "reset_optimizer": 1}]})),
            "runs[1].phases[0].reset_optimizer: must be true or false, got 1"
        );
        assert_eq!(
            err(json!({"schedule": constant, "reset_optimizer": true})),
            "runs[1].reset_optimizer: unknown field (allowed: seed, data_seed, init_params, schedule, phases, group_lr_mult, frozen, eval_every)"
        );
        assert_eq!(err(json!({"phases": [3]})), "runs[1].phases[0]: must be an object, got 3");
        assert_eq!(err(json!({"phases": []})), "runs[1].phases: must list 1 to 64 phases, got 0");
        let many: Vec<Value> = (0..65).map(|_| json!({"steps": 1, "schedule": constant})).collect();
        assert_eq!(err(json!({"phases": many})), "runs[1].phases: must list 1 to 64 phases, got 65");
        assert_eq!(
            err(json!({"phases": {"steps": 1}})),
            "runs[1].phases: must be a list of phase specs, got an object"
        );
        assert_eq!(
            err(json!({"schedule": constant, "phases": [{"schedule": constant}]})),
            "runs[1].phases: cannot go with schedule: give schedule (one phase) or phases, not both"
        );
        assert_eq!(
            err(json!({"group_lr_mult": [1, 1], "phases": [{"schedule": constant}]})),
            "runs[1].group_lr_mult: goes in each phase when a run gives phases"
        );
        assert_eq!(
            err(json!({"seed": 1})),
            "runs[1].schedule: is required: a schedule spec such as {kind: \"Constant\", lr: 0.1}, or phases: [{steps, schedule}, ...]"
        );
        assert_eq!(
            err(json!({"schedule": constant, "data_seed": 4294967296u64})),
            "runs[1].data_seed: must be an integer in [0, 4294967295], got 4294967296"
        );
        assert_eq!(
            err(json!({"schedule": constant, "data_seed": -1})),
            "runs[1].data_seed: must be an integer in [0, 4294967295], got -1"
        );
        let e = parse(&with("runs", json!([{"schedule": constant}, {"phases": [{"steps": 1, "schedule": constant}, {"steps": 0, "schedule": constant}]}])))
            .err()
            .unwrap();
        assert_eq!(e.field, "runs[1].phases[1].steps");
    }

    #[test]
    fn run_updates_change_only_what_they_give() {
        let update = parse_run_update(&json!({"frozen": [false, true]}), 2).unwrap();
        assert!(update.schedule.is_none() && update.group_lr_mult.is_none());
        assert_eq!(update.frozen, Some(vec![false, true]));
        assert!(!update.reset_optimizer);
        assert!(parse_run_update(&json!({"reset_optimizer": true}), 2).unwrap().reset_optimizer);
        let update =
            parse_run_update(&json!({"schedule": {"kind": "Constant", "lr": 0.5}, "group_lr_mult": [0.1, 1]}), 2)
                .unwrap();
        assert_eq!(update.schedule.map(|s| s.lr_at(0).unwrap()), Some(0.5));
        assert_eq!(update.group_lr_mult, Some(vec![0.1, 1.0]));
        let err = |v: Value| parse_run_update(&v, 2).err().unwrap();
        let e = err(json!({"schedule": {"kind": "ExponentialLR", "gamma": 0}}));
        assert_eq!((e.field.as_str(), e.kind), ("schedule.gamma", Some("ExponentialLR")));
        assert_eq!(
            err(json!({"steps": 3})).to_string(),
            "steps: unknown field (allowed: schedule, group_lr_mult, frozen, reset_optimizer)"
        );
        assert_eq!(
            err(json!({"reset_optimizer": "yes"})).to_string(),
            "reset_optimizer: must be true or false, got \"yes\""
        );
        assert_eq!(
            err(json!({"group_lr_mult": [1]})).to_string(),
            "group_lr_mult: must have one multiplier per group (2), got 1"
        );
        assert_eq!(
            err(json!({"group_lr_mult": [1, -1]})).to_string(),
            "group_lr_mult[1]: must be a finite number in [0, 1000000], got -1"
        );
        assert_eq!(
            err(json!({"frozen": "all"})).to_string(),
            "frozen: must be a list of true / false flags, got \"all\""
        );
        let root = err(json!(null));
        assert_eq!((root.field.as_str(), root.message.as_str()), ("", "must be an object, got null"));
    }

    #[test]
    fn init_params_are_whole_layers_of_the_network() {
        let mut options = base();
        options["layers"] = json!([2, 8, 8, 3]);
        options["data"] = json!({"kind": "spiral", "n": 100, "arms": 3});
        let run = |init: Value| {
            let mut o = options.clone();
            o["runs"] =
                json!([{"schedule": {"kind": "Constant"}}, {"init_params": init, "schedule": {"kind": "Constant"}}]);
            parse(&o).map(|o| o.config.runs[1].init_params.clone()).map_err(|e| e.to_string())
        };
        // Layer 0 holds 2·8 + 8 = 24 parameters, layers 0–1 another 8·8 + 8, all three 27 more.
        assert_eq!(run(json!(vec![0.5; 24])), Ok(Some(vec![0.5f32; 24])));
        assert_eq!(run(json!(vec![0.25; 96])).map(|p| p.map(|p| p.len())), Ok(Some(96)));
        assert_eq!(run(json!(vec![0.0; 123])).map(|p| p.map(|p| p.len())), Ok(Some(123)));
        let lengths = "must hold the parameters of the first 1 to 3 Linear layers, one of 24, 96, 123 values";
        assert_eq!(run(json!(vec![0.0; 25])), Err(format!("runs[1].init_params: {lengths}, got 25")));
        assert_eq!(run(json!([])), Err(format!("runs[1].init_params: {lengths}, got 0")));
        assert_eq!(
            run(json!([0.0, "x"])),
            Err("runs[1].init_params[1]: must be a finite number in [-3.402823e38, 3.402823e38], got \"x\"".into())
        );
        assert_eq!(run(json!(null)), Ok(None));
        assert_eq!(runs(json!([{"schedule": {"kind": "Constant"}}])).unwrap()[0].init_params, None);
    }
}
