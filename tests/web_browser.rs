//! In headless Chromium: the schedule fixtures through the JS API, and WGSL compute on WebGPU
//! (SwiftShader adapter with --enable-unsafe-webgpu; sizes kept small, it is a CPU emulation).
#![cfg(target_arch = "wasm32")]

#[path = "common/fixtures.rs"]
mod fixtures;

use js_sys::{Float64Array, Reflect};
use lr_playground::gpu::{matmul_cpu, Gpu, NaiveMatmul};
use lr_playground::web::{detect_backend, Schedule};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
fn schedules_match_the_libraries_through_the_js_api() {
    let (failures, cases) = fixtures::check_all(|spec, steps| {
        let js_spec = spec.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| e.to_string())?;
        let schedule = Schedule::new(js_spec).map_err(|e| format!("{:?}", JsValue::from(e)))?;
        let out = schedule.sample(steps as f64).map_err(|e| format!("{:?}", JsValue::from(e)))?;
        let lr = get(&out, "lr").dyn_into::<Float64Array>().map_err(|_| "lr is not a Float64Array")?.to_vec();
        let momentum = get(&out, "momentum").dyn_into::<Float64Array>().ok().map(|m| m.to_vec());
        Ok((lr, momentum))
    });
    assert!(cases >= 30, "only {cases} fixture cases");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[wasm_bindgen_test]
async fn webgpu_is_detected_with_an_adapter_name() {
    let report = detect_backend().await.unwrap();
    assert_eq!(get(&report, "backend").as_string().as_deref(), Some("webgpu"), "reason: {:?}", get(&report, "reason"));
    assert!(!get(&report, "adapter").as_string().unwrap_or_default().is_empty());
}

#[wasm_bindgen_test]
async fn naive_matmul_on_webgpu_matches_cpu() {
    let gpu = Gpu::new().await.expect("WebGPU adapter (run Chromium with --enable-unsafe-webgpu)");
    let (m, k, n) = (33, 17, 29);
    let a: Vec<f32> = (0..m * k).map(|i| ((i * 7) % 13) as f32 / 4.0 - 1.5).collect();
    let b: Vec<f32> = (0..k * n).map(|i| ((i * 5) % 11) as f32 / 4.0 - 1.25).collect();
    let c = NaiveMatmul::new(&gpu).run(&gpu, &a, &b, m, k, n).await.unwrap();
    assert_eq!(c, matmul_cpu(&a, &b, m, k, n));
}
