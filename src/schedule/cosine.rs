//! PyTorch's `CosineAnnealingLR` (Loshchilov & Hutter, "SGDR", 2017, without restarts).

use std::f64::consts::PI;

use super::{Curve, Kind, Library, LR};
use crate::limits::MAX_STEP;
use crate::spec::{Field, Preset, Reader, SpecError};

const T_MAX: Field =
    Field::int("T_max", 1, MAX_STEP, "Steps from lr down to eta_min (half a cosine period)").example(Preset::Int(100));
pub(super) const ETA_MIN: Field = Field::float("eta_min", 0.0, 100.0, "The lowest rate").default(Preset::Float(0.0));

/// The cosine from `high` (at `pos = 0`) to `low` (at `pos = 1`), as SGDR writes it.
pub(super) fn cosine_between(high: f64, low: f64, pos: f64) -> f64 {
    low + (high - low) * (1.0 + (PI * pos).cos()) / 2.0
}

/// Not clamped past `T_max`: like PyTorch, the rate climbs back up along the same cosine.
struct CosineAnnealing {
    lr: f64,
    t_max: u64,
    eta_min: f64,
}

impl Curve for CosineAnnealing {
    fn lr(&self, t: u64) -> f64 {
        cosine_between(self.lr, self.eta_min, t as f64 / self.t_max as f64)
    }
}

fn build(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    Ok(Box::new(CosineAnnealing { lr: r.float(&LR)?, t_max: r.int(&T_MAX)?, eta_min: r.float(&ETA_MIN)? }))
}

pub const COSINE_ANNEALING_LR: Kind = Kind {
    name: "CosineAnnealingLR",
    library: Library::PyTorch,
    description:
        "PyTorch CosineAnnealingLR: cosine from lr to eta_min over T_max steps (continues past T_max, unclamped).",
    fields: &[LR, T_MAX, ETA_MIN],
    cycles_momentum: false,
    build,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn cosine_hits_eta_min_at_t_max_and_rises_after() {
        let s =
            Schedule::from_spec(&json!({"kind": "CosineAnnealingLR", "lr": 1.0, "T_max": 2, "eta_min": 0.1})).unwrap();
        let lr = s.sample(5).unwrap().lr;
        assert!((lr[1] - 0.55).abs() < 1e-15 && (lr[2] - 0.1).abs() < 1e-15 && (lr[4] - 1.0).abs() < 1e-15, "{lr:?}");
    }
}
