//! Transfer learning end to end on the CPU path: pretrain on task A (an 8-arm spiral), carry
//! its body over as `init_params` to task B (a turned 3-arm spiral with few rows), fine-tune it
//! frozen then unfrozen beside a from-scratch run of the same seed, and compare them on
//! validation loss at the same budget of steps. Also what the pieces promise: frozen layers
//! keep their bits, precompute changes no result, augmentation is seeded per row and epoch and
//! never touches validation.

use crate::support::bits;
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
        "layers": [2, 32, 32, 8], "activation": "relu", "optimizer": {"kind": "adam"}, "batch_size": 32,
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
        "layers": [2, 32, 32, 3], "activation": "relu", "optimizer": {"kind": "adam"}, "batch_size": 16,
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

/// Task A's body after `steps` steps, checked to have learnt something.
fn pretrained_body(seed: u64, steps: u64) -> Vec<f32> {
    let mut a = session(task_a(seed));
    block_on(a.step(steps));
    let accuracy = a.evaluate(0).validation_accuracy.unwrap_or(0.0);
    eprintln!("task A (seed {seed}, {steps} steps): validation accuracy {accuracy:.3}");
    assert!(accuracy > 0.4, "task A learns (8 classes, chance 0.125): {accuracy}");
    a.params(0)[..BODY].to_vec()
}

#[test]
fn fine_tuning_a_pretrained_body_against_scratch() {
    const FROZEN: u64 = 100;
    const BUDGET: u64 = 300;
    let body = pretrained_body(1, 800);
    let mut report = Vec::new();
    for seed in [1, 2, 3] {
        let mut b = session(task_b(seed, &body, FROZEN));
        assert_eq!(b.params(1)[..BODY], body[..]);
        assert_eq!(b.params(1)[BODY..], b.params(0)[BODY..], "the head starts as the scratch run's");
        // Validation loss every 50 steps, [scratch, fine-tuned].
        let mut curve = Vec::new();
        while b.steps_taken() < BUDGET {
            block_on(b.step(50));
            if b.steps_taken() == FROZEN {
                assert_eq!(b.params(1)[..BODY], body[..], "the frozen body keeps its bits");
            }
            curve.push([0, 1].map(|r| b.evaluate(r).validation_loss));
        }
        let accuracy = [0, 1].map(|r| b.evaluate(r).validation_accuracy.unwrap_or(0.0));
        let best = [0, 1].map(|r| curve.iter().map(|c| c[r]).fold(f32::INFINITY, f32::min));
        let last = curve[curve.len() - 1];
        eprintln!(
            "task B seed {seed}, {BUDGET} steps: validation loss scratch {:.4} / fine-tuned {:.4} (best on the way {:.4} / {:.4}), accuracy {:.3} / {:.3}",
            last[0], last[1], best[0], best[1], accuracy[0], accuracy[1]
        );
        report.push((last, best));
    }
    // At the fixed budget, and at the best point of each curve: scratch overfits 100 rows,
    // the pretrained body generalises from its 8-arm task.
    for (seed, (last, best)) in report.iter().enumerate() {
        assert!(last[1] < last[0], "seed {}: fine-tuned {} vs scratch {} at the budget", seed + 1, last[1], last[0]);
        assert!(best[1] < best[0], "seed {}: fine-tuned {} vs scratch {} at best", seed + 1, best[1], best[0]);
    }
}

/// Losses and parameters as bits (NaN equal to NaN).
/// A 2-16-16-16-3 network in three groups; run 0 freezes its body, unfreezes it, then freezes
/// less and more again (each change of what is frozen, or of the frozen layers' values, must
/// make the precomputed outputs anew); run 1 has its own batch order and is never frozen.
fn precompute_options(precompute: bool) -> Value {
    let constant = adam(0.02);
    json!({
        "layers": [2, 16, 16, 16, 3], "activation": "gelu", "optimizer": {"kind": "adam"}, "batch_size": 8,
        "groups": [[0, 1], [2], [3]], "precompute": precompute,
        "data": {"kind": "spiral", "arms": 3, "n": 120, "noise": 0.1, "seed": 4},
        "runs": [
            {"seed": 1, "phases": [
                {"steps": 15, "schedule": constant, "frozen": [true, true, false]},
                {"steps": 10, "schedule": constant, "frozen": [true, false, false]},
                {"steps": 10, "schedule": constant},
                {"steps": 15, "schedule": constant, "frozen": [true, true, false]},
                {"schedule": constant, "frozen": [true, false, false]},
            ]},
            {"seed": 2, "data_seed": 7, "schedule": constant},
            {"seed": 3, "schedule": constant, "frozen": [true, true, false]},
        ],
    })
}

