//! What every backend needs to know about the runs: which parameters each layer group owns,
//! and the plan of a block of steps (each step's batch rows, and who updates with what scalars).

use std::ops::Range;

use crate::data::Dataset;
use crate::model::Mlp;

use super::optimizer::Coefficients;

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
