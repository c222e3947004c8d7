//! Fuzzing every JSON-spec boundary (see tests/fuzz/mod.rs): schedules, session options, run
//! updates, the finder's options, the curve functions' options, surface trajectories and grids,
//! per-group plans and the plateau race's options. Each target parses what the
//! generator writes and, where the input is accepted and small, uses it (samples the schedule,
//! trains the session a few steps on the CPU path, runs the range test), so that a panic deeper
//! in than validation is found too. A new JSON-spec API is one more `Target` below.
//!
//!     cargo test --test fuzz_specs                                            # 256 cases each
//!     FUZZ_CASES=1000000 cargo test --profile fuzz --test fuzz_specs -- --test-threads 1 --nocapture
#![cfg(not(target_arch = "wasm32"))]

mod fuzz;

use fuzz::{fuzz, replay_corpus, Target};
use lr_playground::engine::{options, EvalSet, Session};
use lr_playground::finder::{self, curves, FinderOptions, VerifyOptions};
use lr_playground::landscape::plateau::RaceSpec;
use lr_playground::schedule::{self, Schedule};
use lr_playground::spec::{non_finite, SpecError};
use lr_playground::surface::{self, GridSpec, TrajectorySpec};
use lr_playground::transfer::{self, Plan};
use serde_json::{json, Value};

/// A session may be built and trained when its work is this small: runs × parameters × batch,
/// and its rows (parsing has already generated them, within the options' own limits).
const SMALL_WORK: usize = 200_000;
const SMALL_ROWS: usize = 2_000;

fn small(config: &lr_playground::engine::SessionConfig) -> bool {
    let work = config.runs.len() * config.mlp.param_count() * config.batch_size;
    work <= SMALL_WORK && config.data.train.len() + config.data.validation.len() <= SMALL_ROWS
}

fn session_seed() -> Value {
    json!({
        "backend": "cpu", "layers": [2, 6, 2], "activation": "tanh", "loss": "cross_entropy",
        "optimizer": {"kind": "SGD", "momentum": 0.9},
        "data": {"kind": "spiral", "n": 64, "noise": 0.1, "validation_fraction": 0.25, "seed": 1},
        "batch_size": 8, "shuffle": true, "groups": [[0], [1]],
        "runs": [
            {"seed": 1, "schedule": {"kind": "Constant", "lr": 0.05}},
            {"seed": 2, "data_seed": 3, "schedule": {"kind": "CyclicLR", "base_lr": 0.01, "max_lr": 0.3, "step_size_up": 4}},
            {"seed": 1, "phases": [
                {"steps": 3, "schedule": {"kind": "OneCycleLR", "max_lr": 0.3, "total_steps": 3}, "frozen": [true, false]},
                {"schedule": {"kind": "Constant", "lr": 0.1}, "group_lr_mult": [0.1, 1]}]},
        ],
    })
}

/// The small session every finder and update target runs on.
fn fixed_session() -> Session {
    Session::new(options::parse(&session_seed()).map(|o| o.config).unwrap_or_else(|e| panic!("{e}")))
}

/// Every kind's example spec (what `Schedule.kinds()` offers the page).
fn schedule_seeds() -> Vec<Value> {
    schedule::kinds_json()
        .as_array()
        .into_iter()
        .flatten()
        .map(|kind| {
            let mut spec = json!({"kind": kind["kind"]});
            for field in kind["fields"].as_array().into_iter().flatten() {
                if let (Some(name), Some(example)) = (field["name"].as_str(), field.get("example")) {
                    spec[name] = example.clone();
                }
            }
            spec
        })
        .collect()
}

fn run_schedule(spec: &Value) -> Result<(), SpecError> {
    let s = Schedule::from_spec(spec)?;
    s.sample(8)?;
    let last = s.last_step().unwrap_or(schedule::MAX_STEP);
    for t in [0, 1, last / 2, last, schedule::MAX_STEP] {
        // A step past a fixed-length schedule's end is refused by name, never a panic.
        if let Ok(lr) = s.lr_at(t) {
            assert!(!lr.is_nan() || spec.to_string().contains("NaN"), "lr_at({t}) = NaN for {spec}");
        }
        let _ = s.momentum_at(t);
    }
    Ok(())
}

fn run_session(value: &Value) -> Result<(), SpecError> {
    let parsed = options::parse(value)?;
    if !small(&parsed.config) {
        return Ok(());
    }
    let mut session = Session::new(parsed.config);
    let snapshot = session.snapshot();
    let losses = pollster::block_on(session.step(3));
    assert_eq!(losses.len(), 3 * session.run_count());
    for r in 0..session.run_count() {
        session.evaluate(r);
        session.layer_stats(r);
    }
    let (lo, hi) = session.input_extent();
    session.predict_grid(0, 3, lo, hi);
    let point = session.params(0).to_vec();
    pollster::block_on(session.evaluate_params(&point, EvalSet::Train));
    session.restore(&snapshot).map_err(|e| SpecError::new("snapshot", e.0))?;
    Ok(())
}

