//! What every backend needs to know about the runs: which parameters each layer group owns,
//! how a run's state is laid out, the shape of every block, and the plan of a block of steps
//! (each step's batch rows, and who updates with what scalars).

use std::ops::Range;

use crate::data::Dataset;
use crate::limits::BLOCK_STEPS;
use crate::model::Mlp;

use super::optimizer::Coefficients;

/// A run's state is this many sections of P floats, in this order: parameters, gradients, first
/// moment (SGD's momentum buffer or Adam's exp_avg), second moment, and the parameters before
/// the last update. Both backends read and write a run so, and snapshots keep it so.
pub const STATE_SECTIONS: usize = 5;

/// A layer group: consecutive Linear layers that share a learning-rate multiplier and a frozen flag.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub linears: Range<usize>,
    /// The group's slice of the flat parameter vector (its layers are consecutive, so it is one range).
    pub params: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub mlp: Mlp,
    pub groups: Vec<Group>,
}

impl Layout {
    /// `groups` must already be validated: consecutive, in order, covering every Linear once.
    pub fn new(mlp: Mlp, groups: &[Vec<usize>]) -> Self {
        let groups = groups
            .iter()
            .map(|g| {
                let (first, last) = (g[0], g[g.len() - 1]);
                let end = mlp.bias_offset(last) + mlp.shape(last).1;
                Group { linears: first..last + 1, params: mlp.weight_offset(first)..end }
            })
            .collect();
        Self { mlp, groups }
    }

    pub fn group_of(&self, linear: usize) -> usize {
        self.groups.iter().position(|g| g.linears.contains(&linear)).unwrap_or(0)
    }
}

/// The batch shape every block of a session has: rows per batch, and row sets (1 when the runs
/// share batches).
#[derive(Clone, Copy, Debug)]
pub struct TrainShape {
    pub batch: usize,
    pub row_sets: usize,
    /// Blocks bring their own augmented rows (`BlockPlan::augmented`).
    pub augmented: bool,
}

impl TrainShape {
    /// Rows a block's batches hold at most: the augmented rows' slots.
    pub fn block_rows(&self) -> usize {
        BLOCK_STEPS * self.row_sets * self.batch
    }
}

/// A block of consecutive steps, planned once by the session and carried out by either backend:
/// which rows each step trains on, which groups of which runs update, and with what scalars.
/// Everything that decides who trains lives in this plan, so the backends only follow it.
pub struct BlockPlan {
    pub steps: usize,
    pub batch: usize,
    /// 1 when all runs see the same batches, else one row set per run.
    pub row_sets: usize,
    /// `[step][row set][batch]`: training-set rows, or with augmentation rows of `augmented`.
    pub rows: Vec<u32>,
    /// `[step][run]`: the run takes this step (computes its loss). A run that stops taking steps
    /// does not start again within the block, and one whose loss turns non-finite takes no
    /// further step in it.
    pub takes_step: Vec<bool>,
    /// `[step][run][group]`: the update's scalars, `None` where the group does not train.
    pub updates: Vec<Option<Coefficients>>,
    /// The lowest Linear layer any group trains in the block: the backward pass stops there.
    pub lowest_layer: usize,
    /// With augmentation: the block's transformed training rows, one per entry of `rows` in
    /// the same order (so `rows` counts 0, 1, 2, …), prepared once for either backend.
    pub augmented: Option<Dataset>,
}

impl BlockPlan {
    /// The rows of `run`'s batch at step `s` of the block.
    pub fn rows_of(&self, s: usize, run: usize) -> &[u32] {
        let set = run.min(self.row_sets - 1);
        let start = (s * self.row_sets + set) * self.batch;
        &self.rows[start..start + self.batch]
    }
}
