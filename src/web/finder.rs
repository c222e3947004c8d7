//! The LR finder for JavaScript: `LrFinder.run(session, options, onProgress?)`, and the pure
//! curve functions `smoothLosses` and `suggestLr`.

use js_sys::{Array, Float64Array, Object, Promise};
use wasm_bindgen::prelude::*;

use super::convert::{self, f64s, optional_argument, set};
use super::progress::Progress;
use super::session::on_engine;
use super::{memory, to_js, Session};
use crate::engine::Session as Engine;
use crate::finder::{self, curves, Band, FinderOptions, FinderResult, Method, Point, VerifyOptions};
use crate::limits::{check_verify_work, MAX_CALL_WORK, TOO_MUCH_WORK};
use crate::spec::SpecError;

#[wasm_bindgen]
pub struct LrFinder;

fn point_object(p: &Point) -> Result<Object, SpecError> {
    let o = Object::new();
    set(&o, "run", &JsValue::from(p.run as u32))?;
    set(&o, "i", &JsValue::from(p.i as u32))?;
    set(&o, "lr", &JsValue::from(p.lr))?;
    set(&o, "loss", &JsValue::from(p.loss))?;
    set(&o, "smoothed", &JsValue::from(p.smoothed))?;
    Ok(o)
}

fn band_object(band: &Band) -> Result<Object, SpecError> {
    let o = Object::new();
    for (key, values) in
        [("median", &band.median), ("min", &band.min), ("max", &band.max), ("q25", &band.q25), ("q75", &band.q75)]
    {
        set(&o, key, &f64s(values))?;
    }
    let count: Vec<f64> = band.count.iter().map(|&c| c as f64).collect();
    set(&o, "count", &f64s(&count))?;
    let spread = Object::new();
    for (method, s) in &band.spread {
        set(&spread, method.name(), &to_js(s)?)?;
    }
    set(&o, "spread", &spread.into())?;
    Ok(o)
}

/// `{valley: Float64Array | null, ...}`: each suggestion's per-group rates.
fn group_lrs_object(suggestions: &finder::Suggestions, group_lr_mult: &[f64]) -> Result<JsValue, SpecError> {
    let o = Object::new();
    for (method, lrs) in suggestions.group_lrs(group_lr_mult) {
        set(&o, method.name(), &lrs.map_or(JsValue::NULL, |l| f64s(&l)))?;
    }
    Ok(o.into())
}

fn result_object(result: &FinderResult) -> Result<JsValue, SpecError> {
    let out = Object::new();
    set(&out, "lrs", &f64s(&result.lrs))?;
    let runs = Array::new();
    for run in &result.runs {
        let o = Object::new();
        let losses: Vec<f64> = run.losses.iter().map(|&l| l as f64).collect();
        set(&o, "losses", &f64s(&losses))?;
        set(&o, "smoothed", &f64s(&run.smoothed))?;
        set(&o, "suggestions", &to_js(&run.suggestions)?)?;
        set(&o, "stopped_at", &run.stopped_at.map_or(JsValue::NULL, |i| JsValue::from(i as u32)))?;
        set(&o, "group_lr_mult", &f64s(&run.group_lr_mult))?;
        set(&o, "group_lrs", &group_lrs_object(&run.suggestions, &run.group_lr_mult)?)?;
        runs.push(&o);
    }
    set(&out, "runs", &runs.into())?;
    if let Some(band) = &result.band {
        set(&out, "band", &band_object(band)?.into())?;
    }
    set(&out, "suggestions", &to_js(&result.suggestions)?)?;
    if let Some(mult) = &result.group_lr_mult {
        set(&out, "group_lr_mult", &f64s(mult))?;
        set(&out, "group_lrs", &group_lrs_object(&result.suggestions, mult)?)?;
    }
    set(&out, "cancelled", &JsValue::from(result.cancelled))?;
    Ok(out.into())
}

#[wasm_bindgen]
impl LrFinder {
    /// The LR range test on every run of `session` at once, in the fastai or torch_lr_finder
    /// convention (`options`: `{convention?, start_lr?, end_lr?, num_it?, step_mode?, stop_div?,
    /// smooth_f?, diverge_th?}`); the session is restored exactly afterwards. Resolves to `{lrs,
    /// runs: [{losses, smoothed, suggestions, stopped_at}], band? (2+ runs), suggestions,
    /// cancelled}`. `onProgress({run, i, lr, loss, smoothed})` is called for every recorded
    /// point as each block of steps ends; returning `false` stops the test (`cancelled`), and
    /// if it throws, the test stops and the promise rejects with what it threw. Bad options
    /// throw an Error naming the field.
    #[wasm_bindgen(unchecked_return_type = "Promise<RangeTestResult>")]
    pub fn run(
        session: &Session,
        #[wasm_bindgen(unchecked_optional_param_type = "RangeTestOptions")] options: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "OnProgress<RangeTestPoint> | null")] on_progress: JsValue,
    ) -> Result<Promise, SpecError> {
        let options = optional_argument(&options, "options")?;
        let options = FinderOptions::parse(&options).map_err(|e| e.at_root("options"))?;
        let most = (MAX_CALL_WORK / session.step_work()).floor();
        if options.range.iterations() as f64 > most {
            return Err(SpecError::new(
                "num_it",
                format!(
                    "must be at most {most} for this network, batch size and number of seeds {TOO_MUCH_WORK}, got {}",
                    options.range.iterations()
                ),
            ));
        }
        let mut progress = Progress::new(on_progress)?;
        Ok(on_engine(session.shared(), finder_busy("LrFinder.run"), async move |engine: &mut Engine| {
            let report = |points: &[Point]| points.iter().all(|p| progress.report(|| point_object(p)));
            let result = finder::run(engine, &options, report).await.map_err(JsValue::from)?;
            progress.finish()?;
            result_object(&result).map_err(JsValue::from)
        }))
    }
}

