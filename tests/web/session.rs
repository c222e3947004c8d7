//! The training API as a page (or Node) sees it, on the CPU path: runs under `wasm-pack test
//! --node` and, with WASM_BINDGEN_USE_BROWSER, in Chromium too.

use crate::js::{eval, get, js, thrown, thrown_error, thrown_field};
use js_sys::{Array, Float32Array};
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
async fn the_backend_says_why_the_runs_train_where_they_do() {
    let asked = Session::create(js(OPTIONS)).await.unwrap().backend().unwrap();
    assert_eq!(get(&asked, "reason").as_string().as_deref(), Some("Asked for the CPU path"));
    assert_eq!(get(&asked, "fallback"), JsValue::NULL);
    let auto = Session::create(js(&OPTIONS.replace(r#""backend": "cpu""#, r#""backend": "auto""#))).await.unwrap();
    let backend = auto.backend().unwrap();
    let reason = get(&backend, "reason").as_string().unwrap_or_default();
    if eval("typeof window === 'undefined'").is_truthy() {
        // Node: no WebGPU, so nothing to measure.
        assert_eq!(reason, "WebGPU is not available in this browser: CPU path");
        assert!(get(&backend, "fallback").as_string().is_some_and(|why| why.starts_with("no GPU adapter")));
    } else {
        assert!(reason.contains(" run-steps/s measured against "), "{reason}");
    }
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

/// `OPTIONS` as a JS object with `patch` (JS source: `o => { ... }`) applied to it.
fn patched(patch: &str) -> JsValue {
    crate::js::patched(OPTIONS, patch)
}

async fn losses(session: &Session, n: u32) -> Vec<f32> {
    get(&step(session, n).await, "losses").dyn_into::<Float32Array>().unwrap().to_vec()
}

#[wasm_bindgen_test]
async fn bad_input_throws_errors_naming_the_field() {
    let create = |options: JsValue| async move { thrown_error(Session::create(options).await) };
    assert_eq!(
        create(patched("o => { o.batch_size = 0; }")).await,
        ("batch_size: must be an integer in [1, 4096], got 0".into(), Some("batch_size".into()))
    );
    assert_eq!(thrown_field(Session::create(patched("o => { o.unused = 1; }")).await), "unused");
    assert_eq!(
        create(JsValue::from_str("nope")).await,
        ("options: must be an object, got \"nope\"".into(), Some("options".into()))
    );
    assert_eq!(
        create(JsValue::UNDEFINED).await,
        ("options: must be an object, got undefined".into(), Some("options".into()))
    );

    let session = Session::create(js(OPTIONS)).await.unwrap();
    assert_eq!(
        thrown_error(session.params(3.0)),
        ("run: must be an integer in [0, 2], got 3".into(), Some("run".into()))
    );
    assert_eq!(
        thrown_error(session.set_params(0.0, &Float32Array::new_with_length(3))),
        ("params: must have 42 values (this network's parameters), got 3".into(), Some("params".into()))
    );
    let nan = Float32Array::new_with_length(42);
    nan.set_index(5, f32::NAN);
    assert_eq!(
        thrown_error(session.set_params(0.0, &nan)),
        ("params[5]: must be finite, got NaN".into(), Some("params[5]".into()))
    );
    assert_eq!(
        thrown_error(session.predict_grid(0.0, 1e6)),
        ("n: must be an integer in [0, 512], got 1000000".into(), Some("n".into()))
    );
    assert_eq!(
        thrown_error(session.predict_grid(0.0, 1.0)),
        ("n: must be an integer in [2, 512], got 1".into(), Some("n".into()))
    );
    assert_eq!(
        thrown_error(session.step(-1.0)),
        ("steps: must be an integer in [0, 100000], got -1".into(), Some("steps".into()))
    );
    assert_eq!(thrown(session.layer_stats(0.5)), "run: must be an integer in [0, 2], got 0.5");
    // The instance still works after every refusal.
    assert_eq!(losses(&session, 2).await.len(), 6);
}

#[wasm_bindgen_test]
async fn nested_option_errors_carry_their_path() {
    let cases = [
        (
            "o => { o.runs[0].schedule = {kind: 'CyclicLR', base_lr: 0.01, max_lr: 0.1, step_size_up: 0}; }",
            "runs[0].schedule.step_size_up",
            "runs[0].schedule.step_size_up (CyclicLR): must be an integer in [1, 1000000000], got 0",
        ),
        (
            "o => { o.runs[1] = {phases: [{schedule: {kind: 'Constant'}}, {schedule: {kind: 'Constant'}}]}; }",
            "runs[1].phases[0].steps",
            "runs[1].phases[0].steps: is required in every phase but the last: an integer in [1, 1000000000]",
        ),
        (
            "o => { o.optimizer.momentum = 1.0000000001; }",
            "optimizer.momentum",
            "optimizer.momentum: must be a finite number in [0, 1], got 1.0",
        ),
        (
            "o => { o.optimizer = {kind: 'SGD', momentum: NaN}; }",
            "optimizer.momentum",
            "optimizer.momentum: must be a finite number in [0, 1], got NaN",
        ),
        (
            "o => { o.data = {x: new Float32Array(5), y: [0, 1], features: 2}; }",
            "data.x",
            "data.x: must hold 1 to 1000000 rows of 2 features, got 5 values",
        ),
        (
            "o => { o.groups = [[0, 'x'], [1]]; }",
            "groups[0][1]",
            "groups[0][1]: must be an integer in [0, 1], got \"x\"",
        ),
        (
            "o => { o.runs[2].frozen = [true]; }",
            "runs[2].frozen",
            "runs[2].frozen: must have one flag per group (2), got 1",
        ),
        (
            "o => { o.activation = 'ReLU'; }",
            "activation",
            "activation: must be one of relu | tanh | sigmoid | gelu | linear, got \"ReLU\"",
        ),
        (
            "o => { Object.defineProperty(o, 'data', {get() { throw new Error('boom'); }, enumerable: true}); }",
            "data",
            "data: could not be read (boom)",
        ),
        (
            "o => { o.runs[0].seed = () => 1; }",
            "runs[0].seed",
            "runs[0].seed: must be plain data (numbers, strings, lists, objects), got a function",
        ),
    ];
    let survivor = Session::create(js(OPTIONS)).await.unwrap();
    let expected = losses(&Session::create(js(OPTIONS)).await.unwrap(), 3).await;
    for (patch, field, message) in cases {
        let got = thrown_error(Session::create(patched(patch)).await);
        assert_eq!(got, (message.to_string(), Some(field.to_string())), "{patch}");
    }
    // The options are 1 level, runs 2, runs[0] 3, its schedule 4: lr's 29th bracket is the 33rd level.
    let deep = patched("o => { let v = 0.1; for (let i = 0; i < 40; i++) v = [v]; o.runs[0].schedule.lr = v; }");
    let path = format!("runs[0].schedule.lr{}", "[0]".repeat(28));
    assert_eq!(thrown_error(Session::create(deep).await), (format!("{path}: nests deeper than 32 levels"), Some(path)));
    // A session made before the refusals trains as if they had not happened.
    let got = losses(&survivor, 3).await;
    assert_eq!(
        got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        expected.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
    );
}

/// Bit-equal losses from two sessions over `n` steps.
async fn same_training(a: JsValue, b: JsValue, n: u32) {
    let (a, b) = (Session::create(a).await.unwrap(), Session::create(b).await.unwrap());
    let (la, lb) = (losses(&a, n).await, losses(&b, n).await);
    assert_eq!(la.len(), lb.len());
    for (i, (x, y)) in la.iter().zip(&lb).enumerate() {
        assert!(x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()), "losses[{i}]: {x} vs {y}");
    }
}

#[wasm_bindgen_test]
async fn undefined_means_the_default() {
    let with_undefined = patched(
        "o => { o.batch_size = undefined; o.groups = undefined; o.runs[0].seed = undefined; o.runs[0].frozen = undefined; o.data.noise = undefined; o.shuffle = undefined; }",
    );
    let without = patched("o => { delete o.batch_size; delete o.runs[0].seed; delete o.data.noise; }");
    let reference = patched("o => { o.batch_size = undefined; }");
    same_training(with_undefined, without, 4).await;
    // ... while giving a value does change training (OPTIONS has batch_size 20): the test can tell.
    let run0 = |losses: Vec<f32>| losses.iter().step_by(3).map(|x| x.to_bits()).collect::<Vec<_>>();
    let defaulted = run0(losses(&Session::create(reference).await.unwrap(), 4).await);
    assert_ne!(defaulted, run0(losses(&Session::create(js(OPTIONS)).await.unwrap(), 4).await));
    // null is a value, not a default.
    assert_eq!(
        thrown(Session::create(patched("o => { o.batch_size = null; }")).await),
        "batch_size: must be an integer in [1, 4096], got null"
    );
}

#[wasm_bindgen_test]
async fn optimizers_take_torch_class_names() {
    same_training(patched("o => { o.optimizer = {kind: 'SGD', momentum: 0.9}; }"), js(OPTIONS), 4).await;
    same_training(
        patched("o => { o.optimizer = {kind: 'AdamW'}; }"),
        patched("o => { o.optimizer = {kind: 'adamw', weight_decay: 0.01}; }"),
        4,
    )
    .await;
    let adam = Session::create(patched("o => { o.optimizer = {kind: 'Adam', betas: [0.8, 0.9]}; }")).await;
    assert!(adam.is_ok());
    assert_eq!(
        thrown(Session::create(patched("o => { o.optimizer = {kind: 'adam_w'}; }")).await),
        "optimizer.kind: must be one of sgd | adam | adamw (or SGD | Adam | AdamW), got \"adam_w\""
    );
    let kind = get(&Session::option_fields().unwrap(), "optimizer_kind");
    assert_eq!(get(&get(&kind, "aliases"), "AdamW").as_string().as_deref(), Some("adamw"));
}

#[wasm_bindgen_test]
async fn step_zero_takes_no_step() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    let report = step(&session, 0).await;
    assert_eq!(get(&report, "losses").dyn_into::<Float32Array>().unwrap().length(), 0);
    assert_eq!(get(&report, "runs").as_f64(), Some(3.0));
    assert_eq!(session.steps_taken().unwrap(), 0.0);
    let before = session.params(0.0).unwrap().to_vec();
    assert_eq!(session.params(0.0).unwrap().to_vec(), before);
    assert_eq!(losses(&session, 1).await.len(), 3);
    assert_eq!(session.steps_taken().unwrap(), 1.0);
}

#[wasm_bindgen_test]
async fn runs_in_phases_train() {
    let options = patched(
        "o => { o.runs = [{seed: 1, data_seed: 5, phases: [{steps: 3, schedule: {kind: 'Constant', lr: 0.1}, frozen: [true, false]}, {schedule: {kind: 'Constant', lr: 0.05}}]}]; }",
    );
    let session = Session::create(options).await.unwrap();
    let before = session.params(0.0).unwrap().to_vec();
    step(&session, 3).await;
    let after = session.params(0.0).unwrap().to_vec();
    // Linear 0 (its 2 × 8 weights and 8 biases come first) was frozen for the first phase.
    assert_eq!(after[..24], before[..24]);
    assert_ne!(after[24..], before[24..]);
    step(&session, 2).await;
    assert_ne!(session.params(0.0).unwrap().to_vec()[..24], before[..24]);
}

#[wasm_bindgen_test]
async fn caller_data_in_typed_arrays_trains_on_every_row() {
    let options = eval(
        "{backend: 'auto', layers: new Uint8Array([2, 4, 2]), runs: [{schedule: {kind: 'Constant', lr: 0.5}}], batch_size: 4, shuffle: false,
          data: {features: 2, x: new Float32Array([0, 0, 1, 1, 0, 1, 1, 0]), y: new Int32Array([0, 0, 1, 1]), validation_fraction: undefined}}",
    );
    let session = Session::create(options).await.unwrap();
    assert_eq!(losses(&session, 3).await.len(), 3);
    let data = session.training_data().unwrap();
    assert_eq!(
        get(&data, "x").dyn_into::<Float32Array>().unwrap().to_vec(),
        vec![0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0]
    );
    assert_eq!(get(&data, "y").dyn_into::<Float32Array>().unwrap().to_vec(), vec![0.0, 0.0, 1.0, 1.0]);
    let evaluation = session.evaluate().unwrap().dyn_into::<Array>().unwrap();
    assert!(
        get(&evaluation.get(0), "validation_loss").is_null()
            || get(&evaluation.get(0), "validation_loss").is_undefined()
    );
    let held_out = eval(
        "{layers: [2, 4, 2], runs: [{schedule: {kind: 'Constant'}}], batch_size: 2,
          data: {features: 2, x: new Float64Array([0, 0, 1, 1, 0, 1, 1, 0]), y: [0, 0, 1, 1], validation_fraction: 0.5}}",
    );
    let session = Session::create(held_out).await.unwrap();
    assert_eq!(get(&session.training_data().unwrap(), "y").dyn_into::<Float32Array>().unwrap().length(), 2);
}

