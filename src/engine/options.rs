//! Session options as users write them (JSON / JS objects), validated into a `SessionConfig`.
//! Every error names the field by its path from the options' root (`batch_size`,
//! `runs[2].phases[1].steps`, `data.x[7]`) and says what is allowed.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::data::{self, Augment, Dataset, SyntheticKind, SyntheticSpec, Targets, MAX_ARMS, MIN_ARMS};
use crate::fields::{check_number, describe_value, fmt_num, Field, Preset, Reader, SpecError, MAX_STEP};
use crate::model::{Activation, Loss, Mlp, MAX_LINEAR_LAYERS, MAX_WIDTH};
use crate::schedule::Schedule;

use super::optimizer::{Adagrad, AnyOptimizer, Optimizer, RmsProp};
use super::phases::{Phase, RunConfig, RunUpdate};
use super::session::SessionConfig;
use crate::limits::BLOCK_STEPS;

pub const MAX_RUNS: usize = 256;
/// Phases one run may list.
pub const MAX_PHASES: usize = 64;
/// Caller-supplied data: at most this many rows (and 64 features).
pub const MAX_ROWS: usize = 1_000_000;
/// Memory bounds, so that no accepted option can exhaust a wasm instance: parameters of all runs
/// together (each has five copies: weights, gradients, two moments, the previous weights), and
/// one batch's activations through the widest layers.
pub const MAX_TOTAL_PARAMS: usize = 1 << 23;
pub const MAX_BATCH_VALUES: usize = 1 << 22;
/// With augmentation, a block's transformed inputs (steps × row sets × batch × features).
pub const MAX_AUGMENTED_VALUES: usize = 1 << 24;

const BACKEND: Field =
    Field::choice("backend", &["auto", "cpu", "gpu"], "Where to train: WebGPU when available (auto), or the CPU path")
        .default(Preset::Choice("auto"));
const LAYERS: Field = Field::int_list("layers", 1, MAX_WIDTH as u64, "Layer widths, inputs first: [2, 16, 16, 2]")
    .example(Preset::IntList(&[2, 16, 16, 2]));
const ACTIVATION: Field =
    Field::choice("activation", &Activation::NAMES, "Hidden-layer activation").default(Preset::Choice("relu"));
const LOSS: Field = Field::choice("loss", &Loss::NAMES, "Training loss").default(Preset::Choice("cross_entropy"));
const BATCH_SIZE: Field =
    Field::int("batch_size", 1, 4096, "Rows per step (full batches only)").default(Preset::Int(32));
const SHUFFLE: Field = Field::boolean("shuffle", "Reshuffle the training rows every epoch").default(Preset::Bool(true));
const SEED: Field = Field::int("seed", 0, u32::MAX as u64, "Seeds the per-epoch shuffle").default(Preset::Int(0));
const OPTIMIZER: Field = Field::schedules("optimizer", "{kind: sgd | adam | adamw, ...}");
const DATA: Field = Field::schedules("data", "A synthetic set {kind, n, noise, ...} or your own {x, y, features}");
const GROUPS: Field = Field::schedules("groups", "Consecutive Linear indices per group, e.g. [[0], [1, 2]]");
const RUNS: Field = Field::schedules(
    "runs",
    "One entry per run: {seed, data_seed, init_params, schedule, group_lr_mult, frozen} or {seed, data_seed, init_params, phases}",
);
const PRECOMPUTE: Field = Field::boolean(
    "precompute",
    "While a run's lowest groups are frozen (and without augmentation), compute their outputs for the training rows once and reuse them (fastai's precompute=True; the same results, faster, on the CPU path)",
)
.default(Preset::Bool(true));
const SESSION_FIELDS: &[Field] =
    &[BACKEND, LAYERS, ACTIVATION, LOSS, BATCH_SIZE, SHUFFLE, SEED, OPTIMIZER, DATA, GROUPS, RUNS, PRECOMPUTE];

/// The parsed options, plus which backend was asked for.
pub struct Options {
    pub backend: &'static str,
    pub config: SessionConfig,
}

/// Validates session options. Errors name the field from the options' root; an empty field
/// is the options value itself.
pub fn parse(value: &Value) -> Result<Options, SpecError> {
    let obj = object(value)?;
    let r = Reader::new(obj, SESSION_FIELDS)?;
    let layers: Vec<usize> = r.int_list(&LAYERS)?.into_iter().map(|w| w as usize).collect();
    if !(2..=MAX_LINEAR_LAYERS + 1).contains(&layers.len()) {
        return Err(r.error(
            &LAYERS,
            format!(
                "must list 2 to {} widths (1 to {MAX_LINEAR_LAYERS} Linear layers), got {}",
                MAX_LINEAR_LAYERS + 1,
                layers.len()
            ),
        ));
    }
    let activation = Activation::ALL[r.choice_index(&ACTIVATION)?];
    let loss = Loss::ALL[r.choice_index(&LOSS)?];
    let mlp = Mlp { layers, activation, loss };
    let data = r.given(&DATA).ok_or_else(|| {
        r.error(&DATA, "is required: a synthetic set {kind, n, noise, validation_fraction, seed} or {x, y, features}")
    })?;
    let (data, augment) = parse_data(data, &mlp).map_err(|e| e.within(DATA.name))?;
    let features = data.train.features;
    if features != mlp.inputs() {
        return Err(r.error(&LAYERS, format!("must start with the data's {features} features, got {}", mlp.inputs())));
    }
    if let Targets::Classes { n_classes, .. } = data.train.targets {
        if mlp.outputs() < n_classes {
            return Err(r.error(
                &LAYERS,
                format!("must end with at least the data's {n_classes} classes, got {}", mlp.outputs()),
            ));
        }
    }
    let batch_size = r.int(&BATCH_SIZE)? as usize;
    if batch_size > data.train.len() {
        return Err(r.error(
            &BATCH_SIZE,
            format!("must be an integer in [1, {}] (the training rows), got {batch_size}", data.train.len()),
        ));
    }
    let groups = parse_groups(r.given(&GROUPS), mlp.linear_count()).map_err(|e| e.within(GROUPS.name))?;
    let optimizer = parse_optimizer(r.given(&OPTIMIZER)).map_err(|e| e.within(OPTIMIZER.name))?;
    let runs = r.spec_list(&RUNS, "run specs")?;
    if runs.is_empty() || runs.len() > MAX_RUNS {
        return Err(r.error(&RUNS, format!("must list 1 to {MAX_RUNS} runs, got {}", runs.len())));
    }
    let total = runs.len() * mlp.param_count();
    if total > MAX_TOTAL_PARAMS {
        let (count, per_run) = (runs.len(), mlp.param_count());
        return Err(r.error(&RUNS, format!("{count} runs × {per_run} parameters = {total}, more than the {MAX_TOTAL_PARAMS} a session holds: use fewer runs or a smaller network")));
    }
    let widths = mlp.layers.iter().sum::<usize>();
    if batch_size * widths > MAX_BATCH_VALUES {
        let most = MAX_BATCH_VALUES / widths;
        return Err(r.error(&BATCH_SIZE, format!("must be at most {most} for layers this wide (batch × Σ widths <= {MAX_BATCH_VALUES}), got {batch_size}")));
    }
    let runs: Vec<RunConfig> = runs
        .iter()
        .enumerate()
        .map(|(i, run)| parse_run(run, &mlp, groups.len()).map_err(|e| e.at(i).within(RUNS.name)))
        .collect::<Result<_, _>>()?;
    if augment.is_some() {
        // Every step's rows are transformed anew: bound what one block of them holds.
        let row_sets = if runs.iter().any(|r| r.data_seed.is_some()) { runs.len() } else { 1 };
        let values = BLOCK_STEPS * row_sets * batch_size * features;
        if values > MAX_AUGMENTED_VALUES {
            return Err(SpecError::new(
                format!("{}.{}", DATA.name, AUGMENT.name),
                format!("needs {BLOCK_STEPS} steps × {row_sets} row sets × {batch_size} rows × {features} features = {values} transformed inputs a block, more than {MAX_AUGMENTED_VALUES}: use a smaller batch, or fewer runs with their own data_seed"),
            ));
        }
    }
    Ok(Options {
        backend: r.choice(&BACKEND)?,
        config: SessionConfig {
            mlp,
            optimizer,
            data,
            batch_size,
            shuffle: r.boolean(&SHUFFLE)?,
            shuffle_seed: r.int(&SEED)?,
            groups,
            runs,
            augment,
            precompute: r.boolean(&PRECOMPUTE)?,
        },
    })
}

