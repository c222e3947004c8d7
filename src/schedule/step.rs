//! PyTorch's `StepLR` and `MultiStepLR`: decay by `gamma` every `step_size` steps, or at milestones.

use super::{Curve, Kind, Library, LR};
use crate::limits::MAX_STEP;
use crate::spec::{Field, Preset, Reader, SpecError};

const STEP_SIZE: Field = Field::int("step_size", 1, MAX_STEP, "Steps between decays").example(Preset::Int(30));
const GAMMA: Field =
    Field::float("gamma", 0.0, 10.0, "Multiplies the rate at each decay").min_open().log().default(Preset::Float(0.1));
const MILESTONES: Field = Field::int_list(
    "milestones",
    0,
    MAX_STEP,
    "Steps at which the rate is multiplied by gamma (a repeated milestone applies gamma twice)",
)
.example(Preset::IntList(&[30, 80]));

/// `lr * gamma^k`, where `k` counts the decays that happened at or before step `t`.
struct StepDecay {
    lr: f64,
    gamma: f64,
    decays: Decays,
}

enum Decays {
    Every(u64),
    /// Sorted, repeats kept: PyTorch counts a milestone once per occurrence.
    At(Vec<u64>),
}

impl Curve for StepDecay {
    fn lr(&self, t: u64) -> f64 {
        let k = match &self.decays {
            Decays::Every(step_size) => t / step_size,
            Decays::At(milestones) => milestones.partition_point(|&m| m <= t) as u64,
        };
        self.lr * self.gamma.powf(k as f64)
    }
}

fn build_step(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    Ok(Box::new(StepDecay { lr: r.float(&LR)?, gamma: r.float(&GAMMA)?, decays: Decays::Every(r.int(&STEP_SIZE)?) }))
}

fn build_multi_step(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let mut milestones = r.int_list(&MILESTONES)?;
    if milestones.len() > 10_000 {
        return Err(r.error(&MILESTONES, format!("must have at most 10000 entries, got {}", milestones.len())));
    }
    milestones.sort_unstable();
    Ok(Box::new(StepDecay { lr: r.float(&LR)?, gamma: r.float(&GAMMA)?, decays: Decays::At(milestones) }))
}

pub const STEP_LR: Kind = Kind {
    name: "StepLR",
    library: Library::PyTorch,
    description: "PyTorch StepLR: multiply the rate by gamma every step_size steps.",
    fields: &[LR, STEP_SIZE, GAMMA],
    cycles_momentum: false,
    build: build_step,
};

pub const MULTI_STEP_LR: Kind = Kind {
    name: "MultiStepLR",
    library: Library::PyTorch,
    description: "PyTorch MultiStepLR: multiply the rate by gamma at each milestone.",
    fields: &[LR, MILESTONES, GAMMA],
    cycles_momentum: false,
    build: build_multi_step,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn step_lr_halves_every_step_size() {
        let s = Schedule::from_spec(&json!({"kind": "StepLR", "lr": 0.1, "step_size": 3, "gamma": 0.5})).unwrap();
        assert_eq!(s.sample(7).unwrap().lr, vec![0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
    }

    #[test]
    fn repeated_milestone_applies_gamma_twice() {
        let s = Schedule::from_spec(&json!({"kind": "MultiStepLR", "lr": 1.0, "milestones": [3, 1, 3], "gamma": 0.5}))
            .unwrap();
        assert_eq!(s.sample(4).unwrap().lr, vec![1.0, 0.5, 0.5, 0.125]);
    }

    #[test]
    fn milestone_errors_name_the_list() {
        let e = Schedule::from_spec(&json!({"kind": "MultiStepLR", "milestones": [3, -1]})).err().unwrap();
        assert_eq!(e.to_string(), "milestones[1] (MultiStepLR): must be an integer in [0, 1000000000], got -1");
    }
}
