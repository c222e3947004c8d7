//! Session options as users write them (JSON / JS objects), validated into a `SessionConfig`,
//! and the same options built in Rust (`SessionOptions`). Every error names the field by its
//! path from the options' root (`batch_size`, `runs[2].phases[1].steps`, `data.x[7]`) and says
//! what is allowed.
//!
//! - `session`: the session's own fields, `parse` and `SessionOptions`;
//! - `optimizer`: SGD, Adam and AdamW;
//! - `data`: synthetic sets, the caller's own rows, augmentation; `digits`: the digits set;
//! - `runs`: layer groups, runs, phases and the updates a run takes between steps.

mod data;
mod digits;
mod optimizer;
mod runs;
mod session;

pub use optimizer::{describe_optimizers, read_optimizer, OptimizerKind, DEFAULT_OPTIMIZER, TORCH_NAMES};
pub use runs::parse_run_update;
pub use session::{parse, Backend, Options, SessionOptions};

use serde_json::{json, Value};

use crate::data::SyntheticKind;
use crate::limits::{MAX_PHASES, MAX_RUNS};
use crate::spec::describe_fields;

/// Every option field with its type, default, range and description, for building controls
/// (`Session.optionFields()` in JS): the same tables `parse` validates against.
pub fn fields_json() -> Value {
    json!({
        "session": describe_fields(session::SESSION_FIELDS),
        "optimizer_kind": optimizer::OPTIMIZER_KIND.describe(),
        "optimizers": describe_optimizers(),
        "data": describe_fields(data::SYNTHETIC_FIELDS),
        "data_kinds": SyntheticKind::NAMES,
        "own_data": describe_fields(data::OWN_FIELDS),
        "digits": describe_fields(digits::DIGITS_FIELDS),
        "augment": describe_fields(data::AUGMENT_FIELDS),
        "run": describe_fields(runs::RUN_FIELDS),
        "phase": describe_fields(runs::PHASE_FIELDS),
        "run_update": describe_fields(runs::UPDATE_FIELDS),
        "limits": {"runs": MAX_RUNS, "phases": MAX_PHASES},
    })
}

/// Options every test starts from, and ways to vary them.
#[cfg(test)]
mod testing {
    use std::sync::Arc;

    use serde_json::{json, Value};

    use super::{parse, SessionOptions};
    use crate::data::{self, SyntheticKind, SyntheticSpec};
    use crate::engine::phases::RunConfig;
    use crate::model::{Activation, Loss, Mlp};
    use crate::schedule::Schedule;
    use crate::spec::SpecError;

    pub fn base() -> Value {
        json!({"layers": [2, 8, 2], "data": {"kind": "circle", "n": 100}, "runs": [{"schedule": {"kind": "Constant", "lr": 0.1}}]})
    }

    /// [`base`] built in Rust, without its runs.
    pub fn typed() -> SessionOptions {
        let mlp = Mlp { layers: vec![2, 8, 2], activation: Activation::Relu, loss: Loss::CrossEntropy };
        let data = data::synthetic(&SyntheticSpec::new(SyntheticKind::Circle, 100, 0.0, 0.2, 0));
        SessionOptions::new(mlp, data)
    }

    /// [`base`]'s schedule.
    pub fn constant() -> Arc<Schedule> {
        Arc::new(Schedule::from_spec(&json!({"kind": "Constant", "lr": 0.1})).unwrap())
    }

    pub fn with(key: &str, value: Value) -> Value {
        let mut options = base();
        options[key] = value;
        options
    }

    pub fn error(options: &Value) -> SpecError {
        parse(options).err().expect("options should be refused")
    }

    pub fn error_with(key: &str, value: Value) -> String {
        error(&with(key, value)).to_string()
    }

