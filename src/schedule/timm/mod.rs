//! timm's schedulers (`timm.scheduler`), stepped per optimizer update (`t_in_epochs=False`):
//! step `t`'s rate is what `step_update(num_updates=t)` sets, in float64. timm's noise options
//! make the rate random, so they are refused by name.

mod cycles;
mod steps;

pub use cycles::{COSINE_LR_SCHEDULER, POLY_LR_SCHEDULER, TANH_LR_SCHEDULER};
pub use steps::{MULTI_STEP_LR_SCHEDULER, STEP_LR_SCHEDULER};

use serde_json::{Map, Value};

use crate::limits::MAX_STEP;
use crate::spec::{Field, Preset, Reader, SpecError};

const NOISE_OPTIONS: [&str; 5] = ["noise_range_t", "noise_type", "noise_pct", "noise_std", "noise_seed"];

/// Refuses timm's noise options with a message that says why, rather than "unknown field".
pub fn refuse_noise(kind: &'static str, spec: &Map<String, Value>) -> Result<(), SpecError> {
    match NOISE_OPTIONS.iter().find(|name| spec.contains_key(**name)) {
        Some(name) => Err(SpecError::of_kind(
            name.to_string(),
            Some(kind),
            "timm's noise options are not supported: they make the rate random".into(),
        )),
        None => Ok(()),
    }
}

const WARMUP_T: Field =
    Field::int("warmup_t", 0, MAX_STEP, "Updates of linear warm-up from warmup_lr_init").default(Preset::Int(0));
const WARMUP_LR_INIT: Field =
    Field::float("warmup_lr_init", 0.0, 100.0, "The rate warm-up starts from").default(Preset::Float(0.0));

/// timm's linear warm-up: `warmup_lr_init + t * (target - warmup_lr_init) / warmup_t` for `t < warmup_t`.
#[derive(Clone, Copy)]
struct Warmup {
    t: u64,
    lr_init: f64,
    /// The rate added per update.
    step: f64,
}

impl Warmup {
    const NONE: Warmup = Warmup { t: 0, lr_init: 0.0, step: 1.0 };

    /// `target`: the rate warm-up climbs towards (timm's base value, or the curve's value at `warmup_t`).
    fn read(r: &Reader, target: impl FnOnce(u64) -> f64) -> Result<Self, SpecError> {
        let (t, lr_init) = (r.int(&WARMUP_T)?, r.float(&WARMUP_LR_INIT)?);
        let step = if t > 0 { (target(t) - lr_init) / t as f64 } else { 1.0 };
        Ok(Self { t, lr_init, step })
    }

    fn at(self, t: u64) -> Option<f64> {
        (t < self.t).then(|| self.lr_init + t as f64 * self.step)
    }
}
