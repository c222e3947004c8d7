//! Transfer learning end to end on the CPU path: pretrain on task A (an 8-arm spiral), carry
//! its body over as `init_params` to task B (a turned 3-arm spiral with few rows), fine-tune it
//! frozen then unfrozen beside a from-scratch run of the same seed, and compare them on
//! validation loss at the same budget of steps. Also what the pieces promise: frozen layers
//! keep their bits, precompute changes no result, augmentation is seeded per row and epoch and
//! never touches validation.
#![cfg(not(target_arch = "wasm32"))]

use lr_playground::engine::{options, Session};
use pollster::block_on;
use serde_json::{json, Value};

fn session(options: Value) -> Session {
    Session::new(options::parse(&options).unwrap().config)
}

fn adam(lr: f64) -> Value {
    json!({"kind": "Constant", "lr": lr})
}

/// Task A: 8 arms, plenty of rows.
fn task_a(seed: u64) -> Value {
    json!({
        "layers": [2, 32, 32, 8], "activation": "tanh", "optimizer": {"kind": "adam"}, "batch_size": 32,
        "data": {"kind": "spiral", "arms": 8, "n": 2000, "noise": 0.05, "seed": 100 + seed},
        "runs": [{"seed": seed, "schedule": adam(0.01)}],
    })
}

/// Layers 0 and 1 of 2-32-32-k: 2·32 + 32 + 32·32 + 32 parameters.
const BODY: usize = 1152;

/// Task B: 3 arms turned by 40°, few rows; run 0 from scratch, run 1 fine-tuned from `body`
/// (head only for `frozen_steps`, then everything with discriminative rates), same seed.
fn task_b(seed: u64, body: &[f32], frozen_steps: u64) -> Value {
    json!({
        "layers": [2, 32, 32, 3], "activation": "tanh", "optimizer": {"kind": "adam"}, "batch_size": 16,
        "groups": [[0], [1], [2]],
        "data": {"kind": "spiral", "arms": 3, "rotation": 40, "n": 200, "noise": 0.05, "validation_fraction": 0.5, "seed": 200 + seed},
        "runs": [
            {"seed": seed, "schedule": adam(0.01)},
            {"seed": seed, "init_params": body, "phases": [
                {"steps": frozen_steps, "schedule": adam(0.01), "frozen": [true, true, false]},
                {"schedule": adam(0.01), "group_lr_mult": [0.3, 0.3, 1.0]},
            ]},
        ],
    })
}

fn pretrained_body(seed: u64, steps: u64) -> Vec<f32> {
    let mut a = session(task_a(seed));
    block_on(a.step(steps));
    let accuracy = a.evaluate(0).validation_accuracy.unwrap();
    eprintln!("task A seed {seed}: validation accuracy {accuracy:.3}");
    assert!(accuracy > 0.3, "task A learns (8 classes, chance 0.125): {accuracy}");
    a.params(0)[..BODY].to_vec()
}

#[test]
fn fine_tuning_a_pretrained_body_against_scratch() {
    const BUDGET: u64 = 300;
    let mut report = Vec::new();
    for seed in [1, 2, 3] {
        let body = pretrained_body(seed, 1500);
        let mut b = session(task_b(seed, &body, 100));
        assert_eq!(b.params(1)[..BODY], body[..]);
        assert_eq!(b.params(1)[BODY..], b.params(0)[BODY..], "the head starts as the scratch run's");
        block_on(b.step(100));
        assert_eq!(b.params(1)[..BODY], body[..], "the frozen body keeps its bits");
        block_on(b.step(BUDGET - 100));
        let (scratch, tuned) = (b.evaluate(0).validation_loss, b.evaluate(1).validation_loss);
        eprintln!("seed {seed}: validation loss after {BUDGET} steps: scratch {scratch:.4}, fine-tuned {tuned:.4}");
        report.push((scratch, tuned));
    }
    let wins = report.iter().filter(|(scratch, tuned)| tuned < scratch).count();
    assert_eq!(wins, report.len(), "fine-tuning beats scratch on every seed: {report:?}");
}
