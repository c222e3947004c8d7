//! The pure JS API (no GPU), as a page or Node sees it: `wasm-pack test --node`, and in the
//! browser harness too (WASM_BINDGEN_USE_BROWSER).
#![cfg(target_arch = "wasm32")]

#[path = "common/js.rs"]
mod js;

use js::{get, js as spec, thrown};
use js_sys::{Array, Float64Array, Reflect};
use lr_playground::web::{detect_backend, Schedule};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn step_lr_samples_through_the_js_api() {
    let s = Schedule::new(spec(r#"{"kind":"StepLR","lr":0.1,"step_size":3,"gamma":0.5}"#)).unwrap();
    let out = s.sample(7.0).unwrap();
    let lr = get(&out, "lr").dyn_into::<Float64Array>().unwrap().to_vec();
    assert_eq!(lr, vec![0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
    assert!(get(&out, "momentum").is_null());
    assert_eq!(s.lr_at(3.0).unwrap(), 0.05);
    assert_eq!(s.momentum_at(3.0).unwrap(), None);
    assert_eq!(s.total_steps(), None);
    assert_eq!(s.kind(), "StepLR");
}

#[wasm_bindgen_test]
fn momentum_comes_out_where_the_schedule_cycles_it() {
    let s = Schedule::new(spec(r#"{"kind":"OneCycleLR","max_lr":0.1,"total_steps":50}"#)).unwrap();
    assert_eq!(s.total_steps(), Some(50.0));
    assert_eq!(s.momentum_at(0.0).unwrap(), Some(0.95));
    let m = get(&s.sample(51.0).unwrap(), "momentum").dyn_into::<Float64Array>().unwrap();
    assert_eq!(m.length(), 51);
}

#[wasm_bindgen_test]
fn bad_specs_throw_errors_naming_the_field_and_range() {
    assert_eq!(
        thrown(Schedule::new(spec(r#"{"kind":"CosineAnnealingWarmRestarts","T_0":0}"#))),
        "CosineAnnealingWarmRestarts.T_0: must be an integer in [1, 1000000000], got 0"
    );
    assert_eq!(
        thrown(Schedule::new(spec(r#"{"kind":"CyclicLR","base_lr":0.1,"max_lr":0.01}"#))),
        "CyclicLR.max_lr: must be >= base_lr (0.1), got 0.01"
    );
    // NaN and Infinity from JS arrive as non-finite values and are refused by name.
    let nan = spec(r#"{"kind":"ExponentialLR","gamma":0.9}"#);
    Reflect::set(&nan, &"lr".into(), &JsValue::from_f64(f64::NAN)).unwrap();
    assert_eq!(
        thrown(Schedule::new(nan)),
        "ExponentialLR.lr: must be a finite number in (0, 100], got a missing or non-finite value"
    );
    assert!(thrown(Schedule::new(JsValue::UNDEFINED)).starts_with("schedule"));
    assert!(thrown(Schedule::new(spec(r#"{"kind":"Nope"}"#))).starts_with("schedule.kind: must be one of"));
}

#[wasm_bindgen_test]
fn bad_steps_throw_and_the_instance_keeps_working() {
    let s = Schedule::new(spec(r#"{"kind":"OneCycleLR","max_lr":0.1,"total_steps":10}"#)).unwrap();
    let last = s.lr_at(10.0).unwrap();
    assert_eq!(thrown(s.lr_at(11.0)), "step: must be an integer in [0, 10] for this OneCycleLR, got 11");
    assert_eq!(thrown(s.lr_at(1.5)), "step: must be an integer in [0, 1000000000], got 1.5");
    assert_eq!(thrown(s.lr_at(f64::NAN)), "step: must be an integer in [0, 1000000000], got NaN");
    assert_eq!(thrown(s.sample(1e12)), "steps: must be an integer in [0, 1000000], got 1000000000000");
    assert_eq!(thrown(s.sample(0.0)), "steps: must be an integer in [1, 11] for this OneCycleLR, got 0");
    // After every refusal the same object still answers, and agrees with what it said before.
    assert_eq!(s.lr_at(10.0).unwrap(), last);
    let lr = get(&s.sample(11.0).unwrap(), "lr").dyn_into::<Float64Array>().unwrap().to_vec();
    assert_eq!((lr.len(), lr[10]), (11, last));
}

#[wasm_bindgen_test]
fn kinds_describe_every_field_for_the_ui() {
    let kinds = Schedule::kinds().unwrap().dyn_into::<Array>().unwrap();
    assert_eq!(kinds.length(), 16);
    let cyclic = kinds.iter().find(|k| get(k, "kind").as_string().as_deref() == Some("CyclicLR")).unwrap();
    let fields = get(&cyclic, "fields").dyn_into::<Array>().unwrap();
    let mode = fields.iter().find(|f| get(f, "name").as_string().as_deref() == Some("mode")).unwrap();
    assert_eq!(get(&mode, "default").as_string().unwrap(), "triangular");
    assert_eq!(get(&mode, "choices").dyn_into::<Array>().unwrap().length(), 3);
    let base_lr = fields.get(0);
    assert_eq!(get(&base_lr, "required"), JsValue::TRUE);
    assert_eq!(get(&base_lr, "log"), JsValue::TRUE);
    assert_eq!(get(&base_lr, "example").as_f64(), Some(0.001));
    assert_eq!(get(&cyclic, "library").as_string().unwrap(), "pytorch");
}

#[wasm_bindgen_test]
async fn detect_backend_never_rejects() {
    let report = detect_backend().await.unwrap();
    let backend = get(&report, "backend").as_string().unwrap();
    assert!(backend == "webgpu" || backend == "cpu", "{backend}");
    if backend == "cpu" {
        assert!(get(&report, "reason").as_string().is_some());
    }
}
