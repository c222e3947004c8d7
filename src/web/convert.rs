//! JS values in, JS errors out.
//!
//! `argument` walks a JS value into JSON by hand, with JS's own rules rather than serde's: a
//! property set to `undefined` is not given (its default applies), typed arrays are lists of
//! numbers, NaN and Infinity stay recognisable as non-finite numbers. Every read goes through a
//! catching `Reflect` call, so nothing a caller can pass (a getter that throws, a Proxy, a
//! revoked Proxy, a cycle) panics or throws through wasm: each becomes an error naming the path.
//! Sizes are refused before they are copied: nesting, list lengths, the values in all, and
//! string lengths, so no argument can exhaust the instance's memory.
//!
//! `impl From<SpecError> for JsValue` makes every refusal a JS `Error` whose `field` is the
//! path of the value it is about.

use std::fmt::Write;

use js_sys::{ArrayBuffer, BigInt64Array, BigUint64Array, DataView, Float64Array, JsString, Object, Reflect};
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::limits::{MAX_DEPTH, MAX_ITEMS, MAX_STRING};
use crate::spec::{non_finite, SpecError};

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy (js_sys's binding does not catch).
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;

    #[wasm_bindgen(js_name = Float64Array)]
    type Float64Copy;

    /// `new Float64Array(typedArray)`: one copy, converting each element; throws for a detached
    /// buffer or BigInt elements.
    #[wasm_bindgen(constructor, catch)]
    fn new(source: &JsValue) -> Result<Float64Copy, JsValue>;
}

/// The caller's argument `name` (`options`, `spec`) as JSON; errors name the path inside it,
/// or `name` for the argument itself.
pub fn argument(value: &JsValue, name: &str) -> Result<Value, SpecError> {
    let mut walker = Walker { path: Vec::new(), items: 0 };
    match walker.value(value, 0) {
        Ok(Some(json)) => Ok(json),
        Ok(None) => Err(SpecError::new(name, "must be an object, got undefined")),
        Err(e) => Err(e.at_root(name)),
    }
}

enum Step {
    Key(String),
    Index(usize),
}

/// Where the walk is, for errors: `runs[0].schedule`.
struct Walker {
    path: Vec<Step>,
    /// Values read so far, against [`MAX_ITEMS`].
    items: usize,
}

impl Walker {
    fn error(&self, message: impl Into<String>) -> SpecError {
        let mut field = String::new();
        for step in &self.path {
            match step {
                Step::Key(key) if field.is_empty() => field.push_str(key),
                Step::Key(key) => {
                    field.push('.');
                    field.push_str(key);
                }
                Step::Index(i) => {
                    let _ = write!(field, "[{i}]");
                }
            }
        }
        SpecError::new(field, message)
    }

    fn unreadable(&self, thrown: &JsValue) -> SpecError {
        self.error(format!("could not be read ({})", describe_thrown(thrown)))
    }

    /// `value` as JSON; `None` for `undefined` (not given). `depth`: the objects and lists around it.
    fn value(&mut self, value: &JsValue, depth: usize) -> Result<Option<Value>, SpecError> {
        if value.is_undefined() {
            return Ok(None);
        }
        if value.is_null() {
            return Ok(Some(Value::Null));
        }
        if let Some(b) = value.as_bool() {
            return Ok(Some(Value::Bool(b)));
        }
        if let Some(x) = value.as_f64() {
            return Ok(Some(number(x)));
        }
        if value.is_string() {
            return self.string(value.unchecked_ref()).map(|s| Some(Value::String(s)));
        }
        let what = if value.is_function() {
            "a function"
        } else if value.is_symbol() {
            "a symbol"
        } else if value.is_bigint() {
            "a BigInt"
        } else if !value.is_object() {
            "a value of another type"
        } else {
            ""
        };
        if !what.is_empty() {
            return Err(self.error(format!("must be plain data (numbers, strings, lists, objects), got {what}")));
        }
        if depth >= MAX_DEPTH {
            return Err(self.error(format!("nests deeper than {MAX_DEPTH} levels")));
        }
        if ArrayBuffer::is_view(value) {
            return self.typed_array(value).map(Some);
        }
        match is_array(value) {
            Ok(true) => self.array(value, depth).map(Some),
            Ok(false) => self.object(value, depth).map(Some),
            Err(thrown) => Err(self.unreadable(&thrown)),
        }
    }

