//! PyTorch's `CyclicLR` (Smith, "Cyclical Learning Rates for Training Neural Networks", 2017).

use super::{Curve, Kind, Library};
use crate::limits::MAX_STEP;
use crate::spec::{fmt_num, Field, Preset, Reader, SpecError};

const BASE_LR: Field =
    Field::float("base_lr", 0.0, 100.0, "Lower boundary of the cycle").min_open().log().example(Preset::Float(0.001));
const MAX_LR: Field =
    Field::float("max_lr", 0.0, 100.0, "Upper boundary of the cycle").min_open().log().example(Preset::Float(0.006));
const STEP_SIZE_UP: Field =
    Field::int("step_size_up", 1, MAX_STEP, "Steps in the increasing half of a cycle").default(Preset::Int(2000));
const STEP_SIZE_DOWN: Field =
    Field::int("step_size_down", 1, MAX_STEP, "Steps in the decreasing half (none: same as step_size_up)")
        .default(Preset::Null);
const MODE: Field = Field::choice(
    "mode",
    &["triangular", "triangular2", "exp_range"],
    "triangular: constant amplitude; triangular2: amplitude halves each cycle; exp_range: amplitude × gamma^step",
)
.default(Preset::Choice("triangular"));
const GAMMA: Field = Field::float("gamma", 0.0, 1.0, "Amplitude decay per step in exp_range mode")
    .min_open()
    .default(Preset::Float(1.0));
pub(super) const CYCLE_MOMENTUM: Field =
    Field::boolean("cycle_momentum", "Cycle momentum inversely to the rate").default(Preset::Bool(true));
const BASE_MOMENTUM: Field =
    Field::float("base_momentum", 0.0, 1.0, "Momentum at the cycle's peak rate").default(Preset::Float(0.8));
const MAX_MOMENTUM: Field =
    Field::float("max_momentum", 0.0, 1.0, "Momentum at the cycle's lowest rate").default(Preset::Float(0.9));

#[derive(Clone, Copy)]
enum Mode {
    Triangular,
    Triangular2,
    ExpRange { gamma: f64 },
}

struct Cyclic {
    base_lr: f64,
    max_lr: f64,
    total_size: f64,
    step_ratio: f64,
    mode: Mode,
    /// (base_momentum, max_momentum) when momentum cycles.
    momentum: Option<(f64, f64)>,
}

impl Cyclic {
    /// Where in the triangle step `t` is (0 at base, 1 at max), and the amplitude scale.
    fn position(&self, t: u64) -> (f64, f64) {
        let t = t as f64;
        // The same float operations, in the same order, as torch's CyclicLR.get_lr.
        let cycle = (1.0 + t / self.total_size).floor();
        let x = 1.0 + t / self.total_size - cycle;
        let height = if x <= self.step_ratio { x / self.step_ratio } else { (x - 1.0) / (self.step_ratio - 1.0) };
        let scale = match self.mode {
            Mode::Triangular => 1.0,
            Mode::Triangular2 => 1.0 / 2f64.powf(cycle - 1.0),
            Mode::ExpRange { gamma } => gamma.powf(t),
        };
        (height, scale)
    }
}

impl Curve for Cyclic {
    fn lr(&self, t: u64) -> f64 {
        let (height, scale) = self.position(t);
        self.base_lr + (self.max_lr - self.base_lr) * height * scale
    }

    fn momentum(&self, t: u64) -> Option<f64> {
        let (base, max) = self.momentum?;
        let (height, scale) = self.position(t);
        Some(max - (max - base) * height * scale)
    }
}

fn build(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let base_lr = r.float(&BASE_LR)?;
    let max_lr = r.float(&MAX_LR)?;
    if max_lr < base_lr {
        return Err(r.error(&MAX_LR, format!("must be >= base_lr ({}), got {}", fmt_num(base_lr), fmt_num(max_lr))));
    }
    let up = r.int(&STEP_SIZE_UP)?;
    let down = r.optional_int(&STEP_SIZE_DOWN)?.unwrap_or(up);
    let total_size = (up + down) as f64;
    let gamma = r.float(&GAMMA)?;
    let mode = match r.choice(&MODE)? {
        "triangular" => Mode::Triangular,
        "triangular2" => Mode::Triangular2,
        _ => Mode::ExpRange { gamma },
    };
    let momentum =
        if r.boolean(&CYCLE_MOMENTUM)? { Some((r.float(&BASE_MOMENTUM)?, r.float(&MAX_MOMENTUM)?)) } else { None };
    Ok(Box::new(Cyclic { base_lr, max_lr, total_size, step_ratio: up as f64 / total_size, mode, momentum }))
}

pub const CYCLIC_LR: Kind = Kind {
    name: "CyclicLR",
    library: Library::PyTorch,
    description:
        "PyTorch CyclicLR (Smith 2017): triangular cycles between base_lr and max_lr, momentum cycled inversely.",
    fields: &[BASE_LR, MAX_LR, STEP_SIZE_UP, STEP_SIZE_DOWN, MODE, GAMMA, CYCLE_MOMENTUM, BASE_MOMENTUM, MAX_MOMENTUM],
    cycles_momentum: true,
    build,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn triangular2_halves_the_amplitude_each_cycle() {
        let spec = json!({"kind": "CyclicLR", "base_lr": 1.0, "max_lr": 3.0, "step_size_up": 2, "mode": "triangular2"});
        let s = Schedule::from_spec(&spec).unwrap();
        let samples = s.sample(9).unwrap();
        assert_eq!(samples.lr, vec![1.0, 2.0, 3.0, 2.0, 1.0, 1.5, 2.0, 1.5, 1.0]);
        let m = samples.momentum.unwrap();
        assert!((m[2] - 0.8).abs() < 1e-15 && (m[0] - 0.9).abs() < 1e-15, "{m:?}");
    }

    #[test]
    fn max_below_base_is_rejected() {
        let e = Schedule::from_spec(&json!({"kind": "CyclicLR", "base_lr": 0.1, "max_lr": 0.01})).err().unwrap();
        assert_eq!(e.to_string(), "max_lr (CyclicLR): must be >= base_lr (0.1), got 0.01");
    }

    #[test]
    fn no_momentum_when_not_cycled() {
        let spec = json!({"kind": "CyclicLR", "base_lr": 0.1, "max_lr": 0.2, "cycle_momentum": false});
        assert_eq!(Schedule::from_spec(&spec).unwrap().momentum_at(3).unwrap(), None);
    }
}
