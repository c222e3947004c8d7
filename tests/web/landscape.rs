//! `session.landscape` and `session.projectTrajectory` as a page (or Node) sees them: result
//! shapes and layout, the centre against `evaluate()`, WebGPU against the CPU path where the
//! browser has WebGPU (`WASM_BINDGEN_USE_BROWSER` with `--enable-unsafe-webgpu`), and
//! refusals naming the field.

use crate::js::{eval, get, js, thrown_error, thrown_field};
use js_sys::{Array, Float32Array, Float64Array};
use lr_playground::web::{plateau_race, Session};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn options(backend: &str) -> String {
    format!(
        r#"{{"backend": "{backend}", "layers": [2, 8, 8, 2], "activation": "tanh", "optimizer": {{"kind": "sgd", "momentum": 0.9}},
  "data": {{"kind": "spiral", "n": 120, "noise": 0.1, "validation_fraction": 0.25, "seed": 4}}, "batch_size": 15,
  "runs": [{{"seed": 1, "schedule": {{"kind": "Constant", "lr": 0.05}}}}, {{"seed": 2, "schedule": {{"kind": "Constant", "lr": 0.05}}}}]}}"#
    )
}

async fn resolved(promise: js_sys::Promise) -> JsValue {
    JsFuture::from(promise).await.unwrap()
}

fn f32s(value: &JsValue, key: &str) -> Vec<f32> {
    get(value, key).dyn_into::<Float32Array>().unwrap().to_vec()
}

fn f64s(value: &JsValue, key: &str) -> Vec<f64> {
    get(value, key).dyn_into::<Float64Array>().unwrap().to_vec()
}

fn number(value: &JsValue, key: &str) -> f64 {
    get(value, key).as_f64().unwrap()
}

/// In the browser (Chromium with --enable-unsafe-webgpu, webdriver.json) there is WebGPU; Node has none.
fn in_browser() -> bool {
    eval("typeof window !== 'undefined'").is_truthy()
}

