//! The analytic-surface JS API as a page or Node sees it: `wasm-pack test --node -- --test web surface::`.

use crate::js::{eval, get, js as spec, thrown, thrown_error, thrown_field};
use js_sys::{Array, Float64Array};
use lr_playground::web::{escape, surface_grid, surface_optimizer_fields, surfaces, trajectories, trajectory};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn f64s(value: &JsValue, key: &str) -> Vec<f64> {
    get(value, key).dyn_into::<Float64Array>().unwrap_or_else(|_| panic!("{key} is a Float64Array")).to_vec()
}

const ROSENBROCK: &str = r#"{"surface": "rosenbrock", "start": [-1.2, 1.0], "optimizer": {"kind": "Adam", "betas": [0.9, 0.99]},
    "schedule": {"kind": "Constant", "lr": 0.01}, "steps": 100}"#;

#[wasm_bindgen_test]
fn a_trajectory_comes_back_as_typed_arrays() {
    let t = trajectory(spec(ROSENBROCK)).unwrap();
    let (x, y, loss, lr) = (f64s(&t, "x"), f64s(&t, "y"), f64s(&t, "loss"), f64s(&t, "lr"));
    assert_eq!((x.len(), y.len(), loss.len(), lr.len()), (101, 101, 101, 100));
    assert_eq!((x[0], y[0]), (-1.2, 1.0));
    // Adam's first update moves each coordinate by lr, against the gradient's sign.
    assert!((x[1] - -1.19).abs() < 1e-9 && (y[1] - 1.01).abs() < 1e-9, "{} {}", x[1], y[1]);
    assert_eq!(loss[0], (1.0f64 + 1.2).powi(2) + 100.0 * (1.0f64 - 1.44).powi(2));
    assert!(lr.iter().all(|&r| r == 0.01));
    assert_eq!(get(&t, "state").as_string().as_deref(), Some("finished"));
    assert_eq!(get(&t, "steps").as_f64(), Some(100.0));
}

#[wasm_bindgen_test]
fn a_huge_rate_diverges_into_shorter_arrays() {
    let t = trajectory(spec(
        r#"{"surface": "rosenbrock", "start": [-1.2, 1.0], "schedule": {"kind": "Constant", "lr": 1}, "steps": 100}"#,
    ))
    .unwrap();
    assert_eq!(get(&t, "state").as_string().as_deref(), Some("diverged"));
    let n = f64s(&t, "x").len();
    assert!(n < 101);
    assert_eq!((f64s(&t, "loss").len(), f64s(&t, "lr").len()), (n, n - 1));
    assert_eq!(get(&t, "steps").as_f64(), Some((n - 1) as f64));
}

#[wasm_bindgen_test]
fn several_trajectories_at_once_and_their_errors_name_the_entry() {
    let list = trajectories(eval(&format!(
        "[{ROSENBROCK}, {{surface: {{kind: 'quadratic', kappa: 100}}, start: [1, 1], optimizer: {{kind: 'RMSprop', centered: true}},
          schedule: {{kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.01, step_size_up: 10}}, steps: 30, noise: 0.1, seed: 2}}]"
    )))
    .unwrap();
    assert_eq!(list.length(), 2);
    assert_eq!(f64s(&list.get(1), "x").len(), 31);
    assert!((f64s(&list.get(1), "lr")[10] - 0.01).abs() < 1e-15, "CyclicLR peaks at step 10");
    let bad = eval(&format!("[{ROSENBROCK}, {{...{ROSENBROCK}, start: [0, NaN]}}]"));
    assert_eq!(
        thrown_error(trajectories(bad)),
        (
            "specs[1].start[1]: must be a finite number in [-1000000, 1000000], got NaN".into(),
            Some("specs[1].start[1]".into())
        )
    );
    let many = Array::new();
    for _ in 0..65 {
        many.push(&spec(ROSENBROCK));
    }
    assert_eq!(
        thrown_error(trajectories(many.into())),
        ("specs: must list 1 to 64 trajectory specs, got 65".into(), Some("specs".into()))
    );
}

