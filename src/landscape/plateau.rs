//! The plateau race: a deep narrow MLP started near the saddle at θ = 0 (its initial parameters
//! scaled by `init_scale`) sits on a loss plateau, and several learning-rate schedules race to
//! leave it, each over several seeds, all as runs of one session.
//!
//! Measured as follows, per run, from the training loss of every step:
//! - the smoothed loss at step t is the mean of the raw losses of steps max(0, t − 24)..=t (a
//!   trailing mean of [`SMOOTHING`] steps);
//! - the plateau loss is the median of the raw losses of the first [`PLATEAU_WINDOW`] steps
//!   (non-finite ones left out; NaN if there are none, or fewer steps);
//! - the escape step is the first step t >= SMOOTHING − 1 whose smoothed loss is below
//!   `threshold` × the plateau loss; none (null) if that never happens in the steps taken.
//!
//! Over the seeds of a schedule, a run that never escaped counts as +∞: the median and quartiles
//! (numpy's linear quantiles) are null where they are infinite.

use std::fmt;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::engine::options::{Options, SessionOptions};
use crate::engine::Session;
use crate::limits::{train_work, MAX_CALL_WORK, MAX_SCHEDULES, TOO_MUCH_WORK};
use crate::schedule::Schedule;
use crate::spec::{describe_fields, describe_value, options_object, Field, Preset, Reader, SpecError};
use crate::stats::quantile;

/// Steps in the trailing mean the escape test reads.
pub const SMOOTHING: usize = 25;
/// Steps whose median loss is the plateau loss.
pub const PLATEAU_WINDOW: usize = 50;
/// Steps between progress reports.
pub const PROGRESS_STEPS: u64 = 100;

const INIT_SCALE: Field =
    Field::float("init_scale", 0.0, 1.0, "Multiplies every initial parameter (small: start near the saddle at 0)")
        .min_open()
        .default(Preset::Float(0.2));
const SEEDS: Field =
    Field::int("seeds", 1, 16, "Initialisations per schedule (seeds 0..seeds-1)").default(Preset::Int(5));
/// The shortest race: fewer steps leave no time to escape a plateau.
const FEWEST_STEPS: u64 = 100;
const STEPS: Field = Field::int("steps", FEWEST_STEPS, 20_000, "Training steps of the race").default(Preset::Int(1500));
const THRESHOLD: Field = Field::float(
    "threshold",
    0.0,
    1.0,
    "A run has escaped once its smoothed loss is below threshold × its plateau loss",
)
.min_open()
.default(Preset::Float(0.5));
const SCHEDULES: Field = Field::nested("schedules", "The contestants: [{name, schedule}, ...] (default: five)");
/// Passed on to the session, with the race's own defaults where a key is absent.
const SESSION_KEYS: &[&str] =
    &["backend", "layers", "activation", "loss", "optimizer", "data", "batch_size", "shuffle", "seed"];
const RACE_FIELDS: &[Field] = &[INIT_SCALE, SEEDS, STEPS, THRESHOLD, SCHEDULES];

/// The race's own fields and the session options it passes on.
pub fn fields_json() -> Value {
    json!({"race": describe_fields(RACE_FIELDS), "session_keys": SESSION_KEYS})
}

/// A network, data and optimizer on which small initialisations sit on a clear plateau (see
/// `tests/native/plateau.rs` for the figures): two well-separated Gaussian blobs, which any network
/// away from the saddle separates at once, so the time on the plateau is the saddle's alone.
fn default_session() -> Value {
    json!({
        "backend": "auto", "layers": [2, 8, 8, 8, 8, 2], "activation": "tanh", "loss": "cross_entropy",
        "optimizer": {"kind": "sgd", "momentum": 0.9},
        "data": {"kind": "gauss", "n": 400, "noise": 0.05, "validation_fraction": 0.0, "seed": 1},
        "batch_size": 32,
    })
}

