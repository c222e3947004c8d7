//! The learning-rate range test's rate (Smith, "Cyclical Learning Rates", section 3.3): the rate
//! grows every batch from `start_lr` towards `end_lr`, as fastai's `LRFinder` or torch-lr-finder's
//! `range_test` sets it.
//!
//! - `fastai`: `start * (end/start) ** (i/num_it)` for i < num_it (never reaching end_lr), and a
//!   `num_it` below 6 becomes 6, as `LRFinder.__init__` does;
//! - `torch_lr_finder`: `start * (end/start) ** (i/(num_it-1))` (exp) or
//!   `start + i/(num_it-1) * (end-start)` (linear), reaching end_lr at the last iteration.
//!
//! The float operations are the libraries', in their order.

use super::{Curve, Kind, Library};
use crate::limits::MAX_NUM_IT;
use crate::spec::{fmt_num, Field, Preset, Reader, SpecError};

/// fastai's `LRFinder` runs at least this many iterations.
const FASTAI_MIN_NUM_IT: u64 = 6;

pub(crate) const START_LR: Field =
    Field::float("start_lr", 0.0, 100.0, "The first rate tried").min_open().log().default(Preset::Float(1e-7));
pub(crate) const END_LR: Field =
    Field::float("end_lr", 0.0, 1e6, "The rate the test grows towards").min_open().log().default(Preset::Float(10.0));
pub(crate) const NUM_IT: Field =
    Field::int("num_it", 2, MAX_NUM_IT, "Batches the rate grows over").default(Preset::Int(100));
pub(crate) const STEP_MODE: Field = Field::choice(
    "step_mode",
    &["exp", "linear"],
    "exp: log-spaced rates; linear: evenly spaced (torch_lr_finder only)",
)
.default(Preset::Choice("exp"));
pub(crate) const CONVENTION: Field = Field::choice(
    "convention",
    &["fastai", "torch_lr_finder"],
    "fastai: Learner.lr_find (never reaches end_lr); torch_lr_finder: LRFinder.range_test (reaches end_lr)",
)
.default(Preset::Choice("fastai"));

/// Which library's range test a rate sequence (and its smoothing and stop rule) follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Convention {
    Fastai,
    TorchLrFinder,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepMode {
    Exp,
    Linear,
}

/// The rates of one range test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeTest {
    pub start_lr: f64,
    pub end_lr: f64,
    /// As given; fastai's iteration count is `iterations()`.
    pub num_it: u64,
    pub step_mode: StepMode,
    pub convention: Convention,
}

impl RangeTest {
    /// Reads and checks the range test's fields (`start_lr < end_lr`; `linear` only for
    /// torch_lr_finder, as fastai has no such mode).
    pub fn read(r: &Reader) -> Result<Self, SpecError> {
        let convention = match r.choice(&CONVENTION)? {
            "fastai" => Convention::Fastai,
            _ => Convention::TorchLrFinder,
        };
        let start_lr = r.float(&START_LR)?;
        let end_lr = r.float(&END_LR)?;
        if start_lr >= end_lr {
            return Err(
                r.error(&END_LR, format!("must be > start_lr ({}), got {}", fmt_num(start_lr), fmt_num(end_lr)))
            );
        }
        let num_it = r.int(&NUM_IT)?;
        let step_mode = match r.choice(&STEP_MODE)? {
            "exp" => StepMode::Exp,
            _ if convention == Convention::Fastai => {
                return Err(r.error(&STEP_MODE, "must be \"exp\" for the fastai convention (fastai has no linear mode)"))
            }
            _ => StepMode::Linear,
        };
        Ok(Self { start_lr, end_lr, num_it, step_mode, convention })
    }

    /// How many batches the test takes at most.
    pub fn iterations(&self) -> u64 {
        match self.convention {
            Convention::Fastai => self.num_it.max(FASTAI_MIN_NUM_IT),
            Convention::TorchLrFinder => self.num_it,
        }
    }

    /// The rate of iteration `i`.
    pub fn lr(&self, i: u64) -> f64 {
        let (start, end, i) = (self.start_lr, self.end_lr, i as f64);
        match (self.convention, self.step_mode) {
            // fastai: SchedExp(start, end) at pos = train_iter / num_it.
            (Convention::Fastai, _) => start * (end / start).powf(i / self.iterations() as f64),
            // torch-lr-finder: r = last_epoch / (num_iter - 1).
            (Convention::TorchLrFinder, StepMode::Exp) => start * (end / start).powf(i / (self.num_it - 1) as f64),
            (Convention::TorchLrFinder, StepMode::Linear) => start + i / (self.num_it - 1) as f64 * (end - start),
        }
    }
}

