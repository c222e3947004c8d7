//! The training API as a page (or Node) sees it, on the CPU path: runs under `wasm-pack test
//! --node` and, with WASM_BINDGEN_USE_BROWSER, in Chromium too.
#![cfg(target_arch = "wasm32")]

#[path = "common/js.rs"]
mod js;

use js::{get, js, thrown};
use js_sys::{Array, Float32Array, Reflect};
use lr_playground::web::Session;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const OPTIONS: &str = r#"{"backend": "cpu", "layers": [2, 8, 2], "activation": "relu", "optimizer": {"kind": "sgd", "momentum": 0.9},
  "data": {"kind": "circle", "n": 200, "noise": 0.1, "seed": 7}, "batch_size": 20,
  "runs": [{"seed": 1, "schedule": {"kind": "Constant", "lr": 0.1}},
           {"seed": 2, "schedule": {"kind": "Constant", "lr": 90.0}},
           {"seed": 3, "schedule": {"kind": "OneCycleLR", "max_lr": 0.3, "total_steps": 30}}]}"#;

async fn step(session: &Session, n: u32) -> JsValue {
    JsFuture::from(session.step(n as f64).unwrap()).await.unwrap()
}

#[wasm_bindgen_test]
async fn trains_several_runs_and_reports_each() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    assert_eq!(get(&session.backend().unwrap(), "backend").as_string().unwrap(), "cpu");
    let report = step(&session, 40).await;
    let losses = get(&report, "losses").dyn_into::<Float32Array>().unwrap().to_vec();
    assert_eq!(losses.len(), 40 * 3);
    assert!(losses[39 * 3] < losses[0], "run 0 learns: {} -> {}", losses[0], losses[39 * 3]);
    let evaluation = session.evaluate().unwrap().dyn_into::<Array>().unwrap();
    let state = |r: u32| get(&evaluation.get(r), "state").as_string().unwrap();
    assert_eq!(state(0), "training");
    assert_eq!(state(1), "diverged", "lr = 90 with momentum must blow up");
    assert_eq!(state(2), "finished", "OneCycleLR ends after total_steps");
    assert!(losses[39 * 3 + 1].is_nan() && losses[39 * 3 + 2].is_nan());
    assert!(get(&evaluation.get(0), "train_accuracy").as_f64().unwrap() > 0.6);
    assert_eq!(session.steps_taken().unwrap(), 40.0);
}

#[wasm_bindgen_test]
async fn params_round_trip_and_reset_a_run() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    let before = session.params(0.0).unwrap();
    assert_eq!(before.length(), 2 * 8 + 8 + 8 * 2 + 2);
    step(&session, 5).await;
    assert_ne!(session.params(0.0).unwrap().to_vec(), before.to_vec());
    session.set_params(0.0, &before).unwrap();
    assert_eq!(session.params(0.0).unwrap().to_vec(), before.to_vec());
    let stats = session.layer_stats(0.0).unwrap().dyn_into::<Array>().unwrap();
    assert_eq!(stats.length(), 2);
    assert!(get(&stats.get(0), "weight_norm").as_f64().unwrap() > 0.0);
    let grid = session.predict_grid(0.0, 16.0).unwrap();
    assert_eq!(get(&grid, "values").dyn_into::<Float32Array>().unwrap().length(), 16 * 16 * 2);
    assert!(get(&grid, "lo").as_f64().unwrap() < get(&grid, "hi").as_f64().unwrap());
}

#[wasm_bindgen_test]
async fn bad_input_throws_errors_naming_the_field() {
    let bad = |patch: &str| OPTIONS.replacen(r#""batch_size": 20"#, patch, 1);
    let create_error = |options: String| async move { thrown(Session::create(js(&options)).await) };
    assert_eq!(
        create_error(bad(r#""batch_size": 0"#)).await,
        "options.batch_size: must be an integer in [1, 4096], got 0"
    );
    assert_eq!(
        create_error(bad(r#""batch_size": 20, "runs": []"#).replacen(r#""runs": [{"#, r#""unused": [{"#, 1))
            .await
            .split(':')
            .next()
            .unwrap(),
        "options.unused"
    );
    assert!(thrown(Session::create(JsValue::from_str("nope")).await).starts_with("options: must be an object"));

    let session = Session::create(js(OPTIONS)).await.unwrap();
    assert_eq!(thrown(session.params(3.0)), "run: must be an integer in [0, 2], got 3");
    assert_eq!(
        thrown(session.set_params(0.0, &Float32Array::new_with_length(3))),
        "params: must have 42 values (this network's parameters), got 3"
    );
    let nan = Float32Array::new_with_length(42);
    nan.set_index(5, f32::NAN);
    assert_eq!(thrown(session.set_params(0.0, &nan)), "params[5]: must be finite, got NaN");
    assert_eq!(thrown(session.predict_grid(0.0, 1e6)), "n: must be an integer in [0, 512], got 1000000");
    assert_eq!(thrown(session.step(-1.0)), "steps: must be an integer in [0, 100000], got -1");
    // The instance still works after every refusal.
    step(&session, 2).await;
}

#[wasm_bindgen_test]
async fn caller_data_in_typed_arrays() {
    let options = js(
        r#"{"backend": "auto", "layers": [2, 4, 2], "runs": [{"schedule": {"kind": "Constant", "lr": 0.5}}], "batch_size": 4, "shuffle": false,
                        "data": {"features": 2, "validation_fraction": 0}}"#,
    );
    let data = get(&options, "data");
    let x = Float32Array::from(&[0.0f32, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0][..]);
    let y = js_sys::Int32Array::from(&[0i32, 0, 1, 1][..]);
    Reflect::set(&data, &"x".into(), &x).unwrap();
    Reflect::set(&data, &"y".into(), &y).unwrap();
    let session = Session::create(options).await.unwrap();
    let report = step(&session, 3).await;
    assert_eq!(get(&report, "losses").dyn_into::<Float32Array>().unwrap().length(), 3);
}

#[wasm_bindgen_test]
fn option_fields_describe_the_validated_ranges() {
    let fields = Session::option_fields().unwrap();
    let sgd = get(&get(&fields, "optimizers"), "sgd").dyn_into::<Array>().unwrap();
    let momentum = sgd.iter().find(|f| get(f, "name").as_string().as_deref() == Some("momentum")).unwrap();
    assert_eq!((get(&momentum, "min").as_f64(), get(&momentum, "max").as_f64()), (Some(0.0), Some(1.0)));
    let session = get(&fields, "session").dyn_into::<Array>().unwrap();
    let batch = session.iter().find(|f| get(f, "name").as_string().as_deref() == Some("batch_size")).unwrap();
    assert_eq!(get(&batch, "max").as_f64(), Some(4096.0));
}
