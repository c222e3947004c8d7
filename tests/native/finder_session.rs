//! The finder beyond the libraries' anchors: the per-group sweep and proof by training.

use lr_playground::engine::{options, Session};
use lr_playground::finder::{self, FinderOptions, Method, VerifyOptions};
use serde_json::{json, Value};

fn session(runs: Value) -> Session {
    let options = json!({
        "backend": "cpu", "layers": [2, 8, 8, 2], "activation": "tanh", "optimizer": {"kind": "sgd", "momentum": 0.9},
        "data": {"kind": "moons", "n": 128, "noise": 0.1, "validation_fraction": 0.25, "seed": 3}, "batch_size": 16,
        "groups": [[0], [1, 2]], "runs": runs,
    });
    Session::new(options::parse(&options).unwrap().config)
}

#[test]
fn per_group_finder_keeps_the_groups_ratios() {
    let runs = json!([{"seed": 1, "schedule": {"kind": "Constant", "lr": 0.1}, "group_lr_mult": [0.1, 1.0]}]);
    let mut s = session(runs);
    let options = FinderOptions::parse(&json!({"start_lr": 1e-4, "end_lr": 10, "num_it": 80})).unwrap();
    let result = pollster::block_on(finder::run(&mut s, &options, |_| true)).unwrap();
    assert_eq!(result.group_lr_mult.as_deref(), Some(&[0.1, 1.0][..]));
    let valley = result.suggestions.valley.pick().unwrap();
    let group_lrs = result.suggestions.group_lrs(&[0.1, 1.0]);
    assert_eq!(group_lrs[0], (Method::Valley, Some(vec![valley.lr * 0.1, valley.lr])));
    // The sweep ran with the multipliers: a frozen-free run with other multipliers records other losses.
    let mut plain = session(json!([{"seed": 1, "schedule": {"kind": "Constant", "lr": 0.1}}]));
    let other = pollster::block_on(finder::run(&mut plain, &options, |_| true)).unwrap();
    assert_eq!(result.runs[0].losses[0], other.runs[0].losses[0], "the same start");
    assert_ne!(result.runs[0].losses[20..], other.runs[0].losses[20..]);
}

#[test]
fn verification_trains_each_candidate_from_the_run_and_leaves_the_session_alone() {
    let runs = json!([{"seed": 1, "schedule": {"kind": "Constant", "lr": 0.1}}, {"seed": 2, "schedule": {"kind": "Constant", "lr": 0.1}}]);
    let mut s = session(runs);
    pollster::block_on(s.step(4));
    let before = s.params(1).to_vec();
    let options = VerifyOptions::parse(&json!({"candidates": [1e-3, 0.1, 50], "steps": 30, "run": 1}), 2).unwrap();
    let v = pollster::block_on(finder::verify(&s, &options)).unwrap();
    assert_eq!(v.losses.len(), 30 * 3);
    assert_eq!(v.train_loss.len(), 3);
    assert!(v.validation_loss.iter().take(2).all(|l| l.is_finite()));
    assert!(v.train_loss[1] < v.train_loss[0], "0.1 trains faster than 1e-3: {:?}", v.train_loss);
    assert!(!v.diverged[0] && !v.diverged[1]);
    assert!(v.diverged[2] || v.train_loss[2] > v.train_loss[1], "50 is too much: {:?}", v.train_loss);
    assert_eq!(s.params(1), &before[..]);
    assert_eq!(s.steps_taken(), 4);
    // Every candidate starts from run 1's parameters: the first losses agree.
    assert_eq!(v.losses[0], v.losses[1]);
    let e = VerifyOptions::parse(&json!({"candidates": []}), 2).unwrap_err();
    assert_eq!(e.to_string(), "candidates: must hold 1 to 64 rates, got 0");
    assert_eq!(VerifyOptions::parse(&json!({"candidates": [0.1], "run": 2}), 2).unwrap_err().field, "run");
    assert_eq!(
        VerifyOptions::parse(&json!({"candidates": [0.1], "schedule": "cos"}), 2).unwrap_err().field,
        "schedule"
    );
    assert_eq!(VerifyOptions::parse(&json!({"candidates": [0.1, -1]}), 2).unwrap_err().field, "candidates[1]");
}
