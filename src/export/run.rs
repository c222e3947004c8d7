//! A Train run (its optimizer, layer groups and phases) and a per-group plan as Python: PyTorch
//! param groups with one LambdaLR rate per group, frozen groups without gradients, optimizer
//! resets at phase starts; or, for a plan, fastai's own calls.

use serde_json::{Map, Value};

use super::args::Args;
use super::closed_form::forms;
use super::kinds::exporter;
use super::python::{boolean, int, num, Snippet};
use super::torch::{optimizer_line, STEP_PER_BATCH};
use super::{read_target, target_of, Target, TARGET};
use crate::engine::options::parse;
use crate::engine::Optimizer;
use crate::spec::{options_object, Field, Preset, Reader, SpecError};
use crate::transfer::Plan;

const RUN: Field = Field::int("run", 0, 1023, "Which of the options' runs to write out").default(Preset::Int(0));
const RUN_OPTION_FIELDS: &[Field] = &[TARGET, RUN];

/// A phase as the exporter needs it: its schedule spec and its per-group settings.
struct PhaseCode<'a> {
    schedule: &'a Value,
    group_lr_mult: Vec<f64>,
    frozen: Vec<bool>,
    reset_optimizer: bool,
    /// The phase's first step on the run's step axis.
    start: u64,
}

/// Where the parameter groups come from.
enum Groups<'a> {
    /// The session's groups of Linear layers, in `model.modules()` order.
    Linears(&'a [Vec<usize>]),
    /// A plan's `n` groups, which the user splits the model into.
    Given(usize),
}

/// `exportRunCode(options, {run, target})`: Python for run `run` of session options `options`
/// (validated as `Session.create` validates them). Errors name the option (`run`, `target`) or,
/// for the session options, their field (`runs[0].schedule.lr`).
pub fn export_run(options: &Value, export_options: &Value) -> Result<String, SpecError> {
    let empty = Map::new();
    let r = Reader::new(options_object(export_options, &empty).map_err(|e| e.at_root("options"))?, RUN_OPTION_FIELDS)?;
    let run = r.int(&RUN)? as usize;
    let target = target_of(&r)?.unwrap_or(Target::PyTorch);
    let config = parse(options).map_err(|e| e.at_root("sessionOptions"))?.config;
    let runs = &config.runs;
    let Some(run_config) = runs.get(run) else {
        let message = format!("must be an integer in [0, {}] (one of the options' runs), got {run}", runs.len() - 1);
        return Err(SpecError::new(RUN.name, message));
    };
    if target != Target::PyTorch {
        let message = format!("{} cannot express a run's phases and groups exactly; these can: pytorch", target.name());
        return Err(SpecError::new(TARGET.name, message));
    }
    let raw = options.get("runs").and_then(|runs| runs.get(run)).unwrap_or(&Value::Null);
    let specs = raw_schedules(raw);
    let mut start = 0u64;
    let mut phases = Vec::new();
    for (phase, schedule) in run_config.phases.iter().zip(specs) {
        phases.push(PhaseCode {
            schedule,
            group_lr_mult: phase.group_lr_mult.clone(),
            frozen: phase.frozen.clone(),
            reset_optimizer: phase.reset_optimizer,
            start,
        });
        start = start.saturating_add(phase.steps.unwrap_or(0));
    }
    if let [phase] = &phases[..] {
        if phase.group_lr_mult.iter().all(|&m| m == 1.0) && !phase.frozen.contains(&true) {
            return one_schedule(phase.schedule, config.optimizer);
        }
    }
    torch_phases(&phases, Groups::Linears(&config.groups), config.optimizer)
}

/// A run of one schedule, every group at its rate: the schedule's own PyTorch code, on the run's optimizer.
fn one_schedule(spec: &Value, optimizer: Optimizer) -> Result<String, SpecError> {
    let args = Args::read(spec).map_err(|e| e.within("schedule"))?;
    let export = exporter(args.kind.name, Target::PyTorch)
        .ok_or_else(|| SpecError::new(TARGET.name, format!("pytorch cannot express {} yet", args.kind.name)))?;
    let mut snippet = export(&args)?;
    if let Some(start) = snippet.optimizer() {
        snippet.replace_optimizer(optimizer_line("model.parameters()", optimizer, start.lr, start.momentum).0);
    }
    Ok(snippet.render())
}

/// The schedule spec of each phase of a run as given (one `schedule`, or each phase's).
fn raw_schedules(run: &Value) -> Vec<&Value> {
    match (run.get("schedule"), run.get("phases").and_then(Value::as_array)) {
        (Some(schedule), _) => vec![schedule],
        (None, Some(phases)) => phases.iter().filter_map(|p| p.get("schedule")).collect(),
        _ => Vec::new(),
    }
}

