//! PyTorch's `ReduceLROnPlateau`: the rate drops by `factor` once a metric has stopped improving
//! for more than `patience` evaluations. It depends on the metric, so it is replayed over a
//! metric sequence (`Schedule::replay`) or fed by a session's validation loss; read by step alone
//! (`lr_at`, `sample`) it is the rate before any evaluation, `lr`.

use super::{Curve, Kind, Library, LR};
use crate::limits::MAX_STEP;
use crate::spec::{Field, Preset, Reader, SpecError};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Min,
    Max,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum ThresholdMode {
    Rel,
    Abs,
}

const MODES: [(Mode, &str); 2] = [(Mode::Min, "min"), (Mode::Max, "max")];
const THRESHOLD_MODES: [(ThresholdMode, &str); 2] = [(ThresholdMode::Rel, "rel"), (ThresholdMode::Abs, "abs")];

const MODE: Field = Field::choice("mode", &["min", "max"], "Whether the metric should go down (a loss) or up")
    .default(Preset::Choice("min"));
const FACTOR: Field =
    Field::float("factor", 0.0, 1.0, "Multiplies the rate at each reduction (below 1)").default(Preset::Float(0.1));
const PATIENCE: Field =
    Field::int("patience", 0, MAX_STEP, "Evaluations without improvement tolerated before reducing")
        .default(Preset::Int(10));
const THRESHOLD: Field = Field::float("threshold", 0.0, 1e6, "How much better than the best a metric must be to count")
    .default(Preset::Float(1e-4));
const THRESHOLD_MODE: Field =
    Field::choice("threshold_mode", &["rel", "abs"], "threshold as a fraction of the best, or absolute")
        .default(Preset::Choice("rel"));
const COOLDOWN: Field =
    Field::int("cooldown", 0, MAX_STEP, "Evaluations after a reduction that count as neither good nor bad")
        .default(Preset::Int(0));
const MIN_LR: Field = Field::float("min_lr", 0.0, 100.0, "The rate never goes below this").default(Preset::Float(0.0));
const EPS: Field =
    Field::float("eps", 0.0, 1.0, "Reductions smaller than this are skipped").default(Preset::Float(1e-8));

/// The scheduler's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plateau {
    lr: f64,
    mode: Mode,
    factor: f64,
    patience: u64,
    threshold: f64,
    threshold_mode: ThresholdMode,
    cooldown: u64,
    min_lr: f64,
    eps: f64,
}

/// The scheduler's state after some evaluations, as PyTorch keeps it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlateauState {
    pub lr: f64,
    /// The best metric so far (±infinity before the first).
    pub best: f64,
    pub num_bad_epochs: u64,
    pub cooldown_counter: u64,
}

impl Plateau {
    pub fn patience(&self) -> u64 {
        self.patience
    }

    pub fn cooldown(&self) -> u64 {
        self.cooldown
    }

    pub fn start(&self) -> PlateauState {
        let best = if self.mode == Mode::Min { f64::INFINITY } else { f64::NEG_INFINITY };
        PlateauState { lr: self.lr, best, num_bad_epochs: 0, cooldown_counter: 0 }
    }

    fn is_better(&self, a: f64, best: f64) -> bool {
        match (self.mode, self.threshold_mode) {
            (Mode::Min, ThresholdMode::Rel) => a < best * (1.0 - self.threshold),
            (Mode::Min, ThresholdMode::Abs) => a < best - self.threshold,
            (Mode::Max, ThresholdMode::Rel) => a > best * (self.threshold + 1.0),
            (Mode::Max, ThresholdMode::Abs) => a > best + self.threshold,
        }
    }

    /// `scheduler.step(metric)`: NaN never counts as better, as in PyTorch.
    pub fn step(&self, state: &mut PlateauState, metric: f64) {
        if self.is_better(metric, state.best) {
            state.best = metric;
            state.num_bad_epochs = 0;
        } else {
            state.num_bad_epochs += 1;
        }
        if state.cooldown_counter > 0 {
            state.cooldown_counter -= 1;
            state.num_bad_epochs = 0;
        }
        if state.num_bad_epochs > self.patience {
            let new_lr = (state.lr * self.factor).max(self.min_lr);
            if state.lr - new_lr > self.eps {
                state.lr = new_lr;
            }
            state.cooldown_counter = self.cooldown;
            state.num_bad_epochs = 0;
        }
    }
}

