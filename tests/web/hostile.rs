//! Hostile JS values at every JS-facing call, and the work bounds: each call either succeeds or
//! throws an `Error` whose message starts with its `field`, never throws through wasm, and the
//! session stays usable afterwards. `wasm-pack test --mode no-install --node -- --test web hostile::`.

use crate::js::{eval, get, js, thrown_error, thrown_field};
use js_sys::{Float32Array, Function, Promise};
use lr_playground::web::{smooth_losses, suggest_lr, LrFinder, Schedule, Session};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const OPTIONS: &str = r#"{"backend": "cpu", "layers": [2, 8, 2], "activation": "relu",
  "data": {"kind": "circle", "n": 64, "noise": 0.1, "seed": 7, "validation_fraction": 0.25}, "batch_size": 8,
  "runs": [{"seed": 1, "schedule": {"kind": "Constant", "lr": 0.1}}, {"seed": 2, "schedule": {"kind": "Constant", "lr": 0.1}}]}"#;

/// Values no JSON can write, each as JS source.
const HOSTILE: &[&str] = &[
    "(() => { const o = {}; Object.defineProperty(o, 'kind', {get() { throw new Error('getter'); }, enumerable: true}); return o; })()",
    "new Proxy({}, {ownKeys() { throw new Error('no keys'); }})",
    "new Proxy({kind: 'Constant'}, {getOwnPropertyDescriptor() { throw new Error('no descriptor'); }})",
    "(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()",
    "new Proxy([1, 2], {get(t, k) { if (k === 'length') throw new Error('no length'); return t[k]; }})",
    "(() => { const a = [1, 2]; Object.defineProperty(a, 0, {get() { throw 'index'; }}); return a; })()",
    "(() => { const o = {}; o.self = o; return o; })()",
    "(() => { let v = 1; for (let i = 0; i < 100000; i++) v = [v]; return v; })()",
    "new Float32Array([1, 2, 3])",
    "new BigInt64Array([1n])",
    "new DataView(new ArrayBuffer(8))",
    "new Float64Array(5_000_000)",
    "new Array(2 ** 32 - 1)",
    "new Array(5_000_000).fill(0)",
    "Object.freeze({kind: 'Constant', lr: 0.1})",
    "Object.assign(Object.create(null), {kind: 'Constant', lr: 0.1})",
    "JSON.parse('{\"__proto__\": {\"polluted\": 1}, \"kind\": \"Constant\"}')",
    "{['k'.repeat(1 << 16)]: 1}",
    "'x'.repeat(1 << 20)",
    "Symbol('s')",
    "10n",
    "() => 1",
    "NaN",
    "-Infinity",
    "-0",
    "new Date(0)",
    "new Map([['kind', 'Constant']])",
    "undefined",
    "null",
];

/// `template` (JS source of `h => ...`) applied to the hostile value; `undefined` where building
/// the argument itself throws (spreading a Proxy whose traps throw), which is no call of ours.
fn place(template: &str, hostile: &JsValue) -> JsValue {
    eval(template).dyn_into::<Function>().unwrap().call1(&JsValue::NULL, hostile).unwrap_or(JsValue::UNDEFINED)
}

/// A refusal must be an `Error` whose message starts with its field; success is fine too.
fn refused_cleanly<T, E: Into<JsValue>>(what: &str, result: Result<T, E>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(e) => {
            let e: JsValue = e.into();
            let field = thrown_field::<(), JsValue>(Err(e));
            assert!(!field.is_empty(), "{what}: an empty field");
            None
        }
    }
}

/// A promise from a call that validated its arguments: it may reject, with a named Error.
async fn settled(what: &str, promise: Promise) {
    if let Err(e) = JsFuture::from(promise).await {
        let (message, field) = thrown_error::<(), JsValue>(Err(e));
        if let Some(field) = field {
            assert!(message.starts_with(&field), "{what}: {message}");
        }
    }
}

async fn still_trains(session: &Session) {
    let before = session.steps_taken().unwrap();
    JsFuture::from(session.step(2.0).unwrap()).await.unwrap();
    assert_eq!(session.steps_taken().unwrap(), before + 2.0);
    session.evaluate().unwrap();
}

