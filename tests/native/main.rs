//! The native integration tests, one module per area, linked as one binary (one link step
//! instead of one per file): `cargo test --test native`, or one area with a filter, e.g.
//! `cargo test --test native plateau:: -- --nocapture`. The GPU modules run WGSL through wgpu's
//! Vulkan backend (lavapipe in CI). Property fuzzing has its own crate (`tests/fuzz_specs.rs`)
//! so that its long runs can build it alone under `--profile fuzz`.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../common/data_bits.rs"]
mod data_bits;
#[path = "../common/fixtures.rs"]
mod fixtures;
#[path = "../../benches/matmul/kernel.rs"]
mod matmul;
mod support;

mod architecture;
mod calibration;
mod code_export;
mod digits_training;
mod engine_phases;
mod extremes;
mod finder_fixtures;
mod finder_session;
mod gpu_eval;
mod gpu_native;
mod gpu_parity;
mod landscape;
mod modern_schedule_fixtures;
mod plan_fixtures;
mod plateau;
mod plateau_session;
mod schedule_fixtures;
mod surface_fixtures;
mod training_fixtures;
mod transfer_task;
mod typescript;
mod weights_fixtures;