/// The five default contestants, for a race of `steps` steps, as `{name, schedule}` entries: a
/// small and a large fixed rate, triangular cycles between them (CyclicLR), warm restarts from the
/// large one (SGDR) and one cycle up to it (OneCycleLR).
fn default_schedules(steps: u64) -> [Value; 5] {
    let (small, large) = (0.05, 0.5);
    let cycle = (steps / 4).max(2);
    [
        json!({"name": format!("fixed {small}"), "schedule": {"kind": "Constant", "lr": small}}),
        json!({"name": format!("fixed {large}"), "schedule": {"kind": "Constant", "lr": large}}),
        json!({"name": "triangular", "schedule": {"kind": "CyclicLR", "base_lr": small, "max_lr": large, "step_size_up": cycle / 2, "cycle_momentum": false}}),
        json!({"name": "SGDR", "schedule": {"kind": "CosineAnnealingWarmRestarts", "lr": large, "T_0": cycle, "eta_min": small}}),
        json!({"name": "one-cycle", "schedule": {"kind": "OneCycleLR", "max_lr": large, "total_steps": steps}}),
    ]
}

/// A validated race.
#[derive(Clone)]
pub struct RaceSpec {
    /// The session's options; the race makes its runs.
    pub session: SessionOptions,
    pub init_scale: f64,
    pub seeds: usize,
    pub steps: u64,
    pub threshold: f64,
    /// The contestants' names and schedules.
    pub schedules: Vec<(String, Arc<Schedule>)>,
}

/// The contestants by name and kind (a schedule prints as its kind).
impl fmt::Debug for RaceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let contestants: Vec<(&str, &str)> = self.schedules.iter().map(|(name, s)| (name.as_str(), s.kind())).collect();
        f.debug_struct("RaceSpec")
            .field("session", &self.session)
            .field("init_scale", &self.init_scale)
            .field("seeds", &self.seeds)
            .field("steps", &self.steps)
            .field("threshold", &self.threshold)
            .field("schedules", &contestants)
            .finish()
    }
}