#[wasm_bindgen_test]
async fn hostile_values_at_every_call_throw_named_errors_and_leave_the_session_usable() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    for source in HOSTILE {
        let h = eval(source);
        for template in
            ["h => h", "h => ({kind: 'Constant', lr: h})", "h => ({kind: 'MultiStepLR', lr: 1, milestones: h})"]
        {
            refused_cleanly(source, Schedule::new(place(template, &h)));
        }
        let templates = [
            "h => h".to_string(),
            format!("h => ({{...{OPTIONS}, runs: h}})"),
            format!("h => ({{...{OPTIONS}, data: h}})"),
            format!("h => ({{...{OPTIONS}, optimizer: h}})"),
            format!("h => ({{...{OPTIONS}, layers: h}})"),
            format!("h => ({{...{OPTIONS}, runs: [{{schedule: h}}]}})"),
            format!("h => ({{...{OPTIONS}, data: {{x: h, y: [0, 1], features: 1}}}})"),
        ];
        for template in &templates {
            if let Some(other) = refused_cleanly(source, Session::create(place(template, &h)).await) {
                still_trains(&other).await;
            }
        }
        for template in ["h => h", "h => ({schedule: h})", "h => ({frozen: h})", "h => ({group_lr_mult: h})"] {
            refused_cleanly(source, session.update_run(1.0, place(template, &h)));
        }
        let point = session.params(0.0).unwrap();
        for template in ["h => h", "h => ({set: h})"] {
            if let Some(p) = refused_cleanly(source, session.evaluate_params(&point, place(template, &h))) {
                settled(source, p).await;
            }
        }
        for template in ["h => h", "h => ({num_it: h})", "h => ({convention: h, start_lr: 1e-4, num_it: 5})"] {
            if let Some(p) = refused_cleanly(source, LrFinder::run(&session, place(template, &h), JsValue::UNDEFINED)) {
                settled(source, p).await;
            }
        }
        for template in ["h => h", "h => ({candidates: h, steps: 2})", "h => ({candidates: [0.1], steps: h})"] {
            if let Some(p) = refused_cleanly(source, LrFinder::verify(&session, place(template, &h))) {
                settled(source, p).await;
            }
        }
        refused_cleanly(source, smooth_losses(h.clone(), JsValue::UNDEFINED));
        refused_cleanly(source, smooth_losses(js("[1, 2, 3]"), place("h => ({style: h})", &h)));
        refused_cleanly(source, suggest_lr(h.clone(), js("[1, 2]"), JsValue::UNDEFINED));
        refused_cleanly(
            source,
            suggest_lr(js("[0.1, 1]"), js("[1, 2]"), place("h => ({method: 'valley', num_it: h})", &h)),
        );
        still_trains(&session).await;
    }
}

#[wasm_bindgen_test]
fn sizes_are_refused_by_name_before_they_are_copied() {
    let (message, field) = thrown_error(Schedule::new(eval("{kind: 'Constant', lr: 'x'.repeat(5000)}")));
    assert_eq!(
        (message.as_str(), field.as_deref()),
        ("lr: must be a string of at most 4096 characters, got 5000", Some("lr"))
    );
    let (message, field) =
        thrown_error(Schedule::new(eval("{kind: 'MultiStepLR', lr: 1, milestones: new Float64Array(5_000_000)}")));
    assert_eq!(
        (message.as_str(), field.as_deref()),
        ("milestones: holds more than the 4194304 values an argument may hold in all", Some("milestones"))
    );
    // Many small lists add up: the list that crosses the total is named.
    let many = eval("{kind: 'Constant', lr: 1, extra: Array.from({length: 3}, () => new Array(2_000_000).fill(0))}");
    assert_eq!(thrown_field(Schedule::new(many)), "extra[2]");
}

/// A network of 2-1024-1024-2: 1054722 parameters, 2052 widths.
const WIDE: &str = r#"{"backend": "cpu", "layers": [2, 1024, 1024, 2], "activation": "relu",
  "data": {"kind": "circle", "n": 200, "seed": 7}, "batch_size": 32, "runs": [{"schedule": {"kind": "Constant", "lr": 0.01}}]}"#;

