//! `Schedule` for JavaScript: `new Schedule(spec)`, `lrAt`, `momentumAt`, `sample`, `replay`, `Schedule.kinds()`.

use js_sys::{Float64Array, Object};
use wasm_bindgen::prelude::*;

use super::convert::{self, set};
use super::{to_js, whole_number};
use crate::limits::{MAX_SAMPLES, MAX_STEP};
use crate::schedule;
use crate::spec::{any_numbers, SpecError};

#[wasm_bindgen]
pub struct Schedule {
    inner: schedule::Schedule,
}

#[wasm_bindgen]
impl Schedule {
    /// Validates `spec` (e.g. `{kind: "CyclicLR", base_lr: 0.001, max_lr: 0.006}`); throws an
    /// `Error` naming the field and its allowed range, with the field's path as `error.field`
    /// (`step_size_up`, `schedules[1].gamma`; `spec` for the spec itself).
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "ScheduleSpec")] spec: JsValue) -> Result<Schedule, SpecError> {
        let spec = convert::argument(&spec, "spec")?;
        let inner = schedule::Schedule::from_spec(&spec).map_err(|e| e.at_root("spec"))?;
        Ok(Schedule { inner })
    }

    /// Every kind with its fields: type, default, range, log scale, description.
    #[wasm_bindgen(unchecked_return_type = "ScheduleKindInfo[]")]
    pub fn kinds() -> Result<JsValue, SpecError> {
        to_js(&schedule::kinds_json())
    }

    #[wasm_bindgen(getter, unchecked_return_type = "ScheduleKind")]
    pub fn kind(&self) -> String {
        self.inner.kind().to_string()
    }

    /// The last valid step for fixed-length schedules (OneCycleLR allows `t <= totalSteps`), else undefined.
    #[wasm_bindgen(getter, js_name = totalSteps)]
    pub fn total_steps(&self) -> Option<f64> {
        self.inner.last_step().map(|t| t as f64)
    }

    /// The learning rate used for the `step`-th optimizer step. A `ReduceLROnPlateau` follows a
    /// metric, not the step: read by step it is its starting `lr` (use `replay`).
    #[wasm_bindgen(js_name = lrAt)]
    pub fn lr_at(&self, step: f64) -> Result<f64, SpecError> {
        let t = whole_number("step", step, MAX_STEP)?;
        self.inner.lr_at(t)
    }

    /// The momentum (or Adam's beta1) at `step`, or undefined where the schedule leaves it alone.
    #[wasm_bindgen(js_name = momentumAt)]
    pub fn momentum_at(&self, step: f64) -> Result<Option<f64>, SpecError> {
        let t = whole_number("step", step, MAX_STEP)?;
        self.inner.momentum_at(t)
    }

    /// Values at steps `0..steps`: `{lr: Float64Array, momentum: Float64Array | null}`.
    #[wasm_bindgen(unchecked_return_type = "ScheduleSamples")]
    pub fn sample(&self, steps: f64) -> Result<Object, SpecError> {
        let n = whole_number("steps", steps, MAX_SAMPLES)?;
        let samples = self.inner.sample(n)?;
        let out = Object::new();
        let momentum = samples.momentum.map_or(JsValue::NULL, |m| Float64Array::from(&m[..]).into());
        set(&out, "lr", &Float64Array::from(&samples.lr[..]).into())?;
        set(&out, "momentum", &momentum)?;
        Ok(out)
    }

    /// For `ReduceLROnPlateau`: steps the scheduler with each metric in turn (numbers; NaN
    /// counts as no improvement, as in PyTorch) and returns, after each
    /// `scheduler.step(metric)`, `{lr, best, num_bad_epochs, cooldown_counter}` (Float64Arrays).
    /// Throws for other kinds, with `field: "metrics"`.
    #[wasm_bindgen(unchecked_return_type = "PlateauReplay")]
    pub fn replay(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ArrayLike<number>")] metrics: JsValue,
    ) -> Result<Object, SpecError> {
        let metrics = any_numbers(&convert::argument(&metrics, "metrics")?, "metrics")?;
        let replay = self.inner.replay(&metrics)?;
        let counts = |v: &[u64]| Float64Array::from(&v.iter().map(|&n| n as f64).collect::<Vec<_>>()[..]);
        let out = Object::new();
        set(&out, "lr", &Float64Array::from(&replay.lr[..]).into())?;
        set(&out, "best", &Float64Array::from(&replay.best[..]).into())?;
        set(&out, "num_bad_epochs", &counts(&replay.num_bad_epochs).into())?;
        set(&out, "cooldown_counter", &counts(&replay.cooldown_counter).into())?;
        Ok(out)
    }
}
