//! Phased runs, updates between steps, stopping, snapshots and per-run batch order: the CPU
//! backend and the GPU backend (train.wgsl on lavapipe) on the same seeds, and each against
//! what the feature promises.

use std::sync::Arc;

use crate::support::{bits, on_gpu_if};
use lr_playground::engine::{options, EvalSet, Phase, RunStatus, RunUpdate, Session, SessionConfig};
use lr_playground::schedule::Schedule;
use pollster::block_on;
use serde_json::{json, Value};

fn schedule(spec: Value) -> Arc<Schedule> {
    Arc::new(Schedule::from_spec(&spec).unwrap())
}

fn phase(steps: Option<u64>, spec: Value, group_lr_mult: &[f64], frozen: &[bool]) -> Phase {
    Phase {
        steps,
        schedule: schedule(spec),
        group_lr_mult: group_lr_mult.to_vec(),
        frozen: frozen.to_vec(),
        reset_optimizer: false,
    }
}

/// A 2-16-12-2 network in two groups ([0], [1, 2]) on a spiral, with as many runs as `phases`.
fn config(optimizer: Value, phases: Vec<Vec<Phase>>) -> SessionConfig {
    let runs: Vec<Value> =
        (0..phases.len()).map(|i| json!({"seed": 10 + i, "schedule": {"kind": "Constant"}})).collect();
    let spec = json!({
        "layers": [2, 16, 12, 2], "activation": "tanh", "optimizer": optimizer,
        "data": {"kind": "spiral", "n": 200, "noise": 0.1, "seed": 5}, "batch_size": 16,
        "groups": [[0], [1, 2]], "runs": runs,
    });
    let mut config = options::parse(&spec).unwrap().config;
    for (run, phases) in config.runs.iter_mut().zip(phases) {
        run.phases = phases;
    }
    config
}

fn session(config: SessionConfig, on_gpu: bool) -> Session {
    on_gpu_if(Session::new(config), on_gpu)
}

fn assert_close(what: &str, cpu: &[f32], gpu: &[f32]) {
    assert_eq!(cpu.len(), gpu.len(), "{what}");
    let rms = (cpu.iter().filter(|x| x.is_finite()).map(|x| x * x).sum::<f32>() / cpu.len() as f32).sqrt();
    for (i, (c, g)) in cpu.iter().zip(gpu).enumerate() {
        let same_nan = c.is_nan() && g.is_nan();
        assert!(same_nan || (c - g).abs() <= 1e-4 * c.abs().max(rms), "{what}[{i}]: cpu {c}, gpu {g}");
    }
}

/// Run 0: frozen lower group for 5 steps (inside the first GPU block), then everything with
/// discriminative multipliers. Run 1: multipliers change at step 32, exactly at a block
/// boundary, and the lower group freezes at 40 inside the second block. Run 2: unfreezes in
/// three phases and ends after its last (finished at step 45).
fn phased_runs() -> Vec<Vec<Phase>> {
    let cyclic = json!({"kind": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4});
    let one_cycle = |total| json!({"kind": "OneCycleLR", "max_lr": 0.08, "total_steps": total});
    vec![
        vec![
            phase(Some(5), json!({"kind": "Constant", "lr": 0.05}), &[1.0, 1.0], &[true, false]),
            phase(None, one_cycle(60), &[0.1, 1.0], &[false, false]),
        ],
        vec![
            phase(Some(32), cyclic.clone(), &[1.0, 1.0], &[false, false]),
            phase(Some(8), cyclic.clone(), &[0.3, 2.0], &[false, false]),
            phase(None, cyclic, &[0.3, 2.0], &[true, false]),
        ],
        vec![
            phase(Some(3), json!({"kind": "Constant", "lr": 0.02}), &[1.0, 1.0], &[true, true]),
            phase(Some(20), one_cycle(20), &[1.0, 1.0], &[true, false]),
            phase(Some(22), one_cycle(22), &[0.25, 1.0], &[false, false]),
        ],
    ]
}

