//! ULMFiT's slanted triangular learning rate (Howard & Ruder, "Universal Language Model
//! Fine-tuning for Text Classification", 2018, eq. 3): a short linear rise, then a long linear decay.

use super::{Curve, Kind, Library};
use crate::limits::MAX_STEP;
use crate::spec::{fmt_num, Field, Preset, Reader, SpecError};

const LR_MAX: Field =
    Field::float("lr_max", 0.0, 100.0, "Peak learning rate").min_open().log().default(Preset::Float(0.01));
const TOTAL_STEPS: Field = Field::int("total_steps", 1, MAX_STEP, "Training steps T").example(Preset::Int(1000));
pub(crate) const CUT_FRAC: Field = Field::float("cut_frac", 0.0, 1.0, "Fraction of steps spent increasing the rate")
    .min_open()
    .default(Preset::Float(0.1));
pub(crate) const RATIO: Field = Field::float("ratio", 1.0, 1e6, "How much larger the peak is than the lowest rate")
    .log()
    .default(Preset::Float(32.0));

struct Slanted {
    lr_max: f64,
    total_steps: u64,
    cut: f64,
    cut_frac: f64,
    ratio: f64,
}

impl Curve for Slanted {
    fn lr(&self, t: u64) -> f64 {
        let t = t as f64;
        let p =
            if t < self.cut { t / self.cut } else { 1.0 - (t - self.cut) / (self.cut * (1.0 / self.cut_frac - 1.0)) };
        self.lr_max * (1.0 + p * (self.ratio - 1.0)) / self.ratio
    }

    fn last_step(&self) -> Option<u64> {
        Some(self.total_steps)
    }
}

fn build(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let total_steps = r.int(&TOTAL_STEPS)?;
    let cut_frac = r.float(&CUT_FRAC)?;
    let cut = (total_steps as f64 * cut_frac).floor();
    if cut < 1.0 || cut_frac >= 1.0 {
        return Err(r.error(
            &CUT_FRAC,
            format!(
                "must be in (0, 1) and at least 1/{total_steps}, so that the rise takes at least one of the {total_steps} steps, got {}",
                fmt_num(cut_frac)
            ),
        ));
    }
    Ok(Box::new(Slanted { lr_max: r.float(&LR_MAX)?, total_steps, cut, cut_frac, ratio: r.float(&RATIO)? }))
}

pub const SLANTED_TRIANGULAR: Kind = Kind {
    name: "SlantedTriangular",
    library: Library::Ulmfit,
    description:
        "ULMFiT slanted triangular (Howard & Ruder 2018): rise for cut_frac of the steps, then a long linear decay.",
    fields: &[LR_MAX, TOTAL_STEPS, CUT_FRAC, RATIO],
    cycles_momentum: false,
    build,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn rises_to_lr_max_at_the_cut_and_ends_at_lr_max_over_ratio() {
        let spec =
            json!({"kind": "SlantedTriangular", "lr_max": 0.01, "total_steps": 100, "cut_frac": 0.1, "ratio": 32});
        let s = Schedule::from_spec(&spec).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-15;
        assert!(close(s.lr_at(0).unwrap(), 0.01 / 32.0));
        assert!(close(s.lr_at(10).unwrap(), 0.01));
        // Paper, eq. 3: p = 1 - (t - cut) / (cut · (1/cut_frac - 1)); halfway down at t = 55.
        assert!(close(s.lr_at(55).unwrap(), 0.01 * (1.0 + 0.5 * 31.0) / 32.0));
        assert!(close(s.lr_at(100).unwrap(), 0.01 / 32.0));
    }

    #[test]
    fn a_cut_of_no_whole_step_is_refused_with_the_smallest_that_fits() {
        let spec = json!({"kind": "SlantedTriangular", "lr_max": 0.01, "total_steps": 4, "cut_frac": 0.2});
        let e = Schedule::from_spec(&spec).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("cut_frac (SlantedTriangular): must be in (0, 1) and at least 1/4, so that the rise takes at least one of the 4 steps, got 0.2")
        );
        assert!(Schedule::from_spec(
            &json!({"kind": "SlantedTriangular", "lr_max": 0.01, "total_steps": 4, "cut_frac": 0.25})
        )
        .is_ok());
    }
}
