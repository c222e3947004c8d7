//! `Session` for JavaScript: train R runs in lockstep, on WebGPU or the CPU path.

use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

use js_sys::{Float32Array, Object, Promise};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::backend::{backend_info, engine_on_backend};
use super::convert::{self, set};
use super::{broken, memory};
use super::{to_js, whole_number};
use crate::data::{Dataset, Targets};
use crate::engine::options;
use crate::engine::plateau::PlateauView;
use crate::engine::{EvalSet, RunStatus, Session as Engine, SessionConfig};
use crate::landscape::{EVAL_SETS, EVAL_SET_NAMES};
use crate::limits::{
    check_session_work, MAX_CALL_WORK, MAX_EVAL_VALUES, MAX_PREDICT_GRID, MAX_PREDICT_GRID_VALUES, MAX_STEPS_PER_CALL,
    TOO_MUCH_WORK, TOO_MUCH_WORK_OR_MEMORY,
};
use crate::spec::{fmt_num, Field, Preset, Reader, SpecError};

mod weights;

/// Everything `Session.restore` puts back: every run's parameters, optimizer state, step,
/// status and phases. Opaque; only the session it came from (or one of the same shape) takes it.
#[wasm_bindgen]
pub struct Snapshot {
    inner: crate::engine::Snapshot,
}

#[wasm_bindgen]
pub struct Session {
    // Shared with the future of a running `step()`, which holds the borrow while it awaits the GPU.
    inner: Rc<RefCell<Engine>>,
    /// Multiply-adds of one training step of every run, against [`MAX_CALL_WORK`].
    step_work: f64,
    /// Per step, amortised: the evaluations that feed `ReduceLROnPlateau` runs.
    evaluation_work: f64,
}

/// The refusal of a call that needs the session while a `step()` (or another call's promise)
/// holds it; thrown as an `Error` without `field`.
pub(super) fn busy() -> SpecError {
    convert::fieldless("Session: a step() is still running; await it first")
}

/// A promise of `work` on `engine`, which it holds until done: meanwhile other calls fail
/// cleanly with `busy` (or their own refusal) instead of reading a half-trained state.
// Holding the borrow across the GPU's await is the point.
#[allow(clippy::await_holding_refcell_ref)]
pub(super) fn on_engine(
    engine: Rc<RefCell<Engine>>,
    busy: SpecError,
    work: impl AsyncFnOnce(&mut Engine) -> Result<JsValue, JsValue> + 'static,
) -> Promise {
    broken::promise(async move {
        let mut engine = engine.try_borrow_mut().map_err(|_| JsValue::from(busy))?;
        work(&mut engine).await
    })
}

#[derive(Serialize)]
struct RunReport {
    state: &'static str,
    diverged_at: Option<u64>,
    /// The phase the run's next step belongs to (none once its phases are over).
    phase: Option<usize>,
    train_loss: Option<f32>,
    train_accuracy: Option<f32>,
    validation_loss: Option<f32>,
    validation_accuracy: Option<f32>,
    /// A `ReduceLROnPlateau` run's scheduler (absent for other runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    plateau: Option<PlateauReport>,
}

/// What PyTorch's `ReduceLROnPlateau` holds after the evaluations so far, and when the next comes.
#[derive(Serialize)]
struct PlateauReport {
    lr: f64,
    /// The best validation loss so far (none before the first evaluation).
    best: Option<f64>,
    num_bad_epochs: u64,
    patience: u64,
    cooldown_counter: u64,
    cooldown: u64,
    evaluations: u64,
    next_evaluation: u64,
}

impl From<PlateauView> for PlateauReport {
    fn from(v: PlateauView) -> Self {
        Self {
            lr: v.state.lr,
            best: v.state.best.is_finite().then_some(v.state.best),
            num_bad_epochs: v.state.num_bad_epochs,
            patience: v.patience,
            cooldown_counter: v.state.cooldown_counter,
            cooldown: v.cooldown,
            evaluations: v.evaluations,
            next_evaluation: v.next_evaluation,
        }
    }
}