fn phased_parity(optimizer: Value) {
    let (mut cpu, mut gpu) =
        (session(config(optimizer.clone(), phased_runs()), false), session(config(optimizer, phased_runs()), true));
    let mut losses = (block_on(cpu.step(13)), block_on(gpu.step(13)));
    // Interactive unfreezing between calls: run 0 freezes its lower group again, with a new rate.
    for s in [&mut cpu, &mut gpu] {
        let update =
            RunUpdate { frozen: Some(vec![true, false]), group_lr_mult: Some(vec![1.0, 0.5]), ..Default::default() };
        s.update_run(0, update);
    }
    losses.0.extend(block_on(cpu.step(37)));
    losses.1.extend(block_on(gpu.step(37)));
    assert_eq!(gpu.backend_name().0, "webgpu", "stayed on the GPU: {:?}", gpu.fallback_reason());
    assert_close("losses", &losses.0, &losses.1);
    for run in 0..3 {
        assert_close(&format!("run {run} params"), cpu.params(run), gpu.params(run));
    }
    assert_eq!((cpu.status(2), gpu.status(2)), (RunStatus::Finished, RunStatus::Finished));
    assert!(losses.0[44 * 3 + 2].is_finite() && losses.0[45 * 3 + 2].is_nan(), "run 2 ends after 45 steps");
}

#[test]
fn phased_runs_train_alike_on_both_backends_with_sgd() {
    phased_parity(json!({"kind": "sgd", "momentum": 0.9, "weight_decay": 0.001}));
}

#[test]
fn phased_runs_train_alike_on_both_backends_with_adam() {
    phased_parity(json!({"kind": "adam", "betas": [0.9, 0.99], "weight_decay": 0.01}));
}

/// While a group is frozen its weights stay exactly as they were; training resumes after.
#[test]
fn a_frozen_phase_leaves_the_group_alone() {
    let constant = json!({"kind": "Constant", "lr": 0.01});
    let phases = vec![vec![
        phase(Some(6), constant.clone(), &[1.0, 1.0], &[false, false]),
        phase(Some(10), constant.clone(), &[1.0, 1.0], &[true, false]),
        phase(None, constant, &[1.0, 1.0], &[false, false]),
    ]];
    for on_gpu in [false, true] {
        let mut s = session(config(json!({"kind": "adamw"}), phases.clone()), on_gpu);
        block_on(s.step(6));
        let lower = 0..2 * 16 + 16;
        let before = s.params(0)[lower.clone()].to_vec();
        block_on(s.step(10));
        assert_eq!(bits(&s.params(0)[lower.clone()]), bits(&before), "frozen (gpu: {on_gpu})");
        assert_eq!(s.phase(0), Some(2));
        block_on(s.step(1));
        assert_ne!(bits(&s.params(0)[lower]), bits(&before), "trains again (gpu: {on_gpu})");
    }
}

#[test]
fn snapshot_and_restore_round_trip_bit_exactly_on_both_backends() {
    for on_gpu in [false, true] {
        let mut s = session(config(json!({"kind": "adam"}), phased_runs()), on_gpu);
        block_on(s.step(10));
        let (params, snapshot) = (s.params(1).to_vec(), s.snapshot());
        let first = block_on(s.step(40));
        let after: Vec<Vec<f32>> = (0..3).map(|r| s.params(r).to_vec()).collect();
        s.stop_run(0);
        s.restore(&snapshot).unwrap();
        assert_eq!((s.steps_taken(), s.status(0), s.status(2)), (10, RunStatus::Training, RunStatus::Training));
        assert_eq!(bits(s.params(1)), bits(&params), "parameters back (gpu: {on_gpu})");
        let again = block_on(s.step(40));
        assert_eq!(bits(&again), bits(&first), "the same steps again (gpu: {on_gpu})");
        for (r, want) in after.iter().enumerate() {
            assert_eq!(bits(s.params(r)), bits(want), "run {r}: optimizer state restored too (gpu: {on_gpu})");
        }
    }
}

#[test]
fn a_snapshot_of_another_session_is_refused() {
    let small = session(config(json!({"kind": "sgd"}), phased_runs()[..1].to_vec()), false);
    let mut large = session(config(json!({"kind": "sgd"}), phased_runs()), false);
    let err = large.restore(&small.snapshot()).unwrap_err();
    assert_eq!(err.0, "was taken of another session (1 runs of 278 parameters; this one has 3 runs of 278)");
}

/// `config` with one run and `change` applied to its spec: another layout for the same session.
fn one_run_with(change: impl FnOnce(&mut Value)) -> Session {
    let mut spec = json!({
        "layers": [2, 16, 12, 2], "activation": "tanh", "optimizer": {"kind": "sgd", "momentum": 0.9},
        "data": {"kind": "spiral", "n": 200, "noise": 0.1, "seed": 5}, "batch_size": 16,
        "groups": [[0], [1, 2]], "runs": [{"seed": 10, "schedule": {"kind": "Constant", "lr": 0.05}}],
    });
    change(&mut spec);
    Session::new(options::parse(&spec).unwrap().config)
}

