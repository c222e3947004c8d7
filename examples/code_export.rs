//! Prints the engine's snippet for every copy-as-code case as JSON (`{"snippets": [{name, code}]}`),
//! for `tests/fixtures/gen_code_export.py` to run in the real libraries:
//! `cargo run --example code_export`.

#[path = "../tests/common/code_export.rs"]
mod code_export;

use serde_json::{json, Value};

fn main() -> Result<(), String> {
    let cases: Value = serde_json::from_str(code_export::CASES_JSON).map_err(|e| e.to_string())?;
    let mut snippets = Vec::new();
    for case in cases["cases"].as_array().ok_or("the cases file has no cases")? {
        let name = case["name"].as_str().unwrap_or("?");
        let code = code_export::snippet(case).map_err(|e| format!("{name}: {e}"))?;
        snippets.push(json!({"name": name, "code": code}));
    }
    println!("{}", json!({ "snippets": snippets }));
    Ok(())
}
