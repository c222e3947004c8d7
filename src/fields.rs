//! Field metadata for the specs users write (schedules, session options), and the reader that
//! validates a spec against it.
//!
//! One table per kind drives both validation (`Reader`) and the UI controls (`Field::describe`),
//! so the allowed ranges users see are exactly the ones the parser enforces.

use std::fmt;

use serde_json::{json, Map, Value};

/// The largest step index any schedule accepts (and the largest count field).
pub const MAX_STEP: u64 = 1_000_000_000;

/// A spec that cannot be built; `field` is `Kind.field` (or `Kind` for whole-spec errors).
#[derive(Clone, Debug, PartialEq)]
pub struct SpecError {
    pub field: String,
    pub message: String,
}

impl SpecError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for SpecError {}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldType {
    Float,
    Int,
    Bool,
    Choice(&'static [&'static str]),
    IntList,
    FloatList,
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
    pub const fn schedules(name: &'static str, description: &'static str) -> Self {
        Self::new(name, FieldType::Schedules, description)
    }
    pub const fn default(self, preset: Preset) -> Self {
        Self { default: Some(preset), ..self }
    }
    pub const fn example(self, preset: Preset) -> Self {
        Self { example: Some(preset), ..self }
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
        out
    }
}

/// Numbers in messages: integers without a trailing ".0", large bounds in exponent form.
fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn describe_value(v: &Value) -> String {
    match v {
        Value::Null => "a missing or non-finite value".into(),
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// Reads the fields of one spec object, validating each against its `Field`.
pub struct Reader<'a> {
    /// What error messages put before the field name: `CyclicLR`, `runs[2]`.
    kind: String,
    obj: &'a Map<String, Value>,
}

impl<'a> Reader<'a> {
    /// Rejects unknown keys: a misspelt field would otherwise silently fall back to its default.
    pub fn new(kind: impl Into<String>, obj: &'a Map<String, Value>, fields: &[Field]) -> Result<Self, SpecError> {
        let kind = kind.into();
        for key in obj.keys().filter(|k| k.as_str() != "kind") {
            if !fields.iter().any(|f| f.name == key) {
                let allowed: Vec<&str> = fields.iter().map(|f| f.name).collect();
                return Err(SpecError::new(
                    format!("{kind}.{key}"),
                    format!("unknown field (allowed: {})", allowed.join(", ")),
                ));
            }
        }
        Ok(Self { kind, obj })
    }

    pub fn error(&self, field: &Field, message: impl Into<String>) -> SpecError {
        SpecError::new(format!("{}.{}", self.kind, field.name), message)
    }

    /// The value given for `field`, or `None` when absent (an explicit `null` counts as given).
    fn given(&self, field: &Field) -> Option<&'a Value> {
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
        let what = self.number_what(field);
        let x = v
            .as_f64()
            .filter(|x| x.is_finite())
            .ok_or_else(|| self.error(field, format!("must be {what}, got {}", describe_value(v))))?;
        let integral_ok = field.ty != FieldType::Int || x.fract() == 0.0;
        if !integral_ok || !field.in_range(x) {
            return Err(self.error(field, format!("must be {what}, got {}", fmt_num(x))));
        }
        Ok(x)
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

    pub fn choice(&self, field: &Field) -> Result<&'static str, SpecError> {
        let FieldType::Choice(choices) = field.ty else { unreachable!("choice() is only called with choice fields") };
        let what = format!("one of {}", choices.join(" | "));
        match (self.given(field), field.default) {
            (Some(v), _) => v
                .as_str()
                .and_then(|s| choices.iter().copied().find(|c| *c == s))
                .ok_or_else(|| self.error(field, format!("must be {what}, got {}", describe_value(v)))),
            (None, Some(Preset::Choice(c))) => Ok(c),
            (None, _) => Err(self.missing(field, &what)),
        }
    }

    fn list(&self, field: &Field) -> Result<Option<Vec<f64>>, SpecError> {
        let noun = if field.ty == FieldType::IntList { "integers" } else { "finite numbers" };
        let what = format!("a list of {noun} in {}", field.range_text());
        let Some(v) = self.given(field) else {
            return Ok(None);
        };
        let items =
            v.as_array().ok_or_else(|| self.error(field, format!("must be {what}, got {}", describe_value(v))))?;
        let scalar =
            Field { ty: if field.ty == FieldType::IntList { FieldType::Int } else { FieldType::Float }, ..*field };
        items
            .iter()
            .map(|item| {
                self.check_number(&scalar, item)
                    .map_err(|e| self.error(field, format!("must be {what}; {}", e.message)))
            })
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

    /// A list of nested specs, returned raw for the caller to parse recursively.
    pub fn spec_list(&self, field: &Field) -> Result<&'a [Value], SpecError> {
        let v = self.given(field).ok_or_else(|| self.missing(field, "a list of schedule specs"))?;
        v.as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| self.error(field, format!("must be a list of schedule specs, got {}", describe_value(v))))
    }
}