impl Curve for RangeTest {
    fn lr(&self, t: u64) -> f64 {
        RangeTest::lr(self, t)
    }

    fn last_step(&self) -> Option<u64> {
        Some(self.iterations() - 1)
    }
}

fn build(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    Ok(Box::new(RangeTest::read(r)?))
}

pub const LR_RANGE_TEST: Kind = Kind {
    name: "LrRangeTest",
    library: Library::LrPlayground,
    description: "The LR range test's rate, as fastai's lr_find or torch-lr-finder's range_test grows it every batch.",
    fields: &[START_LR, END_LR, NUM_IT, STEP_MODE, CONVENTION],
    cycles_momentum: false,
    build,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::{json, Value};

    fn lrs(spec: Value) -> Vec<f64> {
        let s = Schedule::from_spec(&spec).unwrap();
        s.sample(s.last_step().unwrap() + 1).unwrap().lr
    }

    fn err(spec: Value) -> String {
        Schedule::from_spec(&spec).err().expect("spec should be rejected").to_string()
    }

    #[test]
    fn fastai_never_reaches_end_lr_and_takes_at_least_six_batches() {
        let got = lrs(json!({"kind": "LrRangeTest", "start_lr": 1e-3, "end_lr": 1.0, "num_it": 3}));
        // start * (end/start) ** (i/6), as Python evaluates it.
        let expected: Vec<f64> = (0..6).map(|i| 1e-3 * (1.0f64 / 1e-3).powf(i as f64 / 6.0)).collect();
        assert_eq!(got, expected);
        assert_eq!(got[0], 1e-3);
        assert_eq!(got[3], 0.03162277660168379); // Python: 1e-3*(1/1e-3)**(3/6)
        let defaults = lrs(json!({"kind": "LrRangeTest"}));
        assert_eq!(defaults.len(), 100);
        assert_eq!(defaults[0], 1e-7);
        assert!(defaults[99] < 10.0);
    }

    #[test]
    fn torch_lr_finder_reaches_end_lr() {
        let spec = json!({"kind": "LrRangeTest", "start_lr": 0.01, "end_lr": 1.0, "num_it": 5, "convention": "torch_lr_finder"});
        let got = lrs(spec);
        let expected: Vec<f64> = (0..5).map(|i| 0.01 * (1.0f64 / 0.01).powf(i as f64 / 4.0)).collect();
        assert_eq!(got, expected);
        assert_eq!(got[4], 1.0);
        let linear = lrs(json!({"kind": "LrRangeTest", "start_lr": 0.1, "end_lr": 1.0, "num_it": 4,
            "convention": "torch_lr_finder", "step_mode": "linear"}));
        assert_eq!(linear, vec![0.1, 0.1 + 1.0 / 3.0 * 0.9, 0.1 + 2.0 / 3.0 * 0.9, 1.0]);
    }

    #[test]
    fn bad_fields_are_named() {
        assert_eq!(
            err(json!({"kind": "LrRangeTest", "start_lr": 1.0, "end_lr": 1.0})),
            "end_lr (LrRangeTest): must be > start_lr (1), got 1"
        );
        assert_eq!(
            err(json!({"kind": "LrRangeTest", "num_it": 1})),
            "num_it (LrRangeTest): must be an integer in [2, 100000], got 1"
        );
        assert_eq!(
            err(json!({"kind": "LrRangeTest", "num_it": 100001})),
            "num_it (LrRangeTest): must be an integer in [2, 100000], got 100001"
        );
        assert_eq!(
            err(json!({"kind": "LrRangeTest", "step_mode": "linear"})),
            "step_mode (LrRangeTest): must be \"exp\" for the fastai convention (fastai has no linear mode)"
        );
        assert_eq!(
            err(json!({"kind": "LrRangeTest", "convention": "keras"})),
            "convention (LrRangeTest): must be one of fastai | torch_lr_finder, got \"keras\""
        );
        assert_eq!(
            err(json!({"kind": "LrRangeTest", "step_mode": "cos", "convention": "torch_lr_finder"})),
            "step_mode (LrRangeTest): must be one of exp | linear, got \"cos\""
        );
    }
}
