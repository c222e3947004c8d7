//! The copy-as-code cases (`tests/fixtures/code_export_cases.json`): each a schedule, a run or a
//! plan with export options, and the engine's snippet for it. Shared by the example that hands the
//! snippets to `tests/fixtures/gen_code_export.py` and the test that holds the recorded results.

use serde_json::Value;

use lr_playground::export::{export_plan, export_run, export_schedule};

pub const CASES_JSON: &str = include_str!("../fixtures/code_export_cases.json");

/// The engine's snippet for `case` (`{name, schedule | run | plan, options}`).
pub fn snippet(case: &Value) -> Result<String, String> {
    let options = &case["options"];
    let result = if let Some(spec) = case.get("schedule") {
        export_schedule(spec, options)
    } else if let Some(session) = case.get("run") {
        export_run(session, options)
    } else if let Some(spec) = case.get("plan") {
        export_plan(spec, options)
    } else {
        return Err("a case gives schedule, run or plan".into());
    };
    result.map_err(|e| e.to_string())
}
