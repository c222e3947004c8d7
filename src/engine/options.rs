//! Session options as users write them (JSON / JS objects), validated into a `SessionConfig`.
//! Every error names the field (`runs[2].group_lr_mult`) and what is allowed.

use serde_json::{Map, Value};

use crate::data::{self, Dataset, SyntheticKind, SyntheticSpec, Targets};
use crate::fields::{Field, Preset, Reader, SpecError};
use crate::model::{Activation, Loss, Mlp, MAX_LINEAR_LAYERS, MAX_WIDTH};
use crate::schedule::Schedule;

use super::optimizer::Optimizer;
use super::phases::{Phase, RunConfig};
use super::session::SessionConfig;

pub const MAX_RUNS: usize = 256;
/// Caller-supplied data: at most this many rows (and 64 features).
pub const MAX_ROWS: usize = 1_000_000;
/// Memory bounds, so that no accepted option can exhaust a wasm instance: parameters of all runs
/// together (each has five copies: weights, gradients, two moments, the previous weights), and
/// one batch's activations through the widest layers.
pub const MAX_TOTAL_PARAMS: usize = 1 << 23;
pub const MAX_BATCH_VALUES: usize = 1 << 22;

const BACKEND: Field =
    Field::choice("backend", &["auto", "cpu", "gpu"], "Where to train: WebGPU when available (auto), or the CPU path")
        .default(Preset::Choice("auto"));
const LAYERS: Field = Field::int_list("layers", 1, MAX_WIDTH as u64, "Layer widths, inputs first: [2, 16, 16, 2]")
    .example(Preset::IntList(&[2, 16, 16, 2]));
const ACTIVATION: Field =
    Field::choice("activation", &["relu", "tanh", "sigmoid", "gelu", "linear"], "Hidden-layer activation")
        .default(Preset::Choice("relu"));
const LOSS: Field =
    Field::choice("loss", &["cross_entropy", "mse"], "Training loss").default(Preset::Choice("cross_entropy"));
const BATCH_SIZE: Field =
    Field::int("batch_size", 1, 4096, "Rows per step (full batches only)").default(Preset::Int(32));
const SHUFFLE: Field = Field::boolean("shuffle", "Reshuffle the training rows every epoch").default(Preset::Bool(true));
const SEED: Field = Field::int("seed", 0, u32::MAX as u64, "Seeds the per-epoch shuffle").default(Preset::Int(0));
const OPTIMIZER: Field = Field::schedules("optimizer", "{kind: sgd | adam | adamw, ...}");
const DATA: Field = Field::schedules("data", "A synthetic set {kind, n, noise, ...} or your own {x, y, features}");
const GROUPS: Field = Field::schedules("groups", "Consecutive Linear indices per group, e.g. [[0], [1, 2]]");
const RUNS: Field = Field::schedules("runs", "One entry per run: {seed, schedule, group_lr_mult, frozen}");
const SESSION_FIELDS: &[Field] =
    &[BACKEND, LAYERS, ACTIVATION, LOSS, BATCH_SIZE, SHUFFLE, SEED, OPTIMIZER, DATA, GROUPS, RUNS];

/// The parsed options, plus which backend was asked for.
pub struct Options {
    pub backend: &'static str,
    pub config: SessionConfig,
}

pub fn parse(value: &Value) -> Result<Options, SpecError> {
    let obj = object(value, "options")?;
    let r = Reader::new("options", obj, SESSION_FIELDS)?;
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
    let activation = Activation::from_name(r.choice(&ACTIVATION)?).unwrap_or(Activation::Relu);
    let loss = Loss::from_name(r.choice(&LOSS)?).unwrap_or(Loss::CrossEntropy);
    let mlp = Mlp { layers, activation, loss };
    let data = parse_data(&r, obj.get("data"), &mlp)?;
    let batch_size = r.int(&BATCH_SIZE)? as usize;
    if batch_size > data.train.len() {
        return Err(r.error(
            &BATCH_SIZE,
            format!("must be an integer in [1, {}] (the training rows), got {batch_size}", data.train.len()),
        ));
    }
    let groups = parse_groups(&r, obj.get("groups"), mlp.linear_count())?;
    let optimizer = parse_optimizer(obj.get("optimizer"))?;
    let runs = r.spec_list(&RUNS)?;
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
    let runs = runs.iter().enumerate().map(|(i, run)| parse_run(i, run, groups.len())).collect::<Result<_, _>>()?;
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
        },
    })
}

