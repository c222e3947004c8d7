//! The data option: a synthetic set (`{kind, n, noise, ...}`) or the caller's own rows (`{x, y,
//! features}`), and their augmentation (`augment`).

use serde_json::Value;

use super::digits::{is_digits, parse_digits, DIGITS};
use crate::data::{self, Augment, Dataset, SyntheticKind, SyntheticSpec, Targets, DIGIT_SIDE};
use crate::limits::{MAX_ARMS, MAX_OWN_FEATURES, MAX_ROWS, MIN_ARMS};
use crate::model::{Loss, Mlp};
use crate::spec::{fmt_num, object, Field, Preset, Reader, SpecError};

/// Every `kind` a data object may name: the synthetic sets, then the digits.
const DATA_KINDS: [&str; SyntheticKind::NAMES.len() + 1] = {
    let mut kinds = [DIGITS; SyntheticKind::NAMES.len() + 1];
    let mut i = 0;
    while i < SyntheticKind::NAMES.len() {
        kinds[i] = SyntheticKind::NAMES[i];
        i += 1;
    }
    kinds
};
const SYNTHETIC_KIND: Field =
    Field::choice("kind", &DATA_KINDS, "A synthetic 2-D data set (or \"digits\": UCI's handwritten digits)");
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
pub(super) const AUGMENT: Field = Field::nested(
    "augment",
    "{rotate, jitter, flip, seed}: a random transform of each training row, drawn afresh every epoch (validation rows never)",
)
.default(Preset::Null);
pub(super) const SYNTHETIC_FIELDS: &[Field] = &[
    SYNTHETIC_KIND,
    SYNTHETIC_N,
    SYNTHETIC_NOISE,
    SYNTHETIC_VALIDATION,
    SYNTHETIC_SEED,
    SYNTHETIC_ARMS,
    SYNTHETIC_ROTATION,
    AUGMENT,
];
const AUGMENT_ROTATE: Field = Field::float(
    "rotate",
    0.0,
    180.0,
    "Turns the first two inputs (an image: the picture) by a uniform angle in ± this many degrees",
)
.default(Preset::Float(0.0));
const AUGMENT_JITTER: Field =
    Field::float("jitter", 0.0, 1.0, "Adds gaussian noise of this standard deviation to every input (an image: shifts it by this many image widths, as a standard deviation)")
        .default(Preset::Float(0.0));
const AUGMENT_FLIP: Field =
    Field::boolean("flip", "Mirrors the first input (x → -x; an image: left to right) for half the rows")
        .default(Preset::Bool(false));
const AUGMENT_SEED: Field = Field::int("seed", 0, u32::MAX as u64, "Seeds the transforms").default(Preset::Int(0));
pub(super) const AUGMENT_FIELDS: &[Field] = &[AUGMENT_ROTATE, AUGMENT_JITTER, AUGMENT_FLIP, AUGMENT_SEED];
const OWN_X: Field = Field::float_list("x", f32::MIN as f64, f32::MAX as f64, "Inputs, row-major [rows, features]");
const OWN_Y: Field = Field::float_list(
    "y",
    f32::MIN as f64,
    f32::MAX as f64,
    "Class labels (cross_entropy) or targets [rows, outputs] (mse)",
);
const OWN_FEATURES: Field = Field::int("features", 1, MAX_OWN_FEATURES, "Inputs per row");
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
pub(super) const OWN_FIELDS: &[Field] = &[OWN_X, OWN_Y, OWN_FEATURES, OWN_VALIDATION, OWN_SEED, AUGMENT];

/// The data and its augmentation (`None`: off, or a transform that changes nothing).
/// Errors are relative to the data object.
pub(super) fn parse_data(value: &Value, mlp: &Mlp) -> Result<(data::Split, Option<Augment>), SpecError> {
    let obj = object(value)?;
    let (split, r) = if is_digits(obj) {
        parse_digits(obj, mlp)?
    } else if obj.contains_key(SYNTHETIC_KIND.name) {
        let r = Reader::new(obj, SYNTHETIC_FIELDS)?;
        let kind = r.pick(&SYNTHETIC_KIND, &SyntheticKind::NAMED)?;
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
        if x.is_empty() || !x.len().is_multiple_of(features) || x.len() / features > MAX_ROWS {
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
        Some(spec) => {
            let image = is_digits(obj).then_some(DIGIT_SIDE);
            parse_augment(spec, split.train.features, image).map_err(|e| e.within(AUGMENT.name))?
        }
    };
    Ok((split, augment))
}

/// `data.augment`; errors are relative to it. A transform that changes nothing is `None`.
/// `image` is the side of the square image a row is, if it is one.
fn parse_augment(value: &Value, features: usize, image: Option<usize>) -> Result<Option<Augment>, SpecError> {
    let r = Reader::new(object(value)?, AUGMENT_FIELDS)?;
    let augment = Augment {
        rotate: r.float(&AUGMENT_ROTATE)?,
        jitter: r.float(&AUGMENT_JITTER)?,
        flip: r.boolean(&AUGMENT_FLIP)?,
        seed: r.int(&AUGMENT_SEED)?,
        image,
    };
    check_rotation(&augment, features)?;
    Ok((!augment.is_identity()).then_some(augment))
}

/// A rotation turns the first two inputs: the data must have them.
fn check_rotation(augment: &Augment, features: usize) -> Result<(), SpecError> {
    if augment.rotate != 0.0 && features < 2 {
        let message = format!("turns the first two inputs; the data has {features}");
        return Err(SpecError::new(AUGMENT_ROTATE.name, message));
    }
    Ok(())
}

/// An augmentation built in Rust, held to the ranges a spec is; errors are relative to `augment`.
pub(super) fn check_augment(augment: &Augment, features: usize) -> Result<(), SpecError> {
    AUGMENT_ROTATE.check(augment.rotate)?;
    AUGMENT_JITTER.check(augment.jitter)?;
    AUGMENT_SEED.check(augment.seed as f64)?;
    check_rotation(augment, features)
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

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::testing::{base, error, error_with, with};
    use super::*;
    use crate::spec::non_finite;
    use serde_json::json;

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
    fn own_data_takes_up_to_256_features() {
        let own = |features: usize| {
            let mut options = with("data", json!({"x": vec![0.5; 2 * features], "y": [0, 1], "features": features}));
            options["layers"] = json!([features, 4, 2]);
            options["batch_size"] = json!(1);
            parse(&options).map(|o| o.config.data.train.features)
        };
        assert_eq!(own(256).unwrap(), 256);
        assert_eq!(own(257).err().unwrap().to_string(), "data.features: must be an integer in [1, 256], got 257");
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
            Ok(Some(Augment { rotate: 15.0, jitter: 0.05, flip: true, seed: 3, image: None }))
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
    fn synthetic_sets_must_suit_the_loss() {
        let mut options = with("data", json!({"kind": "reg_plane"}));
        assert_eq!(error(&options).to_string(), "data.kind: reg_plane is a regression set; it needs loss mse");
        options["loss"] = json!("mse");
        options["layers"] = json!([2, 4, 1]);
        assert_eq!(parse(&options).unwrap().config.mlp.loss, Loss::Mse);
        assert_eq!(
            error_with("data", json!({"kind": "mnist"})),
            "data.kind: must be one of circle | xor | gauss | spiral | moons | reg_plane | reg_gauss | digits, got \"mnist\""
        );
    }
}
