//! Both engine backends against PyTorch (`tests/fixtures/gen_training.py`): the same nn.Sequential,
//! initial parameters, batches, optimizer and schedule give the same losses at every step and final
//! parameters within 1e-4 relative. Cases with "phases" are one run of several phases (freeze,
//! unfreeze, new multipliers: one optimizer whose state survives them).

use lr_playground::engine::options;
use lr_playground::engine::Session;
use serde_json::{json, Value};

use crate::support::{close, floats, on_gpu_if, torch_case_options};

const TRAINING_JSON: &str = include_str!("../fixtures/training.json");

/// The session options that reproduce a fixture case: its data in order, one run.
fn options_for(case: &Value) -> Value {
    let run = match case.get("phases") {
        Some(phases) => json!({"phases": phases}),
        None => json!({"schedule": case["schedule"], "group_lr_mult": case["group_lr_mult"], "frozen": case["frozen"]}),
    };
    let mut options = torch_case_options(case, json!([run]));
    options["data"]["validation_fraction"] = json!(0.0);
    options["groups"] = case["groups"].clone();
    options
}

fn matches_pytorch_training(on_gpu: bool) {
    let fixtures: Value = serde_json::from_str(TRAINING_JSON).unwrap();
    let cases = fixtures["cases"].as_array().unwrap();
    assert!(cases.len() >= 12, "only {} cases", cases.len());
    assert!(cases.iter().filter(|c| c.get("phases").is_some()).count() >= 4, "phased cases missing");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        // A case the options reject is a mismatch like any other, so one report lists them all.
        let options = match options::parse(&options_for(case)) {
            Ok(options) => options,
            Err(e) => {
                failures.push(format!("{name}: options rejected: {e}"));
                continue;
            }
        };
        let mut session = on_gpu_if(Session::new(options.config), on_gpu);
        session.set_params(0, &floats(&case["init"]));
        let steps = case["steps"].as_u64().unwrap();
        let losses = pollster::block_on(session.step(steps));
        if losses.len() as u64 != steps {
            failures.push(format!("{name}: {} losses for {steps} steps", losses.len()));
        }
        if on_gpu {
            assert_eq!(session.backend_name().0, "webgpu", "{name}: {:?}", session.fallback_reason());
        }
        for (t, (got, want)) in losses.iter().zip(floats(&case["losses"])).enumerate() {
            if !close(*got, want, 1e-4, 1e-3) {
                failures.push(format!("{name}: loss[{t}] = {got}, PyTorch {want}"));
                break;
            }
        }
        let params = session.params(0);
        let want = floats(&case["params"]);
        // Relative to each value, or to the tensor's RMS for values near zero, where Adam's
        // g / sqrt(v) turns float32 summation-order noise into visible relative differences.
        let rms = (want.iter().map(|x| x * x).sum::<f32>() / want.len() as f32).sqrt();
        if let Some(i) = (0..want.len()).find(|&i| !close(params[i], want[i], 1e-4, rms)) {
            failures.push(format!("{name}: param[{i}] = {}, PyTorch {}", params[i], want[i]));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn cpu_engine_matches_pytorch_training() {
    matches_pytorch_training(false);
}

#[test]
fn gpu_engine_matches_pytorch_training() {
    matches_pytorch_training(true);
}
