//! A training session: R runs of one network trained in lockstep, each with its own initial
//! parameters (seed), batch order (shared unless asked), and phases of schedule, group
//! multipliers and frozen groups. The session plans every block of steps once (`plan.rs`) and
//! hands it to its `Backends`; divergence and "who trains" are decided here only.

mod device;
pub mod snapshot;

use crate::data::{Augment, Dataset, Split};
use crate::model::Mlp;
use crate::rng::seeded;

use super::backend::{Backends, EvalSet, PointEvaluation, RunWrite};
use super::batches::BatchOrders;
use super::optimizer::Optimizer;
use super::phases::{GroupStep, RunConfig, RunPlan, RunUpdate};
use super::plan::{BlockStart, PlannedBlock, Planner};
use super::plateau::PlateauView;
use super::runs::Layout;

pub struct SessionConfig {
    pub mlp: Mlp,
    pub optimizer: Optimizer,
    pub data: Split,
    pub batch_size: usize,
    pub shuffle: bool,
    /// Seeds the shared per-epoch shuffle (runs without a `data_seed` see the same batches).
    pub shuffle_seed: u64,
    pub groups: Vec<Vec<usize>>,
    pub runs: Vec<RunConfig>,
    /// Transforms every training row afresh each epoch (`None`: rows train as they are).
    pub augment: Option<Augment>,
    /// Reuse a frozen body's outputs on the CPU path (see `CpuBackend::train_block`).
    pub precompute: bool,
}

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    Training,
    /// Its loss became NaN or infinite at this step; it no longer trains.
    Diverged {
        step: u64,
    },
    /// Its phases are over (or its schedule has no value for the next step), or a caller stopped it.
    Finished,
}

/// Loss and accuracy of one run on the training and validation sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    pub train_loss: f32,
    pub train_accuracy: Option<f32>,
    pub validation_loss: f32,
    pub validation_accuracy: Option<f32>,
}

/// Per Linear layer of one run, for watching discriminative rates at work.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerStats {
    pub group: usize,
    /// The rate of the last step: 0 for a frozen group, and where no phase covered that step.
    pub lr: f64,
    /// Norms in f64: the squares of f32 weights near f32's limits overflow f32.
    pub weight_norm: f64,
    pub grad_norm: f64,
    /// ‖last update‖ / ‖weights‖ (Karpathy's rule of thumb: around 1e-3 is healthy).
    pub update_ratio: f64,
}

pub struct Session {
    data: Split,
    planner: Planner,
    plans: Vec<RunPlan>,
    status: Vec<RunStatus>,
    /// Per run and group, the optimizer steps taken (Adam's bias correction; SGD's first step).
    counts: Vec<Vec<u64>>,
    /// The next step to take.
    step: u64,
    /// What trains the runs, and holds their state (the layout and optimizer with it).
    backends: Backends,
}

impl Session {
    /// Assumes a validated config (see `options`): sizes agree and batch_size <= training rows.
    pub fn new(config: SessionConfig) -> Self {
        let layout = Layout::new(config.mlp, &config.groups);
        let initial = config
            .runs
            .iter()
            .map(|r| {
                // The whole network from the seed, then the pretrained layers over its lowest ones:
                // the new layers above start as a scratch run of the same seed does.
                let mut params = layout.mlp.init(&mut seeded(r.seed));
                if let Some(pretrained) = &r.init_params {
                    params[..pretrained.len()].copy_from_slice(pretrained);
                }
                params
            })
            .collect();
        let data_seeds: Vec<Option<u64>> = config.runs.iter().map(|r| r.data_seed).collect();
        let orders = BatchOrders::new(config.shuffle, config.shuffle_seed, &data_seeds);
        let planner = Planner::new(config.optimizer, config.batch_size, orders, config.augment);
        let plans = config.runs.into_iter().map(|r| RunPlan::new(r.phases).evaluating_every(r.eval_every)).collect();
        let backends = Backends::new(layout, config.optimizer, initial, config.precompute);
        Self::from_parts(config.data, planner, plans, backends)
    }

    /// The one constructor: every run training from step 0 with no optimizer steps taken.
    fn from_parts(data: Split, planner: Planner, plans: Vec<RunPlan>, backends: Backends) -> Self {
        let (runs, groups) = (plans.len(), backends.layout().groups.len());
        Self {
            data,
            planner,
            plans,
            status: vec![RunStatus::Training; runs],
            counts: vec![vec![0; groups]; runs],
            step: 0,
            backends,
        }
    }

