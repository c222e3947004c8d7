//! The network's loss landscape for JavaScript: `session.landscape(options)` and
//! `session.projectTrajectory(params, options)` (see `crate::landscape`).

use js_sys::{Array, Float32Array, Float64Array, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::convert::{self, set};
use super::Session;
use crate::engine::EvalSet;
use crate::fields::SpecError;
use crate::landscape::{self, GridLoss, LandscapeOptions, TrajectoryOptions};

fn busy() -> SpecError {
    convert::fieldless("Session: a step() is still running; await it first")
}

/// An optional options argument (`undefined`: every default).
fn options_argument(options: &JsValue) -> Result<serde_json::Value, SpecError> {
    if options.is_undefined() {
        Ok(serde_json::Value::Null)
    } else {
        convert::argument(options, "options")
    }
}

fn set_name(set: EvalSet) -> &'static str {
    match set {
        EvalSet::Train => "train",
        EvalSet::Validation => "validation",
    }
}

fn directions(d: &[Vec<f32>; 2]) -> JsValue {
    Array::of2(&Float32Array::from(&d[0][..]), &Float32Array::from(&d[1][..])).into()
}

fn pair(v: [f64; 2]) -> JsValue {
    Array::of2(&JsValue::from(v[0]), &JsValue::from(v[1])).into()
}

/// `loss`, `accuracy` (null for regression) and `set` onto `out`.
fn grid_values(out: &Object, values: &GridLoss, which: EvalSet) -> Result<(), SpecError> {
    set(out, "loss", &Float32Array::from(&values.loss[..]).into())?;
    let accuracy = values.accuracy.as_ref().map_or(JsValue::NULL, |a| Float32Array::from(&a[..]).into());
    set(out, "accuracy", &accuracy)?;
    set(out, "set", &JsValue::from_str(set_name(which)))
}

#[wasm_bindgen]
impl Session {
    /// The loss on a plane through run `run`'s parameters θ, spanned by two seeded Gaussian
    /// directions, filter-normalised (Li et al. 2018): `options` `{run = 0, grid = 25 (odd, 3..51),
    /// span = 1 (0 < span <= 100), seed = 0, set = "validation" (the training set when there are
    /// no validation rows) | "train", biases = false}`. Resolves to `{grid, span, coords:
    /// Float64Array(grid) (-span..span), loss: Float32Array(grid²), accuracy: Float32Array(grid²)
    /// | null, center_loss, directions: [Float32Array, Float32Array], set}`; point (i, j) is
    /// `loss[j * grid + i]` = loss at θ + coords[i]·d1 + coords[j]·d2. One `evaluateParams` pass.
    pub fn landscape(&self, options: JsValue) -> Result<Promise, SpecError> {
        let inner = self.shared();
        let prepared = {
            let engine = inner.try_borrow().map_err(|_| busy())?;
            let options = LandscapeOptions::parse(&options_argument(&options)?, engine.run_count())
                .map_err(|e| e.at_root("options"))?;
            landscape::prepare_landscape(&engine, &options)?
        };
        #[allow(clippy::await_holding_refcell_ref)]
        Ok(future_to_promise(async move {
            let mut engine = inner.try_borrow_mut().map_err(|_| JsValue::from(busy()))?;
            let l = prepared.evaluate(&mut engine).await;
            let out = Object::new();
            set(&out, "grid", &JsValue::from(l.grid as u32))?;
            set(&out, "span", &JsValue::from(l.span))?;
            set(&out, "coords", &Float64Array::from(&l.coords[..]).into())?;
            grid_values(&out, &l.values, l.set)?;
            set(&out, "center_loss", &JsValue::from(l.center_loss))?;
            set(&out, "directions", &directions(&l.directions))?;
            Ok(out.into())
        }))
    }

    /// A training path on its PCA plane (Li et al. 2018, section 7): `params` lists 2 to 1000
    /// snapshots θ_0..θ_n (Float32Arrays of this network's parameters, in order; the last is
    /// θ_final); `options` `{grid = 25, margin = 0.25, set = "validation" | "train"}`. Resolves to
    /// `{x, y: Float64Array(n+1) (each snapshot's coordinates on the two principal directions of
    /// θ_i − θ_final; θ_0's are <= 0), explained: [r1, r2], directions: [Float32Array,
    /// Float32Array], grid, x_range: [lo, hi], y_range: [lo, hi] (the path's extent, widened on
    /// each side by margin × its larger extent), loss: Float32Array(grid²), accuracy, set}`, the
    /// loss laid out as `landscape`'s over θ_final + x·d1 + y·d2.
    #[wasm_bindgen(js_name = projectTrajectory)]
    pub fn project_trajectory(&self, params: JsValue, options: JsValue) -> Result<Promise, SpecError> {
        let snapshots = convert::float32_arrays(&params, "params", landscape::check_snapshot_count)?;
        let options = TrajectoryOptions::parse(&options_argument(&options)?).map_err(|e| e.at_root("options"))?;
        let inner = self.shared();
        let prepared = landscape::prepare_projection(&*inner.try_borrow().map_err(|_| busy())?, &snapshots, &options)?;
        drop(snapshots);
        #[allow(clippy::await_holding_refcell_ref)]
        Ok(future_to_promise(async move {
            let mut engine = inner.try_borrow_mut().map_err(|_| JsValue::from(busy()))?;
            let p = prepared.evaluate(&mut engine).await;
            let out = Object::new();
            set(&out, "x", &Float64Array::from(&p.path.x[..]).into())?;
            set(&out, "y", &Float64Array::from(&p.path.y[..]).into())?;
            set(&out, "explained", &pair(p.path.explained))?;
            set(&out, "directions", &directions(&p.path.directions))?;
            set(&out, "grid", &JsValue::from(p.grid as u32))?;
            set(&out, "x_range", &pair(p.x_range))?;
            set(&out, "y_range", &pair(p.y_range))?;
            grid_values(&out, &p.values, p.set)?;
            Ok(out.into())
        }))
    }
}
