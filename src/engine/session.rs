//! A training session: R runs of one network trained in lockstep on the same batches, each with
//! its own initial parameters (seed), schedule, group multipliers and frozen groups.

use std::ops::Range;

use crate::data::{self, Dataset, Split, Targets};
use crate::model::{Mlp, Target};

use crate::gpu::{Gpu, GpuError};

use super::cpu::{self, CpuBackend};
use super::gpu::{BlockPlan, GpuBackend, BLOCK_STEPS};
use super::optimizer::{Optimizer, StepHyper};
use super::phases::{GroupStep, RunConfig, RunPlan};
use super::runs::{Layout, StepInput};

pub struct SessionConfig {
    pub mlp: Mlp,
    pub optimizer: Optimizer,
    pub data: Split,
    pub batch_size: usize,
    pub shuffle: bool,
    /// Seeds the per-epoch shuffle, shared by all runs so they see the same batches.
    pub shuffle_seed: u64,
    pub groups: Vec<Vec<usize>>,
    pub runs: Vec<RunConfig>,
}

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    Training,
    /// Its loss became NaN or infinite at this step; it no longer trains.
    Diverged {
        step: u64,
    },
    /// Its schedule has no value for the next step (e.g. OneCycleLR past total_steps).
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

pub struct Session {
    layout: Layout,
    data: Split,
    batches: Batches,
    runs: Vec<RunPlan>,
    frozen: Vec<Vec<bool>>,
    groups_now: Vec<GroupStep>,
    status: Vec<RunStatus>,
    /// The next step to take.
    step: u64,
    optimizer: Optimizer,
    /// The CPU backend trains when there is no GPU, and otherwise mirrors the GPU's state at
    /// every block boundary: queries read it, and training resumes from it if the device is lost.
    backend: CpuBackend,
    gpu: Option<GpuBackend>,
    /// Why training moved from the GPU to the CPU, once it has.
    fallback: Option<String>,
    /// The current step's hyper-parameters, `[run * groups + group]`, and which runs train in it
    /// (buffers reused from step to step).
    hyper: Vec<StepHyper>,
    live: Vec<bool>,
}

/// The training batches: full batches only (DataLoader's drop_last=True), in order or in a seeded
/// shuffle per epoch, gathered into buffers that are reused from step to step.
struct Batches {
    size: usize,
    shuffle: bool,
    seed: u64,
    /// The row order of epoch `epoch` (all epochs share one order without shuffling): shuffled
    /// once per epoch rather than once per step.
    order: Vec<u32>,
    epoch: u64,
    /// The current batch: inputs row-major, and its labels or target values.
    x: Vec<f32>,
    labels: Vec<u32>,
    values: Vec<f32>,
}

impl Batches {
    fn new(size: usize, shuffle: bool, seed: u64) -> Self {
        Self { size, shuffle, seed, order: Vec::new(), epoch: 0, x: Vec::new(), labels: Vec::new(), values: Vec::new() }
    }

    /// Where step `t`'s batch lies in `order`, among `n` training rows (shuffling at a new epoch).
    fn seek(&mut self, n: usize, t: u64) -> Range<usize> {
        let batches_per_epoch = (n / self.size) as u64;
        let epoch = if self.shuffle { t / batches_per_epoch } else { 0 };
        if self.order.len() != n || self.epoch != epoch {
            self.order = if self.shuffle { data::epoch_order(n, epoch, self.seed) } else { (0..n as u32).collect() };
            self.epoch = epoch;
        }
        let start = (t % batches_per_epoch) as usize * self.size;
        start..start + self.size
    }

    /// The rows of step `t`'s batch among `n` training rows.
    fn rows(&mut self, n: usize, t: u64) -> &[u32] {
        let range = self.seek(n, t);
        &self.order[range]
    }

    /// Gathers step `t`'s batch from `train` into `x` and `labels` or `values`.
    fn gather(&mut self, train: &Dataset, t: u64) {
        let range = self.seek(train.len(), t);
        let rows = &self.order[range];
        self.x.clear();
        self.x.extend(rows.iter().flat_map(|&i| train.row(i as usize)));
        match &train.targets {
            Targets::Classes { labels, .. } => {
                self.labels.clear();
                self.labels.extend(rows.iter().map(|&i| labels[i as usize]));
            }
            Targets::Values { values, outputs } => {
                self.values.clear();
                self.values
                    .extend(rows.iter().flat_map(|&i| &values[i as usize * outputs..(i as usize + 1) * outputs]));
            }
        }
    }