#[wasm_bindgen_test]
async fn work_is_bounded_per_call_and_refused_by_name() {
    let session = Session::create(js(WIDE)).await.unwrap();
    // One step is 32 rows × 1054722 parameters × 3 = 101253312 multiply-adds: 21 fit in 2^31.
    assert_eq!(
        thrown_error(session.step(22.0)),
        (
            "steps: must be at most 21 for this network, batch size and number of runs (more would be too much work to run at once), got 22"
                .into(),
            Some("steps".into())
        )
    );
    // What is not a whole number is refused as such, with the range that fits.
    assert_eq!(
        thrown_error(session.step(2.5)),
        ("steps: must be an integer in [0, 21], got 2.5".into(), Some("steps".into()))
    );
    assert_eq!(
        thrown_error(session.predict_grid(0.0, 46.0)),
        (
            "n: must be at most 45 for this network (more would be too much work or memory to run at once), got 46"
                .into(),
            Some("n".into())
        )
    );
    let grid = session.predict_grid(0.0, 8.0).unwrap();
    assert_eq!(get(&grid, "values").dyn_into::<Float32Array>().unwrap().length(), 8 * 8 * 2);
    assert_eq!(
        thrown_error(LrFinder::run(&session, js(r#"{"num_it": 200}"#), JsValue::UNDEFINED)),
        (
            "num_it: must be at most 21 for this network, batch size and number of seeds (more would be too much work to run at once), got 200"
                .into(),
            Some("num_it".into())
        )
    );
    assert_eq!(
        thrown_error(LrFinder::verify(&session, js(r#"{"candidates": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], "steps": 100}"#))),
        (
            "steps: must be at most 2 for 8 rates on this network and these settings (more would be too much work to run at once), got 100"
                .into(),
            Some("steps".into())
        )
    );
    JsFuture::from(session.step(2.0).unwrap()).await.unwrap();
    assert_eq!(session.steps_taken().unwrap(), 2.0);
}

#[wasm_bindgen_test]
async fn sessions_whose_single_call_would_pass_the_budget_are_refused_at_create() {
    let run = r#"{"schedule": {"kind": "Constant", "lr": 0.01}}"#;
    let runs = |k: usize| format!(r#""runs": [{}]"#, vec![run; k].join(", "));
    let rows = WIDE.replace(r#""n": 200"#, r#""n": 100000"#).replace(&runs(1), &runs(7));
    let (message, field) = thrown_error(Session::create(js(&rows)).await);
    assert_eq!(field.as_deref(), Some("data"));
    assert_eq!(
        message,
        "data: must have at most 290 rows for this network and number of runs (more would be too much work to run at once), got 100000"
    );
    // 200 rows fit an evaluation of 7 runs; a step of 100 rows of each does not.
    let batch = WIDE
        .replace(r#""n": 200"#, r#""n": 200, "validation_fraction": 0"#)
        .replace(r#""batch_size": 32"#, r#""batch_size": 100"#)
        .replace(&runs(1), &runs(7));
    assert_eq!(
        thrown_error(Session::create(js(&batch)).await),
        (
            "batch_size: must be at most 96 for this network and number of runs (more would be too much work to run at once), got 100"
                .into(),
            Some("batch_size".into())
        )
    );
}

/// 256 runs (the most a session holds) at the widest network that fits them: created and
/// trained within the budget, or refused by name; never an out-of-memory instance.
#[wasm_bindgen_test]
async fn the_most_runs_at_the_widest_allowed_network_train_within_the_budget() {
    let runs = (0..256)
        .map(|i| format!(r#"{{"seed": {i}, "schedule": {{"kind": "Constant", "lr": 0.01}}}}"#))
        .collect::<Vec<_>>();
    // 2^23 parameters / 256 runs = 32768 per run: 2-1024-2 has 4098, 2-1024-1024-2 far too many.
    let options = format!(
        r#"{{"backend": "cpu", "layers": [2, 1024, 2], "data": {{"kind": "moons", "n": 200, "seed": 1}}, "batch_size": 1, "runs": [{}]}}"#,
        runs.join(",")
    );
    let session = Session::create(js(&options)).await.unwrap();
    JsFuture::from(session.step(4.0).unwrap()).await.unwrap();
    assert_eq!(session.runs().unwrap(), 256);
    let too_wide = options.replace("[2, 1024, 2]", "[2, 1024, 1024, 2]");
    assert_eq!(thrown_field(Session::create(js(&too_wide)).await), "runs");
}
