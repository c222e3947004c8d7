//! Copy as code, held to the real libraries: `tests/fixtures/gen_code_export.py` ran every
//! exported snippet in PyTorch, transformers, timm, optax, Keras or fastai and recorded its rates.
//! Here the engine's snippet must still be the one that ran (a changed exporter fails until the
//! script is rerun), and the recorded rates must be the engine's own values.

use lr_playground::engine::options::parse;
use lr_playground::engine::phases::{GroupStep, RunPlan};
use lr_playground::schedule::Schedule;
use lr_playground::transfer::Plan;
use serde_json::Value;

#[path = "../common/code_export.rs"]
mod cases;

const RECORDED_JSON: &str = include_str!("../fixtures/code_export.json");

/// What the engine says each step trains with: every group's rate, the momentum it sets (`None`:
/// the optimizer's own) and which groups train (`None` where the case has no groups).
struct Engine {
    lr: Vec<Vec<f64>>,
    momentum: Vec<Option<f64>>,
    trainable: Option<Vec<Vec<bool>>>,
}

fn engine_values(case: &Value, steps: usize) -> Result<Engine, String> {
    if let (Some(spec), Some(metrics)) = (case.get("schedule"), case.get("metrics")) {
        // ReduceLROnPlateau: the constructor's rate, then the rate after each step(metric).
        let schedule = Schedule::from_spec(spec).map_err(|e| e.to_string())?;
        let metrics: Vec<f64> = metrics.as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
        let start = schedule.sample(1).map_err(|e| e.to_string())?.lr;
        let replay =
            schedule.replay(&metrics[..steps.saturating_sub(1).min(metrics.len())]).map_err(|e| e.to_string())?;
        let lr = start.into_iter().chain(replay.lr).map(|x| vec![x]).collect();
        return Ok(Engine { lr, momentum: vec![None; steps], trainable: None });
    }
    if let Some(spec) = case.get("schedule") {
        let samples = Schedule::from_spec(spec).and_then(|s| s.sample(steps as u64)).map_err(|e| e.to_string())?;
        let momentum = match samples.momentum {
            Some(m) => m.into_iter().map(|m| (!m.is_nan()).then_some(m)).collect(),
            None => vec![None; steps],
        };
        return Ok(Engine { lr: samples.lr.into_iter().map(|x| vec![x]).collect(), momentum, trainable: None });
    }
    if let Some(options) = case.get("run") {
        let config = parse(options).map_err(|e| e.to_string())?.config;
        let run = case["options"]["run"].as_u64().unwrap_or(0) as usize;
        let groups = config.groups.len();
        let plan = RunPlan::new(config.runs[run].phases.clone());
        let mut row = vec![GroupStep { lr: 0.0, momentum: None, frozen: false }; groups];
        let (mut lr, mut momentum, mut trainable) = (Vec::new(), Vec::new(), Vec::new());
        for t in 0..steps as u64 {
            if !plan.groups_at(t, &mut row) {
                return Err(format!("the run ends before step {t}"));
            }
            lr.push(row.iter().map(|g| g.lr).collect());
            momentum.push(row[0].momentum);
            trainable.push(row.iter().map(|g| !g.frozen).collect());
        }
        return Ok(Engine { lr, momentum, trainable: Some(trainable) });
    }
    let plan = Plan::from_spec(&case["plan"]).map_err(|e| e.to_string())?;
    if plan.steps != steps as u64 {
        return Err(format!("the plan has {} steps, the library ran {steps}", plan.steps));
    }
    let n = plan.n_groups;
    Ok(Engine {
        lr: plan.lr.chunks(n).map(<[f64]>::to_vec).collect(),
        momentum: plan.momentum.chunks(n).map(|row| row.first().copied().filter(|m| !m.is_nan())).collect(),
        trainable: Some(plan.trainable.chunks(n).map(<[bool]>::to_vec).collect()),
    })
}

/// optax and Keras compute in float32 (and so does the engine for their kinds, whatever the
/// target); everything else in float64.
fn tolerance(case: &Value) -> f64 {
    let target = case["options"]["target"].as_str().unwrap_or("pytorch");
    let kind = lr_playground::schedule::KINDS.iter().find(|k| case["schedule"]["kind"] == k.name);
    let float32_kind = kind.is_some_and(|k| matches!(k.library.name(), "optax" | "keras"));
    if float32_kind || matches!(target, "optax" | "keras") {
        2e-6
    } else {
        1e-9
    }
}

