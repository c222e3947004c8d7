//! Copy as code for JavaScript: `exportCode`, `exportRunCode`, `exportPlanCode`, `exportTargets`.

use wasm_bindgen::prelude::*;

use super::convert::{self, optional_argument};
use super::to_js;
use crate::export;
use crate::spec::SpecError;

/// Python that gives `spec`'s rates step for step in `options.target`'s library (`pytorch`,
/// `transformers`, `timm`, `optax`, `keras`, `fastai`; default: the kind's own, PyTorch for
/// ULMFiT's and lr-playground's). Throws an `Error` with `field` (`target` where that library
/// cannot express the kind exactly; the message names those that can).
#[wasm_bindgen(js_name = exportCode)]
pub fn export_code(
    #[wasm_bindgen(unchecked_param_type = "ScheduleSpec")] spec: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions")] options: JsValue,
) -> Result<String, SpecError> {
    let spec = convert::argument(&spec, "spec")?;
    let options = optional_argument(&options, "options")?;
    export::export_schedule(&spec, &options)
}

/// Python for run `options.run` (default 0) of Session options `sessionOptions`: its optimizer,
/// its layer groups as param groups, and its phases (PyTorch only).
#[wasm_bindgen(js_name = exportRunCode)]
pub fn export_run_code(
    #[wasm_bindgen(unchecked_param_type = "SessionOptions")] session_options: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ExportRunOptions")] options: JsValue,
) -> Result<String, SpecError> {
    let session_options = convert::argument(&session_options, "sessionOptions")?;
    let options = optional_argument(&options, "options")?;
    export::export_run(&session_options, &options)
}

/// Python for a per-group plan (`planGroups`'s spec): fastai's own calls (the default) or PyTorch
/// param groups (`{target: "pytorch"}`).
#[wasm_bindgen(js_name = exportPlanCode)]
pub fn export_plan_code(
    #[wasm_bindgen(unchecked_param_type = "PlanSpec")] spec: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions")] options: JsValue,
) -> Result<String, SpecError> {
    let spec = convert::argument(&spec, "spec")?;
    let options = optional_argument(&options, "options")?;
    export::export_plan(&spec, &options)
}

/// The targets that can express schedule kind `kind`, e.g. `["pytorch", "timm", "optax", "keras"]`.
#[wasm_bindgen(js_name = exportTargets, unchecked_return_type = "ExportTarget[]")]
pub fn export_targets(kind: &str) -> Result<JsValue, SpecError> {
    to_js(&export::targets_for(kind))
}
