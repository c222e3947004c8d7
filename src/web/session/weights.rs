//! `Session.exportWeights` / `importWeights`: a run's parameters as a safetensors file with
//! PyTorch's names (see `model::weights`), out and in.

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::super::convert::describe_js;
use super::Session;
use crate::model::weights;
use crate::spec::SpecError;

/// The bytes of `value` (a `Uint8Array` or an `ArrayBuffer`), refused past `max` bytes before
/// they are copied into the engine's memory.
fn file_bytes(value: &JsValue, max: usize) -> Result<Vec<u8>, SpecError> {
    let bytes = if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        Uint8Array::new(buffer)
    } else {
        value.dyn_ref::<Uint8Array>().cloned().ok_or_else(|| {
            SpecError::new("bytes", format!("must be a Uint8Array or an ArrayBuffer, got {}", describe_js(value)))
        })?
    };
    let len = bytes.length() as usize;
    if len > max {
        let message = format!("is {len} bytes, more than a safetensors file of this network can be ({max} at most)");
        return Err(SpecError::new("bytes", message));
    }
    Ok(bytes.to_vec())
}

#[wasm_bindgen]
impl Session {
    /// Run `run`'s parameters as a safetensors file that
    /// `model.load_state_dict(safetensors.torch.load_file(path))` takes as is, for the
    /// `nn.Sequential(Linear, activation, ..., Linear)` of this session's layers: tensors
    /// `"0.weight"` (F32, `[out, in]`), `"0.bias"`, `"2.weight"`, ….
    #[wasm_bindgen(js_name = exportWeights)]
    pub fn export_weights(&self, run: f64) -> Result<Uint8Array, SpecError> {
        let run = self.run_index(run)?;
        let engine = self.engine()?;
        let bytes = weights::write(engine.mlp(), engine.params(run))?;
        Ok(Uint8Array::from(bytes.as_slice()))
    }

    /// Replaces run `run`'s parameters with a safetensors file's (one that
    /// `safetensors.torch.save_file(model.state_dict(), path)` wrote for the same network) and
    /// resets its optimizer state, as `setParams` does. A file whose tensor names, shapes or dtype
    /// do not fit is refused with an Error whose `field` names the tensor (`"bytes"`: not a
    /// safetensors file at all), and the run stays as it was.
    #[wasm_bindgen(js_name = importWeights)]
    pub fn import_weights(
        &self,
        run: f64,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
    ) -> Result<(), SpecError> {
        let run = self.run_index(run)?;
        let mut engine = self.engine_mut()?;
        let bytes = file_bytes(&bytes, weights::max_file_bytes(engine.mlp()))?;
        let params = weights::read(engine.mlp(), &bytes)?;
        engine.set_params(run, &params);
        Ok(())
    }
}