#[wasm_bindgen_test]
async fn data_and_weights_at_the_limits_of_f32_give_finite_grids_and_stats() {
    let options = eval(
        "{backend: 'cpu', layers: [2, 8, 2], activation: 'tanh', runs: [{schedule: {kind: 'Constant'}}], batch_size: 2,
          data: {features: 2, x: [-3.4e38, -3.4e38, 3.4e38, 3.4e38, -3.4e38, 3.4e38, 3.4e38, -3.4e38], y: [0, 1, 0, 1]}}",
    );
    let session = Session::create(options).await.unwrap();
    let grid = session.predict_grid(0.0, 8.0).unwrap();
    let (lo, hi) = (get(&grid, "lo").as_f64().unwrap(), get(&grid, "hi").as_f64().unwrap());
    assert_eq!((lo, hi), (-f32::MAX as f64, f32::MAX as f64), "the square is clamped to f32's limits");
    let values = get(&grid, "values").dyn_into::<Float32Array>().unwrap().to_vec();
    assert!(values.iter().all(|v| v.is_finite()), "{values:?}");
    let data = get(&session.training_data().unwrap(), "x").dyn_into::<Float32Array>().unwrap().to_vec();
    assert!(data.iter().all(|v| v.is_finite()));
    session.set_params(0.0, &Float32Array::from(&[3.0e38f32; 42][..])).unwrap();
    let stats = session.layer_stats(0.0).unwrap().dyn_into::<Array>().unwrap();
    for key in ["lr", "weight_norm", "grad_norm", "update_ratio"] {
        assert!(stats.iter().all(|s| get(&s, key).as_f64().is_some_and(f64::is_finite)), "{key}");
    }
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
    let names = |part: &str| {
        get(&fields, part)
            .dyn_into::<Array>()
            .unwrap()
            .iter()
            .map(|f| get(&f, "name").as_string().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names("run"),
        ["seed", "data_seed", "init_params", "schedule", "phases", "group_lr_mult", "frozen", "eval_every"]
    );
    assert_eq!(names("phase"), ["steps", "schedule", "group_lr_mult", "frozen", "reset_optimizer"]);
    assert_eq!(names("run_update"), ["schedule", "group_lr_mult", "frozen", "reset_optimizer"]);
}

