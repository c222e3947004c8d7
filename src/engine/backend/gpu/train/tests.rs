//! The trainer's two paths on lavapipe: which one a network gets on which adapter, how many
//! dispatches a block takes on each, and that they train to the same numbers.

use super::*;
use crate::data::Targets;
use crate::engine::optimizer::StepHyper;
use crate::model::{Activation, Loss, Mlp};

const RUNS: usize = 3;
const STEPS: usize = 7;
const BATCH: usize = 16;

fn mlp(layers: Vec<usize>) -> Mlp {
    Mlp { layers, activation: Activation::Tanh, loss: Loss::CrossEntropy }
}

/// A network, the loss it trains on (cross-entropy on classes, MSE on the class as a value)
/// and its batch.
struct Case {
    layers: Vec<usize>,
    loss: Loss,
    batch: usize,
}

impl Case {
    fn new(layers: Vec<usize>) -> Self {
        Self { layers, loss: Loss::CrossEntropy, batch: BATCH }
    }
}

fn sgd() -> Optimizer {
    Optimizer::Sgd { momentum: 0.9, dampening: 0.0, nesterov: false, weight_decay: 0.0 }
}

/// 64 rows of two features, labelled by the sign of their product (for MSE: that label one-hot).
fn train(loss: Loss) -> Dataset {
    let x: Vec<f32> = (0..128).map(|i| ((i * 37 % 101) as f32 - 50.0) / 25.0).collect();
    let labels: Vec<u32> = x.chunks_exact(2).map(|row| (row[0] * row[1] > 0.0) as u32).collect();
    let targets = match loss {
        Loss::CrossEntropy => Targets::Classes { labels, n_classes: 2 },
        Loss::Mse => {
            let values = labels.iter().flat_map(|&l| [(l == 0) as u32 as f32, l as f32]).collect();
            Targets::Values { values, outputs: 2 }
        }
    };
    Dataset { features: 2, x, targets }
}

/// `STEPS` steps of every run; run 1 keeps group 0 (layer 0) frozen, and with `body_frozen` every
/// run does, so the backward pass stops at layer 1.
fn plan(layout: &Layout, batch: usize, body_frozen: bool) -> BlockPlan {
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
        batch,
        row_sets: 1,
        rows: (0..(STEPS * batch) as u32).map(|k| k * 7 % 64).collect(),
        takes_step: vec![true; STEPS * RUNS],
        updates,
        lowest_layer: body_frozen as usize,
        augmented: None,
    }
}

/// A trainer of `case` on the default adapter, on the path it takes there unless `path` says.
fn trainer(case: &Case, path: Option<TrainPath>) -> Option<(GpuTrainer, BlockPlan)> {
    let gpu = pollster::block_on(Gpu::new()).ok()?;
    let mut layout = grouped_layout(case.layers.clone());
    layout.mlp.loss = case.loss;
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
    let plan = plan(&layout, case.batch, false);
    let shape = TrainShape { batch: case.batch, row_sets: 1, augmented: false };
    let mut trainer = GpuTrainer::new(gpu, layout, sgd(), &train(case.loss), shape, &states).ok()?;
    if let Some(path) = path {
        assert!(trainer.set_path(path), "{path:?} takes {:?}", case.layers);
    }
    Some((trainer, plan))
}

/// The layout `trainer` builds: group 0 is the first layer, group 1 the rest.
fn grouped_layout(layers: Vec<usize>) -> Layout {
    let groups = [vec![0], (1..layers.len() - 1).collect()];
    Layout::new(mlp(layers), &groups)
}

#[test]
fn small_steps_fit_the_fused_kernel_and_wide_ones_do_not() {
    let fits = |layers: Vec<usize>, batch| fused_fits(&grouped_layout(layers), batch);
    assert!(fits(vec![2, 16, 16, 2], 32), "the reference network");
    assert!(!fits(vec![2, 256, 256, 2], 32), "65 792 weights a layer");
    assert!(fits(vec![2, 16, 16, 2], 512), "a batch of 512 rows");
    assert!(!fits(vec![2, 16, 16, 2], 1024), "a batch of 1 024");
    // 65 346 and 65 551 loop turns a step.
    assert!(fits(vec![2, 49, 49, 2], 79), "just within lavapipe's loop limit");
    assert!(!fits(vec![2, 49, 49, 2], 80), "just past it");
}

