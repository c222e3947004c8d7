//! Small helpers for the wasm-bindgen tests: JS values from JSON, property reads, thrown messages.
// Each test crate uses a subset of these.
#![allow(dead_code)]

use js_sys::Reflect;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// A plain JS object, as a page would pass (not the `Map` serde_wasm_bindgen makes by default).
pub fn js(json: &str) -> JsValue {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

/// `target[key]`, or undefined.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The message of the JS `Error` a call threw.
pub fn thrown<T>(result: Result<T, wasm_bindgen::JsError>) -> String {
    let Err(e) = result else { panic!("expected a thrown Error") };
    let error = JsValue::from(e).dyn_into::<js_sys::Error>().expect("thrown value is an Error");
    String::from(error.message())
}
