//! Proof by training: short real trainings at K candidate rates, from one run's current
//! parameters, in one runs-dimension pass (a forked session), so a page can show whether the
//! finder's pick trains well.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::engine::{Phase, Session};
use crate::limits::MAX_CANDIDATES;
use crate::schedule::Schedule;
use crate::spec::{describe_fields, options_object, Field, Preset, Reader, SpecError};

const CANDIDATES: Field = Field::float_list("candidates", 0.0, 100.0, "The rates to train at (1 to 64)").min_open();
const STEPS: Field = Field::int("steps", 1, 100_000, "Optimizer steps per training").default(Preset::Int(100));
const SCHEDULE: Field = Field::choice(
    "schedule",
    &["one_cycle", "fit_one_cycle", "constant"],
    "one_cycle: PyTorch OneCycleLR with max_lr = the candidate; fit_one_cycle: fastai's; constant: the rate throughout",
)
.default(Preset::Choice("one_cycle"));
const RUN: Field = Field::int("run", 0, 1_000_000, "The run whose current parameters each training starts from")
    .default(Preset::Int(0));
const FIELDS: &[Field] = &[CANDIDATES, STEPS, SCHEDULE, RUN];

/// The verification's fields, for the package's types (`tests/native/typescript.rs`).
pub fn fields_json() -> Value {
    describe_fields(FIELDS)
}

#[derive(Clone, Debug, PartialEq)]
pub struct VerifyOptions {
    pub candidates: Vec<f64>,
    pub steps: u64,
    pub schedule: &'static str,
    pub run: usize,
}

impl VerifyOptions {
    /// `{candidates, steps?, schedule?, run?}` for a session of `runs` runs; errors name the field.
    pub fn parse(options: &Value, runs: usize) -> Result<Self, SpecError> {
        let empty = Map::new();
        let obj = options_object(options, &empty)?;
        let r = Reader::new(obj, FIELDS)?;
        let candidates = r.float_list(&CANDIDATES)?;
        if candidates.is_empty() || candidates.len() > MAX_CANDIDATES {
            return Err(
                r.error(&CANDIDATES, format!("must hold 1 to {MAX_CANDIDATES} rates, got {}", candidates.len()))
            );
        }
        let run = r.int(&RUN)? as usize;
        if run >= runs {
            return Err(r.error(&RUN, format!("must be an integer in [0, {}], got {run}", runs - 1)));
        }
        Ok(Self { candidates, steps: r.int(&STEPS)?, schedule: r.choice(&SCHEDULE)?, run })
    }

    fn schedule_at(&self, lr: f64) -> Result<Schedule, SpecError> {
        let spec = match self.schedule {
            "one_cycle" => json!({"kind": "OneCycleLR", "max_lr": lr, "total_steps": self.steps}),
            "fit_one_cycle" => {
                json!({"kind": "fit_one_cycle", "n_epoch": 1, "steps_per_epoch": self.steps, "lr_max": lr})
            }
            _ => json!({"kind": "Constant", "lr": lr}),
        };
        Schedule::from_spec(&spec).map_err(|e| SpecError::new("candidates", e.to_string()))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Verification {
    pub candidates: Vec<f64>,
    /// `[step][candidate]`, NaN once a training diverged.
    pub losses: Vec<f32>,
    /// After the last step, per candidate (NaN where it diverged).
    pub train_loss: Vec<f32>,
    /// NaN without validation rows.
    pub validation_loss: Vec<f32>,
    pub diverged: Vec<bool>,
}

/// Trains one fork of `session` per candidate (run `options.run`'s parameters, its group
/// multipliers and frozen groups) for `options.steps` steps; `session` itself is not touched.
pub async fn verify(session: &Session, options: &VerifyOptions) -> Result<Verification, SpecError> {
    let (group_lr_mult, frozen) = session.groups_setup(options.run);
    let phases = options
        .candidates
        .iter()
        .map(|&lr| {
            let schedule = Arc::new(options.schedule_at(lr)?);
            Ok(vec![Phase {
                steps: Some(options.steps),
                schedule,
                group_lr_mult: group_lr_mult.clone(),
                frozen: frozen.clone(),
                reset_optimizer: false,
            }])
        })
        .collect::<Result<Vec<_>, SpecError>>()?;
    let mut fork = session.fork(options.run, phases);
    let losses = fork.step(options.steps).await;
    let k = options.candidates.len();
    let evaluations: Vec<_> = (0..k).map(|r| fork.evaluate(r)).collect();
    let diverged = (0..k).map(|r| matches!(fork.status(r), crate::engine::RunStatus::Diverged { .. })).collect();
    Ok(Verification {
        candidates: options.candidates.clone(),
        losses,
        train_loss: evaluations.iter().map(|e| e.train_loss).collect(),
        validation_loss: evaluations.iter().map(|e| e.validation_loss).collect(),
        diverged,
    })
}