#[test]
fn the_fused_path_is_refused_where_a_step_does_not_fit() {
    let Some((mut trainer, _)) = trainer(&Case { batch: 80, ..Case::new(vec![2, 49, 49, 2]) }, None) else {
        return eprintln!("no adapter: skipped");
    };
    assert_eq!(trainer.path(), TrainPath::Layered, "the default");
    assert!(!trainer.set_path(TrainPath::Fused));
    assert_eq!(trainer.path(), TrainPath::Layered);
}

#[test]
fn a_fused_block_is_as_many_dispatches_as_lavapipe_lets_it_and_a_layered_step_about_ten() {
    // 5 607, 15 099 and 65 346 loop turns a step: 11, 4 and 1 steps a dispatch.
    let cases = [(Case::new(vec![2, 16, 16, 2]), 1), (Case { batch: 32, ..Case::new(vec![2, 31, 31, 2]) }, 2)];
    let near_limit = (Case { batch: 79, ..Case::new(vec![2, 49, 49, 2]) }, STEPS);
    for (case, dispatches) in cases.into_iter().chain([near_limit]) {
        let Some((fused, plan)) = trainer(&case, Some(TrainPath::Fused)) else {
            return eprintln!("no adapter: skipped");
        };
        let block = pollster::block_on(fused.train_block(&plan)).expect("the block trains");
        assert_eq!(block.dispatches, dispatches, "{:?} at batch {}", case.layers, case.batch);
    }
    let Some((layered, plan)) = trainer(&Case::new(vec![2, 16, 16, 2]), Some(TrainPath::Layered)) else { return };
    let block = pollster::block_on(layered.train_block(&plan)).expect("the block trains");
    // Per step: 3 forward, the loss, 3 + 2 backward, the update.
    assert_eq!(block.dispatches, 10 * STEPS);
}

/// Both paths run each tile's arithmetic in the same order, so they agree to the bit, also where
/// layers and batches are not whole tiles (the edge tiles' cells past them are not stored), when
/// the backward pass stops above layer 0, when a batch has more slots than the layered loss
/// kernel has invocations (each sums several before the tree), for either loss, when a fused
/// dispatch walks several steps, and when a step nearly fills lavapipe's loop limit (so
/// `fused_loop_turns` counts no fewer than it takes).
#[test]
fn both_paths_train_to_the_same_numbers() {
    let mut cases: Vec<Case> = [vec![2, 16, 16, 2], vec![2, 40, 3], vec![2, 5, 9, 7, 2]].map(Case::new).into();
    cases.push(Case { batch: 150, ..Case::new(vec![2, 9, 2]) });
    cases.push(Case { loss: Loss::Mse, batch: 150, ..Case::new(vec![2, 9, 2]) });
    // Four steps a dispatch, so a block of seven is two dispatches, the second one short.
    cases.push(Case { batch: 32, ..Case::new(vec![2, 31, 31, 2]) });
    cases.push(Case { batch: 79, ..Case::new(vec![2, 49, 49, 2]) });
    for case in cases {
        let (Some((fused, trains_all)), Some((layered, _))) =
            (trainer(&case, Some(TrainPath::Fused)), trainer(&case, Some(TrainPath::Layered)))
        else {
            return eprintln!("no adapter: skipped");
        };
        let layers = &case.layers;
        let body_frozen = plan(&fused.setup.layout, case.batch, true);
        for (block, plan) in [&trains_all, &trains_all, &body_frozen].into_iter().enumerate() {
            let a = pollster::block_on(fused.train_block(plan)).expect("the fused block trains");
            let b = pollster::block_on(layered.train_block(plan)).expect("the layered block trains");
            assert!(a.losses.iter().all(|l| l.is_finite()), "{layers:?}: {:?}", a.losses);
            assert_eq!(a.losses, b.losses, "{layers:?}, block {block}: losses");
            assert_eq!(a.states, b.states, "{layers:?}, block {block}: states");
        }
    }
}
