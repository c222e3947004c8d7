//! Weights to and from PyTorch (`tests/fixtures/gen_weights.py`): each file that
//! `safetensors.torch.save_file(model.state_dict())` wrote reads into a run as the same values
//! (which give PyTorch's outputs), on the CPU and the GPU, and a run writes those same bytes back.

use base64::Engine as _;
use lr_playground::engine::backend::cpu::CpuBackend;
use lr_playground::engine::options;
use lr_playground::engine::runs::Layout;
use lr_playground::engine::Session;
use lr_playground::model::weights;
use serde_json::{json, Value};

use crate::support::{bits, close, floats, on_gpu_if};

const WEIGHTS_JSON: &str = include_str!("../fixtures/weights.json");

fn cases() -> Vec<Value> {
    let fixtures: Value = serde_json::from_str(WEIGHTS_JSON).unwrap();
    fixtures["cases"].as_array().unwrap().clone()
}

fn file(case: &Value, key: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(case[key].as_str().unwrap()).unwrap()
}

/// One run of the case's network, training on the case's inputs (all labelled 0).
fn case_options(case: &Value) -> Value {
    let x = floats(&case["x"]);
    let features = case["layers"][0].as_u64().unwrap() as usize;
    let rows = x.len() / features;
    json!({
        "backend": "cpu", "layers": case["layers"], "activation": case["activation"], "batch_size": rows,
        "data": {"x": x, "y": vec![0; rows], "features": features},
        "runs": [{"schedule": {"kind": "Constant", "lr": 0.1}}],
    })
}

fn session_for(case: &Value, on_gpu: bool) -> Session {
    on_gpu_if(Session::new(options::parse(&case_options(case)).unwrap().config), on_gpu)
}

/// The case's network's outputs for its inputs with `params`, from the engine's own forward pass.
fn outputs(case: &Value, params: &[f32]) -> Vec<f32> {
    let config = options::parse(&case_options(case)).unwrap().config;
    let layout = Layout::new(config.mlp.clone(), &config.groups);
    CpuBackend::new(layout, config.optimizer, vec![params.to_vec()]).predict(0, &floats(&case["x"]))
}

fn reads_and_writes_pytorch_files(on_gpu: bool) {
    let cases = cases();
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let mut session = session_for(case, on_gpu);
        let params = weights::read(session.mlp(), &file(case, "file")).unwrap();
        assert_eq!(bits(&params), bits(&floats(&case["params"])), "{name}: values");
        session.set_params(0, &params);
        let y = outputs(case, session.params(0));
        for (got, want) in y.iter().zip(floats(&case["y"])) {
            assert!(close(*got, want, 1e-5, 0.1), "{name}: output {got} vs PyTorch's {want}");
        }
        let written = weights::write(session.mlp(), session.params(0)).unwrap();
        assert_eq!(written, file(case, "file"), "{name}: the bytes PyTorch wrote and read");
    }
}

#[test]
fn pytorch_files_read_and_write_on_the_cpu() {
    reads_and_writes_pytorch_files(false);
}

#[test]
fn pytorch_files_read_and_write_on_the_gpu() {
    reads_and_writes_pytorch_files(true);
}

/// Weights read into a run are what both backends train from: one step from them gives the
/// same loss and parameters on the CPU and the GPU.
#[test]
fn imported_weights_train_on_both_backends() {
    let case = &cases()[0];
    let params = floats(&case["params"]);
    let mut trained = Vec::new();
    for on_gpu in [false, true] {
        let mut session = session_for(case, on_gpu);
        session.set_params(0, &params);
        let losses = pollster::block_on(session.step(1));
        trained.push((losses, session.params(0).to_vec()));
    }
    let ((cpu_loss, cpu), (gpu_loss, gpu)) = (&trained[0], &trained[1]);
    assert!(close(gpu_loss[0], cpu_loss[0], 1e-5, 1e-3), "{gpu_loss:?} vs {cpu_loss:?}");
    assert!(cpu.iter().zip(gpu).all(|(c, g)| close(*g, *c, 1e-4, 1e-3)));
    assert_ne!(cpu, &params, "the step moved the imported weights");
}

#[test]
fn a_double_precision_file_is_refused_by_tensor() {
    let case = &cases()[0];
    let session = session_for(case, false);
    let refusal = weights::read(session.mlp(), &file(case, "double")).unwrap_err();
    assert_eq!(refusal.field, "0.weight", "the first tensor in parameter order that does not fit");
    assert_eq!(refusal.message, "is F64; this network takes F32 (save the model after model.float())");
    let other = session_for(&cases()[1], false);
    let refusal = weights::read(other.mlp(), &file(case, "file")).unwrap_err();
    assert!(refusal.field.ends_with("weight") || refusal.field.ends_with("bias"), "{}", refusal.field);
}