    pub fn runs(runs: Value) -> Result<Vec<RunConfig>, String> {
        parse(&with("runs", runs)).map(|o| o.config.runs).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::data::{OWN_FIELDS, SYNTHETIC_FIELDS};
    use super::optimizer::{ADAMW_FIELDS, ADAM_FIELDS, SGD_FIELDS};
    use super::runs::{PHASE_FIELDS, RUN_FIELDS};
    use super::session::SESSION_FIELDS;
    use super::*;
    use crate::limits::MAX_STEP;
    use crate::model::{Activation, Loss};
    use crate::spec::Field;

    #[test]
    fn field_tables_are_exported_for_the_ui() {
        let fields = fields_json();
        let adamw = fields["optimizers"]["adamw"].as_array().unwrap();
        let decay = adamw.iter().find(|f| f["name"] == "weight_decay").unwrap();
        assert_eq!(decay["default"], json!(0.01));
        assert_eq!(fields["data_kinds"], json!(SyntheticKind::ALL.map(SyntheticKind::name)));
        assert!(fields["optimizers"]["sgd"].as_array().unwrap().iter().all(|f| f["name"] != "kind"));
        assert_eq!(fields["optimizer_kind"]["choices"], json!(["sgd", "adam", "adamw"]));
        assert_eq!(fields["optimizer_kind"]["aliases"], json!({"SGD": "sgd", "Adam": "adam", "AdamW": "adamw"}));
        let field = |part: &str, name: &str| {
            fields[part].as_array().unwrap().iter().find(|f| f["name"] == name).cloned().unwrap_or(Value::Null)
        };
        assert_eq!(field("session", "activation")["choices"], json!(Activation::ALL.map(Activation::name)));
        assert_eq!(field("session", "loss")["choices"], json!(Loss::ALL.map(Loss::name)));
        let names = |part: &str| fields[part].as_array().unwrap().iter().map(|f| f["name"].clone()).collect::<Vec<_>>();
        assert_eq!(
            names("run"),
            [
                json!("seed"),
                json!("data_seed"),
                json!("init_params"),
                json!("schedule"),
                json!("phases"),
                json!("group_lr_mult"),
                json!("frozen"),
                json!("eval_every")
            ]
        );
        assert_eq!(
            names("phase"),
            [json!("steps"), json!("schedule"), json!("group_lr_mult"), json!("frozen"), json!("reset_optimizer")]
        );
        assert_eq!(
            names("run_update"),
            [json!("schedule"), json!("group_lr_mult"), json!("frozen"), json!("reset_optimizer")]
        );
        assert_eq!(field("phase", "reset_optimizer")["default"], json!(false));
        assert_eq!(field("run", "data_seed")["max"].as_f64(), Some(4294967295.0));
        assert_eq!(field("run", "data_seed")["required"], json!(false));
        assert_eq!(field("phase", "steps")["max"].as_f64(), Some(MAX_STEP as f64));
        assert_eq!(field("own_data", "validation_fraction")["default"], json!(0.0));
        assert_eq!(field("data", "validation_fraction")["default"], json!(0.2));
        assert_eq!(fields["limits"], json!({"runs": 256, "phases": 64}));
        assert_eq!(names("augment"), [json!("rotate"), json!("jitter"), json!("flip"), json!("seed")]);
        assert_eq!(field("augment", "rotate")["max"].as_f64(), Some(180.0));
        assert_eq!(field("data", "arms")["default"], json!(2));
        assert_eq!(field("data", "rotation")["default"], json!(0.0));
        assert_eq!(field("session", "precompute")["default"], json!(true));
        assert!(field("own_data", "augment").is_object());
    }

    #[test]
    fn every_choice_default_is_one_of_its_choices() {
        let tables: [&[Field]; 8] = [
            SESSION_FIELDS,
            SGD_FIELDS,
            ADAM_FIELDS,
            ADAMW_FIELDS,
            SYNTHETIC_FIELDS,
            OWN_FIELDS,
            RUN_FIELDS,
            PHASE_FIELDS,
        ];
        for field in tables.iter().flat_map(|t| t.iter()) {
            assert!(field.default_is_a_choice(), "{}", field.name);
        }
    }
}