impl RaceSpec {
    /// `options`: the race's fields, and any session option but `runs` and `groups` (`layers`,
    /// `data`, `optimizer`, `backend`, ...). `null` is every default.
    pub fn parse(options: &Value) -> Result<Self, SpecError> {
        let empty = Map::new();
        let obj = options_object(options, &empty)?;
        let mut race = Map::new();
        let mut session = match default_session() {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        for (key, value) in obj {
            if SESSION_KEYS.contains(&key.as_str()) {
                session.insert(key.clone(), value.clone());
            } else if RACE_FIELDS.iter().any(|f| f.name == key) {
                race.insert(key.clone(), value.clone());
            } else {
                let allowed: Vec<&str> =
                    RACE_FIELDS.iter().map(|f| f.name).chain(SESSION_KEYS.iter().copied()).collect();
                return Err(SpecError::new(key.clone(), format!("unknown field (allowed: {})", allowed.join(", "))));
            }
        }
        let r = Reader::new(&race, RACE_FIELDS)?;
        let steps = r.int(&STEPS)?;
        let schedules = match r.given(&SCHEDULES) {
            None => default_schedules(steps).iter().map(parse_entry).collect::<Result<_, _>>()?,
            Some(_) => {
                let list = r.spec_list(&SCHEDULES, "{name, schedule} entries")?;
                if list.is_empty() || list.len() > MAX_SCHEDULES {
                    return Err(
                        r.error(&SCHEDULES, format!("must list 1 to {MAX_SCHEDULES} entries, got {}", list.len()))
                    );
                }
                list.iter()
                    .enumerate()
                    .map(|(i, entry)| parse_entry(entry).map_err(|e| e.at(i).within(SCHEDULES.name)))
                    .collect::<Result<_, _>>()?
            }
        };
        let init_scale = r.float(&INIT_SCALE)?;
        let seeds = r.int(&SEEDS)? as usize;
        let threshold = r.float(&THRESHOLD)?;
        let session = SessionOptions::parse_without_runs(&Value::Object(session))?;
        let spec = Self { session, init_scale, seeds, steps, threshold, schedules };
        let c = spec.session_options()?.config;
        // One call's budget, as every call's: a race finishes in seconds on the CPU path.
        let (runs, params) = (c.runs.len(), c.mlp.param_count());
        let step_work = train_work(1.0, c.batch_size as f64, runs as f64, params as f64);
        if spec.steps as f64 * step_work > MAX_CALL_WORK {
            let most = (MAX_CALL_WORK / step_work).floor();
            let depends_on = "this network, batch size, number of seeds and number of schedules";
            let message = if most >= FEWEST_STEPS as f64 {
                format!("must be at most {most} for {depends_on} {TOO_MUCH_WORK}, got {}", spec.steps)
            } else {
                format!(
                    "must be at least {FEWEST_STEPS}, and at most {most} fit {depends_on} {TOO_MUCH_WORK}: use fewer seeds or schedules, a smaller batch or a smaller network, got {}",
                    spec.steps
                )
            };
            return Err(r.error(&STEPS, message));
        }
        Ok(spec)
    }

    pub fn runs(&self) -> usize {
        self.seeds * self.schedules.len()
    }

    /// The session's options: run `schedule × seeds + seed` is schedule `schedule` from seed
    /// `seed`, so every schedule starts from the same initialisations and sees the same batches.
    pub fn session_options(&self) -> Result<Options, SpecError> {
        let runs = self
            .schedules
            .iter()
            .flat_map(|(_, schedule)| (0..self.seeds).map(|seed| self.session.run(seed as u64, schedule.clone())))
            .collect();
        self.session.clone().build(runs)
    }
}

/// `{name, schedule}`; errors relative to the entry.
fn parse_entry(entry: &Value) -> Result<(String, Arc<Schedule>), SpecError> {
    let obj = entry.as_object().ok_or_else(|| {
        SpecError::new("", format!("must be an object {{name, schedule}}, got {}", describe_value(entry)))
    })?;
    if let Some(key) = obj.keys().find(|k| !["name", "schedule"].contains(&k.as_str())) {
        return Err(SpecError::new(
            key.clone(),
            "unknown field (allowed: name, schedule; the optimizer is the race's own)",
        ));
    }
    let name = match obj.get("name") {
        Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= 60 => s.clone(),
        other => {
            let got = other.map_or("nothing".into(), describe_value);
            return Err(SpecError::new("name", format!("must be a name of 1 to 60 characters, got {got}")));
        }
    };
    let spec = obj.get("schedule").ok_or_else(|| {
        SpecError::new("schedule", "is required: a schedule spec such as {kind: \"Constant\", lr: 0.1}")
    })?;
    let schedule = Schedule::from_spec(spec).map_err(|e| e.within("schedule"))?;
    Ok((name, Arc::new(schedule)))
}

/// Every run's parameters multiplied by `scale`: the small initialisation near the saddle.
pub fn scale_initial(session: &mut Session, scale: f64) {
    for run in 0..session.run_count() {
        let scaled: Vec<f32> = session.params(run).iter().map(|&p| (p as f64 * scale) as f32).collect();
        session.set_params(run, &scaled);
    }
}

/// Trains `steps` steps in blocks of [`PROGRESS_STEPS`], calling `progress(steps taken, each
/// run's smoothed loss)` after each; returning false stops the race there. The losses `[step][run]`.
pub async fn race(session: &mut Session, steps: u64, mut progress: impl FnMut(u64, &[f32]) -> bool) -> Vec<f32> {
    let runs = session.run_count();
    let mut losses = Vec::with_capacity(steps as usize * runs);
    let mut taken = 0;
    while taken < steps {
        let n = PROGRESS_STEPS.min(steps - taken);
        losses.extend(session.step(n).await);
        taken += n;
        let now: Vec<f32> = (0..runs).map(|r| smoothed_at(&losses, runs, r, taken as usize - 1)).collect();
        if !progress(taken, &now) {
            break;
        }
    }
    losses
}

/// Run `run`'s smoothed loss at step `t` (see the module's definition).
fn smoothed_at(losses: &[f32], runs: usize, run: usize, t: usize) -> f32 {
    let from = (t + 1).saturating_sub(SMOOTHING);
    let window = (from..=t).map(|s| losses[s * runs + run] as f64);
    (window.sum::<f64>() / (t + 1 - from) as f64) as f32
}

/// The median of the first [`PLATEAU_WINDOW`] finite losses' steps of one run (`curve`: its raw losses).
pub fn plateau_loss(curve: &[f32]) -> f32 {
    if curve.len() < PLATEAU_WINDOW {
        return f32::NAN;
    }
    let mut first: Vec<f64> = curve[..PLATEAU_WINDOW].iter().filter(|l| l.is_finite()).map(|&l| l as f64).collect();
    if first.is_empty() {
        return f32::NAN;
    }
    first.sort_by(f64::total_cmp);
    quantile(&first, 0.5) as f32
}

/// The first step whose smoothed loss is below `threshold` × `plateau` (see the module's
/// definition), or none.
pub fn escape_step(curve: &[f32], plateau: f32, threshold: f64) -> Option<usize> {
    let bar = threshold * plateau as f64;
    let mut sum = 0.0;
    for (t, &l) in curve.iter().enumerate() {
        sum += l as f64;
        if t >= SMOOTHING {
            sum -= curve[t - SMOOTHING] as f64;
        }
        // NaN (a diverged run) never compares below: it stays in the window, so no escape follows.
        if t + 1 >= SMOOTHING && sum / (SMOOTHING as f64) < bar {
            return Some(t);
        }
    }
    None
}

/// One schedule's escapes over its seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleResult {
    pub name: String,
    pub escape_steps: Vec<Option<usize>>,
    pub median: Option<f64>,
    pub q25: Option<f64>,
    pub q75: Option<f64>,
    pub escaped: usize,
}

