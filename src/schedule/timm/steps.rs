//! timm's `StepLRScheduler` and `MultiStepLRScheduler`: decay by `decay_rate` every `decay_t`
//! updates, or at each of the updates `decay_t` lists, after an optional warm-up.

use super::{Warmup, WARMUP_LR_INIT, WARMUP_T};
use crate::limits::MAX_STEP;
use crate::schedule::{Curve, Kind, Library, LR};
use crate::spec::{Field, Preset, Reader, SpecError};

const DECAY_T: Field =
    Field::float("decay_t", 0.0, MAX_STEP as f64, "Updates between decays").min_open().example(Preset::Float(300.0));
const DECAY_TS: Field =
    Field::int_list("decay_t", 0, MAX_STEP, "Updates at which the rate is multiplied by decay_rate (sorted)")
        .example(Preset::IntList(&[300, 600]));
const DECAY_RATE: Field = Field::float("decay_rate", 0.0, 10.0, "Multiplies the rate at each decay")
    .log()
    .default(Preset::Float(1.0))
    .example(Preset::Float(0.1));
const WARMUP_PREFIX: Field =
    Field::boolean("warmup_prefix", "Decays count from the end of warm-up").default(Preset::Bool(true));

enum Decays {
    Every(f64),
    /// As given: timm bisects the list as it is, assuming it sorted.
    At(Vec<u64>),
}

struct StepDecay {
    lr: f64,
    decay_rate: f64,
    decays: Decays,
    warmup_prefix: bool,
    warmup: Warmup,
}

impl Curve for StepDecay {
    fn lr(&self, t: u64) -> f64 {
        self.warmup.at(t).unwrap_or_else(|| {
            let t = if self.warmup_prefix { t - self.warmup.t } else { t };
            let k = match &self.decays {
                Decays::Every(decay_t) => (t as f64 / decay_t).floor(),
                // timm applies milestone m at t == m - 1 (its `bisect_right(decay_t, t + 1)`).
                Decays::At(decay_t) => decay_t.partition_point(|&d| d <= t + 1) as f64,
            };
            self.lr * self.decay_rate.powf(k)
        })
    }
}

fn build(r: &Reader, decays: Decays) -> Result<Box<dyn Curve>, SpecError> {
    let lr = r.float(&LR)?;
    let warmup = Warmup::read(r, |_| lr)?;
    Ok(Box::new(StepDecay {
        lr,
        decay_rate: r.float(&DECAY_RATE)?,
        decays,
        warmup_prefix: r.boolean(&WARMUP_PREFIX)?,
        warmup,
    }))
}

fn build_multi_step(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let decay_t = r.int_list(&DECAY_TS)?;
    if decay_t.len() > 10_000 {
        return Err(r.error(&DECAY_TS, format!("must have at most 10000 entries, got {}", decay_t.len())));
    }
    if let Some(i) = decay_t.windows(2).position(|w| w[1] < w[0]) {
        return Err(r.item_error(
            &DECAY_TS,
            i + 1,
            "must not be below the entry before it (timm assumes a sorted list)",
        ));
    }
    build(r, Decays::At(decay_t))
}

pub const STEP_LR_SCHEDULER: Kind = Kind {
    name: "StepLRScheduler",
    library: Library::Timm,
    description: "Multiply the rate by decay_rate every decay_t updates, after an optional warm-up.",
    fields: &[LR, DECAY_T, DECAY_RATE, WARMUP_T, WARMUP_LR_INIT, WARMUP_PREFIX],
    cycles_momentum: false,
    build: |r| build(r, Decays::Every(r.float(&DECAY_T)?)),
};

pub const MULTI_STEP_LR_SCHEDULER: Kind = Kind {
    name: "MultiStepLRScheduler",
    library: Library::Timm,
    description: "Multiply the rate by decay_rate at each update in decay_t, after an optional warm-up.",
    fields: &[LR, DECAY_TS, DECAY_RATE, WARMUP_T, WARMUP_LR_INIT, WARMUP_PREFIX],
    cycles_momentum: false,
    build: build_multi_step,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn warm_up_then_decay_counted_from_its_end() {
        let spec = json!({"kind": "StepLRScheduler", "lr": 1.0, "decay_t": 2, "decay_rate": 0.5, "warmup_t": 2,
                          "warmup_lr_init": 0.5});
        let lr = Schedule::from_spec(&spec).unwrap().sample(7).unwrap().lr;
        assert_eq!(lr, vec![0.5, 0.75, 1.0, 1.0, 0.5, 0.5, 0.25]);
    }

    #[test]
    fn noise_and_unsorted_decays_are_refused() {
        let e = Schedule::from_spec(&json!({"kind": "CosineLRScheduler", "t_initial": 10, "noise_pct": 0.5}))
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "noise_pct (CosineLRScheduler): timm's noise options are not supported: they make the rate random"
        );
        let e = Schedule::from_spec(&json!({"kind": "MultiStepLRScheduler", "decay_t": [5, 3]})).err().unwrap();
        assert_eq!(
            e.to_string(),
            "decay_t[1] (MultiStepLRScheduler): must not be below the entry before it (timm assumes a sorted list)"
        );
    }

    #[test]
    fn cosine_restarts_longer_cycles_with_lower_peaks() {
        let spec = json!({"kind": "CosineLRScheduler", "lr": 1.0, "t_initial": 2, "cycle_mul": 2.0, "cycle_decay": 0.5,
                          "cycle_limit": 3});
        let lr = Schedule::from_spec(&spec).unwrap().sample(15).unwrap().lr;
        // Cycles of 2, 4 and 8 updates starting at 0, 2 and 6, then lr_min.
        assert_eq!((lr[0], lr[2], lr[6], lr[14]), (1.0, 0.5, 0.25, 0.0));
        assert!((lr[4] - 0.25).abs() < 1e-15, "{lr:?}");
    }
}