/// Every option field with its type, default, range and description, for building controls
/// (`Session.optionFields()` in JS): the same tables `parse` validates against.
pub fn fields_json() -> Value {
    let describe =
        |fields: &[Field]| Value::Array(fields.iter().filter(|f| f.name != "kind").map(Field::describe).collect());
    serde_json::json!({
        "session": describe(SESSION_FIELDS),
        "optimizer_kind": OPTIMIZER_KIND.describe(),
        "optimizers": {"sgd": describe(SGD_FIELDS), "adam": describe(ADAM_FIELDS), "adamw": describe(ADAMW_FIELDS)},
        "data": describe(SYNTHETIC_FIELDS),
        "data_kinds": SyntheticKind::NAMES,
        "own_data": describe(OWN_FIELDS),
        "augment": describe(AUGMENT_FIELDS),
        "run": describe(RUN_FIELDS),
        "phase": describe(PHASE_FIELDS),
        "run_update": describe(UPDATE_FIELDS),
        "limits": {"runs": MAX_RUNS, "phases": MAX_PHASES},
    })
}

/// `value` as an object; the error is about the value itself (empty field: the caller places it).
fn object(value: &Value) -> Result<&Map<String, Value>, SpecError> {
    value.as_object().ok_or_else(|| SpecError::new("", format!("must be an object, got {}", describe_value(value))))
}

/// The optimizer kinds, indexed as `OPTIMIZER_KIND`'s choices.
const OPTIMIZER_KIND: Field = Field::choice("kind", &["sgd", "adam", "adamw"], "The optimizer, as in torch.optim")
    .aliases(&[("SGD", "sgd"), ("Adam", "adam"), ("AdamW", "adamw")]);
const SGD_MOMENTUM: Field =
    Field::float("momentum", 0.0, 1.0, "Momentum factor (a schedule that cycles momentum overrides it)")
        .default(Preset::Float(0.0));
const SGD_DAMPENING: Field = Field::float("dampening", 0.0, 1.0, "Dampening for momentum").default(Preset::Float(0.0));
const SGD_NESTEROV: Field = Field::boolean("nesterov", "Nesterov momentum").default(Preset::Bool(false));
const SGD_WEIGHT_DECAY: Field = Field::float("weight_decay", 0.0, 1.0, "L2 penalty").default(Preset::Float(0.0));
const SGD_FIELDS: &[Field] = &[OPTIMIZER_KIND, SGD_MOMENTUM, SGD_DAMPENING, SGD_NESTEROV, SGD_WEIGHT_DECAY];
const ADAM_BETAS: Field =
    Field::float_list("betas", 0.0, 1.0, "(beta1, beta2); a schedule that cycles momentum overrides beta1")
        .default(Preset::FloatList(&[0.9, 0.999]));
const ADAM_EPS: Field =
    Field::float("eps", 0.0, 1.0, "Added to the denominator").min_open().default(Preset::Float(1e-8));
const ADAM_WEIGHT_DECAY: Field =
    Field::float("weight_decay", 0.0, 1.0, "Weight decay (L2, added to the gradient)").default(Preset::Float(0.0));
const ADAMW_WEIGHT_DECAY: Field =
    Field::float("weight_decay", 0.0, 1.0, "Decoupled weight decay").default(Preset::Float(0.01));
const ADAM_FIELDS: &[Field] = &[OPTIMIZER_KIND, ADAM_BETAS, ADAM_EPS, ADAM_WEIGHT_DECAY];
const ADAMW_FIELDS: &[Field] = &[OPTIMIZER_KIND, ADAM_BETAS, ADAM_EPS, ADAMW_WEIGHT_DECAY];

/// Errors are relative to the optimizer object.
fn parse_optimizer(value: Option<&Value>) -> Result<Optimizer, SpecError> {
    let Some(value) = value else {
        return Ok(Optimizer::Sgd { momentum: 0.0, dampening: 0.0, nesterov: false, weight_decay: 0.0 });
    };
    let obj = object(value)?;
    read_session_optimizer(obj, Reader::kind_index(obj, &OPTIMIZER_KIND)?)
}

/// SGD, Adam or AdamW (`kind`: their index in `OPTIMIZER_KIND`), the fields after the kind.
fn read_session_optimizer(obj: &Map<String, Value>, kind: usize) -> Result<Optimizer, SpecError> {
    match kind {
        0 => {
            let r = Reader::new(obj, SGD_FIELDS)?;
            let (momentum, dampening, nesterov) =
                (r.float(&SGD_MOMENTUM)?, r.float(&SGD_DAMPENING)?, r.boolean(&SGD_NESTEROV)?);
            if nesterov && (momentum <= 0.0 || dampening != 0.0) {
                return Err(r.error(&SGD_NESTEROV, "requires momentum > 0 and dampening = 0 (as PyTorch)"));
            }
            Ok(Optimizer::Sgd { momentum, dampening, nesterov, weight_decay: r.float(&SGD_WEIGHT_DECAY)? })
        }
        kind => {
            let decoupled = kind == 2;
            let r = Reader::new(obj, if decoupled { ADAMW_FIELDS } else { ADAM_FIELDS })?;
            let betas = r.float_list(&ADAM_BETAS)?;
            let [beta1, beta2] = betas[..] else {
                return Err(r.error(
                    &ADAM_BETAS,
                    format!("must be a list of 2 numbers in [0, 1), got {} numbers", betas.len()),
                ));
            };
            if beta1 >= 1.0 || beta2 >= 1.0 {
                return Err(r.error(&ADAM_BETAS, "must be in [0, 1) (a beta of 1 never forgets)"));
            }
            let weight_decay = r.float(if decoupled { &ADAMW_WEIGHT_DECAY } else { &ADAM_WEIGHT_DECAY })?;
            Ok(Optimizer::Adam { beta1, beta2, eps: r.float(&ADAM_EPS)?, weight_decay, decoupled })
        }
    }
}

/// The optimizers an analytic surface's trajectory may use: a session's three, then RMSprop and
/// Adagrad (indexed as these choices; a session refuses the last two by name).
const SURFACE_OPTIMIZER_KIND: Field =
    Field::choice("kind", &["sgd", "adam", "adamw", "rmsprop", "adagrad"], "The optimizer, as in torch.optim").aliases(
        &[("SGD", "sgd"), ("Adam", "adam"), ("AdamW", "adamw"), ("RMSprop", "rmsprop"), ("Adagrad", "adagrad")],
    );
const RMSPROP_ALPHA: Field =
    Field::float("alpha", 0.0, 1.0, "Smoothing constant of the squared-gradient average").default(Preset::Float(0.99));
const RMSPROP_EPS: Field =
    Field::float("eps", 0.0, 1.0, "Added to the denominator").min_open().default(Preset::Float(1e-8));
const RMSPROP_MOMENTUM: Field =
    Field::float("momentum", 0.0, 1.0, "Momentum factor (a schedule that cycles momentum overrides it)")
        .default(Preset::Float(0.0));
const RMSPROP_CENTERED: Field =
    Field::boolean("centered", "Divide by the gradient's estimated variance rather than its raw second moment")
        .default(Preset::Bool(false));
const RMSPROP_FIELDS: &[Field] =
    &[SURFACE_OPTIMIZER_KIND, RMSPROP_ALPHA, RMSPROP_EPS, RMSPROP_MOMENTUM, RMSPROP_CENTERED, SGD_WEIGHT_DECAY];
const ADAGRAD_LR_DECAY: Field =
    Field::float("lr_decay", 0.0, 1.0, "The rate at step k is lr / (1 + (k - 1) lr_decay)").default(Preset::Float(0.0));
const ADAGRAD_EPS: Field =
    Field::float("eps", 0.0, 1.0, "Added to the denominator").min_open().default(Preset::Float(1e-10));
const ADAGRAD_INITIAL: Field =
    Field::float("initial_accumulator_value", 0.0, 1e6, "Starting value of the squared-gradient sum")
        .default(Preset::Float(0.0));
const ADAGRAD_FIELDS: &[Field] =
    &[SURFACE_OPTIMIZER_KIND, ADAGRAD_LR_DECAY, ADAGRAD_EPS, SGD_WEIGHT_DECAY, ADAGRAD_INITIAL];

