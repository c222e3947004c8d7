//! Training: R runs of one MLP in lockstep, with PyTorch's optimizers and per-group rates.
//!
//! `session` keeps the runs (phases, status, snapshots, queries); `plan` draws each block of
//! steps; `backend` carries blocks out on the CPU or a GPU behind one contract; `runs` is what
//! both sides share (layer groups, the run-state layout, the block plan).

pub mod backend;
pub mod batches;
pub mod calibration;
pub mod optimizer;
pub mod options;
pub mod phases;
pub mod plan;
pub mod plateau;
pub mod runs;
pub mod session;

pub use backend::{EvalSet, PointEvaluation};
pub use optimizer::{Optimizer, StepHyper};
pub use phases::{Phase, RunConfig, RunUpdate};
pub use session::snapshot::Snapshot;
pub use session::{Evaluation, LayerStats, RunStatus, Session, SessionConfig};
