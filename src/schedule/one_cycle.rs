//! PyTorch's `OneCycleLR` (Smith & Topin, "Super-Convergence", 2018).

use std::f64::consts::PI;

use super::cyclic::CYCLE_MOMENTUM;
use super::{Curve, Kind, Library};
use crate::limits::MAX_STEP;
use crate::spec::{fmt_num, Field, Preset, Reader, SpecError};

const MAX_LR: Field =
    Field::float("max_lr", 0.0, 100.0, "Peak rate of the cycle").min_open().log().example(Preset::Float(0.01));
const TOTAL_STEPS: Field =
    Field::int("total_steps", 1, MAX_STEP, "Steps in the cycle (none: epochs × steps_per_epoch)")
        .default(Preset::Null)
        .example(Preset::Int(1000));
const EPOCHS: Field = Field::int("epochs", 1, MAX_STEP, "Epochs, when total_steps is not given").default(Preset::Null);
const STEPS_PER_EPOCH: Field =
    Field::int("steps_per_epoch", 1, MAX_STEP, "Steps per epoch, when total_steps is not given").default(Preset::Null);
const PCT_START: Field =
    Field::float("pct_start", 0.0, 1.0, "Fraction of the cycle spent increasing the rate").default(Preset::Float(0.3));
const ANNEAL_STRATEGY: Field =
    Field::choice("anneal_strategy", &["cos", "linear"], "Shape of each phase").default(Preset::Choice("cos"));
const BASE_MOMENTUM: Field =
    Field::float("base_momentum", 0.0, 1.0, "Momentum at the peak rate").default(Preset::Float(0.85));
const MAX_MOMENTUM: Field =
    Field::float("max_momentum", 0.0, 1.0, "Momentum at the start and end").default(Preset::Float(0.95));
const DIV_FACTOR: Field = Field::float("div_factor", 0.0, 1e9, "initial_lr = max_lr / div_factor")
    .min_open()
    .log()
    .default(Preset::Float(25.0));
const FINAL_DIV_FACTOR: Field = Field::float("final_div_factor", 0.0, 1e12, "min_lr = initial_lr / final_div_factor")
    .min_open()
    .log()
    .default(Preset::Float(1e4));
const THREE_PHASE: Field = Field::boolean(
    "three_phase",
    "Go back down to initial_lr symmetrically before annealing to min_lr (fastai-style when false)",
)
.default(Preset::Bool(false));

#[derive(Clone, Copy)]
enum Anneal {
    Cos,
    Linear,
}

impl Anneal {
    fn at(self, start: f64, end: f64, pct: f64) -> f64 {
        match self {
            Anneal::Cos => end + (start - end) / 2.0 * ((PI * pct).cos() + 1.0),
            Anneal::Linear => (end - start) * pct + start,
        }
    }
}

/// One leg of the cycle, ending (inclusively) at `end_step`, as PyTorch lays them out.
struct Phase {
    end_step: f64,
    lr: (f64, f64),
    momentum: (f64, f64),
}

struct OneCycle {
    total_steps: u64,
    phases: Vec<Phase>,
    anneal: Anneal,
    cycle_momentum: bool,
}

impl OneCycle {
    /// The phase step `t` is in, and how far through it (PyTorch's `get_lr` walk).
    fn locate(&self, t: u64) -> (&Phase, f64) {
        let t = t as f64;
        let mut start_step = 0.0;
        for (i, phase) in self.phases.iter().enumerate() {
            if t <= phase.end_step || i == self.phases.len() - 1 {
                return (phase, (t - start_step) / (phase.end_step - start_step));
            }
            start_step = phase.end_step;
        }
        unreachable!("the last phase always matches")
    }
}

impl Curve for OneCycle {
    fn lr(&self, t: u64) -> f64 {
        let (phase, pct) = self.locate(t);
        self.anneal.at(phase.lr.0, phase.lr.1, pct)
    }

    fn momentum(&self, t: u64) -> Option<f64> {
        self.cycle_momentum.then(|| {
            let (phase, pct) = self.locate(t);
            self.anneal.at(phase.momentum.0, phase.momentum.1, pct)
        })
    }

    fn last_step(&self) -> Option<u64> {
        Some(self.total_steps)
    }
}

