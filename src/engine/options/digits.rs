//! The digits option (`{kind: "digits", classes, n, validation_fraction, seed, augment}`): UCI's
//! handwritten digits, a subset of the classes, a class-balanced sample of them.

use serde_json::{Map, Value};

use crate::data::{self, DigitsSpec, DIGIT_CLASSES, DIGIT_COUNT};
use crate::model::{Loss, Mlp};
use crate::spec::{Field, Preset, Reader, SpecError};

/// The `kind` that picks the digits.
pub(super) const DIGITS: &str = "digits";

const DIGITS_KIND: Field = Field::choice("kind", &[DIGITS], "UCI's handwritten digits: 8×8 grey images, 10 classes");
const DIGITS_CLASSES: Field = Field::int_list(
    "classes",
    0,
    DIGIT_CLASSES as u64 - 1,
    "The digits to keep (each keeps its own label, so the network needs outputs up to the highest)",
)
.default(Preset::IntList(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
const DIGITS_N: Field = Field::int(
    "n",
    1,
    DIGIT_COUNT as u64,
    "Images in all (training + validation), shared evenly among the classes (default: every image of them)",
);
const DIGITS_VALIDATION: Field =
    Field::float("validation_fraction", 0.0, 0.9, "Share of images held out for validation")
        .default(Preset::Float(0.2));
const DIGITS_SEED: Field =
    Field::int("seed", 0, u32::MAX as u64, "Seeds the sample and the split").default(Preset::Int(0));
/// Read with the other data kinds' `augment` (the same fields), here said of images.
const DIGITS_AUGMENT: Field = Field::nested(
    "augment",
    "{rotate, jitter, flip, seed}: turns, shifts and mirrors each training image, drawn afresh every epoch (validation images never)",
)
.default(Preset::Null);
pub(super) const DIGITS_FIELDS: &[Field] =
    &[DIGITS_KIND, DIGITS_CLASSES, DIGITS_N, DIGITS_VALIDATION, DIGITS_SEED, DIGITS_AUGMENT];

/// Whether a data object asks for the digits.
pub(super) fn is_digits(obj: &Map<String, Value>) -> bool {
    obj.get(DIGITS_KIND.name).and_then(Value::as_str) == Some(DIGITS)
}

/// The digits a data object asks for, checked against the network; errors are relative to it.
pub(super) fn parse_digits<'a>(obj: &'a Map<String, Value>, mlp: &Mlp) -> Result<(data::Split, Reader<'a>), SpecError> {
    let r = Reader::new(obj, DIGITS_FIELDS)?;
    let classes: Vec<u32> = r.int_list(&DIGITS_CLASSES)?.into_iter().map(|c| c as u32).collect();
    if classes.is_empty() {
        return Err(r.error(&DIGITS_CLASSES, "must name at least one digit"));
    }
    if let Some(i) = (1..classes.len()).find(|&i| classes[..i].contains(&classes[i])) {
        return Err(r.item_error(&DIGITS_CLASSES, i, format!("names digit {} twice", classes[i])));
    }
    let counts = data::digit_class_counts();
    let available: usize = classes.iter().filter_map(|&c| counts.get(c as usize)).sum();
    let n = r.optional_int(&DIGITS_N)?.map(|n| n as usize);
    if let Some(n) = n.filter(|&n| n > available) {
        let message = format!("must be at most {available}, the images of the digits asked for, got {n}");
        return Err(r.error(&DIGITS_N, message));
    }
    if mlp.loss != Loss::CrossEntropy {
        return Err(r.error(
            &DIGITS_KIND,
            format!("digits are a classification set; they need loss {}", Loss::CrossEntropy.name()),
        ));
    }
    let highest = classes.iter().max().map_or(0, |&c| c as usize);
    if mlp.outputs() <= highest {
        let message = format!("digit {highest} needs {} outputs, the network has {}", highest + 1, mlp.outputs());
        return Err(r.error(&DIGITS_CLASSES, message));
    }
    let spec = DigitsSpec { classes, n, validation_fraction: r.float(&DIGITS_VALIDATION)?, seed: r.int(&DIGITS_SEED)? };
    Ok((data::digits(&spec), r))
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::testing::{error, with};
    use super::*;
    use crate::data::{Augment, DIGIT_SIDE};
    use serde_json::json;

    fn digits(data: Value, layers: Value) -> Result<crate::engine::SessionConfig, String> {
        let mut options = with("data", data);
        options["layers"] = layers;
        parse(&options).map(|o| o.config).map_err(|e| format!("{}: {}", e.field, e.message))
    }

    #[test]
    fn digits_are_a_data_kind() {
        let config = digits(json!({"kind": "digits"}), json!([64, 32, 10])).unwrap();
        assert_eq!((config.data.train.len(), config.data.validation.len()), (1438, 359));
        assert_eq!(config.data.train.features, 64);
        let few = digits(json!({"kind": "digits", "classes": [0, 1, 2, 3, 4], "n": 50, "seed": 4}), json!([64, 8, 5]));
        assert_eq!(few.unwrap().data.train.len(), 40);
        let augmented =
            digits(json!({"kind": "digits", "augment": {"rotate": 10, "jitter": 0.05}}), json!([64, 10])).unwrap();
        let want = Augment { rotate: 10.0, jitter: 0.05, flip: false, seed: 0, image: Some(DIGIT_SIDE) };
        assert_eq!(augmented.augment, Some(want));
    }

    #[test]
    fn digits_errors_name_their_field() {
        let err = |data: Value, layers: Value| digits(data, layers).err().unwrap_or_default();
        let net = json!([64, 10]);
        assert_eq!(
            err(json!({"kind": "digits", "classes": []}), net.clone()),
            "data.classes: must name at least one digit"
        );
        assert_eq!(
            err(json!({"kind": "digits", "classes": [3, 10]}), net.clone()),
            "data.classes[1]: must be an integer in [0, 9], got 10"
        );
        assert_eq!(
            err(json!({"kind": "digits", "classes": [3, 4, 3]}), net.clone()),
            "data.classes[2]: names digit 3 twice"
        );
        assert_eq!(
            err(json!({"kind": "digits", "classes": [0, 1], "n": 361}), net.clone()),
            "data.n: must be at most 360, the images of the digits asked for, got 361"
        );
        assert_eq!(
            err(json!({"kind": "digits", "n": 0}), net.clone()),
            "data.n: must be an integer in [1, 1797], got 0"
        );
        assert_eq!(
            err(json!({"kind": "digits", "classes": [5, 9]}), json!([64, 8, 5])),
            "data.classes: digit 9 needs 10 outputs, the network has 5"
        );
        assert_eq!(
            err(json!({"kind": "digits", "noise": 0.1}), net.clone()),
            "data.noise: unknown field (allowed: kind, classes, n, validation_fraction, seed, augment)"
        );
        assert_eq!(
            err(json!({"kind": "digits"}), json!([2, 10])),
            "layers: must start with the data's 64 features, got 2"
        );
        let mut mse = with("data", json!({"kind": "digits"}));
        mse["layers"] = json!([64, 10]);
        mse["loss"] = json!("mse");
        assert_eq!(error(&mse).to_string(), "data.kind: digits are a classification set; they need loss cross_entropy");
    }
}