impl Curve for Plateau {
    fn lr(&self, _t: u64) -> f64 {
        self.lr
    }

    fn plateau(&self) -> Option<Plateau> {
        Some(*self)
    }
}

fn build(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let factor = r.float(&FACTOR)?;
    if factor >= 1.0 {
        return Err(r.error(&FACTOR, format!("must be below 1 (it reduces the rate), got {factor}")));
    }
    Ok(Box::new(Plateau {
        lr: r.float(&LR)?,
        mode: r.pick(&MODE, &MODES)?,
        factor,
        patience: r.int(&PATIENCE)?,
        threshold: r.float(&THRESHOLD)?,
        threshold_mode: r.pick(&THRESHOLD_MODE, &THRESHOLD_MODES)?,
        cooldown: r.int(&COOLDOWN)?,
        min_lr: r.float(&MIN_LR)?,
        eps: r.float(&EPS)?,
    }))
}

pub const REDUCE_LR_ON_PLATEAU: Kind = Kind {
    name: "ReduceLROnPlateau",
    library: Library::PyTorch,
    description: "Cut the rate by factor when a metric stops improving (it needs the metric: replay it, or train).",
    fields: &[LR, MODE, FACTOR, PATIENCE, THRESHOLD, THRESHOLD_MODE, COOLDOWN, MIN_LR, EPS],
    cycles_momentum: false,
    build,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    fn replay(spec: serde_json::Value, metrics: &[f64]) -> Vec<f64> {
        Schedule::from_spec(&spec).unwrap().replay(metrics).unwrap().lr
    }

    #[test]
    fn reduces_after_patience_then_cools_down() {
        let spec = json!({"kind": "ReduceLROnPlateau", "lr": 1.0, "factor": 0.5, "patience": 1, "cooldown": 2});
        // Better, then four flat: the second bad one (patience 1) reduces; the cooldown ignores
        // two more; the count restarts after it.
        let lr = replay(spec, &[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
        assert_eq!(lr, vec![1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25]);
    }

    #[test]
    fn min_lr_and_eps_stop_the_reductions() {
        let spec = json!({"kind": "ReduceLROnPlateau", "lr": 1.0, "factor": 0.5, "patience": 0, "min_lr": 0.3});
        assert_eq!(replay(spec, &[1.0, 2.0, 2.0, 2.0]), vec![1.0, 0.5, 0.3, 0.3]);
        let spec = json!({"kind": "ReduceLROnPlateau", "lr": 1.0, "factor": 0.5, "patience": 0, "eps": 0.3});
        assert_eq!(replay(spec, &[1.0, 2.0, 2.0, 2.0]), vec![1.0, 0.5, 0.5, 0.5]);
    }

    #[test]
    fn max_mode_with_an_absolute_threshold_and_nan_as_bad() {
        let spec = json!({"kind": "ReduceLROnPlateau", "lr": 1.0, "mode": "max", "threshold_mode": "abs",
                          "threshold": 0.5, "patience": 1});
        let s = Schedule::from_spec(&spec).unwrap();
        let r = s.replay(&[1.0, 1.4, f64::NAN, 2.0]).unwrap();
        assert_eq!(r.lr, vec![1.0, 1.0, 0.1, 0.1]);
        assert_eq!(r.best, vec![1.0, 1.0, 1.0, 2.0]);
        assert_eq!(r.num_bad_epochs, vec![0, 1, 0, 0]);
    }

    #[test]
    fn factor_one_is_refused_and_steps_read_the_start_rate() {
        let e = Schedule::from_spec(&json!({"kind": "ReduceLROnPlateau", "factor": 1.0})).err().unwrap();
        assert_eq!(e.to_string(), "factor (ReduceLROnPlateau): must be below 1 (it reduces the rate), got 1");
        let s = Schedule::from_spec(&json!({"kind": "ReduceLROnPlateau", "lr": 0.2})).unwrap();
        assert_eq!(s.sample(3).unwrap().lr, vec![0.2; 3]);
        let e = Schedule::from_spec(&json!({"kind": "StepLR", "step_size": 3})).unwrap().replay(&[1.0]).unwrap_err();
        assert_eq!(e.to_string(), "metrics: only a ReduceLROnPlateau schedule replays metrics; this is a StepLR");
    }
}
