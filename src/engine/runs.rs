//! What every backend needs to know about the runs: which parameters each layer group owns,
//! and, per step, the batch and each run's hyper-parameters.

use std::ops::Range;

use crate::model::{Mlp, Target};

use super::optimizer::StepHyper;

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

    /// Per Linear layer, whether its group is frozen.
    pub fn frozen_layers(&self, frozen_groups: &[bool]) -> Vec<bool> {
        (0..self.mlp.linear_count()).map(|l| frozen_groups[self.group_of(l)]).collect()
    }

    pub fn group_of(&self, linear: usize) -> usize {
        self.groups.iter().position(|g| g.linears.contains(&linear)).unwrap_or(0)
    }
}

/// One optimizer step for all runs: the shared batch, and per run its groups' hyper-parameters.
pub struct StepInput<'a> {
    pub x: &'a [f32],
    pub target: Target<'a>,
    /// `[run * groups + group]`; only the live runs' entries are read.
    pub hyper: &'a [StepHyper],
    /// `[run][group]`.
    pub frozen: &'a [Vec<bool>],
    /// Runs that still train (not diverged, schedule not over).
    pub live: &'a [bool],
}
