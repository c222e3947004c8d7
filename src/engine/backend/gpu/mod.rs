//! The GPU programs, one folder each with its WGSL beside the Rust that drives it: `train/`
//! trains every run for a block of steps in one submission, `evaluate/` computes the loss of
//! many parameter points. `program.rs` holds what they share. The device itself (`Gpu`, its
//! buffers, readback and pipelines) is `crate::gpu`, which the benches use too.

pub mod evaluate;
mod program;
pub mod train;

pub use evaluate::{GpuEvaluator, PointEval};
pub use train::GpuTrainer;
