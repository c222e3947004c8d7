//! What the panic hook and a failed allocation do before the trap (src/web/broken.rs). Its own
//! crate, so its own instance: once broken, an instance stays broken for every later test in it.
#![cfg(target_arch = "wasm32")]

use lr_playground::web::broken::{break_engine, promise, BROKEN};
use lr_playground::web::Session;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn message(error: JsValue) -> String {
    error.dyn_into::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn breaking_rejects_every_pending_promise_and_every_later_call() {
    let options = r#"{"backend": "cpu", "layers": [2, 4, 2], "data": {"kind": "circle", "n": 64}, "runs": [{"schedule": {"kind": "Constant"}}]}"#;
    let options = js_sys::JSON::parse(options).unwrap_or(JsValue::NULL);
    let session = Session::create(options).await.ok();
    let settled = promise(async { Ok(JsValue::from(1)) });
    assert_eq!(JsFuture::from(settled).await.ok().and_then(|v| v.as_f64()), Some(1.0));
    let never = promise(std::future::pending());
    break_engine();
    assert_eq!(message(JsFuture::from(never).await.unwrap_err()), BROKEN, "a pending promise rejects");
    let later = promise(async { Ok(JsValue::NULL) });
    assert_eq!(message(JsFuture::from(later).await.unwrap_err()), BROKEN, "a later promise rejects");
    let session = session.expect("a session before the trap");
    assert_eq!(session.runs().map_err(|e| e.to_string()), Err(BROKEN.to_string()), "a later call throws");
    let again = Session::create(JsValue::NULL).await.map(|_| ()).map_err(|e| e.to_string());
    assert_eq!(again, Err(BROKEN.to_string()));
}