/// Every option field with its type, default, range and description, for building controls
/// (`Session.optionFields()` in JS): the same tables `parse` validates against.
pub fn fields_json() -> Value {
    let describe =
        |fields: &[Field]| Value::Array(fields.iter().filter(|f| f.name != "kind").map(Field::describe).collect());
    let adamw: Vec<Field> =
        ADAM_FIELDS.iter().map(|f| if f.name == "weight_decay" { ADAMW_WEIGHT_DECAY } else { *f }).collect();
    serde_json::json!({
        "session": describe(SESSION_FIELDS),
        "optimizers": {"sgd": describe(SGD_FIELDS), "adam": describe(ADAM_FIELDS), "adamw": describe(&adamw)},
        "data": describe(SYNTHETIC_FIELDS),
        "data_kinds": SYNTHETIC_FIELDS[0].describe()["choices"].clone(),
        "run": describe(RUN_FIELDS),
    })
}

fn object<'a>(value: &'a Value, name: &str) -> Result<&'a Map<String, Value>, SpecError> {
    value.as_object().ok_or_else(|| SpecError::new(name, "must be an object"))
}

const SGD_FIELDS: &[Field] = &[
    Field::choice("kind", &["sgd", "adam", "adamw"], "The optimizer"),
    Field::float("momentum", 0.0, 1.0, "Momentum factor (a schedule that cycles momentum overrides it)")
        .default(Preset::Float(0.0)),
    Field::float("dampening", 0.0, 1.0, "Dampening for momentum").default(Preset::Float(0.0)),
    Field::boolean("nesterov", "Nesterov momentum").default(Preset::Bool(false)),
    Field::float("weight_decay", 0.0, 1.0, "L2 penalty").default(Preset::Float(0.0)),
];
const ADAM_FIELDS: &[Field] = &[
    SGD_FIELDS[0],
    Field::float_list("betas", 0.0, 1.0, "(beta1, beta2); a schedule that cycles momentum overrides beta1")
        .default(Preset::FloatList(&[0.9, 0.999])),
    Field::float("eps", 0.0, 1.0, "Added to the denominator").min_open().default(Preset::Float(1e-8)),
    Field::float("weight_decay", 0.0, 1.0, "Weight decay (L2 for adam, decoupled for adamw)")
        .default(Preset::Float(0.0)),
];
const ADAMW_WEIGHT_DECAY: Field =
    Field::float("weight_decay", 0.0, 1.0, "Decoupled weight decay").default(Preset::Float(0.01));

fn parse_optimizer(value: Option<&Value>) -> Result<Optimizer, SpecError> {
    let Some(value) = value else {
        return Ok(Optimizer::Sgd { momentum: 0.0, dampening: 0.0, nesterov: false, weight_decay: 0.0 });
    };
    let obj = object(value, "optimizer")?;
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    match kind {
        "sgd" => {
            let r = Reader::new("optimizer", obj, SGD_FIELDS)?;
            let (momentum, nesterov, dampening) =
                (r.float(&SGD_FIELDS[1])?, r.boolean(&SGD_FIELDS[3])?, r.float(&SGD_FIELDS[2])?);
            if nesterov && (momentum <= 0.0 || dampening != 0.0) {
                return Err(r.error(&SGD_FIELDS[3], "requires momentum > 0 and dampening = 0 (as PyTorch)"));
            }
            Ok(Optimizer::Sgd { momentum, dampening, nesterov, weight_decay: r.float(&SGD_FIELDS[4])? })
        }
        "adam" | "adamw" => {
            let r = Reader::new("optimizer", obj, ADAM_FIELDS)?;
            let betas = r.float_list(&ADAM_FIELDS[1])?;
            let [beta1, beta2] = betas[..] else {
                return Err(r.error(
                    &ADAM_FIELDS[1],
                    format!("must be a list of 2 numbers in [0, 1], got {} numbers", betas.len()),
                ));
            };
            if beta1 >= 1.0 || beta2 >= 1.0 {
                return Err(r.error(&ADAM_FIELDS[1], "must be in [0, 1) (a beta of 1 never forgets)"));
            }
            let decoupled = kind == "adamw";
            let weight_decay = r.float(if decoupled { &ADAMW_WEIGHT_DECAY } else { &ADAM_FIELDS[3] })?;
            Ok(Optimizer::Adam { beta1, beta2, eps: r.float(&ADAM_FIELDS[2])?, weight_decay, decoupled })
        }
        _ => Err(SpecError::new(
            "optimizer.kind",
            format!("must be one of sgd | adam | adamw, got {:?}", obj.get("kind").unwrap_or(&Value::Null)),
        )),
    }
}

