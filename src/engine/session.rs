//! A training session: R runs of one network trained in lockstep, each with its own initial
//! parameters (seed), batch order (shared unless asked), and phases of schedule, group
//! multipliers and frozen groups. The session plans every block of steps once (`BlockPlan`)
//! and hands it to whichever backend trains; divergence and "who trains" are decided here only.

use crate::data::{Augment, Dataset, Split};
use crate::gpu::{Gpu, GpuError};
use crate::model::Mlp;
use crate::rng::seeded;

use super::batches::{epoch_of, BatchOrders};
use super::cpu::{self, CpuBackend};
use super::gpu::{GpuBackend, BLOCK_STEPS};
use super::gpu_eval::GpuEvaluator;
use super::optimizer::{Optimizer, StepHyper};
use super::phases::{GroupStep, RunConfig, RunPlan, RunUpdate};
use super::runs::{BlockPlan, Layout};

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
    pub lr: f64,
    pub weight_norm: f32,
    pub grad_norm: f32,
    /// ‖last update‖ / ‖weights‖ (Karpathy's rule of thumb: around 1e-3 is healthy).
    pub update_ratio: f32,
}

/// Which data set a forward-only evaluation runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalSet {
    Train = 0,
    Validation = 1,
}

impl EvalSet {
    fn of(self, data: &Split) -> &Dataset {
        match self {
            EvalSet::Train => &data.train,
            EvalSet::Validation => &data.validation,
        }
    }
}

/// The loss of one parameter point, and its accuracy for classification.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointEvaluation {
    pub loss: f32,
    pub accuracy: Option<f32>,
}

/// Bounds for callers that take sizes from users. `evaluate_params`: at most this many values in
/// `points` (64 MB of f32).
pub const MAX_EVAL_VALUES: usize = 1 << 24;
/// The most multiply-adds one call may cause, so that every call finishes in seconds on the CPU
/// path too (wasm measured 0.25 G multiply-adds/s on a busy machine): a `step(n)`, an
/// `evaluate()`, a `predictGrid`, an `evaluateParams` (points × rows × parameters), a range test,
/// a verification, a landscape, a plateau race.
pub const MAX_CALL_WORK: f64 = (1u64 << 31) as f64;
/// A training step's multiply-adds per parameter per row: the forward pass and twice that back.
pub const TRAIN_WORK_PER_PARAM: f64 = 3.0;

/// Everything that `restore` puts back: every run's parameters, optimizer state and step
/// counts, status and phases, and the session's step. Opaque to callers.
#[derive(Clone)]
pub struct Snapshot {
    step: u64,
    status: Vec<RunStatus>,
    plans: Vec<RunPlan>,
    counts: Vec<Vec<u64>>,
    /// Per run, as `CpuBackend::export_run` lays it out.
    states: Vec<Vec<f32>>,
}

/// Why a snapshot does not fit a session.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotMismatch(pub String);

pub struct Session {
    layout: Layout,
    data: Split,
    optimizer: Optimizer,
    batch_size: usize,
    orders: BatchOrders,
    augment: Option<Augment>,
    plans: Vec<RunPlan>,
    status: Vec<RunStatus>,
    /// Per run and group, the optimizer steps taken (Adam's bias correction; SGD's first step).
    counts: Vec<Vec<u64>>,
    /// The next step to take.
    step: u64,
    /// The CPU backend trains when there is no GPU, and otherwise mirrors the GPU's state at
    /// every block boundary: queries read it, and training resumes from it if the device is lost.
    backend: CpuBackend,
    gpu: Option<GpuBackend>,
    /// Forward-only evaluation on the GPU, per set (training, validation), made when first asked.
    evaluators: [Option<GpuEvaluator>; 2],
    /// Why training moved from the GPU to the CPU, once it has.
    fallback: Option<String>,
}

/// `correct` predictions as a share of a set's `rows` (an empty set counts as one row).
fn accuracy(correct: Option<usize>, rows: usize) -> Option<f32> {
    correct.map(|c| c as f32 / rows.max(1) as f32)
}

