//! The JavaScript API. This is the only module that knows about JS: it converts values
//! (`convert`), validates what the caller sent, and turns every error into a thrown JS `Error`
//! whose `field` is the path of the value at fault (`runs[0].schedule.step_size_up`, `run`).

mod backend;
// Public for its own test crate (tests/web_broken.rs: breaking the instance ends it for every test there).
#[doc(hidden)]
pub mod broken;
mod convert;
mod export;
mod finder;
mod landscape;
mod memory;
mod progress;
mod schedule;
mod session;
mod surface;
mod transfer;
mod types;

pub use export::{export_code, export_plan_code, export_run_code, export_targets};
pub use finder::{smooth_losses, suggest_lr, LrFinder};
pub use landscape::plateau_race;
pub use schedule::Schedule;
pub use session::Session;
pub use surface::{escape, surface_grid, surface_optimizer_fields, surfaces, trajectories, trajectory};
pub use transfer::{plan_groups, plan_methods};

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::spec::{fmt_num, SpecError};

#[wasm_bindgen(start)]
fn start() {
    // A panic is a bug; make it readable in the console rather than "unreachable executed", and
    // reject what the engine still owes before the trap that follows.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        broken::break_engine();
    }));
}

/// Serialises plain data to a JS value (objects, not `Map`s).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, SpecError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| convert::fieldless(e.to_string()))
}

/// A non-negative integer from JS, which only has doubles; errors name the argument.
fn whole_number(name: &str, value: f64, max: u64) -> Result<u64, SpecError> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= max as f64 {
        Ok(value as u64)
    } else {
        Err(SpecError::new(name, format!("must be an integer in [0, {max}], got {}", fmt_num(value))))
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
#[wasm_bindgen(js_name = detectBackend, unchecked_return_type = "BackendReport")]
pub async fn detect_backend() -> Result<JsValue, SpecError> {
    let report = match backend::shared_gpu().await {
        Ok(gpu) => BackendReport { backend: "webgpu", adapter: Some(gpu.adapter_name), reason: None },
        Err(e) => BackendReport { backend: "cpu", adapter: None, reason: Some(e.to_string()) },
    };
    to_js(&report)
}
