//! Training: R runs of one MLP in lockstep, with PyTorch's optimizers and per-group rates.

pub mod batches;
pub mod cpu;
pub mod gpu;
pub mod gpu_eval;
pub mod optimizer;
pub mod options;
pub mod phases;
pub mod runs;
pub mod session;

pub use optimizer::{Optimizer, StepHyper};
pub use phases::{Phase, RunConfig, RunUpdate};
pub use session::{EvalSet, Evaluation, LayerStats, PointEvaluation, RunStatus, Session, SessionConfig, Snapshot};
