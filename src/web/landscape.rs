//! The network's loss landscape for JavaScript: `session.landscape(options)` and
//! `session.projectTrajectory(params, options)` (see `crate::landscape`), and the plateau race,
//! `plateauRace(options, onProgress?)`.

use js_sys::{Array, Float32Array, Object, Promise};
use wasm_bindgen::prelude::*;

use super::backend::{backend_info, engine_on_backend};
use super::convert::{self, f64s, optional_argument, set};
use super::progress::Progress;
use super::session::{busy, on_engine, reserve_session};
use super::Session;
use super::{broken, memory};
use crate::engine::{EvalSet, Session as Engine};
use crate::landscape::plateau::{self, RaceResult, RaceSpec};
use crate::landscape::{self, GridLoss, LandscapeOptions, TrajectoryOptions, EVAL_SETS};
use crate::spec::{name_of, SpecError};

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
    set(out, "set", &JsValue::from_str(name_of(&EVAL_SETS, which)))
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
    #[wasm_bindgen(unchecked_return_type = "Promise<LandscapeResult>")]
    pub fn landscape(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "LandscapeOptions")] options: JsValue,
    ) -> Result<Promise, SpecError> {
        let prepared = {
            let engine = self.engine()?;
            let options = LandscapeOptions::parse(&optional_argument(&options, "options")?, engine.run_count())
                .map_err(|e| e.at_root("options"))?;
            reserve_grid(&engine, options.grid, "Session.landscape")?;
            landscape::prepare_landscape(&engine, &options)?
        };
        Ok(on_engine(self.shared(), busy(), async move |engine: &mut Engine| {
            let l = prepared.evaluate(engine).await;
            let out = Object::new();
            set(&out, "grid", &JsValue::from(l.grid as u32))?;
            set(&out, "span", &JsValue::from(l.span))?;
            set(&out, "coords", &f64s(&l.coords))?;
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
    #[wasm_bindgen(js_name = projectTrajectory, unchecked_return_type = "Promise<ProjectedTrajectory>")]
    pub fn project_trajectory(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array[]")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ProjectTrajectoryOptions")] options: JsValue,
    ) -> Result<Promise, SpecError> {
        let snapshots = convert::float32_arrays(&params, "params", landscape::check_snapshot_count)?;
        let options =
            TrajectoryOptions::parse(&optional_argument(&options, "options")?).map_err(|e| e.at_root("options"))?;
        let engine = self.engine()?;
        reserve_grid(&engine, options.grid, "Session.projectTrajectory")?;
        let prepared = landscape::prepare_projection(&engine, &snapshots, &options)?;
        drop(engine);
        drop(snapshots);
        Ok(on_engine(self.shared(), busy(), async move |engine: &mut Engine| {
            let p = prepared.evaluate(engine).await;
            let out = Object::new();
            set(&out, "x", &f64s(&p.path.x))?;
            set(&out, "y", &f64s(&p.path.y))?;
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

/// Refuses a grid² of parameter points past the engine's memory budget.
fn reserve_grid(engine: &Engine, grid: usize, what: &str) -> Result<(), SpecError> {
    memory::reserve(4 * grid * grid * engine.mlp().param_count(), what)
}

fn optional_number(v: Option<f64>) -> JsValue {
    v.map_or(JsValue::NULL, JsValue::from)
}

fn race_object(result: &RaceResult, cancelled: bool, backend: JsValue) -> Result<JsValue, SpecError> {
    let schedules = Array::new();
    for s in &result.schedules {
        let o = Object::new();
        set(&o, "name", &JsValue::from_str(&s.name))?;
        let steps: Array = s.escape_steps.iter().map(|e| optional_number(e.map(|e| e as f64))).collect();
        set(&o, "escape_steps", &steps.into())?;
        set(&o, "median", &optional_number(s.median))?;
        set(&o, "q25", &optional_number(s.q25))?;
        set(&o, "q75", &optional_number(s.q75))?;
        set(&o, "escaped", &JsValue::from(s.escaped as u32))?;
        schedules.push(&o);
    }
    let out = Object::new();
    set(&out, "schedules", &schedules.into())?;
    set(&out, "steps", &JsValue::from(result.steps as u32))?;
    set(&out, "runs", &JsValue::from(result.runs as u32))?;
    set(&out, "seeds", &JsValue::from(result.seeds as u32))?;
    set(&out, "loss", &Float32Array::from(&result.loss[..]).into())?;
    set(&out, "plateau_loss", &Float32Array::from(&result.plateau_loss[..]).into())?;
    set(&out, "cancelled", &JsValue::from(cancelled))?;
    set(&out, "backend", &backend)?;
    Ok(out.into())
}

/// The plateau race (`crate::landscape::plateau`): a deep narrow MLP started near its saddle
/// (initial parameters × `init_scale`) and `schedules` racing off the plateau, `seeds` runs each,
/// all in one session. `options`: `{layers = [2, 8, 8, 8, 8, 2], activation = "tanh", data =
/// {kind: "gauss", n: 400, noise: 0.05}, optimizer = SGD momentum 0.9, batch_size = 32, backend =
/// "auto", init_scale = 0.2, seeds = 5 (1..16), steps = 1500 (100..20000), threshold = 0.5,
/// schedules = five defaults: [{name, schedule}]}`. `onProgress({step, loss: Float32Array(runs)})`
/// (each run's smoothed loss) after every 100 steps; returning false stops the race there
/// (`cancelled`), and if it throws, the race stops and the promise rejects with what it threw.
/// Resolves to `{schedules: [{name, escape_steps: (number | null)[], median, q25, q75,
/// escaped}], steps, runs, seeds, loss: Float32Array(steps × runs) ([step][run], run = schedule ×
/// seeds + seed), plateau_loss: Float32Array(runs), cancelled, backend}`.
#[wasm_bindgen(js_name = plateauRace, unchecked_return_type = "Promise<PlateauRaceResult>")]
pub fn plateau_race(
    #[wasm_bindgen(unchecked_optional_param_type = "PlateauRaceOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "OnProgress<PlateauRaceProgress> | null")] on_progress: JsValue,
) -> Result<Promise, SpecError> {
    let spec = RaceSpec::parse(&optional_argument(&options, "options")?).map_err(|e| e.at_root("options"))?;
    let mut progress = Progress::new(on_progress)?;
    let parsed = spec.session_options()?;
    broken::check()?;
    reserve_session(&parsed.config, "plateauRace")?;
    Ok(broken::promise(async move {
        let mut engine = engine_on_backend(parsed).await?;
        plateau::scale_initial(&mut engine, spec.init_scale);
        let report = |step: u64, loss: &[f32]| {
            progress.report(|| {
                let report = Object::new();
                set(&report, "step", &JsValue::from(step as f64))?;
                set(&report, "loss", &Float32Array::from(loss).into())?;
                Ok(report)
            })
        };
        let loss = plateau::race(&mut engine, spec.steps, report).await;
        let cancelled = progress.finish()?;
        let result = plateau::measure(&spec, loss);
        race_object(&result, cancelled, backend_info(&engine)?).map_err(JsValue::from)
    }))
}
