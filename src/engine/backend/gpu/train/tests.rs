//! The trainer's two paths on lavapipe: which one a network gets, how many dispatches a block
//! takes on each, and that they train to the same numbers.

use super::*;
use crate::data::Targets;
use crate::engine::optimizer::StepHyper;
use crate::model::{Activation, Loss};

const RUNS: usize = 3;
const STEPS: usize = 7;
const BATCH: usize = 16;

fn mlp(layers: Vec<usize>) -> Mlp {
    Mlp { layers, activation: Activation::Tanh, loss: Loss::CrossEntropy }
}

fn sgd() -> Optimizer {
    Optimizer::Sgd { momentum: 0.9, dampening: 0.0, nesterov: false, weight_decay: 0.0 }
}

/// 64 rows of two features, labelled by the sign of their product.
fn train() -> Dataset {
    let x: Vec<f32> = (0..128).map(|i| ((i * 37 % 101) as f32 - 50.0) / 25.0).collect();
    let labels = x.chunks_exact(2).map(|row| (row[0] * row[1] > 0.0) as u32).collect();
    Dataset { features: 2, x, targets: Targets::Classes { labels, n_classes: 2 } }
}

/// `STEPS` steps of every run; run 1 keeps group 0 (layer 0) frozen, and with `body_frozen` every
/// run does, so the backward pass stops at layer 1.
fn plan(layout: &Layout, body_frozen: bool) -> BlockPlan {
    let groups = layout.groups.len();
    let mut counts = vec![vec![0u64; groups]; RUNS];
    let mut updates = Vec::new();
    for _ in 0..STEPS {
        for (r, count) in counts.iter_mut().enumerate() {
            for (g, steps) in count.iter_mut().enumerate() {
                let trains = g > 0 || !(r == 1 || body_frozen);
                let hyper = StepHyper { lr: 0.05 * (r + 1) as f64, momentum: None };
                updates.push(trains.then(|| sgd().coefficients(hyper, steps)));
            }
        }
    }
    BlockPlan {
        steps: STEPS,
        batch: BATCH,
        row_sets: 1,
        rows: (0..(STEPS * BATCH) as u32).map(|k| k * 7 % 64).collect(),
        takes_step: vec![true; STEPS * RUNS],
        updates,
        lowest_layer: body_frozen as usize,
        augmented: None,
    }
}

fn trainer(layers: Vec<usize>, path: TrainPath) -> Option<(GpuTrainer, BlockPlan)> {
    let gpu = pollster::block_on(Gpu::new()).ok()?;
    // Group 0 is the first layer, group 1 the rest.
    let groups = [vec![0], (1..layers.len() - 1).collect()];
    let layout = Layout::new(mlp(layers), &groups);
    let p = layout.mlp.param_count();
    let states: Vec<Vec<f32>> = (0..RUNS)
        .map(|r| {
            let mut state = vec![0.0; STATE_SECTIONS * p];
            for (i, w) in state[..p].iter_mut().enumerate() {
                *w = ((i * 5 + r * 3) % 11) as f32 / 11.0 - 0.45;
            }
            state
        })
        .collect();
    let plan = plan(&layout, false);
    let shape = TrainShape { batch: BATCH, row_sets: 1, augmented: false };
    let mut trainer = GpuTrainer::new(gpu, layout, sgd(), &train(), shape, &states).ok()?;
    trainer.set_path(path);
    Some((trainer, plan))
}

#[test]
fn small_networks_take_the_fused_path_and_wide_ones_the_layered() {
    assert_eq!(TrainPath::for_network(&mlp(vec![2, 16, 16, 2]), 32), TrainPath::Fused, "the reference network");
    assert_eq!(TrainPath::for_network(&mlp(vec![2, 256, 256, 2]), 32), TrainPath::Layered, "65 792 weights a layer");
    assert_eq!(TrainPath::for_network(&mlp(vec![2, 16, 16, 2]), 512), TrainPath::Layered, "8 192 cells a layer");
    let widest_fused = FUSED_CELLS_PER_INVOCATION * WORKGROUP as usize;
    assert_eq!(TrainPath::for_network(&mlp(vec![2, 64, 2]), widest_fused / 64), TrainPath::Fused, "at the limit");
    assert_eq!(TrainPath::for_network(&mlp(vec![2, 64, 2]), widest_fused / 64 + 1), TrainPath::Layered);
}

#[test]
fn a_fused_block_is_one_dispatch_and_a_layered_one_about_ten_a_step() {
    let Some((fused, plan)) = trainer(vec![2, 16, 16, 2], TrainPath::Fused) else {
        return eprintln!("no adapter: skipped");
    };
    assert_eq!(fused.path(), TrainPath::Fused);
    let block = pollster::block_on(fused.train_block(&plan)).expect("the block trains");
    assert_eq!(block.dispatches, 1);
    let Some((layered, plan)) = trainer(vec![2, 16, 16, 2], TrainPath::Layered) else { return };
    let block = pollster::block_on(layered.train_block(&plan)).expect("the block trains");
    // Per step: 3 forward, the loss, 3 + 2 backward, the update.
    assert_eq!(block.dispatches, 10 * STEPS);
}

/// Both paths run each cell's arithmetic in the same order, so they agree to the bit, also when
/// the backward pass stops above layer 0.
#[test]
fn both_paths_train_to_the_same_numbers() {
    for layers in [vec![2, 16, 16, 2], vec![2, 40, 3], vec![2, 5, 9, 7, 2]] {
        let (Some((fused, trains_all)), Some((layered, _))) =
            (trainer(layers.clone(), TrainPath::Fused), trainer(layers.clone(), TrainPath::Layered))
        else {
            return eprintln!("no adapter: skipped");
        };
        let body_frozen = plan(&fused.setup.layout, true);
        for (block, plan) in [&trains_all, &trains_all, &body_frozen].into_iter().enumerate() {
            let a = pollster::block_on(fused.train_block(plan)).expect("the fused block trains");
            let b = pollster::block_on(layered.train_block(plan)).expect("the layered block trains");
            assert!(a.losses.iter().all(|l| l.is_finite()), "{layers:?}: {:?}", a.losses);
            assert_eq!(a.losses, b.losses, "{layers:?}, block {block}: losses");
            assert_eq!(a.states, b.states, "{layers:?}, block {block}: states");
        }
    }
}