    fn layout(&self) -> &Layout {
        self.backends.layout()
    }

    /// The backend's name, and the adapter's when it is a device.
    pub fn backend_name(&self) -> (&'static str, Option<&str>) {
        self.backends.name()
    }

    /// Why training left its device, if it did (e.g. the device was lost), or never went there.
    pub fn fallback_reason(&self) -> Option<&str> {
        self.backends.fallback_reason()
    }

    pub fn record_fallback(&mut self, reason: String) {
        self.backends.record_fallback(reason);
    }

    /// Why the runs train where they do, as a sentence for a person, once one was recorded.
    pub fn choice_reason(&self) -> Option<&str> {
        self.backends.choice_reason()
    }

    pub fn record_choice(&mut self, reason: String) {
        self.backends.record_choice(reason);
    }

    /// A square around the first two input features of the training set, with a margin: the
    /// region a decision-boundary heatmap covers. Always finite: data near f32's limits gets a
    /// square clamped to them rather than an infinite one.
    pub fn input_extent(&self) -> (f32, f32) {
        let train = &self.data.train;
        let features = train.features.min(2);
        let (lo, hi) = train
            .x
            .chunks_exact(train.features)
            .flat_map(|row| row[..features].iter().copied())
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        if !(lo.is_finite() && hi.is_finite()) {
            return (-1.0, 1.0);
        }
        let margin = 0.1 * (hi - lo).max(1e-3);
        if (lo - margin).is_finite() && (hi + margin).is_finite() {
            return (lo - margin, hi + margin);
        }
        // The span or the margin overflows f32: the same square in f64, cut at f32's limits.
        let (lo, hi, edge) = (lo as f64, hi as f64, f32::MAX as f64);
        let margin = 0.1 * (hi - lo);
        ((lo - margin).max(-edge) as f32, (hi + margin).min(edge) as f32)
    }

    pub fn mlp(&self) -> &Mlp {
        &self.layout().mlp
    }

    pub fn run_count(&self) -> usize {
        self.plans.len()
    }

    pub fn steps_taken(&self) -> u64 {
        self.step
    }

    pub fn status(&self, run: usize) -> RunStatus {
        self.status[run]
    }

    pub fn data(&self) -> &Split {
        &self.data
    }

    /// Rows per training batch.
    pub fn batch_size(&self) -> usize {
        self.planner.shape().batch
    }

    pub fn group_count(&self) -> usize {
        self.layout().groups.len()
    }

    /// The phase run `run`'s next step belongs to (`None` once its phases are over).
    pub fn phase(&self, run: usize) -> Option<usize> {
        self.plans[run].phase_index(self.step)
    }

    /// Trains `n` steps; returns the losses `[step][run]` (NaN for runs that did not train).
    /// Blocks of steps go to the backends one at a time; if a device fails, the backends redo
    /// the block on the CPU from the block's start, so no step or loss is lost.
    pub async fn step(&mut self, n: u64) -> Vec<f32> {
        let mut losses = Vec::with_capacity(n as usize * self.plans.len());
        let end = self.step + n;
        while self.step < end {
            self.reset_optimizers_of_starting_phases();
            let steps = Planner::block_steps(&self.plans, self.step, end);
            let start = BlockStart {
                step: self.step,
                plans: &self.plans,
                live: self.status.iter().map(|s| *s == RunStatus::Training).collect(),
                counts: &self.counts,
            };
            let planned = self.planner.plan(self.backends.layout(), &self.data.train, start, steps);
            let block = self.backends.train_block(&planned.plan, &self.data.train).await;
            losses.extend(self.finish_block(planned, block));
            self.feed_plateaus();
        }
        losses
    }

    /// Steps the `ReduceLROnPlateau` scheduler of every training run whose evaluation is due
    /// with its validation loss (its training loss when the session has no validation rows).
    /// Blocks end at those steps (`Planner::block_steps`), so the next block has the new rate.
    fn feed_plateaus(&mut self) {
        for r in 0..self.plans.len() {
            if self.status[r] == RunStatus::Training && self.plans[r].evaluation_due(self.step) {
                let set = if self.data.validation.is_empty() { &self.data.train } else { &self.data.validation };
                let loss = self.backends.evaluate_run(r, set).loss;
                self.plans[r].feed_metric(self.step, loss as f64);
            }
        }
    }