    /// A string, refused before it is copied when it is longer than [`MAX_STRING`].
    fn string(&self, s: &JsString) -> Result<String, SpecError> {
        let length = s.length();
        if length > MAX_STRING {
            return Err(self.error(format!("must be a string of at most {MAX_STRING} characters, got {length}")));
        }
        Ok(String::from(s))
    }

    /// Counts `more` values against [`MAX_ITEMS`], refusing the one that crosses it.
    fn count(&mut self, more: f64) -> Result<(), SpecError> {
        let total = self.items as f64 + more;
        if total > MAX_ITEMS as f64 {
            return Err(self.error(format!("holds more than the {MAX_ITEMS} values an argument may hold in all")));
        }
        self.items = total as usize;
        Ok(())
    }

    fn typed_array(&mut self, value: &JsValue) -> Result<Value, SpecError> {
        // `instanceof` checks: wasm-bindgen wraps them in try/catch.
        let other = if value.is_instance_of::<DataView>() {
            Some("a DataView")
        } else if value.is_instance_of::<BigInt64Array>() {
            Some("a BigInt64Array")
        } else if value.is_instance_of::<BigUint64Array>() {
            Some("a BigUint64Array")
        } else {
            None
        };
        if let Some(what) = other {
            return Err(self.error(format!("must be a list or typed array of numbers, got {what}")));
        }
        // The length first, so that a huge array is refused before it is copied.
        let length = Reflect::get(value, &"length".into()).map_err(|thrown| self.unreadable(&thrown))?;
        self.count(length.as_f64().unwrap_or(f64::INFINITY))?;
        let copy = Float64Copy::new(value).map_err(|thrown| self.unreadable(&thrown))?.unchecked_into::<Float64Array>();
        if copy.length() as f64 != length.as_f64().unwrap_or(f64::NAN) {
            return Err(self.error("changed its length while it was read"));
        }
        let values = copy.to_vec();
        Ok(Value::Array(values.into_iter().map(number).collect()))
    }

    fn array(&mut self, value: &JsValue, depth: usize) -> Result<Value, SpecError> {
        let length = Reflect::get(value, &"length".into()).map_err(|thrown| self.unreadable(&thrown))?;
        let length = length.as_f64().unwrap_or(f64::NAN);
        if !(length >= 0.0 && length.fract() == 0.0 && length <= MAX_ITEMS as f64) {
            return Err(self.error(format!("must have at most {MAX_ITEMS} items, got a length of {length}")));
        }
        self.count(length)?;
        let mut items = Vec::with_capacity(length as usize);
        for i in 0..length as u32 {
            self.path.push(Step::Index(i as usize));
            let item = Reflect::get_u32(value, i).map_err(|thrown| self.unreadable(&thrown))?;
            // A hole or `undefined` in a list has no default to fall back to: it reads as null.
            items.push(self.value(&item, depth + 1)?.unwrap_or(Value::Null));
            self.path.pop();
        }
        Ok(Value::Array(items))
    }

    /// Own enumerable string keys, as `JSON.stringify` reads them (symbol keys are skipped).
    fn object(&mut self, value: &JsValue, depth: usize) -> Result<Value, SpecError> {
        let keys = Reflect::own_keys(value).map_err(|thrown| self.unreadable(&thrown))?;
        self.count(keys.length() as f64)?;
        let target: &Object = value.unchecked_ref();
        let mut map = Map::new();
        for i in 0..keys.length() {
            let key = keys.get(i);
            if !key.is_string() {
                continue;
            }
            let name = self.string(key.unchecked_ref())?;
            self.path.push(Step::Key(name.clone()));
            let descriptor =
                Reflect::get_own_property_descriptor(target, &key).map_err(|thrown| self.unreadable(&thrown))?;
            let enumerable = !descriptor.is_undefined()
                && Reflect::get(&descriptor, &"enumerable".into())
                    .map_err(|thrown| self.unreadable(&thrown))?
                    .is_truthy();
            if enumerable {
                let item = Reflect::get(value, &key).map_err(|thrown| self.unreadable(&thrown))?;
                if let Some(item) = self.value(&item, depth + 1)? {
                    map.insert(name, item);
                }
            }
            self.path.pop();
        }
        Ok(Value::Object(map))
    }
}

