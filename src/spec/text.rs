//! Message text: numbers and values as users wrote them, and the mark that carries JS's
//! non-finite numbers through JSON.

use serde_json::Value;

/// JSON has no NaN or Infinity. A value converted from JS carries them as a string behind this
/// mark (no option string starts with NUL), so that the Reader can say "got NaN" rather than
/// mistake them for a missing value or a string.
const NON_FINITE: char = '\u{0}';

/// `x` (NaN or ±Infinity) as a JSON value the Reader recognises as that number.
pub fn non_finite(x: f64) -> Value {
    Value::String(format!("{NON_FINITE}{}", fmt_num(x)))
}

/// The JS spelling of a non-finite number marked by [`non_finite`].
pub(super) fn as_non_finite(v: &Value) -> Option<&str> {
    v.as_str()?.strip_prefix(NON_FINITE)
}

/// A number, finite or not (NaN and ±Infinity as [`non_finite`] marks them): for curves
/// recorded elsewhere, whose losses may be NaN or infinite.
pub(super) fn any_number(v: &Value) -> Option<f64> {
    match as_non_finite(v) {
        Some("NaN") => Some(f64::NAN),
        Some("Infinity") => Some(f64::INFINITY),
        Some("-Infinity") => Some(f64::NEG_INFINITY),
        Some(_) => None,
        None => v.as_f64(),
    }
}

/// Significant digits of non-integers in messages.
const DIGITS: i32 = 7;

/// Numbers in messages, short and as JS spells them: integers in full (below 1e15); other
/// numbers to 7 significant digits, never fewer than one decimal (so 2.0000001 reads 2.0, not
/// an integer), in exponent form below 1e-6 and from 1e15; NaN, Infinity, -Infinity.
/// 0.30000000000000004 → 0.3, 1234567.891 → 1234567.9, 1e-8 → 1e-8, f32::MAX → 3.402823e38.
pub fn fmt_num(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    let exponent = x.abs().log10().floor() as i32;
    if !(-6..15).contains(&exponent) {
        let text = format!("{:.*e}", (DIGITS - 1) as usize, x);
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let text = format!("{:.*}", (DIGITS - 1 - exponent).max(1) as usize, x);
    let trimmed = text.trim_end_matches('0');
    if trimmed.ends_with('.') {
        format!("{trimmed}0")
    } else {
        trimmed.to_string()
    }
}

/// A value in a message, as the user wrote it: `"SGD"`, `0.3`, `[0.9]`, `null`, `NaN`; long
/// lists and objects by their shape.
pub fn describe_value(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), fmt_num),
        Value::String(s) => match as_non_finite(v) {
            Some(number) => number.to_string(),
            None => Value::String(s.clone()).to_string(),
        },
        Value::Array(items) if items.len() <= 8 && items.iter().all(|i| !i.is_array() && !i.is_object()) => {
            format!("[{}]", items.iter().map(describe_value).collect::<Vec<_>>().join(", "))
        }
        Value::Array(items) if items.len() == 1 => "a list of 1 item".into(),
        Value::Array(items) => format!("a list of {} items", items.len()),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_in_messages_are_short() {
        let cases: [(f64, &str); 16] = [
            (0.0, "0"),
            (-0.0, "0"),
            (4096.0, "4096"),
            (-1.0, "-1"),
            (1e12, "1000000000000"),
            (0.1 + 0.2, "0.3"),
            (1234567.891, "1234567.9"),
            (2.0000001, "2.0"),
            (2.5, "2.5"),
            (1.0 / 3.0, "0.3333333"),
            (1e-8, "1e-8"),
            (0.000123456789, "0.0001234568"),
            (f32::MAX as f64, "3.402823e38"),
            (f32::MIN as f64, "-3.402823e38"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (x, want) in cases {
            assert_eq!(fmt_num(x), want, "{x:e}");
        }
        assert_eq!(fmt_num(f64::INFINITY), "Infinity");
    }

    #[test]
    fn values_in_messages_read_as_written() {
        let described: Vec<String> = [
            json!("SGD"),
            json!("say \"hi\""),
            json!(null),
            json!(true),
            json!(0.30000000000000004),
            json!([0.9, "x"]),
            json!([[0]]),
            json!([[0], [1]]),
            json!({"a": 1}),
            non_finite(f64::NAN),
            non_finite(f64::NEG_INFINITY),
        ]
        .iter()
        .map(describe_value)
        .collect();
        assert_eq!(
            described,
            [
                "\"SGD\"",
                "\"say \\\"hi\\\"\"",
                "null",
                "true",
                "0.3",
                "[0.9, \"x\"]",
                "a list of 1 item",
                "a list of 2 items",
                "an object",
                "NaN",
                "-Infinity"
            ]
        );
    }
}
