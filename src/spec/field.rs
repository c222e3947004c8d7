//! Field metadata: one table per kind of spec drives both validation (the `Reader`) and the UI's
//! controls (`Field::describe`), so the ranges users see are exactly the ones the parser enforces.

use serde_json::{json, Map, Value};

use super::error::SpecError;
use super::text::{describe_value, fmt_num};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldType {
    Float,
    Int,
    Bool,
    Choice(&'static [&'static str]),
    IntList,
    FloatList,
    BoolList,
    /// A nested spec or a list of them (a schedule, the optimizer, the data, runs, phases),
    /// read by its own parser.
    Nested,
    /// A JSON value a kind reads itself (optax's `boundaries_and_scales` object), edited as JSON.
    Json,
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
    pub const fn nested(name: &'static str, description: &'static str) -> Self {
        Self::new(name, FieldType::Nested, description)
    }
    pub const fn json(name: &'static str, description: &'static str) -> Self {
        Self::new(name, FieldType::Json, description)
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

    pub(super) fn range_text(&self) -> String {
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
            // The name the page and its tests have always read for nested specs.
            FieldType::Nested => "schedules",
            FieldType::Json => "json",
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
            // Inserted one by one: collecting into a `Map` would add a sort of its own to the wasm module.
            let mut aliases = Map::new();
            for (alias, canonical) in self.aliases {
                aliases.insert(alias.to_string(), json!(canonical));
            }
            obj.insert("aliases".into(), Value::Object(aliases));
        }
        out
    }
}

/// A table's fields as the UI sees them, without the `kind` that picked the table.
pub fn describe_fields(fields: &[Field]) -> Value {
    Value::Array(fields.iter().filter(|f| f.name != "kind").map(Field::describe).collect())
}

/// Checks one number against `field`'s type and range; the message says what is allowed.
pub fn check_number(field: &Field, v: &Value) -> Result<f64, String> {
    let x = v.as_f64().filter(|x| x.is_finite());
    let x = x.ok_or_else(|| format!("must be {}, got {}", field.number_what(), describe_value(v)))?;
    field.check_value(x)
}

impl Field {
    /// What a number of this field must be: `an integer in [1, 10]`.
    pub(super) fn number_what(&self) -> String {
        let noun = if self.integral() { "an integer" } else { "a finite number" };
        format!("{noun} in {}", self.range_text())
    }

    /// Whether a choice field's default is one of its choices (every table's tests check it).
    #[cfg(test)]
    pub fn default_is_a_choice(&self) -> bool {
        match (self.ty, self.default) {
            (FieldType::Choice(choices), Some(Preset::Choice(d))) => choices.contains(&d),
            _ => true,
        }
    }

    /// Its numbers are integers (an integer, or each item of a list of them).
    fn integral(&self) -> bool {
        matches!(self.ty, FieldType::Int | FieldType::IntList)
    }

    /// Checks a number given in Rust (a typed option) as the reader checks one given in JSON.
    pub fn check_value(&self, x: f64) -> Result<f64, String> {
        let integral_ok = !self.integral() || x.fract() == 0.0;
        if !x.is_finite() || !integral_ok || !self.in_range(x) {
            return Err(format!("must be {}, got {}", self.number_what(), fmt_num(x)));
        }
        Ok(x)
    }

    /// [`check_value`](Self::check_value), as an error naming the field.
    pub fn check(&self, x: f64) -> Result<f64, SpecError> {
        self.check_value(x).map_err(|message| SpecError::new(self.name, message))
    }
}

#[cfg(test)]
pub(super) mod examples {
    //! A small table the spec module's tests read.
    use super::{Field, Preset};

    pub const COUNT: Field = Field::int("count", 1, 10, "").default(Preset::Int(3));
    pub const RATE: Field = Field::float("rate", 0.0, 1.0, "").min_open();
    pub const FLAGS: Field = Field::bool_list("flags", "");
    pub const SIZES: Field = Field::int_list("sizes", 1, 8, "");
    pub const MODE: Field = Field::choice("mode", &["fast", "slow"], "").aliases(&[("Fast", "fast")]);
    pub const FIELDS: &[Field] = &[COUNT, RATE, FLAGS, SIZES, MODE];
}

#[cfg(test)]
mod tests {
    use super::examples::{COUNT, FLAGS, MODE};
    use super::*;

    #[test]
    fn aliases_are_described_for_the_ui() {
        let d = MODE.describe();
        assert_eq!(d["choices"], json!(["fast", "slow"]));
        assert_eq!(d["aliases"], json!({"Fast": "fast"}));
        assert!(COUNT.describe().get("aliases").is_none());
        assert_eq!(FLAGS.describe()["type"], json!("bool_list"));
    }
}