fn run_update(value: &Value) -> Result<(), SpecError> {
    let mut session = fixed_session();
    let update = options::parse_run_update(value, session.group_count())?;
    session.update_run(1, update);
    pollster::block_on(session.step(2));
    Ok(())
}

fn run_finder(value: &Value) -> Result<(), SpecError> {
    let options = FinderOptions::parse(value)?;
    if options.range.iterations() > 64 {
        return Ok(());
    }
    let mut session = fixed_session();
    let before = session.params(0).to_vec();
    let result = pollster::block_on(finder::run(&mut session, &options, |_| true))?;
    assert_eq!(session.params(0), &before[..], "the range test restores the session");
    assert!(result.runs.iter().all(|r| r.losses.len() <= result.lrs.len()));
    Ok(())
}

fn run_verify(value: &Value) -> Result<(), SpecError> {
    let session = fixed_session();
    let options = VerifyOptions::parse(value, session.run_count())?;
    if options.candidates.len() as u64 * options.steps > 400 {
        return Ok(());
    }
    let v = pollster::block_on(finder::verify(&session, &options))?;
    assert_eq!(v.losses.len(), options.candidates.len() * options.steps as usize);
    Ok(())
}

/// `{lrs, losses, smoothing, suggest}`: smoothLosses and suggestLr as the page calls them.
fn run_curves(value: &Value) -> Result<(), SpecError> {
    let null = Value::Null;
    let lrs = curves::parse_lrs(value.get("lrs").unwrap_or(&null), "lrs")?;
    let losses = curves::parse_losses(value.get("losses").unwrap_or(&null), "losses")?;
    let smoothing = curves::parse_smoothing(value.get("smoothing").unwrap_or(&null))?;
    assert_eq!(finder::smooth_losses(&losses, smoothing).len(), losses.len());
    if lrs.len() == losses.len() {
        let (method, num_it) = curves::parse_suggest(value.get("suggest").unwrap_or(&null), lrs.len())?;
        finder::suggest(method, &lrs, &losses, num_it);
        finder::suggest_all(&lrs, &losses, num_it);
    }
    Ok(())
}

/// Trajectories are run where they are short; the rest is validation only.
fn run_trajectories(value: &Value) -> Result<(), SpecError> {
    let specs = TrajectorySpec::parse_list(value)?;
    if specs.iter().map(|s| s.steps).sum::<u64>() <= 5_000 {
        for spec in &specs {
            let path = spec.run();
            assert!(path.x.len() == path.y.len() && path.x.len() == path.loss.len(), "{value}");
        }
    }
    Ok(())
}

fn run_surface_grid(value: &Value) -> Result<(), SpecError> {
    let grid = GridSpec::parse(value)?;
    if grid.nx * grid.ny <= 100_000 {
        grid.values();
    }
    Ok(())
}

fn run_plan(value: &Value) -> Result<(), SpecError> {
    Plan::from_spec(value).map(|_| ())
}

/// The race's options and the session they make (training it is the session target's job).
fn run_plateau_race(value: &Value) -> Result<(), SpecError> {
    RaceSpec::parse(value)?.session_options().map(|_| ())
}