async fn evaluate_params(session: &Session, points: &Float32Array, options: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(session.evaluate_params(points, options).map_err(JsValue::from)?).await
}

#[wasm_bindgen_test]
async fn snapshot_restore_puts_every_run_back_exactly() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    step(&session, 7).await;
    let snapshot = session.snapshot().unwrap();
    let first = losses(&session, 30).await;
    let params: Vec<Vec<f32>> = (0..3).map(|r| session.params(r as f64).unwrap().to_vec()).collect();
    session.stop_run(0.0).unwrap();
    session.restore(&snapshot).unwrap();
    assert_eq!(session.steps_taken().unwrap(), 7.0);
    let state = |r: u32| get(&session.evaluate().unwrap().dyn_into::<Array>().unwrap().get(r), "state").as_string();
    assert_eq!((state(0).as_deref(), state(1).as_deref()), (Some("training"), Some("training")));
    let again = losses(&session, 30).await;
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&again), bits(&first));
    for (r, want) in params.iter().enumerate() {
        assert_eq!(bits(&session.params(r as f64).unwrap().to_vec()), bits(want), "run {r}");
    }
    let other = Session::create(patched("o => { o.runs = o.runs.slice(0, 1); }")).await.unwrap();
    assert_eq!(thrown_field(other.restore(&snapshot)), "snapshot");
}