/// An analytic surface's optimizer: errors are relative to the optimizer object; absent is
/// plain SGD, as for a session.
pub fn parse_surface_optimizer(value: Option<&Value>) -> Result<AnyOptimizer, SpecError> {
    let Some(value) = value else {
        return parse_optimizer(None).map(AnyOptimizer::Session);
    };
    let obj = object(value)?;
    match Reader::kind_index(obj, &SURFACE_OPTIMIZER_KIND)? {
        3 => {
            let r = Reader::new(obj, RMSPROP_FIELDS)?;
            Ok(AnyOptimizer::RmsProp(RmsProp {
                alpha: r.float(&RMSPROP_ALPHA)?,
                eps: r.float(&RMSPROP_EPS)?,
                momentum: r.float(&RMSPROP_MOMENTUM)?,
                centered: r.boolean(&RMSPROP_CENTERED)?,
                weight_decay: r.float(&SGD_WEIGHT_DECAY)?,
            }))
        }
        4 => {
            let r = Reader::new(obj, ADAGRAD_FIELDS)?;
            Ok(AnyOptimizer::Adagrad(Adagrad {
                lr_decay: r.float(&ADAGRAD_LR_DECAY)?,
                eps: r.float(&ADAGRAD_EPS)?,
                weight_decay: r.float(&SGD_WEIGHT_DECAY)?,
                initial_accumulator_value: r.float(&ADAGRAD_INITIAL)?,
            }))
        }
        kind => read_session_optimizer(obj, kind).map(AnyOptimizer::Session),
    }
}

/// The fields of every optimizer a surface's trajectory takes, as `fields_json` gives a session's.
pub fn surface_optimizer_fields_json() -> Value {
    let describe =
        |fields: &[Field]| Value::Array(fields.iter().filter(|f| f.name != "kind").map(Field::describe).collect());
    serde_json::json!({
        "optimizer_kind": SURFACE_OPTIMIZER_KIND.describe(),
        "optimizers": {
            "sgd": describe(SGD_FIELDS),
            "adam": describe(ADAM_FIELDS),
            "adamw": describe(ADAMW_FIELDS),
            "rmsprop": describe(RMSPROP_FIELDS),
            "adagrad": describe(ADAGRAD_FIELDS),
        },
    })
}

const SYNTHETIC_KIND: Field = Field::choice("kind", &SyntheticKind::NAMES, "A synthetic 2-D data set");
const SYNTHETIC_N: Field =
    Field::int("n", 4, 100_000, "Points in all (training + validation)").default(Preset::Int(512));
const SYNTHETIC_NOISE: Field =
    Field::float("noise", 0.0, 1.0, "Noise, as TensorFlow Playground's slider (0.5 = 50%)").default(Preset::Float(0.0));
const SYNTHETIC_VALIDATION: Field =
    Field::float("validation_fraction", 0.0, 0.9, "Share of points held out for validation")
        .default(Preset::Float(0.2));
const SYNTHETIC_SEED: Field =
    Field::int("seed", 0, u32::MAX as u64, "Seeds the points and the split").default(Preset::Int(0));
const SYNTHETIC_ARMS: Field =
    Field::int("arms", MIN_ARMS as u64, MAX_ARMS as u64, "Spiral arms, one class each (arm k is class k; spiral only)")
        .default(Preset::Int(MIN_ARMS as u64));
const SYNTHETIC_ROTATION: Field = Field::float(
    "rotation",
    -360.0,
    360.0,
    "Degrees the points are turned about the origin, counter-clockwise (labels kept): a related task",
)
.default(Preset::Float(0.0));
const AUGMENT: Field = Field::schedules(
    "augment",
    "{rotate, jitter, flip, seed}: a random transform of each training row, drawn afresh every epoch (validation rows never)",
)
.default(Preset::Null);
const SYNTHETIC_FIELDS: &[Field] = &[
    SYNTHETIC_KIND,
    SYNTHETIC_N,
    SYNTHETIC_NOISE,
    SYNTHETIC_VALIDATION,
    SYNTHETIC_SEED,
    SYNTHETIC_ARMS,
    SYNTHETIC_ROTATION,
    AUGMENT,
];
const AUGMENT_ROTATE: Field =
    Field::float("rotate", 0.0, 180.0, "Turns the first two inputs by a uniform angle in ± this many degrees")
        .default(Preset::Float(0.0));
const AUGMENT_JITTER: Field =
    Field::float("jitter", 0.0, 1.0, "Adds gaussian noise of this standard deviation to every input")
        .default(Preset::Float(0.0));
const AUGMENT_FLIP: Field =
    Field::boolean("flip", "Mirrors the first input (x → -x) for half the rows").default(Preset::Bool(false));
const AUGMENT_SEED: Field = Field::int("seed", 0, u32::MAX as u64, "Seeds the transforms").default(Preset::Int(0));
const AUGMENT_FIELDS: &[Field] = &[AUGMENT_ROTATE, AUGMENT_JITTER, AUGMENT_FLIP, AUGMENT_SEED];
const OWN_X: Field = Field::float_list("x", f32::MIN as f64, f32::MAX as f64, "Inputs, row-major [rows, features]");
const OWN_Y: Field = Field::float_list(
    "y",
    f32::MIN as f64,
    f32::MAX as f64,
    "Class labels (cross_entropy) or targets [rows, outputs] (mse)",
);
const OWN_FEATURES: Field = Field::int("features", 1, 64, "Inputs per row");
/// The caller's own rows all train unless a share is asked for.
const OWN_VALIDATION: Field = Field::float(
    "validation_fraction",
    0.0,
    0.9,
    "Share of rows held out for validation (default: none, every row trains)",
)
.default(Preset::Float(0.0));
const OWN_SEED: Field =
    Field::int("seed", 0, u32::MAX as u64, "Seeds the split (with validation_fraction)").default(Preset::Int(0));
const OWN_FIELDS: &[Field] = &[OWN_X, OWN_Y, OWN_FEATURES, OWN_VALIDATION, OWN_SEED, AUGMENT];

/// The data and its augmentation (`None`: off, or a transform that changes nothing).
/// Errors are relative to the data object.
fn parse_data(value: &Value, mlp: &Mlp) -> Result<(data::Split, Option<Augment>), SpecError> {
    let obj = object(value)?;
    let (split, r) = if obj.contains_key(SYNTHETIC_KIND.name) {
        let r = Reader::new(obj, SYNTHETIC_FIELDS)?;
        let kind = SyntheticKind::ALL[r.choice_index(&SYNTHETIC_KIND)?];
        let arms = r.int(&SYNTHETIC_ARMS)? as usize;
        if kind != SyntheticKind::Spiral && arms != MIN_ARMS {
            return Err(r.error(&SYNTHETIC_ARMS, format!("only the spiral has arms; {} has 2 classes", kind.name())));
        }
        let spec = SyntheticSpec {
            kind,
            n: r.int(&SYNTHETIC_N)? as usize,
            noise: r.float(&SYNTHETIC_NOISE)?,
            validation_fraction: r.float(&SYNTHETIC_VALIDATION)?,
            seed: r.int(&SYNTHETIC_SEED)?,
            arms,
            rotation: r.float(&SYNTHETIC_ROTATION)?,
        };
        let (wants_values, gives_values) = (mlp.loss == Loss::Mse, kind.is_regression());
        if wants_values != gives_values {
            return Err(r.error(
                &SYNTHETIC_KIND,
                format!(
                    "{} is a {} set; it needs loss {}",
                    kind.name(),
                    if gives_values { "regression" } else { "classification" },
                    if gives_values { Loss::Mse.name() } else { Loss::CrossEntropy.name() }
                ),
            ));
        }
        (data::synthetic(&spec), r)
    } else {
        let r = Reader::new(obj, OWN_FIELDS)?;
        let features = r.int(&OWN_FEATURES)? as usize;
        let x: Vec<f32> = r.float_list(&OWN_X)?.into_iter().map(|v| v as f32).collect();
        if x.is_empty() || x.len() % features != 0 || x.len() / features > MAX_ROWS {
            return Err(r.error(
                &OWN_X,
                format!("must hold 1 to {MAX_ROWS} rows of {features} features, got {} values", x.len()),
            ));
        }
        let rows = x.len() / features;
        let y = r.float_list(&OWN_Y)?;
        let targets = own_targets(&r, y, rows, mlp)?;
        (data::split(Dataset { features, x, targets }, r.float(&OWN_VALIDATION)?, r.int(&OWN_SEED)?), r)
    };
    if split.train.is_empty() {
        return Err(SpecError::new(SYNTHETIC_VALIDATION.name, "leaves no training rows"));
    }
    let augment = match r.given(&AUGMENT) {
        None | Some(Value::Null) => None,
        Some(spec) => parse_augment(spec, split.train.features).map_err(|e| e.within(AUGMENT.name))?,
    };
    Ok((split, augment))
}

