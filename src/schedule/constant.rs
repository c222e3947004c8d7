//! `Constant` (no scheduler at all) and PyTorch's `ConstantLR` (a reduced rate for a warm-up period).

use super::{Curve, Kind, Library, LR};
use crate::limits::MAX_STEP;
use crate::spec::{Field, Preset, Reader, SpecError};

struct Constant {
    lr: f64,
}

impl Curve for Constant {
    fn lr(&self, _t: u64) -> f64 {
        self.lr
    }
}

pub const CONSTANT: Kind = Kind {
    name: "Constant",
    library: Library::PyTorch,
    description: "A fixed learning rate (an optimizer with no scheduler).",
    fields: &[LR],
    cycles_momentum: false,
    build: |r| Ok(Box::new(Constant { lr: r.float(&LR)? })),
};

const FACTOR: Field =
    Field::float("factor", 0.0, 1.0, "Multiplies the rate until total_iters").default(Preset::Float(1.0 / 3.0));
const TOTAL_ITERS: Field =
    Field::int("total_iters", 0, MAX_STEP, "Steps that use the reduced rate").default(Preset::Int(5));

/// `torch.optim.lr_scheduler.ConstantLR`: `lr * factor` for `t < total_iters`, then `lr`.
struct ConstantLr {
    lr: f64,
    factor: f64,
    total_iters: u64,
}

impl Curve for ConstantLr {
    fn lr(&self, t: u64) -> f64 {
        if t < self.total_iters {
            self.lr * self.factor
        } else {
            self.lr
        }
    }
}

fn build_constant_lr(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    Ok(Box::new(ConstantLr { lr: r.float(&LR)?, factor: r.float(&FACTOR)?, total_iters: r.int(&TOTAL_ITERS)? }))
}

pub const CONSTANT_LR: Kind = Kind {
    name: "ConstantLR",
    library: Library::PyTorch,
    description: "PyTorch ConstantLR: lr × factor for the first total_iters steps, then lr.",
    fields: &[LR, FACTOR, TOTAL_ITERS],
    cycles_momentum: false,
    build: build_constant_lr,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn constant_lr_steps_up_after_total_iters() {
        let s =
            Schedule::from_spec(&json!({"kind": "ConstantLR", "lr": 0.5, "factor": 0.5, "total_iters": 2})).unwrap();
        assert_eq!(s.sample(4).unwrap().lr, vec![0.25, 0.25, 0.5, 0.5]);
    }
}