fn build(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let max_lr = r.float(&MAX_LR)?;
    // As PyTorch: total_steps wins when given, else epochs × steps_per_epoch.
    let epochs = r.optional_int(&EPOCHS)?;
    let steps_per_epoch = r.optional_int(&STEPS_PER_EPOCH)?;
    let total_steps = match (r.optional_int(&TOTAL_STEPS)?, epochs, steps_per_epoch) {
        (Some(total), _, _) => total,
        (None, Some(e), Some(s)) if e.saturating_mul(s) <= MAX_STEP => e * s,
        (None, Some(e), Some(s)) => {
            return Err(r.error(
                &EPOCHS,
                format!(
                    "gives {} steps in all ({e} epochs of {s}); at most {MAX_STEP} are allowed",
                    e.saturating_mul(s)
                ),
            ))
        }
        _ => {
            return Err(
                r.error(&TOTAL_STEPS, "is required: an integer in [1, 1000000000], or both epochs and steps_per_epoch")
            )
        }
    };
    let pct_start = r.float(&PCT_START)?;
    let anneal = if r.choice(&ANNEAL_STRATEGY)? == "cos" { Anneal::Cos } else { Anneal::Linear };
    let (base_m, max_m) = (r.float(&BASE_MOMENTUM)?, r.float(&MAX_MOMENTUM)?);
    let initial_lr = max_lr / r.float(&DIV_FACTOR)?;
    let min_lr = initial_lr / r.float(&FINAL_DIV_FACTOR)?;
    let three_phase = r.boolean(&THREE_PHASE)?;

    let n = total_steps as f64;
    let warm_end = pct_start * n - 1.0;
    let phases = if three_phase {
        vec![
            Phase { end_step: warm_end, lr: (initial_lr, max_lr), momentum: (max_m, base_m) },
            Phase { end_step: 2.0 * pct_start * n - 2.0, lr: (max_lr, initial_lr), momentum: (base_m, max_m) },
            Phase { end_step: n - 1.0, lr: (initial_lr, min_lr), momentum: (max_m, max_m) },
        ]
    } else {
        vec![
            Phase { end_step: warm_end, lr: (initial_lr, max_lr), momentum: (max_m, base_m) },
            Phase { end_step: n - 1.0, lr: (max_lr, min_lr), momentum: (base_m, max_m) },
        ]
    };
    // PyTorch divides by each phase's length; an empty phase is a ZeroDivisionError there.
    let mut start = 0.0;
    for (i, phase) in phases.iter().enumerate() {
        if phase.end_step - start == 0.0 {
            return Err(r.error(
                &PCT_START,
                format!(
                    "gives phase {} of {} no steps with total_steps = {total_steps}, and PyTorch divides by each phase's length: use another pct_start, got {}",
                    i + 1,
                    phases.len(),
                    fmt_num(pct_start)
                ),
            ));
        }
        start = phase.end_step;
    }
    Ok(Box::new(OneCycle { total_steps, phases, anneal, cycle_momentum: r.boolean(&CYCLE_MOMENTUM)? }))
}

pub const ONE_CYCLE_LR: Kind = Kind {
    name: "OneCycleLR",
    library: Library::PyTorch,
    description: "PyTorch OneCycleLR (Smith & Topin 2018): warm up to max_lr, then anneal far below the start; momentum mirrors it.",
    fields: &[MAX_LR, TOTAL_STEPS, EPOCHS, STEPS_PER_EPOCH, PCT_START, ANNEAL_STRATEGY, CYCLE_MOMENTUM, BASE_MOMENTUM, MAX_MOMENTUM, DIV_FACTOR, FINAL_DIV_FACTOR, THREE_PHASE],
    cycles_momentum: true,
    build,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn linear_one_cycle_peaks_at_pct_start() {
        let spec = json!({"kind": "OneCycleLR", "max_lr": 1.0, "total_steps": 5, "pct_start": 0.4, "anneal_strategy": "linear",
                          "div_factor": 4.0, "final_div_factor": 2.5});
        let s = Schedule::from_spec(&spec).unwrap();
        // Warm-up ends at step 0.4 * 5 - 1 = 1; the last step (4) is min_lr = 0.25 / 2.5.
        let lr = s.sample(5).unwrap().lr;
        let expected = [0.25, 1.0, 0.7, 0.4, 0.1];
        for (a, b) in lr.iter().zip(expected) {
            assert!((a - b).abs() < 1e-12, "{lr:?}");
        }
        assert_eq!(s.momentum_at(1).unwrap(), Some(0.85));
    }

    #[test]
    fn epochs_times_steps_per_epoch_sets_the_length() {
        let s = Schedule::from_spec(&json!({"kind": "OneCycleLR", "max_lr": 0.1, "epochs": 3, "steps_per_epoch": 7}))
            .unwrap();
        assert_eq!(s.last_step(), Some(21));
    }

    #[test]
    fn a_length_is_required_and_phases_must_not_be_empty() {
        let e = Schedule::from_spec(&json!({"kind": "OneCycleLR", "max_lr": 0.1, "epochs": 3})).err().unwrap();
        assert!(e.to_string().starts_with("total_steps (OneCycleLR): is required"), "{e}");
        let e = Schedule::from_spec(&json!({"kind": "OneCycleLR", "max_lr": 0.1, "total_steps": 10, "pct_start": 0.1}))
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "pct_start (OneCycleLR): gives phase 1 of 2 no steps with total_steps = 10, and PyTorch divides by each phase's length: use another pct_start, got 0.1"
        );
        // Three phases: the last is empty where 2 × pct_start × total_steps - 2 is the last step.
        let spec =
            json!({"kind": "OneCycleLR", "max_lr": 0.1, "total_steps": 4, "pct_start": 0.625, "three_phase": true});
        let e = Schedule::from_spec(&spec).err().unwrap();
        assert!(
            e.to_string().starts_with("pct_start (OneCycleLR): gives phase 3 of 3 no steps with total_steps = 4,"),
            "{e}"
        );
        let e = Schedule::from_spec(
            &json!({"kind": "OneCycleLR", "max_lr": 0.1, "epochs": 1000, "steps_per_epoch": 2000000}),
        )
        .err()
        .unwrap();
        assert_eq!(
            e.to_string(),
            "epochs (OneCycleLR): gives 2000000000 steps in all (1000 epochs of 2000000); at most 1000000000 are allowed"
        );
    }
}