/// `data.augment`; errors are relative to it. A transform that changes nothing is `None`.
fn parse_augment(value: &Value, features: usize) -> Result<Option<Augment>, SpecError> {
    let r = Reader::new(object(value)?, AUGMENT_FIELDS)?;
    let augment = Augment {
        rotate: r.float(&AUGMENT_ROTATE)?,
        jitter: r.float(&AUGMENT_JITTER)?,
        flip: r.boolean(&AUGMENT_FLIP)?,
        seed: r.int(&AUGMENT_SEED)?,
    };
    if augment.rotate != 0.0 && features < 2 {
        return Err(r.error(&AUGMENT_ROTATE, format!("turns the first two inputs; the data has {features}")));
    }
    Ok((!augment.is_identity()).then_some(augment))
}

fn own_targets(r: &Reader, y: Vec<f64>, rows: usize, mlp: &Mlp) -> Result<Targets, SpecError> {
    match mlp.loss {
        Loss::CrossEntropy => {
            let classes = mlp.outputs();
            if y.len() != rows {
                return Err(
                    r.error(&OWN_Y, format!("must hold {rows} class labels (one per row), got {} values", y.len()))
                );
            }
            if let Some(i) = y.iter().position(|&c| c.fract() != 0.0 || c < 0.0 || c >= classes as f64) {
                let what = format!("must be a class label for cross_entropy, an integer in [0, {}]", classes - 1);
                return Err(r.item_error(&OWN_Y, i, format!("{what}, got {}", fmt_num(y[i]))));
            }
            Ok(Targets::Classes { labels: y.into_iter().map(|c| c as u32).collect(), n_classes: classes })
        }
        Loss::Mse => {
            let outputs = mlp.outputs();
            if y.len() != rows * outputs {
                return Err(r.error(&OWN_Y, format!("must hold {rows} × {outputs} targets for mse, got {}", y.len())));
            }
            Ok(Targets::Values { values: y.into_iter().map(|v| v as f32).collect(), outputs })
        }
    }
}

/// Errors are relative to the groups value.
fn parse_groups(value: Option<&Value>, linears: usize) -> Result<Vec<Vec<usize>>, SpecError> {
    let Some(value) = value else {
        return Ok((0..linears).map(|l| vec![l]).collect());
    };
    let layer = Field::int("layer", 0, linears as u64 - 1, "A Linear layer's index");
    fn list<'v>(v: &'v Value, what: &str) -> Result<&'v [Value], SpecError> {
        v.as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| SpecError::new("", format!("must be {what}, got {}", describe_value(v))))
    }
    let groups = list(value, "a list of groups of Linear layer indices, e.g. [[0], [1, 2]]")?
        .iter()
        .enumerate()
        .map(|(g, group)| {
            list(group, "a list of Linear layer indices")
                .map_err(|e| e.at(g))?
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    check_number(&layer, l).map(|l| l as usize).map_err(|m| SpecError::new("", m).at(i).at(g))
                })
                .collect::<Result<Vec<usize>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let flat: Vec<usize> = groups.iter().flatten().copied().collect();
    if groups.iter().any(Vec::is_empty) || flat != (0..linears).collect::<Vec<_>>() {
        return Err(SpecError::new(
            "",
            format!(
                "must split the Linear layers 0..={} into consecutive groups, in order, e.g. [[0], [1, 2]]",
                linears - 1
            ),
        ));
    }
    Ok(groups)
}

const RUN_SEED: Field =
    Field::int("seed", 0, u32::MAX as u64, "Seeds this run's initial weights").default(Preset::Int(0));
const RUN_DATA_SEED: Field = Field::int(
    "data_seed",
    0,
    u32::MAX as u64,
    "Shuffles this run's batches with its own seed (none: the session's order, the same batches as the other runs)",
)
.default(Preset::Null);
const SCHEDULE: Field =
    Field::schedules("schedule", "A learning-rate schedule spec; in a phase it counts from the phase's first step");
const RUN_PHASES: Field = Field::schedules(
    "phases",
    "Instead of schedule: 1 to 64 phases {steps, schedule, group_lr_mult, frozen, reset_optimizer}, in order; all but the last give steps",
)
.default(Preset::Null);
const GROUP_LR_MULT: Field =
    Field::float_list("group_lr_mult", 0.0, 1e6, "Multiplies the schedule's rate, one per group (default: all 1)")
        .default(Preset::Null);
const FROZEN: Field =
    Field::bool_list("frozen", "One flag per group: frozen groups do not train (default: none)").default(Preset::Null);
const RESET_OPTIMIZER: Field = Field::boolean(
    "reset_optimizer",
    "Start the phase with a fresh optimizer state: every group's momentum buffer or Adam moments and step count back to zero (fastai's freeze_to/unfreeze clear it)",
)
.default(Preset::Bool(false));
const PHASE_STEPS: Field = Field::int(
    "steps",
    1,
    MAX_STEP,
    "Optimizer steps the phase lasts; every phase but the last gives it (the last otherwise lasts until its schedule ends)",
)
.default(Preset::Null);
const UPDATE_SCHEDULE: Field = Field::schedules(
    "schedule",
    "A new schedule, counting from 0 at the next step (none: the current schedule goes on)",
)
.default(Preset::Null);
const RUN_INIT_PARAMS: Field = Field::float_list(
    "init_params",
    f32::MIN as f64,
    f32::MAX as f64,
    "Pretrained parameters of the lowest Linear layers, in nn.Sequential order (weight0, bias0, weight1, …); the layers above start from seed",
)
.default(Preset::Null);
const RUN_FIELDS: &[Field] = &[RUN_SEED, RUN_DATA_SEED, RUN_INIT_PARAMS, SCHEDULE, RUN_PHASES, GROUP_LR_MULT, FROZEN];
const PHASE_FIELDS: &[Field] = &[PHASE_STEPS, SCHEDULE, GROUP_LR_MULT, FROZEN, RESET_OPTIMIZER];
const UPDATE_FIELDS: &[Field] = &[UPDATE_SCHEDULE, GROUP_LR_MULT, FROZEN, RESET_OPTIMIZER];

/// A run: `{seed?, data_seed?, init_params?, schedule, group_lr_mult?, frozen?}` (one phase) or
/// `{seed?, data_seed?, init_params?, phases: [...]}`. Errors are relative to the run.
fn parse_run(value: &Value, mlp: &Mlp, groups: usize) -> Result<RunConfig, SpecError> {
    let obj = object(value)?;
    let r = Reader::new(obj, RUN_FIELDS)?;
    let seed = r.int(&RUN_SEED)?;
    let data_seed = r.optional_int(&RUN_DATA_SEED)?;
    let init_params = match r.given(&RUN_INIT_PARAMS) {
        None | Some(Value::Null) => None,
        Some(_) => r.optional_float_list(&RUN_INIT_PARAMS)?,
    };
    if let Some(values) = &init_params {
        // Whole layers only: the parameters of Linear layers 0..=l for some l.
        let lengths: Vec<usize> = (0..mlp.linear_count()).map(|l| mlp.bias_offset(l) + mlp.shape(l).1).collect();
        if !lengths.contains(&values.len()) {
            let allowed = lengths.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
            return Err(r.error(
                &RUN_INIT_PARAMS,
                format!(
                    "must hold the parameters of the first 1 to {} Linear layers, one of {allowed} values, got {}",
                    mlp.linear_count(),
                    values.len()
                ),
            ));
        }
    }
    let init_params = init_params.map(|values| values.into_iter().map(|v| v as f32).collect());
    let phases = match (r.given(&SCHEDULE), r.given(&RUN_PHASES)) {
        (Some(_), Some(_)) => {
            return Err(r.error(&RUN_PHASES, "cannot go with schedule: give schedule (one phase) or phases, not both"))
        }
        (None, None) => return Err(r.error(
            &SCHEDULE,
            "is required: a schedule spec such as {kind: \"Constant\", lr: 0.1}, or phases: [{steps, schedule}, ...]",
        )),
        (Some(_), None) => vec![read_phase(&r, groups, None)?],
        (None, Some(_)) => {
            for field in [&GROUP_LR_MULT, &FROZEN] {
                if r.given(field).is_some() {
                    return Err(r.error(field, "goes in each phase when a run gives phases"));
                }
            }
            let specs = r.spec_list(&RUN_PHASES, "phase specs")?;
            if specs.is_empty() || specs.len() > MAX_PHASES {
                return Err(r.error(&RUN_PHASES, format!("must list 1 to {MAX_PHASES} phases, got {}", specs.len())));
            }
            let last = specs.len() - 1;
            specs
                .iter()
                .enumerate()
                .map(|(i, spec)| parse_phase(spec, groups, i == last).map_err(|e| e.at(i).within(RUN_PHASES.name)))
                .collect::<Result<_, _>>()?
        }
    };
    Ok(RunConfig { seed, data_seed, phases, init_params })
}