#[test]
fn a_snapshot_of_another_layout_with_the_same_counts_is_refused_and_changes_nothing() {
    let mut taken = one_run_with(|_| {});
    block_on(taken.step(3));
    let snapshot = taken.snapshot();
    let cases: [(fn(&mut Value), &str); 3] = [
        // 2-12-16-2 has 278 parameters too.
        (|s| s["layers"] = json!([2, 12, 16, 2]), "was taken from a 2-16-12-2 network, this session is 2-12-16-2"),
        (
            |s| s["groups"] = json!([[0, 1], [2]]),
            "was taken with layer groups [[0], [1, 2]], this session has [[0, 1], [2]]",
        ),
        (|s| s["optimizer"] = json!({"kind": "adam"}), "was taken with the sgd optimizer, this session uses adam"),
    ];
    for (change, message) in cases {
        let mut other = one_run_with(change);
        assert_eq!(other.mlp().param_count(), taken.mlp().param_count());
        block_on(other.step(2));
        let (params, counts) = (other.params(0).to_vec(), other.steps_taken());
        assert_eq!(other.restore(&snapshot).unwrap_err().0, message);
        assert_eq!((bits(other.params(0)), other.steps_taken()), (bits(&params), counts), "{message}: unchanged");
        assert!(block_on(other.step(2)).iter().all(|l| l.is_finite()), "{message}: still trains");
        assert_eq!(other.layer_stats(0).iter().filter(|s| s.lr.is_nan()).count(), 0, "{message}: no NaN rate");
    }
}

#[test]
fn a_stopped_run_takes_no_steps_and_an_update_revives_it() {
    let constant = || vec![phase(None, json!({"kind": "Constant", "lr": 0.05}), &[1.0, 1.0], &[false, false])];
    for on_gpu in [false, true] {
        let mut s = session(config(json!({"kind": "sgd"}), vec![constant(), constant()]), on_gpu);
        block_on(s.step(3));
        s.stop_run(1);
        let params = s.params(1).to_vec();
        let losses = block_on(s.step(5));
        assert!(
            losses.iter().skip(1).step_by(2).all(|l| l.is_nan()) && losses.iter().step_by(2).all(|l| l.is_finite())
        );
        assert_eq!((s.status(1), bits(s.params(1))), (RunStatus::Finished, bits(&params)));
        s.update_run(1, RunUpdate::default());
        assert_eq!(s.status(1), RunStatus::Training);
        assert!(block_on(s.step(1))[1].is_finite(), "gpu: {on_gpu}");
    }
}

/// Runs with their own `data_seed` see other batches; one whose seed equals the session's
/// sees the shared ones. Both backends agree with several row sets.
#[test]
fn runs_can_shuffle_their_own_batches() {
    let constant = || vec![phase(None, json!({"kind": "Constant", "lr": 0.05}), &[1.0, 1.0], &[false, false])];
    let config_with_seeds = |seeds: [Option<u64>; 3]| {
        let mut c = config(json!({"kind": "sgd", "momentum": 0.9}), vec![constant(), constant(), constant()]);
        for (run, seed) in c.runs.iter_mut().zip(seeds) {
            run.seed = 1;
            run.data_seed = seed;
        }
        c
    };
    let shared_seed = config_with_seeds([None; 3]).shuffle_seed;
    let seeds = [None, Some(shared_seed), Some(77)];
    let mut cpu = session(config_with_seeds(seeds), false);
    let mut gpu = session(config_with_seeds(seeds), true);
    // 40 steps of 16 from 160 training rows: four epochs, so reshuffling is covered too.
    let (c, g) = (block_on(cpu.step(40)), block_on(gpu.step(40)));
    assert_eq!(gpu.backend_name().0, "webgpu", "{:?}", gpu.fallback_reason());
    assert_close("losses", &c, &g);
    let run = |losses: &[f32], r: usize| bits(&losses.iter().skip(r).step_by(3).copied().collect::<Vec<_>>());
    assert_eq!(run(&c, 0), run(&c, 1), "the session's seed is the shared order");
    assert_ne!(run(&c, 0), run(&c, 2), "another seed, other batches");
}

