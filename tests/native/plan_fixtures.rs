//! Per-group plans against fastai 2.8.12 (`tests/fixtures/gen_plans.py`): every group's rate
//! and momentum at every step within 1e-5 relative (fastai's positions are float32), trainable
//! flags exactly, and phases that reset the optimizer state starting exactly where fastai
//! cleared it; and a fine-tune trained by a Session from the plan's phases against the same
//! table trained in PyTorch (with the optimizer state cleared where fastai clears it).

use crate::support::{close, floats, on_gpu_if, torch_case_options};
use lr_playground::engine::options;
use lr_playground::engine::Session;
use lr_playground::transfer::Plan;
use serde_json::{json, Value};

const PLANS_JSON: &str = include_str!("../fixtures/plans.json");

fn fixtures() -> Value {
    serde_json::from_str(PLANS_JSON).unwrap()
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

/// 1e-5 relative; where fastai's cosine ends at 0 (SGDR), its `cos(π)` residue (1e-16 of the
/// peak) is compared absolutely, as tests/common/fixtures.rs compares schedules.
fn within(got: f64, want: f64, scale: f64) -> bool {
    (got - want).abs() <= 1e-5 * want.abs() + 1e-14 * scale
}

fn scale(values: &[f64]) -> f64 {
    values.iter().fold(0f64, |m, x| m.max(x.abs()))
}

#[test]
fn tables_match_fastai_param_scheduler() {
    let fixtures = fixtures();
    let cases = fixtures["cases"].as_array().unwrap();
    assert!(cases.len() >= 10, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let plan = match Plan::from_spec(&case["spec"]) {
            Ok(plan) => plan,
            Err(e) => {
                failures.push(format!("{name}: refused: {e}"));
                continue;
            }
        };
        let (lr, momentum) = (numbers(&case["lr"]), numbers(&case["momentum"]));
        let trainable: Vec<bool> = case["trainable"].as_array().unwrap().iter().map(|t| t.as_bool().unwrap()).collect();
        if plan.steps != case["steps"].as_u64().unwrap() || plan.lr.len() != lr.len() {
            failures.push(format!("{name}: {} steps, fastai {}", plan.steps, case["steps"]));
            continue;
        }
        if let Some(i) = (0..lr.len()).find(|&i| !within(plan.lr[i], lr[i], scale(&lr))) {
            failures.push(format!("{name}: lr[{i}] = {}, fastai {}", plan.lr[i], lr[i]));
        }
        if plan.momentum.iter().all(|m| m.is_nan()) {
            // The method leaves momentum to the optimizer: fastai's stays its constructor value.
            if momentum.iter().any(|&m| m != momentum[0]) {
                failures.push(format!("{name}: fastai schedules momentum, the plan does not"));
            }
        } else if let Some(i) = (0..momentum.len()).find(|&i| !within(plan.momentum[i], momentum[i], 0.0)) {
            failures.push(format!("{name}: momentum[{i}] = {}, fastai {}", plan.momentum[i], momentum[i]));
        }
        if let Some(i) = (0..trainable.len()).find(|&i| plan.trainable[i] != trainable[i]) {
            failures.push(format!("{name}: trainable[{i}] = {}, fastai {}", plan.trainable[i], trainable[i]));
        }
        let resets = reset_steps(&plan);
        let clears: Vec<u64> = case["clear_state_at"].as_array().unwrap().iter().map(|t| t.as_u64().unwrap()).collect();
        if resets != clears {
            failures.push(format!(
                "{name}: the optimizer state resets at steps {resets:?}, fastai clears it at {clears:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

/// The first steps of the plan's phases that reset the optimizer state.
fn reset_steps(plan: &Plan) -> Vec<u64> {
    let mut start = 0;
    let mut resets = Vec::new();
    for phase in &plan.phases {
        if phase["reset_optimizer"] == json!(true) {
            resets.push(start);
        }
        start += phase["steps"].as_u64().unwrap();
    }
    resets
}

/// The torch run's data and network, with the plan's phases as the one run.
fn session_for(training: &Value, plan: &Plan, on_gpu: bool) -> Session {
    let mut options = torch_case_options(training, json!([{"phases": plan.phases}]));
    options["groups"] = training["groups"].clone();
    let config = options::parse(&options).unwrap_or_else(|e| panic!("{e}")).config;
    let mut session = on_gpu_if(Session::new(config), on_gpu);
    session.set_params(0, &floats(&training["init"]));
    session
}

fn fine_tune_from_a_plan_matches_pytorch(on_gpu: bool) {
    let fixtures = fixtures();
    let training = &fixtures["training"];
    let table = fixtures["cases"].as_array().unwrap().iter().find(|c| c["name"] == training["plan"]).unwrap();
    let plan = Plan::from_spec(&table["spec"]).unwrap();
    let steps = training["steps"].as_u64().unwrap();
    assert_eq!(plan.steps, steps);
    let mut session = session_for(training, &plan, on_gpu);
    let init = floats(&training["init"]);
    // While frozen (the first phase), groups 0 and 1 (the first two Linear layers) stay bit for bit.
    let frozen_steps = plan.phases[0]["steps"].as_u64().unwrap();
    let frozen_len = {
        let l = training["layers"].as_array().unwrap();
        let width = |i: usize| l[i].as_u64().unwrap() as usize;
        width(0) * width(1) + width(1) + width(1) * width(2) + width(2)
    };
    let mut losses = pollster::block_on(session.step(frozen_steps));
    let params = session.params(0);
    assert!(params[..frozen_len].iter().zip(&init).all(|(a, b)| a.to_bits() == b.to_bits()), "frozen groups moved");
    assert_ne!(params[frozen_len..], init[frozen_len..], "the last group trains");
    losses.extend(pollster::block_on(session.step(steps - frozen_steps)));
    if on_gpu {
        assert_eq!(session.backend_name().0, "webgpu", "{:?}", session.fallback_reason());
    }
    assert_eq!(losses.len() as u64, steps);
    for (t, (got, want)) in losses.iter().zip(floats(&training["losses"])).enumerate() {
        assert!(close(*got, want, 1e-4, 1e-3), "loss[{t}] = {got}, PyTorch {want}");
    }
    let (params, want) = (session.params(0), floats(&training["params"]));
    let rms = (want.iter().map(|x| x * x).sum::<f32>() / want.len() as f32).sqrt();
    for i in 0..want.len() {
        assert!(close(params[i], want[i], 1e-4, rms), "param[{i}] = {}, PyTorch {}", params[i], want[i]);
    }
}

#[test]
fn cpu_fine_tune_from_a_plan_matches_pytorch() {
    fine_tune_from_a_plan_matches_pytorch(false);
}

#[test]
fn gpu_fine_tune_from_a_plan_matches_pytorch() {
    fine_tune_from_a_plan_matches_pytorch(true);
}
