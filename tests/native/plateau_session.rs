//! ReduceLROnPlateau in a session: fed the validation loss every `eval_every` steps, on the CPU
//! and on the GPU backend (lavapipe) alike.

use crate::support::on_gpu_if;
use lr_playground::engine::{options, Session};
use pollster::block_on;
use serde_json::{json, Value};

/// Patience 0 and a threshold no loss can meet after the first: every evaluation but the first
/// halves the rate, so the rates do not hang on float noise and the backends must agree.
fn options() -> Value {
    json!({
        "layers": [2, 8, 2], "activation": "tanh", "loss": "cross_entropy",
        "optimizer": {"kind": "sgd", "momentum": 0.9},
        "data": {"kind": "moons", "n": 160, "noise": 0.1, "validation_fraction": 0.25, "seed": 3}, "batch_size": 16,
        "runs": [
            {"seed": 1, "eval_every": 5,
             "schedule": {"kind": "ReduceLROnPlateau", "lr": 0.4, "factor": 0.5, "patience": 0, "threshold": 0.9}},
            {"seed": 2, "schedule": {"kind": "Constant", "lr": 0.1}},
        ],
    })
}

fn session(on_gpu: bool) -> Session {
    on_gpu_if(Session::new(options::parse(&options()).unwrap().config), on_gpu)
}

#[test]
fn the_validation_loss_steps_the_scheduler_every_eval_every_steps() {
    let mut s = session(false);
    assert!(s.plateau_view(1).is_none(), "a Constant run has no plateau state");
    let view = s.plateau_view(0).unwrap();
    assert_eq!((view.state.lr, view.evaluations, view.next_evaluation), (0.4, 0, 5));
    block_on(s.step(4));
    assert_eq!(s.plateau_view(0).unwrap().evaluations, 0);
    block_on(s.step(1));
    let view = s.plateau_view(0).unwrap();
    assert_eq!((view.state.lr, view.evaluations, view.next_evaluation), (0.4, 1, 10));
    assert_eq!(view.state.best, s.evaluate(0).validation_loss as f64, "the first evaluation is the best");
    block_on(s.step(12));
    let view = s.plateau_view(0).unwrap();
    assert_eq!((view.state.lr, view.evaluations, view.patience), (0.1, 3, 0));
}

#[test]
fn the_gpu_backend_follows_the_same_plateau() {
    let (mut cpu, mut gpu) = (session(false), session(true));
    // 23 steps in two calls: evaluations at 5, 10, 15, 20 fall inside and at block edges.
    let cpu_losses = [block_on(cpu.step(13)), block_on(cpu.step(10))].concat();
    let gpu_losses = [block_on(gpu.step(13)), block_on(gpu.step(10))].concat();
    assert_eq!(gpu.backend_name().0, "webgpu", "stayed on the GPU: {:?}", gpu.fallback_reason());
    let (c, g) = (cpu.plateau_view(0).unwrap(), gpu.plateau_view(0).unwrap());
    assert_eq!((c.state.lr, c.evaluations), (0.05, 4));
    assert_eq!(
        (g.state.lr, g.state.num_bad_epochs, g.evaluations),
        (c.state.lr, c.state.num_bad_epochs, c.evaluations)
    );
    assert!((c.state.best - g.state.best).abs() <= 1e-4 * c.state.best.abs(), "{} vs {}", c.state.best, g.state.best);
    for (i, (a, b)) in cpu_losses.iter().zip(&gpu_losses).enumerate() {
        assert!((a - b).abs() <= 1e-4 * a.abs().max(1e-3), "loss {i}: cpu {a}, gpu {b}");
    }
}

#[test]
fn eval_every_is_a_checked_run_option() {
    let mut bad = options();
    bad["runs"][0]["eval_every"] = json!(0);
    let e = options::parse(&bad).err().unwrap();
    assert_eq!(e.to_string(), "runs[0].eval_every: must be an integer in [1, 1000000000], got 0");
}
