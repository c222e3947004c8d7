//! The transfer-learning options as a page (or Node) passes them: related synthetic tasks
//! (`data.arms`, `data.rotation`), pretrained layers (`runs[i].init_params`, a Float32Array),
//! augmentation (`data.augment`) and `precompute`, on the CPU path.

use crate::js::{get, thrown_error};
use js_sys::{Array, Float32Array, Reflect};
use lr_playground::web::Session;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

/// Task B: a turned 3-arm spiral, augmented, with a scratch run and one from pretrained layers.
const OPTIONS: &str = r#"{"backend": "cpu", "layers": [2, 8, 8, 3], "activation": "tanh",
  "optimizer": {"kind": "adam"}, "groups": [[0], [1], [2]], "batch_size": 16,
  "data": {"kind": "spiral", "arms": 3, "rotation": 40, "n": 120, "noise": 0.1, "seed": 2,
           "augment": {"rotate": 10, "jitter": 0.05, "flip": false, "seed": 5}},
  "runs": [{"seed": 1, "schedule": {"kind": "Constant", "lr": 0.01}},
           {"seed": 1, "phases": [{"steps": 5, "schedule": {"kind": "Constant", "lr": 0.01}, "frozen": [true, true, false]},
                                  {"schedule": {"kind": "Constant", "lr": 0.01}, "group_lr_mult": [0.1, 0.3, 1]}]}]}"#;

/// `OPTIONS` with `patch` (JS source: `o => { ... }`) applied to it.
fn patched(patch: &str) -> JsValue {
    crate::js::patched(OPTIONS, patch)
}

/// Layers 0 and 1 of 2-8-8-3: 2·8 + 8 + 8·8 + 8 parameters.
const BODY: usize = 96;

#[wasm_bindgen_test]
async fn pretrained_layers_arrive_as_a_float32_array() {
    let body: Vec<f32> = (0..BODY).map(|i| (i as f32 - 48.0) / 100.0).collect();
    let options = patched("o => {}");
    let run = Reflect::get(&get(&options, "runs"), &1.into()).unwrap();
    Reflect::set(&run, &"init_params".into(), &Float32Array::from(&body[..])).unwrap();
    let session = Session::create(options).await.unwrap();
    let (scratch, tuned) = (session.params(0.0).unwrap().to_vec(), session.params(1.0).unwrap().to_vec());
    assert_eq!(tuned[..BODY], body[..], "the body is the pretrained one");
    assert_eq!(tuned[BODY..], scratch[BODY..], "the head starts as a scratch run of the same seed");
    let report = JsFuture::from(session.step(5.0).unwrap()).await.unwrap();
    let losses = get(&report, "losses").dyn_into::<Float32Array>().unwrap().to_vec();
    assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
    assert_eq!(session.params(1.0).unwrap().to_vec()[..BODY], body[..], "frozen for the first 5 steps");
    JsFuture::from(session.step(5.0).unwrap()).await.unwrap();
    assert_ne!(session.params(1.0).unwrap().to_vec()[..BODY], body[..], "then it trains");
    let data = session.training_data().unwrap();
    assert_eq!(get(&data, "features").as_f64(), Some(2.0));
    let labels = get(&data, "y").dyn_into::<Float32Array>().unwrap().to_vec();
    assert!(labels.contains(&2.0) && labels.iter().all(|&c| c < 3.0), "three arms, three classes");
}

#[wasm_bindgen_test]
async fn frozen_body_stays_put_with_precompute_on_or_off() {
    let mut params = Vec::new();
    for precompute in ["true", "false"] {
        let session = Session::create(patched(&format!(
            "o => {{ o.precompute = {precompute}; delete o.data.augment; o.runs[1].phases[0].steps = 20; }}"
        )))
        .await
        .unwrap();
        let before = session.params(1.0).unwrap().to_vec();
        JsFuture::from(session.step(12.0).unwrap()).await.unwrap();
        let after = session.params(1.0).unwrap().to_vec();
        assert_eq!(after[..BODY], before[..BODY]);
        assert_ne!(after[BODY..], before[BODY..]);
        params.push(after);
    }
    assert_eq!(params[0], params[1], "precompute changes no result");
}

#[wasm_bindgen_test]
async fn errors_name_the_transfer_fields() {
    let create = |patch: &str| {
        let options = patched(patch);
        async move { thrown_error(Session::create(options).await) }
    };
    let (message, field) = create("o => { o.runs[0].init_params = new Float32Array(10); }").await;
    assert_eq!(field.as_deref(), Some("runs[0].init_params"));
    assert_eq!(
        message,
        "runs[0].init_params: must hold the parameters of the first 1 to 3 Linear layers, one of 24, 96, 123 values, got 10"
    );
    let (message, field) = create("o => { o.runs[1].init_params = [0, NaN]; }").await;
    assert_eq!(field.as_deref(), Some("runs[1].init_params[1]"));
    assert!(message.ends_with("got NaN"), "{message}");
    let (message, field) = create("o => { o.data.arms = 12; }").await;
    assert_eq!(
        (message.as_str(), field.as_deref()),
        ("data.arms: must be an integer in [2, 8], got 12", Some("data.arms"))
    );
    let (_, field) = create("o => { o.data.kind = 'moons'; o.data.arms = 3; }").await;
    assert_eq!(field.as_deref(), Some("data.arms"));
    let (_, field) = create("o => { o.data.rotation = 'left'; }").await;
    assert_eq!(field.as_deref(), Some("data.rotation"));
    let (message, field) = create("o => { o.data.augment.rotate = 181; }").await;
    assert_eq!(
        (message.as_str(), field.as_deref()),
        ("data.augment.rotate: must be a finite number in [0, 180], got 181", Some("data.augment.rotate"))
    );
    let (_, field) = create("o => { o.data.augment.flip = 'yes'; }").await;
    assert_eq!(field.as_deref(), Some("data.augment.flip"));
    let (_, field) = create("o => { o.precompute = 1; }").await;
    assert_eq!(field.as_deref(), Some("precompute"));
}

#[wasm_bindgen_test]
fn option_fields_list_the_transfer_options() {
    let fields = Session::option_fields().unwrap();
    let names = |part: &str| -> Vec<String> {
        get(&fields, part).dyn_into::<Array>().unwrap().iter().map(|f| get(&f, "name").as_string().unwrap()).collect()
    };
    assert!(names("run").contains(&"init_params".to_string()));
    assert!(names("data").contains(&"arms".to_string()) && names("data").contains(&"rotation".to_string()));
    assert!(names("data").contains(&"augment".to_string()) && names("own_data").contains(&"augment".to_string()));
    assert_eq!(names("augment"), ["rotate", "jitter", "flip", "seed"]);
    assert!(names("session").contains(&"precompute".to_string()));
}
