//! The GPU backend (engine/backend/gpu/train/train.wgsl on lavapipe) against the CPU backend: same seeds, same
//! batches, several runs with different schedules, multipliers and frozen groups.

use crate::support::on_gpu_if;
use lr_playground::engine::{options, RunStatus, Session};
use pollster::block_on;
use serde_json::{json, Value};

fn session(options: Value, on_gpu: bool) -> Session {
    on_gpu_if(Session::new(options::parse(&options).unwrap().config), on_gpu)
}

fn options(optimizer: Value, activation: &str, loss: &str, data: &str, layers: Value) -> Value {
    json!({
        "layers": layers, "activation": activation, "loss": loss, "optimizer": optimizer,
        "data": {"kind": data, "n": 160, "noise": 0.2, "seed": 3}, "batch_size": 16,
        "groups": [[0], [1, 2]],
        "runs": [
            {"seed": 1, "schedule": {"kind": "Constant", "lr": 0.05}},
            {"seed": 2, "schedule": {"kind": "CyclicLR", "base_lr": 0.01, "max_lr": 0.2, "step_size_up": 5, "mode": "triangular2"}},
            {"seed": 3, "schedule": {"kind": "OneCycleLR", "max_lr": 0.1, "total_steps": 40}, "group_lr_mult": [0.1, 1.0]},
            {"seed": 4, "schedule": {"kind": "CosineAnnealingWarmRestarts", "lr": 0.08, "T_0": 7}, "frozen": [true, false]},
        ],
    })
}

fn assert_close(what: &str, cpu: &[f32], gpu: &[f32]) {
    assert_eq!(cpu.len(), gpu.len(), "{what}");
    let rms = (cpu.iter().map(|x| x * x).sum::<f32>() / cpu.len() as f32).sqrt();
    for (i, (c, g)) in cpu.iter().zip(gpu).enumerate() {
        assert!((c - g).abs() <= 1e-4 * c.abs().max(rms), "{what}[{i}]: cpu {c}, gpu {g}");
    }
}

fn parity(options: Value) {
    let (mut cpu, mut gpu) = (session(options.clone(), false), session(options, true));
    // 20 steps in two calls: crosses a block boundary on the GPU.
    let cpu_losses = [block_on(cpu.step(13)), block_on(cpu.step(7))].concat();
    let gpu_losses = [block_on(gpu.step(13)), block_on(gpu.step(7))].concat();
    assert_eq!(gpu.backend_name().0, "webgpu", "stayed on the GPU: {:?}", gpu.fallback_reason());
    assert_close("losses", &cpu_losses, &gpu_losses);
    for run in 0..cpu.run_count() {
        assert_close(&format!("run {run} params"), cpu.params(run), gpu.params(run));
        // Gradients and the last update come back from the GPU too (layerStats reads them).
        let stats = |s: &Session| {
            let stats = s.layer_stats(run);
            stats
                .iter()
                .flat_map(|l| [l.grad_norm, l.weight_norm, l.update_ratio])
                .map(|x| x as f32)
                .collect::<Vec<_>>()
        };
        assert_close(&format!("run {run} layer stats"), &stats(&cpu), &stats(&gpu));
    }
}

#[test]
fn sgd_momentum_nesterov_tanh_cross_entropy() {
    let sgd = json!({"kind": "sgd", "momentum": 0.9, "nesterov": true, "weight_decay": 0.001});
    parity(options(sgd, "tanh", "cross_entropy", "spiral", json!([2, 12, 10, 2])));
}

#[test]
fn adam_gelu_cross_entropy() {
    parity(options(
        json!({"kind": "adam", "betas": [0.9, 0.99], "weight_decay": 0.01}),
        "gelu",
        "cross_entropy",
        "moons",
        json!([2, 9, 7, 3]),
    ));
}

#[test]
fn adamw_sigmoid_mse_regression() {
    parity(options(json!({"kind": "adamw"}), "sigmoid", "mse", "reg_plane", json!([2, 8, 8, 1])));
}

#[test]
fn sgd_dampening_relu() {
    parity(options(
        json!({"kind": "sgd", "momentum": 0.5, "dampening": 0.3}),
        "relu",
        "cross_entropy",
        "xor",
        json!([2, 16, 16, 2]),
    ));
}

#[test]
fn a_diverging_run_stops_and_the_others_continue() {
    let mut spec = options(json!({"kind": "sgd"}), "relu", "mse", "reg_plane", json!([2, 8, 8, 1]));
    spec["runs"][1]["schedule"] = json!({"kind": "Constant", "lr": 90.0});
    let mut gpu = session(spec, true);
    let losses = block_on(gpu.step(30));
    assert_eq!(gpu.backend_name().0, "webgpu", "{:?}", gpu.fallback_reason());
    assert!(matches!(gpu.status(1), RunStatus::Diverged { .. }), "{:?}", gpu.status(1));
    assert_eq!(gpu.status(0), RunStatus::Training);
    assert!(losses[29 * 4].is_finite() && losses[29 * 4 + 1].is_nan());
}

