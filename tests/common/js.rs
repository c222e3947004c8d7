//! Small helpers for the wasm-bindgen tests: JS values from JSON or JS source, property reads,
//! and the `Error`s calls throw.
// Each test crate uses a subset of these.
#![allow(dead_code)]

use js_sys::{Float64Array, Reflect};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// A plain JS object, as a page would pass (not the `Map` serde_wasm_bindgen makes by default).
pub fn js(json: &str) -> JsValue {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

/// The value of a JS expression, for what JSON cannot write: getters, Proxies, `undefined`,
/// typed arrays, functions.
pub fn eval(expression: &str) -> JsValue {
    let f = js_sys::Function::new_no_args(&format!("return ({expression});"));
    f.call0(&JsValue::NULL).unwrap_or_else(|e| panic!("{expression}: {e:?}"))
}

/// `options` (JSON) with `patch` (JS source: `o => { ... }`) applied to it.
pub fn patched(options: &str, patch: &str) -> JsValue {
    let f = js_sys::Function::new_with_args("o", &format!("({patch})(o); return o;"));
    f.call1(&JsValue::NULL, &js(options)).unwrap()
}

/// The values of a `Float64Array`.
pub fn f64s(v: &JsValue) -> Vec<f64> {
    v.clone().dyn_into::<Float64Array>().unwrap().to_vec()
}

/// `target[key]`, or undefined.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The JS `Error` a call threw: its message, and its `field` (`None` where it has none).
pub fn thrown_error<T, E: Into<JsValue>>(result: Result<T, E>) -> (String, Option<String>) {
    let Err(e) = result else { panic!("expected a thrown Error") };
    let error = e.into().dyn_into::<js_sys::Error>().expect("thrown value is an Error");
    let field = get(&error, "field");
    assert!(field.is_undefined() || field.is_string(), "error.field is a string when present: {field:?}");
    (String::from(error.message()), field.as_string())
}

/// The message of the JS `Error` a call threw.
pub fn thrown<T, E: Into<JsValue>>(result: Result<T, E>) -> String {
    thrown_error(result).0
}

/// The `field` of the JS `Error` a call threw; it must be there.
pub fn thrown_field<T, E: Into<JsValue>>(result: Result<T, E>) -> String {
    let (message, field) = thrown_error(result);
    let field = field.unwrap_or_else(|| panic!("no error.field on {message:?}"));
    assert!(message.starts_with(&field), "the message starts with its field: {field:?} / {message:?}");
    field
}