const SYNTHETIC_FIELDS: &[Field] = &[
    Field::choice(
        "kind",
        &["circle", "xor", "gauss", "spiral", "moons", "reg_plane", "reg_gauss"],
        "A synthetic 2-D data set",
    ),
    Field::int("n", 4, 100_000, "Points in all (training + validation)").default(Preset::Int(512)),
    Field::float("noise", 0.0, 1.0, "Noise, as TensorFlow Playground's slider (0.5 = 50%)").default(Preset::Float(0.0)),
    Field::float("validation_fraction", 0.0, 0.9, "Share of points held out for validation")
        .default(Preset::Float(0.2)),
    Field::int("seed", 0, u32::MAX as u64, "Seeds the points and the split").default(Preset::Int(0)),
];
const OWN_FIELDS: &[Field] = &[
    Field::float_list("x", f32::MIN as f64, f32::MAX as f64, "Inputs, row-major [rows, features]"),
    Field::float_list(
        "y",
        f32::MIN as f64,
        f32::MAX as f64,
        "Class labels (cross_entropy) or targets [rows, outputs] (mse)",
    ),
    Field::int("features", 1, 64, "Inputs per row"),
    SYNTHETIC_FIELDS[3],
    SYNTHETIC_FIELDS[4],
];

fn parse_data(session: &Reader, value: Option<&Value>, mlp: &Mlp) -> Result<data::Split, SpecError> {
    let value = value.ok_or_else(|| {
        session.error(
            &DATA,
            "is required: a synthetic set {kind, n, noise, validation_fraction, seed} or {x, y, features}",
        )
    })?;
    let obj = object(value, "data")?;
    let split = if obj.contains_key("kind") {
        let r = Reader::new("data", obj, SYNTHETIC_FIELDS)?;
        let kind = SyntheticKind::from_name(r.choice(&SYNTHETIC_FIELDS[0])?).unwrap_or(SyntheticKind::Circle);
        let spec = SyntheticSpec {
            kind,
            n: r.int(&SYNTHETIC_FIELDS[1])? as usize,
            noise: r.float(&SYNTHETIC_FIELDS[2])?,
            validation_fraction: r.float(&SYNTHETIC_FIELDS[3])?,
            seed: r.int(&SYNTHETIC_FIELDS[4])?,
        };
        let (wants_values, gives_values) = (mlp.loss == Loss::Mse, kind.is_regression());
        if wants_values != gives_values {
            return Err(r.error(
                &SYNTHETIC_FIELDS[0],
                format!(
                    "{} is a {} set; it needs loss {}",
                    kind.name(),
                    if gives_values { "regression" } else { "classification" },
                    if gives_values { "mse" } else { "cross_entropy" }
                ),
            ));
        }
        data::synthetic(&spec)
    } else {
        let r = Reader::new("data", obj, OWN_FIELDS)?;
        let features = r.int(&OWN_FIELDS[2])? as usize;
        let x: Vec<f32> = r.float_list(&OWN_FIELDS[0])?.into_iter().map(|v| v as f32).collect();
        if x.is_empty() || x.len() % features != 0 || x.len() / features > MAX_ROWS {
            return Err(r.error(
                &OWN_FIELDS[0],
                format!("must hold 1 to {MAX_ROWS} rows of {features} features, got {} values", x.len()),
            ));
        }
        let rows = x.len() / features;
        let y = r.float_list(&OWN_FIELDS[1])?;
        let targets = own_targets(&r, y, rows, mlp)?;
        data::split(Dataset { features, x, targets }, r.float(&OWN_FIELDS[3])?, r.int(&OWN_FIELDS[4])?)
    };
    let features = split.train.features;
    if features != mlp.inputs() {
        return Err(
            session.error(&LAYERS, format!("must start with the data's {features} features, got {}", mlp.inputs()))
        );
    }
    if let Targets::Classes { n_classes, .. } = split.train.targets {
        if mlp.outputs() < n_classes {
            return Err(session.error(
                &LAYERS,
                format!("must end with at least the data's {n_classes} classes, got {}", mlp.outputs()),
            ));
        }
    }
    if split.train.is_empty() {
        return Err(SpecError::new("data.validation_fraction", "leaves no training rows"));
    }
    Ok(split)
}

