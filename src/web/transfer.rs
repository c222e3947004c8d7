//! Per-group plans for JavaScript: `planGroups(spec)` and `planMethods()`.

use js_sys::{Float64Array, Object, Uint8Array};
use wasm_bindgen::prelude::*;

use super::convert::{self, set};
use super::to_js;
use crate::spec::SpecError;
use crate::transfer::{self, Plan};

/// Every group's rate, momentum and trainable flag at every optimizer step of a fastai or ULMFiT
/// method (`spec`: `{method: "fit_one_cycle" | "fine_tune" | "gradual_unfreezing" | "fit_sgdr",
/// n_groups, steps_per_epoch, ...}`), as `{steps, n_groups, lr: Float64Array, momentum:
/// Float64Array, trainable: Uint8Array}` (row-major `[step][group]`; momentum NaN where the
/// method leaves it to the optimizer) and `phases`, ready for a Session's `runs[i].phases`.
/// Throws an `Error` naming the field (`lr_max.slice[0]`, `freeze_to`; `spec` for the spec itself).
#[wasm_bindgen(js_name = planGroups, unchecked_return_type = "GroupPlan")]
pub fn plan_groups(#[wasm_bindgen(unchecked_param_type = "PlanSpec")] spec: JsValue) -> Result<Object, SpecError> {
    let spec = convert::argument(&spec, "spec")?;
    let plan = Plan::from_spec(&spec).map_err(|e| e.at_root("spec"))?;
    let out = Object::new();
    set(&out, "steps", &JsValue::from(plan.steps as f64))?;
    set(&out, "n_groups", &JsValue::from(plan.n_groups as u32))?;
    set(&out, "lr", &Float64Array::from(&plan.lr[..]).into())?;
    set(&out, "momentum", &Float64Array::from(&plan.momentum[..]).into())?;
    let trainable: Vec<u8> = plan.trainable.iter().map(|&t| u8::from(t)).collect();
    set(&out, "trainable", &Uint8Array::from(&trainable[..]).into())?;
    set(&out, "phases", &to_js(&plan.phases)?)?;
    Ok(out)
}

/// Every plan method with its fields (type, default, range, log scale, description) and the
/// size limits.
#[wasm_bindgen(js_name = planMethods, unchecked_return_type = "PlanMethods")]
pub fn plan_methods() -> Result<JsValue, SpecError> {
    to_js(&transfer::methods_json())
}
