//! The session's own fields (`layers`, `batch_size`, `runs`, ...). `parse` reads them from JSON;
//! `SessionOptions` holds them in Rust for callers that make sessions themselves. Both end in
//! the same checked `Options`.

use std::sync::Arc;

use serde_json::Value;

use super::data::{check_augment, parse_data, AUGMENT};
use super::optimizer::{check_optimizer, parse_optimizer, DEFAULT_OPTIMIZER};
use super::runs::{check_groups, check_run, one_phase_run, parse_groups, parse_run};
use crate::data::{Augment, Split, Targets};
use crate::engine::optimizer::Optimizer;
use crate::engine::phases::RunConfig;
use crate::engine::session::SessionConfig;
use crate::limits::BLOCK_STEPS;
use crate::limits::{self, MAX_LINEAR_LAYERS, MAX_RUNS, MAX_WIDTH};
use crate::model::{Activation, Loss, Mlp};
use crate::schedule::Schedule;
use crate::spec::{names, object, Field, Preset, Reader, SpecError};

/// Where a session trains: WebGPU when there is an adapter and the runs fit it (`Auto`), the CPU
/// path, or WebGPU or nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Auto,
    Cpu,
    Gpu,
}

impl Backend {
    /// Every backend with its name in specs: the one table of names.
    pub const NAMED: [(Backend, &'static str); 3] =
        [(Backend::Auto, "auto"), (Backend::Cpu, "cpu"), (Backend::Gpu, "gpu")];
    pub const NAMES: [&'static str; 3] = names(&Self::NAMED);
}

const BACKEND: Field = Field::choice(
    "backend",
    &Backend::NAMES,
    "Where to train: the faster path for this shape, timed once (auto), WebGPU (gpu) or the CPU path (cpu)",
)
.default(Preset::Choice("auto"));
const LAYERS: Field = Field::int_list("layers", 1, MAX_WIDTH as u64, "Layer widths, inputs first: [2, 16, 16, 2]")
    .example(Preset::IntList(&[2, 16, 16, 2]));
const ACTIVATION: Field =
    Field::choice("activation", &Activation::NAMES, "Hidden-layer activation").default(Preset::Choice("relu"));
const LOSS: Field = Field::choice("loss", &Loss::NAMES, "Training loss").default(Preset::Choice("cross_entropy"));
const BATCH_SIZE: Field = Field::int("batch_size", 1, 4096, "Rows per step (full batches only)")
    .default(Preset::Int(BATCH_SIZE_DEFAULT as u64));
const SHUFFLE: Field = Field::boolean("shuffle", "Reshuffle the training rows every epoch").default(Preset::Bool(true));
const SEED: Field = Field::int("seed", 0, u32::MAX as u64, "Seeds the per-epoch shuffle").default(Preset::Int(0));
const OPTIMIZER: Field = Field::nested("optimizer", "{kind: sgd | adam | adamw, ...}");
pub(super) const DATA: Field =
    Field::nested("data", "A synthetic set {kind, n, noise, ...} or your own {x, y, features}");
const GROUPS: Field = Field::nested("groups", "Consecutive Linear indices per group, e.g. [[0], [1, 2]]");
pub(super) const RUNS: Field = Field::nested(
    "runs",
    "One entry per run: {seed, data_seed, init_params, schedule, group_lr_mult, frozen} or {seed, data_seed, init_params, phases}",
);
const PRECOMPUTE: Field = Field::boolean(
    "precompute",
    "While a run's lowest groups are frozen (and without augmentation), compute their outputs for the training rows once and reuse them (fastai's precompute=True; the same results, faster, on the CPU path)",
)
.default(Preset::Bool(true));
/// `batch_size`'s default.
const BATCH_SIZE_DEFAULT: usize = 32;
pub(super) const SESSION_FIELDS: &[Field] =
    &[BACKEND, LAYERS, ACTIVATION, LOSS, BATCH_SIZE, SHUFFLE, SEED, OPTIMIZER, DATA, GROUPS, RUNS, PRECOMPUTE];

/// Checked options: the session's configuration, plus which backend was asked for.
pub struct Options {
    pub backend: Backend,
    pub config: SessionConfig,
}

/// Validates session options. Errors name the field from the options' root; an empty field
/// is the options value itself.
pub fn parse(value: &Value) -> Result<Options, SpecError> {
    let r = Reader::new(object(value)?, SESSION_FIELDS)?;
    let mut options = read_network_and_data(&r)?;
    let runs = r.spec_list(&RUNS, "run specs")?;
    options.check_run_count(runs.len())?;
    let runs: Vec<RunConfig> = runs
        .iter()
        .enumerate()
        .map(|(i, run)| parse_run(run, &options.mlp, options.groups.len()).map_err(|e| e.at(i).within(RUNS.name)))
        .collect::<Result<_, _>>()?;
    options.check_augmented_values(&runs)?;
    options.read_switches(&r)?;
    Ok(options.into_options(runs))
}

/// Everything but `runs`, `backend`, `shuffle`, `seed` and `precompute` (left at their defaults),
/// in the order `parse` has always checked them.
fn read_network_and_data(r: &Reader) -> Result<SessionOptions, SpecError> {
    let layers: Vec<usize> = r.int_list(&LAYERS)?.into_iter().map(|w| w as usize).collect();
    check_layer_count(&layers)?;
    let activation = r.pick(&ACTIVATION, &Activation::NAMED)?;
    let loss = r.pick(&LOSS, &Loss::NAMED)?;
    let mlp = Mlp { layers, activation, loss };
    let data = r.given(&DATA).ok_or_else(|| {
        r.error(&DATA, "is required: a synthetic set {kind, n, noise, validation_fraction, seed} or {x, y, features}")
    })?;
    let (data, augment) = parse_data(data, &mlp).map_err(|e| e.within(DATA.name))?;
    check_layers_fit(&mlp, &data)?;
    let batch_size = r.int(&BATCH_SIZE)? as usize;
    check_batch_rows(batch_size, &data)?;
    let groups = parse_groups(r.given(&GROUPS), mlp.linear_count()).map_err(|e| e.within(GROUPS.name))?;
    let optimizer = parse_optimizer(r.given(&OPTIMIZER)).map_err(|e| e.within(OPTIMIZER.name))?;
    Ok(SessionOptions { optimizer, augment, batch_size, groups, ..SessionOptions::new(mlp, data) })
}

fn check_layer_count(layers: &[usize]) -> Result<(), SpecError> {
    if !(2..=MAX_LINEAR_LAYERS + 1).contains(&layers.len()) {
        return Err(SpecError::new(
            LAYERS.name,
            format!(
                "must list 2 to {} widths (1 to {MAX_LINEAR_LAYERS} Linear layers), got {}",
                MAX_LINEAR_LAYERS + 1,
                layers.len()
            ),
        ));
    }
    Ok(())
}

/// The network's inputs are the data's features, and its outputs cover the data's classes.
fn check_layers_fit(mlp: &Mlp, data: &Split) -> Result<(), SpecError> {
    let features = data.train.features;
    if features != mlp.inputs() {
        let message = format!("must start with the data's {features} features, got {}", mlp.inputs());
        return Err(SpecError::new(LAYERS.name, message));
    }
    if let Targets::Classes { n_classes, .. } = data.train.targets {
        if mlp.outputs() < n_classes {
            let message = format!("must end with at least the data's {n_classes} classes, got {}", mlp.outputs());
            return Err(SpecError::new(LAYERS.name, message));
        }
    }
    Ok(())
}

fn check_batch_rows(batch_size: usize, data: &Split) -> Result<(), SpecError> {
    if batch_size > data.train.len() {
        let rows = data.train.len();
        let message = format!("must be an integer in [1, {rows}] (the training rows), got {batch_size}");
        return Err(SpecError::new(BATCH_SIZE.name, message));
    }
    Ok(())
}

/// Session options in Rust: every session field but `runs`, which [`build`](Self::build) takes.
/// `build` checks them as [`parse`] checks JSON and gives the same `Options`.
#[derive(Clone, Debug)]
pub struct SessionOptions {
    pub backend: Backend,
    pub mlp: Mlp,
    pub optimizer: Optimizer,
    pub data: Split,
    /// Transforms every training row afresh each epoch (`None`: off).
    pub augment: Option<Augment>,
    pub batch_size: usize,
    pub shuffle: bool,
    pub shuffle_seed: u64,
    /// Consecutive Linear layer indices per group.
    pub groups: Vec<Vec<usize>>,
    pub precompute: bool,
}

impl SessionOptions {
    /// `mlp` trained on `data`, every other field at the default a spec gets: plain SGD, batches
    /// of 32 (or every row, if fewer), reshuffled each epoch, one group per Linear layer.
    pub fn new(mlp: Mlp, data: Split) -> Self {
        let groups = (0..mlp.linear_count()).map(|l| vec![l]).collect();
        let batch_size = data.train.len().min(BATCH_SIZE_DEFAULT);
        Self {
            backend: Backend::Auto,
            mlp,
            optimizer: DEFAULT_OPTIMIZER,
            data,
            augment: None,
            batch_size,
            shuffle: true,
            shuffle_seed: 0,
            groups,
            precompute: true,
        }
    }

    /// Every session field of `value` but `runs` (which it must not give), for a caller that
    /// makes its runs itself. Errors as [`parse`]'s.
    pub fn parse_without_runs(value: &Value) -> Result<Self, SpecError> {
        let r = Reader::new(object(value)?, SESSION_FIELDS)?;
        if r.given(&RUNS).is_some() {
            return Err(r.error(&RUNS, "unknown field (the caller makes the runs)"));
        }
        let mut options = read_network_and_data(&r)?;
        options.read_switches(&r)?;
        Ok(options)
    }

    /// A run of one phase: `schedule` to its end from `seed`'s initial weights, every group at its rate.
    pub fn run(&self, seed: u64, schedule: Arc<Schedule>) -> RunConfig {
        one_phase_run(seed, schedule, self.groups.len())
    }

    /// The options with `runs`, checked as `parse` checks a spec; errors name the field as
    /// `parse`'s do (`batch_size`, `runs[2].phases[0].steps`).
    pub fn build(self, runs: Vec<RunConfig>) -> Result<Options, SpecError> {
        check_layer_count(&self.mlp.layers)?;
        for (i, &width) in self.mlp.layers.iter().enumerate() {
            LAYERS.check_value(width as f64).map_err(|m| SpecError::new("", m).at(i).within(LAYERS.name))?;
        }
        self.check_targets()?;
        check_layers_fit(&self.mlp, &self.data)?;
        BATCH_SIZE.check(self.batch_size as f64)?;
        check_batch_rows(self.batch_size, &self.data)?;
        check_groups(&self.groups, self.mlp.linear_count()).map_err(|e| e.within(GROUPS.name))?;
        check_optimizer(&self.optimizer).map_err(|e| e.within(OPTIMIZER.name))?;
        if let Some(augment) = &self.augment {
            let placed = |e: SpecError| e.within(AUGMENT.name).within(DATA.name);
            check_augment(augment, self.data.train.features).map_err(placed)?;
        }
        SEED.check(self.shuffle_seed as f64)?;
        self.check_run_count(runs.len())?;
        for (i, run) in runs.iter().enumerate() {
            check_run(run, &self.mlp, self.groups.len()).map_err(|e| e.at(i).within(RUNS.name))?;
        }
        self.check_augmented_values(&runs)?;
        Ok(self.into_options(runs))
    }

    /// Targets the loss can train on: class labels for cross-entropy, one value per output for
    /// MSE (a spec's data is made to suit its loss, so only options built in Rust can miss).
    fn check_targets(&self) -> Result<(), SpecError> {
        let loss = self.mlp.loss;
        match self.data.train.targets {
            Targets::Classes { .. } if loss != Loss::CrossEntropy => {
                Err(SpecError::new(LOSS.name, "must be cross_entropy for data with class labels"))
            }
            Targets::Values { .. } if loss != Loss::Mse => {
                Err(SpecError::new(LOSS.name, "must be mse for data with target values"))
            }
            Targets::Values { outputs, .. } if outputs != self.mlp.outputs() => Err(SpecError::new(
                LAYERS.name,
                format!("must end with the data's {outputs} targets, got {}", self.mlp.outputs()),
            )),
            _ => Ok(()),
        }
    }

    /// 1 to [`MAX_RUNS`] runs, within the session's memory bounds.
    fn check_run_count(&self, runs: usize) -> Result<(), SpecError> {
        if runs == 0 || runs > MAX_RUNS {
            return Err(SpecError::new(RUNS.name, format!("must list 1 to {MAX_RUNS} runs, got {runs}")));
        }
        limits::check_total_params(runs, self.mlp.param_count())?;
        limits::check_batch_values(self.batch_size, self.mlp.layers.iter().sum())
    }

    /// With augmentation, every step's rows are transformed anew: bound what one block of them holds.
    fn check_augmented_values(&self, runs: &[RunConfig]) -> Result<(), SpecError> {
        if self.augment.is_none() {
            return Ok(());
        }
        let row_sets = if runs.iter().any(|r| r.data_seed.is_some()) { runs.len() } else { 1 };
        limits::check_augmented_values(BLOCK_STEPS, row_sets, self.batch_size, self.data.train.features)
    }

    /// `backend`, `shuffle`, `seed` and `precompute`, read last as they always were.
    fn read_switches(&mut self, r: &Reader) -> Result<(), SpecError> {
        self.backend = r.pick(&BACKEND, &Backend::NAMED)?;
        self.shuffle = r.boolean(&SHUFFLE)?;
        self.shuffle_seed = r.int(&SEED)?;
        self.precompute = r.boolean(&PRECOMPUTE)?;
        Ok(())
    }

    fn into_options(self, runs: Vec<RunConfig>) -> Options {
        Options {
            backend: self.backend,
            config: SessionConfig {
                mlp: self.mlp,
                optimizer: self.optimizer,
                data: self.data,
                batch_size: self.batch_size,
                shuffle: self.shuffle,
                shuffle_seed: self.shuffle_seed,
                groups: self.groups,
                runs,
                augment: self.augment,
                precompute: self.precompute,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{base, constant, error, error_with, typed, with};
    use super::*;
    use crate::spec::non_finite;
    use serde_json::json;

    #[test]
    fn defaults_fill_in_a_minimal_spec() {
        let options = parse(&base()).unwrap();
        assert_eq!(options.backend, Backend::Auto);
        assert_eq!(options.config.groups, vec![vec![0], vec![1]]);
        let run = &options.config.runs[0];
        assert_eq!((run.seed, run.data_seed, run.phases.len()), (0, None, 1));
        assert_eq!(
            (run.phases[0].steps, &run.phases[0].group_lr_mult, &run.phases[0].frozen),
            (None, &vec![1.0, 1.0], &vec![false, false])
        );
        assert_eq!(options.config.batch_size, 32);
        assert_eq!(options.config.mlp.activation, Activation::Relu);
    }

    #[test]
    fn errors_name_the_field_by_its_path() {
        let e = error(&with("batch_size", json!(0)));
        assert_eq!((e.field.as_str(), e.kind), ("batch_size", None));
        assert_eq!(e.to_string(), "batch_size: must be an integer in [1, 4096], got 0");
        assert_eq!(error_with("layers", json!([2, 2000, 2])), "layers[1]: must be an integer in [1, 1024], got 2000");
        assert_eq!(error_with("layers", json!([3, 8, 2])), "layers: must start with the data's 2 features, got 3");
        assert_eq!(
            error_with("optimizer", json!({"kind": "adam", "betas": [0.9]})),
            "optimizer.betas: must be a list of 2 numbers in [0, 1), got 1 numbers"
        );
        assert_eq!(
            error_with("optimizer", json!({"kind": "sgd", "momentum": 1.5})).as_str(),
            "optimizer.momentum: must be a finite number in [0, 1], got 1.5"
        );
        assert_eq!(error_with("runs", json!([])), "runs: must list 1 to 256 runs, got 0");
        let e = error(&with("runs", json!([{"schedule": {"kind": "Constant"}}, {"schedule": {"kind": "StepLR"}}])));
        assert_eq!((e.field.as_str(), e.kind), ("runs[1].schedule.step_size", Some("StepLR")));
        assert_eq!(e.to_string(), "runs[1].schedule.step_size (StepLR): is required: an integer in [1, 1000000000]");
        assert_eq!(
            error_with(
                "runs",
                json!([{"schedule": {"kind": "CyclicLR", "base_lr": 0.1, "max_lr": 0.2, "step_size_up": 0}}])
            ),
            "runs[0].schedule.step_size_up (CyclicLR): must be an integer in [1, 1000000000], got 0"
        );
        assert_eq!(
            error_with("runs", json!([{"schedule": {"kind": "Warp"}}])),
            "runs[0].schedule.kind: must be one of Constant, ConstantLR, StepLR, MultiStepLR, ExponentialLR, LinearLR, PolynomialLR, CosineAnnealingLR, CyclicLR, CosineAnnealingWarmRestarts, OneCycleLR, SequentialLR, ReduceLROnPlateau, fit_one_cycle, fit_sgdr, fit_flat_cos, SlantedTriangular, \
             get_constant_schedule_with_warmup, get_linear_schedule_with_warmup, get_cosine_schedule_with_warmup, \
             get_cosine_with_hard_restarts_schedule_with_warmup, get_polynomial_decay_schedule_with_warmup, \
             get_inverse_sqrt_schedule, get_cosine_with_min_lr_schedule_with_warmup, get_wsd_schedule, CosineLRScheduler, \
             TanhLRScheduler, PolyLRScheduler, StepLRScheduler, MultiStepLRScheduler, warmup_cosine_decay_schedule, \
             warmup_exponential_decay_schedule, linear_onecycle_schedule, cosine_onecycle_schedule, \
             piecewise_constant_schedule, exponential_decay, polynomial_schedule, sgdr_schedule, CosineDecay, \
             CosineDecayRestarts, PiecewiseConstantDecay, InverseTimeDecay, PolynomialDecay, ExponentialDecay, LrRangeTest, got \"Warp\""
        );
        assert_eq!(
            error_with("runs", json!([{"schedule": 3}])),
            "runs[0].schedule: must be an object with a \"kind\" field, got 3"
        );
        assert_eq!(error_with("runs", json!([7])), "runs[0]: must be an object, got 7");
        assert_eq!(
            error_with("runs", json!([{"schedule": {"kind": "Constant"}, "frozen": [true]}])),
            "runs[0].frozen: must have one flag per group (2), got 1"
        );
        assert_eq!(
            error_with("runs", json!([{"schedule": {"kind": "Constant"}, "frozen": [true, 0]}])),
            "runs[0].frozen[1]: must be true or false, got 0"
        );
        assert_eq!(
            error_with("runs", json!([{"schedule": {"kind": "Constant"}, "group_lr_mult": [1, 2, 3]}])),
            "runs[0].group_lr_mult: must have one multiplier per group (2), got 3"
        );
        assert_eq!(error_with("lr", json!(1)), "lr: unknown field (allowed: backend, layers, activation, loss, batch_size, shuffle, seed, optimizer, data, groups, runs, precompute)");
        assert_eq!(error_with("kind", json!("sgd")).split(':').next(), Some("kind"), "no key is exempt at the top");
        assert_eq!(
            error_with("data", json!({"kind": "circle", "noise": 2})),
            "data.noise: must be a finite number in [0, 1], got 2"
        );
        let root = error(&json!("nope"));
        assert_eq!((root.field.as_str(), root.to_string().as_str()), ("", "must be an object, got \"nope\""));
        let mut no_data = base();
        no_data.as_object_mut().unwrap().remove("data");
        assert_eq!(
            error(&no_data).to_string(),
            "data: is required: a synthetic set {kind, n, noise, validation_fraction, seed} or {x, y, features}"
        );
    }

    #[test]
    fn messages_print_values_as_written() {
        assert_eq!(
            error_with("activation", json!("Relu")),
            "activation: must be one of relu | tanh | sigmoid | gelu | linear, got \"Relu\""
        );
        assert_eq!(error_with("batch_size", json!(0.1 + 0.2)), "batch_size: must be an integer in [1, 4096], got 0.3");
        assert_eq!(
            error_with("batch_size", json!(1234567.891)),
            "batch_size: must be an integer in [1, 4096], got 1234567.9"
        );
        assert_eq!(error_with("shuffle", json!("yes")), "shuffle: must be true or false, got \"yes\"");
        assert_eq!(
            error_with("layers", json!("2,8,2")),
            "layers: must be a list of integers in [1, 1024], got \"2,8,2\""
        );
        assert_eq!(
            error_with("data", json!({"kind": "circle", "noise": non_finite(f64::NAN)})),
            "data.noise: must be a finite number in [0, 1], got NaN"
        );
        assert_eq!(
            error_with("optimizer", json!({"kind": "sgd", "momentum": null})),
            "optimizer.momentum: must be a finite number in [0, 1], got null"
        );
    }

    #[test]
    fn sizes_that_would_exhaust_memory_are_refused() {
        let mut options = base();
        options["layers"] = json!([2, 1024, 1024, 1024, 2]);
        options["runs"] = json!(vec![json!({"schedule": {"kind": "Constant"}}); 16]);
        let e = parse(&options).err().unwrap().to_string();
        assert!(e.starts_with("runs: 16 runs × 2104322 parameters"), "{e}");
        options["runs"] = json!([{"schedule": {"kind": "Constant"}}]);
        options["batch_size"] = json!(2000);
        options["data"] = json!({"kind": "circle", "n": 4000});
        let e = parse(&options).err().unwrap().to_string();
        assert_eq!(
            e,
            "batch_size: must be at most 1363 for layers this wide (more would need too much memory at once), got 2000"
        );
    }

    #[test]
    fn typed_options_build_what_the_spec_parses() {
        let parsed = parse(&base()).unwrap();
        let options = typed();
        let built = options.clone().build(vec![options.run(0, constant())]).unwrap();
        assert_eq!(built.backend, parsed.backend);
        let (a, b) = (&built.config, &parsed.config);
        assert_eq!((&a.mlp, &a.data, a.optimizer, a.batch_size), (&b.mlp, &b.data, b.optimizer, b.batch_size));
        assert_eq!(
            (a.shuffle, a.shuffle_seed, &a.groups, a.augment, a.precompute),
            (b.shuffle, b.shuffle_seed, &b.groups, b.augment, b.precompute)
        );
        assert_eq!(a.runs.len(), b.runs.len());
        let (pa, pb) = (&a.runs[0].phases[0], &b.runs[0].phases[0]);
        assert_eq!((pa.steps, &pa.group_lr_mult, &pa.frozen), (pb.steps, &pb.group_lr_mult, &pb.frozen));
        assert_eq!((pa.schedule.kind(), pa.schedule.lr_at(7)), (pb.schedule.kind(), pb.schedule.lr_at(7)));
    }

    #[test]
    fn typed_options_are_refused_as_specs_are() {
        let refused = |options: SessionOptions, runs: usize| {
            let runs = (0..runs).map(|seed| options.run(seed as u64, constant())).collect();
            options.build(runs).err().map(|e| e.to_string())
        };
        assert_eq!(
            refused(SessionOptions { batch_size: 0, ..typed() }, 1).as_deref(),
            Some("batch_size: must be an integer in [1, 4096], got 0")
        );
        assert_eq!(refused(typed(), 0).as_deref(), Some("runs: must list 1 to 256 runs, got 0"));
        let mut wide = typed();
        wide.mlp.layers = vec![2, 2000, 2];
        wide.groups = vec![vec![0], vec![1]];
        assert_eq!(refused(wide, 1).as_deref(), Some("layers[1]: must be an integer in [1, 1024], got 2000"));
        let mut three = typed();
        three.groups = vec![vec![0, 1, 2]];
        assert_eq!(
            refused(three, 1).as_deref(),
            Some("groups: must split the Linear layers 0..=1 into consecutive groups, in order, e.g. [[0], [1, 2]]")
        );
        let options = typed();
        let mut run = options.run(0, constant());
        run.phases[0].frozen = vec![true];
        let runs = vec![options.run(1, constant()), run];
        assert_eq!(
            options.build(runs).err().map(|e| e.to_string()).as_deref(),
            Some("runs[1].phases[0].frozen: must have one flag per group (2), got 1")
        );
        let mut mse = typed();
        mse.mlp.loss = Loss::Mse;
        assert_eq!(refused(mse, 1).as_deref(), Some("loss: must be cross_entropy for data with class labels"));
    }
}