/// A block plan and what it changes in the session once a backend has carried it out.
struct PlannedBlock {
    plan: BlockPlan,
    /// The step counts after the block.
    counts: Vec<Vec<u64>>,
    /// Per run, the step at which its phases ran out within the block.
    finished_at: Vec<Option<u64>>,
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
        let runs = config.runs.len();
        Self {
            backend: CpuBackend::new(layout.clone(), config.optimizer, initial).with_precompute(config.precompute),
            counts: vec![vec![0; layout.groups.len()]; runs],
            layout,
            data: config.data,
            optimizer: config.optimizer,
            batch_size: config.batch_size,
            orders: BatchOrders::new(config.shuffle, config.shuffle_seed, &data_seeds),
            augment: config.augment,
            plans: config.runs.into_iter().map(|r| RunPlan::new(r.phases)).collect(),
            status: vec![RunStatus::Training; runs],
            step: 0,
            gpu: None,
            evaluators: [None, None],
            fallback: None,
        }
    }

    /// Moves training onto `gpu`, starting from the current state of every run.
    pub fn use_gpu(&mut self, gpu: Gpu) -> Result<(), GpuError> {
        let states: Vec<Vec<f32>> = (0..self.plans.len()).map(|r| self.backend.export_run(r)).collect();
        let shape = super::gpu::TrainShape {
            batch: self.batch_size,
            row_sets: self.orders.row_sets(),
            augmented: self.augment.is_some(),
        };
        self.gpu = Some(GpuBackend::new(gpu, self.layout.clone(), self.optimizer, &self.data.train, shape, &states)?);
        Ok(())
    }

    /// "webgpu" with the adapter's name, or "cpu".
    pub fn backend_name(&self) -> (&'static str, Option<&str>) {
        match &self.gpu {
            Some(gpu) => ("webgpu", Some(gpu.adapter_name())),
            None => ("cpu", None),
        }
    }

    /// Why training left the GPU, if it did (e.g. the device was lost), or never went there.
    pub fn fallback_reason(&self) -> Option<&str> {
        self.fallback.as_deref()
    }

    pub fn record_fallback(&mut self, reason: String) {
        self.fallback = Some(reason);
    }

    /// A square around the first two input features of the training set, with a margin: the
    /// region a decision-boundary heatmap covers.
    pub fn input_extent(&self) -> (f32, f32) {
        let train = &self.data.train;
        let features = train.features.min(2);
        let (lo, hi) = train
            .x
            .chunks_exact(train.features)
            .flat_map(|row| row[..features].iter().copied())
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let margin = 0.1 * (hi - lo).max(1e-3);
        if lo.is_finite() && hi.is_finite() {
            (lo - margin, hi + margin)
        } else {
            (-1.0, 1.0)
        }
    }

    /// Destroys the GPU device under the session, as a driver reset would; the next step notices.
    pub fn lose_gpu_device(&self) {
        if let Some(gpu) = &self.gpu {
            gpu.destroy_device();
        }
    }

    pub fn mlp(&self) -> &Mlp {
        &self.layout.mlp
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

    pub fn group_count(&self) -> usize {
        self.layout.groups.len()
    }

    /// The phase run `run`'s next step belongs to (`None` once its phases are over).
    pub fn phase(&self, run: usize) -> Option<usize> {
        self.plans[run].phase_index(self.step)
    }

    /// Trains `n` steps; returns the losses `[step][run]` (NaN for runs that did not train).
    /// On the GPU, blocks of steps go in one submission each; if the device fails, the block is
    /// redone on the CPU from the last block boundary, so no step or loss is lost.
    pub async fn step(&mut self, n: u64) -> Vec<f32> {
        let mut losses = Vec::with_capacity(n as usize * self.plans.len());
        let end = self.step + n;
        while self.step < end {
            self.reset_optimizers_of_starting_phases();
            let planned = self.plan_block(self.block_steps(end));
            let block = match &self.gpu {
                Some(gpu) => match gpu.train_block(&planned.plan).await {
                    Ok(result) => {
                        for (r, state) in result.states.iter().enumerate() {
                            self.backend.import_run(r, state);
                        }
                        result.losses
                    }
                    Err(e) => {
                        // The mirror still holds the block's start: plan it again for the CPU.
                        self.gpu = None;
                        self.fallback = Some(e.to_string());
                        continue;
                    }
                },
                None => {
                    self.backend.train_block(&planned.plan, planned.plan.augmented.as_ref().unwrap_or(&self.data.train))
                }
            };
            losses.extend(self.finish_block(planned, block));
        }
        losses
    }

    /// Gives every training run whose next phase starts now with `reset_optimizer` a fresh
    /// optimizer state, on the GPU too: blocks end where such a phase starts (`block_steps`),
    /// so this happens only at a block's start, where the CPU mirror holds the state.
    fn reset_optimizers_of_starting_phases(&mut self) {
        for r in 0..self.plans.len() {
            if self.status[r] == RunStatus::Training && self.plans[r].resets_at(self.step) {
                self.backend.reset_optimizer(r);
                self.counts[r].fill(0);
                if let Some(gpu) = &self.gpu {
                    gpu.upload_run(r, &self.backend.export_run(r));
                }
            }
        }
    }

    /// The next block's length on the way to step `end`: at most `BLOCK_STEPS`, and ending
    /// where a phase that resets its run's optimizer state starts.
    fn block_steps(&self, end: u64) -> usize {
        let resets = self.plans.iter().filter_map(|plan| plan.next_reset_after(self.step));
        resets.fold((end - self.step).min(BLOCK_STEPS as u64), |steps, t| steps.min(t - self.step)) as usize
    }

    /// Plans the next `steps` steps: every run's batch rows, and for each group that trains its
    /// update scalars, with step counts advanced on a copy the session takes once the block is done.
    fn plan_block(&mut self, steps: usize) -> PlannedBlock {
        let (runs, groups) = (self.plans.len(), self.layout.groups.len());
        let (n, batch) = (self.data.train.len(), self.batch_size);
        let mut counts = self.counts.clone();
        let mut live: Vec<bool> = self.status.iter().map(|s| *s == RunStatus::Training).collect();
        let mut finished_at = vec![None; runs];
        let mut plan = BlockPlan {
            steps,
            batch,
            row_sets: self.orders.row_sets(),
            rows: Vec::with_capacity(steps * self.orders.row_sets() * batch),
            takes_step: Vec::with_capacity(steps * runs),
            updates: Vec::with_capacity(steps * runs * groups),
            lowest_layer: self.layout.mlp.linear_count(),
            augmented: None,
        };
        let mut now = vec![GroupStep { lr: 0.0, momentum: None, frozen: true }; groups];
        for s in 0..steps {
            let t = self.step + s as u64;
            self.orders.append_rows(n, batch, t, &mut plan.rows);
            for r in 0..runs {
                if live[r] && !self.plans[r].groups_at(t, &mut now) {
                    live[r] = false;
                    finished_at[r] = Some(t);
                }
                plan.takes_step.push(live[r]);
                for (g, group) in now.iter().enumerate() {
                    let trains = live[r] && !group.frozen;
                    if trains {
                        plan.lowest_layer = plan.lowest_layer.min(self.layout.groups[g].linears.start);
                    }
                    let hyper = StepHyper { lr: group.lr, momentum: group.momentum };
                    plan.updates.push(trains.then(|| self.optimizer.coefficients(hyper, &mut counts[r][g])));
                }
            }
        }
        if let Some(augment) = &self.augment {
            plan.augmented = Some(self.augmented_rows(augment, &mut plan));
        }
        PlannedBlock { plan, counts, finished_at }
    }

    /// The block's batch rows transformed as their epochs draw them, one row per entry of
    /// `plan.rows`, which become indices into them: both backends read the same prepared rows.
    fn augmented_rows(&self, augment: &Augment, plan: &mut BlockPlan) -> Dataset {
        let train = &self.data.train;
        let mut rows = train.select(&plan.rows);
        let per_step = plan.row_sets * plan.batch;
        let features = train.features;
        for (k, (&index, out)) in plan.rows.iter().zip(rows.x.chunks_exact_mut(features)).enumerate() {
            let epoch = epoch_of(train.len(), plan.batch, self.step + (k / per_step) as u64);
            augment.transform(train.row(index as usize), index, epoch, out);
        }
        plan.rows = (0..plan.rows.len() as u32).collect();
        rows
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
        let groups = self.layout.groups.len();
        self.plans[run]
            .groups_setup(self.step)
            .map_or_else(|| (vec![1.0; groups], vec![false; groups]), |(m, f)| (m.to_vec(), f.to_vec()))
    }

    /// A new session of `phases.len()` runs, each starting from run `run`'s current parameters
    /// (fresh optimizer state, step 0, run `run`'s batch order from its first batch) with its
    /// own phases: short trainings at several rates in one runs-dimension pass. It trains on
    /// the GPU when this session does (and the runs fit), else on the CPU.
    pub fn fork(&self, run: usize, phases: Vec<Vec<super::Phase>>) -> Session {
        let runs = phases.len();
        let initial = vec![self.backend.params(run).to_vec(); runs];
        let mut fork = Self {
            backend: CpuBackend::new(self.layout.clone(), self.optimizer, initial)
                .with_precompute(self.backend.precomputes()),
            counts: vec![vec![0; self.layout.groups.len()]; runs],
            layout: self.layout.clone(),
            data: self.data.clone(),
            optimizer: self.optimizer,
            batch_size: self.batch_size,
            orders: self.orders.fork(run, runs),
            augment: self.augment,
            plans: phases.into_iter().map(RunPlan::new).collect(),
            status: vec![RunStatus::Training; runs],
            step: 0,
            gpu: None,
            evaluators: [None, None],
            fallback: None,
        };
        if let Some(gpu) = self.gpu.as_ref().map(|g| g.gpu().clone()) {
            if let Err(e) = fork.use_gpu(gpu) {
                fork.fallback = Some(e.to_string());
            }
        }
        fork
    }

    /// Marks a run finished (a caller's stop rule, such as a range test's divergence test).
    pub fn stop_run(&mut self, run: usize) {
        if self.status[run] == RunStatus::Training {
            self.status[run] = RunStatus::Finished;
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            step: self.step,
            status: self.status.clone(),
            plans: self.plans.clone(),
            counts: self.counts.clone(),
            states: (0..self.plans.len()).map(|r| self.backend.export_run(r)).collect(),
        }
    }

    /// Puts every run back exactly as `snapshot` found it (on the GPU too).
    pub fn restore(&mut self, snapshot: &Snapshot) -> Result<(), SnapshotMismatch> {
        let state_len = self.backend.export_run(0).len();
        if snapshot.states.len() != self.plans.len() || snapshot.states.iter().any(|s| s.len() != state_len) {
            let params = |state_len: usize| state_len / cpu::STATE_SECTIONS;
            let theirs = snapshot.states.first().map_or(0, |s| params(s.len()));
            return Err(SnapshotMismatch(format!(
                "was taken of another session ({} runs of {theirs} parameters; this one has {} runs of {})",
                snapshot.states.len(),
                self.plans.len(),
                params(state_len)
            )));
        }
        for (r, state) in snapshot.states.iter().enumerate() {
            self.backend.import_run(r, state);
            if let Some(gpu) = &self.gpu {
                gpu.upload_run(r, state);
            }
        }
        self.step = snapshot.step;
        self.status = snapshot.status.clone();
        self.plans = snapshot.plans.clone();
        self.counts = snapshot.counts.clone();
        Ok(())
    }

    pub fn evaluate(&self, run: usize) -> Evaluation {
        let params = self.backend.params(run);
        let on = |set: &Dataset| {
            let (loss, correct) = cpu::evaluate(&self.layout.mlp, params, set);
            (loss, accuracy(correct, set.len()))
        };
        let (train_loss, train_accuracy) = on(&self.data.train);
        let (validation_loss, validation_accuracy) =
            if self.data.validation.is_empty() { (f32::NAN, None) } else { on(&self.data.validation) };
        Evaluation { train_loss, train_accuracy, validation_loss, validation_accuracy }
    }

    /// The data set an evaluation runs on (the validation set may be empty).
    pub fn eval_set(&self, set: EvalSet) -> &Dataset {
        set.of(&self.data)
    }

    /// Loss (and accuracy) of each of the k parameter vectors in `points` (k × P, flat), on a
    /// whole data set, without training: on the GPU in one pass when the session trains there,
    /// else (or if the GPU cannot) on the CPU, in chunks of rows.
    pub async fn evaluate_params(&mut self, points: &[f32], set: EvalSet) -> Vec<PointEvaluation> {
        if let Some(gpu) = self.gpu.as_ref().map(|g| g.gpu().clone()) {
            match self.evaluate_on_gpu(&gpu, points, set).await {
                Ok(evaluations) => return evaluations,
                // Too large for this adapter's bindings: the CPU path has no such limit.
                Err(GpuError::TooLarge(_) | GpuError::Invalid(_)) => {}
                Err(e) => {
                    self.gpu = None;
                    self.evaluators = [None, None];
                    self.fallback = Some(e.to_string());
                }
            }
        }
        let set = self.eval_set(set);
        let p = self.layout.mlp.param_count().max(1);
        points
            .chunks_exact(p)
            .map(|params| {
                let (loss, correct) = cpu::evaluate(&self.layout.mlp, params, set);
                PointEvaluation { loss, accuracy: accuracy(correct, set.len()) }
            })
            .collect()
    }

    async fn evaluate_on_gpu(
        &mut self,
        gpu: &Gpu,
        points: &[f32],
        set: EvalSet,
    ) -> Result<Vec<PointEvaluation>, GpuError> {
        // Field by field, so the evaluator slot can be borrowed beside the data.
        let data = set.of(&self.data);
        let rows = data.len();
        let evaluator = match &mut self.evaluators[set as usize] {
            Some(evaluator) => evaluator,
            empty => empty.insert(GpuEvaluator::new(gpu, &self.layout.mlp, data)?),
        };
        let evaluations = evaluator.evaluate(points).await?;
        Ok(evaluations
            .into_iter()
            .map(|e| PointEvaluation { loss: e.loss, accuracy: accuracy(e.correct.map(|c| c as usize), rows) })
            .collect())
    }

    /// Flat parameters in `nn.Sequential(...).parameters()` order.
    pub fn params(&self, run: usize) -> &[f32] {
        self.backend.params(run)
    }

    /// Replaces a run's parameters (same order as `params`), resets its optimizer state, and
    /// lets a diverged run train again.
    pub fn set_params(&mut self, run: usize, params: &[f32]) {
        self.backend.set_params(run, params);
        self.counts[run].fill(0);
        if let Some(gpu) = &self.gpu {
            gpu.upload_run(run, &self.backend.export_run(run));
        }
        if matches!(self.status[run], RunStatus::Diverged { .. }) {
            self.status[run] = RunStatus::Training;
        }
    }

    pub fn layer_stats(&self, run: usize) -> Vec<LayerStats> {
        let mlp = &self.layout.mlp;
        let (params, grads, before) =
            (self.backend.params(run), self.backend.grads(run), self.backend.params_before_last_step(run));
        let mut last_step = vec![GroupStep { lr: f64::NAN, momentum: None, frozen: false }; self.layout.groups.len()];
        self.plans[run].groups_at(self.step.saturating_sub(1), &mut last_step);
        let norm = |v: &mut dyn Iterator<Item = f32>| v.map(|x| x * x).sum::<f32>().sqrt();
        (0..mlp.linear_count())
            .map(|l| {
                let weights = mlp.weight_offset(l)..mlp.bias_offset(l);
                let group = self.layout.group_of(l);
                let weight_norm = norm(&mut params[weights.clone()].iter().copied());
                let update =
                    norm(&mut params[weights.clone()].iter().zip(&before[weights.clone()]).map(|(a, b)| a - b));
                LayerStats {
                    group,
                    lr: if last_step[group].frozen { 0.0 } else { last_step[group].lr },
                    weight_norm,
                    grad_norm: norm(&mut grads[weights].iter().copied()),
                    update_ratio: if weight_norm > 0.0 { update / weight_norm } else { 0.0 },
                }
            })
            .collect()
    }

    /// Outputs of run `run` on an n × n grid over [lo, hi]² (first two features), row-major
    /// from (lo, lo): for decision-boundary heatmaps of 2-D data.
    pub fn predict_grid(&mut self, run: usize, n: usize, lo: f32, hi: f32) -> Vec<f32> {
        let features = self.layout.mlp.inputs();
        let step = if n > 1 { (hi - lo) / (n - 1) as f32 } else { 0.0 };
        let mut x = vec![0.0; n * n * features];
        for (i, row) in x.chunks_exact_mut(features).enumerate() {
            row[0] = lo + (i % n) as f32 * step;
            if features > 1 {
                row[1] = lo + (i / n) as f32 * step;
            }
        }
        self.backend.predict(run, &x)
    }
}