#[derive(Serialize)]
struct LayerReport {
    layer: usize,
    group: usize,
    lr: f64,
    weight_norm: f64,
    grad_norm: f64,
    update_ratio: f64,
}

fn state_name(status: RunStatus) -> (&'static str, Option<u64>) {
    match status {
        RunStatus::Training => ("training", None),
        RunStatus::Diverged { step } => ("diverged", Some(step)),
        RunStatus::Finished => ("finished", None),
    }
}

/// JSON has no NaN: a missing number reads better than a null-that-means-NaN.
fn finite(x: f32) -> Option<f32> {
    x.is_finite().then_some(x)
}

/// Multiply-adds per step, amortised, of the evaluations that feed `ReduceLROnPlateau` runs: a
/// forward pass over the evaluated rows every `eval_every` steps, so `step(n)` counts them too.
fn plateau_evaluation_work(c: &SessionConfig) -> f64 {
    let data = &c.data;
    let rows = if data.validation.is_empty() { data.train.len() } else { data.validation.len() } as f64;
    let fed = c.runs.iter().filter(|run| run.phases.iter().any(|phase| phase.schedule.plateau().is_some()));
    fed.map(|run| rows * c.mlp.param_count() as f64 / run.eval_every as f64).sum()
}

impl Session {
    /// `Session.create` for Rust callers (the tests): the same validation and budget.
    pub async fn create(options: JsValue) -> Result<Session, SpecError> {
        broken::check()?;
        let options = convert::argument(&options, "options")?;
        let parsed = options::parse(&options).map_err(|e| e.at_root("options"))?;
        let c = &parsed.config;
        let rows = c.data.train.len() + c.data.validation.len();
        let step_work = check_session_work(rows, c.runs.len(), c.mlp.param_count(), c.batch_size)?;
        let evaluation_work = plateau_evaluation_work(c);
        reserve_session(c, "Session.create")?;
        let engine = engine_on_backend(parsed).await?;
        Ok(Session { inner: Rc::new(RefCell::new(engine)), step_work, evaluation_work })
    }
}

/// Refuses a session of `config` that would pass the engine's memory budget (`what` names the call).
pub(super) fn reserve_session(config: &SessionConfig, what: &str) -> Result<(), SpecError> {
    let rows = config.data.train.len() + config.data.validation.len();
    memory::reserve(memory::session_bytes(config.runs.len(), &config.mlp, rows, config.batch_size), what)
}

#[wasm_bindgen]
impl Session {
    /// Validates `options` (rejects with an Error naming the field, its path in `error.field`)
    /// and picks the backend: `"auto"` the faster path for this session's shape, timed once per
    /// shape (`backend.reason` says which and why). Refused past the engine's memory budget (`MEMORY_BUDGET`).
    #[wasm_bindgen(js_name = create, unchecked_return_type = "Promise<Session>")]
    pub fn create_promise(#[wasm_bindgen(unchecked_param_type = "SessionOptions")] options: JsValue) -> Promise {
        broken::promise(async move { Session::create(options).await.map(JsValue::from).map_err(JsValue::from) })
    }

    /// Multiply-adds of one training step of every run (`LrFinder` bounds its calls by it).
    pub(crate) fn step_work(&self) -> f64 {
        self.step_work
    }

    /// Every option field (session, optimizers, synthetic data, run) with its type, default,
    /// range and description: the tables `create` validates against, for building controls.
    #[wasm_bindgen(js_name = optionFields, unchecked_return_type = "SessionOptionFields")]
    pub fn option_fields() -> Result<JsValue, SpecError> {
        to_js(&options::fields_json())
    }

    /// The engine, shared with the futures that train it (`LrFinder.run` borrows it as `step()` does).
    pub(crate) fn shared(&self) -> Rc<RefCell<Engine>> {
        self.inner.clone()
    }