#[wasm_bindgen_test]
async fn a_snapshot_of_another_architecture_or_group_layout_is_refused() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    step(&session, 3).await;
    let snapshot = session.snapshot().unwrap();
    let cases = [
        // 2-4-4-2 has 42 parameters, as 2-8-2 has.
        ("o => { o.layers = [2, 4, 4, 2]; }", "snapshot: was taken from a 2-8-2 network, this session is 2-4-4-2"),
        (
            "o => { o.groups = [[0, 1]]; }",
            "snapshot: was taken with layer groups [[0], [1]], this session has [[0, 1]]",
        ),
    ];
    for (patch, message) in cases {
        let other = Session::create(patched(patch)).await.unwrap();
        assert_eq!(other.params(0.0).unwrap().length(), 42);
        let before = other.params(0.0).unwrap().to_vec();
        assert_eq!(thrown_error(other.restore(&snapshot)), (message.into(), Some("snapshot".into())));
        assert_eq!(other.params(0.0).unwrap().to_vec(), before, "{patch}: nothing copied");
        assert!(losses(&other, 2).await[0].is_finite(), "{patch}: still trains");
        let stats = other.layer_stats(0.0).unwrap().dyn_into::<Array>().unwrap();
        assert!(stats.iter().all(|s| get(&s, "lr").as_f64().is_some_and(f64::is_finite)), "{patch}: no NaN rate");
    }
}