#[test]
fn evaluating_parameter_points_equals_evaluating_the_runs() {
    let mut s = session(config(json!({"kind": "sgd"}), phased_runs()), false);
    block_on(s.step(20));
    let points: Vec<f32> = (0..3).flat_map(|r| s.params(r).to_vec()).collect();
    for (set, pick) in [(EvalSet::Train, 0), (EvalSet::Validation, 1)] {
        let points = block_on(s.evaluate_params(&points, set));
        for (r, point) in points.iter().enumerate() {
            let e = s.evaluate(r);
            let (loss, accuracy) =
                if pick == 0 { (e.train_loss, e.train_accuracy) } else { (e.validation_loss, e.validation_accuracy) };
            assert_eq!((point.loss.to_bits(), point.accuracy), (loss.to_bits(), accuracy), "run {r} on {set:?}");
        }
    }
}

/// On a GPU session the points go through the GPU evaluator: the same losses and accuracies.
#[test]
fn evaluating_parameter_points_on_the_gpu_equals_evaluating_the_runs() {
    let mut s = session(config(json!({"kind": "sgd"}), phased_runs()), true);
    block_on(s.step(20));
    let points: Vec<f32> = (0..3).flat_map(|r| s.params(r).to_vec()).collect();
    let got = block_on(s.evaluate_params(&points, EvalSet::Validation));
    assert_eq!(s.backend_name().0, "webgpu", "{:?}", s.fallback_reason());
    for (r, point) in got.iter().enumerate() {
        let e = s.evaluate(r);
        assert!((point.loss - e.validation_loss).abs() <= 1e-5 * e.validation_loss.abs().max(1.0), "run {r}");
        assert_eq!(point.accuracy, e.validation_accuracy, "run {r}");
    }
}

/// A phase with `reset_optimizer` trains on as a fresh optimizer would from the run's
/// parameters: run 0 resets at step 4 (inside a GPU block, at an epoch boundary of the
/// unshuffled 64 rows), and its next steps equal those of a new session started from its
/// parameters at step 4, bit for bit; without the reset they differ.
#[test]
fn a_reset_phase_steps_as_a_fresh_optimizer_does() {
    let x: Vec<f64> = (0..128).map(|i| ((i * 7 % 23) as f64 / 11.5 - 1.0) * 1.5).collect();
    let y: Vec<u32> = (0..64).map(|i| (i * 5 % 3 == 0) as u32).collect();
    let spec = |optimizer: &Value| {
        json!({
            "layers": [2, 16, 12, 2], "activation": "tanh", "optimizer": optimizer, "batch_size": 16,
            "shuffle": false, "data": {"x": x, "y": y, "features": 2},
            "groups": [[0], [1, 2]], "runs": [{"schedule": {"kind": "Constant"}}],
        })
    };
    let one_cycle = json!({"kind": "OneCycleLR", "max_lr": 0.05, "total_steps": 10});
    let first = phase(Some(4), json!({"kind": "Constant", "lr": 0.03}), &[1.0, 1.0], &[true, false]);
    let second =
        |reset_optimizer| Phase { reset_optimizer, ..phase(None, one_cycle.clone(), &[0.2, 1.0], &[false, false]) };
    let optimizers =
        [json!({"kind": "adam", "betas": [0.9, 0.99], "weight_decay": 0.01}), json!({"kind": "sgd", "momentum": 0.9})];
    for optimizer in &optimizers {
        for on_gpu in [false, true] {
            let trained = |phases: Vec<Phase>| {
                let mut config = options::parse(&spec(optimizer)).unwrap().config;
                config.runs[0].phases = phases;
                let mut s = session(config, on_gpu);
                let before = block_on(s.step(4));
                let at_reset = s.params(0).to_vec();
                let after = block_on(s.step(5));
                assert!(before.iter().chain(&after).all(|l| l.is_finite()));
                (at_reset, after, s.params(0).to_vec())
            };
            let (at_reset, reset_losses, reset_params) = trained(vec![first.clone(), second(true)]);
            let (_, kept_losses, kept_params) = trained(vec![first.clone(), second(false)]);
            let mut config = options::parse(&spec(optimizer)).unwrap().config;
            config.runs[0].phases = vec![second(false)];
            let mut fresh = session(config, on_gpu);
            fresh.set_params(0, &at_reset);
            let fresh_losses = block_on(fresh.step(5));
            let what = format!("{optimizer} (gpu: {on_gpu})");
            assert_eq!(bits(&reset_losses), bits(&fresh_losses), "{what}");
            assert_eq!(bits(&reset_params), bits(fresh.params(0)), "{what}");
            assert_ne!(bits(&kept_params), bits(&reset_params), "{what}: keeping the state trains otherwise");
            assert_eq!(bits(&kept_losses[..1]), bits(&reset_losses[..1]), "{what}: the same point at the reset");
        }
    }
}