/// One entry of a run's `phases`; errors are relative to it.
fn parse_phase(value: &Value, groups: usize, last: bool) -> Result<Phase, SpecError> {
    let obj = object(value)?;
    let r = Reader::new(obj, PHASE_FIELDS)?;
    let steps = r.optional_int(&PHASE_STEPS)?;
    if steps.is_none() && !last {
        return Err(
            r.error(&PHASE_STEPS, format!("is required in every phase but the last: an integer in [1, {MAX_STEP}]"))
        );
    }
    Ok(Phase { reset_optimizer: r.boolean(&RESET_OPTIMIZER)?, ..read_phase(&r, groups, steps)? })
}

/// The schedule and per-group settings of a phase (or of a one-phase run).
fn read_phase(r: &Reader, groups: usize, steps: Option<u64>) -> Result<Phase, SpecError> {
    let spec = r
        .given(&SCHEDULE)
        .ok_or_else(|| r.error(&SCHEDULE, "is required: a schedule spec such as {kind: \"Constant\", lr: 0.1}"))?;
    let schedule = Schedule::from_spec(spec).map_err(|e| e.within(SCHEDULE.name))?;
    if let (Some(steps), Some(last)) = (steps, schedule.last_step()) {
        // Past its schedule's end a phase could not train: the run would finish there.
        if steps > last + 1 {
            let kind = schedule.kind();
            let most = last + 1;
            return Err(r.error(
                &PHASE_STEPS,
                format!("must be at most {most} (its {kind} ends after {most} steps), got {steps}"),
            ));
        }
    }
    let GroupSettings { group_lr_mult, frozen } = read_groups(r, groups)?;
    Ok(Phase {
        steps,
        schedule: Arc::new(schedule),
        group_lr_mult: group_lr_mult.unwrap_or_else(|| vec![1.0; groups]),
        frozen: frozen.unwrap_or_else(|| vec![false; groups]),
        reset_optimizer: false,
    })
}

/// `group_lr_mult` and `frozen` as given (`None`: not given), each with one entry per group.
struct GroupSettings {
    group_lr_mult: Option<Vec<f64>>,
    frozen: Option<Vec<bool>>,
}

fn read_groups(r: &Reader, groups: usize) -> Result<GroupSettings, SpecError> {
    let group_lr_mult = r.optional_float_list(&GROUP_LR_MULT)?;
    if let Some(mults) = &group_lr_mult {
        if mults.len() != groups {
            return Err(
                r.error(&GROUP_LR_MULT, format!("must have one multiplier per group ({groups}), got {}", mults.len()))
            );
        }
    }
    let frozen = r.bool_list(&FROZEN)?;
    if let Some(flags) = &frozen {
        if flags.len() != groups {
            return Err(r.error(&FROZEN, format!("must have one flag per group ({groups}), got {}", flags.len())));
        }
    }
    Ok(GroupSettings { group_lr_mult, frozen })
}