#[wasm_bindgen_test]
fn errors_name_the_field_and_the_range() {
    let with = |extra: &str| trajectory(eval(&format!("({{...{ROSENBROCK}, {extra}}})")));
    assert_eq!(
        thrown_error(with("start: [0, 500]")),
        ("start[1]: must be in [-100, 100] (rosenbrock's domain), got 500".into(), Some("start[1]".into()))
    );
    assert_eq!(thrown_field(with("optimizer: {kind: 'adam', betas: [2, 0.9]}")), "optimizer.betas[0]");
    assert_eq!(
        thrown_error(with("schedule: {kind: 'CyclicLR', base_lr: 0.1, max_lr: 0.2, step_size_up: -1}")),
        (
            "schedule.step_size_up (CyclicLR): must be an integer in [1, 1000000000], got -1".into(),
            Some("schedule.step_size_up".into())
        )
    );
    assert_eq!(thrown_field(with("surface: 'bowl'")), "surface");
    assert_eq!(thrown_field(with("surface: {kind: 'quadratic', kappa: 0}")), "surface.kappa");
    assert_eq!(thrown(with("steps: 100001")), "steps: must be an integer in [1, 100000], got 100001");
    assert_eq!(thrown_field(with("noise: -0.5")), "noise");
    assert_eq!(
        thrown_error(trajectory(JsValue::UNDEFINED)),
        ("spec: must be an object, got undefined".into(), Some("spec".into()))
    );
}

#[wasm_bindgen_test]
fn the_surface_table_has_every_field() {
    let list: Array = surfaces().unwrap().dyn_into().unwrap();
    assert_eq!(list.length(), 10);
    let names: Vec<String> = list.iter().map(|s| get(&s, "name").as_string().unwrap()).collect();
    for name in [
        "quadratic",
        "saddle",
        "monkey_saddle",
        "bounded_saddle",
        "rosenbrock",
        "beale",
        "himmelblau",
        "rastrigin",
        "ackley",
        "plateau_saddle",
    ] {
        assert!(names.iter().any(|n| n == name), "{name}");
    }
    let himmelblau = list.iter().find(|s| get(s, "name").as_string().as_deref() == Some("himmelblau")).unwrap();
    assert_eq!(get(&himmelblau, "minima").dyn_into::<Array>().unwrap().length(), 4);
    let view = get(&himmelblau, "view");
    assert_eq!(get(&view, "x").dyn_into::<Array>().unwrap().to_vec(), vec![JsValue::from(-5.0), JsValue::from(5.0)]);
    for key in ["title", "formula"] {
        assert!(get(&himmelblau, key).is_string(), "{key}");
    }
    for key in ["params", "start", "saddles"] {
        assert!(Array::is_array(&get(&himmelblau, key)), "{key}");
    }
    let kappa = get(&list.get(0), "params").dyn_into::<Array>().unwrap().get(0);
    assert_eq!(
        (get(&kappa, "name").as_string().as_deref(), get(&kappa, "default").as_f64()),
        (Some("kappa"), Some(10.0))
    );
    let fields = surface_optimizer_fields().unwrap();
    let rmsprop = get(&get(&fields, "optimizers"), "rmsprop").dyn_into::<Array>().unwrap();
    assert!(rmsprop.iter().any(|f| get(&f, "name").as_string().as_deref() == Some("centered")));
}