#[wasm_bindgen_test]
async fn landscape_shapes_layout_and_centre() {
    let session = Session::create(js(&options("cpu"))).await.unwrap();
    resolved(session.step(20.0).unwrap()).await;
    let l = resolved(session.landscape(js(r#"{"run": 1, "grid": 5, "span": 0.5, "seed": 3}"#)).unwrap()).await;
    assert_eq!((number(&l, "grid"), number(&l, "span")), (5.0, 0.5));
    assert_eq!(f64s(&l, "coords"), vec![-0.5, -0.25, 0.0, 0.25, 0.5]);
    let loss = f32s(&l, "loss");
    assert_eq!(loss.len(), 25);
    assert_eq!(f32s(&l, "accuracy").len(), 25);
    assert_eq!(get(&l, "set").as_string().as_deref(), Some("validation"));
    let validation_loss = get(&session.evaluate().unwrap().dyn_into::<Array>().unwrap().get(1), "validation_loss");
    assert_eq!(number(&l, "center_loss"), validation_loss.as_f64().unwrap());
    assert_eq!(loss[12] as f64, number(&l, "center_loss"), "the centre is loss[2 * 5 + 2]");
    let directions = get(&l, "directions").dyn_into::<Array>().unwrap();
    assert_eq!(directions.length(), 2);
    let theta = session.params(1.0).unwrap().to_vec();
    let d1 = directions.get(0).dyn_into::<Float32Array>().unwrap().to_vec();
    let d2 = directions.get(1).dyn_into::<Float32Array>().unwrap().to_vec();
    assert_eq!(d1.len(), theta.len());
    // Point (i = 4, j = 1): θ + 0.5·d1 − 0.25·d2, at loss[1 * 5 + 4].
    let point: Vec<f32> = theta.iter().zip(&d1).zip(&d2).map(|((t, a), b)| t + 0.5 * a + -0.25 * b).collect();
    let single =
        resolved(session.evaluate_params(&Float32Array::from(&point[..]), js(r#"{"set": "validation"}"#)).unwrap())
            .await;
    assert_eq!(f32s(&single, "loss")[0], loss[5 + 4]);
    // Defaults: 25 × 25 around run 0.
    let d = resolved(session.landscape(JsValue::UNDEFINED).unwrap()).await;
    assert_eq!((number(&d, "grid"), f32s(&d, "loss").len()), (25.0, 625));
}

#[wasm_bindgen_test]
async fn webgpu_grid_matches_the_cpu_path() {
    // WebGPU by name in the browser ("auto" may find the CPU path faster there); Node has none.
    let device = if in_browser() { "gpu" } else { "auto" };
    let (cpu, auto) =
        (Session::create(js(&options("cpu"))).await.unwrap(), Session::create(js(&options(device))).await.unwrap());
    if in_browser() {
        assert_eq!(get(&auto.backend().unwrap(), "backend").as_string().as_deref(), Some("webgpu"));
    }
    resolved(cpu.step(25.0).unwrap()).await;
    auto.set_params(0.0, &cpu.params(0.0).unwrap()).unwrap();
    let ask = r#"{"grid": 7, "span": 1.2, "seed": 8, "set": "train"}"#;
    let (a, b) = (resolved(cpu.landscape(js(ask)).unwrap()).await, resolved(auto.landscape(js(ask)).unwrap()).await);
    for (k, (x, y)) in f32s(&a, "loss").iter().zip(f32s(&b, "loss")).enumerate() {
        assert!((x - y).abs() <= 1e-4 * x.abs(), "point {k}: CPU {x}, {:?} {y}", auto.backend().unwrap());
    }
    if in_browser() {
        // Evaluated on the device, not moved to the CPU path by a shader the browser refused.
        let after = auto.backend().unwrap();
        assert_eq!(get(&after, "backend").as_string().as_deref(), Some("webgpu"), "{after:?}");
        assert!(get(&after, "fallback").is_undefined() || get(&after, "fallback").is_null(), "{after:?}");
    }
    let train_loss = get(&auto.evaluate().unwrap().dyn_into::<Array>().unwrap().get(0), "train_loss").as_f64().unwrap();
    assert!((number(&b, "center_loss") - train_loss).abs() <= 1e-4 * train_loss);
}

/// `theta + t·v` for t = (n−1−i)/(n−1), i = 0..n: a straight path ending at θ.
fn straight_path(theta: &[f32], n: usize) -> Array {
    let v: Vec<f32> = (0..theta.len()).map(|k| ((k * 13 % 7) as f32 - 3.0) / 10.0).collect();
    (0..n)
        .map(|i| {
            let t = (n - 1 - i) as f32 / (n - 1) as f32;
            let p: Vec<f32> = theta.iter().zip(&v).map(|(a, d)| a + t * d).collect();
            JsValue::from(Float32Array::from(&p[..]))
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_straight_path_projects_onto_one_axis() {
    let session = Session::create(js(&options("cpu"))).await.unwrap();
    let theta = session.params(0.0).unwrap().to_vec();
    let p = resolved(session.project_trajectory(straight_path(&theta, 6).into(), js(r#"{"grid": 5}"#)).unwrap()).await;
    let (x, y) = (f64s(&p, "x"), f64s(&p, "y"));
    assert_eq!((x.len(), y.len()), (6, 6));
    assert!(y.iter().all(|v| v.abs() < 1e-4), "{y:?}");
    assert!(x[0] < 0.0 && x[5].abs() < 1e-9, "{x:?}");
    let explained: Vec<f64> =
        get(&p, "explained").dyn_into::<Array>().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert!(explained[0] > 1.0 - 1e-5 && explained[1] < 1e-5, "{explained:?}");
    let range: Vec<f64> = get(&p, "x_range").dyn_into::<Array>().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert!((range[0] - 1.25 * x[0]).abs() < 1e-6 && (range[1] + 0.25 * x[0]).abs() < 1e-6, "{range:?} for {x:?}");
    assert_eq!(f32s(&p, "loss").len(), 25);
    assert_eq!(get(&p, "directions").dyn_into::<Array>().unwrap().length(), 2);
    assert_eq!(number(&p, "grid"), 5.0);
}

#[wasm_bindgen_test]
async fn refusals_name_the_field() {
    let session = Session::create(js(&options("cpu"))).await.unwrap();
    assert_eq!(
        thrown_error(session.landscape(js(r#"{"grid": 4}"#))),
        ("grid: must be odd (the centre is a grid point), got 4".into(), Some("grid".into()))
    );
    assert_eq!(thrown_field(session.landscape(js(r#"{"span": 0}"#))), "span");
    assert_eq!(thrown_field(session.landscape(js(r#"{"span": 101}"#))), "span");
    assert_eq!(
        thrown_error(session.landscape(js(r#"{"run": 2}"#))),
        ("run: must be an integer in [0, 1], got 2".into(), Some("run".into()))
    );
    assert_eq!(thrown_field(session.landscape(js(r#"{"set": "test"}"#))), "set");
    assert_eq!(thrown_field(session.landscape(JsValue::from(3))), "options");
    let theta = session.params(0.0).unwrap().to_vec();
    let path = straight_path(&theta, 5);
    path.set(3, Float32Array::new_with_length(7).into());
    let p = theta.len();
    assert_eq!(
        thrown_error(session.project_trajectory(path.clone().into(), JsValue::UNDEFINED)),
        (format!("params[3]: must have {p} values (this network's parameters), got 7"), Some("params[3]".into()))
    );
    path.set(1, JsValue::from(Array::new()));
    assert_eq!(thrown_field(session.project_trajectory(path.into(), JsValue::UNDEFINED)), "params[1]");
    assert_eq!(
        thrown_error(session.project_trajectory(straight_path(&theta, 1).into(), JsValue::UNDEFINED)),
        ("params: must list 2 to 1000 snapshots, got 1".into(), Some("params".into()))
    );
    assert_eq!(thrown_field(session.project_trajectory(JsValue::from(1), JsValue::UNDEFINED)), "params");
    assert_eq!(thrown_field(session.project_trajectory(straight_path(&theta, 3).into(), js(r#"{"grid": 2}"#))), "grid");
    // Without validation rows, the default falls back to the training set; asking for them is refused.
    let train_only = options("cpu").replace("\"validation_fraction\": 0.25", "\"validation_fraction\": 0");
    let s = Session::create(js(&train_only)).await.unwrap();
    let l = resolved(s.landscape(js(r#"{"grid": 3}"#)).unwrap()).await;
    assert_eq!(get(&l, "set").as_string().as_deref(), Some("train"));
    assert_eq!(
        thrown_error(s.landscape(js(r#"{"set": "validation"}"#))),
        ("set: must be \"train\": this session has no validation rows".into(), Some("set".into()))
    );
}

const RACE: &str = r#"{"backend": "cpu", "layers": [2, 6, 6, 2], "seeds": 2, "steps": 300, "init_scale": 0.2,
  "schedules": [{"name": "slow", "schedule": {"kind": "Constant", "lr": 0.01}},
                {"name": "fast", "schedule": {"kind": "Constant", "lr": 0.5}}]}"#;

/// `{step}` of every progress report, and the race's result.
async fn race_with(options: &str, callback: &str) -> (JsValue, Vec<f64>) {
    let reports = Array::new();
    let f = js_sys::Function::new_with_args("reports, r", &format!("reports.push(r); return ({callback})(r);"));
    let on_progress = f.bind1(&JsValue::NULL, &reports);
    let result = resolved(plateau_race(js(options), on_progress.into()).unwrap()).await;
    for report in reports.iter() {
        assert_eq!(get(&report, "loss").dyn_into::<Float32Array>().unwrap().length(), 4, "one loss a run");
    }
    (result, reports.iter().map(|r| number(&r, "step")).collect())
}

#[wasm_bindgen_test]
async fn plateau_race_shapes_and_progress() {
    let (result, steps) = race_with(RACE, "r => true").await;
    assert_eq!(steps, vec![100.0, 200.0, 300.0]);
    assert_eq!((number(&result, "steps"), number(&result, "runs"), number(&result, "seeds")), (300.0, 4.0, 2.0));
    assert_eq!(f32s(&result, "loss").len(), 300 * 4);
    // The slow runs sit at the uniform prediction's loss (ln 2) through the first 50 steps; the
    // fast ones, in this shallow network, are already off it.
    let plateau = f32s(&result, "plateau_loss");
    assert!(plateau[..2].iter().all(|p| (p - std::f32::consts::LN_2).abs() < 0.01), "near ln 2: {plateau:?}");
    assert!(plateau[2..].iter().all(|p| p.is_finite() && *p < 0.6), "{plateau:?}");
    assert_eq!(get(&result, "cancelled"), JsValue::FALSE);
    let schedules = get(&result, "schedules").dyn_into::<Array>().unwrap();
    assert_eq!(schedules.length(), 2);
    let fast = schedules.get(1);
    assert_eq!(get(&fast, "name").as_string().as_deref(), Some("fast"));
    let escapes = get(&fast, "escape_steps").dyn_into::<Array>().unwrap();
    assert_eq!(escapes.length(), 2);
    let escaped = number(&fast, "escaped");
    assert_eq!(escaped as usize, escapes.iter().filter(|e| !e.is_null()).count());
    for e in escapes.iter().filter(|e| !e.is_null()) {
        assert!((24.0..300.0).contains(&e.as_f64().unwrap()));
    }
    // Every key of a schedule's summary is there, null or a number.
    for key in ["median", "q25", "q75"] {
        let v = get(&fast, key);
        assert!(v.is_null() || v.as_f64().is_some(), "{key}: {v:?}");
    }
}

#[wasm_bindgen_test]
async fn plateau_race_stops_when_told_and_rejects_what_progress_throws() {
    let (result, steps) = race_with(RACE, "r => r.step < 200").await;
    assert_eq!(steps, vec![100.0, 200.0], "stops after the report that said false");
    assert_eq!(number(&result, "steps"), 200.0);
    assert_eq!(f32s(&result, "loss").len(), 200 * 4);
    assert_eq!(get(&result, "cancelled"), JsValue::TRUE);
    let thrower = eval("() => { throw new Error('stop here'); }");
    let error = JsFuture::from(plateau_race(js(RACE), thrower).unwrap()).await.unwrap_err();
    assert_eq!(error.dyn_into::<js_sys::Error>().unwrap().message(), "stop here");
    // Refusals name the field.
    let bad = |from: &str, to: &str| thrown_field(plateau_race(js(&RACE.replace(from, to)), JsValue::UNDEFINED));
    assert_eq!(bad("\"seeds\": 2", "\"seeds\": 0"), "seeds");
    assert_eq!(bad("\"steps\": 300", "\"steps\": 20001"), "steps");
    assert_eq!(bad("\"seeds\": 2", "\"seeds\": 2, \"runs\": []"), "runs");
    assert_eq!(bad("[2, 6, 6, 2]", "[2, 0, 2]"), "layers[1]");
    assert_eq!(bad("\"lr\": 0.5", "\"lr\": -1"), "schedules[1].schedule.lr");
    assert_eq!(thrown_field(plateau_race(js(RACE), JsValue::from(3))), "onProgress");
}
