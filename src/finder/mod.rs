//! The learning-rate range test on a `Session` (Smith, "Cyclical Learning Rates", section 3.3),
//! reproducing fastai's `Learner.lr_find` or torch-lr-finder's `LRFinder.range_test` step for
//! step, on every run of the session at once; the session is restored exactly afterwards.

pub mod band;
pub mod curves;
pub mod smooth;
pub mod suggest;
pub mod verify;

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::engine::{RunUpdate, Session};
use crate::limits::BLOCK_STEPS;
use crate::schedule::range_test::{CONVENTION, END_LR, NUM_IT, START_LR, STEP_MODE};
use crate::schedule::{Convention, RangeTest, Schedule, StepMode};
use crate::spec::{describe_fields, options_object, Field, Preset, Reader, SpecError};

pub use band::{Band, Spread};
pub use smooth::{smooth_losses, Smoothing, StopRule};
pub use suggest::{suggest, suggest_all, Method, Pick, Suggestion, Suggestions};
pub use verify::{verify, Verification, VerifyOptions};

const STOP_DIV: Field =
    Field::boolean("stop_div", "fastai: stop once the smoothed loss exceeds 4 × the best").default(Preset::Bool(true));
pub(crate) const SMOOTH_F: Field =
    Field::float("smooth_f", 0.0, 1.0, "torch_lr_finder: weight of the new loss in the smoothing, in [0, 1)")
        .default(Preset::Float(0.05));
const DIVERGE_TH: Field =
    Field::float("diverge_th", 1.0, 1e9, "torch_lr_finder: stop once the loss exceeds diverge_th × the best")
        .default(Preset::Float(5.0));

const FASTAI_FIELDS: &[Field] = &[CONVENTION, START_LR, END_LR, NUM_IT, STEP_MODE, STOP_DIV];
const TORCH_FIELDS: &[Field] = &[CONVENTION, START_LR, END_LR, NUM_IT, STEP_MODE, SMOOTH_F, DIVERGE_TH];
/// The fields each convention takes, by the convention's name.
const CONVENTION_FIELDS: [(&[Field], &str); 2] = [(FASTAI_FIELDS, "fastai"), (TORCH_FIELDS, "torch_lr_finder")];

/// Each convention's range-test fields and the verification's, for the package's types
/// (`tests/native/typescript.rs`).
pub fn fields_json() -> Value {
    let conventions: Map<String, Value> =
        CONVENTION_FIELDS.iter().map(|(fields, name)| (name.to_string(), describe_fields(fields))).collect();
    json!({"range_test": conventions, "verify": verify::fields_json()})
}

/// A range test's options, validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FinderOptions {
    pub range: RangeTest,
    pub stop: StopRule,
    /// torch_lr_finder's smoothing factor (unused by fastai, whose beta is 0.98).
    pub smooth_f: f64,
}

/// Checks `smooth_f` is in [0, 1), as torch-lr-finder does.
pub(crate) fn read_smooth_f(r: &Reader) -> Result<f64, SpecError> {
    let f = r.float(&SMOOTH_F)?;
    if f >= 1.0 {
        return Err(r.error(&SMOOTH_F, "must be a finite number in [0, 1), got 1"));
    }
    Ok(f)
}

impl FinderOptions {
    /// `{convention?, start_lr?, end_lr?, num_it?, step_mode?, stop_div? (fastai), smooth_f?,
    /// diverge_th? (torch_lr_finder)}`; errors name the field. torch_lr_finder needs `start_lr`.
    pub fn parse(options: &Value) -> Result<Self, SpecError> {
        let empty = Map::new();
        let obj = options_object(options, &empty)?;
        let r = Reader::new(obj, Reader::kind_of(obj, &CONVENTION, &CONVENTION_FIELDS)?)?;
        let range = RangeTest::read(&r)?;
        let (stop, smooth_f) = match range.convention {
            Convention::Fastai => (StopRule::Fastai { stop_div: r.boolean(&STOP_DIV)? }, 0.0),
            Convention::TorchLrFinder => {
                if r.given(&START_LR).is_none() {
                    return Err(r.error(&START_LR, "is required for torch_lr_finder (range_test has no default)"));
                }
                (StopRule::TorchLrFinder { diverge_th: r.float(&DIVERGE_TH)? }, read_smooth_f(&r)?)
            }
        };
        Ok(Self { range, stop, smooth_f })
    }

