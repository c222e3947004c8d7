//! Where a session trains: `backend: "cpu"` and `"gpu"` as asked, `"auto"` on the path that a
//! short calibration of this session's shape finds faster (`engine::calibration`), paid once per
//! shape in this instance; and `session.backend`, which says where and why.

use std::cell::RefCell;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::to_js;
use crate::engine::calibration::{self, Calibrations, Rates, Shape};
use crate::engine::options::{self, Backend};
use crate::engine::{Session as Engine, SessionConfig};
use crate::gpu::{Gpu, GpuError};
use crate::spec::SpecError;

#[wasm_bindgen]
extern "C" {
    /// Milliseconds, in a window, a worker and Node alike.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

thread_local! {
    /// Shapes this instance has timed: a page's sessions of one shape pay for one calibration.
    static CALIBRATIONS: RefCell<Calibrations> = RefCell::new(Calibrations::default());
    /// The WebGPU device this instance's sessions share, with the pipelines compiled on it.
    static DEVICE: RefCell<Option<Gpu>> = const { RefCell::new(None) };
}

/// The device every session of this instance uses: one device, so that its pipelines are
/// compiled once (`Gpu::compute_pipelines`), as a page's other GPU work would share it. A failure
/// of it (lost, destroyed, an error it reports) moves every session on it to the CPU path, as a
/// driver reset would anyway; the sessions that start after it get a new device.
pub(crate) async fn shared_gpu() -> Result<Gpu, GpuError> {
    let kept = DEVICE.with_borrow(|device| device.clone());
    if let Some(gpu) = kept.filter(|gpu| gpu.failure().is_none()) {
        return Ok(gpu);
    }
    let gpu = Gpu::new().await?;
    DEVICE.with_borrow_mut(|device| *device = Some(gpu.clone()));
    Ok(gpu)
}

#[derive(Serialize)]
struct BackendInfo<'a> {
    backend: &'static str,
    adapter: Option<&'a str>,
    fallback: Option<&'a str>,
    reason: &'a str,
}

/// A session on the backend `parsed` asks for: `"auto"` measures both paths on this session's
/// shape (once per shape) and takes the faster; without WebGPU, or where the runs do not fit it,
/// the CPU path, saying why in `backend.fallback`. `"gpu"` and `"cpu"` insist.
pub(crate) async fn engine_on_backend(parsed: options::Options) -> Result<Engine, SpecError> {
    let options::Options { backend, config } = parsed;
    if backend == Backend::Cpu {
        let mut engine = Engine::new(config);
        engine.record_choice("Asked for the CPU path".into());
        return Ok(engine);
    }
    let gpu = shared_gpu().await;
    if backend == Backend::Gpu {
        let insisted = |e: GpuError| {
            SpecError::new("backend", format!("\"gpu\" is not possible here ({e}); use \"auto\" or \"cpu\""))
        };
        let gpu = gpu.map_err(insisted)?;
        let reason = format!("Asked for WebGPU ({})", gpu.adapter_name);
        let mut engine = Engine::new(config);
        engine.use_gpu(gpu).map_err(insisted)?;
        engine.record_choice(reason);
        return Ok(engine);
    }
    let gpu = match gpu {
        Ok(gpu) => gpu,
        Err(e) => {
            let mut engine = Engine::new(config);
            engine.record_choice(without_webgpu(&e));
            engine.record_fallback(e.to_string());
            return Ok(engine);
        }
    };
    let measured = calibrated(&config, &gpu).await;
    let mut engine = Engine::new(config);
    let chosen = measured.and_then(|rates| {
        if calibration::prefers_gpu(rates) {
            engine.use_gpu(gpu.clone())?;
        }
        Ok(calibration::reason(rates, &gpu.adapter_name))
    });
    match chosen {
        Ok(reason) => engine.record_choice(reason),
        Err(e) => {
            engine.record_choice(format!("CPU path: {e}"));
            engine.record_fallback(e.to_string());
        }
    }
    Ok(engine)
}

/// Why a browser without a usable WebGPU trains on the CPU path.
fn without_webgpu(e: &GpuError) -> String {
    match e {
        GpuError::NoAdapter(_) => "WebGPU is not available in this browser: CPU path".into(),
        e => format!("WebGPU cannot be used here ({e}): CPU path"),
    }
}

/// Both paths' rates on `config`'s shape: remembered, or measured now and remembered.
async fn calibrated(config: &SessionConfig, gpu: &Gpu) -> Result<Rates, GpuError> {
    let shape = Shape::of(config);
    if let Some(rates) = CALIBRATIONS.with_borrow(|known| known.get(&shape)) {
        return Ok(rates);
    }
    let rates = calibration::measure(config, gpu, &performance_now).await?;
    CALIBRATIONS.with_borrow_mut(|known| known.insert(shape, rates));
    Ok(rates)
}

pub(crate) fn backend_info(engine: &Engine) -> Result<JsValue, SpecError> {
    let (backend, adapter) = engine.backend_name();
    let reason = engine.choice_reason().unwrap_or(match backend {
        "webgpu" => "WebGPU",
        _ => "CPU path",
    });
    to_js(&BackendInfo { backend, adapter, fallback: engine.fallback_reason(), reason })
}
