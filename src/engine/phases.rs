//! What a run is: its seed, its batch order, and a list of phases. fastai's `freeze()` →
//! `fit_one_cycle` → `unfreeze()` → `fit_one_cycle(slice(..))` and ULMFiT's gradual unfreezing
//! are such lists; `Session::update_run` appends one from the next step on.

use std::sync::Arc;

use super::plateau::{PlateauFeed, PlateauView, DEFAULT_EVAL_EVERY};
use crate::schedule::Schedule;

/// One stretch of a run's training.
#[derive(Clone)]
pub struct Phase {
    /// Optimizer steps the phase lasts; `None` (last phase only): until its schedule ends.
    pub steps: Option<u64>,
    /// Counts from 0 at the phase's first step. Shared, so snapshots copy a pointer.
    pub schedule: Arc<Schedule>,
    /// Per group: its rate is this multiple of the schedule's.
    pub group_lr_mult: Vec<f64>,
    /// Per group: frozen groups get no gradient, no update and keep their optimizer state.
    pub frozen: Vec<bool>,
    /// The run's optimizer state (every group's moments and step count) starts afresh at the
    /// phase's first step, as fastai's `freeze_to`/`unfreeze` clear it (`opt.clear_state()`).
    pub reset_optimizer: bool,
}

pub struct RunConfig {
    /// Seeds the run's initial weights.
    pub seed: u64,
    /// Shuffles this run's batches with its own seed; `None`: the session's shared order.
    pub data_seed: Option<u64>,
    /// At least one; all but the last have `steps`.
    pub phases: Vec<Phase>,
    /// Pretrained parameters of the run's lowest Linear layers (a prefix of the parameter
    /// vector, whole layers only); the layers above start from `seed` as usual.
    pub init_params: Option<Vec<f32>>,
    /// Steps between the validation evaluations that feed a `ReduceLROnPlateau` phase.
    pub eval_every: u64,
}

/// A phase placed on the session's step axis.
#[derive(Clone)]
struct PlacedPhase {
    phase: Phase,
    /// The session step of the phase's first step.
    start: u64,
    /// The session step at which the phase's schedule reads step 0 (`start`, unless a phase
    /// added by `update_run` carries the schedule of the one before it on).
    origin: u64,
}

/// What one group of a run does at one step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupStep {
    /// The schedule's rate times the group's multiplier.
    pub lr: f64,
    /// The momentum (SGD) or beta1 (Adam) the schedule cycles, if it does.
    pub momentum: Option<f64>,
    pub frozen: bool,
}

/// A run's phases on the session's step axis.
#[derive(Clone)]
pub struct RunPlan {
    phases: Vec<PlacedPhase>,
    plateau: PlateauFeed,
}

/// Changes to a run from the next step on (`Session::update_run`); `None` keeps what is there.
#[derive(Default)]
pub struct RunUpdate {
    /// A new schedule counts from 0 at the new phase; without one, the current schedule goes on.
    pub schedule: Option<Arc<Schedule>>,
    pub group_lr_mult: Option<Vec<f64>>,
    pub frozen: Option<Vec<bool>>,
    /// The new phase starts with a fresh optimizer state (see `Phase::reset_optimizer`).
    pub reset_optimizer: bool,
}

impl RunPlan {
    pub fn new(phases: Vec<Phase>) -> Self {
        let mut start = 0u64;
        let phases = phases
            .into_iter()
            .map(|phase| {
                let placed = PlacedPhase { start, origin: start, phase };
                start = start.saturating_add(placed.phase.steps.unwrap_or(u64::MAX));
                placed
            })
            .collect();
        Self { phases, plateau: PlateauFeed::new(DEFAULT_EVAL_EVERY) }
    }

    /// The plan with evaluations for a `ReduceLROnPlateau` phase every `eval_every` steps.
    pub fn evaluating_every(self, eval_every: u64) -> Self {
        Self { plateau: PlateauFeed::new(eval_every), ..self }
    }

    fn phase_at(&self, t: u64) -> Option<&PlacedPhase> {
        let placed = self.phases.iter().rev().find(|p| p.start <= t)?;
        match placed.phase.steps {
            Some(steps) if t - placed.start >= steps => None,
            _ => Some(placed),
        }
    }