/// Median and quartiles of escape steps, a never-escaped run counting as +∞; null where infinite.
pub fn summarize(name: &str, escape_steps: Vec<Option<usize>>) -> ScheduleResult {
    let mut values: Vec<f64> = escape_steps.iter().map(|s| s.map_or(f64::INFINITY, |s| s as f64)).collect();
    values.sort_by(f64::total_cmp);
    let at = |q: f64| (!values.is_empty()).then(|| quantile(&values, q)).filter(|v| v.is_finite());
    ScheduleResult {
        name: name.to_string(),
        median: at(0.5),
        q25: at(0.25),
        q75: at(0.75),
        escaped: escape_steps.iter().filter(|s| s.is_some()).count(),
        escape_steps,
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RaceResult {
    pub schedules: Vec<ScheduleResult>,
    /// Steps taken (fewer than asked when the race was stopped).
    pub steps: usize,
    pub runs: usize,
    pub seeds: usize,
    /// `[step][run]`.
    pub loss: Vec<f32>,
    pub plateau_loss: Vec<f32>,
}

/// The race's measurements from its losses `[step][run]` (runs laid out as `session_options`).
pub fn measure(spec: &RaceSpec, loss: Vec<f32>) -> RaceResult {
    let runs = spec.runs();
    let steps = loss.len() / runs.max(1);
    let curve = |r: usize| -> Vec<f32> { (0..steps).map(|s| loss[s * runs + r]).collect() };
    let mut plateau = Vec::with_capacity(runs);
    let mut escapes = Vec::with_capacity(runs);
    for r in 0..runs {
        let c = curve(r);
        let p = plateau_loss(&c);
        plateau.push(p);
        escapes.push(escape_step(&c, p, spec.threshold));
    }
    let schedules = spec
        .schedules
        .iter()
        .enumerate()
        .map(|(i, (name, _))| summarize(name, escapes[i * spec.seeds..(i + 1) * spec.seeds].to_vec()))
        .collect();
    RaceResult { schedules, steps, runs, seeds: spec.seeds, loss, plateau_loss: plateau }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plateau at `high` for `at` steps, then a drop to `low`.
    fn step_curve(high: f32, low: f32, at: usize, n: usize) -> Vec<f32> {
        (0..n).map(|t| if t < at { high } else { low }).collect()
    }

    #[test]
    fn plateau_is_the_median_of_the_first_window() {
        let mut curve: Vec<f32> = (0..200).map(|t| 0.7 + (t % 5) as f32 * 0.01).collect();
        curve[3] = 50.0; // a spike does not move a median
        curve[4] = f32::NAN;
        // 49 finite values in the window, cycling 0.70..0.74: the median is 0.72.
        assert!((plateau_loss(&curve) - 0.72).abs() < 1e-6, "{}", plateau_loss(&curve));
        assert!(plateau_loss(&curve[..49]).is_nan(), "fewer steps than the window");
        assert!(plateau_loss(&[f32::NAN; 60]).is_nan());
    }

    #[test]
    fn escape_is_where_the_trailing_mean_crosses() {
        // 0.7 for 300 steps, then 0.1: the trailing mean of 25 after k low steps is
        // (0.7 (25 − k) + 0.1 k) / 25 < 0.35 once 0.6 k > 8.75, k >= 15: step 300 + 14.
        let curve = step_curve(0.7, 0.1, 300, 600);
        assert_eq!(escape_step(&curve, plateau_loss(&curve), 0.5), Some(314));
        // A lower bar takes longer: < 0.7 × 0.2 = 0.14 needs 0.6 k > 14, k >= 24.
        assert_eq!(escape_step(&curve, 0.7, 0.2), Some(323));
        assert_eq!(escape_step(&step_curve(0.7, 0.5, 300, 600), 0.7, 0.5), None, "0.5 is not below 0.35");
        // A run that diverged stays NaN and never escapes after.
        let mut diverged = step_curve(0.7, 0.1, 300, 600);
        diverged[290] = f32::NAN;
        diverged[291..].fill(f32::NAN);
        assert_eq!(escape_step(&diverged, 0.7, 0.5), None);
        // A loss that starts low escapes as soon as the mean is defined.
        assert_eq!(escape_step(&[0.1; 30], 0.7, 0.5), Some(24));
    }

    #[test]
    fn summaries_count_a_never_as_infinity() {
        let s = summarize("a", vec![Some(100), None, Some(300), Some(200), None]);
        // Sorted: 100, 200, 300, ∞, ∞: median 300, q25 200, q75 ∞ (null).
        assert_eq!((s.median, s.q25, s.q75, s.escaped), (Some(300.0), Some(200.0), None, 3));
        let s = summarize("b", vec![Some(10), Some(20), Some(40), Some(30)]);
        // numpy: median 25, q25 17.5, q75 32.5.
        assert_eq!((s.median, s.q25, s.q75), (Some(25.0), Some(17.5), Some(32.5)));
        let s = summarize("c", vec![None, None, Some(5)]);
        assert_eq!((s.median, s.escaped), (None, 1));
    }

    #[test]
    fn runs_are_schedule_major_and_measured_per_schedule() {
        let spec = RaceSpec::parse(&json!({"backend": "cpu", "seeds": 2, "steps": 100, "schedules": [
            {"name": "slow", "schedule": {"kind": "Constant", "lr": 0.01}},
            {"name": "fast", "schedule": {"kind": "Constant", "lr": 0.1}}]}))
        .unwrap();
        let config = spec.session_options().unwrap().config;
        assert_eq!(config.runs.len(), 4);
        assert_eq!(config.runs.iter().map(|r| r.seed).collect::<Vec<_>>(), vec![0, 1, 0, 1]);
        // Losses [step][run]: runs 2 and 3 ("fast") drop at steps 60 and 70, run 0 never, run 1 at 80.
        let drop = [None, Some(80), Some(60), Some(70)];
        let loss: Vec<f32> =
            (0..100).flat_map(|t| drop.map(|d| if d.is_some_and(|d| t >= d) { 0.05 } else { 0.69 })).collect();
        let result = measure(&spec, loss);
        assert_eq!((result.steps, result.runs, result.seeds), (100, 4, 2));
        assert_eq!(result.plateau_loss, vec![0.69; 4]);
        assert_eq!(result.schedules[0].escape_steps, vec![None, Some(93)]);
        assert_eq!(result.schedules[1].escape_steps, vec![Some(73), Some(83)]);
        assert_eq!(result.schedules[1].median, Some(78.0));
        assert_eq!(result.schedules[0].median, None);
    }

    #[test]
    fn options_default_and_refuse_by_name() {
        let spec = RaceSpec::parse(&Value::Null).unwrap();
        assert_eq!((spec.seeds, spec.steps, spec.init_scale, spec.threshold), (5, 1500, 0.2, 0.5));
        let names: Vec<&str> = spec.schedules.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["fixed 0.05", "fixed 0.5", "triangular", "SGDR", "one-cycle"]);
        assert_eq!(spec.session_options().unwrap().config.runs.len(), 25);
        let err = |v: Value| RaceSpec::parse(&v).unwrap_err();
        assert_eq!(err(json!({"seeds": 17})).to_string(), "seeds: must be an integer in [1, 16], got 17");
        assert_eq!(err(json!({"steps": 20001})).field, "steps");
        assert_eq!(err(json!({"init_scale": 0})).field, "init_scale");
        assert_eq!(err(json!({"runs": []})).field, "runs");
        assert_eq!(err(json!({"layers": [2, 0, 2]})).field, "layers[1]");
        assert_eq!(err(json!({"schedules": []})).to_string(), "schedules: must list 1 to 16 entries, got 0");
        assert_eq!(
            err(json!({"schedules": [{"name": "a", "schedule": {"kind": "Constant", "lr": 0.1}}, {"name": "b", "schedule": {"kind": "CyclicLR", "base_lr": 0.1, "max_lr": 0.01}}]})).field,
            "schedules[1].schedule.max_lr"
        );
        assert_eq!(
            err(json!({"schedules": [{"name": "", "schedule": {"kind": "Constant", "lr": 0.1}}]})).field,
            "schedules[0].name"
        );
        assert_eq!(
            err(json!({"schedules": [{"name": "a", "schedule": {"kind": "Constant", "lr": 0.1}, "optimizer": {}}]}))
                .field,
            "schedules[0].optimizer"
        );
        let e = err(json!({"seeds": 16, "steps": 20000, "layers": [2, 32, 32, 2]}));
        assert_eq!(e.field, "steps");
        // The refusal names the most steps that fit, and what that number depends on.
        assert_eq!(
            e.message,
            "must be at most 229 for this network, batch size, number of seeds and number of schedules (more would be too much work to run at once), got 20000"
        );
        assert_eq!(RaceSpec::parse(&json!({"seeds": 16, "steps": 229, "layers": [2, 32, 32, 2]})).err(), None);
        // A network on which not even the shortest race fits says what to change.
        let e = err(json!({"seeds": 16, "steps": 100, "layers": [2, 64, 64, 2]}));
        assert_eq!(
            e.message,
            "must be at least 100, and at most 62 fit this network, batch size, number of seeds and number of schedules (more would be too much work to run at once): use fewer seeds or schedules, a smaller batch or a smaller network, got 100"
        );
    }
}
