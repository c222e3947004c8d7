//! A validated schedule spec's arguments by field name, defaults filled in: what the exporters
//! read, so that an exporter names only the fields it writes out.

use serde_json::Value;

use super::python::{boolean, int, ints, literal, num, nums, string};
use crate::schedule::{Kind, Schedule, KINDS};
use crate::spec::{object, Field, FieldType, Preset, Reader, SpecError};

pub(crate) struct Args<'a> {
    pub(crate) kind: &'static Kind,
    /// The schedule itself, for its values.
    pub(crate) schedule: Schedule,
    reader: Reader<'a>,
}

impl<'a> Args<'a> {
    /// Validates `spec` as `Schedule::from_spec` does (same errors), then reads it by name.
    pub(crate) fn read(spec: &'a Value) -> Result<Self, SpecError> {
        let schedule = Schedule::from_spec(spec)?;
        let obj = object(spec)?;
        let kind = KINDS
            .iter()
            .find(|k| k.name == schedule.kind())
            .ok_or_else(|| SpecError::new("kind", format!("has no kind named {}", schedule.kind())))?;
        Ok(Self { kind, schedule, reader: Reader::for_kind(kind.name, obj, kind.fields)? })
    }

    fn field(&self, name: &str) -> Result<&'static Field, SpecError> {
        self.kind
            .fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| SpecError::new(name, format!("is not a field of {}", self.kind.name)))
    }

    pub(crate) fn float(&self, name: &str) -> Result<f64, SpecError> {
        self.reader.float(self.field(name)?)
    }

    pub(crate) fn int(&self, name: &str) -> Result<u64, SpecError> {
        self.reader.int(self.field(name)?)
    }

    pub(crate) fn optional_int(&self, name: &str) -> Result<Option<u64>, SpecError> {
        self.reader.optional_int(self.field(name)?)
    }

    pub(crate) fn optional_float(&self, name: &str) -> Result<Option<f64>, SpecError> {
        self.reader.optional_float(self.field(name)?)
    }

    pub(crate) fn boolean(&self, name: &str) -> Result<bool, SpecError> {
        self.reader.boolean(self.field(name)?)
    }

    pub(crate) fn choice(&self, name: &str) -> Result<&'static str, SpecError> {
        self.reader.choice(self.field(name)?)
    }

    pub(crate) fn ints(&self, name: &str) -> Result<Vec<u64>, SpecError> {
        self.reader.int_list(self.field(name)?)
    }

    pub(crate) fn floats(&self, name: &str) -> Result<Vec<f64>, SpecError> {
        self.reader.float_list(self.field(name)?)
    }

    /// A nested list of specs (SequentialLR's `schedules`).
    pub(crate) fn specs(&self, name: &str) -> Result<&'a [Value], SpecError> {
        self.reader.spec_list(self.field(name)?, "schedule specs")
    }

    /// Every field but `skip`, defaults filled in, as Python keyword arguments in the kind's order:
    /// the library's own call with the spec's arguments. A field left at a "none" default is left out.
    pub(crate) fn python_kwargs(&self, skip: &[&str]) -> Result<Vec<(&'static str, String)>, SpecError> {
        let mut out = Vec::new();
        for f in self.kind.fields.iter().filter(|f| !skip.contains(&f.name)) {
            let unset = matches!(self.reader.given(f), None | Some(Value::Null));
            if unset && matches!(f.default, None | Some(Preset::Null)) {
                continue;
            }
            let value = match f.ty {
                FieldType::Float => num(self.reader.float(f)?),
                FieldType::Int => int(self.reader.int(f)?),
                FieldType::Bool => boolean(self.reader.boolean(f)?).to_string(),
                FieldType::Choice(_) => string(self.reader.choice(f)?),
                FieldType::IntList => ints(&self.reader.int_list(f)?),
                FieldType::FloatList => nums(&self.reader.float_list(f)?),
                FieldType::Json => self.reader.given(f).map_or_else(|| "None".into(), literal),
                FieldType::BoolList | FieldType::Nested => {
                    return Err(SpecError::new(f.name, format!("has no Python form in {}", self.kind.name)))
                }
            };
            out.push((f.name, value));
        }
        Ok(out)
    }

    /// A JSON field as given (`None` when absent), for exporters that write it their own way.
    pub(crate) fn json(&self, name: &str) -> Result<Option<&'a Value>, SpecError> {
        Ok(self.reader.given(self.field(name)?))
    }
}