/// `session.updateRun(run, {schedule?, group_lr_mult?, frozen?, reset_optimizer?})`: what changes from the next
/// step on. Errors are relative to the update object (an empty field is the object itself).
pub fn parse_run_update(value: &Value, groups: usize) -> Result<RunUpdate, SpecError> {
    let obj = object(value)?;
    let r = Reader::new(obj, UPDATE_FIELDS)?;
    let schedule = match r.given(&UPDATE_SCHEDULE) {
        Some(spec) => Some(Arc::new(Schedule::from_spec(spec).map_err(|e| e.within(UPDATE_SCHEDULE.name))?)),
        None => None,
    };
    let GroupSettings { group_lr_mult, frozen } = read_groups(&r, groups)?;
    Ok(RunUpdate { schedule, group_lr_mult, frozen, reset_optimizer: r.boolean(&RESET_OPTIMIZER)? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::non_finite;
    use serde_json::json;

    fn base() -> Value {
        json!({"layers": [2, 8, 2], "data": {"kind": "circle", "n": 100}, "runs": [{"schedule": {"kind": "Constant", "lr": 0.1}}]})
    }

    fn with(key: &str, value: Value) -> Value {
        let mut options = base();
        options[key] = value;
        options
    }

    fn error(options: &Value) -> SpecError {
        parse(options).err().expect("options should be refused")
    }

    fn error_with(key: &str, value: Value) -> String {
        error(&with(key, value)).to_string()
    }

    fn runs(runs: Value) -> Result<Vec<RunConfig>, String> {
        parse(&with("runs", runs)).map(|o| o.config.runs).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_fill_in_a_minimal_spec() {
        let options = parse(&base()).unwrap();
        assert_eq!(options.backend, "auto");
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
            "runs[0].schedule.kind: must be one of Constant, ConstantLR, StepLR, MultiStepLR, ExponentialLR, LinearLR, PolynomialLR, CosineAnnealingLR, CyclicLR, CosineAnnealingWarmRestarts, OneCycleLR, SequentialLR, fit_one_cycle, fit_sgdr, fit_flat_cos, SlantedTriangular, LrRangeTest, got \"Warp\""
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
    fn optimizers_take_torch_class_names_too() {
        let optimizer =
            |spec: Value| parse(&with("optimizer", spec)).map(|o| o.config.optimizer).map_err(|e| e.to_string());
        let sgd = optimizer(json!({"kind": "SGD", "momentum": 0.9, "nesterov": true})).unwrap();
        assert!(matches!(sgd, Optimizer::Sgd { momentum: 0.9, nesterov: true, .. }));
        let adam = optimizer(json!({"kind": "Adam"})).unwrap();
        assert!(matches!(adam, Optimizer::Adam { decoupled: false, weight_decay: 0.0, .. }));
        let adamw = optimizer(json!({"kind": "AdamW", "betas": [0.8, 0.99]})).unwrap();
        assert!(matches!(adamw, Optimizer::Adam { decoupled: true, weight_decay: 0.01, beta1: 0.8, beta2: 0.99, .. }));
        assert_eq!(
            optimizer(json!({"kind": "rmsprop"})).err().unwrap(),
            "optimizer.kind: must be one of sgd | adam | adamw (or SGD | Adam | AdamW), got \"rmsprop\""
        );
        assert_eq!(
            optimizer(json!({"momentum": 0.9})).err().unwrap(),
            "optimizer.kind: is required: one of sgd | adam | adamw (or SGD | Adam | AdamW)"
        );
        assert_eq!(
            optimizer(json!({"kind": "SGD", "betas": [0.9, 0.99]})).err().unwrap(),
            "optimizer.betas: unknown field (allowed: kind, momentum, dampening, nesterov, weight_decay)"
        );
        assert_eq!(
            optimizer(json!({"kind": "sgd", "nesterov": true})).err().unwrap(),
            "optimizer.nesterov: requires momentum > 0 and dampening = 0 (as PyTorch)"
        );
        assert_eq!(optimizer(json!([])).err().unwrap(), "optimizer: must be an object, got []");
    }

    #[test]
    fn surfaces_take_rmsprop_and_adagrad_but_sessions_do_not() {
        let any = |spec: Value| parse_surface_optimizer(Some(&spec)).map_err(|e| e.to_string());
        assert_eq!(
            any(json!({"kind": "RMSprop"})),
            Ok(AnyOptimizer::RmsProp(RmsProp {
                alpha: 0.99,
                eps: 1e-8,
                momentum: 0.0,
                centered: false,
                weight_decay: 0.0
            }))
        );
        assert_eq!(
            any(json!({"kind": "adagrad", "lr_decay": 0.1})),
            Ok(AnyOptimizer::Adagrad(Adagrad {
                lr_decay: 0.1,
                eps: 1e-10,
                weight_decay: 0.0,
                initial_accumulator_value: 0.0
            }))
        );
        assert_eq!(
            any(json!({"kind": "AdamW"})),
            Ok(AnyOptimizer::Session(Optimizer::Adam {
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay: 0.01,
                decoupled: true
            }))
        );
        assert_eq!(
            any(json!({"kind": "adagrad", "lr_decay": 2})),
            Err("lr_decay: must be a finite number in [0, 1], got 2".into())
        );
        assert_eq!(
            any(json!({"kind": "rmsprop", "eps": 0})),
            Err("eps: must be a finite number in (0, 1], got 0".into())
        );
        assert_eq!(
            any(json!({"kind": "rmsprop", "centered": 1})),
            Err("centered: must be true or false, got 1".into())
        );
        assert_eq!(
            any(json!({"kind": "adagrad", "momentum": 0.9})),
            Err("momentum: unknown field (allowed: kind, lr_decay, eps, weight_decay, initial_accumulator_value)"
                .into())
        );
        assert_eq!(
            any(json!({"kind": "sgd", "nesterov": true})),
            Err("nesterov: requires momentum > 0 and dampening = 0 (as PyTorch)".into())
        );
        assert_eq!(parse_surface_optimizer(None), parse_optimizer(None).map(AnyOptimizer::Session));
        // A session names the surface-only optimizers among the kinds it does not take.
        let session = |kind: &str| parse(&with("optimizer", json!({"kind": kind}))).err().unwrap().to_string();
        assert_eq!(
            session("Adagrad"),
            "optimizer.kind: must be one of sgd | adam | adamw (or SGD | Adam | AdamW), got \"Adagrad\""
        );
        let fields = surface_optimizer_fields_json();
        assert_eq!(fields["optimizer_kind"]["choices"], json!(["sgd", "adam", "adamw", "rmsprop", "adagrad"]));
        let names = |kind: &str| {
            fields["optimizers"][kind].as_array().unwrap().iter().map(|f| f["name"].clone()).collect::<Vec<_>>()
        };
        assert_eq!(
            names("rmsprop"),
            [json!("alpha"), json!("eps"), json!("momentum"), json!("centered"), json!("weight_decay")]
        );
        assert_eq!(
            names("adagrad"),
            [json!("lr_decay"), json!("eps"), json!("weight_decay"), json!("initial_accumulator_value")]
        );
        assert_eq!(names("sgd"), names_of(SGD_FIELDS));
        assert!(fields_json()["optimizers"].get("rmsprop").is_none(), "a session's controls never offer it");
    }

    fn names_of(fields: &[Field]) -> Vec<Value> {
        fields.iter().filter(|f| f.name != "kind").map(|f| json!(f.name)).collect()
    }

    #[test]
    fn own_data_trains_on_every_row_unless_asked() {
        let own = |extra: Value| {
            let mut data = json!({"x": [0, 0, 0, 1, 1, 0, 1, 1], "y": [0, 1, 1, 0], "features": 2});
            data.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            let mut options = with("data", data);
            options["batch_size"] = json!(1);
            parse(&options).map(|o| (o.config.data.train.len(), o.config.data.validation.len()))
        };
        assert_eq!(own(json!({})).unwrap(), (4, 0));
        assert_eq!(own(json!({"validation_fraction": 0.5})).unwrap(), (2, 2));
        let synthetic = parse(&base()).unwrap().config.data;
        assert_eq!((synthetic.train.len(), synthetic.validation.len()), (80, 20), "synthetic sets keep 20%");
        assert_eq!(
            own(json!({"y": [0, 1, 2, 0]})).err().unwrap().to_string(),
            "data.y[2]: must be a class label for cross_entropy, an integer in [0, 1], got 2"
        );
        assert_eq!(
            own(json!({"y": [0, 1]})).err().unwrap().to_string(),
            "data.y: must hold 4 class labels (one per row), got 2 values"
        );
        assert_eq!(
            own(json!({"x": [0, 0, 0, 1, 1, non_finite(f64::INFINITY), 1, 1]})).err().unwrap().to_string(),
            "data.x[5]: must be a finite number in [-3.402823e38, 3.402823e38], got Infinity"
        );
        assert_eq!(
            own(json!({"x": [0, 0, 1]})).err().unwrap().to_string(),
            "data.x: must hold 1 to 1000000 rows of 2 features, got 3 values"
        );
    }

    #[test]
    fn group_lists_hold_layer_indices_only() {
        let mut options = base();
        options["layers"] = json!([2, 8, 8, 2]);
        let groups = |g: Value| {
            let mut o = options.clone();
            o["groups"] = g;
            parse(&o).map(|o| o.config.groups).map_err(|e| e.to_string())
        };
        assert_eq!(groups(json!([[0], [1, 2]])), Ok(vec![vec![0], vec![1, 2]]));
        assert_eq!(
            groups(json!([[0, "x"], [1, 2]])),
            Err("groups[0][1]: must be an integer in [0, 2], got \"x\"".into())
        );
        assert_eq!(groups(json!([[0], [1.5, 2]])), Err("groups[1][0]: must be an integer in [0, 2], got 1.5".into()));
        assert_eq!(groups(json!([[0], 1])), Err("groups[1]: must be a list of Linear layer indices, got 1".into()));
        assert_eq!(
            groups(json!({"0": [0]})),
            Err("groups: must be a list of groups of Linear layer indices, e.g. [[0], [1, 2]], got an object".into())
        );
        let order = "groups: must split the Linear layers 0..=2 into consecutive groups, in order, e.g. [[0], [1, 2]]";
        assert_eq!(groups(json!([[1], [0, 2]])), Err(order.into()));
        assert_eq!(groups(json!([[0], [], [1, 2]])), Err(order.into()));
        assert_eq!(groups(json!([[0], [1]])), Err(order.into()));
    }

    #[test]
    fn runs_list_phases() {
        let phases = json!([{"seed": 4, "data_seed": 9, "phases": [
            {"steps": 10, "schedule": {"kind": "Constant", "lr": 0.1}, "frozen": [true, false]},
            {"steps": 5, "schedule": {"kind": "OneCycleLR", "max_lr": 0.3, "total_steps": 4}, "group_lr_mult": [0.5, 1],
                "reset_optimizer": true},
            {"schedule": {"kind": "Constant", "lr": 0.01}, "reset_optimizer": false}]}]);
        let run = runs(phases).unwrap().remove(0);
        assert_eq!((run.seed, run.data_seed), (4, Some(9)));
        type Summary<'a> = (Option<u64>, &'a str, Vec<f64>, Vec<bool>);
        let summary: Vec<Summary> = run
            .phases
            .iter()
            .map(|p| (p.steps, p.schedule.kind(), p.group_lr_mult.clone(), p.frozen.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                (Some(10), "Constant", vec![1.0, 1.0], vec![true, false]),
                (Some(5), "OneCycleLR", vec![0.5, 1.0], vec![false, false]),
                (None, "Constant", vec![1.0, 1.0], vec![false, false]),
            ]
        );
        let resets: Vec<bool> = run.phases.iter().map(|p| p.reset_optimizer).collect();
        assert_eq!(resets, [false, true, false]);
        let last_with_steps = runs(json!([{"phases": [{"steps": 3, "schedule": {"kind": "Constant"}}]}])).unwrap();
        assert_eq!(last_with_steps[0].phases[0].steps, Some(3));
        assert_eq!(runs(json!([{"data_seed": null, "schedule": {"kind": "Constant"}}])).unwrap()[0].data_seed, None);
    }

    #[test]
    fn phase_errors_name_the_phase_and_field() {
        let constant = json!({"kind": "Constant"});
        let err = |run: Value| runs(json!([{"schedule": constant}, run])).err().unwrap();
        assert_eq!(
            err(json!({"phases": [{"schedule": constant}, {"schedule": constant}]})),
            "runs[1].phases[0].steps: is required in every phase but the last: an integer in [1, 1000000000]"
        );
        assert_eq!(
            err(json!({"phases": [{"steps": 0, "schedule": constant}, {"schedule": constant}]})),
            "runs[1].phases[0].steps: must be an integer in [1, 1000000000], got 0"
        );
        assert_eq!(
            err(json!({"phases": [{"steps": 2, "schedule": constant}, {"steps": 1000000001, "schedule": constant}]})),
            "runs[1].phases[1].steps: must be an integer in [1, 1000000000], got 1000000001"
        );
        assert_eq!(
            err(json!({"phases": [{"steps": 2, "schedule": constant}, {"steps": 2.5, "schedule": constant}]})),
            "runs[1].phases[1].steps: must be an integer in [1, 1000000000], got 2.5"
        );
        assert_eq!(
            err(
                json!({"phases": [{"steps": 20, "schedule": {"kind": "OneCycleLR", "max_lr": 0.1, "total_steps": 9}}, {"schedule": constant}]})
            ),
            "runs[1].phases[0].steps: must be at most 10 (its OneCycleLR ends after 10 steps), got 20"
        );
        assert_eq!(
            err(json!({"phases": [{"steps": 2, "schedule": {"kind": "StepLR", "step_size": 0}}]})),
            "runs[1].phases[0].schedule.step_size (StepLR): must be an integer in [1, 1000000000], got 0"
        );
        assert_eq!(
            err(json!({"phases": [{"steps": 2}]})),
            "runs[1].phases[0].schedule: is required: a schedule spec such as {kind: \"Constant\", lr: 0.1}"
        );
        assert_eq!(
            err(json!({"phases": [{"schedule": constant, "frozen": [true]}]})),
            "runs[1].phases[0].frozen: must have one flag per group (2), got 1"
        );
        assert_eq!(
            err(json!({"phases": [{"schedule": constant, "seed": 1}]})),
            "runs[1].phases[0].seed: unknown field (allowed: steps, schedule, group_lr_mult, frozen, reset_optimizer)"
        );
        assert_eq!(
            err(json!({"phases": [{"schedule": constant, "reset_optimizer": 1}]})),
            "runs[1].phases[0].reset_optimizer: must be true or false, got 1"
        );
        assert_eq!(
            err(json!({"schedule": constant, "reset_optimizer": true})),
            "runs[1].reset_optimizer: unknown field (allowed: seed, data_seed, init_params, schedule, phases, group_lr_mult, frozen)"
        );
        assert_eq!(err(json!({"phases": [3]})), "runs[1].phases[0]: must be an object, got 3");
        assert_eq!(err(json!({"phases": []})), "runs[1].phases: must list 1 to 64 phases, got 0");
        let many: Vec<Value> = (0..65).map(|_| json!({"steps": 1, "schedule": constant})).collect();
        assert_eq!(err(json!({"phases": many})), "runs[1].phases: must list 1 to 64 phases, got 65");
        assert_eq!(
            err(json!({"phases": {"steps": 1}})),
            "runs[1].phases: must be a list of phase specs, got an object"
        );
        assert_eq!(
            err(json!({"schedule": constant, "phases": [{"schedule": constant}]})),
            "runs[1].phases: cannot go with schedule: give schedule (one phase) or phases, not both"
        );
        assert_eq!(
            err(json!({"group_lr_mult": [1, 1], "phases": [{"schedule": constant}]})),
            "runs[1].group_lr_mult: goes in each phase when a run gives phases"
        );
        assert_eq!(
            err(json!({"seed": 1})),
            "runs[1].schedule: is required: a schedule spec such as {kind: \"Constant\", lr: 0.1}, or phases: [{steps, schedule}, ...]"
        );
        assert_eq!(
            err(json!({"schedule": constant, "data_seed": 4294967296u64})),
            "runs[1].data_seed: must be an integer in [0, 4294967295], got 4294967296"
        );
        assert_eq!(
            err(json!({"schedule": constant, "data_seed": -1})),
            "runs[1].data_seed: must be an integer in [0, 4294967295], got -1"
        );
        let e = parse(&with("runs", json!([{"schedule": constant}, {"phases": [{"steps": 1, "schedule": constant}, {"steps": 0, "schedule": constant}]}])))
            .err()
            .unwrap();
        assert_eq!(e.field, "runs[1].phases[1].steps");
    }

    #[test]
    fn run_updates_change_only_what_they_give() {
        let update = parse_run_update(&json!({"frozen": [false, true]}), 2).unwrap();
        assert!(update.schedule.is_none() && update.group_lr_mult.is_none());
        assert_eq!(update.frozen, Some(vec![false, true]));
        assert!(!update.reset_optimizer);
        assert!(parse_run_update(&json!({"reset_optimizer": true}), 2).unwrap().reset_optimizer);
        let update =
            parse_run_update(&json!({"schedule": {"kind": "Constant", "lr": 0.5}, "group_lr_mult": [0.1, 1]}), 2)
                .unwrap();
        assert_eq!(update.schedule.map(|s| s.lr_at(0).unwrap()), Some(0.5));
        assert_eq!(update.group_lr_mult, Some(vec![0.1, 1.0]));
        let err = |v: Value| parse_run_update(&v, 2).err().unwrap();
        let e = err(json!({"schedule": {"kind": "ExponentialLR", "gamma": 0}}));
        assert_eq!((e.field.as_str(), e.kind), ("schedule.gamma", Some("ExponentialLR")));
        assert_eq!(
            err(json!({"steps": 3})).to_string(),
            "steps: unknown field (allowed: schedule, group_lr_mult, frozen, reset_optimizer)"
        );
        assert_eq!(
            err(json!({"reset_optimizer": "yes"})).to_string(),
            "reset_optimizer: must be true or false, got \"yes\""
        );
        assert_eq!(
            err(json!({"group_lr_mult": [1]})).to_string(),
            "group_lr_mult: must have one multiplier per group (2), got 1"
        );
        assert_eq!(
            err(json!({"group_lr_mult": [1, -1]})).to_string(),
            "group_lr_mult[1]: must be a finite number in [0, 1000000], got -1"
        );
        assert_eq!(
            err(json!({"frozen": "all"})).to_string(),
            "frozen: must be a list of true / false flags, got \"all\""
        );
        let root = err(json!(null));
        assert_eq!((root.field.as_str(), root.message.as_str()), ("", "must be an object, got null"));
    }

    #[test]
    fn field_tables_are_exported_for_the_ui() {
        let fields = fields_json();
        let adamw = fields["optimizers"]["adamw"].as_array().unwrap();
        let decay = adamw.iter().find(|f| f["name"] == "weight_decay").unwrap();
        assert_eq!(decay["default"], json!(0.01));
        assert_eq!(fields["data_kinds"], json!(SyntheticKind::ALL.map(SyntheticKind::name)));
        assert!(fields["optimizers"]["sgd"].as_array().unwrap().iter().all(|f| f["name"] != "kind"));
        assert_eq!(fields["optimizer_kind"]["choices"], json!(["sgd", "adam", "adamw"]));
        assert_eq!(fields["optimizer_kind"]["aliases"], json!({"SGD": "sgd", "Adam": "adam", "AdamW": "adamw"}));
        let field = |part: &str, name: &str| {
            fields[part].as_array().unwrap().iter().find(|f| f["name"] == name).cloned().unwrap_or(Value::Null)
        };
        assert_eq!(field("session", "activation")["choices"], json!(Activation::ALL.map(Activation::name)));
        assert_eq!(field("session", "loss")["choices"], json!(Loss::ALL.map(Loss::name)));
        let names = |part: &str| fields[part].as_array().unwrap().iter().map(|f| f["name"].clone()).collect::<Vec<_>>();
        assert_eq!(
            names("run"),
            [
                json!("seed"),
                json!("data_seed"),
                json!("init_params"),
                json!("schedule"),
                json!("phases"),
                json!("group_lr_mult"),
                json!("frozen")
            ]
        );
        assert_eq!(
            names("phase"),
            [json!("steps"), json!("schedule"), json!("group_lr_mult"), json!("frozen"), json!("reset_optimizer")]
        );
        assert_eq!(
            names("run_update"),
            [json!("schedule"), json!("group_lr_mult"), json!("frozen"), json!("reset_optimizer")]
        );
        assert_eq!(field("phase", "reset_optimizer")["default"], json!(false));
        assert_eq!(field("run", "data_seed")["max"].as_f64(), Some(4294967295.0));
        assert_eq!(field("run", "data_seed")["required"], json!(false));
        assert_eq!(field("phase", "steps")["max"].as_f64(), Some(MAX_STEP as f64));
        assert_eq!(field("own_data", "validation_fraction")["default"], json!(0.0));
        assert_eq!(field("data", "validation_fraction")["default"], json!(0.2));
        assert_eq!(fields["limits"], json!({"runs": 256, "phases": 64}));
        assert_eq!(names("augment"), [json!("rotate"), json!("jitter"), json!("flip"), json!("seed")]);
        assert_eq!(field("augment", "rotate")["max"].as_f64(), Some(180.0));
        assert_eq!(field("data", "arms")["default"], json!(2));
        assert_eq!(field("data", "rotation")["default"], json!(0.0));
        assert_eq!(field("session", "precompute")["default"], json!(true));
        assert!(field("own_data", "augment").is_object());
    }

    #[test]
    fn spiral_arms_and_rotation_make_related_tasks() {
        let mut options = with("data", json!({"kind": "spiral", "n": 200, "arms": 8, "rotation": 30}));
        assert_eq!(error(&options).to_string(), "layers: must end with at least the data's 8 classes, got 2");
        options["layers"] = json!([2, 8, 8]);
        let data = parse(&options).unwrap().config.data;
        assert_eq!(data.train.targets.len() + data.validation.len(), 200);
        let want = data::synthetic(&SyntheticSpec {
            arms: 8,
            rotation: 30.0,
            ..SyntheticSpec::new(SyntheticKind::Spiral, 200, 0.0, 0.2, 0)
        });
        assert_eq!(data, want);
        assert_eq!(
            error_with("data", json!({"kind": "spiral", "arms": 9})),
            "data.arms: must be an integer in [2, 8], got 9"
        );
        assert_eq!(
            error_with("data", json!({"kind": "moons", "arms": 3})),
            "data.arms: only the spiral has arms; moons has 2 classes"
        );
        assert_eq!(
            error_with("data", json!({"kind": "moons", "rotation": 400})),
            "data.rotation: must be a finite number in [-360, 360], got 400"
        );
        let e = error(&with("data", json!({"kind": "spiral", "arms": "many"})));
        assert_eq!(e.field, "data.arms");
    }

    #[test]
    fn augmentation_is_an_option_of_the_data() {
        let augment = |a: Value| {
            let mut data = json!({"kind": "circle", "n": 100});
            data["augment"] = a;
            parse(&with("data", data)).map(|o| o.config.augment).map_err(|e| e.to_string())
        };
        assert_eq!(
            augment(json!({"rotate": 15, "jitter": 0.05, "flip": true, "seed": 3})),
            Ok(Some(Augment { rotate: 15.0, jitter: 0.05, flip: true, seed: 3 }))
        );
        assert_eq!(augment(json!({})), Ok(None), "a transform that changes nothing is off");
        assert_eq!(augment(json!(null)), Ok(None));
        assert_eq!(parse(&base()).unwrap().config.augment, None);
        assert_eq!(
            augment(json!({"rotate": 200})),
            Err("data.augment.rotate: must be a finite number in [0, 180], got 200".into())
        );
        assert_eq!(
            augment(json!({"jitter": -1})),
            Err("data.augment.jitter: must be a finite number in [0, 1], got -1".into())
        );
        assert_eq!(augment(json!({"flip": 1})), Err("data.augment.flip: must be true or false, got 1".into()));
        assert_eq!(
            augment(json!({"scale": 2})),
            Err("data.augment.scale: unknown field (allowed: rotate, jitter, flip, seed)".into())
        );
        assert_eq!(augment(json!(5)), Err("data.augment: must be an object, got 5".into()));
        let mut one_feature =
            with("data", json!({"x": [0, 1, 2, 3], "y": [0, 1, 0, 1], "features": 1, "augment": {"rotate": 10}}));
        one_feature["layers"] = json!([1, 4, 2]);
        one_feature["batch_size"] = json!(2);
        assert_eq!(error(&one_feature).to_string(), "data.augment.rotate: turns the first two inputs; the data has 1");
        one_feature["data"]["augment"] = json!({"jitter": 0.1});
        assert!(parse(&one_feature).unwrap().config.augment.is_some(), "own data takes augment too");
        let mut many = with("data", json!({"kind": "circle", "n": 100000, "augment": {"flip": true}}));
        many["batch_size"] = json!(4096);
        many["runs"] = json!(vec![json!({"data_seed": 1, "schedule": {"kind": "Constant"}}); 65]);
        assert_eq!(
            error(&many).to_string(),
            "data.augment: needs 32 steps × 65 row sets × 4096 rows × 2 features = 17039360 transformed inputs a block, more than 16777216: use a smaller batch, or fewer runs with their own data_seed"
        );
    }

    #[test]
    fn init_params_are_whole_layers_of_the_network() {
        let mut options = base();
        options["layers"] = json!([2, 8, 8, 3]);
        options["data"] = json!({"kind": "spiral", "n": 100, "arms": 3});
        let run = |init: Value| {
            let mut o = options.clone();
            o["runs"] =
                json!([{"schedule": {"kind": "Constant"}}, {"init_params": init, "schedule": {"kind": "Constant"}}]);
            parse(&o).map(|o| o.config.runs[1].init_params.clone()).map_err(|e| e.to_string())
        };
        // Layer 0 holds 2·8 + 8 = 24 parameters, layers 0–1 another 8·8 + 8, all three 27 more.
        assert_eq!(run(json!(vec![0.5; 24])), Ok(Some(vec![0.5f32; 24])));
        assert_eq!(run(json!(vec![0.25; 96])).map(|p| p.map(|p| p.len())), Ok(Some(96)));
        assert_eq!(run(json!(vec![0.0; 123])).map(|p| p.map(|p| p.len())), Ok(Some(123)));
        let lengths = "must hold the parameters of the first 1 to 3 Linear layers, one of 24, 96, 123 values";
        assert_eq!(run(json!(vec![0.0; 25])), Err(format!("runs[1].init_params: {lengths}, got 25")));
        assert_eq!(run(json!([])), Err(format!("runs[1].init_params: {lengths}, got 0")));
        assert_eq!(
            run(json!([0.0, "x"])),
            Err("runs[1].init_params[1]: must be a finite number in [-3.402823e38, 3.402823e38], got \"x\"".into())
        );
        assert_eq!(run(json!(null)), Ok(None));
        assert_eq!(runs(json!([{"schedule": {"kind": "Constant"}}])).unwrap()[0].init_params, None);
    }

    #[test]
    fn every_choice_default_is_one_of_its_choices() {
        let tables: [&[Field]; 10] = [
            SESSION_FIELDS,
            SGD_FIELDS,
            ADAM_FIELDS,
            ADAMW_FIELDS,
            RMSPROP_FIELDS,
            ADAGRAD_FIELDS,
            SYNTHETIC_FIELDS,
            OWN_FIELDS,
            RUN_FIELDS,
            PHASE_FIELDS,
        ];
        for field in tables.iter().flat_map(|t| t.iter()) {
            if let (crate::fields::FieldType::Choice(choices), Some(Preset::Choice(d))) = (field.ty, field.default) {
                assert!(choices.contains(&d), "{}: {d}", field.name);
            }
        }
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
        assert_eq!(e, "batch_size: must be at most 1363 for layers this wide (batch × Σ widths <= 4194304), got 2000");
    }

    #[test]
    fn synthetic_sets_must_suit_the_loss() {
        let mut options = with("data", json!({"kind": "reg_plane"}));
        assert_eq!(error(&options).to_string(), "data.kind: reg_plane is a regression set; it needs loss mse");
        options["loss"] = json!("mse");
        options["layers"] = json!([2, 4, 1]);
        assert_eq!(parse(&options).unwrap().config.mlp.loss, Loss::Mse);
        assert_eq!(
            error_with("data", json!({"kind": "mnist"})),
            "data.kind: must be one of circle | xor | gauss | spiral | moons | reg_plane | reg_gauss, got \"mnist\""
        );
    }
}
