//! The specs users write (schedules, session options, plans, surfaces): field tables, the reader
//! that validates a spec against them, errors that carry the path of the value they are about,
//! and the text of messages.
//!
//! One table per kind drives both validation (`Reader`) and the UI controls (`Field::describe`),
//! so the allowed ranges users see are exactly the ones the parser enforces. Errors carry the
//! path of the value they are about (`SpecError::field`), so a caller can point at it.

mod choice;
mod error;
mod field;
mod reader;
mod text;

pub use choice::{name_of, names, variants};
pub use error::{SpecError, SpecErrorParts};
pub use field::{check_number, describe_fields, Field, FieldType, Preset};
pub use reader::{any_numbers, object, options_object, Reader};
pub use text::{describe_value, fmt_num, non_finite};
