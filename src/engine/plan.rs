//! Block planning: for each step of a block, which rows every run trains on, and for each run
//! and group whether it updates and with what scalars. A session plans every block once and
//! hands the same plan to whichever backend trains, so the backends only follow it.

use crate::data::{Augment, Dataset};
use crate::limits::BLOCK_STEPS;

use super::batches::{epoch_of, BatchOrders};
use super::optimizer::{Optimizer, StepHyper};
use super::phases::{GroupStep, RunPlan};
use super::runs::{BlockPlan, Layout, TrainShape};

/// What a session's blocks are drawn from besides its runs: the batches (size, order,
/// augmentation) and the optimizer, whose update scalars every plan carries.
pub struct Planner {
    optimizer: Optimizer,
    batch: usize,
    orders: BatchOrders,
    augment: Option<Augment>,
}

/// The runs as a block starts: what the planner reads of them.
pub struct BlockStart<'a> {
    /// The block's first step.
    pub step: u64,
    pub plans: &'a [RunPlan],
    /// Per run, whether it still trains.
    pub live: Vec<bool>,
    /// Per run and group, the optimizer steps taken.
    pub counts: &'a [Vec<u64>],
}

/// A block plan and what it changes in the session once a backend has carried it out.
pub struct PlannedBlock {
    pub plan: BlockPlan,
    /// The step counts after the block.
    pub counts: Vec<Vec<u64>>,
    /// Per run, the step at which its phases ran out within the block.
    pub finished_at: Vec<Option<u64>>,
}

impl Planner {
    pub fn new(optimizer: Optimizer, batch: usize, orders: BatchOrders, augment: Option<Augment>) -> Self {
        Self { optimizer, batch, orders, augment }
    }

    /// The planner of `runs` new runs that all take run `run`'s batch order from its first batch.
    pub fn fork(&self, run: usize, runs: usize) -> Self {
        Self::new(self.optimizer, self.batch, self.orders.fork(run, runs), self.augment)
    }

    /// The shape every block of this planner has.
    pub fn shape(&self) -> TrainShape {
        TrainShape { batch: self.batch, row_sets: self.orders.row_sets(), augmented: self.augment.is_some() }
    }

    /// The next block's length from step `step` on the way to step `end`: at most
    /// `BLOCK_STEPS`, and ending where a phase that resets its run's optimizer state starts
    /// (so resets happen only at a block's start, where the CPU mirror holds the state).
    pub fn block_steps(plans: &[RunPlan], step: u64, end: u64) -> usize {
        let resets = plans.iter().filter_map(|plan| plan.next_reset_after(step));
        // A metric-driven run's rate changes only after an evaluation, which ends a block too.
        let evaluations = plans.iter().filter_map(|plan| plan.next_evaluation_after(step));
        resets.chain(evaluations).fold((end - step).min(BLOCK_STEPS as u64), |steps, t| steps.min(t - step)) as usize
    }

    /// Plans `steps` steps from `start`: every run's batch rows, and for each group that trains
    /// its update scalars, with step counts advanced on a copy the session takes once the block
    /// is done.
    pub fn plan(&mut self, layout: &Layout, train: &Dataset, start: BlockStart, steps: usize) -> PlannedBlock {
        let BlockStart { step, plans, mut live, counts } = start;
        let (runs, groups) = (plans.len(), layout.groups.len());
        let (n, batch) = (train.len(), self.batch);
        let mut counts = counts.to_vec();
        let mut finished_at = vec![None; runs];
        let mut plan = BlockPlan {
            steps,
            batch,
            row_sets: self.orders.row_sets(),
            rows: Vec::with_capacity(steps * self.orders.row_sets() * batch),
            takes_step: Vec::with_capacity(steps * runs),
            updates: Vec::with_capacity(steps * runs * groups),
            lowest_layer: layout.mlp.linear_count(),
            augmented: None,
        };
        let mut now = vec![GroupStep { lr: 0.0, momentum: None, frozen: true }; groups];
        for s in 0..steps {
            let t = step + s as u64;
            self.orders.append_rows(n, batch, t, &mut plan.rows);
            for r in 0..runs {
                if live[r] && !plans[r].groups_at(t, &mut now) {
                    live[r] = false;
                    finished_at[r] = Some(t);
                }
                plan.takes_step.push(live[r]);
                for (g, group) in now.iter().enumerate() {
                    let trains = live[r] && !group.frozen;
                    if trains {
                        plan.lowest_layer = plan.lowest_layer.min(layout.groups[g].linears.start);
                    }
                    let hyper = StepHyper { lr: group.lr, momentum: group.momentum };
                    plan.updates.push(trains.then(|| self.optimizer.coefficients(hyper, &mut counts[r][g])));
                }
            }
        }
        if let Some(augment) = &self.augment {
            plan.augmented = Some(augmented_rows(augment, train, step, &mut plan));
        }
        PlannedBlock { plan, counts, finished_at }
    }
}

