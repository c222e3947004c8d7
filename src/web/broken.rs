//! After a trap (a panic, an allocation that failed) the instance is in no known state: a
//! borrow never released, a half-written buffer. Before the trap unwinds into JavaScript, every
//! promise the engine still owes is rejected with one `Error` that says the instance is broken
//! and must be reloaded, and every later call on a session throws that same `Error` at once,
//! so a library user sees what the page's worker supervision sees (`www/worker/trap-guard.js`).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, spawn_local};

use crate::spec::SpecError;

/// The message of every broken-engine `Error` (static: it is built where allocating may fail).
pub const BROKEN: &str =
    "the engine instance is broken (a wasm trap: a panic or an allocation that failed) and must be reloaded: load the module again (a new page, worker or process); its sessions are gone";

thread_local! {
    static IS_BROKEN: Cell<bool> = const { Cell::new(false) };
    /// The reject functions of the promises not yet settled, by id.
    static PENDING: RefCell<Vec<(u64, Function)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u64> = const { Cell::new(0) };
}

/// Marks the instance broken and rejects every pending promise; allocates nothing of its own.
pub fn break_engine() {
    if IS_BROKEN.with(|b| b.replace(true)) {
        return;
    }
    let pending = PENDING.with(|p| p.try_borrow_mut().map(|mut p| std::mem::take(&mut *p)).unwrap_or_default());
    let error = JsValue::from(js_sys::Error::new(BROKEN));
    for (_, reject) in pending {
        let _ = reject.call1(&JsValue::NULL, &error);
    }
}

/// The broken-engine refusal, once the instance is broken.
pub fn check() -> Result<(), SpecError> {
    if IS_BROKEN.with(Cell::get) {
        Err(SpecError::new("", BROKEN))
    } else {
        Ok(())
    }
}

/// What every promise of the engine settles with.
type Work = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// `future_to_promise`, with the promise's reject kept until it settles so that `break_engine`
/// can reject it; once broken, a rejected promise at once.
pub fn promise(future: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    // Boxed, so the wasm module holds one copy of the promise machinery, not one per caller.
    guarded(Box::pin(future))
}

fn guarded(future: Work) -> Promise {
    if let Err(e) = check() {
        return Promise::reject(&e.into());
    }
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    // The executor runs synchronously; without it there is nothing to keep, so no guard.
    let Some((resolve, reject)) = settle else { return future_to_promise(future) };
    let id = NEXT_ID.with(|n| n.replace(n.get() + 1));
    PENDING.with(|p| p.borrow_mut().push((id, reject.clone())));
    spawn_local(async move {
        let result = future.await;
        PENDING.with(|p| p.borrow_mut().retain(|(i, _)| *i != id));
        let _ = match result {
            Ok(value) => resolve.call1(&JsValue::NULL, &value),
            Err(error) => reject.call1(&JsValue::NULL, &error),
        };
    });
    promise
}
