//! The error every spec parser returns: what is wrong, and the path of the value it is about.

use std::fmt;
use std::ops::{Deref, DerefMut};

/// A spec that cannot be built, or a call argument out of range.
///
/// `field` is the path of the offending value inside what the caller passed: `batch_size`,
/// `runs[0].schedule.step_size_up`, `data.x[3]`, `step`. An empty `field` is the whole value
/// (the caller knows its name: [`at_root`](Self::at_root)) or names nothing (a busy session).
/// Inside a schedule spec, `kind` is that schedule's kind, so messages can say which one.
///
/// The parts live behind one pointer (read them as `error.field`, ...): errors are rare, and a
/// one-pointer error keeps every `Result<_, SpecError>` small, so each `?` moves a pointer, not
/// the whole error (in the wasm module, tens of kilobytes over the crate's parsers).
#[derive(Clone, PartialEq)]
pub struct SpecError(Box<SpecErrorParts>);

/// What a [`SpecError`] says.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecErrorParts {
    pub field: String,
    pub kind: Option<&'static str>,
    pub message: String,
}

impl Deref for SpecError {
    type Target = SpecErrorParts;

    fn deref(&self) -> &SpecErrorParts {
        &self.0
    }
}

impl DerefMut for SpecError {
    fn deref_mut(&mut self) -> &mut SpecErrorParts {
        &mut self.0
    }
}

impl fmt::Debug for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let SpecErrorParts { field, kind, message } = &*self.0;
        f.debug_struct("SpecError").field("field", field).field("kind", kind).field("message", message).finish()
    }
}

impl SpecError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::of_kind(field.into(), None, message.into())
    }

    /// An error inside a schedule spec of `kind` (`None`: outside one).
    pub fn of_kind(field: String, kind: Option<&'static str>, message: String) -> Self {
        Self(Box::new(SpecErrorParts { field, kind, message }))
    }

    /// The same error, said of a schedule of `kind` (`None`: of no schedule).
    pub fn with_kind(mut self, kind: Option<&'static str>) -> Self {
        self.kind = kind;
        self
    }

    pub fn into_parts(self) -> SpecErrorParts {
        *self.0
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_placed_by_the_objects_that_hold_them() {
        let e = SpecError::of_kind("step_size".into(), Some("StepLR"), "is required".into());
        let placed = e.within("schedule").at(0).within("runs");
        assert_eq!(placed.field, "runs[0].schedule.step_size");
        assert_eq!(placed.to_string(), "runs[0].schedule.step_size (StepLR): is required");
        assert_eq!(SpecError::new("", "must be an object").at(1).within("runs").field, "runs[1]");
        assert_eq!(SpecError::new("", "must be an object").at_root("spec").to_string(), "spec: must be an object");
        assert_eq!(SpecError::new("kind", "x").at_root("spec").field, "kind");
        assert_eq!(SpecError::new("", "Session: busy").to_string(), "Session: busy");
    }
}
