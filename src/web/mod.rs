//! The JavaScript API. This is the only module that knows about JS: it converts values,
//! validates what the caller sent, and turns every error into a thrown JS `Error`.

mod schedule;
mod session;

pub use schedule::Schedule;
pub use session::Session;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::gpu::Gpu;

#[wasm_bindgen(start)]
fn start() {
    // A panic is a bug; make it readable in the console rather than "unreachable executed".
    console_error_panic_hook::set_once();
}

/// Serialises plain data to a JS value (objects, not `Map`s).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

/// A non-negative integer from JS, which only has doubles.
fn whole_number(name: &str, value: f64, max: u64) -> Result<u64, JsError> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= max as f64 {
        Ok(value as u64)
    } else {
        Err(JsError::new(&format!("{name}: must be an integer in [0, {max}], got {value}")))
    }
}

#[derive(Serialize)]
struct BackendReport {
    backend: &'static str,
    adapter: Option<String>,
    reason: Option<String>,
}

/// Which engine backend this environment gets: WebGPU with its adapter's name, or the CPU path
/// and why. Never rejects: a missing WebGPU is a normal state.
#[wasm_bindgen(js_name = detectBackend)]
pub async fn detect_backend() -> Result<JsValue, JsError> {
    let report = match Gpu::new().await {
        Ok(gpu) => BackendReport { backend: "webgpu", adapter: Some(gpu.adapter_name), reason: None },
        Err(e) => BackendReport { backend: "cpu", adapter: None, reason: Some(e.to_string()) },
    };
    to_js(&report)
}