#[test]
fn precompute_changes_no_bit() {
    let trained: Vec<(Vec<u32>, Vec<Vec<u32>>)> = [true, false]
        .into_iter()
        .map(|precompute| {
            let mut s = session(precompute_options(precompute));
            let mut losses = block_on(s.step(40));
            // New values under a frozen body (a caller's setParams) and a restored snapshot.
            let snapshot = s.snapshot();
            let moved: Vec<f32> = s.params(2).iter().map(|p| p * 0.9).collect();
            s.set_params(2, &moved);
            losses.extend(block_on(s.step(20)));
            s.restore(&snapshot).unwrap();
            losses.extend(block_on(s.step(30)));
            (bits(&losses), (0..s.run_count()).map(|r| bits(s.params(r))).collect())
        })
        .collect();
    assert_eq!(trained[0], trained[1]);
}

/// Every group frozen, no shuffle, one batch of every training row a step: each step is an
/// epoch over the same rows and the same parameters, so its loss says what the rows were.
fn frozen_epochs(augment: Value) -> Value {
    json!({
        "layers": [2, 8, 2], "activation": "tanh", "batch_size": 80, "shuffle": false,
        "data": {"kind": "moons", "n": 100, "noise": 0.1, "seed": 1, "augment": augment},
        "runs": [{"seed": 1, "schedule": adam(0.1), "frozen": [true, true]}],
    })
}

#[test]
fn augmentation_is_drawn_per_epoch_from_its_seed() {
    let losses = |augment: Value| block_on(session(frozen_epochs(augment)).step(4));
    let plain = losses(Value::Null);
    assert!(plain.iter().all(|&l| l == plain[0]), "no augmentation: the same rows every epoch {plain:?}");
    let augment = json!({"rotate": 30, "jitter": 0.1, "flip": true, "seed": 3});
    let augmented = losses(augment.clone());
    assert_eq!(bits(&augmented), bits(&losses(augment)), "the same seed, the same transforms");
    for (e, l) in augmented.iter().enumerate() {
        assert!(augmented[..e].iter().all(|earlier| earlier != l), "epoch {e} draws afresh: {augmented:?}");
        assert_ne!(*l, plain[0]);
    }
    let other = losses(json!({"rotate": 30, "jitter": 0.1, "flip": true, "seed": 4}));
    assert!(other.iter().zip(&augmented).all(|(a, b)| a != b), "another seed, other transforms");
}

#[test]
fn validation_rows_are_never_augmented() {
    let (plain, augmented) = (
        session(frozen_epochs(Value::Null)),
        session(frozen_epochs(json!({"rotate": 90, "jitter": 0.5, "flip": true}))),
    );
    let mut augmented = augmented;
    block_on(augmented.step(3));
    let (p, a) = (plain.evaluate(0), augmented.evaluate(0));
    assert_eq!(a.validation_loss.to_bits(), p.validation_loss.to_bits());
    assert_eq!(a.validation_accuracy, p.validation_accuracy);
    assert_eq!(augmented.data(), plain.data(), "the session's data stay as generated");
}

#[test]
fn init_params_are_refused_by_name() {
    let mut spec = task_b(1, &[0.0; BODY], 10);
    spec["runs"][1]["init_params"] = json!(vec![0.0; BODY + 1]);
    let e = options::parse(&spec).err().unwrap();
    assert_eq!(e.field, "runs[1].init_params");
    assert_eq!(
        e.to_string(),
        "runs[1].init_params: must hold the parameters of the first 1 to 3 Linear layers, one of 96, 1152, 1251 values, got 1153"
    );
}