#[wasm_bindgen_test]
async fn update_run_adds_a_phase_and_stop_run_stops() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    step(&session, 2).await;
    session.stop_run(0.0).unwrap();
    let l = losses(&session, 2).await;
    assert!(l[0].is_nan() && l[3].is_nan() && l[2].is_finite(), "{l:?}");
    let before = session.params(0.0).unwrap().to_vec();
    session.update_run(0.0, js(r#"{"frozen": [true, false], "schedule": {"kind": "Constant", "lr": 0.05}}"#)).unwrap();
    let phase = get(&session.evaluate().unwrap().dyn_into::<Array>().unwrap().get(0), "phase");
    assert_eq!(phase.as_f64(), Some(1.0), "a second phase");
    assert!(losses(&session, 1).await[0].is_finite(), "trains again");
    let after = session.params(0.0).unwrap().to_vec();
    assert_eq!(after[..24], before[..24], "Linear 0 frozen");
    assert_ne!(after[24..], before[24..]);
    assert_eq!(thrown_field(session.update_run(0.0, js(r#"{"frozen": [true]}"#))), "frozen");
    assert_eq!(thrown_field(session.update_run(0.0, js(r#"{"lr": 1}"#))), "lr");
    let bad = js(r#"{"schedule": {"kind": "StepLR", "lr": 0.1}}"#);
    assert_eq!(thrown_field(session.update_run(0.0, bad)), "schedule.step_size");
    assert_eq!(thrown_field(session.stop_run(3.0)), "run");
    assert!(losses(&session, 1).await[0].is_finite(), "still usable");
}

#[wasm_bindgen_test]
async fn evaluate_params_equals_evaluate() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    step(&session, 10).await;
    let points: Vec<f32> = [0.0, 2.0].iter().flat_map(|&r| session.params(r).unwrap().to_vec()).collect();
    let points = Float32Array::from(&points[..]);
    let evaluation = session.evaluate().unwrap().dyn_into::<Array>().unwrap();
    for (set, key) in [("train", "train"), ("validation", "validation")] {
        let options = js(&format!(r#"{{"set": "{set}"}}"#));
        let result = evaluate_params(&session, &points, options).await.unwrap();
        let loss = get(&result, "loss").dyn_into::<Float32Array>().unwrap().to_vec();
        let accuracy = get(&result, "accuracy").dyn_into::<Float32Array>().unwrap().to_vec();
        for (i, run) in [0, 2].into_iter().enumerate() {
            let want = |what: &str| get(&evaluation.get(run), &format!("{key}_{what}")).as_f64().unwrap() as f32;
            assert_eq!((loss[i], accuracy[i]), (want("loss"), want("accuracy")), "run {run} on {set}");
        }
    }
    let default = evaluate_params(&session, &points, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(get(&default, "loss").dyn_into::<Float32Array>().unwrap().length(), 2);
    let short = Float32Array::from(&[0.5f32; 7][..]);
    let e = thrown_error(evaluate_params(&session, &short, JsValue::UNDEFINED).await);
    assert_eq!(
        e,
        (
            "points: must hold 1 to 399457 parameter vectors of 42 values each (this network's parameters), got 7 values".into(),
            Some("points".into())
        )
    );
    let e = thrown_error(evaluate_params(&session, &points, js(r#"{"set": "test"}"#)).await);
    assert_eq!(e.1.as_deref(), Some("set"));
    assert!(e.0.ends_with(r#"got "test""#), "{}", e.0);
}
