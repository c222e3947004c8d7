//! PyTorch's `ExponentialLR`: `lr * gamma^t`.

use super::{Curve, Kind, Library, LR};
use crate::spec::{Field, Preset, Reader, SpecError};

const GAMMA: Field =
    Field::float("gamma", 0.0, 10.0, "Multiplies the rate every step").min_open().log().example(Preset::Float(0.99));

struct Exponential {
    lr: f64,
    gamma: f64,
}

impl Curve for Exponential {
    fn lr(&self, t: u64) -> f64 {
        self.lr * self.gamma.powf(t as f64)
    }
}

fn build(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    Ok(Box::new(Exponential { lr: r.float(&LR)?, gamma: r.float(&GAMMA)? }))
}

pub const EXPONENTIAL_LR: Kind = Kind {
    name: "ExponentialLR",
    library: Library::PyTorch,
    description: "PyTorch ExponentialLR: multiply the rate by gamma every step.",
    fields: &[LR, GAMMA],
    cycles_momentum: false,
    build,
};
