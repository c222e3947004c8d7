//! Options of the pure curve functions (`smoothLosses`, `suggestLr`) for curves recorded
//! elsewhere, e.g. a user's own `lr_find` output.

use serde_json::{Map, Value};

use super::smooth::{Smoothing, FASTAI_BETA};
use super::suggest::{Method, METHODS};
use super::{read_smooth_f, SMOOTH_F};
use crate::limits::MAX_NUM_IT;
use crate::spec::{any_numbers, fmt_num, names, options_object, Field, Preset, Reader, SpecError};

/// Whose smoothing a curve gets.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    Fastai,
    TorchLrFinder,
}
const STYLES: [(Style, &str); 2] = [(Style::Fastai, "fastai"), (Style::TorchLrFinder, "torch_lr_finder")];
const STYLE_NAMES: [&str; 2] = names(&STYLES);
const STYLE: Field = Field::choice("style", &STYLE_NAMES, "Whose smoothing to apply").default(Preset::Choice("fastai"));
const BETA: Field =
    Field::float("beta", 0.0, 1.0, "fastai: AvgSmoothLoss's beta, in [0, 1)").default(Preset::Float(FASTAI_BETA));
const METHOD: Field =
    Field::choice("method", METHODS, "valley, slide, minimum, steep (fastai) or steepest (torch_lr_finder)")
        .default(Preset::Choice("valley"));
const NUM_IT: Field = Field::int(
    "num_it",
    1,
    MAX_NUM_IT,
    "The range test's num_it (fastai skips num_it//10 points); default: the curve's length",
);

/// `{style?, beta? (fastai), smooth_f? (torch_lr_finder)}`.
pub fn parse_smoothing(options: &Value) -> Result<Smoothing, SpecError> {
    let empty = Map::new();
    let obj = options_object(options, &empty)?;
    if Reader::kind_of(obj, &STYLE, &STYLES)? == Style::Fastai {
        let r = Reader::new(obj, &[STYLE, BETA])?;
        let beta = r.float(&BETA)?;
        if beta >= 1.0 {
            return Err(r.error(&BETA, "must be a finite number in [0, 1), got 1"));
        }
        Ok(Smoothing::Fastai { beta })
    } else {
        let r = Reader::new(obj, &[STYLE, SMOOTH_F])?;
        Ok(Smoothing::TorchLrFinder { smooth_f: read_smooth_f(&r)? })
    }
}

/// `{method?, num_it?}`; `num_it` defaults to `points`.
pub fn parse_suggest(options: &Value, points: usize) -> Result<(Method, u64), SpecError> {
    let empty = Map::new();
    let r = Reader::new(options_object(options, &empty)?, &[METHOD, NUM_IT])?;
    let method = r.pick(&METHOD, &Method::NAMED)?;
    let num_it = match r.given(&NUM_IT) {
        Some(_) => r.int(&NUM_IT)?,
        None => points as u64,
    };
    Ok((method, num_it))
}

/// A list of numbers (NaN and ±Infinity allowed, as losses may be); errors name `name[i]`.
pub fn parse_losses(value: &Value, name: &str) -> Result<Vec<f64>, SpecError> {
    any_numbers(value, name)
}

/// Learning rates: finite and positive (fastai's `steep` takes their log).
pub fn parse_lrs(value: &Value, name: &str) -> Result<Vec<f64>, SpecError> {
    let lrs = parse_losses(value, name)?;
    if let Some(i) = lrs.iter().position(|x| !(x.is_finite() && *x > 0.0)) {
        return Err(SpecError::new(
            format!("{name}[{i}]"),
            format!("must be a finite number > 0, got {}", fmt_num(lrs[i])),
        ));
    }
    Ok(lrs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_are_checked_by_field() {
        assert_eq!(parse_smoothing(&Value::Null).unwrap(), Smoothing::Fastai { beta: 0.98 });
        assert_eq!(
            parse_smoothing(&json!({"style": "torch_lr_finder", "smooth_f": 0.1})).unwrap(),
            Smoothing::TorchLrFinder { smooth_f: 0.1 }
        );
        let e = parse_smoothing(&json!({"style": "fastai", "smooth_f": 0.1})).unwrap_err();
        assert_eq!(e.to_string(), "smooth_f: unknown field (allowed: style, beta)");
        let e = parse_smoothing(&json!({"style": "keras"})).unwrap_err();
        assert_eq!(e.to_string(), "style: must be one of fastai | torch_lr_finder, got \"keras\"");
        assert_eq!(parse_smoothing(&json!({"beta": 1})).unwrap_err().field, "beta");
        assert_eq!(parse_suggest(&json!({"method": "steep"}), 7).unwrap(), (Method::Steep, 7));
        let e = parse_suggest(&json!({"method": "best"}), 7).unwrap_err();
        assert_eq!(e.to_string(), "method: must be one of valley | slide | minimum | steep | steepest, got \"best\"");
        assert_eq!(parse_suggest(&json!({"num_it": 0}), 7).unwrap_err().field, "num_it");
        let e = parse_lrs(&json!([0.1, 0]), "lrs").unwrap_err();
        assert_eq!(e.to_string(), "lrs[1]: must be a finite number > 0, got 0");
        assert_eq!(parse_losses(&json!([1, "x"]), "losses").unwrap_err().field, "losses[1]");
    }
}
