//! PyTorch's `LinearLR` (linear warm-up or decay of a factor) and `PolynomialLR` (polynomial decay to zero).

use super::{Curve, Kind, Library, LR};
use crate::limits::MAX_STEP;
use crate::spec::{Field, Preset, Reader, SpecError};

const START_FACTOR: Field =
    Field::float("start_factor", 0.0, 1.0, "Factor at step 0").min_open().default(Preset::Float(1.0 / 3.0));
const END_FACTOR: Field =
    Field::float("end_factor", 0.0, 1.0, "Factor from total_iters on").default(Preset::Float(1.0));
const TOTAL_ITERS: Field =
    Field::int("total_iters", 1, MAX_STEP, "Steps over which the factor changes").default(Preset::Int(5));
const POWER: Field = Field::float("power", 0.0, 100.0, "Exponent of the decay").default(Preset::Float(1.0));

/// `lr * (start + (end - start) * min(t, total_iters) / total_iters)`.
struct Linear {
    lr: f64,
    start_factor: f64,
    end_factor: f64,
    total_iters: u64,
}

impl Curve for Linear {
    fn lr(&self, t: u64) -> f64 {
        let done = t.min(self.total_iters) as f64 / self.total_iters as f64;
        self.lr * (self.start_factor + (self.end_factor - self.start_factor) * done)
    }
}

fn build_linear(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    Ok(Box::new(Linear {
        lr: r.float(&LR)?,
        start_factor: r.float(&START_FACTOR)?,
        end_factor: r.float(&END_FACTOR)?,
        total_iters: r.int(&TOTAL_ITERS)?,
    }))
}

pub const LINEAR_LR: Kind = Kind {
    name: "LinearLR",
    library: Library::PyTorch,
    description: "PyTorch LinearLR: move the rate's factor linearly from start_factor to end_factor (warm-up).",
    fields: &[LR, START_FACTOR, END_FACTOR, TOTAL_ITERS],
    cycles_momentum: false,
    build: build_linear,
};

/// `lr * (1 - min(t, total_iters) / total_iters)^power`.
struct Polynomial {
    lr: f64,
    total_iters: u64,
    power: f64,
}

impl Curve for Polynomial {
    fn lr(&self, t: u64) -> f64 {
        let done = t.min(self.total_iters) as f64 / self.total_iters as f64;
        self.lr * (1.0 - done).powf(self.power)
    }
}

fn build_polynomial(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    Ok(Box::new(Polynomial { lr: r.float(&LR)?, total_iters: r.int(&TOTAL_ITERS)?, power: r.float(&POWER)? }))
}

pub const POLYNOMIAL_LR: Kind = Kind {
    name: "PolynomialLR",
    library: Library::PyTorch,
    description: "PyTorch PolynomialLR: decay the rate to zero over total_iters steps as (1 - t/total_iters)^power.",
    fields: &[LR, TOTAL_ITERS, POWER],
    cycles_momentum: false,
    build: build_polynomial,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn linear_warm_up_reaches_lr_and_stays() {
        let s = Schedule::from_spec(&json!({"kind": "LinearLR", "lr": 1.0, "start_factor": 0.25, "total_iters": 3}))
            .unwrap();
        assert_eq!(s.sample(5).unwrap().lr, vec![0.25, 0.5, 0.75, 1.0, 1.0]);
    }

    #[test]
    fn polynomial_reaches_zero_at_total_iters() {
        let s =
            Schedule::from_spec(&json!({"kind": "PolynomialLR", "lr": 1.0, "total_iters": 2, "power": 2.0})).unwrap();
        assert_eq!(s.sample(4).unwrap().lr, vec![1.0, 0.25, 0.0, 0.0]);
    }
}