    /// The engine to read, unless a step holds it or the instance is broken.
    pub(super) fn engine(&self) -> Result<Ref<'_, Engine>, SpecError> {
        broken::check()?;
        self.inner.try_borrow().map_err(|_| busy())
    }

    fn engine_mut(&self) -> Result<RefMut<'_, Engine>, SpecError> {
        broken::check()?;
        self.inner.try_borrow_mut().map_err(|_| busy())
    }

    fn run_index(&self, run: f64) -> Result<usize, SpecError> {
        let runs = self.engine()?.run_count() as u64;
        // Sessions always have at least one run (options validation).

        Ok(whole_number("run", run, runs - 1)? as usize)
    }

    /// `{backend: "webgpu" | "cpu", adapter, fallback, reason}`; `fallback` says why training left
    /// or never reached the GPU, `reason` why it runs where it does, with the measured figures.
    #[wasm_bindgen(getter, unchecked_return_type = "BackendInfo")]
    pub fn backend(&self) -> Result<JsValue, SpecError> {
        backend_info(&*self.engine()?)
    }

    #[wasm_bindgen(getter)]
    pub fn runs(&self) -> Result<u32, SpecError> {
        Ok(self.engine()?.run_count() as u32)
    }

    #[wasm_bindgen(getter, js_name = stepsTaken)]
    pub fn steps_taken(&self) -> Result<f64, SpecError> {
        Ok(self.engine()?.steps_taken() as f64)
    }

    /// Trains `steps` steps: resolves to `{losses: Float32Array(steps × runs), runs, backend}`
    /// with `losses[step * runs + run]`, NaN where a run no longer trains. `step(0)` takes none.
    #[wasm_bindgen(unchecked_return_type = "Promise<StepResult>")]
    pub fn step(&self, steps: f64) -> Result<Promise, SpecError> {
        let per_step = self.step_work + self.evaluation_work;
        let most = (MAX_CALL_WORK / per_step).floor().min(MAX_STEPS_PER_CALL as f64) as u64;
        let n = whole_number("steps", steps, most).map_err(|e| {
            // A whole number past this session's own bound: say what the bound depends on.
            if most < MAX_STEPS_PER_CALL && steps.fract() == 0.0 && steps > most as f64 {
                let depends_on = if self.evaluation_work > 0.0 {
                    "this network, batch size, number of runs and ReduceLROnPlateau's evaluations"
                } else {
                    "this network, batch size and number of runs"
                };
                SpecError::new(
                    "steps",
                    format!("must be at most {most} for {depends_on} {TOO_MUCH_WORK}, got {}", fmt_num(steps)),
                )
            } else {
                e
            }
        })?;
        let busy = convert::fieldless("Session.step: another step() is still running");
        Ok(on_engine(self.shared(), busy, async move |engine: &mut Engine| {
            let losses = if n == 0 { Vec::new() } else { engine.step(n).await };
            let out = Object::new();
            set(&out, "losses", &Float32Array::from(&losses[..]).into())?;
            set(&out, "runs", &JsValue::from(engine.run_count() as u32))?;
            set(&out, "backend", &backend_info(engine)?)?;
            Ok(out.into())
        }))
    }

    /// Per run: state ("training" | "diverged" | "finished"), and loss / accuracy on the
    /// training and validation sets (accuracy for classification only); for a run in a
    /// `ReduceLROnPlateau` phase, `plateau`: `{lr, best, num_bad_epochs, patience,
    /// cooldown_counter, cooldown, evaluations, next_evaluation}`.
    #[wasm_bindgen(unchecked_return_type = "RunReport[]")]
    pub fn evaluate(&self) -> Result<JsValue, SpecError> {
        let engine = self.engine()?;
        let reports: Vec<RunReport> = (0..engine.run_count())
            .map(|r| {
                let e = engine.evaluate(r);
                let (state, diverged_at) = state_name(engine.status(r));
                RunReport {
                    state,
                    diverged_at,
                    phase: engine.phase(r),
                    train_loss: finite(e.train_loss),
                    train_accuracy: e.train_accuracy,
                    validation_loss: finite(e.validation_loss),
                    validation_accuracy: e.validation_accuracy,
                    plateau: engine.plateau_view(r).map(PlateauReport::from),
                }
            })
            .collect();
        to_js(&reports)
    }

    /// A run's parameters in PyTorch `nn.Sequential(...).parameters()` order.
    pub fn params(&self, run: f64) -> Result<Float32Array, SpecError> {
        let run = self.run_index(run)?;
        Ok(Float32Array::from(self.engine()?.params(run)))
    }

    /// Replaces a run's parameters (same order as `params`) and resets its optimizer state.
    #[wasm_bindgen(js_name = setParams)]
    pub fn set_params(&self, run: f64, params: &Float32Array) -> Result<(), SpecError> {
        let run = self.run_index(run)?;
        let values = params.to_vec();
        let mut engine = self.engine_mut()?;
        let expected = engine.mlp().param_count();
        if values.len() != expected {
            return Err(SpecError::new(
                "params",
                format!("must have {expected} values (this network's parameters), got {}", values.len()),
            ));
        }
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(SpecError::new(
                format!("params[{i}]"),
                format!("must be finite, got {}", fmt_num(values[i] as f64)),
            ));
        }
        engine.set_params(run, &values);
        Ok(())
    }

    /// Per Linear layer of a run: its current rate, weight and gradient norms, and ‖update‖/‖weights‖.
    #[wasm_bindgen(js_name = layerStats, unchecked_return_type = "LayerStats[]")]
    pub fn layer_stats(&self, run: f64) -> Result<JsValue, SpecError> {
        let run = self.run_index(run)?;
        let engine = self.engine()?;
        let reports: Vec<LayerReport> = engine
            .layer_stats(run)
            .into_iter()
            .enumerate()
            .map(|(layer, s)| LayerReport {
                layer,
                group: s.group,
                lr: s.lr,
                weight_norm: s.weight_norm,
                grad_norm: s.grad_norm,
                update_ratio: s.update_ratio,
            })
            .collect();
        to_js(&reports)
    }

    /// The network's outputs on an n × n grid over the data's extent (first two features):
    /// `{values: Float32Array(n * n * outputs), n, outputs, lo, hi}`, rows from y = lo.
    #[wasm_bindgen(js_name = predictGrid, unchecked_return_type = "PredictGrid")]
    pub fn predict_grid(&self, run: f64, n: f64) -> Result<Object, SpecError> {
        let run = self.run_index(run)?;
        let n = whole_number("n", n, MAX_PREDICT_GRID)?;
        if n < 2 {
            return Err(SpecError::new("n", format!("must be an integer in [2, {MAX_PREDICT_GRID}], got {n}")));
        }
        let mut engine = self.engine_mut()?;
        let points = (n * n) as f64;
        let (widths, p) = (engine.mlp().layers.iter().sum::<usize>() as f64, engine.mlp().param_count() as f64);
        if points * widths > MAX_PREDICT_GRID_VALUES || points * p > MAX_CALL_WORK {
            let most = (MAX_PREDICT_GRID_VALUES / widths).min(MAX_CALL_WORK / p).sqrt().floor();
            return Err(SpecError::new(
                "n",
                format!("must be at most {most} for this network {TOO_MUCH_WORK_OR_MEMORY}, got {n}"),
            ));
        }
        // The grid's inputs and every layer's activations over it.
        let grid_values = points * (widths + engine.mlp().inputs() as f64);
        memory::reserve(4 * grid_values as usize, "Session.predictGrid")?;
        let (lo, hi) = engine.input_extent();
        let values = engine.predict_grid(run, n as usize, lo, hi);
        let out = Object::new();
        set(&out, "values", &Float32Array::from(&values[..]).into())?;
        set(&out, "n", &JsValue::from(n as u32))?;
        set(&out, "outputs", &JsValue::from(engine.mlp().outputs() as u32))?;
        set(&out, "lo", &JsValue::from(lo))?;
        set(&out, "hi", &JsValue::from(hi))?;
        Ok(out)
    }

    /// The training rows, to draw over a heatmap: `{x: Float32Array(rows × features), y:
    /// Float32Array(rows), features}`, with `y` the class index (classification) or the first
    /// target (regression).
    #[wasm_bindgen(js_name = trainingData, unchecked_return_type = "TrainingData")]
    pub fn training_data(&self) -> Result<Object, SpecError> {
        rows_object(&self.engine()?.data().train)
    }

    /// A run's outputs on every row of a set, for views of data with more than two inputs
    /// (a confusion matrix, predicted against actual): the rows as `trainingData` gives them,
    /// plus `predictions: Float32Array(rows × outputs)` (logits, or values; NaN where not
    /// finite) and `outputs`. `options.set`: "train" (default) or "validation".
    #[wasm_bindgen(js_name = predictSet, unchecked_return_type = "PredictSet")]
    pub fn predict_set(
        &self,
        run: f64,
        #[wasm_bindgen(unchecked_optional_param_type = "PredictSetOptions")] options: JsValue,
    ) -> Result<Object, SpecError> {
        let run = self.run_index(run)?;
        let which_set = eval_set(&options)?;
        let mut engine = self.engine_mut()?;
        let (widths, p) = (engine.mlp().layers.iter().sum::<usize>() as f64, engine.mlp().param_count() as f64);
        let rows = engine.eval_set(which_set).len() as f64;
        if rows * p > MAX_CALL_WORK || rows * widths > MAX_PREDICT_GRID_VALUES {
            let most = (MAX_CALL_WORK / p).min(MAX_PREDICT_GRID_VALUES / widths).floor();
            return Err(SpecError::new(
                "set",
                format!("must have at most {most} rows for this network {TOO_MUCH_WORK_OR_MEMORY}, got {rows}"),
            ));
        }
        memory::reserve(4 * (rows * widths) as usize, "Session.predictSet")?;
        let predictions = engine.predict_set(run, which_set);
        let out = rows_object(engine.eval_set(which_set))?;
        set(&out, "predictions", &Float32Array::from(&predictions[..]).into())?;
        set(&out, "outputs", &JsValue::from(engine.mlp().outputs() as u32))?;
        Ok(out)
    }

    /// Destroys the GPU device under the session, as a driver reset would: the next `step()`
    /// moves training to the CPU from the last consistent state and says so in `backend.fallback`.
    #[wasm_bindgen(js_name = loseDevice)]
    pub fn lose_device(&self) -> Result<(), SpecError> {
        self.engine()?.lose_gpu_device();
        Ok(())
    }

    /// From the next step on, run `run` goes on as `update` says (`{schedule?, group_lr_mult?,
    /// frozen?, reset_optimizer?}`), as a new phase: a new schedule counts from 0, without one
    /// the current goes on; optimizer state is kept unless `reset_optimizer` is true. A finished
    /// or stopped run trains again.
    #[wasm_bindgen(js_name = updateRun)]
    pub fn update_run(
        &self,
        run: f64,
        #[wasm_bindgen(unchecked_param_type = "RunUpdate")] update: JsValue,
    ) -> Result<(), SpecError> {
        let run = self.run_index(run)?;
        let update = convert::argument(&update, "update")?;
        let mut engine = self.engine_mut()?;
        let update = options::parse_run_update(&update, engine.group_count()).map_err(|e| e.at_root("update"))?;
        engine.update_run(run, update);
        Ok(())
    }

    /// Marks a run finished: it takes no more steps (a caller's stop rule).
    #[wasm_bindgen(js_name = stopRun)]
    pub fn stop_run(&self, run: f64) -> Result<(), SpecError> {
        let run = self.run_index(run)?;
        self.engine_mut()?.stop_run(run);
        Ok(())
    }

    /// Every run's parameters, optimizer state, step, status and phases, for `restore`.
    /// Refused past the engine's memory budget.
    pub fn snapshot(&self) -> Result<Snapshot, SpecError> {
        let engine = self.engine()?;
        memory::reserve(memory::state_bytes(engine.run_count(), engine.mlp().param_count()), "Session.snapshot")?;
        Ok(Snapshot { inner: engine.snapshot() })
    }

    /// Puts the session back exactly as `snapshot` found it (on WebGPU too).
    pub fn restore(&self, snapshot: &Snapshot) -> Result<(), SpecError> {
        self.engine_mut()?.restore(&snapshot.inner).map_err(|e| SpecError::new("snapshot", e.0))
    }

    /// The loss of each of k parameter vectors (`points`: Float32Array(k × P), in `params`
    /// order) on a whole data set, without training: resolves to `{loss: Float32Array(k),
    /// accuracy: Float32Array(k) | null}`. `options.set`: "train" (default) or "validation".
    #[wasm_bindgen(js_name = evaluateParams, unchecked_return_type = "Promise<EvaluateParamsResult>")]
    pub fn evaluate_params(
        &self,
        points: &Float32Array,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateParamsOptions")] options: JsValue,
    ) -> Result<Promise, SpecError> {
        let which_set = eval_set(&options)?;
        let (p, rows) = {
            let engine = self.engine()?;
            (engine.mlp().param_count(), engine.eval_set(which_set).len())
        };
        if rows == 0 {
            return Err(SpecError::new("set", "must be \"train\": this session has no validation rows"));
        }
        let length = points.length() as usize;
        let k = length / p.max(1);
        if length == 0 || length % p != 0 || length > MAX_EVAL_VALUES {
            let most = MAX_EVAL_VALUES / p;
            return Err(SpecError::new(
                "points",
                format!("must hold 1 to {most} parameter vectors of {p} values each (this network's parameters), got {length} values"),
            ));
        }
        if k as f64 * rows as f64 * p as f64 > MAX_CALL_WORK {
            let most = (MAX_CALL_WORK / (rows as f64 * p as f64)).floor();
            return Err(SpecError::new(
                "points",
                format!("must hold at most {most} vectors for this network and data set {TOO_MUCH_WORK}, got {k}"),
            ));
        }
        memory::reserve(4 * length, "Session.evaluateParams")?;
        let values = points.to_vec();
        Ok(on_engine(self.shared(), busy(), async move |engine: &mut Engine| {
            let evaluations = engine.evaluate_params(&values, which_set).await;
            let loss: Vec<f32> = evaluations.iter().map(|e| e.loss).collect();
            let accuracy: Option<Vec<f32>> = evaluations.iter().map(|e| e.accuracy).collect();
            let out = Object::new();
            set(&out, "loss", &Float32Array::from(&loss[..]).into())?;
            set(&out, "accuracy", &accuracy.map_or(JsValue::NULL, |a| Float32Array::from(&a[..]).into()))?;
            Ok(out.into())
        }))
    }

    /// Frees the session's memory (GPU buffers included) at once; the object is unusable afterwards.
    pub fn destroy(self) {}
}

