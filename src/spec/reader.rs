//! The reader: validates one spec object's fields against their `Field`s.

use serde_json::{Map, Value};

use super::error::SpecError;
use super::field::{check_number, Field, FieldType, Preset};
use super::text::{any_number, describe_value};

/// `value` as an object; the error is about the value itself (an empty field: the caller places it).
pub fn object(value: &Value) -> Result<&Map<String, Value>, SpecError> {
    value.as_object().ok_or_else(|| SpecError::new("", format!("must be an object, got {}", describe_value(value))))
}

/// An optional options argument: an object, or `null` for every default (read as `empty`).
pub fn options_object<'a>(
    options: &'a Value,
    empty: &'a Map<String, Value>,
) -> Result<&'a Map<String, Value>, SpecError> {
    match options {
        Value::Null => Ok(empty),
        other => object(other),
    }
}

/// A list of numbers, finite or not (NaN and ±Infinity as `non_finite` marks them), such as
/// losses recorded elsewhere; errors name `name` or its item (`name[i]`).
pub fn any_numbers(value: &Value, name: &str) -> Result<Vec<f64>, SpecError> {
    let items = value
        .as_array()
        .ok_or_else(|| SpecError::new(name, format!("must be a list of numbers, got {}", describe_value(value))))?;
    let number = |(i, v): (usize, &Value)| {
        any_number(v).ok_or_else(|| {
            SpecError::new(format!("{name}[{i}]"), format!("must be a number, got {}", describe_value(v)))
        })
    };
    items.iter().enumerate().map(number).collect()
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
                return Err(SpecError::of_kind(key.clone(), kind, message));
            }
        }
        Ok(())
    }

    pub fn error(&self, field: &Field, message: impl Into<String>) -> SpecError {
        SpecError::of_kind(field.name.to_string(), self.kind, message.into())
    }

    /// An error about item `index` of the list `field`.
    pub fn item_error(&self, field: &Field, index: usize, message: impl Into<String>) -> SpecError {
        SpecError::of_kind(format!("{}[{index}]", field.name), self.kind, message.into())
    }

    /// The value given for `field`, or `None` when absent (an explicit `null` counts as given;
    /// a JS `undefined` never arrives: the conversion drops it).
    pub fn given(&self, field: &Field) -> Option<&'a Value> {
        self.obj.get(field.name)
    }

    fn missing(&self, field: &Field, what: &str) -> SpecError {
        self.error(field, format!("is required: {what}"))
    }

    fn check_number(&self, field: &Field, v: &Value) -> Result<f64, SpecError> {
        check_number(field, v).map_err(|message| self.error(field, message))
    }

    pub fn float(&self, field: &Field) -> Result<f64, SpecError> {
        match (self.given(field), field.default) {
            (Some(v), _) => self.check_number(field, v),
            (None, Some(Preset::Float(x))) => Ok(x),
            (None, _) => Err(self.missing(field, &field.number_what())),
        }
    }

    pub fn int(&self, field: &Field) -> Result<u64, SpecError> {
        match (self.given(field), field.default) {
            (Some(v), _) => Ok(self.check_number(field, v)? as u64),
            (None, Some(Preset::Int(n))) => Ok(n),
            (None, _) => Err(self.missing(field, &field.number_what())),
        }
    }

    /// An integer field whose default is "none" (absent or `null` both mean none).
    pub fn optional_int(&self, field: &Field) -> Result<Option<u64>, SpecError> {
        match self.given(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => Ok(Some(self.check_number(field, v)? as u64)),
        }
    }

    /// A number field whose default is "none" (absent or `null` both mean none).
    pub fn optional_float(&self, field: &Field) -> Result<Option<f64>, SpecError> {
        match self.given(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => Ok(Some(self.check_number(field, v)?)),
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

    /// The index of the choice given (an alias counts as the choice it stands for) among
    /// `field`'s choices.
    fn choice_index(&self, field: &Field) -> Result<usize, SpecError> {
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
    pub fn kind_name(obj: &'a Map<String, Value>, field: &Field) -> Result<&'static str, SpecError> {
        Reader { kind: None, obj }.choice(field)
    }

    /// Like [`kind_name`](Self::kind_name), the variant of `table` the kind names.
    pub fn kind_of<T: Copy>(
        obj: &'a Map<String, Value>,
        field: &Field,
        table: &[(T, &'static str)],
    ) -> Result<T, SpecError> {
        Reader { kind: None, obj }.pick(field, table)
    }

    pub fn choice(&self, field: &Field) -> Result<&'static str, SpecError> {
        let FieldType::Choice(choices) = field.ty else { unreachable!("choice() is only called with choice fields") };
        Ok(choices[self.choice_index(field)?])
    }

    /// The variant of `table` that the choice given names: `field`'s choices are the table's
    /// names (`Field::choice("loss", &Loss::NAMES, ..)` read with `Loss::NAMED`).
    pub fn pick<T: Copy>(&self, field: &Field, table: &[(T, &'static str)]) -> Result<T, SpecError> {
        let name = self.choice(field)?;
        let variant = table.iter().find(|(_, n)| *n == name).map(|(v, _)| *v);
        variant.ok_or_else(|| self.error(field, format!("has a choice ({name:?}) with no meaning here")))
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
    use crate::spec::field::examples::{COUNT, FIELDS, FLAGS, MODE, RATE, SIZES};
    use crate::spec::text::non_finite;
    use serde_json::json;

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
}