    /// What a live view shows of run `run`'s `ReduceLROnPlateau` phase, if it is in one.
    pub fn plateau_view(&self, run: usize) -> Option<PlateauView> {
        self.plans[run].plateau_view(self.step)
    }

    /// Gives every training run whose next phase starts now with `reset_optimizer` a fresh
    /// optimizer state: blocks end where such a phase starts (`Planner::block_steps`), so this
    /// happens only at a block's start.
    fn reset_optimizers_of_starting_phases(&mut self) {
        for r in 0..self.plans.len() {
            if self.status[r] == RunStatus::Training && self.plans[r].resets_at(self.step) {
                self.backends.write_run(r, RunWrite::FreshOptimizer);
                self.counts[r].fill(0);
            }
        }
    }

    /// Takes in a block's losses `[step][run]`: a run's first non-finite loss marks it diverged
    /// at that step, and every loss of a step a run did not take becomes NaN.
    fn finish_block(&mut self, planned: PlannedBlock, mut losses: Vec<f32>) -> Vec<f32> {
        let PlannedBlock { plan, counts, finished_at } = planned;
        let runs = self.plans.len();
        for (r, finished_at) in finished_at.iter().enumerate() {
            let mut diverged = false;
            for s in 0..plan.steps {
                let i = s * runs + r;
                if diverged || !plan.takes_step[i] {
                    losses[i] = f32::NAN;
                } else if !losses[i].is_finite() {
                    diverged = true;
                    self.status[r] = RunStatus::Diverged { step: self.step + s as u64 };
                }
            }
            if !diverged && finished_at.is_some() {
                self.status[r] = RunStatus::Finished;
            }
        }
        self.counts = counts;
        self.step += plan.steps as u64;
        losses
    }

    /// From the next step on, run `run` continues as `update` says, as a new phase. A run whose
    /// phases were over (or that was stopped) trains again; a diverged run stays diverged.
    pub fn update_run(&mut self, run: usize, update: RunUpdate) {
        self.plans[run].update_from(self.step, update);
        if self.status[run] == RunStatus::Finished {
            self.status[run] = RunStatus::Training;
        }
    }

    /// Run `run`'s group multipliers and frozen flags for its next step (its last phase's once
    /// its phases are over).
    pub fn groups_setup(&self, run: usize) -> (Vec<f64>, Vec<bool>) {
        let groups = self.group_count();
        self.plans[run]
            .groups_setup(self.step)
            .map_or_else(|| (vec![1.0; groups], vec![false; groups]), |(m, f)| (m.to_vec(), f.to_vec()))
    }

    /// A new session of `phases.len()` runs, each starting from run `run`'s current parameters
    /// (fresh optimizer state, step 0, run `run`'s batch order from its first batch) with its
    /// own phases: short trainings at several rates in one runs-dimension pass. It trains on
    /// the same device as this session (when the runs fit), else on the CPU.
    pub fn fork(&self, run: usize, phases: Vec<Vec<super::Phase>>) -> Session {
        let runs = phases.len();
        let planner = self.planner.fork(run, runs);
        let initial = vec![self.params(run).to_vec(); runs];
        let backends = self.backends.fork(initial, &self.data.train, planner.shape());
        let plans = phases.into_iter().map(RunPlan::new).collect();
        Self::from_parts(self.data.clone(), planner, plans, backends)
    }

    /// Marks a run finished (a caller's stop rule, such as a range test's divergence test).
    pub fn stop_run(&mut self, run: usize) {
        if self.status[run] == RunStatus::Training {
            self.status[run] = RunStatus::Finished;
        }
    }

    pub fn evaluate(&self, run: usize) -> Evaluation {
        let train = self.backends.evaluate_run(run, &self.data.train);
        let validation = if self.data.validation.is_empty() {
            PointEvaluation { loss: f32::NAN, accuracy: None }
        } else {
            self.backends.evaluate_run(run, &self.data.validation)
        };
        Evaluation {
            train_loss: train.loss,
            train_accuracy: train.accuracy,
            validation_loss: validation.loss,
            validation_accuracy: validation.accuracy,
        }
    }

    /// The data set an evaluation runs on (the validation set may be empty).
    pub fn eval_set(&self, set: EvalSet) -> &Dataset {
        set.of(&self.data)
    }