/// `exportPlanCode(spec, {target})`: a per-group plan (`planGroups`'s spec) as fastai's own calls
/// (the default) or as PyTorch param groups.
pub fn export_plan(spec: &Value, export_options: &Value) -> Result<String, SpecError> {
    let target = read_target(export_options).map_err(|e| e.at_root("options"))?;
    let plan = Plan::from_spec(spec).map_err(|e| e.at_root("spec"))?;
    match target.unwrap_or(Target::Fastai) {
        Target::Fastai => super::fastai_plan::fastai_plan(spec, plan.n_groups),
        Target::PyTorch => {
            let mut start = 0u64;
            let mut phases = Vec::new();
            for value in &plan.phases {
                phases.push(plan_phase(value, start)?);
                start = start.saturating_add(value.get("steps").and_then(Value::as_u64).unwrap_or(0));
            }
            let optimizer = Optimizer::Sgd { momentum: 0.0, dampening: 0.0, nesterov: false, weight_decay: 0.0 };
            torch_phases(&phases, Groups::Given(plan.n_groups), optimizer)
        }
        other => Err(SpecError::new(
            TARGET.name,
            format!("{} cannot express a per-group plan exactly; these can: fastai, pytorch", other.name()),
        )),
    }
}

/// One of `Plan::phases` (`{steps, schedule, group_lr_mult, frozen, reset_optimizer}`).
fn plan_phase(value: &Value, start: u64) -> Result<PhaseCode<'_>, SpecError> {
    let missing = || SpecError::new("", "a plan phase is missing a field");
    let list = |name: &str| value.get(name).and_then(Value::as_array).ok_or_else(missing);
    Ok(PhaseCode {
        schedule: value.get("schedule").ok_or_else(missing)?,
        group_lr_mult: list("group_lr_mult")?.iter().filter_map(Value::as_f64).collect(),
        frozen: list("frozen")?.iter().filter_map(Value::as_bool).collect(),
        reset_optimizer: value.get("reset_optimizer").and_then(Value::as_bool).unwrap_or(false),
        start,
    })
}

/// Sets every group's rate and momentum from the phase the step is in, freezes and unfreezes
/// groups, and clears the optimizer's state where a phase starts afresh.
const RUN_PHASES_CLASS: &str = r#"class RunPhases(LambdaLR):
    """Each group's rate is its phase's schedule (counted from the phase's first step) times the
    group's multiplier; frozen groups get no gradients; a phase marked so clears the optimizer's state."""

    def __init__(self, optimizer, phases, momentum):
        self.phases, self.momentum = phases, momentum
        rates = [lambda step, g=g: self.rate(step, g) for g in range(len(optimizer.param_groups))]
        super().__init__(optimizer, rates)

    def phase(self, step):
        return [phase for phase in self.phases if phase[0] <= step][-1]

    def rate(self, step, group):
        start, lr_at, _, multipliers, _, _ = self.phase(step)
        return lr_at(step - start) * multipliers[group]

    def step(self):
        super().step()
        step = self.last_epoch
        start, _, momentum_at, _, frozen, reset = self.phase(step)
        if reset and step == start:
            self.optimizer.state.clear()
        momentum = momentum_at(step - start) if momentum_at else self.momentum
        for group, group_frozen in zip(self.optimizer.param_groups, frozen):
            for p in group["params"]:
                p.requires_grad_(not group_frozen)
            if "betas" in group:
                group["betas"] = (momentum, group["betas"][1])
            else:
                group["momentum"] = momentum"#;

