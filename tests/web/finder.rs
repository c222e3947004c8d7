//! The LR finder as a page (or Node) sees it, on the CPU path.

use crate::js::{eval, f64s, get, js, thrown_error, thrown_field};
use js_sys::{Array, Float64Array};
use lr_playground::web::{smooth_losses, suggest_lr, LrFinder, Session};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const OPTIONS: &str = r#"{"backend": "cpu", "layers": [2, 8, 2], "activation": "relu", "optimizer": {"kind": "sgd", "momentum": 0.9},
  "data": {"kind": "circle", "n": 200, "noise": 0.1, "seed": 7}, "batch_size": 20,
  "runs": [{"seed": 1, "schedule": {"kind": "Constant", "lr": 0.1}},
           {"seed": 2, "schedule": {"kind": "Constant", "lr": 0.1}},
           {"seed": 3, "schedule": {"kind": "Constant", "lr": 0.1}}]}"#;

#[wasm_bindgen_test]
async fn range_test_returns_curves_band_and_suggestions_and_restores() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    JsFuture::from(session.step(3.0).unwrap()).await.unwrap();
    let before = session.params(1.0).unwrap().to_vec();
    let seen = eval("[]").dyn_into::<Array>().unwrap();
    let on_progress = js_sys::Function::new_with_args("points", "return p => { points.push(p); };")
        .call1(&JsValue::NULL, &seen)
        .unwrap();
    let promise =
        LrFinder::run(&session, js(r#"{"start_lr": 1e-4, "end_lr": 10, "num_it": 60}"#), on_progress).unwrap();
    let result = JsFuture::from(promise).await.unwrap();
    let lrs = f64s(&get(&result, "lrs"));
    assert!(lrs.len() <= 60 && lrs.len() > 10, "{}", lrs.len());
    assert_eq!(lrs[0], 1e-4);
    let runs = get(&result, "runs").dyn_into::<Array>().unwrap();
    assert_eq!(runs.length(), 3);
    let mut recorded = 0;
    for r in 0..3 {
        let run = runs.get(r);
        let (losses, smoothed) = (f64s(&get(&run, "losses")), f64s(&get(&run, "smoothed")));
        assert_eq!(losses.len(), smoothed.len());
        recorded += losses.len();
        let stopped = get(&run, "stopped_at");
        assert!(stopped.is_null() || stopped.as_f64() == Some(losses.len() as f64 - 1.0));
        assert!(get(&get(&run, "suggestions"), "valley").is_object());
    }
    assert_eq!(seen.length() as usize, recorded, "one progress call per recorded point");
    let first = seen.get(0);
    for key in ["run", "i", "lr", "loss", "smoothed"] {
        assert!(get(&first, key).as_f64().is_some(), "{key}");
    }
    let band = get(&result, "band");
    assert_eq!(f64s(&get(&band, "median")).len(), lrs.len());
    assert!(get(&get(&band, "spread"), "valley").is_object());
    let valley = get(&get(&result, "suggestions"), "valley");
    assert!(get(&valley, "lr").as_f64().unwrap() > 0.0 && get(&valley, "index").as_f64().is_some());
    assert_eq!(get(&result, "cancelled"), JsValue::FALSE);
    assert_eq!(session.steps_taken().unwrap(), 3.0);
    assert_eq!(session.params(1.0).unwrap().to_vec(), before);
}

#[wasm_bindgen_test]
async fn progress_returning_false_cancels_and_one_run_has_no_band() {
    let session = Session::create(js(&OPTIONS.replace(
        r#",
           {"seed": 2, "schedule": {"kind": "Constant", "lr": 0.1}},
           {"seed": 3, "schedule": {"kind": "Constant", "lr": 0.1}}"#,
        "",
    )))
    .await
    .unwrap();
    let stop = eval("() => false");
    let options = js(r#"{"convention": "torch_lr_finder", "start_lr": 1e-3, "num_it": 100}"#);
    let result = JsFuture::from(LrFinder::run(&session, options, stop).unwrap()).await.unwrap();
    assert_eq!(get(&result, "cancelled"), JsValue::TRUE);
    assert_eq!(f64s(&get(&result, "lrs")).len(), 32, "one block, then cancelled");
    assert!(get(&result, "band").is_undefined());
    let steepest = get(&get(&result, "suggestions"), "steepest");
    assert!(get(&steepest, "index").as_f64().is_some());
    let throws = eval("() => { throw new Error('boom'); }");
    let err = JsFuture::from(LrFinder::run(&session, JsValue::UNDEFINED, throws).unwrap()).await.unwrap_err();
    assert_eq!(String::from(err.dyn_into::<js_sys::Error>().unwrap().message()), "boom");
    assert_eq!(session.steps_taken().unwrap(), 0.0, "restored after a throwing callback");
}

#[wasm_bindgen_test]
async fn bad_options_throw_naming_the_field_and_the_session_stays_usable() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    let run = |o: &str| LrFinder::run(&session, js(o), JsValue::UNDEFINED);
    assert_eq!(
        thrown_error(run(r#"{"start_lr": 1, "end_lr": 0.5}"#)),
        ("end_lr: must be > start_lr (1), got 0.5".into(), Some("end_lr".into()))
    );
    assert_eq!(thrown_field(run(r#"{"num_it": 1}"#)), "num_it");
    assert_eq!(thrown_field(run(r#"{"num_it": 100001}"#)), "num_it");
    assert_eq!(thrown_field(run(r#"{"convention": "keras"}"#)), "convention");
    assert_eq!(
        thrown_field(run(r#"{"convention": "torch_lr_finder", "start_lr": 1e-3, "step_mode": "cos"}"#)),
        "step_mode"
    );
    assert_eq!(thrown_field(run(r#"{"convention": "torch_lr_finder"}"#)), "start_lr");
    assert_eq!(thrown_field(run(r#"{"stop_div": true, "smooth_f": 0.1}"#)), "smooth_f");
    assert_eq!(thrown_field(run(r#"{"speed": 2}"#)), "speed");
    assert_eq!(thrown_field(LrFinder::run(&session, eval("({start_lr: NaN})"), JsValue::UNDEFINED)), "start_lr");
    assert_eq!(thrown_field(LrFinder::run(&session, eval("({end_lr: Infinity})"), JsValue::UNDEFINED)), "end_lr");
    assert_eq!(thrown_field(LrFinder::run(&session, JsValue::UNDEFINED, js("3"))), "onProgress");
    assert_eq!(thrown_field(LrFinder::run(&session, js("[1]"), JsValue::UNDEFINED)), "options");
    JsFuture::from(session.step(2.0).unwrap()).await.unwrap();
    assert_eq!(session.steps_taken().unwrap(), 2.0);
}

#[wasm_bindgen_test]
fn curve_functions_smooth_and_suggest() {
    let s =
        f64s(&smooth_losses(eval("[1, 3, 3]"), js(r#"{"style": "torch_lr_finder", "smooth_f": 0.5}"#)).unwrap().into());
    assert_eq!(s, vec![1.0, 2.0, 2.5]);
    let fastai = f64s(&smooth_losses(eval("new Float32Array([2, 2, NaN])"), JsValue::UNDEFINED).unwrap().into());
    assert!((fastai[0] - 2.0).abs() < 1e-5 && fastai[2].is_nan());
    assert_eq!(thrown_field(smooth_losses(eval("[1, 'a']"), JsValue::UNDEFINED)), "losses[1]");
    assert_eq!(thrown_field(smooth_losses(eval("[1]"), js(r#"{"style": "keras"}"#))), "style");
    assert_eq!(thrown_field(smooth_losses(eval("[1]"), js(r#"{"beta": 1}"#))), "beta");
    let lrs = "Array.from({length: 40}, (_, i) => 1e-4 * 1.3 ** i)";
    let losses = "Array.from({length: 40}, (_, i) => 2 - Math.sin(i / 12))";
    let pick = suggest_lr(eval(lrs), eval(losses), js(r#"{"method": "steepest"}"#)).unwrap();
    assert!(get(&pick, "index").as_f64().is_some() && get(&pick, "lr").as_f64().unwrap() > 0.0);
    let short = suggest_lr(eval("[1e-3, 1e-2]"), eval("[1, 0.5]"), js(r#"{"method": "slide"}"#)).unwrap();
    assert!(get(&short, "lr").is_null() && get(&short, "reason").is_string());
    assert_eq!(thrown_field(suggest_lr(eval("[1e-3, 0]"), eval("[1, 2]"), JsValue::UNDEFINED)), "lrs[1]");
    assert_eq!(thrown_field(suggest_lr(eval("[1e-3]"), eval("[1, 2]"), JsValue::UNDEFINED)), "losses");
    assert_eq!(thrown_field(suggest_lr(eval("[1e-3]"), eval("[1]"), js(r#"{"method": "best"}"#))), "method");
}

#[wasm_bindgen_test]
async fn verify_trains_candidates_and_the_result_names_group_rates() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    let options = js(r#"{"candidates": [0.001, 0.01, 0.1, 1], "steps": 20, "schedule": "one_cycle", "run": 2}"#);
    let v = JsFuture::from(LrFinder::verify(&session, options).unwrap()).await.unwrap();
    assert_eq!(f64s(&get(&v, "candidates")), vec![0.001, 0.01, 0.1, 1.0]);
    assert_eq!(get(&v, "losses").dyn_into::<js_sys::Float32Array>().unwrap().length(), 20 * 4);
    assert_eq!(f64s(&get(&v, "train_loss")).len(), 4);
    assert_eq!(f64s(&get(&v, "validation_loss")).len(), 4);
    assert_eq!(get(&v, "diverged").dyn_into::<Array>().unwrap().length(), 4);
    assert_eq!(session.steps_taken().unwrap(), 0.0);
    assert_eq!(thrown_field(LrFinder::verify(&session, js(r#"{"candidates": [0.1], "run": 3}"#))), "run");
    assert_eq!(thrown_field(LrFinder::verify(&session, js(r#"{"steps": 5}"#))), "candidates");
    let result =
        JsFuture::from(LrFinder::run(&session, js(r#"{"num_it": 30}"#), JsValue::UNDEFINED).unwrap()).await.unwrap();
    assert_eq!(f64s(&get(&result, "group_lr_mult")), vec![1.0, 1.0]);
    let valley = get(&get(&result, "suggestions"), "valley");
    let group_valley = get(&get(&result, "group_lrs"), "valley");
    let lr = get(&valley, "lr").as_f64();
    assert_eq!(lr.map(|lr| vec![lr, lr]), group_valley.dyn_into::<Float64Array>().ok().map(|a| a.to_vec()));
    let run0 = get(&result, "runs").dyn_into::<Array>().unwrap().get(0);
    assert!(get(&get(&run0, "group_lrs"), "steepest").is_object());
}
