//! An optimizer's path over an analytic surface: `{surface, start, optimizer, schedule, steps,
//! noise, seed}` validated into a [`TrajectorySpec`], run into a [`Trajectory`].
//!
//! Update t reads the gradient at (x[t], y[t]) (plus seeded Gaussian noise when asked) and the
//! schedule's rate (and cycled momentum) at step t, as torch's `optimizer.step()` then
//! `scheduler.step()` do, and gives (x[t + 1], y[t + 1]).

use serde_json::Value;

use crate::limits::{MAX_TOTAL_TRAJECTORY_STEPS, MAX_TRAJECTORIES, MAX_TRAJECTORY_STEPS};
use crate::rng::{normal, seeded_stream, Rng, GRADIENT_NOISE_STREAM};
use crate::schedule::{Samples, Schedule};
use crate::spec::{describe_fields, describe_value, fmt_num, object, Field, Preset, Reader, SpecError};

use super::optimizer_options::{parse_surface_optimizer, AnyOptimizer};
use super::optimizers::Stepper;
use super::surfaces::Surface;

pub(crate) const SURFACE: Field = Field::nested(
    "surface",
    "A surface name (\"rosenbrock\") or {kind, ...params}, e.g. {kind: \"quadratic\", kappa: 100}",
);
const START: Field = Field::float_list("start", -1e6, 1e6, "The starting point [x, y], inside the surface's domain");
const OPTIMIZER: Field =
    Field::nested("optimizer", "{kind: sgd | adam | adamw | rmsprop | adagrad, ...} (default: plain SGD)")
        .default(Preset::Null);
const SCHEDULE: Field = Field::nested("schedule", "A learning-rate schedule spec, stepped once per update");
const STEPS: Field = Field::int("steps", 1, MAX_TRAJECTORY_STEPS, "Optimizer updates");
const NOISE: Field =
    Field::float("noise", 0.0, 1e6, "Standard deviation of the Gaussian noise added to each gradient component")
        .default(Preset::Float(0.0));
const SEED: Field = Field::int("seed", 0, u32::MAX as u64, "Seeds the gradient noise").default(Preset::Int(0));
const FIELDS: &[Field] = &[SURFACE, START, OPTIMIZER, SCHEDULE, STEPS, NOISE, SEED];

/// A trajectory spec's fields, for the package's types (`tests/native/typescript.rs`).
pub fn trajectory_fields_json() -> Value {
    describe_fields(FIELDS)
}

/// A validated trajectory request.
pub struct TrajectorySpec {
    pub surface: Surface,
    pub start: [f64; 2],
    pub optimizer: AnyOptimizer,
    /// The schedule's rate (and momentum, where it cycles it) at each update.
    pub schedule: Samples,
    pub steps: u64,
    pub noise: f64,
    pub seed: u64,
}

/// Where the optimizer went: points 0..n (the start, then after each update), the loss at each,
/// and the rate each update used (n - 1 of them).
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub loss: Vec<f64>,
    pub lr: Vec<f64>,
    /// The last point left the surface's domain (or is not finite), and the run stopped there.
    pub diverged: bool,
}

/// A point `[x, y]` read from the list `field`; errors name the field.
pub(crate) fn read_point(r: &Reader, field: &Field) -> Result<[f64; 2], SpecError> {
    match r.float_list(field)?[..] {
        [x, y] => Ok([x, y]),
        ref other => Err(r.error(field, format!("must be a point [x, y], got {} numbers", other.len()))),
    }
}

/// A surface field, required; errors name it.
pub(crate) fn read_surface(r: &Reader) -> Result<Surface, SpecError> {
    let spec = r.given(&SURFACE).ok_or_else(|| r.error(&SURFACE, "is required: a surface name or {kind, ...}"))?;
    Surface::from_spec(spec).map_err(|e| e.within(SURFACE.name))
}