fn torch_phases(phases: &[PhaseCode], groups: Groups, optimizer: Optimizer) -> Result<String, SpecError> {
    let mut s = Snippet::default();
    s.import("import torch").import("from torch.optim.lr_scheduler import LambdaLR");
    let mut rows = Vec::new();
    for (i, phase) in phases.iter().enumerate() {
        let f = forms(&Args::read(phase.schedule)?, &format!("_{i}"))?;
        for import in &f.imports {
            s.import(import);
        }
        for def in f.defs {
            s.def(def);
        }
        let momentum_at = if f.momentum { format!("momentum_at_{i}") } else { "None".into() };
        let frozen: Vec<&str> = phase.frozen.iter().map(|&f| boolean(f)).collect();
        rows.push(format!(
            "    ({}, lr_at_{i}, {momentum_at}, {}, [{}], {}),",
            int(phase.start),
            super::python::nums(&phase.group_lr_mult),
            frozen.join(", "),
            boolean(phase.reset_optimizer)
        ));
    }
    s.def(RUN_PHASES_CLASS.to_string());
    match groups {
        Groups::Linears(groups) => {
            s.line("linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]");
            s.line("param_groups = [");
            for group in groups {
                let params: Vec<String> = group.iter().map(|l| format!("*linears[{l}].parameters()")).collect();
                s.line(format!("    {{\"params\": [{}]}},", params.join(", ")));
            }
            s.line("]");
        }
        Groups::Given(n) => {
            s.line(format!("# groups: your model's parameters in {n} lists, first layers first (fastai's splitter)."));
            s.line("param_groups = [{\"params\": params} for params in groups]");
        }
    }
    s.line("# lr=1.0: RunPhases sets every group's rate from the first step on.");
    let (line, momentum) = optimizer_line("param_groups", optimizer, 1.0, None);
    s.line(line);
    s.line("phases = [");
    s.line("    # (first step, rate, momentum (None: the optimizer's), group multipliers, frozen groups, clear the optimizer's state)");
    for row in rows {
        s.line(row);
    }
    s.line("]");
    s.line(format!("scheduler = RunPhases(optimizer, phases, momentum={})", num(momentum)));
    s.line(STEP_PER_BATCH);
    Ok(s.render())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn session() -> Value {
        json!({"layers": [2, 4, 2], "data": {"kind": "circle", "n": 50}, "runs": [{"schedule": {"kind": "Constant", "lr": 0.1}}]})
    }

    #[test]
    fn a_run_out_of_range_a_bad_target_and_bad_options_name_their_field() {
        let e = export_run(&session(), &json!({"run": 1})).unwrap_err();
        assert_eq!(e.to_string(), "run: must be an integer in [0, 0] (one of the options' runs), got 1");
        let e = export_run(&session(), &json!({"target": "keras"})).unwrap_err();
        assert_eq!(e.to_string(), "target: keras cannot express a run's phases and groups exactly; these can: pytorch");
        assert_eq!(export_run(&json!(1), &Value::Null).unwrap_err().field, "sessionOptions");
        assert_eq!(export_run(&session(), &json!([])).unwrap_err().field, "options");
        assert_eq!(export_run(&json!({"layers": [2, 4, 2]}), &Value::Null).unwrap_err().field, "data");
    }

    #[test]
    fn one_param_group_per_layer_group_and_the_optimizer_as_given() {
        let mut options = session();
        options["groups"] = json!([[0], [1]]);
        options["optimizer"] = json!({"kind": "adam", "betas": [0.8, 0.99]});
        options["runs"][0]["group_lr_mult"] = json!([0.5, 1.0]);
        let code = export_run(&options, &Value::Null).unwrap();
        assert!(
            code.contains(
                "    {\"params\": [*linears[0].parameters()]},\n    {\"params\": [*linears[1].parameters()]},"
            ),
            "{code}"
        );
        assert!(
            code.contains("torch.optim.Adam(param_groups, lr=1.0, betas=(0.8, 0.99), eps=1e-8, weight_decay=0.0)"),
            "{code}"
        );
        assert!(code.contains("(0, lr_at_0, None, [0.5, 1.0], [False, False], False),"), "{code}");
    }

    #[test]
    fn a_run_of_one_schedule_at_every_groups_rate_is_the_schedules_own_code_on_the_runs_optimizer() {
        let mut options = session();
        options["optimizer"] = json!({"kind": "sgd", "momentum": 0.9, "nesterov": true});
        options["runs"][0]["schedule"] = json!({"kind": "StepLR", "lr": 0.1, "step_size": 3});
        let code = export_run(&options, &Value::Null).unwrap();
        let expected = "optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, dampening=0.0, nesterov=True, weight_decay=0.0)\nscheduler = StepLR(optimizer, step_size=3, gamma=0.1)\n";
        assert!(code.contains(expected), "{code}");
        assert!(!code.contains("RunPhases"), "{code}");
    }

    #[test]
    fn a_plan_is_fastais_own_calls_unless_pytorch_is_asked_for() {
        let spec = json!({"method": "fit_one_cycle", "n_groups": 3, "steps_per_epoch": 5, "n_epoch": 2, "lr_max": {"slice": [null, 0.01]}, "freeze_to": -1});
        let code = export_plan(&spec, &Value::Null).unwrap();
        assert!(code.contains("learn.freeze_to(-1)\nlearn.fit_one_cycle(2, lr_max=slice(0.01))"), "{code}");
        assert!(export_plan(&spec, &json!({"target": "pytorch"})).unwrap().contains("scheduler = RunPhases("));
        let e = export_plan(&spec, &json!({"target": "optax"})).unwrap_err();
        assert_eq!(e.to_string(), "target: optax cannot express a per-group plan exactly; these can: fastai, pytorch");
    }
}
