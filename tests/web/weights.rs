//! `exportWeights` / `importWeights` as a page sees them: PyTorch's own safetensors files
//! (`tests/fixtures/weights.json`) go in to the same values and come out as the same bytes; a file
//! that does not fit is refused naming the tensor, and the run stays as it was.

use crate::js::{eval, js, thrown_error, thrown_field};
use js_sys::{Float32Array, Uint8Array};
use lr_playground::web::Session;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const WEIGHTS_JSON: &str = include_str!("../fixtures/weights.json");

/// Case `i` of the fixture: its file's bytes and the values PyTorch read from it.
fn case(i: usize) -> (Uint8Array, Vec<f32>) {
    let fixtures: serde_json::Value = serde_json::from_str(WEIGHTS_JSON).unwrap();
    let case = &fixtures["cases"][i];
    let base64 = case["file"].as_str().unwrap();
    let bytes = eval(&format!("Uint8Array.from(atob({base64:?}), (c) => c.charCodeAt(0))"));
    let params = case["params"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap() as f32).collect();
    (bytes.into(), params)
}

/// The fixture's first case is a 2-16-16-2 ReLU network.
const OPTIONS: &str = r#"{"backend": "cpu", "layers": [2, 16, 16, 2], "data": {"kind": "circle", "n": 100},
  "batch_size": 10, "runs": [{"seed": 1, "schedule": {"kind": "Constant", "lr": 0.1}},
                             {"seed": 2, "schedule": {"kind": "Constant", "lr": 0.1}}]}"#;

#[wasm_bindgen_test]
async fn pytorchs_file_comes_in_and_goes_out_unchanged() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    let (file, params) = case(0);
    let other_run = session.params(0.0).unwrap().to_vec();
    session.import_weights(1.0, file.clone().into()).unwrap();
    assert_eq!(session.params(1.0).unwrap().to_vec(), params);
    assert_eq!(session.params(0.0).unwrap().to_vec(), other_run, "only the run named");
    assert_eq!(session.export_weights(1.0).unwrap().to_vec(), file.to_vec(), "the bytes PyTorch wrote");
    // An ArrayBuffer is a file's bytes too (what File.arrayBuffer() gives).
    session.import_weights(0.0, file.buffer().into()).unwrap();
    assert_eq!(session.params(0.0).unwrap().to_vec(), params);
}

#[wasm_bindgen_test]
async fn a_file_that_does_not_fit_leaves_the_run_as_it_was() {
    let session = Session::create(js(OPTIONS)).await.unwrap();
    let before = session.params(0.0).unwrap().to_vec();
    let refused = |bytes: JsValue| thrown_error(session.import_weights(0.0, bytes));
    let (digits_net, _) = case(3);
    assert_eq!(
        refused(digits_net.into()),
        ("0.weight: has shape [32, 64]; this network needs [16, 2]".into(), Some("0.weight".into()))
    );
    let (three_layers, _) = case(1);
    assert_eq!(refused(three_layers.into()).1.as_deref(), Some("0.weight"));
    let (message, field) = refused(Uint8Array::from(&b"not safetensors"[..]).into());
    assert_eq!(field.as_deref(), Some("bytes"));
    assert!(message.starts_with("bytes: is not a safetensors file ("), "{message}");
    assert_eq!(
        refused(JsValue::from_str("weights.safetensors")),
        ("bytes: must be a Uint8Array or an ArrayBuffer, got string".into(), Some("bytes".into()))
    );
    assert_eq!(refused(Float32Array::from(&[1.0f32][..]).into()).1.as_deref(), Some("bytes"));
    let huge = Uint8Array::new_with_length(1 << 20);
    assert_eq!(
        refused(huge.into()),
        (
            "bytes: is 1048576 bytes, more than a safetensors file of this network can be (66952 at most)".into(),
            Some("bytes".into())
        )
    );
    let (file, _) = case(0);
    assert_eq!(thrown_field(session.import_weights(2.0, file.clone().into())), "run");
    assert_eq!(thrown_field(session.export_weights(-1.0)), "run");
    assert_eq!(session.params(0.0).unwrap().to_vec(), before);
}

#[wasm_bindgen_test]
async fn digits_train_and_their_weights_export() {
    let options = r#"{"backend": "cpu", "layers": [64, 16, 3], "batch_size": 16,
      "data": {"kind": "digits", "classes": [0, 1, 2], "n": 90, "augment": {"rotate": 10}},
      "runs": [{"schedule": {"kind": "Constant", "lr": 0.05}}]}"#;
    let session = Session::create(js(options)).await.unwrap();
    wasm_bindgen_futures::JsFuture::from(session.step(5.0).unwrap()).await.unwrap();
    let file = session.export_weights(0.0).unwrap();
    assert_eq!(file.length() as usize, 8 + 4 * (64 * 16 + 16 + 16 * 3 + 3) + header_len(&file));
    let refused = Session::create(js(
        r#"{"backend": "cpu", "layers": [64, 16, 3], "data": {"kind": "digits", "classes": [0, 7]},
      "runs": [{"schedule": {"kind": "Constant", "lr": 0.05}}]}"#,
    ))
    .await;
    assert_eq!(thrown_error(refused).1.as_deref(), Some("data.classes"));
}

/// The length of a safetensors file's JSON header (its first eight bytes, little-endian).
fn header_len(file: &Uint8Array) -> usize {
    (0..8).map(|i| (file.get_index(i) as u64) << (8 * i)).sum::<u64>() as usize
}