#[wasm_bindgen]
impl LrFinder {
    /// Proof by training: one short training per candidate rate (`options`: `{candidates,
    /// steps? (100), schedule?: "one_cycle" | "fit_one_cycle" | "constant", run? (0)}`), each
    /// from run `run`'s current parameters with fresh optimizer state, all in one pass of a
    /// forked session; `session` is not changed. Resolves to `{candidates, losses:
    /// Float32Array(steps × K), train_loss, validation_loss: Float64Array(K) (NaN where
    /// diverged or without validation rows), diverged: boolean[]}`.
    #[wasm_bindgen(unchecked_return_type = "Promise<VerifyResult>")]
    pub fn verify(
        session: &Session,
        #[wasm_bindgen(unchecked_param_type = "VerifyOptions")] options: JsValue,
    ) -> Result<Promise, SpecError> {
        let (runs, rows, mlp, batch) = {
            let engine = session.shared();
            let engine = engine.try_borrow().map_err(|_| finder_busy("LrFinder"))?;
            let rows = engine.data().train.len() + engine.data().validation.len();
            (engine.run_count(), rows, engine.mlp().clone(), engine.batch_size())
        };
        let eval_work = (rows * mlp.param_count()) as f64;
        let options =
            VerifyOptions::parse(&optional_argument(&options, "options")?, runs).map_err(|e| e.at_root("options"))?;
        check_verify_work(options.candidates.len(), options.steps, session.step_work() / runs as f64, eval_work)?;
        // The fork: one run per candidate, on a copy of the data.
        memory::reserve(memory::session_bytes(options.candidates.len(), &mlp, rows, batch), "LrFinder.verify")?;
        Ok(on_engine(session.shared(), finder_busy("LrFinder"), async move |engine: &mut Engine| {
            let v = finder::verify(engine, &options).await.map_err(JsValue::from)?;
            let out = Object::new();
            let widen = |v: &[f32]| v.iter().map(|&x| x as f64).collect::<Vec<_>>();
            set(&out, "candidates", &f64s(&v.candidates))?;
            set(&out, "losses", &js_sys::Float32Array::from(&v.losses[..]).into())?;
            set(&out, "train_loss", &f64s(&widen(&v.train_loss)))?;
            set(&out, "validation_loss", &f64s(&widen(&v.validation_loss)))?;
            let diverged: Array = v.diverged.iter().map(|&d| JsValue::from(d)).collect();
            set(&out, "diverged", &diverged.into())?;
            Ok(out.into())
        }))
    }
}

/// `caller`'s refusal while a `step()` holds the session.
fn finder_busy(caller: &str) -> SpecError {
    convert::fieldless(format!("{caller}: the session is busy (a step() is still running)"))
}

/// `losses` smoothed as fastai (`{style: "fastai", beta?}`, float32, debiased) or torch-lr-finder
/// (`{style: "torch_lr_finder", smooth_f?}`, float64) smooth them.
#[wasm_bindgen(js_name = smoothLosses)]
pub fn smooth_losses(
    #[wasm_bindgen(unchecked_param_type = "ArrayLike<number>")] losses: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SmoothingOptions")] options: JsValue,
) -> Result<Float64Array, SpecError> {
    let losses = curves::parse_losses(&convert::argument(&losses, "losses")?, "losses")?;
    let options = optional_argument(&options, "options")?;
    let smoothing = curves::parse_smoothing(&options).map_err(|e| e.at_root("options"))?;
    Ok(Float64Array::from(&finder::smooth_losses(&losses, smoothing)[..]))
}

/// One suggestion for a recorded curve (`losses` as the library records them: fastai's
/// smoothed values, torch-lr-finder's smoothed history), `{method?, num_it?}`: `{lr, index}`,
/// or `{lr: null, reason}` where the library would raise.
#[wasm_bindgen(js_name = suggestLr, unchecked_return_type = "Suggestion")]
pub fn suggest_lr(
    #[wasm_bindgen(unchecked_param_type = "ArrayLike<number>")] lrs: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ArrayLike<number>")] losses: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SuggestOptions")] options: JsValue,
) -> Result<JsValue, SpecError> {
    let lrs = curves::parse_lrs(&convert::argument(&lrs, "lrs")?, "lrs")?;
    let losses = curves::parse_losses(&convert::argument(&losses, "losses")?, "losses")?;
    if losses.len() != lrs.len() {
        return Err(SpecError::new(
            "losses",
            format!("must have as many values as lrs ({}), got {}", lrs.len(), losses.len()),
        ));
    }
    let options = optional_argument(&options, "options")?;
    let (method, num_it): (Method, u64) =
        curves::parse_suggest(&options, lrs.len()).map_err(|e| e.at_root("options"))?;
    to_js(&finder::suggest(method, &lrs, &losses, num_it))
}