    /// Loss (and accuracy) of each of the k parameter vectors in `points` (k × P, flat), on a
    /// whole data set, without training (see `Backends::evaluate_points`).
    pub async fn evaluate_params(&mut self, points: &[f32], set: EvalSet) -> Vec<PointEvaluation> {
        self.backends.evaluate_points(points, set, set.of(&self.data)).await
    }

    /// Flat parameters in `nn.Sequential(...).parameters()` order.
    pub fn params(&self, run: usize) -> &[f32] {
        self.backends.mirror().params(run)
    }

    /// Replaces a run's parameters (same order as `params`), resets its optimizer state, and
    /// lets a diverged run train again.
    pub fn set_params(&mut self, run: usize, params: &[f32]) {
        self.backends.write_run(run, RunWrite::Params(params));
        self.counts[run].fill(0);
        if matches!(self.status[run], RunStatus::Diverged { .. }) {
            self.status[run] = RunStatus::Training;
        }
    }

    pub fn layer_stats(&self, run: usize) -> Vec<LayerStats> {
        let (layout, mirror) = (self.layout(), self.backends.mirror());
        let mlp = &layout.mlp;
        let (params, grads, before) = (mirror.params(run), mirror.grads(run), mirror.params_before_last_step(run));
        let mut last_step = vec![GroupStep { lr: 0.0, momentum: None, frozen: false }; layout.groups.len()];
        self.plans[run].groups_at(self.step.saturating_sub(1), &mut last_step);
        let norm = |v: &mut dyn Iterator<Item = f64>| v.map(|x| x * x).sum::<f64>().sqrt();
        (0..mlp.linear_count())
            .map(|l| {
                let weights = mlp.weight_offset(l)..mlp.bias_offset(l);
                let group = layout.group_of(l);
                let weight_norm = norm(&mut params[weights.clone()].iter().map(|&w| w as f64));
                let update = norm(
                    &mut params[weights.clone()]
                        .iter()
                        .zip(&before[weights.clone()])
                        .map(|(&a, &b)| a as f64 - b as f64),
                );
                LayerStats {
                    group,
                    lr: if last_step[group].frozen { 0.0 } else { last_step[group].lr },
                    weight_norm,
                    grad_norm: norm(&mut grads[weights].iter().map(|&g| g as f64)),
                    update_ratio: if weight_norm > 0.0 { update / weight_norm } else { 0.0 },
                }
            })
            .collect()
    }

    /// Outputs of run `run` on an n × n grid over [lo, hi]² (first two features), row-major
    /// from (lo, lo): for decision-boundary heatmaps of 2-D data. An output that is not a
    /// finite number (a diverged run, or a layer that overflows on huge inputs) reads NaN.
    pub fn predict_grid(&mut self, run: usize, n: usize, lo: f32, hi: f32) -> Vec<f32> {
        let features = self.mlp().inputs();
        let coords = grid_coords(n, lo, hi);
        let mut x = vec![0.0; n * n * features];
        for (i, row) in x.chunks_exact_mut(features).enumerate() {
            row[0] = coords[i % n];
            if features > 1 {
                row[1] = coords[i / n];
            }
        }
        finite_or_nan(self.backends.predict(run, &x))
    }

    /// Outputs [rows, out] of run `run` on every row of a set (NaN where not finite, as
    /// `predict_grid`): for views of data that a 2-D map cannot show.
    pub fn predict_set(&mut self, run: usize, set: EvalSet) -> Vec<f32> {
        finite_or_nan(self.backends.predict(run, &set.of(&self.data).x))
    }
}

/// Outputs with every non-finite value as NaN: one sign of a diverged run for the page.
fn finite_or_nan(mut values: Vec<f32>) -> Vec<f32> {
    for v in values.iter_mut().filter(|v| !v.is_finite()) {
        *v = f32::NAN;
    }
    values
}

/// `n` evenly spaced points from `lo` to `hi`; in f64 where the span overflows f32 (a square
/// from -f32::MAX to f32::MAX), so that every point is finite.
fn grid_coords(n: usize, lo: f32, hi: f32) -> Vec<f32> {
    let intervals = n.saturating_sub(1).max(1);
    let step = (hi - lo) / intervals as f32;
    if step.is_finite() {
        return (0..n).map(|i| lo + i as f32 * step).collect();
    }
    let step = (hi as f64 - lo as f64) / intervals as f64;
    (0..n).map(|i| (lo as f64 + i as f64 * step) as f32).collect()
}