impl TrajectorySpec {
    /// Errors name the field from the spec's root (`start[1]`, `optimizer.betas[0]`,
    /// `schedule.step_size_up`); an empty field is the spec itself.
    pub fn parse(value: &Value) -> Result<Self, SpecError> {
        let r = Reader::new(object(value)?, FIELDS)?;
        let surface = read_surface(&r)?;
        let start = read_point(&r, &START)?;
        let [[x_lo, x_hi], [y_lo, y_hi]] = surface.kind.domain;
        for (i, (v, lo, hi)) in [(start[0], x_lo, x_hi), (start[1], y_lo, y_hi)].into_iter().enumerate() {
            if !(lo..=hi).contains(&v) {
                let (lo, hi, v) = (fmt_num(lo), fmt_num(hi), fmt_num(v));
                let message = format!("must be in [{lo}, {hi}] ({}'s domain), got {v}", surface.name());
                return Err(r.item_error(&START, i, message));
            }
        }
        let optimizer = parse_surface_optimizer(r.given(&OPTIMIZER).filter(|v| !v.is_null()))
            .map_err(|e| e.within(OPTIMIZER.name))?;
        let spec = r
            .given(&SCHEDULE)
            .ok_or_else(|| r.error(&SCHEDULE, "is required: a schedule spec such as {kind: \"Constant\", lr: 0.1}"))?;
        let schedule = Schedule::from_spec(spec).map_err(|e| e.within(SCHEDULE.name))?;
        let steps = r.int(&STEPS)?;
        // Past a fixed-length schedule's end there is no rate: `sample` refuses those steps by name.
        let samples = schedule.sample(steps)?;
        if samples.momentum.is_some() && matches!(optimizer, AnyOptimizer::Adagrad(_)) {
            return Err(r.error(
                &SCHEDULE,
                format!(
                    "{} cycles momentum, which adagrad has none of (torch refuses it too): set cycle_momentum to false",
                    schedule.kind()
                ),
            ));
        }
        Ok(Self { surface, start, optimizer, schedule: samples, steps, noise: r.float(&NOISE)?, seed: r.int(&SEED)? })
    }

    /// A list of specs (at most 64, at most 10⁶ updates together); errors name the entry
    /// (`[2].start[1]`).
    pub fn parse_list(value: &Value) -> Result<Vec<Self>, SpecError> {
        let specs = value.as_array().ok_or_else(|| {
            SpecError::new("", format!("must be a list of trajectory specs, got {}", describe_value(value)))
        })?;
        if specs.is_empty() || specs.len() > MAX_TRAJECTORIES {
            return Err(SpecError::new(
                "",
                format!("must list 1 to {MAX_TRAJECTORIES} trajectory specs, got {}", specs.len()),
            ));
        }
        let parsed = specs
            .iter()
            .enumerate()
            .map(|(i, spec)| Self::parse(spec).map_err(|e| e.at(i)))
            .collect::<Result<Vec<_>, _>>()?;
        let total: u64 = parsed.iter().map(|s| s.steps).sum();
        if total > MAX_TOTAL_TRAJECTORY_STEPS {
            return Err(SpecError::new(
                "",
                format!("must ask for at most {MAX_TOTAL_TRAJECTORY_STEPS} steps together, got {total}: use fewer steps or trajectories"),
            ));
        }
        Ok(parsed)
    }

