//! The contract on the CPU alone, and (natively, on lavapipe) what a lost device leaves behind.

use super::*;
use crate::data::Targets;
use crate::engine::optimizer::StepHyper;
use crate::engine::runs::STATE_SECTIONS;
use crate::model::{Activation, Loss, Mlp};

const RUNS: usize = 2;
const STEPS: usize = 3;

fn layout() -> Layout {
    let mlp = Mlp { layers: vec![2, 4, 2], activation: Activation::Tanh, loss: Loss::CrossEntropy };
    Layout::new(mlp, &[vec![0], vec![1]])
}

fn sgd() -> Optimizer {
    Optimizer::Sgd { momentum: 0.9, dampening: 0.0, nesterov: false, weight_decay: 0.0 }
}

/// Eight rows of two features, labelled by the sign of their sum.
fn train() -> Dataset {
    let x: Vec<f32> = (0..16).map(|i| ((i * 7 % 11) as f32 - 5.0) / 4.0).collect();
    let labels = x.chunks_exact(2).map(|row| (row[0] + row[1] > 0.0) as u32).collect();
    Dataset { features: 2, x, targets: Targets::Classes { labels, n_classes: 2 } }
}

fn initial(layout: &Layout) -> Vec<Vec<f32>> {
    let p = layout.mlp.param_count();
    (0..RUNS).map(|r| (0..p).map(|i| ((i * 5 + r * 3) % 7) as f32 / 7.0 - 0.4).collect()).collect()
}

fn backends() -> Backends {
    let layout = layout();
    let initial = initial(&layout);
    Backends::new(layout, sgd(), initial, false)
}

/// `STEPS` steps of both runs on batches of 4 rows; group 0 is frozen for run 1.
fn plan() -> BlockPlan {
    let mut counts = vec![vec![0u64; 2]; RUNS];
    let mut updates = Vec::new();
    for _ in 0..STEPS {
        for (r, count) in counts.iter_mut().enumerate() {
            for (g, steps) in count.iter_mut().enumerate() {
                let trains = !(r == 1 && g == 0);
                updates.push(trains.then(|| sgd().coefficients(StepHyper { lr: 0.1, momentum: None }, steps)));
            }
        }
    }
    BlockPlan {
        steps: STEPS,
        batch: 4,
        row_sets: 1,
        rows: (0..STEPS as u32 * 4).map(|k| k % 8).collect(),
        takes_step: vec![true; STEPS * RUNS],
        updates,
        lowest_layer: 0,
        augmented: None,
    }
}

#[test]
fn the_cpu_alone_trains_a_planned_block() {
    let mut backends = backends();
    assert_eq!(backends.name(), ("cpu", None));
    let before = backends.mirror().params(1).to_vec();
    let losses = pollster::block_on(backends.train_block(&plan(), &train()));
    assert_eq!(losses.len(), STEPS * RUNS);
    assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
    let after = backends.mirror().params(1);
    let frozen = layout().groups[0].params.clone();
    assert_eq!(after[frozen.clone()], before[frozen.clone()], "run 1's frozen group kept its weights");
    assert_ne!(after[frozen.end..], before[frozen.end..], "run 1's other group trained");
    assert_eq!(backends.fallback_reason(), None);
}

#[test]
fn writing_a_run_changes_that_run_only() {
    let mut backends = backends();
    pollster::block_on(backends.train_block(&plan(), &train()));
    let (state, other) = (backends.mirror().export_run(0), backends.mirror().export_run(1));
    let p = layout().mlp.param_count();
    assert_eq!(state.len(), STATE_SECTIONS * p);
    assert!(state[2 * p..3 * p].iter().any(|&m| m != 0.0), "SGD's momentum buffer is in the third section");

    backends.write_run(0, RunWrite::FreshOptimizer);
    let fresh = backends.mirror().export_run(0);
    assert_eq!(fresh[..p], state[..p], "the parameters stay");
    assert!(fresh[2 * p..4 * p].iter().all(|&m| m == 0.0), "both moments start afresh");

    backends.write_run(0, RunWrite::State(&state));
    assert_eq!(backends.mirror().export_run(0), state, "a state goes back bit for bit");

    let params = vec![0.25; p];
    backends.write_run(0, RunWrite::Params(&params));
    assert_eq!(backends.mirror().params(0), params);
    assert_eq!(backends.mirror().params_before_last_step(0), params);
    assert_eq!(backends.mirror().export_run(1), other, "run 1 is untouched");
}

#[test]
fn points_evaluate_as_their_runs_do_and_forks_start_from_given_parameters() {
    let (mut backends, train) = (backends(), train());
    let points: Vec<f32> = (0..RUNS).flat_map(|r| backends.mirror().params(r).to_vec()).collect();
    let evaluations = pollster::block_on(backends.evaluate_points(&points, EvalSet::Train, &train));
    let runs: Vec<PointEvaluation> = (0..RUNS).map(|r| backends.evaluate_run(r, &train)).collect();
    assert_eq!(evaluations, runs);
    assert!(runs[0].accuracy.is_some_and(|a| (0.0..=1.0).contains(&a)));

    let shape = TrainShape { batch: 4, row_sets: 1, augmented: false };
    backends.record_choice("Asked for the CPU path".into());
    let fork = backends.fork(vec![backends.mirror().params(1).to_vec(); 3], &train, shape);
    assert_eq!(fork.choice_reason(), Some("Asked for the CPU path"));
    assert_eq!(fork.mirror().run_count(), 3);
    assert_eq!(fork.mirror().params(2), backends.mirror().params(1));
    assert_eq!((fork.name(), fork.fallback_reason()), (("cpu", None), None));
}

#[test]
fn a_recorded_fallback_is_reported() {
    let mut backends = backends();
    backends.record_fallback("no GPU adapter: none here".into());
    assert_eq!(backends.fallback_reason(), Some("no GPU adapter: none here"));
    assert_eq!(backends.name(), ("cpu", None));
}

/// A device lost before a block: the block trains on the CPU from the mirror's state, exactly as
/// a CPU-only twin trains it, and the reason is kept.
#[test]
fn a_lost_device_falls_back_to_the_cpu_from_the_blocks_start() {
    let (mut on_device, mut on_cpu, train) = (backends(), backends(), train());
    let gpu = pollster::block_on(Gpu::new()).expect("a Vulkan adapter (lavapipe)");
    let shape = TrainShape { batch: 4, row_sets: 1, augmented: false };
    on_device.attach(gpu, &train, shape).expect("a tiny network fits");
    assert_eq!(on_device.name().0, "webgpu");
    on_device.lose_device();
    let losses = pollster::block_on(on_device.train_block(&plan(), &train));
    assert_eq!(on_device.name(), ("cpu", None));
    assert!(on_device.fallback_reason().is_some_and(|why| why.contains("lost")), "{:?}", on_device.fallback_reason());
    let reason = on_device.choice_reason().unwrap_or_default();
    assert!(reason.starts_with("Moved to the CPU path: ") && reason.contains("lost"), "{reason}");
    let expected = pollster::block_on(on_cpu.train_block(&plan(), &train));
    assert_eq!(losses, expected);
    assert_eq!(on_device.mirror().export_run(1), on_cpu.mirror().export_run(1));
}
