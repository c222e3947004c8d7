//! The optimizers a trajectory takes: a session's three (SGD, Adam, AdamW, read as a session
//! reads them) and RMSprop and Adagrad, which only analytic surfaces run. Field names and
//! defaults are torch.optim's.

use serde_json::{json, Map, Value};

use crate::engine::options::{self, read_optimizer, OptimizerKind, DEFAULT_OPTIMIZER, TORCH_NAMES};
use crate::engine::Optimizer;
use crate::spec::{describe_fields, names, object, Field, Preset, Reader, SpecError};

/// Any optimizer a trajectory may name: a session's, or RMSprop / Adagrad.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AnyOptimizer {
    Session(Optimizer),
    RmsProp(RmsProp),
    Adagrad(Adagrad),
}

/// torch.optim.RMSprop's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RmsProp {
    pub alpha: f64,
    pub eps: f64,
    pub momentum: f64,
    pub centered: bool,
    pub weight_decay: f64,
}

/// torch.optim.Adagrad's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Adagrad {
    pub lr_decay: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub initial_accumulator_value: f64,
}

/// What a trajectory's `optimizer.kind` names.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Session(OptimizerKind),
    RmsProp,
    Adagrad,
}

/// A session's kinds, then the two only surfaces run.
const NAMED: [(Kind, &str); 5] = [
    (Kind::Session(OptimizerKind::Sgd), "sgd"),
    (Kind::Session(OptimizerKind::Adam), "adam"),
    (Kind::Session(OptimizerKind::AdamW), "adamw"),
    (Kind::RmsProp, "rmsprop"),
    (Kind::Adagrad, "adagrad"),
];
const KIND_NAMES: [&str; 5] = names(&NAMED);
const KIND: Field = Field::choice("kind", &KIND_NAMES, "The optimizer, as in torch.optim").aliases(&[
    TORCH_NAMES[0],
    TORCH_NAMES[1],
    TORCH_NAMES[2],
    ("RMSprop", "rmsprop"),
    ("Adagrad", "adagrad"),
]);
const WEIGHT_DECAY: Field = Field::float("weight_decay", 0.0, 1.0, "L2 penalty").default(Preset::Float(0.0));
const RMSPROP_ALPHA: Field =
    Field::float("alpha", 0.0, 1.0, "Smoothing constant of the squared-gradient average").default(Preset::Float(0.99));
const RMSPROP_EPS: Field =
    Field::float("eps", 0.0, 1.0, "Added to the denominator").min_open().default(Preset::Float(1e-8));
const RMSPROP_MOMENTUM: Field =
    Field::float("momentum", 0.0, 1.0, "Momentum factor (a schedule that cycles momentum overrides it)")
        .default(Preset::Float(0.0));
const RMSPROP_CENTERED: Field =
    Field::boolean("centered", "Divide by the gradient's estimated variance rather than its raw second moment")
        .default(Preset::Bool(false));
const RMSPROP_FIELDS: &[Field] = &[KIND, RMSPROP_ALPHA, RMSPROP_EPS, RMSPROP_MOMENTUM, RMSPROP_CENTERED, WEIGHT_DECAY];
const ADAGRAD_LR_DECAY: Field =
    Field::float("lr_decay", 0.0, 1.0, "The rate at step k is lr / (1 + (k - 1) lr_decay)").default(Preset::Float(0.0));
const ADAGRAD_EPS: Field =
    Field::float("eps", 0.0, 1.0, "Added to the denominator").min_open().default(Preset::Float(1e-10));
const ADAGRAD_INITIAL: Field =
    Field::float("initial_accumulator_value", 0.0, 1e6, "Starting value of the squared-gradient sum")
        .default(Preset::Float(0.0));
const ADAGRAD_FIELDS: &[Field] = &[KIND, ADAGRAD_LR_DECAY, ADAGRAD_EPS, WEIGHT_DECAY, ADAGRAD_INITIAL];

/// A trajectory's optimizer: errors are relative to the optimizer object; absent is plain SGD,
/// as for a session.
pub fn parse_surface_optimizer(value: Option<&Value>) -> Result<AnyOptimizer, SpecError> {
    let Some(value) = value else {
        return Ok(AnyOptimizer::Session(DEFAULT_OPTIMIZER));
    };
    let obj = object(value)?;
    match Reader::kind_of(obj, &KIND, &NAMED)? {
        Kind::RmsProp => {
            let r = Reader::new(obj, RMSPROP_FIELDS)?;
            Ok(AnyOptimizer::RmsProp(RmsProp {
                alpha: r.float(&RMSPROP_ALPHA)?,
                eps: r.float(&RMSPROP_EPS)?,
                momentum: r.float(&RMSPROP_MOMENTUM)?,
                centered: r.boolean(&RMSPROP_CENTERED)?,
                weight_decay: r.float(&WEIGHT_DECAY)?,
            }))
        }
        Kind::Adagrad => {
            let r = Reader::new(obj, ADAGRAD_FIELDS)?;
            Ok(AnyOptimizer::Adagrad(Adagrad {
                lr_decay: r.float(&ADAGRAD_LR_DECAY)?,
                eps: r.float(&ADAGRAD_EPS)?,
                weight_decay: r.float(&WEIGHT_DECAY)?,
                initial_accumulator_value: r.float(&ADAGRAD_INITIAL)?,
            }))
        }
        Kind::Session(kind) => read_optimizer(obj, kind).map(AnyOptimizer::Session),
    }
}

