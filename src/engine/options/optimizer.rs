//! A session's optimizer: SGD, Adam or AdamW, with torch.optim's argument names and defaults.

use serde_json::{Map, Value};

use crate::engine::optimizer::Optimizer;
use crate::spec::{describe_fields, names, object, Field, Preset, Reader, SpecError};

/// The optimizers a session trains with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizerKind {
    Sgd,
    Adam,
    AdamW,
}

impl OptimizerKind {
    /// Every kind with its name in specs: the one table of names.
    pub const NAMED: [(OptimizerKind, &'static str); 3] =
        [(OptimizerKind::Sgd, "sgd"), (OptimizerKind::Adam, "adam"), (OptimizerKind::AdamW, "adamw")];
    pub const NAMES: [&'static str; 3] = names(&Self::NAMED);

    /// The fields a spec of this kind may give (its `kind` among them).
    pub fn fields(self) -> &'static [Field] {
        match self {
            OptimizerKind::Sgd => SGD_FIELDS,
            OptimizerKind::Adam => ADAM_FIELDS,
            OptimizerKind::AdamW => ADAMW_FIELDS,
        }
    }
}

/// torch.optim's class names, each standing for its kind.
pub const TORCH_NAMES: [(&str, &str); 3] = [("SGD", "sgd"), ("Adam", "adam"), ("AdamW", "adamw")];
pub(super) const OPTIMIZER_KIND: Field =
    Field::choice("kind", &OptimizerKind::NAMES, "The optimizer, as in torch.optim").aliases(&TORCH_NAMES);
const SGD_MOMENTUM: Field =
    Field::float("momentum", 0.0, 1.0, "Momentum factor (a schedule that cycles momentum overrides it)")
        .default(Preset::Float(0.0));
const SGD_DAMPENING: Field = Field::float("dampening", 0.0, 1.0, "Dampening for momentum").default(Preset::Float(0.0));
const SGD_NESTEROV: Field = Field::boolean("nesterov", "Nesterov momentum").default(Preset::Bool(false));
const SGD_WEIGHT_DECAY: Field = Field::float("weight_decay", 0.0, 1.0, "L2 penalty").default(Preset::Float(0.0));
pub(super) const SGD_FIELDS: &[Field] = &[OPTIMIZER_KIND, SGD_MOMENTUM, SGD_DAMPENING, SGD_NESTEROV, SGD_WEIGHT_DECAY];
const ADAM_BETAS: Field =
    Field::float_list("betas", 0.0, 1.0, "(beta1, beta2); a schedule that cycles momentum overrides beta1")
        .default(Preset::FloatList(&[0.9, 0.999]));
const ADAM_EPS: Field =
    Field::float("eps", 0.0, 1.0, "Added to the denominator").min_open().default(Preset::Float(1e-8));
const ADAM_WEIGHT_DECAY: Field =
    Field::float("weight_decay", 0.0, 1.0, "Weight decay (L2, added to the gradient)").default(Preset::Float(0.0));
const ADAMW_WEIGHT_DECAY: Field =
    Field::float("weight_decay", 0.0, 1.0, "Decoupled weight decay").default(Preset::Float(0.01));
pub(super) const ADAM_FIELDS: &[Field] = &[OPTIMIZER_KIND, ADAM_BETAS, ADAM_EPS, ADAM_WEIGHT_DECAY];
pub(super) const ADAMW_FIELDS: &[Field] = &[OPTIMIZER_KIND, ADAM_BETAS, ADAM_EPS, ADAMW_WEIGHT_DECAY];

/// Plain SGD, what a session trains with when its options name no optimizer.
pub const DEFAULT_OPTIMIZER: Optimizer =
    Optimizer::Sgd { momentum: 0.0, dampening: 0.0, nesterov: false, weight_decay: 0.0 };

/// The `optimizer` option; absent is plain SGD. Errors are relative to the optimizer object.
pub(super) fn parse_optimizer(value: Option<&Value>) -> Result<Optimizer, SpecError> {
    let Some(value) = value else {
        return Ok(DEFAULT_OPTIMIZER);
    };
    let obj = object(value)?;
    read_optimizer(obj, Reader::kind_of(obj, &OPTIMIZER_KIND, &OptimizerKind::NAMED)?)
}

/// The fields of an optimizer of `kind` (its `kind` key already read): errors are relative to it.
pub fn read_optimizer(obj: &Map<String, Value>, kind: OptimizerKind) -> Result<Optimizer, SpecError> {
    let r = Reader::new(obj, kind.fields())?;
    match kind {
        OptimizerKind::Sgd => {
            let (momentum, dampening, nesterov) =
                (r.float(&SGD_MOMENTUM)?, r.float(&SGD_DAMPENING)?, r.boolean(&SGD_NESTEROV)?);
            check_nesterov(nesterov, momentum, dampening)?;
            Ok(Optimizer::Sgd { momentum, dampening, nesterov, weight_decay: r.float(&SGD_WEIGHT_DECAY)? })
        }
        OptimizerKind::Adam | OptimizerKind::AdamW => {
            let betas = r.float_list(&ADAM_BETAS)?;
            let [beta1, beta2] = betas[..] else {
                return Err(r.error(
                    &ADAM_BETAS,
                    format!("must be a list of 2 numbers in [0, 1), got {} numbers", betas.len()),
                ));
            };
            check_betas(beta1, beta2)?;
            let decoupled = kind == OptimizerKind::AdamW;
            let weight_decay = r.float(if decoupled { &ADAMW_WEIGHT_DECAY } else { &ADAM_WEIGHT_DECAY })?;
            Ok(Optimizer::Adam { beta1, beta2, eps: r.float(&ADAM_EPS)?, weight_decay, decoupled })
        }
    }
}

/// PyTorch refuses Nesterov momentum without momentum, or with dampening.
fn check_nesterov(nesterov: bool, momentum: f64, dampening: f64) -> Result<(), SpecError> {
    if nesterov && (momentum <= 0.0 || dampening != 0.0) {
        return Err(SpecError::new(SGD_NESTEROV.name, "requires momentum > 0 and dampening = 0 (as PyTorch)"));
    }
    Ok(())
}

fn check_betas(beta1: f64, beta2: f64) -> Result<(), SpecError> {
    if beta1 >= 1.0 || beta2 >= 1.0 {
        return Err(SpecError::new(ADAM_BETAS.name, "must be in [0, 1) (a beta of 1 never forgets)"));
    }
    Ok(())
}

/// An optimizer built in Rust, held to the ranges and rules a spec is. Errors name the field
/// relative to the optimizer.
pub(super) fn check_optimizer(optimizer: &Optimizer) -> Result<(), SpecError> {
    match *optimizer {
        Optimizer::Sgd { momentum, dampening, nesterov, weight_decay } => {
            SGD_MOMENTUM.check(momentum)?;
            SGD_DAMPENING.check(dampening)?;
            check_nesterov(nesterov, momentum, dampening)?;
            SGD_WEIGHT_DECAY.check(weight_decay).map(drop)
        }
        Optimizer::Adam { beta1, beta2, eps, weight_decay, .. } => {
            ADAM_BETAS.check(beta1)?;
            ADAM_BETAS.check(beta2)?;
            check_betas(beta1, beta2)?;
            ADAM_WEIGHT_DECAY.check(weight_decay)?;
            ADAM_EPS.check(eps).map(drop)
        }
    }
}

/// Each kind's fields (without `kind`) for the UI, keyed by the kind's name.
pub fn describe_optimizers() -> Map<String, Value> {
    OptimizerKind::NAMED.iter().map(|&(kind, name)| (name.to_string(), describe_fields(kind.fields()))).collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{constant, typed, with};
    use super::super::{parse, SessionOptions};
    use super::*;
    use serde_json::json;

    #[test]
    fn optimizers_take_torch_class_names_too() {
        let optimizer =
            |spec: Value| parse(&with("optimizer", spec)).map(|o| o.config.optimizer).map_err(|e| e.to_string());
        let sgd = optimizer(json!({"kind": "SGD", "momentum": 0.9, "nesterov": true})).unwrap();
        assert!(matches!(sgd, Optimizer::Sgd { momentum: 0.9, nesterov: true, .. }));
        let adam = optimizer(json!({"kind": "Adam"})).unwrap();
        assert!(matches!(adam, Optimizer::Adam { decoupled: false, weight_decay: 0.0, .. }));
        let adamw = optimizer(json!({"kind": "AdamW", "betas": [0.8, 0.99]})).unwrap();
        assert!(matches!(adamw, Optimizer::Adam { decoupled: true, weight_decay: 0.01, beta1: 0.8, beta2: 0.99, .. }));
        assert_eq!(
            optimizer(json!({"kind": "rmsprop"})).err().unwrap(),
            "optimizer.kind: must be one of sgd | adam | adamw (or SGD | Adam | AdamW), got \"rmsprop\""
        );
        assert_eq!(
            optimizer(json!({"momentum": 0.9})).err().unwrap(),
            "optimizer.kind: is required: one of sgd | adam | adamw (or SGD | Adam | AdamW)"
        );
        assert_eq!(
            optimizer(json!({"kind": "SGD", "betas": [0.9, 0.99]})).err().unwrap(),
            "optimizer.betas: unknown field (allowed: kind, momentum, dampening, nesterov, weight_decay)"
        );
        assert_eq!(
            optimizer(json!({"kind": "sgd", "nesterov": true})).err().unwrap(),
            "optimizer.nesterov: requires momentum > 0 and dampening = 0 (as PyTorch)"
        );
        assert_eq!(optimizer(json!([])).err().unwrap(), "optimizer: must be an object, got []");
    }

    #[test]
    fn a_typed_optimizer_is_held_to_the_same_ranges() {
        let build = |optimizer: Optimizer| {
            let options = SessionOptions { optimizer, ..typed() };
            let run = options.run(0, constant());
            options.build(vec![run]).err().map(|e| e.to_string())
        };
        assert_eq!(
            build(Optimizer::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.0, decoupled: true }),
            None
        );
        assert_eq!(
            build(Optimizer::Sgd { momentum: 1.5, dampening: 0.0, nesterov: false, weight_decay: 0.0 }).as_deref(),
            Some("optimizer.momentum: must be a finite number in [0, 1], got 1.5")
        );
        assert_eq!(
            build(Optimizer::Adam { beta1: 1.0, beta2: 0.999, eps: 1e-8, weight_decay: 0.0, decoupled: false })
                .as_deref(),
            Some("optimizer.betas: must be in [0, 1) (a beta of 1 never forgets)")
        );
    }
}
