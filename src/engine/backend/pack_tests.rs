//! Runs trained in packs of `LANES` get the same bits as each run trained alone.

use super::cpu::CpuBackend;
use super::lanes::LANES;
use crate::data::{Dataset, Targets};
use crate::engine::optimizer::{Optimizer, StepHyper};
use crate::engine::runs::{BlockPlan, Layout};
use crate::model::{Activation, Loss, Mlp};

const STEPS: usize = 4;
/// Two full packs and a partial one, so every path runs.
const RUNS: usize = 2 * LANES + 3;
/// Not a multiple of eight: the batch sums' remainder is covered too.
const BATCH: usize = 13;

fn data(loss: Loss) -> Dataset {
    let x: Vec<f32> = (0..40).map(|i| ((i * 7 % 11) as f32 - 5.0) / 4.0).collect();
    let targets = match loss {
        Loss::CrossEntropy => Targets::Classes {
            labels: x.chunks_exact(2).map(|r| (r[0] * 3.0 + r[1]).abs() as u32 % 3).collect(),
            n_classes: 3,
        },
        Loss::Mse => Targets::Values { values: x.iter().map(|v| (v * 1.7).sin()).collect(), outputs: 2 },
    };
    Dataset { features: 2, x, targets }
}

/// Each run's own rate; runs 3 and 7 keep group 0 frozen (they pack apart from the others), and
/// run 5 stops after the first step.
fn plan(optimizer: Optimizer, runs: &[usize]) -> BlockPlan {
    let mut updates = Vec::new();
    let mut counts = vec![[0u64; 2]; RUNS];
    for s in 0..STEPS {
        for &r in runs {
            for (g, steps) in counts[r].iter_mut().enumerate() {
                let trains = !(g == 0 && (r == 3 || r == 7)) && (r != 5 || s == 0);
                let hyper = StepHyper { lr: 0.01 * (1.0 + r as f64), momentum: None };
                updates.push(trains.then(|| optimizer.coefficients(hyper, steps)));
            }
        }
    }
    BlockPlan {
        steps: STEPS,
        batch: BATCH,
        row_sets: 1,
        rows: (0..(STEPS * BATCH) as u32).map(|k| k * 3 % 20).collect(),
        takes_step: (0..STEPS).flat_map(|s| runs.iter().map(move |&r| r != 5 || s == 0)).collect(),
        updates,
        lowest_layer: 0,
        augmented: None,
    }
}

#[test]
fn packed_runs_match_runs_trained_alone_bit_for_bit() {
    let adam = Optimizer::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01, decoupled: false };
    let sgd = Optimizer::Sgd { momentum: 0.9, dampening: 0.0, nesterov: true, weight_decay: 0.0 };
    for activation in Activation::ALL {
        for (loss, outputs, optimizer) in [(Loss::CrossEntropy, 3, adam), (Loss::Mse, 2, sgd)] {
            let mlp = Mlp { layers: vec![2, 5, 4, outputs], activation, loss };
            let layout = Layout::new(mlp.clone(), &[vec![0], vec![1, 2]]);
            let initial: Vec<Vec<f32>> = (0..RUNS)
                .map(|r| (0..mlp.param_count()).map(|i| ((i * 5 + r * 3) % 13) as f32 / 13.0 - 0.45).collect())
                .collect();
            let train = data(loss);
            let all: Vec<usize> = (0..RUNS).collect();
            let mut together = CpuBackend::new(layout.clone(), optimizer, initial.clone());
            let losses = together.train_block(&plan(optimizer, &all), &train);
            for r in 0..RUNS {
                let mut alone = CpuBackend::new(layout.clone(), optimizer, vec![initial[r].clone()]);
                let own = alone.train_block(&plan(optimizer, &[r]), &train);
                let name = format!("{} / {}: run {r}", activation.name(), loss.name());
                let packed: Vec<u32> = (0..STEPS).map(|s| losses[s * RUNS + r].to_bits()).collect();
                assert_eq!(packed, own.iter().map(|l| l.to_bits()).collect::<Vec<_>>(), "{name}: losses");
                let bits = |state: Vec<f32>| state.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(together.export_run(r)), bits(alone.export_run(0)), "{name}: state");
            }
        }
    }
}
