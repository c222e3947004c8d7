//! Runs whose schedule follows a metric (PyTorch's `ReduceLROnPlateau`): every `eval_every`
//! optimizer steps of such a phase, the session evaluates the run on the validation set and
//! steps the scheduler with the loss, as a training loop does with
//! `if (step + 1) % eval_every == 0: scheduler.step(val_loss)`. The scheduler's state lives in
//! the run's plan, which both backends follow, so the CPU and GPU paths see the same rates.

use crate::schedule::{Plateau, PlateauState};

/// Steps between evaluations when a run does not say.
pub const DEFAULT_EVAL_EVERY: u64 = 100;

/// One run's metric-driven scheduler: its cadence and, for the phase it belongs to, its state.
#[derive(Clone, Debug, PartialEq)]
pub struct PlateauFeed {
    pub eval_every: u64,
    /// The state of the phase that starts at `.0`; a new phase starts from its own `lr`.
    state: Option<(u64, PlateauState)>,
    /// Evaluations fed so far in the current phase.
    evaluations: u64,
}

/// What a live view shows of a metric-driven run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlateauView {
    pub state: PlateauState,
    pub patience: u64,
    pub cooldown: u64,
    pub evaluations: u64,
    /// The session step of the next evaluation.
    pub next_evaluation: u64,
}

impl PlateauFeed {
    pub fn new(eval_every: u64) -> Self {
        Self { eval_every: eval_every.max(1), state: None, evaluations: 0 }
    }

    /// The scheduler's state in the phase that started at `phase_start`.
    pub fn state(&self, plateau: &Plateau, phase_start: u64) -> PlateauState {
        match self.state {
            Some((start, state)) if start == phase_start => state,
            _ => plateau.start(),
        }
    }

    /// Whether session step `step` (steps `0..step` taken) ends an evaluation period of the
    /// phase that started at `phase_start`.
    pub fn due(&self, phase_start: u64, step: u64) -> bool {
        step > phase_start && (step - phase_start).is_multiple_of(self.eval_every)
    }

    /// The first step after `step` at which an evaluation falls in that phase.
    pub fn next_after(&self, phase_start: u64, step: u64) -> u64 {
        phase_start + ((step.saturating_sub(phase_start)) / self.eval_every + 1) * self.eval_every
    }

    /// `scheduler.step(metric)` for the phase that started at `phase_start`.
    pub fn feed(&mut self, plateau: &Plateau, phase_start: u64, metric: f64) {
        let mut state = self.state(plateau, phase_start);
        if !matches!(self.state, Some((start, _)) if start == phase_start) {
            self.evaluations = 0;
        }
        plateau.step(&mut state, metric);
        self.state = Some((phase_start, state));
        self.evaluations += 1;
    }

    pub fn view(&self, plateau: &Plateau, phase_start: u64, step: u64) -> PlateauView {
        let fed_here = matches!(self.state, Some((start, _)) if start == phase_start);
        PlateauView {
            state: self.state(plateau, phase_start),
            patience: plateau.patience(),
            cooldown: plateau.cooldown(),
            evaluations: if fed_here { self.evaluations } else { 0 },
            next_evaluation: self.next_after(phase_start, step.max(phase_start)),
        }
    }
}
