//! Runs trained side by side in a pack get the same bits as each trained alone.

use super::*;
use crate::data::Targets;
use crate::engine::optimizer::StepHyper;
use crate::engine::runs::Layout;
use crate::model::{Activation, Loss};

/// A pack of the widest width, one of `LANES`, and two runs beside them (one with its first
/// layer frozen, which trains alone).
const RUNS: usize = WIDEST + LANES + 2;
#[cfg(target_arch = "x86_64")]
const WIDEST: usize = super::avx512::WIDE_LANES;
#[cfg(not(target_arch = "x86_64"))]
const WIDEST: usize = LANES;
const STEPS: usize = 4;
/// Two row blocks and batch sums' partial sums or more, and not a multiple of either, so every
/// loop over them and every tail loop runs.
const BATCH: usize = 19;
const FROZEN_RUN: usize = RUNS - 1;

/// 24 rows of two features, three classes, and three target values per row.
fn train(loss: Loss) -> Dataset {
    let x: Vec<f32> = (0..48).map(|i| ((i * 7 % 11) as f32 - 5.0) / 4.0).collect();
    let targets = match loss {
        Loss::CrossEntropy => {
            let labels = x.chunks_exact(2).map(|row| ((row[0] - row[1]).abs() as u32).min(2)).collect();
            Targets::Classes { labels, n_classes: 3 }
        }
        Loss::Mse => Targets::Values { values: (0..72).map(|i| (i % 5) as f32 / 5.0 - 0.3).collect(), outputs: 3 },
    };
    Dataset { features: 2, x, targets }
}

/// `STEPS` steps of `runs` runs (the first of them run `first`) on the same batches; group 0
/// frozen for run `FROZEN_RUN`.
fn plan(optimizer: Optimizer, first: usize, runs: usize) -> BlockPlan {
    let mut counts = vec![vec![0u64; 2]; runs];
    let mut updates = Vec::new();
    for s in 0..STEPS {
        for (r, count) in counts.iter_mut().enumerate() {
            for (g, steps) in count.iter_mut().enumerate() {
                let trains = !(first + r == FROZEN_RUN && g == 0);
                let hyper = StepHyper { lr: 0.05 * (1 + s) as f64, momentum: None };
                updates.push(trains.then(|| optimizer.coefficients(hyper, steps)));
            }
        }
    }
    BlockPlan {
        steps: STEPS,
        batch: BATCH,
        row_sets: 1,
        rows: (0..(STEPS * BATCH) as u32).map(|k| k * 5 % 24).collect(),
        takes_step: vec![true; STEPS * runs],
        updates,
        lowest_layer: 0,
        augmented: None,
    }
}

fn bits(xs: &[f32]) -> Vec<u32> {
    xs.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn runs_in_a_pack_train_as_alone_bit_for_bit() {
    let optimizers = [
        Optimizer::Sgd { momentum: 0.9, dampening: 0.0, nesterov: true, weight_decay: 0.01 },
        Optimizer::Adam { beta1: 0.9, beta2: 0.99, eps: 1e-8, weight_decay: 0.01, decoupled: true },
    ];
    for activation in Activation::ALL {
        for loss in Loss::ALL {
            for optimizer in optimizers {
                let mlp = Mlp { layers: vec![2, 5, 3, 3], activation, loss };
                let layout = Layout::new(mlp.clone(), &[vec![0], vec![1, 2]]);
                let p = mlp.param_count();
                let initial: Vec<Vec<f32>> =
                    (0..RUNS).map(|r| (0..p).map(|i| ((i * 5 + r * 3) % 13) as f32 / 13.0 - 0.45).collect()).collect();
                let train = train(loss);
                let mut together = CpuBackend::new(layout.clone(), optimizer, initial.clone());
                let losses = together.train_block(&plan(optimizer, 0, RUNS), &train);
                let what = format!("{} / {} / {optimizer:?}", activation.name(), loss.name());
                assert!(losses.iter().all(|l| l.is_finite()), "{what}: {losses:?}");
                for (r, params) in initial.into_iter().enumerate() {
                    let mut alone = CpuBackend::new(layout.clone(), optimizer, vec![params]);
                    let alone_losses = alone.train_block(&plan(optimizer, r, 1), &train);
                    let pack_losses: Vec<f32> = losses.iter().skip(r).step_by(RUNS).copied().collect();
                    assert_eq!(bits(&pack_losses), bits(&alone_losses), "{what}: run {r}'s losses");
                    assert_eq!(bits(&together.export_run(r)), bits(&alone.export_run(0)), "{what}: run {r}'s state");
                }
            }
        }
    }
}
