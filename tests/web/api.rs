//! The pure JS API (no GPU), as a page or Node sees it: `wasm-pack test --node`, and in the
//! browser harness too (WASM_BINDGEN_USE_BROWSER).

use crate::js::{eval, get, js as spec, thrown, thrown_error, thrown_field};
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
    let warm = Schedule::new(spec(r#"{"kind":"CosineAnnealingWarmRestarts","T_0":0}"#));
    assert_eq!(
        thrown_error(warm),
        ("T_0 (CosineAnnealingWarmRestarts): must be an integer in [1, 1000000000], got 0".into(), Some("T_0".into()))
    );
    assert_eq!(
        thrown(Schedule::new(spec(r#"{"kind":"CyclicLR","base_lr":0.1,"max_lr":0.01}"#))),
        "max_lr (CyclicLR): must be >= base_lr (0.1), got 0.01"
    );
    // NaN and Infinity from JS arrive as non-finite numbers and are refused by name.
    for (value, written) in [(f64::NAN, "NaN"), (f64::INFINITY, "Infinity"), (f64::NEG_INFINITY, "-Infinity")] {
        let s = spec(r#"{"kind":"ExponentialLR","gamma":0.9}"#);
        Reflect::set(&s, &"lr".into(), &JsValue::from_f64(value)).unwrap();
        assert_eq!(
            thrown_error(Schedule::new(s)),
            (format!("lr (ExponentialLR): must be a finite number in (0, 100], got {written}"), Some("lr".into()))
        );
    }
    assert_eq!(
        thrown_error(Schedule::new(JsValue::UNDEFINED)),
        ("spec: must be an object, got undefined".into(), Some("spec".into()))
    );
    assert_eq!(thrown(Schedule::new(JsValue::from(3))), "spec: must be an object with a \"kind\" field, got 3");
    assert_eq!(thrown_field(Schedule::new(spec(r#"{"kind":"Nope"}"#))), "kind");
    assert!(thrown(Schedule::new(spec(r#"{"kind":"Nope"}"#))).starts_with("kind: must be one of Constant, ConstantLR"));
    assert_eq!(
        thrown(Schedule::new(spec(r#"{"kind":"StepLR","lr":"fast"}"#))),
        "lr (StepLR): must be a finite number in (0, 100], got \"fast\""
    );
}

#[wasm_bindgen_test]
fn nested_schedule_errors_carry_their_path() {
    let s = spec(
        r#"{"kind":"SequentialLR","milestones":[5],"schedules":[{"kind":"Constant"},{"kind":"StepLR","step_size":2,"gamma":0}]}"#,
    );
    assert_eq!(
        thrown_error(Schedule::new(s)),
        (
            "schedules[1].gamma (StepLR): must be a finite number in (0, 10], got 0".into(),
            Some("schedules[1].gamma".into())
        )
    );
    let s = spec(r#"{"kind":"SequentialLR","milestones":[5,4],"schedules":[{"kind":"Constant"},{"kind":"Constant"}]}"#);
    assert_eq!(thrown_field(Schedule::new(s)), "milestones");
    let s = spec(r#"{"kind":"MultiStepLR","milestones":[3, 2.5]}"#);
    assert_eq!(thrown_field(Schedule::new(s)), "milestones[1]");
}

#[wasm_bindgen_test]
fn undefined_means_not_given_and_null_means_given() {
    let s = Schedule::new(eval(
        "{kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.006, step_size_up: undefined, mode: undefined, gamma: undefined}",
    ))
    .unwrap();
    // step_size_up's default (2000) puts the peak at step 2000.
    assert_eq!(s.lr_at(2000.0).unwrap(), 0.006);
    assert!(s.lr_at(1000.0).unwrap() < 0.006);
    let s = Schedule::new(eval(
        "{kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.006, step_size_up: 10, step_size_down: null}",
    ));
    assert_eq!(s.unwrap().lr_at(20.0).unwrap(), 0.001, "a null step_size_down is none: the same as up");
    let s = Schedule::new(eval("{kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.006, step_size_up: null}"));
    assert_eq!(thrown(s), "step_size_up (CyclicLR): must be an integer in [1, 1000000000], got null");
    let s = Schedule::new(eval("{kind: undefined, lr: 0.1}"));
    assert!(thrown(s).starts_with("kind: is required: one of Constant"));
}

#[wasm_bindgen_test]
fn typed_arrays_are_lists_of_numbers() {
    let s =
        Schedule::new(eval("{kind: 'MultiStepLR', lr: 1, milestones: new Uint32Array([2, 4]), gamma: 0.5}")).unwrap();
    let lr = get(&s.sample(5.0).unwrap(), "lr").dyn_into::<Float64Array>().unwrap().to_vec();
    assert_eq!(lr, vec![1.0, 1.0, 0.5, 0.5, 0.25]);
    let s = Schedule::new(eval("{kind: 'MultiStepLR', lr: 1, milestones: new Float32Array([2, NaN])}"));
    assert_eq!(
        thrown_error(s),
        (
            "milestones[1] (MultiStepLR): must be an integer in [0, 1000000000], got NaN".into(),
            Some("milestones[1]".into())
        )
    );
    let s = Schedule::new(eval("{kind: 'MultiStepLR', lr: 1, milestones: new BigInt64Array([2n])}"));
    assert_eq!(
        thrown_error(s),
        ("milestones: must be a list or typed array of numbers, got a BigInt64Array".into(), Some("milestones".into()))
    );
    let s = Schedule::new(eval("{kind: 'MultiStepLR', lr: 1, milestones: new DataView(new ArrayBuffer(8))}"));
    assert_eq!(thrown_field(s), "milestones");
}

#[wasm_bindgen_test]
fn nesting_deeper_than_32_levels_is_refused_by_path() {
    // `lr` is one level inside the spec; 31 more brackets inside it reach the limit.
    let nested =
        |brackets: usize| eval(&format!("{{kind: 'Constant', lr: {}1{}}}", "[".repeat(brackets), "]".repeat(brackets)));
    assert_eq!(
        thrown(Schedule::new(nested(31))),
        "lr (Constant): must be a finite number in (0, 100], got a list of 1 item",
        "31 levels inside lr still convert; the Reader judges them"
    );
    let (message, field) = thrown_error(Schedule::new(nested(40)));
    let path = format!("lr{}", "[0]".repeat(31));
    assert_eq!((message, field), (format!("{path}: nests deeper than 32 levels"), Some(path)));
    let cycle = eval("(() => { const s = {kind: 'Constant'}; s.lr = s; return s; })()");
    let (message, field) = thrown_error(Schedule::new(cycle));
    assert!(
        message.ends_with(": nests deeper than 32 levels") && field.as_deref().unwrap().starts_with("lr.lr.lr"),
        "{message}"
    );
}

#[wasm_bindgen_test]
fn hostile_values_become_errors_naming_the_field() {
    let before = Schedule::new(spec(r#"{"kind":"Constant","lr":0.25}"#)).unwrap();
    let refused = [
        ("{kind: 'Constant', get lr() { throw new Error('boom'); }}", "lr", "lr: could not be read (boom)"),
        ("{kind: 'Constant', get lr() { throw 'plain'; }}", "lr", "lr: could not be read (plain)"),
        ("{kind: 'Constant', lr: () => 0.1}", "lr", "lr: must be plain data (numbers, strings, lists, objects), got a function"),
        ("{kind: 'Constant', lr: Symbol('x')}", "lr", "lr: must be plain data (numbers, strings, lists, objects), got a symbol"),
        ("{kind: 'Constant', lr: 10n}", "lr", "lr: must be plain data (numbers, strings, lists, objects), got a BigInt"),
        ("new Proxy({}, {ownKeys() { throw new Error('no keys'); }})", "spec", "spec: could not be read (no keys)"),
        (
            "new Proxy({kind: 'Constant', lr: 1}, {get(t, k) { if (k === 'lr') throw new Error('trap'); return t[k]; }})",
            "lr",
            "lr: could not be read (trap)",
        ),
        ("JSON.parse('{\"kind\": \"Constant\", \"__proto__\": 1}')", "__proto__", "__proto__ (Constant): unknown field (allowed: lr)"),
        ("{kind: 'Constant', lr: [1, 2], get extra() { return undefined; }}", "lr", "lr (Constant): must be a finite number in (0, 100], got [1, 2]"),
    ];
    for (source, field, message) in refused {
        assert_eq!(
            thrown_error(Schedule::new(eval(source))),
            (message.to_string(), Some(field.to_string())),
            "{source}"
        );
    }
    let revoked = eval("(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()");
    let (message, field) = thrown_error(Schedule::new(revoked));
    assert!(message.starts_with("spec: could not be read ("), "{message}");
    assert_eq!(field.as_deref(), Some("spec"));
    let accepted = [
        ("new Proxy({kind: 'Constant', lr: 0.5}, {})", 0.5),
        ("Object.freeze({kind: 'Constant', lr: 0.2})", 0.2),
        ("Object.assign(Object.create(null), {kind: 'Constant', lr: 0.3})", 0.3),
        ("Object.defineProperty({kind: 'Constant', lr: 0.4}, 'junk', {value: 1, enumerable: false})", 0.4),
        ("{kind: 'Constant', lr: 0.6, [Symbol('tag')]: 1}", 0.6),
    ];
    for (source, lr) in accepted {
        assert_eq!(Schedule::new(eval(source)).map(|s| s.lr_at(0.0).unwrap()).unwrap(), lr, "{source}");
    }
    // Nothing above disturbed what was built before, or what is built after.
    assert_eq!(before.lr_at(3.0).unwrap(), 0.25);
    assert_eq!(Schedule::new(spec(r#"{"kind":"Constant","lr":0.125}"#)).unwrap().lr_at(0.0).unwrap(), 0.125);
}

#[wasm_bindgen_test]
fn bad_steps_throw_and_the_instance_keeps_working() {
    let s = Schedule::new(spec(r#"{"kind":"OneCycleLR","max_lr":0.1,"total_steps":10}"#)).unwrap();
    let last = s.lr_at(10.0).unwrap();
    assert_eq!(
        thrown_error(s.lr_at(11.0)),
        ("step: must be an integer in [0, 10] for this OneCycleLR, got 11".into(), Some("step".into()))
    );
    assert_eq!(thrown(s.lr_at(1.5)), "step: must be an integer in [0, 1000000000], got 1.5");
    assert_eq!(thrown(s.lr_at(f64::NAN)), "step: must be an integer in [0, 1000000000], got NaN");
    assert_eq!(thrown(s.momentum_at(f64::INFINITY)), "step: must be an integer in [0, 1000000000], got Infinity");
    assert_eq!(
        thrown_error(s.sample(1e12)),
        ("steps: must be an integer in [0, 1000000], got 1000000000000".into(), Some("steps".into()))
    );
    assert_eq!(thrown(s.sample(0.0)), "steps: must be an integer in [1, 11] for this OneCycleLR, got 0");
    // After every refusal the same object still answers, and agrees with what it said before.
    assert_eq!(s.lr_at(10.0).unwrap(), last);
    let lr = get(&s.sample(11.0).unwrap(), "lr").dyn_into::<Float64Array>().unwrap().to_vec();
    assert_eq!((lr.len(), lr[10]), (11, last));
}

#[wasm_bindgen_test]
fn kinds_describe_every_field_for_the_ui() {
    let kinds = Schedule::kinds().unwrap().dyn_into::<Array>().unwrap();
    assert_eq!(kinds.length(), 45);
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
