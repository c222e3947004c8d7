//! The package's TypeScript types, put at the top of `lr_playground.d.ts` by wasm-bindgen; the
//! exported functions name them with `unchecked_param_type` / `unchecked_return_type`.
//! `types/specs.d.ts` is written from the field tables (`tests/native/typescript.rs` keeps it
//! current); `types/api.d.ts` holds the results and the options without a table.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const SPECS: &str = include_str!("types/specs.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const API: &str = include_str!("types/api.d.ts");