    /// Every group's rate, momentum and frozen flag at session step `t`, written into `out`;
    /// `false` when the run has nothing left to do at `t` (its last phase or schedule is over).
    pub fn groups_at(&self, t: u64, out: &mut [GroupStep]) -> bool {
        let Some(placed) = self.phase_at(t) else { return false };
        let phase = &placed.phase;
        let local = t - placed.origin;
        let Some((mut lr, momentum)) = phase.schedule.values_at(local) else { return false };
        if let Some(plateau) = phase.schedule.plateau() {
            lr = self.plateau.state(&plateau, placed.start).lr;
        }
        for ((group, mult), frozen) in out.iter_mut().zip(&phase.group_lr_mult).zip(&phase.frozen) {
            *group = GroupStep { lr: lr * mult, momentum, frozen: *frozen };
        }
        true
    }

    /// Ends the plan before session step `t` and continues it with `update` from `t` on.
    pub fn update_from(&mut self, t: u64, update: RunUpdate) {
        let current =
            self.phase_at(t).or_else(|| self.phases.iter().rev().find(|p| p.start <= t)).or(self.phases.last());
        let Some(current) = current.cloned() else { return };
        self.phases.retain(|p| p.start < t);
        if let Some(last) = self.phases.last_mut() {
            // It ends at t at the latest (one that ended earlier keeps its end).
            last.phase.steps = Some(last.phase.steps.unwrap_or(u64::MAX).min(t - last.start));
        }
        let (schedule, origin) = match update.schedule {
            Some(schedule) => (schedule, t),
            None => (current.phase.schedule.clone(), current.origin),
        };
        let phase = Phase {
            steps: None,
            schedule,
            group_lr_mult: update.group_lr_mult.unwrap_or(current.phase.group_lr_mult),
            frozen: update.frozen.unwrap_or(current.phase.frozen),
            reset_optimizer: update.reset_optimizer,
        };
        self.phases.push(PlacedPhase { phase, start: t, origin });
    }

    /// The group multipliers and frozen flags in force at step `t` (the last phase's once the
    /// plan is over).
    pub fn groups_setup(&self, t: u64) -> Option<(&[f64], &[bool])> {
        let placed = self.phase_at(t).or(self.phases.last())?;
        Some((&placed.phase.group_lr_mult, &placed.phase.frozen))
    }

    /// Whether a phase that resets the optimizer state starts at step `t`.
    pub fn resets_at(&self, t: u64) -> bool {
        self.phase_at(t).is_some_and(|p| p.start == t && p.phase.reset_optimizer)
    }

    /// The first step after `t` at which a phase that resets the optimizer state starts.
    pub fn next_reset_after(&self, t: u64) -> Option<u64> {
        self.phases.iter().filter(|p| p.start > t && p.phase.reset_optimizer).map(|p| p.start).min()
    }

    /// The metric-driven phase in force just before session step `t`, and its start.
    fn plateau_phase(&self, t: u64) -> Option<(crate::schedule::Plateau, u64)> {
        let placed = self.phase_at(t.checked_sub(1)?)?;
        Some((placed.phase.schedule.plateau()?, placed.start))
    }

    /// Whether the run's validation loss is due at session step `t` (steps `0..t` taken).
    pub fn evaluation_due(&self, t: u64) -> bool {
        self.plateau_phase(t).is_some_and(|(_, start)| self.plateau.due(start, t))
    }

    /// The next step after `t` at which an evaluation is due, for block boundaries.
    pub fn next_evaluation_after(&self, t: u64) -> Option<u64> {
        let placed = self.phase_at(t)?;
        placed.phase.schedule.plateau()?;
        Some(self.plateau.next_after(placed.start, t))
    }

    /// Steps the metric-driven scheduler of the phase that just ran with the validation loss.
    pub fn feed_metric(&mut self, t: u64, metric: f64) {
        if let Some((plateau, start)) = self.plateau_phase(t) {
            self.plateau.feed(&plateau, start, metric);
        }
    }

    /// What a live view shows of the metric-driven phase in force at step `t`, if any.
    pub fn plateau_view(&self, t: u64) -> Option<PlateauView> {
        let placed = self.phase_at(t).or_else(|| self.phase_at(t.checked_sub(1)?))?;
        let plateau = placed.phase.schedule.plateau()?;
        Some(self.plateau.view(&plateau, placed.start, t))
    }

