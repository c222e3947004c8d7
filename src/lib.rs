//! lr-playground: see what a learning rate does to a neural network.
//!
//! The crate is both the engine (native and wasm) and, under `web`, its JavaScript API.

pub mod schedule;
pub mod gpu;
#[cfg(target_arch = "wasm32")]
pub mod web;