fn own_targets(r: &Reader, y: Vec<f64>, rows: usize, mlp: &Mlp) -> Result<Targets, SpecError> {
    let y_field = &OWN_FIELDS[1];
    match mlp.loss {
        Loss::CrossEntropy => {
            let classes = mlp.outputs();
            if y.len() != rows || y.iter().any(|&c| c.fract() != 0.0 || c < 0.0 || c >= classes as f64) {
                return Err(r.error(
                    y_field,
                    format!("must hold {rows} class labels, integers in [0, {}], for cross_entropy", classes - 1),
                ));
            }
            Ok(Targets::Classes { labels: y.into_iter().map(|c| c as u32).collect(), n_classes: classes })
        }
        Loss::Mse => {
            let outputs = mlp.outputs();
            if y.len() != rows * outputs {
                return Err(r.error(y_field, format!("must hold {rows} × {outputs} targets for mse, got {}", y.len())));
            }
            Ok(Targets::Values { values: y.into_iter().map(|v| v as f32).collect(), outputs })
        }
    }
}

fn parse_groups(r: &Reader, value: Option<&Value>, linears: usize) -> Result<Vec<Vec<usize>>, SpecError> {
    let Some(value) = value else {
        return Ok((0..linears).map(|l| vec![l]).collect());
    };
    let what = format!(
        "must split the Linear layers 0..={} into consecutive groups, in order, e.g. [[0], [1, 2]]",
        linears - 1
    );
    let groups: Option<Vec<Vec<usize>>> = value
        .as_array()
        .map(|gs| {
            gs.iter()
                .map(|g| g.as_array().map(|ls| ls.iter().filter_map(Value::as_u64).map(|l| l as usize).collect()))
                .collect()
        })
        .and_then(|gs: Vec<Option<Vec<usize>>>| gs.into_iter().collect());
    let flat: Vec<usize> = groups.iter().flatten().flatten().copied().collect();
    match groups {
        Some(gs) if gs.iter().all(|g| !g.is_empty()) && flat == (0..linears).collect::<Vec<_>>() => Ok(gs),
        _ => Err(r.error(&GROUPS, what)),
    }
}

const RUN_FIELDS: &[Field] = &[
    Field::int("seed", 0, u32::MAX as u64, "Seeds this run's initial weights").default(Preset::Int(0)),
    Field::schedules("schedule", "A learning-rate schedule spec"),
    Field::float_list("group_lr_mult", 0.0, 1e6, "Multiplies the schedule's rate, one per group").default(Preset::Null),
    Field::schedules("frozen", "One flag per group: frozen groups do not train"),
];