    /// The gathered batch's targets, of the same kind as `train`'s.
    fn target(&self, train: &Dataset) -> Target<'_> {
        match train.targets {
            Targets::Classes { .. } => Target::Classes(&self.labels),
            Targets::Values { .. } => Target::Values(&self.values),
        }
    }
}

impl Session {
    /// Assumes a validated config (see `options`): sizes agree and batch_size <= training rows.
    pub fn new(config: SessionConfig) -> Self {
        let layout = Layout::new(config.mlp, &config.groups);
        let initial = config.runs.iter().map(|r| layout.mlp.init(&mut data::seeded(r.seed))).collect();
        let frozen = config.runs.iter().map(|r| r.phases[0].frozen.clone()).collect();
        let status = vec![RunStatus::Training; config.runs.len()];
        let backend = CpuBackend::new(layout.clone(), config.optimizer, initial);
        Self {
            layout,
            data: config.data,
            batches: Batches::new(config.batch_size, config.shuffle, config.shuffle_seed),
            runs: config.runs.into_iter().map(|r| RunPlan::new(r.phases)).collect(),
            frozen,
            groups_now: Vec::new(),
            status,
            step: 0,
            optimizer: config.optimizer,
            backend,
            gpu: None,
            fallback: None,
            hyper: Vec::new(),
            live: Vec::new(),
        }
    }