/// A set's rows as `{x, y, features}`: `y` the class index (classification) or the first target.
fn rows_object(rows: &Dataset) -> Result<Object, SpecError> {
    let y: Vec<f32> = match &rows.targets {
        Targets::Classes { labels, .. } => labels.iter().map(|&c| c as f32).collect(),
        Targets::Values { values, outputs } => values.iter().step_by(*outputs).copied().collect(),
    };
    let out = Object::new();
    set(&out, "x", &Float32Array::from(&rows.x[..]).into())?;
    set(&out, "y", &Float32Array::from(&y[..]).into())?;
    set(&out, "features", &JsValue::from(rows.features as u32))?;
    Ok(out)
}

const EVAL_SET: Field =
    Field::choice("set", &EVAL_SET_NAMES, "The data the points are evaluated on").default(Preset::Choice("train"));

/// `evaluateParams`' `options.set`; absent options or set mean the training set.
fn eval_set(options: &JsValue) -> Result<EvalSet, SpecError> {
    if options.is_undefined() {
        return Ok(EvalSet::Train);
    }
    let options = convert::argument(options, "options")?;
    let obj = options.as_object().ok_or_else(|| SpecError::new("options", "must be an object {set}"))?;
    Reader::new(obj, &[EVAL_SET])?.pick(&EVAL_SET, &EVAL_SETS)
}