fn parse_run(i: usize, value: &Value, groups: usize) -> Result<RunConfig, SpecError> {
    let name = format!("runs[{i}]");
    let obj = object(value, &name)?;
    let r = Reader::new(name.clone(), obj, RUN_FIELDS)?;
    let schedule = obj
        .get("schedule")
        .ok_or_else(|| r.error(&RUN_FIELDS[1], "is required: a schedule spec such as {kind: \"Constant\", lr: 0.1}"))?;
    let schedule =
        Schedule::from_spec(schedule).map_err(|e| SpecError::new(format!("{name}.schedule"), e.to_string()))?;
    let group_lr_mult =
        if obj.contains_key("group_lr_mult") { r.float_list(&RUN_FIELDS[2])? } else { vec![1.0; groups] };
    if group_lr_mult.len() != groups {
        return Err(r.error(
            &RUN_FIELDS[2],
            format!("must have one multiplier per group ({groups}), got {}", group_lr_mult.len()),
        ));
    }
    let frozen = match obj.get("frozen") {
        None => vec![false; groups],
        Some(v) => v
            .as_array()
            .and_then(|fs| fs.iter().map(Value::as_bool).collect::<Option<Vec<bool>>>())
            .filter(|fs| fs.len() == groups)
            .ok_or_else(|| r.error(&RUN_FIELDS[3], format!("must be a list of {groups} booleans, one per group")))?,
    };
    let phase = Phase { steps: None, schedule: std::sync::Arc::new(schedule), group_lr_mult, frozen };
    Ok(RunConfig { seed: r.int(&RUN_FIELDS[0])?, data_seed: None, phases: vec![phase] })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> Value {
        json!({"layers": [2, 8, 2], "data": {"kind": "circle", "n": 100}, "runs": [{"schedule": {"kind": "Constant", "lr": 0.1}}]})
    }

    fn error_with(key: &str, value: Value) -> String {
        let mut options = base();
        options[key] = value;
        parse(&options).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn defaults_fill_in_a_minimal_spec() {
        let options = parse(&base()).unwrap();
        assert_eq!(options.backend, "auto");
        assert_eq!(options.config.groups, vec![vec![0], vec![1]]);
        assert_eq!(options.config.runs[0].phases[0].group_lr_mult, vec![1.0, 1.0]);
        assert_eq!(options.config.batch_size, 32);
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(error_with("batch_size", json!(0)), "options.batch_size: must be an integer in [1, 4096], got 0");
        assert_eq!(
            error_with("layers", json!([2, 2000, 2])),
            "options.layers: must be a list of integers in [1, 1024]; must be an integer in [1, 1024], got 2000"
        );
        assert_eq!(
            error_with("layers", json!([3, 8, 2])),
            "options.layers: must start with the data's 2 features, got 3"
        );
        assert!(
            error_with("groups", json!([[1], [0]])).starts_with("options.groups: must split the Linear layers 0..=1")
        );
        assert_eq!(
            error_with("optimizer", json!({"kind": "adam", "betas": [0.9]})),
            "optimizer.betas: must be a list of 2 numbers in [0, 1], got 1 numbers"
        );
        assert!(error_with("runs", json!([])).starts_with("options.runs: must list 1 to 256 runs"));
        let e = error_with("runs", json!([{"schedule": {"kind": "StepLR"}}]));
        assert_eq!(e, "runs[0].schedule: StepLR.step_size: is required: an integer in [1, 1000000000]");
        let e = error_with("runs", json!([{"schedule": {"kind": "Constant"}, "frozen": [true]}]));
        assert_eq!(e, "runs[0].frozen: must be a list of 2 booleans, one per group");
        assert_eq!(error_with("lr", json!(1)), "options.lr: unknown field (allowed: backend, layers, activation, loss, batch_size, shuffle, seed, optimizer, data, groups, runs)");
    }

    #[test]
    fn field_tables_are_exported_for_the_ui() {
        let fields = fields_json();
        let adamw = fields["optimizers"]["adamw"].as_array().unwrap();
        let decay = adamw.iter().find(|f| f["name"] == "weight_decay").unwrap();
        assert_eq!(decay["default"], json!(0.01));
        assert_eq!(fields["data_kinds"].as_array().unwrap().len(), 7);
        assert!(fields["optimizers"]["sgd"].as_array().unwrap().iter().all(|f| f["name"] != "kind"));
    }

    #[test]
    fn sizes_that_would_exhaust_memory_are_refused() {
        let mut options = base();
        options["layers"] = json!([2, 1024, 1024, 1024, 2]);
        options["runs"] = json!(vec![json!({"schedule": {"kind": "Constant"}}); 16]);
        let e = parse(&options).err().unwrap().to_string();
        assert!(e.starts_with("options.runs: 16 runs × 2104322 parameters"), "{e}");
        options["runs"] = json!([{"schedule": {"kind": "Constant"}}]);
        options["batch_size"] = json!(2000);
        options["data"] = json!({"kind": "circle", "n": 4000});
        let e = parse(&options).err().unwrap().to_string();
        assert_eq!(
            e,
            "options.batch_size: must be at most 1363 for layers this wide (batch × Σ widths <= 4194304), got 2000"
        );
    }

    #[test]
    fn own_data_labels_must_fit_the_outputs() {
        let e = error_with("data", json!({"x": [0, 1, 2, 3], "y": [0, 2], "features": 2}));
        assert_eq!(e, "data.y: must hold 2 class labels, integers in [0, 1], for cross_entropy");
    }
}
