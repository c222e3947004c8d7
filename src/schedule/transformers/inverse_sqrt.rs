//! transformers' `get_inverse_sqrt_schedule`: warm-up, then `lr / sqrt((t + timescale - w) / timescale)`.

use super::{warmup, NUM_WARMUP_STEPS};
use crate::limits::MAX_STEP;
use crate::schedule::{Curve, Kind, Library, LR};
use crate::spec::{Field, Preset, Reader, SpecError};

const TIMESCALE: Field = Field::int(
    "timescale",
    1,
    MAX_STEP,
    "Scale of the decay: the rate is lr at warm-up end, lr / 2 after 3 timescales (none: num_warmup_steps, or 10000)",
)
.default(Preset::Null);

struct InverseSqrt {
    lr: f64,
    num_warmup_steps: u64,
    timescale: u64,
}

impl Curve for InverseSqrt {
    fn lr(&self, t: u64) -> f64 {
        let factor = warmup(t, self.num_warmup_steps).unwrap_or_else(|| {
            // t >= num_warmup_steps here, so the shifted step is at least the timescale.
            let shifted = t - self.num_warmup_steps + self.timescale;
            1.0 / (shifted as f64 / self.timescale as f64).sqrt()
        });
        self.lr * factor
    }
}

fn build(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let num_warmup_steps = r.int(&NUM_WARMUP_STEPS)?;
    let default_timescale = if num_warmup_steps == 0 { 10_000 } else { num_warmup_steps };
    let timescale = r.optional_int(&TIMESCALE)?.unwrap_or(default_timescale);
    Ok(Box::new(InverseSqrt { lr: r.float(&LR)?, num_warmup_steps, timescale }))
}

pub const GET_INVERSE_SQRT_SCHEDULE: Kind = Kind {
    name: "get_inverse_sqrt_schedule",
    library: Library::Transformers,
    description: "Linear warm-up to lr, then decay as one over the square root of the step.",
    fields: &[LR, NUM_WARMUP_STEPS, TIMESCALE],
    cycles_momentum: false,
    build,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn the_rate_falls_as_one_over_root_step_from_the_warm_up_end() {
        let s = Schedule::from_spec(&json!({"kind": "get_inverse_sqrt_schedule", "lr": 1.0, "num_warmup_steps": 4}))
            .unwrap();
        let lr = s.sample(17).unwrap().lr;
        assert_eq!((lr[2], lr[4], lr[16]), (0.5, 1.0, 0.5));
    }
}
