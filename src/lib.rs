//! lr-playground: see what a learning rate does to a neural network.
//!
//! The crate is both the engine (native and wasm) and, under `web`, its JavaScript API.

pub mod data;
pub mod engine;
pub mod export;
pub mod finder;
pub mod gpu;
pub mod landscape;
pub mod limits;
pub mod model;
pub mod rng;
pub mod schedule;
pub mod spec;
pub mod stats;
pub mod surface;
pub mod transfer;
#[cfg(target_arch = "wasm32")]
pub mod web;
