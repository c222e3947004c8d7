//! Per-group rates from one `lr_max`, as fastai's `Optimizer.set_hyper` expands it: a number for
//! every group, `slice(lo, hi)` as `even_mults(lo, hi, n)` (`lo·(hi/lo)^(i/(n-1))`), and
//! `slice(hi)` as `hi/10` for every group but the last, which gets `hi`.

use serde_json::Value;

use crate::spec::{check_number, describe_value, fmt_num, Field, Preset, SpecError};

/// A slice as fastai writes it: `slice(lo, hi)`, or `slice(hi)` (`lo` is `None`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slice {
    pub lo: Option<f64>,
    pub hi: f64,
}

impl Slice {
    /// The rate of each of `n` groups.
    pub fn rates(self, n: usize) -> Vec<f64> {
        match self.lo {
            Some(_) if n == 1 => vec![self.hi],
            Some(lo) => {
                // fastcore's even_mults: step = (stop/start)^(1/(n-1)); start·step^i.
                let step = libm::pow(self.hi / lo, 1.0 / (n - 1) as f64);
                (0..n).map(|i| lo * libm::pow(step, i as f64)).collect()
            }
            None => (0..n).map(|i| if i + 1 == n { self.hi } else { self.hi / 10.0 }).collect(),
        }
    }
}

/// `value` of the rate field `field` (a number, `{slice: [lo, hi]}` or `{slice: [null, hi]}`)
/// as one rate per group; errors name the value inside it (`lr_max.slice[0]`).
pub fn group_rates(field: &Field, value: Option<&Value>, n: usize) -> Result<Vec<f64>, SpecError> {
    match value {
        None => match field.default {
            Some(Preset::Float(x)) => Ok(vec![x; n]),
            _ => Err(SpecError::new(field.name, format!("is required: {}", what(field)))),
        },
        Some(Value::Object(obj)) => Ok(parse_slice(field, obj)?.rates(n)),
        Some(v) => check_number(field, v)
            .map(|x| vec![x; n])
            .map_err(|_| SpecError::new(field.name, format!("must be {}, got {}", what(field), describe_value(v)))),
    }
}

fn what(field: &Field) -> String {
    format!("a rate in ({}, {}], {{slice: [lo, hi]}} or {{slice: [null, hi]}}", fmt_num(field.min), fmt_num(field.max))
}

fn parse_slice(field: &Field, obj: &serde_json::Map<String, Value>) -> Result<Slice, SpecError> {
    let path = |rest: &str| format!("{}.{rest}", field.name);
    if let Some(key) = obj.keys().find(|k| *k != "slice") {
        return Err(SpecError::new(path(key), "unknown field (allowed: slice)"));
    }
    let slice = obj.get("slice").ok_or_else(|| SpecError::new(path("slice"), "is required: [lo, hi] or [null, hi]"))?;
    let [lo, hi] = slice.as_array().map(Vec::as_slice).unwrap_or_default() else {
        return Err(SpecError::new(
            path("slice"),
            format!("must be [lo, hi] or [null, hi] (fastai's slice(hi)), got {}", describe_value(slice)),
        ));
    };
    let rate =
        |i: usize, v: &Value| check_number(field, v).map_err(|m| SpecError::new(path(&format!("slice[{i}]")), m));
    let lo = if lo.is_null() { None } else { Some(rate(0, lo)?) };
    Ok(Slice { lo, hi: rate(1, hi)? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LR_MAX: Field = Field::float("lr_max", 0.0, 100.0, "").min_open().default(Preset::Float(1e-3));

    fn rates(v: Value, n: usize) -> Result<Vec<f64>, String> {
        group_rates(&LR_MAX, Some(&v), n).map_err(|e| e.to_string())
    }

    #[test]
    fn slices_expand_as_fastai_set_hyper() {
        assert_eq!(rates(json!(0.1), 3).unwrap(), [0.1, 0.1, 0.1]);
        assert_eq!(group_rates(&LR_MAX, None, 2).unwrap(), [1e-3, 1e-3]);
        assert_eq!(rates(json!({"slice": [null, 0.1]}), 3).unwrap(), [0.1 / 10.0, 0.1 / 10.0, 0.1]);
        assert_eq!(rates(json!({"slice": [null, 0.1]}), 1).unwrap(), [0.1]);
        assert_eq!(rates(json!({"slice": [1e-4, 1e-2]}), 1).unwrap(), [1e-2]);
        let even = rates(json!({"slice": [1e-4, 1e-2]}), 3).unwrap();
        assert_eq!(even[0], 1e-4);
        assert!((even[1] - 1e-3).abs() < 1e-18 && (even[2] - 1e-2).abs() < 1e-17, "{even:?}");
        // Four groups: a factor of 100^(1/3) between neighbours.
        let four = rates(json!({"slice": [1e-4, 1e-2]}), 4).unwrap();
        for pair in four.windows(2) {
            assert!((pair[1] / pair[0] - 100f64.powf(1.0 / 3.0)).abs() < 1e-12);
        }
    }

    #[test]
    fn errors_name_the_value_inside_the_slice() {
        assert_eq!(
            rates(json!({"slice": [0, 0.1]}), 2).unwrap_err(),
            "lr_max.slice[0]: must be a finite number in (0, 100], got 0"
        );
        assert_eq!(
            rates(json!({"slice": [null, "x"]}), 2).unwrap_err(),
            "lr_max.slice[1]: must be a finite number in (0, 100], got \"x\""
        );
        assert_eq!(
            rates(json!({"slice": [0.1]}), 2).unwrap_err(),
            "lr_max.slice: must be [lo, hi] or [null, hi] (fastai's slice(hi)), got [0.1]"
        );
        assert_eq!(rates(json!({"stop": 1}), 2).unwrap_err(), "lr_max.stop: unknown field (allowed: slice)");
        assert_eq!(rates(json!({}), 2).unwrap_err(), "lr_max.slice: is required: [lo, hi] or [null, hi]");
        assert_eq!(
            rates(json!(200), 2).unwrap_err(),
            "lr_max: must be a rate in (0, 100], {slice: [lo, hi]} or {slice: [null, hi]}, got 200"
        );
        assert_eq!(
            rates(json!("fast"), 2).unwrap_err(),
            "lr_max: must be a rate in (0, 100], {slice: [lo, hi]} or {slice: [null, hi]}, got \"fast\""
        );
    }
}
