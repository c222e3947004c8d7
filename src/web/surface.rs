//! Analytic surfaces for JavaScript: `surfaces()`, `surfaceGrid(options)`, `trajectory(spec)`,
//! `trajectories(specs)`, `escape(trajectory, options)` and `surfaceOptimizerFields()`.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::convert::{self, f64s, set};
use super::to_js;
use crate::spec::SpecError;
use crate::surface::{
    read_trajectory, surface_optimizer_fields_json, surfaces_json, EscapeQuery, GridSpec, Trajectory, TrajectorySpec,
};

/// `{x, y, loss, lr, state, steps}`: typed arrays, `state` "finished" or "diverged", `steps`
/// the updates taken (lr.length).
fn trajectory_object(t: &Trajectory) -> Result<JsValue, SpecError> {
    let out = Object::new();
    set(&out, "x", &f64s(&t.x))?;
    set(&out, "y", &f64s(&t.y))?;
    set(&out, "loss", &f64s(&t.loss))?;
    set(&out, "lr", &f64s(&t.lr))?;
    set(&out, "state", &JsValue::from_str(if t.diverged { "diverged" } else { "finished" }))?;
    set(&out, "steps", &JsValue::from(t.lr.len() as u32))?;
    Ok(out.into())
}

/// Every surface: `{name, title, formula, params, domain: {x, y}, view: {x, y}, start, minima, saddles}`.
#[wasm_bindgen(unchecked_return_type = "SurfaceInfo[]")]
pub fn surfaces() -> Result<JsValue, SpecError> {
    to_js(&surfaces_json())
}

/// The fields of each optimizer a trajectory takes (sgd, adam, adamw, rmsprop, adagrad), as
/// `Session.optionFields()` gives a session's: `{optimizer_kind, optimizers: {sgd: [...], ...}}`.
#[wasm_bindgen(js_name = surfaceOptimizerFields, unchecked_return_type = "SurfaceOptimizerFields")]
pub fn surface_optimizer_fields() -> Result<JsValue, SpecError> {
    to_js(&surface_optimizer_fields_json())
}

/// `{surface, x: [lo, hi], y: [lo, hi], nx, ny}` → `{values: Float64Array(nx · ny), nx, ny}`,
/// row-major from (x_lo, y_lo), x fastest, both ends of each range included.
#[wasm_bindgen(js_name = surfaceGrid, unchecked_return_type = "SurfaceGrid")]
pub fn surface_grid(
    #[wasm_bindgen(unchecked_param_type = "SurfaceGridOptions")] options: JsValue,
) -> Result<Object, SpecError> {
    let grid = GridSpec::parse(&convert::argument(&options, "options")?).map_err(|e| e.at_root("options"))?;
    let out = Object::new();
    set(&out, "values", &f64s(&grid.values()))?;
    set(&out, "nx", &JsValue::from(grid.nx as u32))?;
    set(&out, "ny", &JsValue::from(grid.ny as u32))?;
    Ok(out)
}

/// `{surface, start: [x, y], optimizer?, schedule, steps, noise?, seed?}` → `{x, y, loss, lr,
/// state, steps}`: `x[0], y[0]` the start, `x[t + 1]` after update t, `loss[t] = f(x[t], y[t])`,
/// `lr[t]` the rate of update t. A run that leaves the surface's domain (or turns non-finite)
/// stops there, `state` "diverged", its last point the first one outside.
#[wasm_bindgen(unchecked_return_type = "Trajectory")]
pub fn trajectory(
    #[wasm_bindgen(unchecked_param_type = "TrajectorySpec")] spec: JsValue,
) -> Result<JsValue, SpecError> {
    let spec = TrajectorySpec::parse(&convert::argument(&spec, "spec")?).map_err(|e| e.at_root("spec"))?;
    trajectory_object(&spec.run())
}

/// Several trajectories (at most 64, at most 10⁶ updates together); errors name the entry
/// (`specs[2].start[1]`).
#[wasm_bindgen(unchecked_return_type = "Trajectory[]")]
pub fn trajectories(
    #[wasm_bindgen(unchecked_param_type = "TrajectorySpec[]")] specs: JsValue,
) -> Result<Array, SpecError> {
    let specs = TrajectorySpec::parse_list(&convert::argument(&specs, "specs")?).map_err(|e| e.within("specs"))?;
    let out = Array::new();
    for spec in &specs {
        out.push(&trajectory_object(&spec.run())?);
    }
    Ok(out)
}

/// The first index t at which (x[t], y[t]) is farther than `radius` from `center` and
/// `loss[t] < f(center) − delta` (`f` the `surface` given in `options`), or null.
/// `options`: `{center: [x, y], radius, delta = 0, surface}`.
#[wasm_bindgen(unchecked_return_type = "number | null")]
pub fn escape(
    #[wasm_bindgen(unchecked_param_type = "TrajectoryPoints")] trajectory: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EscapeOptions")] options: JsValue,
) -> Result<JsValue, SpecError> {
    let [x, y, loss] =
        read_trajectory(&convert::argument(&trajectory, "trajectory")?).map_err(|e| e.within("trajectory"))?;
    let query = EscapeQuery::parse(&convert::argument(&options, "options")?).map_err(|e| e.at_root("options"))?;
    // null, not undefined, for "never": the value the page and the README promise.
    Ok(query.first_escape(&x, &y, &loss).map_or(JsValue::NULL, |t| JsValue::from(t as u32)))
}