/// The block's batch rows transformed as their epochs draw them (the block starts at `step`),
/// one row per entry of `plan.rows`, which become indices into them: both backends read the
/// same prepared rows.
fn augmented_rows(augment: &Augment, train: &Dataset, step: u64, plan: &mut BlockPlan) -> Dataset {
    let mut rows = train.select(&plan.rows);
    let per_step = plan.row_sets * plan.batch;
    let features = train.features;
    for (k, (&index, out)) in plan.rows.iter().zip(rows.x.chunks_exact_mut(features)).enumerate() {
        let epoch = epoch_of(train.len(), plan.batch, step + (k / per_step) as u64);
        augment.transform(train.row(index as usize), index, epoch, out);
    }
    plan.rows = (0..plan.rows.len() as u32).collect();
    rows
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::data::Targets;
    use crate::engine::Phase;
    use crate::model::{Activation, Loss, Mlp};
    use crate::schedule::Schedule;

    fn phase(steps: Option<u64>, reset_optimizer: bool) -> Phase {
        let schedule = Arc::new(Schedule::from_spec(&json!({"kind": "Constant", "lr": 0.1})).unwrap());
        Phase { steps, schedule, group_lr_mult: vec![1.0, 1.0], frozen: vec![false, false], reset_optimizer }
    }

    #[test]
    fn a_plan_says_who_trains_with_what() {
        let layout = Layout::new(
            Mlp { layers: vec![2, 3, 2], activation: Activation::Relu, loss: Loss::CrossEntropy },
            &[vec![0], vec![1]],
        );
        let train = Dataset {
            features: 2,
            x: vec![0.5; 8],
            targets: Targets::Classes { labels: vec![0, 1, 0, 1], n_classes: 2 },
        };
        let optimizer = Optimizer::Sgd { momentum: 0.0, dampening: 0.0, nesterov: false, weight_decay: 0.0 };
        let mut planner = Planner::new(optimizer, 2, BatchOrders::new(false, 0, &[None, None]), None);
        let frozen_body = Phase { frozen: vec![true, false], ..phase(None, false) };
        let plans = [RunPlan::new(vec![frozen_body]), RunPlan::new(vec![phase(Some(1), false)])];
        let start = BlockStart { step: 0, plans: &plans, live: vec![true, true], counts: &[vec![0, 0], vec![0, 0]] };
        let PlannedBlock { plan, finished_at, .. } = planner.plan(&layout, &train, start, 2);
        assert_eq!(plan.rows, [0, 1, 2, 3], "one shared row set of 2 rows a step");
        assert_eq!(plan.takes_step, [true, true, true, false], "run 1's phases end after one step");
        assert_eq!(finished_at, [None, Some(1)]);
        let trains: Vec<bool> = plan.updates.iter().map(Option::is_some).collect();
        assert_eq!(trains, [false, true, true, true, false, true, false, false]);
        assert_eq!(plan.updates[1].map(|c| c.lr), Some(0.1));
        assert_eq!(plan.lowest_layer, 0, "run 1 trains layer 0 in the block's first step");
    }

    #[test]
    fn blocks_end_at_the_block_size_the_goal_or_an_optimizer_reset() {
        let plans =
            [RunPlan::new(vec![phase(None, false)]), RunPlan::new(vec![phase(Some(40), false), phase(None, true)])];
        assert_eq!(Planner::block_steps(&plans, 0, 100), BLOCK_STEPS);
        assert_eq!(Planner::block_steps(&plans, 0, 5), 5);
        assert_eq!(Planner::block_steps(&plans, 32, 100), 8, "the reset at step 40 starts a block");
        assert_eq!(Planner::block_steps(&plans, 40, 100), BLOCK_STEPS);
    }
}