    fn schedule(&self) -> Result<Schedule, SpecError> {
        let r = &self.range;
        Schedule::from_spec(&json!({
            "kind": "LrRangeTest",
            "start_lr": r.start_lr,
            "end_lr": r.end_lr,
            "num_it": r.num_it,
            "step_mode": match r.step_mode {
                StepMode::Exp => "exp",
                StepMode::Linear => "linear",
            },
            "convention": match r.convention {
                Convention::Fastai => "fastai",
                Convention::TorchLrFinder => "torch_lr_finder",
            },
        }))
    }
}

/// One run's range test.
#[derive(Clone, Debug, PartialEq)]
pub struct RunCurve {
    /// Raw batch losses, as long as the run recorded.
    pub losses: Vec<f32>,
    /// The convention's smoothed curve (fastai's float32 values, widened).
    pub smoothed: Vec<f64>,
    pub suggestions: Suggestions,
    /// The index of the point after which the stop rule ended the run; `None` if it ran to the end.
    pub stopped_at: Option<usize>,
    /// The run's group multipliers: the test swept the base rate keeping their ratios, so a
    /// group's rate is the suggestion times its multiplier (`group_lrs`).
    pub group_lr_mult: Vec<f64>,
}

impl Suggestions {
    /// Per method, the per-group rates a suggested base rate implies (`None` where there is no
    /// suggestion).
    pub fn group_lrs(&self, group_lr_mult: &[f64]) -> Vec<(Method, Option<Vec<f64>>)> {
        Method::ALL
            .iter()
            .map(|&m| (m, self.get(m).pick().map(|p| group_lr_mult.iter().map(|g| p.lr * g).collect())))
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FinderResult {
    /// The rate of each recorded batch, as long as the longest run's record.
    pub lrs: Vec<f64>,
    pub runs: Vec<RunCurve>,
    /// Over runs, with more than one run.
    pub band: Option<Band>,
    /// The single run's, or those of the band's median curve.
    pub suggestions: Suggestions,
    /// The runs' group multipliers, when they all have the same (for `suggestions.group_lrs`).
    pub group_lr_mult: Option<Vec<f64>>,
    /// The caller's progress callback asked to stop before the end.
    pub cancelled: bool,
}

/// One recorded point, for progress.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub run: usize,
    pub i: usize,
    pub lr: f64,
    pub loss: f32,
    pub smoothed: f64,
}

/// Runs the range test on every run of `session` at once, then restores it exactly. After each
/// chunk of at most one GPU block, `progress` gets the points recorded in it (in step order)
/// and returns whether to go on; each run stops by its convention's rule. The runs' phases go
/// on with the range schedule (their group multipliers and frozen groups kept).
pub async fn run(
    session: &mut Session,
    options: &FinderOptions,
    mut progress: impl FnMut(&[Point]) -> bool,
) -> Result<FinderResult, SpecError> {
    let schedule = Arc::new(options.schedule()?);
    let iterations = options.range.iterations() as usize;
    let snapshot = session.snapshot();
    let runs = session.run_count();
    for r in 0..runs {
        session.update_run(r, RunUpdate { schedule: Some(schedule.clone()), ..RunUpdate::default() });
    }
    let lrs: Vec<f64> = (0..iterations as u64).map(|i| options.range.lr(i)).collect();
    let mults: Vec<Vec<f64>> = (0..runs).map(|r| session.groups_setup(r).0).collect();
    let mut recorders: Vec<smooth::Recorder> =
        (0..runs).map(|_| smooth::Recorder::new(options.stop, options.smooth_f)).collect();
    let mut done = 0usize;
    let mut cancelled = false;
    let mut points = Vec::new();
    while done < iterations && !cancelled && recorders.iter().any(|r| !r.stopped) {
        let chunk = (iterations - done).min(BLOCK_STEPS);
        let losses = session.step(chunk as u64).await;
        points.clear();
        for s in 0..chunk {
            for (r, recorder) in recorders.iter_mut().enumerate() {
                if recorder.stopped {
                    continue;
                }
                let loss = losses.get(s * runs + r).copied().unwrap_or(f32::NAN);
                let smoothed = recorder.push(loss);
                points.push(Point { run: r, i: done + s, lr: lrs[done + s], loss, smoothed });
                if recorder.stopped {
                    session.stop_run(r);
                }
            }
        }
        done += chunk;
        cancelled = !progress(&points);
    }
    session.restore(&snapshot).map_err(|e| SpecError::new("", e.0))?;
    let num_it = options.range.num_it;
    let curves: Vec<RunCurve> = recorders
        .into_iter()
        .zip(mults)
        .map(|(rec, group_lr_mult)| {
            let recorded = rec.raw.len();
            let stopped_at = rec.stopped.then(|| recorded.saturating_sub(1));
            let suggestions = suggest_all(&lrs, &rec.smoothed, num_it);
            RunCurve { losses: rec.raw, smoothed: rec.smoothed, suggestions, stopped_at, group_lr_mult }
        })
        .collect();
    let longest = curves.iter().map(|c| c.losses.len()).max().unwrap_or(0);
    let lrs = lrs[..longest].to_vec();
    let (band, suggestions) = if curves.len() > 1 {
        let band = Band::over(&lrs, &curves);
        let suggestions = suggest_all(&lrs, &band.median, num_it);
        (Some(band), suggestions)
    } else {
        let suggestions = curves.first().map_or_else(|| suggest_all(&[], &[], num_it), |c| c.suggestions.clone());
        (None, suggestions)
    };
    let group_lr_mult =
        curves.first().map(|c| c.group_lr_mult.clone()).filter(|m| curves.iter().all(|c| c.group_lr_mult == *m));
    Ok(FinderResult { lrs, runs: curves, band, suggestions, group_lr_mult, cancelled })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(options: Value) -> String {
        FinderOptions::parse(&options).expect_err("options should be rejected").to_string()
    }

    #[test]
    fn options_default_to_fastais_lr_find() {
        let o = FinderOptions::parse(&Value::Null).unwrap();
        assert_eq!((o.range.start_lr, o.range.end_lr, o.range.num_it), (1e-7, 10.0, 100));
        assert_eq!(o.stop, StopRule::Fastai { stop_div: true });
        let t = FinderOptions::parse(&json!({"convention": "torch_lr_finder", "start_lr": 1e-3})).unwrap();
        assert_eq!((t.stop, t.smooth_f), (StopRule::TorchLrFinder { diverge_th: 5.0 }, 0.05));
    }

    #[test]
    fn bad_options_name_their_field() {
        assert_eq!(err(json!({"start_lr": 1e-2, "end_lr": 1e-3})), "end_lr: must be > start_lr (0.01), got 0.001");
        assert_eq!(err(json!({"num_it": 1})), "num_it: must be an integer in [2, 100000], got 1");
        assert_eq!(
            err(json!({"convention": "torch_lr_finder"})),
            "start_lr: is required for torch_lr_finder (range_test has no default)"
        );
        assert_eq!(
            err(json!({"diverge_th": 4})),
            "diverge_th: unknown field (allowed: convention, start_lr, end_lr, num_it, step_mode, stop_div)"
        );
        assert_eq!(
            err(json!({"convention": "torch_lr_finder", "start_lr": 1e-3, "smooth_f": 1})),
            "smooth_f: must be a finite number in [0, 1), got 1"
        );
        assert_eq!(err(json!(3)), "must be an object, got 3");
    }
}
