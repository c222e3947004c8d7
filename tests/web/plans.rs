//! Per-group plans as a page (or Node) sees them: typed arrays row-major `[step][group]`, phases
//! a Session accepts and trains, and errors that name the field.

use crate::js::{eval, f64s, get, js, thrown_error, thrown_field};
use js_sys::{Array, Float32Array, Uint8Array};
use lr_playground::web::{plan_groups, plan_methods, Session};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn fine_tune_gives_typed_tables_and_two_phases() {
    let plan = plan_groups(js(r#"{"method": "fine_tune", "n_groups": 3, "steps_per_epoch": 5, "epochs": 2}"#)).unwrap();
    assert_eq!(get(&plan, "steps").as_f64(), Some(15.0));
    assert_eq!(get(&plan, "n_groups").as_f64(), Some(3.0));
    let (lr, momentum) = (f64s(&get(&plan, "lr")), f64s(&get(&plan, "momentum")));
    let trainable = get(&plan, "trainable").dyn_into::<Uint8Array>().unwrap().to_vec();
    assert_eq!((lr.len(), momentum.len(), trainable.len()), (45, 45, 45));
    assert_eq!(&trainable[..3], [0, 0, 1], "freeze(): only the last group trains");
    assert_eq!(&trainable[5 * 3..5 * 3 + 3], [1, 1, 1], "unfreeze() after freeze_epochs");
    assert!((lr[2] - 2e-3 / 25.0).abs() < 1e-15, "{}", lr[2]);
    assert_eq!(momentum[0], 0.95);
    let phases = get(&plan, "phases").dyn_into::<Array>().unwrap();
    assert_eq!(phases.length(), 2);
    assert_eq!(get(&phases.get(0), "steps").as_f64(), Some(5.0));
    assert_eq!(get(&get(&phases.get(1), "schedule"), "kind").as_string().unwrap(), "fit_one_cycle");
    assert_eq!(get(&phases.get(1), "reset_optimizer").as_bool(), Some(true), "unfreeze() clears the optimizer state");
}

#[wasm_bindgen_test]
async fn a_session_trains_the_plan_phases_and_stops_at_their_end() {
    let plan = plan_groups(js(r#"{"method": "fit_one_cycle", "n_groups": 2, "steps_per_epoch": 4, "n_epoch": 2,
        "lr_max": {"slice": [null, 0.1]}, "freeze_to": 1}"#))
    .unwrap();
    let options = js(r#"{"backend": "cpu", "layers": [2, 8, 2], "optimizer": {"kind": "sgd", "momentum": 0.9},
        "data": {"kind": "circle", "n": 100, "seed": 3}, "batch_size": 10, "runs": [{"seed": 1}]}"#);
    let run = Array::from(&get(&options, "runs")).get(0);
    js_sys::Reflect::set(&run, &"phases".into(), &get(&plan, "phases")).unwrap();
    let session = Session::create(options).await.unwrap();
    let first = session.params(0.0).unwrap().to_vec();
    let report = JsFuture::from(session.step(10.0).unwrap()).await.unwrap();
    let losses = get(&report, "losses").dyn_into::<Float32Array>().unwrap().to_vec();
    assert!(losses[..8].iter().all(|l| l.is_finite()) && losses[8..].iter().all(|l| l.is_nan()), "{losses:?}");
    let after = session.params(0.0).unwrap().to_vec();
    // nn.Sequential order: the first Linear (group 0, frozen) is 2 × 8 + 8 values.
    assert_eq!(after[..24], first[..24], "the frozen group does not move");
    assert_ne!(after[24..], first[24..]);
    let evaluation = session.evaluate().unwrap().dyn_into::<Array>().unwrap();
    assert_eq!(get(&evaluation.get(0), "state").as_string().unwrap(), "finished");
}

#[wasm_bindgen_test]
fn every_method_plans_and_is_described() {
    for spec in [
        r#"{"method": "fit_one_cycle", "n_groups": 1, "steps_per_epoch": 3, "n_epoch": 1}"#,
        r#"{"method": "gradual_unfreezing", "n_groups": 4, "steps_per_epoch": 10}"#,
        r#"{"method": "fit_sgdr", "n_groups": 2, "steps_per_epoch": 3, "n_cycles": 2, "cycle_len": 1}"#,
    ] {
        let plan = plan_groups(js(spec)).unwrap_or_else(|e| panic!("{spec}: {e:?}"));
        let steps = get(&plan, "steps").as_f64().unwrap() as usize;
        let n = get(&plan, "n_groups").as_f64().unwrap() as usize;
        assert_eq!(f64s(&get(&plan, "lr")).len(), steps * n, "{spec}");
    }
    let methods = get(&plan_methods().unwrap(), "methods").dyn_into::<Array>().unwrap();
    assert_eq!(methods.length(), 4);
    assert_eq!(get(&methods.get(1), "method").as_string().unwrap(), "fine_tune");
}

#[wasm_bindgen_test]
fn bad_specs_throw_errors_naming_the_field() {
    let plan = |spec: &str| thrown_error(plan_groups(js(spec)));
    assert_eq!(
        plan(
            r#"{"method": "fit_one_cycle", "n_groups": 2, "steps_per_epoch": 3, "n_epoch": 1, "lr_max": {"slice": [-1, 0.1]}}"#
        ),
        ("lr_max.slice[0]: must be a finite number in (0, 100], got -1".into(), Some("lr_max.slice[0]".into()))
    );
    assert_eq!(
        thrown_field(plan_groups(js(
            r#"{"method": "fit_one_cycle", "n_groups": 2, "steps_per_epoch": 3, "n_epoch": 1, "freeze_to": 2}"#
        ))),
        "freeze_to"
    );
    assert_eq!(
        thrown_field(plan_groups(js(r#"{"method": "fine_tune", "n_groups": 0, "steps_per_epoch": 3}"#))),
        "n_groups"
    );
    assert_eq!(
        thrown_field(plan_groups(eval("({method: 'fit_one_cycle', n_groups: 2, steps_per_epoch: 3, n_epoch: NaN})"))),
        "n_epoch"
    );
    assert_eq!(plan("3"), ("spec: must be an object, got 3".into(), Some("spec".into())));
    assert_eq!(thrown_field(plan_groups(JsValue::UNDEFINED)), "spec");
}
