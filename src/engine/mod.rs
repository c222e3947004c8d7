//! Training: R runs of one MLP in lockstep, with PyTorch's optimizers and per-group rates.

pub mod cpu;
pub mod gpu;
pub mod optimizer;
pub mod options;
pub mod runs;
pub mod session;

pub use optimizer::{Optimizer, StepHyper};
pub use session::{Evaluation, LayerStats, RunConfig, RunStatus, Session, SessionConfig};
