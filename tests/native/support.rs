//! What the native test modules share: the GPU adapter, the session options that replay a
//! PyTorch fixture case, and float conversions and comparisons.

use std::sync::Once;

use lr_playground::engine::Session;
use lr_playground::gpu::Gpu;
use serde_json::{json, Value};

static RUNTIME_DIR: Once = Once::new();

/// The native adapter (lavapipe in CI). Mesa's Vulkan loader complains without a runtime dir: where
/// the environment has none (the Makefile sets one), one is made before the first adapter, once,
/// since the modules share one process.
pub fn gpu() -> Gpu {
    RUNTIME_DIR.call_once(|| {
        if std::env::var_os("XDG_RUNTIME_DIR").is_none() {
            let xdg = concat!(env!("CARGO_TARGET_TMPDIR"), "/xdg-runtime");
            std::fs::create_dir_all(xdg).unwrap();
            std::env::set_var("XDG_RUNTIME_DIR", xdg);
        }
    });
    pollster::block_on(Gpu::new()).expect("a Vulkan adapter (mesa-vulkan-drivers gives lavapipe)")
}

/// `session`, moved onto the GPU backend when `on_gpu`.
pub fn on_gpu_if(mut session: Session, on_gpu: bool) -> Session {
    if on_gpu {
        session.use_gpu(gpu()).unwrap();
    }
    session
}

/// A PyTorch fixture case's network, optimizer and rows (in order, unshuffled) as session options
/// with `runs`; callers add what their generator records beyond that.
pub fn torch_case_options(case: &Value, runs: Value) -> Value {
    json!({
        "backend": "cpu",
        "layers": case["layers"], "activation": case["activation"], "loss": case["loss"],
        "optimizer": case["optimizer"], "batch_size": case["batch_size"], "shuffle": false,
        "data": {"x": case["x"], "y": case["y"], "features": case["features"]},
        "runs": runs,
    })
}

/// A fixture's array of numbers as f32.
pub fn floats(v: &Value) -> Vec<f32> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap() as f32).collect()
}

/// Relative error with a floor, so values that PyTorch leaves near zero compare absolutely.
pub fn close(got: f32, want: f32, tol: f32, floor: f32) -> bool {
    (got - want).abs() <= tol * want.abs().max(floor)
}

/// The bit patterns, for comparisons that must be exact (NaN included).
pub fn bits(values: &[f32]) -> Vec<u32> {
    values.iter().map(|x| x.to_bits()).collect()
}