fn targets() -> Vec<Target> {
    let curve: Vec<f64> = (0..40).map(|i| 1e-5 * 1.3f64.powi(i)).collect();
    let losses: Vec<Value> =
        (0..40).map(|i| if i == 37 { non_finite(f64::NAN) } else { json!(1.0 / (1.0 + i as f64)) }).collect();
    vec![
        Target { name: "schedule", seeds: schedule_seeds(), tables: vec![schedule::kinds_json()], run: run_schedule },
        Target {
            name: "session",
            seeds: vec![
                session_seed(),
                json!({"layers": [1, 3, 1], "loss": "mse", "batch_size": 2,
                "data": {"x": [0, 1, 2, 3], "y": [0, 1, 4, 9], "features": 1},
                "runs": [{"schedule": {"kind": "StepLR", "lr": 0.1, "step_size": 2}}]}),
            ],
            tables: vec![options::fields_json(), schedule::kinds_json()],
            run: run_session,
        },
        Target {
            name: "run_update",
            seeds: vec![
                json!({"schedule": {"kind": "ExponentialLR", "lr": 0.1, "gamma": 0.9}, "group_lr_mult": [0.5, 1],
                "frozen": [false, true]}),
            ],
            tables: vec![options::fields_json(), schedule::kinds_json()],
            run: run_update,
        },
        Target {
            name: "finder",
            seeds: vec![
                json!({"convention": "fastai", "start_lr": 1e-7, "end_lr": 10, "num_it": 40, "stop_div": true}),
                json!({"convention": "torch_lr_finder", "start_lr": 1e-5, "end_lr": 1, "num_it": 30, "step_mode": "linear",
                    "smooth_f": 0.05, "diverge_th": 5}),
            ],
            tables: vec![],
            run: run_finder,
        },
        Target {
            name: "verify",
            seeds: vec![json!({"candidates": [1e-3, 0.1, 1], "steps": 20, "schedule": "fit_one_cycle", "run": 1})],
            tables: vec![],
            run: run_verify,
        },
        Target {
            name: "curves",
            seeds: vec![
                json!({"lrs": curve, "losses": losses, "smoothing": {"style": "fastai", "beta": 0.98},
                    "suggest": {"method": "valley", "num_it": 40}}),
                json!({"lrs": curve, "losses": losses, "smoothing": {"style": "torch_lr_finder", "smooth_f": 0.05},
                    "suggest": {"method": "steepest"}}),
            ],
            tables: vec![],
            run: run_curves,
        },
        Target {
            name: "trajectories",
            seeds: vec![json!([
                {"surface": "rosenbrock", "start": [-1.5, 2], "steps": 200,
                 "optimizer": {"kind": "SGD", "momentum": 0.9, "nesterov": true},
                 "schedule": {"kind": "OneCycleLR", "max_lr": 1e-3, "total_steps": 200}},
                {"surface": {"kind": "quadratic", "kappa": 10}, "start": [2, 1], "steps": 50, "noise": 0.1, "seed": 3,
                 "optimizer": {"kind": "RMSprop", "alpha": 0.9, "centered": true, "momentum": 0.5},
                 "schedule": {"kind": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 10}},
                {"surface": "plateau_saddle", "start": [1, 0.05], "steps": 100,
                 "optimizer": {"kind": "adagrad", "lr_decay": 0.01}, "schedule": {"kind": "Constant", "lr": 0.5}},
            ])],
            tables: vec![surface::surfaces_json(), options::fields_json(), schedule::kinds_json()],
            run: run_trajectories,
        },
        Target {
            name: "surface_grid",
            seeds: vec![
                json!({"surface": {"kind": "quadratic", "kappa": 10}, "x": [-3, 3], "y": [-2, 2], "nx": 40, "ny": 30}),
            ],
            tables: vec![surface::surfaces_json()],
            run: run_surface_grid,
        },
        Target {
            name: "plan",
            seeds: vec![
                json!({"method": "fine_tune", "n_groups": 3, "steps_per_epoch": 20, "epochs": 4}),
                json!({"method": "fit_one_cycle", "n_groups": 4, "steps_per_epoch": 10, "n_epoch": 3,
                    "lr_max": {"slice": [1e-4, 1e-2]}, "freeze_to": -2}),
                json!({"method": "gradual_unfreezing", "n_groups": 3, "steps_per_epoch": 10, "lr_max": 0.01}),
                json!({"method": "fit_sgdr", "n_groups": 2, "steps_per_epoch": 10, "n_cycles": 3, "cycle_len": 1,
                    "lr_max": {"slice": [null, 1e-2]}}),
            ],
            tables: vec![transfer::methods_json()],
            run: run_plan,
        },
        Target {
            name: "plateau_race",
            seeds: vec![json!({"backend": "cpu", "seeds": 2, "steps": 200, "init_scale": 0.2, "threshold": 0.5,
                "schedules": [{"name": "fixed", "schedule": {"kind": "Constant", "lr": 0.1}}]})],
            tables: vec![options::fields_json(), schedule::kinds_json()],
            run: run_plateau_race,
        },
    ]
}

fn target(name: &str) -> Target {
    targets().into_iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no target {name}"))
}

#[test]
fn fuzz_schedule() {
    fuzz(&target("schedule"));
}

#[test]
fn fuzz_session() {
    fuzz(&target("session"));
}

#[test]
fn fuzz_run_update() {
    fuzz(&target("run_update"));
}

#[test]
fn fuzz_finder() {
    fuzz(&target("finder"));
}

#[test]
fn fuzz_verify() {
    fuzz(&target("verify"));
}

#[test]
fn fuzz_curves() {
    fuzz(&target("curves"));
}

#[test]
fn fuzz_trajectories() {
    fuzz(&target("trajectories"));
}

#[test]
fn fuzz_surface_grid() {
    fuzz(&target("surface_grid"));
}

#[test]
fn fuzz_plan() {
    fuzz(&target("plan"));
}

#[test]
fn fuzz_plateau_race() {
    fuzz(&target("plateau_race"));
}

/// Every input that ever failed, kept in tests/fixtures/fuzz-corpus/<target>/, runs cleanly now.
#[test]
fn the_regression_corpus_replays_cleanly() {
    let replayed: usize = targets().iter().map(replay_corpus).sum();
    eprintln!("replayed {replayed} corpus inputs");
}

/// The seeds are valid: otherwise every mutation of them tests only the first refusal.
#[test]
fn every_seed_is_accepted() {
    for t in targets() {
        for seed in &t.seeds {
            if let Err(e) = (t.run)(seed) {
                panic!("{}: seed refused: {e}\n{seed}", t.name);
            }
        }
    }
}