#[test]
fn losing_the_device_moves_training_to_the_cpu_without_losing_steps() {
    let spec = options(json!({"kind": "sgd", "momentum": 0.9}), "tanh", "cross_entropy", "circle", json!([2, 8, 8, 2]));
    let (mut cpu, mut gpu) = (session(spec.clone(), false), session(spec, true));
    let mut gpu_losses = block_on(gpu.step(10));
    gpu.lose_gpu_device();
    gpu_losses.extend(block_on(gpu.step(10)));
    assert_eq!(gpu.backend_name().0, "cpu");
    assert!(gpu.fallback_reason().is_some_and(|why| why.contains("lost")), "{:?}", gpu.fallback_reason());
    assert_eq!(gpu.steps_taken(), 20);
    assert_close("losses across the switch", &block_on(cpu.step(20)), &gpu_losses);
}

/// Augmented rows are prepared on the CPU for both paths: the GPU reads them from its slots
/// (shared batches, and one row set per run when a run brings its own data_seed).
#[test]
fn augmented_rows_train_alike() {
    let adam = json!({"kind": "adam"});
    for data_seed in [Value::Null, json!(9)] {
        let mut spec = options(adam.clone(), "tanh", "cross_entropy", "spiral", json!([2, 12, 10, 2]));
        spec["data"]["augment"] = json!({"rotate": 25, "jitter": 0.1, "flip": true, "seed": 4});
        spec["runs"][1]["data_seed"] = data_seed;
        parity(spec);
    }
}

/// Pretrained layers under a frozen group: the CPU reuses the frozen body's outputs
/// (precompute), the GPU runs it forward every step; both train the head alike.
#[test]
fn pretrained_frozen_body_trains_alike() {
    let mut spec =
        options(json!({"kind": "sgd", "momentum": 0.9}), "relu", "cross_entropy", "moons", json!([2, 8, 8, 2]));
    let body: Vec<f32> = (0..2 * 8 + 8).map(|i| (i as f32 * 0.37).sin()).collect();
    spec["runs"][3]["init_params"] = json!(body);
    spec["runs"][0]["init_params"] = json!(body);
    spec["runs"][0]["frozen"] = json!([true, false]);
    parity(spec);
}

/// A group frozen for the last step had no update in it: its layers report an update ratio of
/// exactly 0 on both backends, whether it froze inside a GPU block (a phase at step 5) or at a
/// block boundary (an update between calls); the groups that trained report theirs alike.
#[test]
fn a_group_frozen_for_the_last_step_reports_no_update() {
    let constant = json!({"kind": "Constant", "lr": 0.05});
    let spec = json!({
        "layers": [2, 12, 10, 2], "activation": "tanh", "optimizer": {"kind": "adam"},
        "data": {"kind": "spiral", "n": 160, "noise": 0.2, "seed": 3}, "batch_size": 16,
        "groups": [[0], [1, 2]],
        "runs": [
            {"seed": 1, "phases": [{"steps": 5, "schedule": constant}, {"schedule": constant, "frozen": [true, false]}]},
            {"seed": 2, "schedule": constant},
        ],
    });
    let ratios = |s: &Session, run: usize| s.layer_stats(run).iter().map(|l| l.update_ratio as f32).collect::<Vec<_>>();
    let (mut cpu, mut gpu) = (session(spec.clone(), false), session(spec, true));
    for s in [&mut cpu, &mut gpu] {
        block_on(s.step(6));
    }
    assert_eq!(gpu.backend_name().0, "webgpu", "stayed on the GPU: {:?}", gpu.fallback_reason());
    for (name, s) in [("cpu", &cpu), ("gpu", &gpu)] {
        let run0 = ratios(s, 0);
        assert_eq!(run0[0], 0.0, "{name}: layer 0 froze at step 5");
        assert!(run0[1] > 0.0 && run0[2] > 0.0, "{name}: {run0:?}");
    }
    assert_close("run 0 update ratios", &ratios(&cpu, 0), &ratios(&gpu, 0));
    for s in [&mut cpu, &mut gpu] {
        let update = lr_playground::engine::RunUpdate { frozen: Some(vec![true, false]), ..Default::default() };
        s.update_run(1, update);
        block_on(s.step(1));
    }
    for (name, s) in [("cpu", &cpu), ("gpu", &gpu)] {
        let run1 = ratios(s, 1);
        assert_eq!(run1[0], 0.0, "{name}: run 1's layer 0 froze for the last step");
        assert!(run1[1] > 0.0 && run1[2] > 0.0, "{name}: {run1:?}");
    }
    assert_close("run 1 update ratios", &ratios(&cpu, 1), &ratios(&gpu, 1));
}
