//! Snapshots: every run's state, with the layout that gives it meaning. A snapshot's floats
//! mean something only to a session of the same network, layer groups and optimizer kind, so
//! `restore` compares those before it copies anything and names the first difference.

use std::fmt::Write;

use super::{RunStatus, Session};
use crate::engine::backend::RunWrite;
use crate::engine::optimizer::Optimizer;
use crate::engine::phases::RunPlan;
use crate::engine::runs::{Layout, STATE_SECTIONS};

/// Everything that `restore` puts back: every run's parameters, optimizer state and step
/// counts, status and phases, and the session's step. Opaque to callers.
#[derive(Clone)]
pub struct Snapshot {
    step: u64,
    status: Vec<RunStatus>,
    plans: Vec<RunPlan>,
    counts: Vec<Vec<u64>>,
    /// Per run, in `STATE_SECTIONS` sections.
    states: Vec<Vec<f32>>,
    shape: StateShape,
}

/// What a run's state is laid out by: layer widths, which Linear layers each group holds
/// (optimizer step counts are per group), and the optimizer whose moments it holds.
#[derive(Clone, Debug, PartialEq)]
struct StateShape {
    layers: Vec<usize>,
    groups: Vec<Vec<usize>>,
    optimizer: &'static str,
}

impl StateShape {
    fn of(layout: &Layout, optimizer: Optimizer) -> Self {
        Self {
            layers: layout.mlp.layers.clone(),
            groups: layout.groups.iter().map(|g| g.linears.clone().collect()).collect(),
            optimizer: optimizer_kind(optimizer),
        }
    }

    /// The first way `self` (the snapshot's) differs from `session` (this session's), in words.
    fn difference(&self, session: &StateShape) -> Option<String> {
        if self.layers != session.layers {
            Some(format!(
                "was taken from a {} network, this session is {}",
                widths(&self.layers),
                widths(&session.layers)
            ))
        } else if self.groups != session.groups {
            Some(format!(
                "was taken with layer groups {}, this session has {}",
                groups(&self.groups),
                groups(&session.groups)
            ))
        } else if self.optimizer != session.optimizer {
            Some(format!("was taken with the {} optimizer, this session uses {}", self.optimizer, session.optimizer))
        } else {
            None
        }
    }
}

/// The optimizer's name as options spell it: Adam's and AdamW's moments mean the same, but the
/// kinds are told apart so that a snapshot never changes how a session decays its weights' history.
fn optimizer_kind(optimizer: Optimizer) -> &'static str {
    match optimizer {
        Optimizer::Sgd { .. } => "sgd",
        Optimizer::Adam { decoupled: false, .. } => "adam",
        Optimizer::Adam { decoupled: true, .. } => "adamw",
    }
}

/// `2-16-16-2`.
fn widths(layers: &[usize]) -> String {
    layers.iter().map(usize::to_string).collect::<Vec<_>>().join("-")
}

/// `[[0], [1, 2]]`, as the `groups` option writes them.
fn groups(groups: &[Vec<usize>]) -> String {
    let mut out = String::from("[");
    for (i, g) in groups.iter().enumerate() {
        let linears = g.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
        let _ = write!(out, "{}[{linears}]", if i > 0 { ", " } else { "" });
    }
    out + "]"
}

/// Why a snapshot does not fit a session.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotMismatch(pub String);

impl Session {
    fn state_shape(&self) -> StateShape {
        StateShape::of(self.layout(), self.backends.mirror().optimizer())
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            step: self.step,
            status: self.status.clone(),
            plans: self.plans.clone(),
            counts: self.counts.clone(),
            states: (0..self.plans.len()).map(|r| self.backends.mirror().export_run(r)).collect(),
            shape: self.state_shape(),
        }
    }

    /// Puts every run back exactly as `snapshot` found it (on the device too). A snapshot of
    /// another layout (runs, network, groups, optimizer) is refused and nothing changes.
    pub fn restore(&mut self, snapshot: &Snapshot) -> Result<(), SnapshotMismatch> {
        let params = self.mlp().param_count();
        let state_len = STATE_SECTIONS * params;
        if snapshot.states.len() != self.plans.len() || snapshot.states.iter().any(|s| s.len() != state_len) {
            let theirs = snapshot.states.first().map_or(0, |s| s.len() / STATE_SECTIONS);
            return Err(SnapshotMismatch(format!(
                "was taken of another session ({} runs of {theirs} parameters; this one has {} runs of {params})",
                snapshot.states.len(),
                self.plans.len(),
            )));
        }
        if let Some(difference) = snapshot.shape.difference(&self.state_shape()) {
            return Err(SnapshotMismatch(difference));
        }
        for (r, state) in snapshot.states.iter().enumerate() {
            self.backends.write_run(r, RunWrite::State(state));
        }
        self.step = snapshot.step;
        self.status = snapshot.status.clone();
        self.plans = snapshot.plans.clone();
        self.counts = snapshot.counts.clone();
        Ok(())
    }
}
