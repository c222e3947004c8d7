//! Field metadata for the specs users write (schedules, session options), and the reader that
//! validates a spec against it.
//!
//! One table per kind drives both validation (`Reader`) and the UI controls (`Field::describe`),
//! so the allowed ranges users see are exactly the ones the parser enforces. Errors carry the
//! path of the value they are about (`SpecError::field`), so a caller can point at it.

use std::fmt;

use serde_json::{json, Map, Value};

/// The largest step index any schedule accepts (and the largest count field).
pub const MAX_STEP: u64 = 1_000_000_000;

/// A spec that cannot be built, or a call argument out of range.
///
/// `field` is the path of the offending value inside what the caller passed: `batch_size`,
/// `runs[0].schedule.step_size_up`, `data.x[3]`, `step`. An empty `field` is the whole value
/// (the caller knows its name: [`at_root`](Self::at_root)) or names nothing (a busy session).
/// Inside a schedule spec, `kind` is that schedule's kind, so messages can say which one.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecError {
    pub field: String,
    pub kind: Option<&'static str>,
    pub message: String,
}

impl SpecError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), kind: None, message: message.into() }
    }

    /// The same error, seen from the object that holds `prefix`: `step_size` within
    /// `runs[0].schedule` is `runs[0].schedule.step_size`; `[2]` within `runs` is `runs[2]`.
    pub fn within(mut self, prefix: &str) -> Self {
        self.field = match self.field.as_str() {
            "" => prefix.to_string(),
            f if f.starts_with('[') => format!("{prefix}{f}"),
            f => format!("{prefix}.{f}"),
        };
        self
    }

    /// The same error, seen from the list that holds it at `index`.
    pub fn at(self, index: usize) -> Self {
        self.within(&format!("[{index}]"))
    }

    /// Names the whole value (`options`, `spec`) when the error is about it rather than a field.
    pub fn at_root(mut self, name: &str) -> Self {
        if self.field.is_empty() {
            self.field = name.to_string();
        }
        self
    }
}

/// `field: message`, or `field (Kind): message` inside a schedule: the message always starts
/// with `field`.
impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.field.as_str(), self.kind) {
            ("", _) => f.write_str(&self.message),
            (field, Some(kind)) => write!(f, "{field} ({kind}): {}", self.message),
            (field, None) => write!(f, "{field}: {}", self.message),
        }
    }
}

impl std::error::Error for SpecError {}

/// JSON has no NaN or Infinity. A value converted from JS carries them as a string behind this
/// mark (no option string starts with NUL), so that the Reader can say "got NaN" rather than
/// mistake them for a missing value or a string.
const NON_FINITE: char = '\u{0}';

/// `x` (NaN or ±Infinity) as a JSON value the Reader recognises as that number.
pub fn non_finite(x: f64) -> Value {
    Value::String(format!("{NON_FINITE}{}", fmt_num(x)))
}

/// The JS spelling of a non-finite number marked by [`non_finite`].
fn as_non_finite(v: &Value) -> Option<&str> {
    v.as_str()?.strip_prefix(NON_FINITE)
}

