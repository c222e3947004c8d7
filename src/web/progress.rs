//! A caller's `onProgress` callback for calls that report as they go (`LrFinder.run`,
//! `plateauRace`): returning `false` stops the call there, and if it throws, the call stops and
//! its promise rejects with what it threw.

use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;

use crate::spec::SpecError;

pub struct Progress {
    callback: Option<Function>,
    /// What the callback threw, for the promise to reject with.
    thrown: Option<JsValue>,
    /// The callback returned `false`.
    cancelled: bool,
}

impl Progress {
    /// `onProgress` as given: absent (`undefined` or `null`) or a function.
    pub fn new(on_progress: JsValue) -> Result<Self, SpecError> {
        let callback = if on_progress.is_undefined() || on_progress.is_null() {
            None
        } else {
            Some(on_progress.dyn_into().map_err(|_| SpecError::new("onProgress", "must be a function"))?)
        };
        Ok(Self { callback, thrown: None, cancelled: false })
    }

    /// Calls back with `report` (a report that could not be built counts as thrown); whether
    /// the call goes on.
    pub fn report(&mut self, report: impl FnOnce() -> Result<Object, SpecError>) -> bool {
        let Some(callback) = &self.callback else { return true };
        match report().map_err(JsValue::from).and_then(|report| callback.call1(&JsValue::NULL, &report)) {
            Ok(answer) if answer == JsValue::FALSE => {
                self.cancelled = true;
                false
            }
            Ok(_) => true,
            Err(thrown) => {
                self.thrown = Some(thrown);
                false
            }
        }
    }

    /// Whether the callback stopped the call by returning `false`; what it threw, if it threw.
    pub fn finish(self) -> Result<bool, JsValue> {
        match self.thrown {
            Some(thrown) => Err(thrown),
            None => Ok(self.cancelled),
        }
    }
}
