//! The JS API as a page or Node sees it, one module per area, linked as one binary:
//! `wasm-pack test --mode no-install --node` runs it in Node, and with WASM_BINDGEN_USE_BROWSER
//! in headless Chromium too. One area: `wasm-pack test --mode no-install --node -- --test web hostile::`.
//! The browser-only tests are their own crate (`tests/web_browser.rs`): `run_in_browser` is set
//! per crate.
#![cfg(target_arch = "wasm32")]

#[path = "../common/data_bits.rs"]
mod data_bits;
#[path = "../common/js.rs"]
mod js;

mod api;
mod finder;
mod hostile;
mod landscape;
mod memory;
mod plans;
mod session;
mod surface;
mod transfer;
mod weights;