/// A number, finite or not (NaN and ±Infinity as [`non_finite`] marks them): for curves
/// recorded elsewhere, whose losses may be NaN or infinite.
pub fn any_number(v: &Value) -> Option<f64> {
    match as_non_finite(v) {
        Some("NaN") => Some(f64::NAN),
        Some("Infinity") => Some(f64::INFINITY),
        Some("-Infinity") => Some(f64::NEG_INFINITY),
        Some(_) => None,
        None => v.as_f64(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldType {
    Float,
    Int,
    Bool,
    Choice(&'static [&'static str]),
    IntList,
    FloatList,
    BoolList,
    /// Nested specs (a schedule, the optimizer, the data, lists of runs or phases).
    Schedules,
}

/// A field's default as the library defines it, or the example the UI starts from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Preset {
    Float(f64),
    Int(u64),
    Bool(bool),
    Choice(&'static str),
    FloatList(&'static [f64]),
    IntList(&'static [u64]),
    /// An explicit "none" default, e.g. `step_size_down = None` means "same as up".
    Null,
    /// A JSON literal, for nested examples (the sub-schedules of `SequentialLR`).
    Json(&'static str),
}

impl Preset {
    fn to_json(self) -> Value {
        match self {
            Preset::Float(x) => json!(x),
            Preset::Int(n) => json!(n),
            Preset::Bool(b) => json!(b),
            Preset::Choice(s) => json!(s),
            Preset::FloatList(v) => json!(v),
            Preset::IntList(v) => json!(v),
            Preset::Null => Value::Null,
            // A constant of this crate; `every_kind_builds_from_its_examples` proves it parses.
            Preset::Json(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub description: &'static str,
    pub min: f64,
    pub max: f64,
    /// The lower bound itself is not allowed (e.g. a learning rate must be > 0).
    pub min_open: bool,
    /// Controls should move on a log scale (learning rates, decay factors).
    pub log: bool,
    pub default: Option<Preset>,
    pub example: Option<Preset>,
    /// Other names a choice accepts, each with the choice it stands for (`("SGD", "sgd")`).
    pub aliases: &'static [(&'static str, &'static str)],
}

impl Field {
    const fn new(name: &'static str, ty: FieldType, description: &'static str) -> Self {
        Self {
            name,
            ty,
            description,
            min: f64::NEG_INFINITY,
            max: f64::INFINITY,
            min_open: false,
            log: false,
            default: None,
            example: None,
            aliases: &[],
        }
    }
    pub const fn float(name: &'static str, min: f64, max: f64, description: &'static str) -> Self {
        Self { min, max, ..Self::new(name, FieldType::Float, description) }
    }
    pub const fn int(name: &'static str, min: u64, max: u64, description: &'static str) -> Self {
        Self { min: min as f64, max: max as f64, ..Self::new(name, FieldType::Int, description) }
    }
    pub const fn boolean(name: &'static str, description: &'static str) -> Self {
        Self::new(name, FieldType::Bool, description)
    }
    pub const fn choice(name: &'static str, choices: &'static [&'static str], description: &'static str) -> Self {
        Self::new(name, FieldType::Choice(choices), description)
    }
    pub const fn int_list(name: &'static str, min: u64, max: u64, description: &'static str) -> Self {
        Self { min: min as f64, max: max as f64, ..Self::new(name, FieldType::IntList, description) }
    }
    pub const fn float_list(name: &'static str, min: f64, max: f64, description: &'static str) -> Self {
        Self { min, max, ..Self::new(name, FieldType::FloatList, description) }
    }
    pub const fn bool_list(name: &'static str, description: &'static str) -> Self {
        Self::new(name, FieldType::BoolList, description)
    }
    pub const fn schedules(name: &'static str, description: &'static str) -> Self {
        Self::new(name, FieldType::Schedules, description)
    }
    pub const fn default(self, preset: Preset) -> Self {
        Self { default: Some(preset), ..self }
    }
    pub const fn example(self, preset: Preset) -> Self {
        Self { example: Some(preset), ..self }
    }
    pub const fn aliases(self, aliases: &'static [(&'static str, &'static str)]) -> Self {
        Self { aliases, ..self }
    }
    pub const fn log(self) -> Self {
        Self { log: true, ..self }
    }
    pub const fn min_open(self) -> Self {
        Self { min_open: true, ..self }
    }

    fn range_text(&self) -> String {
        let open = if self.min_open { "(" } else { "[" };
        format!("{open}{}, {}]", fmt_num(self.min), fmt_num(self.max))
    }

    fn in_range(&self, x: f64) -> bool {
        let above_min = if self.min_open { x > self.min } else { x >= self.min };
        above_min && x <= self.max
    }

    /// The field as the UI sees it (`Schedule.kinds()`).
    pub fn describe(&self) -> Value {
        let ty = match self.ty {
            FieldType::Float => "float",
            FieldType::Int => "int",
            FieldType::Bool => "bool",
            FieldType::Choice(_) => "choice",
            FieldType::IntList => "int_list",
            FieldType::FloatList => "float_list",
            FieldType::BoolList => "bool_list",
            FieldType::Schedules => "schedules",
        };
        let mut out = json!({
            "name": self.name,
            "type": ty,
            "required": self.default.is_none(),
            "log": self.log,
            "description": self.description,
        });
        let obj = out.as_object_mut().expect("json! of an object literal is an object");
        if let Some(d) = self.default {
            obj.insert("default".into(), d.to_json());
        }
        if let Some(e) = self.example.or(self.default) {
            obj.insert("example".into(), e.to_json());
        }
        if self.min.is_finite() {
            obj.insert("min".into(), json!(self.min));
            obj.insert("min_exclusive".into(), json!(self.min_open));
        }
        if self.max.is_finite() {
            obj.insert("max".into(), json!(self.max));
        }
        if let FieldType::Choice(choices) = self.ty {
            obj.insert("choices".into(), json!(choices));
        }
        if !self.aliases.is_empty() {
            let aliases: Map<String, Value> = self.aliases.iter().map(|(a, c)| (a.to_string(), json!(c))).collect();
            obj.insert("aliases".into(), Value::Object(aliases));
        }
        out
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

/// Checks one number against `field`'s type and range; the message says what is allowed.
pub fn check_number(field: &Field, v: &Value) -> Result<f64, String> {
    let noun = if field.ty == FieldType::Int { "an integer" } else { "a finite number" };
    let what = format!("{noun} in {}", field.range_text());
    let x = v.as_f64().filter(|x| x.is_finite()).ok_or_else(|| format!("must be {what}, got {}", describe_value(v)))?;
    let integral_ok = field.ty != FieldType::Int || x.fract() == 0.0;
    if !integral_ok || !field.in_range(x) {
        return Err(format!("must be {what}, got {}", fmt_num(x)));
    }
    Ok(x)
}

/// Reads the fields of one spec object, validating each against its `Field`. Errors name the
/// field relative to this object; the caller places them (`SpecError::within`).
pub struct Reader<'a> {
    /// The schedule kind being read, shown in messages.
    kind: Option<&'static str>,
    obj: &'a Map<String, Value>,
}

impl<'a> Reader<'a> {
    /// Rejects unknown keys: a misspelt field would otherwise silently fall back to its default.
    pub fn new(obj: &'a Map<String, Value>, fields: &[Field]) -> Result<Self, SpecError> {
        Self::check_keys(None, obj, fields, |_| false)?;
        Ok(Self { kind: None, obj })
    }

    /// A reader for a schedule of `kind`, whose `kind` key picked it (and is not in `fields`).
    pub fn for_kind(kind: &'static str, obj: &'a Map<String, Value>, fields: &[Field]) -> Result<Self, SpecError> {
        Self::check_keys(Some(kind), obj, fields, |key| key == "kind")?;
        Ok(Self { kind: Some(kind), obj })
    }

    fn check_keys(
        kind: Option<&'static str>,
        obj: &Map<String, Value>,
        fields: &[Field],
        skip: impl Fn(&str) -> bool,
    ) -> Result<(), SpecError> {
        for key in obj.keys().filter(|k| !skip(k)) {
            if !fields.iter().any(|f| f.name == key) {
                let allowed: Vec<&str> = fields.iter().map(|f| f.name).collect();
                let message = format!("unknown field (allowed: {})", allowed.join(", "));
                return Err(SpecError { field: key.clone(), kind, message });
            }
        }
        Ok(())
    }

    pub fn error(&self, field: &Field, message: impl Into<String>) -> SpecError {
        SpecError { field: field.name.to_string(), kind: self.kind, message: message.into() }
    }

    /// An error about item `index` of the list `field`.
    pub fn item_error(&self, field: &Field, index: usize, message: impl Into<String>) -> SpecError {
        SpecError { field: format!("{}[{index}]", field.name), kind: self.kind, message: message.into() }
    }

    /// The value given for `field`, or `None` when absent (an explicit `null` counts as given;
    /// a JS `undefined` never arrives: the conversion drops it).
    pub fn given(&self, field: &Field) -> Option<&'a Value> {
        self.obj.get(field.name)
    }

    fn missing(&self, field: &Field, what: &str) -> SpecError {
        self.error(field, format!("is required: {what}"))
    }

    fn number_what(&self, field: &Field) -> String {
        let noun = if field.ty == FieldType::Int { "an integer" } else { "a finite number" };
        format!("{noun} in {}", field.range_text())
    }

    fn check_number(&self, field: &Field, v: &Value) -> Result<f64, SpecError> {
        check_number(field, v).map_err(|message| self.error(field, message))
    }

    pub fn float(&self, field: &Field) -> Result<f64, SpecError> {
        match (self.given(field), field.default) {
            (Some(v), _) => self.check_number(field, v),
            (None, Some(Preset::Float(x))) => Ok(x),
            (None, _) => Err(self.missing(field, &self.number_what(field))),
        }
    }

    pub fn int(&self, field: &Field) -> Result<u64, SpecError> {
        match (self.given(field), field.default) {
            (Some(v), _) => Ok(self.check_number(field, v)? as u64),
            (None, Some(Preset::Int(n))) => Ok(n),
            (None, _) => Err(self.missing(field, &self.number_what(field))),
        }
    }

    /// An integer field whose default is "none" (absent or `null` both mean none).
    pub fn optional_int(&self, field: &Field) -> Result<Option<u64>, SpecError> {
        match self.given(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => Ok(Some(self.check_number(field, v)? as u64)),
        }
    }

    pub fn boolean(&self, field: &Field) -> Result<bool, SpecError> {
        match (self.given(field), field.default) {
            (Some(Value::Bool(b)), _) => Ok(*b),
            (Some(v), _) => Err(self.error(field, format!("must be true or false, got {}", describe_value(v)))),
            (None, Some(Preset::Bool(b))) => Ok(b),
            (None, _) => Err(self.missing(field, "true or false")),
        }
    }

    /// The index of the choice given (an alias counts as the choice it stands for), so that
    /// callers map it straight onto the enum the choices were made from (`Activation::ALL[i]`).
    pub fn choice_index(&self, field: &Field) -> Result<usize, SpecError> {
        let FieldType::Choice(choices) = field.ty else { unreachable!("choice() is only called with choice fields") };
        let mut what = format!("one of {}", choices.join(" | "));
        if !field.aliases.is_empty() {
            let aliases: Vec<&str> = field.aliases.iter().map(|(alias, _)| *alias).collect();
            what = format!("{what} (or {})", aliases.join(" | "));
        }
        let index = |name: &str| {
            let name = field.aliases.iter().find(|(alias, _)| *alias == name).map_or(name, |(_, choice)| choice);
            choices.iter().position(|c| *c == name)
        };
        match (self.given(field), field.default) {
            (Some(v), _) => v
                .as_str()
                .and_then(index)
                .ok_or_else(|| self.error(field, format!("must be {what}, got {}", describe_value(v)))),
            (None, Some(Preset::Choice(c))) => {
                index(c).ok_or_else(|| self.error(field, format!("has a default ({c:?}) that is not {what}")))
            }
            (None, _) => Err(self.missing(field, &what)),
        }
    }

    /// The choice `field` (an object's `kind`) makes, read before the object's other keys are
    /// checked: which keys are allowed depends on it.
    pub fn kind_index(obj: &'a Map<String, Value>, field: &Field) -> Result<usize, SpecError> {
        Reader { kind: None, obj }.choice_index(field)
    }

    pub fn choice(&self, field: &Field) -> Result<&'static str, SpecError> {
        let FieldType::Choice(choices) = field.ty else { unreachable!("choice() is only called with choice fields") };
        Ok(choices[self.choice_index(field)?])
    }

    /// The items of a list field, or `None` when it is absent.
    fn items(&self, field: &Field, what: &str) -> Result<Option<&'a [Value]>, SpecError> {
        let Some(v) = self.given(field) else {
            return Ok(None);
        };
        let items =
            v.as_array().ok_or_else(|| self.error(field, format!("must be {what}, got {}", describe_value(v))))?;
        Ok(Some(items))
    }

    fn list(&self, field: &Field) -> Result<Option<Vec<f64>>, SpecError> {
        let noun = if field.ty == FieldType::IntList { "integers" } else { "finite numbers" };
        let Some(items) = self.items(field, &format!("a list of {noun} in {}", field.range_text()))? else {
            return Ok(None);
        };
        let scalar =
            Field { ty: if field.ty == FieldType::IntList { FieldType::Int } else { FieldType::Float }, ..*field };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| check_number(&scalar, item).map_err(|message| self.item_error(field, i, message)))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    pub fn int_list(&self, field: &Field) -> Result<Vec<u64>, SpecError> {
        match (self.list(field)?, field.default) {
            (Some(v), _) => Ok(v.into_iter().map(|x| x as u64).collect()),
            (None, Some(Preset::IntList(d))) => Ok(d.to_vec()),
            (None, _) => Err(self.missing(field, "a list of integers")),
        }
    }

    pub fn float_list(&self, field: &Field) -> Result<Vec<f64>, SpecError> {
        match (self.list(field)?, field.default) {
            (Some(v), _) => Ok(v),
            (None, Some(Preset::FloatList(d))) => Ok(d.to_vec()),
            (None, _) => Err(self.missing(field, "a list of numbers")),
        }
    }

    /// A list of numbers whose default depends on the caller (`None` when absent).
    pub fn optional_float_list(&self, field: &Field) -> Result<Option<Vec<f64>>, SpecError> {
        self.list(field)
    }

    /// A list of true / false flags, `None` when absent.
    pub fn bool_list(&self, field: &Field) -> Result<Option<Vec<bool>>, SpecError> {
        let Some(items) = self.items(field, "a list of true / false flags")? else {
            return Ok(None);
        };
        let flag = |(i, item): (usize, &Value)| {
            item.as_bool().ok_or_else(|| {
                self.item_error(field, i, format!("must be true or false, got {}", describe_value(item)))
            })
        };
        items.iter().enumerate().map(flag).collect::<Result<Vec<_>, _>>().map(Some)
    }

    /// A required list of nested specs (`noun`: "schedule specs"), returned raw for the caller
    /// to parse recursively.
    pub fn spec_list(&self, field: &Field, noun: &str) -> Result<&'a [Value], SpecError> {
        let what = format!("a list of {noun}");
        self.items(field, &what)?.ok_or_else(|| self.missing(field, &what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    const COUNT: Field = Field::int("count", 1, 10, "").default(Preset::Int(3));
    const RATE: Field = Field::float("rate", 0.0, 1.0, "").min_open();
    const FLAGS: Field = Field::bool_list("flags", "");
    const SIZES: Field = Field::int_list("sizes", 1, 8, "");
    const MODE: Field = Field::choice("mode", &["fast", "slow"], "").aliases(&[("Fast", "fast")]);
    const FIELDS: &[Field] = &[COUNT, RATE, FLAGS, SIZES, MODE];

    fn read<T>(spec: Value, f: impl Fn(&Reader) -> Result<T, SpecError>) -> Result<T, String> {
        let obj = spec.as_object().unwrap();
        Reader::new(obj, FIELDS).and_then(|r| f(&r)).map_err(|e| e.to_string())
    }

    #[test]
    fn the_reader_names_the_field_and_what_is_allowed() {
        assert_eq!(read(json!({}), |r| r.int(&COUNT)), Ok(3));
        assert_eq!(
            read(json!({"count": 0}), |r| r.int(&COUNT)),
            Err("count: must be an integer in [1, 10], got 0".into())
        );
        assert_eq!(read(json!({}), |r| r.float(&RATE)), Err("rate: is required: a finite number in (0, 1]".into()));
        assert_eq!(
            read(json!({"rate": non_finite(f64::INFINITY)}), |r| r.float(&RATE)),
            Err("rate: must be a finite number in (0, 1], got Infinity".into())
        );
        assert_eq!(
            read(json!({"rate": null}), |r| r.float(&RATE)),
            Err("rate: must be a finite number in (0, 1], got null".into())
        );
        assert_eq!(
            read(json!({"sizes": [1, 9]}), |r| r.int_list(&SIZES)),
            Err("sizes[1]: must be an integer in [1, 8], got 9".into())
        );
        assert_eq!(
            read(json!({"sizes": 3}), |r| r.int_list(&SIZES)),
            Err("sizes: must be a list of integers in [1, 8], got 3".into())
        );
        assert_eq!(
            read(json!({"flags": [true, 1]}), |r| r.bool_list(&FLAGS)),
            Err("flags[1]: must be true or false, got 1".into())
        );
        assert_eq!(read(json!({"mode": "Fast"}), |r| r.choice(&MODE)), Ok("fast"));
        assert_eq!(
            read(json!({"mode": "FAST"}), |r| r.choice(&MODE)),
            Err("mode: must be one of fast | slow (or Fast), got \"FAST\"".into())
        );
        assert_eq!(
            read(json!({"kind": "x"}), |r| r.int(&COUNT)),
            Err("kind: unknown field (allowed: count, rate, flags, sizes, mode)".into())
        );
    }

    #[test]
    fn errors_are_placed_by_the_objects_that_hold_them() {
        let e = SpecError { field: "step_size".into(), kind: Some("StepLR"), message: "is required".into() };
        let placed = e.within("schedule").at(0).within("runs");
        assert_eq!(placed.field, "runs[0].schedule.step_size");
        assert_eq!(placed.to_string(), "runs[0].schedule.step_size (StepLR): is required");
        assert_eq!(SpecError::new("", "must be an object").at(1).within("runs").field, "runs[1]");
        assert_eq!(SpecError::new("", "must be an object").at_root("spec").to_string(), "spec: must be an object");
        assert_eq!(SpecError::new("kind", "x").at_root("spec").field, "kind");
        assert_eq!(SpecError::new("", "Session: busy").to_string(), "Session: busy");
    }

    #[test]
    fn aliases_are_described_for_the_ui() {
        let d = MODE.describe();
        assert_eq!(d["choices"], json!(["fast", "slow"]));
        assert_eq!(d["aliases"], json!({"Fast": "fast"}));
        assert!(COUNT.describe().get("aliases").is_none());
        assert_eq!(FLAGS.describe()["type"], json!("bool_list"));
    }
}