    /// Runs every update, or until the iterate leaves the surface's domain.
    pub fn run(&self) -> Trajectory {
        let n = self.steps as usize + 1;
        let mut out = Trajectory {
            x: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
            loss: Vec::with_capacity(n),
            lr: Vec::with_capacity(n - 1),
            diverged: false,
        };
        let surface = &self.surface;
        let mut p = self.start;
        let mut stepper = Stepper::new(self.optimizer);
        let mut rng: Option<Rng> = (self.noise > 0.0).then(|| seeded_stream(self.seed, GRADIENT_NOISE_STREAM));
        let record = |out: &mut Trajectory, p: [f64; 2]| {
            out.x.push(p[0]);
            out.y.push(p[1]);
            out.loss.push(surface.value(p[0], p[1]));
        };
        record(&mut out, p);
        for t in 0..self.steps as usize {
            let mut grad = surface.gradient(p[0], p[1]);
            if let Some(rng) = rng.as_mut() {
                for g in &mut grad {
                    *g += self.noise * normal(rng);
                }
            }
            let lr = self.schedule.lr.get(t).copied().unwrap_or(f64::NAN);
            let momentum = self.schedule.momentum.as_ref().and_then(|m| m.get(t).copied()).filter(|m| !m.is_nan());
            stepper.step(&mut p, grad, lr, momentum);
            out.lr.push(lr);
            record(&mut out, p);
            if !surface.contains(p[0], p[1]) {
                out.diverged = true;
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec(extra: Value) -> Value {
        let mut spec = json!({
            "surface": "rosenbrock",
            "start": [-1.2, 1.0],
            "optimizer": {"kind": "sgd", "momentum": 0.9},
            "schedule": {"kind": "Constant", "lr": 1e-4},
            "steps": 200,
        });
        for (k, v) in extra.as_object().unwrap() {
            spec[k] = v.clone();
        }
        spec
    }

    fn run(extra: Value) -> Trajectory {
        TrajectorySpec::parse(&spec(extra)).unwrap().run()
    }

    fn err(extra: Value) -> String {
        TrajectorySpec::parse(&spec(extra)).err().unwrap().to_string()
    }

    #[test]
    fn points_losses_and_rates_line_up() {
        let t = run(json!({"schedule": {"kind": "StepLR", "lr": 1e-4, "step_size": 50, "gamma": 0.5}}));
        assert!(!t.diverged);
        assert_eq!((t.x.len(), t.y.len(), t.loss.len(), t.lr.len()), (201, 201, 201, 200));
        assert_eq!((t.x[0], t.y[0]), (-1.2, 1.0));
        let f = Surface::from_spec(&json!("rosenbrock")).unwrap();
        for i in 0..t.x.len() {
            assert_eq!(t.loss[i], f.value(t.x[i], t.y[i]));
        }
        assert_eq!((t.lr[49], t.lr[50], t.lr[199]), (1e-4, 5e-5, 1.25e-5));
        assert!(t.loss[200] < t.loss[0], "descends: {} -> {}", t.loss[0], t.loss[200]);
        // The first update is plain gradient descent (the momentum buffer is the gradient).
        let g = f.gradient(-1.2, 1.0);
        assert_eq!(t.x[1], -1.2 + -1e-4 * g[0]);
    }

    #[test]
    fn a_huge_rate_diverges_and_stops_there() {
        let t = run(json!({"schedule": {"kind": "Constant", "lr": 1.0}}));
        assert!(t.diverged);
        assert!(t.x.len() < 201, "{}", t.x.len());
        assert_eq!((t.y.len(), t.loss.len(), t.lr.len()), (t.x.len(), t.x.len(), t.x.len() - 1));
        let f = Surface::from_spec(&json!("rosenbrock")).unwrap();
        let last = t.x.len() - 1;
        assert!(!f.contains(t.x[last], t.y[last]));
        assert!((0..last).all(|i| f.contains(t.x[i], t.y[i])));
        // Even a rate that overflows to infinity is a state, not a crash.
        let t = run(json!({"schedule": {"kind": "Constant", "lr": 100}, "surface": "saddle", "start": [1, 1]}));
        assert!(t.diverged);
    }

    #[test]
    fn every_surface_runs_from_its_default_start() {
        for kind in crate::surface::KINDS {
            let t = run(json!({"surface": kind.name, "start": kind.start, "optimizer": {"kind": "adam"},
                "schedule": {"kind": "Constant", "lr": 0.01}, "steps": 300}));
            let values = t.x.iter().chain(&t.y).chain(&t.loss);
            assert!(values.into_iter().all(|v| v.is_finite()), "{}", kind.name);
            let unbounded = ["saddle", "monkey_saddle"].contains(&kind.name);
            assert!(unbounded || !t.diverged, "{} stays in its domain", kind.name);
            assert!(t.loss[t.loss.len() - 1] < t.loss[0], "{} descends", kind.name);
        }
    }

    #[test]
    fn an_unbounded_saddle_is_left_by_its_descending_side() {
        let t = run(json!({"surface": "saddle", "start": [1.5, 0.01], "optimizer": null,
            "schedule": {"kind": "Constant", "lr": 0.2}, "steps": 100}));
        // y grows 1.4-fold an update: past 50 after ln(5000) / ln(1.4) ≈ 25.3 updates.
        assert!(t.diverged);
        assert_eq!(t.lr.len(), 26);
        assert!(t.y[26] > 50.0 && t.y[25] <= 50.0, "{} {}", t.y[25], t.y[26]);
    }

    #[test]
    fn noise_is_seeded() {
        let a = run(json!({"noise": 0.5, "seed": 3}));
        let b = run(json!({"noise": 0.5, "seed": 3}));
        let c = run(json!({"noise": 0.5, "seed": 4}));
        let quiet = run(json!({}));
        assert_eq!(a, b);
        assert_ne!(a.x, c.x);
        assert_ne!(a.x, quiet.x);
        assert_eq!(run(json!({"noise": 0, "seed": 9})), quiet, "no noise: the seed does nothing");
    }

    #[test]
    fn momentum_follows_a_cycling_schedule() {
        // OneCycleLR's momentum mirrors its rate; with SGD it replaces the optimizer's 0.9.
        let one_cycle = json!({"kind": "OneCycleLR", "max_lr": 1e-3, "total_steps": 100});
        let cycled = run(json!({"schedule": one_cycle, "steps": 100}));
        let mut off = one_cycle.clone();
        off["cycle_momentum"] = json!(false);
        let fixed = run(json!({"schedule": off, "steps": 100}));
        assert_eq!(cycled.lr, fixed.lr);
        assert_ne!(cycled.x, fixed.x);
    }

    #[test]
    fn errors_name_the_field_and_the_range() {
        assert_eq!(err(json!({"start": [0, 200]})), "start[1]: must be in [-100, 100] (rosenbrock's domain), got 200");
        assert_eq!(err(json!({"start": [0]})), "start: must be a point [x, y], got 1 numbers");
        assert_eq!(
            err(json!({"start": [0, "a"]})),
            "start[1]: must be a finite number in [-1000000, 1000000], got \"a\""
        );
        assert_eq!(err(json!({"steps": 0})), "steps: must be an integer in [1, 100000], got 0");
        assert_eq!(err(json!({"steps": 100001})), "steps: must be an integer in [1, 100000], got 100001");
        assert_eq!(err(json!({"noise": -1})), "noise: must be a finite number in [0, 1000000], got -1");
        assert_eq!(
            err(json!({"optimizer": {"kind": "adam", "betas": [1.5, 0.9]}})),
            "optimizer.betas[0]: must be a finite number in [0, 1], got 1.5"
        );
        assert_eq!(
            err(json!({"optimizer": {"kind": "lbfgs"}})),
            "optimizer.kind: must be one of sgd | adam | adamw | rmsprop | adagrad (or SGD | Adam | AdamW | RMSprop | Adagrad), got \"lbfgs\""
        );
        assert_eq!(
            err(json!({"optimizer": {"kind": "RMSprop", "betas": [0.9, 0.9]}})),
            "optimizer.betas: unknown field (allowed: kind, alpha, eps, momentum, centered, weight_decay)"
        );
        assert_eq!(
            err(json!({"schedule": {"kind": "CyclicLR", "base_lr": 0.1, "max_lr": 0.2, "step_size_up": 0}})),
            "schedule.step_size_up (CyclicLR): must be an integer in [1, 1000000000], got 0"
        );
        assert_eq!(
            err(json!({"schedule": {"kind": "OneCycleLR", "max_lr": 0.1, "total_steps": 50}, "steps": 52})),
            "steps: must be an integer in [1, 51] for this OneCycleLR, got 52"
        );
        assert_eq!(
            err(json!({"optimizer": {"kind": "adagrad"}, "schedule": {"kind": "CyclicLR", "base_lr": 0.1, "max_lr": 0.2}})),
            "schedule: CyclicLR cycles momentum, which adagrad has none of (torch refuses it too): set cycle_momentum to false"
        );
        assert_eq!(err(json!({"surface": "bowl"})).split(" one of").next(), Some("surface: must be"));
        assert_eq!(
            err(json!({"surface": {"kind": "quadratic", "kappa": 1e5}})),
            "surface.kappa: must be a finite number in [0.001, 10000], got 100000"
        );
        assert_eq!(
            err(json!({"lr": 0.1})),
            "lr: unknown field (allowed: surface, start, optimizer, schedule, steps, noise, seed)"
        );
        let mut missing = spec(json!({}));
        missing.as_object_mut().unwrap().remove("surface");
        let e = TrajectorySpec::parse(&missing).err().unwrap();
        assert_eq!((e.field.as_str(), e.message.as_str()), ("surface", "is required: a surface name or {kind, ...}"));
        let e = TrajectorySpec::parse(&json!(3)).err().unwrap();
        assert_eq!((e.field.as_str(), e.message.as_str()), ("", "must be an object, got 3"));
    }

    #[test]
    fn lists_are_bounded_by_name() {
        let one = spec(json!({}));
        assert_eq!(TrajectorySpec::parse_list(&json!([one, one])).unwrap().len(), 2);
        let e = TrajectorySpec::parse_list(&json!([one, spec(json!({"steps": -1}))])).err().unwrap();
        assert_eq!(e.to_string(), "[1].steps: must be an integer in [1, 100000], got -1");
        let e = TrajectorySpec::parse_list(&Value::Array(vec![one.clone(); 65])).err().unwrap();
        assert_eq!(e.to_string(), "must list 1 to 64 trajectory specs, got 65");
        let big = spec(json!({"steps": 100000}));
        let e = TrajectorySpec::parse_list(&Value::Array(vec![big; 11])).err().unwrap();
        assert!(e.to_string().starts_with("must ask for at most 1000000 steps together, got 1100000"), "{e}");
        assert!(TrajectorySpec::parse_list(&json!({})).is_err());
    }
}