/// The fields of every optimizer a trajectory takes, as a session's option fields give its own.
pub fn surface_optimizer_fields_json() -> Value {
    let mut optimizers: Map<String, Value> = options::describe_optimizers();
    optimizers.insert("rmsprop".into(), describe_fields(RMSPROP_FIELDS));
    optimizers.insert("adagrad".into(), describe_fields(ADAGRAD_FIELDS));
    json!({"optimizer_kind": KIND.describe(), "optimizers": optimizers})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_default_is_one_of_its_choices() {
        assert!(RMSPROP_FIELDS.iter().chain(ADAGRAD_FIELDS).all(Field::default_is_a_choice));
        assert_eq!(KIND.describe()["aliases"]["SGD"], json!("sgd"));
    }

    #[test]
    fn surfaces_take_rmsprop_and_adagrad_but_sessions_do_not() {
        let any = |spec: Value| parse_surface_optimizer(Some(&spec)).map_err(|e| e.to_string());
        assert_eq!(
            any(json!({"kind": "RMSprop"})),
            Ok(AnyOptimizer::RmsProp(RmsProp {
                alpha: 0.99,
                eps: 1e-8,
                momentum: 0.0,
                centered: false,
                weight_decay: 0.0
            }))
        );
        assert_eq!(
            any(json!({"kind": "adagrad", "lr_decay": 0.1})),
            Ok(AnyOptimizer::Adagrad(Adagrad {
                lr_decay: 0.1,
                eps: 1e-10,
                weight_decay: 0.0,
                initial_accumulator_value: 0.0
            }))
        );
        assert_eq!(
            any(json!({"kind": "AdamW"})),
            Ok(AnyOptimizer::Session(Optimizer::Adam {
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay: 0.01,
                decoupled: true
            }))
        );
        assert_eq!(
            any(json!({"kind": "adagrad", "lr_decay": 2})),
            Err("lr_decay: must be a finite number in [0, 1], got 2".into())
        );
        assert_eq!(
            any(json!({"kind": "rmsprop", "eps": 0})),
            Err("eps: must be a finite number in (0, 1], got 0".into())
        );
        assert_eq!(
            any(json!({"kind": "rmsprop", "centered": 1})),
            Err("centered: must be true or false, got 1".into())
        );
        assert_eq!(
            any(json!({"kind": "adagrad", "momentum": 0.9})),
            Err("momentum: unknown field (allowed: kind, lr_decay, eps, weight_decay, initial_accumulator_value)"
                .into())
        );
        assert_eq!(
            any(json!({"kind": "sgd", "nesterov": true})),
            Err("nesterov: requires momentum > 0 and dampening = 0 (as PyTorch)".into())
        );
        assert_eq!(parse_surface_optimizer(None), Ok(AnyOptimizer::Session(DEFAULT_OPTIMIZER)));
        // A session names the surface-only optimizers among the kinds it does not take.
        let session = |kind: &str| {
            let spec = json!({"layers": [2, 8, 2], "data": {"kind": "circle", "n": 100}, "optimizer": {"kind": kind}, "runs": [{"schedule": {"kind": "Constant", "lr": 0.1}}]});
            options::parse(&spec).err().unwrap().to_string()
        };
        assert_eq!(
            session("Adagrad"),
            "optimizer.kind: must be one of sgd | adam | adamw (or SGD | Adam | AdamW), got \"Adagrad\""
        );
        let fields = surface_optimizer_fields_json();
        assert_eq!(fields["optimizer_kind"]["choices"], json!(["sgd", "adam", "adamw", "rmsprop", "adagrad"]));
        let names = |kind: &str| {
            fields["optimizers"][kind].as_array().unwrap().iter().map(|f| f["name"].clone()).collect::<Vec<_>>()
        };
        assert_eq!(
            names("rmsprop"),
            [json!("alpha"), json!("eps"), json!("momentum"), json!("centered"), json!("weight_decay")]
        );
        assert_eq!(
            names("adagrad"),
            [json!("lr_decay"), json!("eps"), json!("weight_decay"), json!("initial_accumulator_value")]
        );
        let session_sgd = options::fields_json()["optimizers"]["sgd"].clone();
        assert_eq!(fields["optimizers"]["sgd"], session_sgd);
        assert!(options::fields_json()["optimizers"].get("rmsprop").is_none(), "a session's controls never offer it");
    }
}