    /// Moves training onto `gpu`, starting from the current state of every run.
    pub fn use_gpu(&mut self, gpu: Gpu) -> Result<(), GpuError> {
        let states: Vec<Vec<f32>> = (0..self.runs.len()).map(|r| self.backend.export_run(r)).collect();
        let backend = GpuBackend::new(
            gpu,
            self.layout.clone(),
            self.optimizer,
            &self.data.train,
            self.batches.size,
            &states,
            &self.frozen,
        )?;
        self.gpu = Some(backend);
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
        self.runs.len()
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

    /// Trains `n` steps; returns the losses `[step][run]` (NaN for runs that did not train).
    /// On the GPU, blocks of steps go in one submission each; if the device fails, the block is
    /// redone on the CPU from the last block boundary, so no step or loss is lost.
    pub async fn step(&mut self, n: u64) -> Vec<f32> {
        let mut losses = Vec::with_capacity(n as usize * self.runs.len());
        let end = self.step + n;
        while self.step < end {
            if self.gpu.is_some() {
                let steps = (end - self.step).min(BLOCK_STEPS as u64);
                match self.step_gpu_block(steps).await {
                    Ok(block) => losses.extend(block),
                    Err(e) => {
                        self.gpu = None;
                        self.fallback = Some(e.to_string());
                    }
                }
            } else {
                self.step_cpu(&mut losses);
            }
        }
        losses
    }

    /// Fills `hyper` and `live` for step `t`: each training run's group rates and momentum, and
    /// whether it trains. Runs whose schedule has no value at `t` are marked finished.
    fn prepare_step(&mut self, t: u64) {
        let (runs, groups) = (self.runs.len(), self.layout.groups.len());
        self.hyper.resize(runs * groups, StepHyper { lr: 0.0, momentum: None });
        self.live.resize(runs, false);
        self.groups_now.resize(groups, GroupStep { lr: 0.0, momentum: None, frozen: false });
        for (r, run) in self.runs.iter().enumerate() {
            if self.status[r] == RunStatus::Training {
                if run.groups_at(t, &mut self.groups_now) {
                    for (g, group) in self.groups_now.iter().enumerate() {
                        self.hyper[r * groups + g] = StepHyper { lr: group.lr, momentum: group.momentum };
                        self.frozen[r][g] = group.frozen;
                    }
                } else {
                    self.status[r] = RunStatus::Finished;
                }
            }
            self.live[r] = self.status[r] == RunStatus::Training;
        }
    }

    /// One step of every live run on the CPU; appends each run's loss (NaN if it did not train).
    fn step_cpu(&mut self, losses: &mut Vec<f32>) {
        let t = self.step;
        self.prepare_step(t);
        self.batches.gather(&self.data.train, t);
        let start = losses.len();
        losses.resize(start + self.runs.len(), f32::NAN);
        let step_losses = &mut losses[start..];
        let input = StepInput {
            x: &self.batches.x,
            target: self.batches.target(&self.data.train),
            hyper: &self.hyper,
            frozen: &self.frozen,
            live: &self.live,
        };
        self.backend.step(&input, step_losses);
        for (status, loss) in self.status.iter_mut().zip(step_losses.iter()) {
            if *status == RunStatus::Training && !loss.is_finite() {
                *status = RunStatus::Diverged { step: t };
            }
        }
        self.step += 1;
    }

    async fn step_gpu_block(&mut self, steps: u64) -> Result<Vec<f32>, GpuError> {
        let (runs, groups) = (self.runs.len(), self.layout.groups.len());
        let live: Vec<bool> = self.status.iter().map(|s| *s == RunStatus::Training).collect();
        let status_before = self.status.clone();
        // Step counts advance on a copy: the mirror only takes them if the GPU block succeeds.
        let mut counts = self.backend.step_counts();
        let mut rows = Vec::with_capacity(steps as usize * self.batches.size);
        let mut updates = Vec::with_capacity(steps as usize * runs * groups);
        let mut trained = vec![true; steps as usize * runs];
        for s in 0..steps {
            self.prepare_step(self.step + s);
            rows.extend_from_slice(self.batches.rows(self.data.train.len(), self.step + s));
            for r in 0..runs {
                trained[s as usize * runs + r] = self.live[r];
                for (g, count) in counts[r].iter_mut().enumerate() {
                    let trains = self.live[r] && !self.frozen[r][g];
                    updates.push(trains.then(|| self.optimizer.coefficients(self.hyper[r * groups + g], count)));
                }
            }
        }
        let Some(gpu) = &self.gpu else { return Err(GpuError::Lost("no GPU backend".into())) };
        let block = match gpu.train_block(&BlockPlan { rows, updates, live: live.clone() }).await {
            Ok(block) => block,
            Err(e) => {
                self.status = status_before;
                return Err(e);
            }
        };
        self.backend.set_step_counts(&counts);
        let mut losses = block.losses;
        for r in (0..runs).filter(|&r| live[r]) {
            self.backend.import_run(r, &block.states[r]);
            if !block.alive[r] {
                let first_bad = (0..steps as usize).find(|&s| !losses[s * runs + r].is_finite()).unwrap_or(0);
                self.status[r] = RunStatus::Diverged { step: self.step + first_bad as u64 };
            }
        }
        for (loss, trained) in losses.iter_mut().zip(&trained) {
            if !trained {
                *loss = f32::NAN;
            }
        }
        self.step += steps;
        Ok(losses)
    }

    pub fn evaluate(&self, run: usize) -> Evaluation {
        let params = self.backend.params(run);
        let on = |set: &Dataset| {
            let (loss, correct) = cpu::evaluate(&self.layout.mlp, params, &set.x, target(set));
            (loss, correct.map(|c| c as f32 / set.len().max(1) as f32))
        };
        let (train_loss, train_accuracy) = on(&self.data.train);
        let (validation_loss, validation_accuracy) =
            if self.data.validation.is_empty() { (f32::NAN, None) } else { on(&self.data.validation) };
        Evaluation { train_loss, train_accuracy, validation_loss, validation_accuracy }
    }

    /// Flat parameters in `nn.Sequential(...).parameters()` order.
    pub fn params(&self, run: usize) -> &[f32] {
        self.backend.params(run)
    }

    /// Replaces a run's parameters (same order as `params`), resets its optimizer state, and
    /// lets a diverged run train again.
    pub fn set_params(&mut self, run: usize, params: &[f32]) {
        self.backend.set_params(run, params);
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
        self.runs[run].groups_at(self.step.saturating_sub(1), &mut last_step);
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

fn target(set: &Dataset) -> Target<'_> {
    match &set.targets {
        Targets::Classes { labels, .. } => Target::Classes(labels),
        Targets::Values { values, .. } => Target::Values(values),
    }
}