#[wasm_bindgen_test]
fn grids_are_row_major_x_fastest() {
    let grid = surface_grid(spec(r#"{"surface": "saddle", "x": [-1, 1], "y": [0, 2], "nx": 3, "ny": 2}"#)).unwrap();
    assert_eq!(f64s(&grid, "values"), vec![1.0, 0.0, 1.0, -3.0, -4.0, -3.0]);
    assert_eq!((get(&grid, "nx").as_f64(), get(&grid, "ny").as_f64()), (Some(3.0), Some(2.0)));
    let bad = surface_grid(spec(r#"{"surface": "saddle", "x": [-1, 1], "y": [0, 2], "nx": 1025, "ny": 2}"#));
    assert_eq!(thrown_error(bad), ("nx: must be an integer in [2, 1024], got 1025".into(), Some("nx".into())));
    assert_eq!(thrown_field(surface_grid(JsValue::from(1))), "options");
}

#[wasm_bindgen_test]
fn escape_reads_a_trajectory_result() {
    let run = |lr: f64| {
        trajectory(spec(&format!(
            r#"{{"surface": "plateau_saddle", "start": [1.0, 0.05], "schedule": {{"kind": "Constant", "lr": {lr}}}, "steps": 1000}}"#
        )))
        .unwrap()
    };
    let options = || spec(r#"{"center": [0, 0], "radius": 1, "delta": 0.5, "surface": "plateau_saddle"}"#);
    let slow = escape(run(0.05), options()).unwrap().as_f64().unwrap();
    let fast = escape(run(0.5), options()).unwrap().as_f64().unwrap();
    assert!(fast < 60.0 && slow > 400.0, "{fast} {slow}");
    assert!(escape(run(0.001), options()).unwrap().is_null());
    // Hand-made: away at 1 but not below; below and away at 2.
    let made = eval("({x: new Float64Array([0, 2, 0]), y: [0, 0, 2], loss: [0, 4, -4]})");
    assert_eq!(
        escape(made, spec(r#"{"center": [0, 0], "radius": 1, "surface": "saddle"}"#)).unwrap().as_f64(),
        Some(2.0)
    );
    let short = eval("({x: [0, 1], y: [0], loss: [0, 1]})");
    assert_eq!(
        thrown_error(escape(short, options())),
        ("trajectory.y: must have as many values as x (2), got 1".into(), Some("trajectory.y".into()))
    );
    let nan_loss = eval("({x: [0, 3], y: [0, 0], loss: [0, NaN]})");
    assert!(escape(nan_loss, options()).unwrap().is_null());
    assert_eq!(
        thrown_field(escape(run(0.05), spec(r#"{"center": [0, 0], "radius": 0, "surface": "saddle"}"#))),
        "radius"
    );
    assert_eq!(thrown_field(escape(run(0.05), spec(r#"{"center": [0], "radius": 1, "surface": "saddle"}"#))), "center");
}

#[wasm_bindgen_test]
fn noise_is_seeded_and_points_may_be_typed_arrays() {
    let noisy = |seed: u32| {
        trajectory(eval(&format!(
            "({{surface: {{kind: 'quadratic', kappa: 100}}, start: new Float64Array([1, -1]), optimizer: {{kind: 'sgd'}},
               schedule: {{kind: 'Constant', lr: 0.005}}, steps: 50, noise: 0.3, seed: {seed}}})"
        )))
        .unwrap()
    };
    assert_eq!(f64s(&noisy(7), "x"), f64s(&noisy(7), "x"));
    assert_ne!(f64s(&noisy(7), "x"), f64s(&noisy(8), "x"));
    // kappa scales the y curvature: without noise y shrinks by (1 − 0.005 · 100) an update.
    let quiet = trajectory(eval(
        "({surface: {kind: 'quadratic', kappa: 100}, start: [1, -1], schedule: {kind: 'Constant', lr: 0.005}, steps: 3})",
    ))
    .unwrap();
    assert_eq!(f64s(&quiet, "y"), vec![-1.0, -0.5, -0.25, -0.125]);
    assert_eq!(
        thrown_field(trajectory(eval(
            "({...{surface: 'saddle', start: [0, 0], schedule: {kind: 'Constant'}, steps: 2}, seed: -1})"
        ))),
        "seed"
    );
}