/// A JS number as JSON: integers as integers (as JSON text would parse), NaN and ±Infinity
/// marked so that messages can say so.
fn number(x: f64) -> Value {
    const SAFE: f64 = 9_007_199_254_740_991.0;
    if !x.is_finite() {
        non_finite(x)
    } else if x.fract() == 0.0 && x.abs() <= SAFE {
        if x >= 0.0 {
            Value::from(x as u64)
        } else {
            Value::from(x as i64)
        }
    } else {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// What a getter or trap threw, for a message: its `message`, or the string it threw.
fn describe_thrown(thrown: &JsValue) -> String {
    if let Some(s) = thrown.as_string() {
        return s;
    }
    let message = Reflect::get(thrown, &"message".into()).ok().and_then(|m| m.as_string());
    message.unwrap_or_else(|| "it threw".into())
}

/// An optional argument `name` (`options`): `undefined` is `null`, every field's default.
pub fn optional_argument(value: &JsValue, name: &str) -> Result<Value, SpecError> {
    if value.is_undefined() {
        Ok(Value::Null)
    } else {
        argument(value, name)
    }
}

/// Every refusal reaches JS as an `Error` with the message and, when it is about a value, that
/// value's path as `error.field`.
impl From<SpecError> for JsValue {
    fn from(e: SpecError) -> JsValue {
        let error = js_sys::Error::new(&e.to_string());
        if !e.field.is_empty() {
            // A fresh Error is extensible and has no `field` of its own: setting it cannot fail.
            let _ = Reflect::set(&error, &"field".into(), &JsValue::from_str(&e.field));
        }
        error.into()
    }
}

/// A list of `Float32Array`s (parameter vectors), copied out; `check_count` sees the list's
/// length before any item is read. Errors name the argument `name` or its item (`params[3]`).
pub fn float32_arrays(
    value: &JsValue,
    name: &str,
    check_count: impl Fn(usize) -> Result<(), SpecError>,
) -> Result<Vec<Vec<f32>>, SpecError> {
    let walker = Walker { path: vec![Step::Key(name.to_string())], items: 0 };
    match is_array(value) {
        Ok(true) => {}
        Ok(false) => return Err(walker.error("must be a list of Float32Array parameter vectors")),
        Err(thrown) => return Err(walker.unreadable(&thrown)),
    }
    let length = Reflect::get(value, &"length".into()).map_err(|thrown| walker.unreadable(&thrown))?;
    let length = length.as_f64().filter(|l| *l >= 0.0 && l.fract() == 0.0 && *l <= u32::MAX as f64);
    let length = length.ok_or_else(|| walker.error("must be a list with a length"))? as usize;
    check_count(length)?;
    let mut items = Vec::with_capacity(length);
    let mut values = 0usize;
    for i in 0..length {
        let item_walker = Walker { path: vec![Step::Key(name.to_string()), Step::Index(i)], items: 0 };
        let item = Reflect::get_u32(value, i as u32).map_err(|thrown| item_walker.unreadable(&thrown))?;
        let Some(array) = item.dyn_ref::<js_sys::Float32Array>() else {
            return Err(item_walker.error(format!("must be a Float32Array, got {}", describe_js(&item))));
        };
        // Bounded before copying, as every argument is.
        values = values.saturating_add(array.length() as usize);
        if values > MAX_ITEMS {
            return Err(walker.error(format!("holds more than the {MAX_ITEMS} values an argument may hold in all")));
        }
        items.push(array.to_vec());
    }
    Ok(items)
}

/// What kind of JS value `value` is, for a message.
pub(super) fn describe_js(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if ArrayBuffer::is_view(value) || is_array(value).unwrap_or(false) {
        "another kind of list".into()
    } else {
        value.js_typeof().as_string().unwrap_or_else(|| "a value of another type".into())
    }
}

/// A `Float64Array` copy of `values`.
pub fn f64s(values: &[f64]) -> JsValue {
    Float64Array::from(values).into()
}

/// `target[key] = value` while building a result object.
pub fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), SpecError> {
    Reflect::set(target, &key.into(), value).map(drop).map_err(|_| fieldless(format!("could not set {key}")))
}

/// An error about no field in particular (`Session: a step() is still running`).
pub fn fieldless(message: impl Into<String>) -> SpecError {
    SpecError::new("", message)
}