    /// The index of the phase in force at step `t`, if any.
    pub fn phase_index(&self, t: u64) -> Option<usize> {
        let placed = self.phase_at(t)?;
        self.phases.iter().position(|p| p.start == placed.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn constant(lr: f64) -> Arc<Schedule> {
        Arc::new(Schedule::from_spec(&json!({"kind": "Constant", "lr": lr})).unwrap())
    }

    fn linear(steps: u64) -> Arc<Schedule> {
        let spec = json!({"kind": "LinearLR", "lr": 1.0, "start_factor": 1.0, "end_factor": 0.0, "total_iters": steps});
        Arc::new(Schedule::from_spec(&spec).unwrap())
    }

    fn at(plan: &RunPlan, t: u64) -> Option<Vec<GroupStep>> {
        let mut out = vec![GroupStep { lr: 0.0, momentum: None, frozen: false }; 2];
        plan.groups_at(t, &mut out).then_some(out)
    }

    #[test]
    fn each_phase_counts_its_schedule_from_its_first_step() {
        let plan = RunPlan::new(vec![
            Phase {
                steps: Some(2),
                schedule: linear(4),
                group_lr_mult: vec![0.0, 1.0],
                frozen: vec![true, false],
                reset_optimizer: false,
            },
            Phase {
                steps: Some(3),
                schedule: linear(4),
                group_lr_mult: vec![0.5, 1.0],
                frozen: vec![false, false],
                reset_optimizer: true,
            },
        ]);
        let lrs: Vec<Option<(f64, bool)>> = (0..6).map(|t| at(&plan, t).map(|g| (g[1].lr, g[0].frozen))).collect();
        assert_eq!(
            lrs,
            [Some((1.0, true)), Some((0.75, true)), Some((1.0, false)), Some((0.75, false)), Some((0.5, false)), None]
        );
        assert_eq!(at(&plan, 3).unwrap()[0].lr, 0.375);
        assert_eq!(plan.phase_index(4), Some(1));
        let resets: Vec<bool> = (0..6).map(|t| plan.resets_at(t)).collect();
        assert_eq!(resets, [false, false, true, false, false, false]);
        assert_eq!(
            (plan.next_reset_after(0), plan.next_reset_after(1), plan.next_reset_after(2)),
            (Some(2), Some(2), None)
        );
    }

    #[test]
    fn an_update_without_a_schedule_carries_the_schedule_on() {
        let mut plan = RunPlan::new(vec![Phase {
            steps: None,
            schedule: linear(4),
            group_lr_mult: vec![1.0, 1.0],
            frozen: vec![true, false],
            reset_optimizer: false,
        }]);
        plan.update_from(2, RunUpdate { frozen: Some(vec![false, false]), ..Default::default() });
        assert!(at(&plan, 1).unwrap()[0].frozen);
        let step2 = at(&plan, 2).unwrap();
        assert_eq!((step2[0].lr, step2[0].frozen), (0.5, false));
        plan.update_from(3, RunUpdate { schedule: Some(constant(0.1)), reset_optimizer: true, ..Default::default() });
        assert!(!plan.resets_at(2) && plan.resets_at(3) && plan.next_reset_after(2) == Some(3));
        assert_eq!(at(&plan, 3).unwrap()[1].lr, 0.1);
        assert_eq!(at(&plan, 2).unwrap()[1].lr, 0.5, "the past is kept");
        assert_eq!(plan.phase_index(3), Some(2));
    }

    #[test]
    fn the_training_query_ends_where_the_schedule_refuses_a_step() {
        let spec = json!({"kind": "OneCycleLR", "max_lr": 0.1, "total_steps": 10});
        let schedule = Schedule::from_spec(&spec).unwrap();
        let last = schedule.last_step().unwrap();
        for t in 0..=last + 2 {
            let checked = schedule.lr_at(t).ok().zip(schedule.momentum_at(t).ok());
            assert_eq!(schedule.values_at(t), checked, "step {t}");
        }
        assert_eq!(schedule.values_at(last + 1), None);
    }

    #[test]
    fn an_update_after_the_plan_ended_leaves_the_past_alone() {
        let mut plan = RunPlan::new(vec![Phase {
            steps: Some(2),
            schedule: constant(0.1),
            group_lr_mult: vec![1.0, 1.0],
            frozen: vec![false, false],
            reset_optimizer: false,
        }]);
        assert!(at(&plan, 3).is_none(), "over after 2 steps");
        plan.update_from(5, RunUpdate { schedule: Some(constant(0.2)), ..Default::default() });
        assert!(at(&plan, 3).is_none(), "steps 2..5 stay outside every phase");
        assert_eq!(at(&plan, 5).unwrap()[0].lr, 0.2);
    }
}