fn close(got: f64, want: f64, tol: f64, scale: f64) -> bool {
    // PyTorch's recursive formulas leave ~1e-17 residues where the closed form gives 0.
    (got - want).abs() <= tol * want.abs() + 1e-14 * scale
}

/// Code that trains every parameter in one group (a run whose groups all share the rate) stands
/// for each of the engine's `groups`.
fn every_group<T: Copy>(row: Vec<T>, groups: usize) -> Vec<T> {
    match row[..] {
        [one] => vec![one; groups],
        _ => row,
    }
}

fn rows(v: &Value) -> Vec<Vec<Value>> {
    v.as_array()
        .map(|rows| rows.iter().map(|r| r.as_array().cloned().unwrap_or_default()).collect())
        .unwrap_or_default()
}

fn check_case(case: &Value, recorded: &Value) -> Vec<String> {
    let name = case["name"].as_str().unwrap_or("?");
    let mut failures = Vec::new();
    match cases::snippet(case) {
        Ok(code) if code == recorded["code"].as_str().unwrap_or("") => {}
        Ok(_) => {
            failures.push(format!("{name}: the engine's snippet changed; rerun tests/fixtures/gen_code_export.py"))
        }
        Err(e) => failures.push(format!("{name}: {e}")),
    }
    let lr = rows(&recorded["lr"]);
    let engine = match engine_values(case, lr.len()) {
        Ok(engine) => engine,
        Err(e) => return [failures, vec![format!("{name}: {e}")]].concat(),
    };
    let tol = tolerance(case);
    if engine.lr.len() != lr.len() {
        failures.push(format!("{name}: the library ran {} steps, the engine has {}", lr.len(), engine.lr.len()));
    }
    let scale = engine.lr.iter().flatten().fold(0f64, |m, x| m.max(x.abs()));
    for (t, (got, want)) in lr.iter().zip(&engine.lr).enumerate() {
        let got = every_group(got.iter().filter_map(Value::as_f64).collect(), want.len());
        if got.len() != want.len() || got.iter().zip(want).any(|(g, w)| !close(*g, *w, tol, scale)) {
            failures.push(format!("{name}: rates at step {t}: the library gave {got:?}, the engine {want:?}"));
        }
    }
    let momentum = rows(&recorded["momentum"]);
    for (t, (got, want)) in momentum.iter().zip(&engine.momentum).enumerate() {
        if let (Some(want), got) = (want, got.first().and_then(Value::as_f64)) {
            if !got.is_some_and(|g| close(g, *want, tol, 1.0)) {
                failures.push(format!("{name}: momentum at step {t}: the library gave {got:?}, the engine {want}"));
            }
        }
    }
    if let Some(trainable) = &engine.trainable {
        let got: Vec<Vec<bool>> = rows(&recorded["trainable"])
            .iter()
            .zip(trainable)
            .map(|(r, want)| every_group(r.iter().filter_map(Value::as_bool).collect(), want.len()))
            .collect();
        if &got != trainable {
            failures.push(format!("{name}: the groups that train differ from the engine's"));
        }
    }
    failures.truncate(4);
    failures
}

#[test]
fn every_exported_snippet_ran_in_its_library_and_gave_the_engines_rates() {
    let cases: Value = serde_json::from_str(cases::CASES_JSON).expect("the cases parse");
    let recorded: Value = serde_json::from_str(RECORDED_JSON).expect("the recorded results parse");
    let cases = cases["cases"].as_array().expect("cases");
    let recorded = recorded["cases"].as_array().expect("recorded cases");
    let names = |list: &[Value]| list.iter().map(|c| c["name"].clone()).collect::<Vec<_>>();
    assert_eq!(names(cases), names(recorded), "the recorded cases are not the cases: rerun gen_code_export.py");
    assert!(cases.len() >= 50, "only {} cases", cases.len());
    let failures: Vec<String> = cases.iter().zip(recorded).flat_map(|(c, r)| check_case(c, r)).collect();
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_target_and_every_kind_is_among_the_cases() {
    let cases: Value = serde_json::from_str(cases::CASES_JSON).expect("the cases parse");
    let cases = cases["cases"].as_array().expect("cases");
    for target in lr_playground::export::Target::NAMES {
        assert!(cases.iter().any(|c| c["options"]["target"] == target), "no case exports to {target}");
    }
    for kind in lr_playground::schedule::KINDS {
        for target in lr_playground::export::targets_for(kind.name) {
            let covered = cases.iter().any(|c| c["schedule"]["kind"] == kind.name && c["options"]["target"] == target);
            assert!(covered, "no case runs {} in {target}", kind.name);
        }
    }
}
