//! The backend contract: what a session asks of whatever trains its runs, as one type.
//!
//! [`Backends`] owns the CPU backend, which trains when there is no GPU and otherwise mirrors
//! the GPU's state at every block boundary (queries read it; training resumes from it if the
//! device is lost), the optional GPU trainer and evaluators, and the reason training left the
//! GPU. A session plans blocks and keeps its runs' phases and status; it never learns which
//! device carried a block out, except by name for its caller.

pub mod cpu;
pub mod gpu;

use crate::data::{Dataset, Split};
use crate::gpu::{Gpu, GpuError};

use super::optimizer::Optimizer;
use super::runs::{BlockPlan, Layout, TrainShape};
use cpu::CpuBackend;
use gpu::{GpuEvaluator, GpuTrainer, PointEval};

/// Which data set a forward-only evaluation runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalSet {
    Train = 0,
    Validation = 1,
}

impl EvalSet {
    pub fn of(self, data: &Split) -> &Dataset {
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

/// How [`Backends::write_run`] changes one run's state; the device gets what the mirror has then.
#[derive(Clone, Copy, Debug)]
pub enum RunWrite<'a> {
    /// The whole state, in `STATE_SECTIONS` sections (a snapshot's).
    State(&'a [f32]),
    /// New parameters (in `Mlp` order) with a fresh optimizer state.
    Params(&'a [f32]),
    /// A fresh optimizer state; the parameters stay.
    FreshOptimizer,
}

/// The CPU mirror, the optional GPU trainer and evaluators, and why training left the GPU.
pub struct Backends {
    mirror: CpuBackend,
    trainer: Option<GpuTrainer>,
    /// Per set (training, validation), made when first asked.
    evaluators: [Option<GpuEvaluator>; 2],
    fallback: Option<String>,
    /// Why the runs train where they do, for a person (see `engine::calibration`).
    reason: Option<String>,
}

/// `correct` predictions as a share of a set's `rows` (an empty set counts as one row).
fn accuracy(correct: Option<usize>, rows: usize) -> Option<f32> {
    correct.map(|c| c as f32 / rows.max(1) as f32)
}

/// The loss (and accuracy) of `params` on `set`, on the CPU.
fn evaluate_on_cpu(layout: &Layout, params: &[f32], set: &Dataset) -> PointEvaluation {
    let (loss, correct) = cpu::evaluate(&layout.mlp, params, set);
    PointEvaluation { loss, accuracy: accuracy(correct, set.len()) }
}

impl Backends {
    /// CPU-only runs starting from `initial` parameters (one vector per run).
    pub fn new(layout: Layout, optimizer: Optimizer, initial: Vec<Vec<f32>>, precompute: bool) -> Self {
        Self::on_cpu(CpuBackend::new(layout, optimizer, initial).with_precompute(precompute))
    }

    fn on_cpu(mirror: CpuBackend) -> Self {
        Self { mirror, trainer: None, evaluators: [None, None], fallback: None, reason: None }
    }

    /// Moves training onto `gpu`, starting from the mirror's state of every run.
    pub fn attach(&mut self, gpu: Gpu, train: &Dataset, shape: TrainShape) -> Result<(), GpuError> {
        let states: Vec<Vec<f32>> = (0..self.mirror.run_count()).map(|r| self.mirror.export_run(r)).collect();
        let layout = self.mirror.layout().clone();
        self.trainer = Some(GpuTrainer::new(gpu, layout, self.mirror.optimizer(), train, shape, &states)?);
        Ok(())
    }

    /// New runs from `initial` parameters, of the same network and optimizer, on the same device
    /// (on the CPU, saying why, when they do not fit it).
    pub fn fork(&self, initial: Vec<Vec<f32>>, train: &Dataset, shape: TrainShape) -> Self {
        let mut fork = Self::on_cpu(self.mirror.with_runs(initial));
        fork.reason = self.reason.clone();
        if let Some(trainer) = &self.trainer {
            if let Err(e) = fork.attach(trainer.gpu().clone(), train, shape) {
                fork.reason = Some(format!("CPU path: {e}"));
                fork.fallback = Some(e.to_string());
            }
        }
        fork
    }

    /// "webgpu" with the adapter's name, or "cpu".
    pub fn name(&self) -> (&'static str, Option<&str>) {
        match &self.trainer {
            Some(trainer) => ("webgpu", Some(trainer.adapter_name())),
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

    /// Why the runs train where they do, as a sentence for a person, once one was recorded.
    pub fn choice_reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    pub fn record_choice(&mut self, reason: String) {
        self.reason = Some(reason);
    }

    /// Destroys the device under the runs, as a driver reset would; the next block notices.
    pub fn lose_device(&self) {
        if let Some(trainer) = &self.trainer {
            trainer.destroy_device();
        }
    }

    /// Leaves the device for good, recording why.
    fn fall_back(&mut self, why: GpuError) {
        self.trainer = None;
        self.evaluators = [None, None];
        self.reason = Some(format!("Moved to the CPU path: {why}"));
        self.fallback = Some(why.to_string());
    }

    /// The runs' state as of the last block boundary (parameters, gradients, optimizer state).
    pub fn mirror(&self) -> &CpuBackend {
        &self.mirror
    }

    pub fn layout(&self) -> &Layout {
        self.mirror.layout()
    }

    /// Trains one block as `plan` says on `train` (or the plan's augmented rows); returns the
    /// losses `[step][run]`. If the device fails, the mirror still holds the block's start, so
    /// the CPU trains the same plan from there: no step or loss is lost.
    pub async fn train_block(&mut self, plan: &BlockPlan, train: &Dataset) -> Vec<f32> {
        let trained = match &self.trainer {
            Some(trainer) => Some(trainer.train_block(plan).await),
            None => None,
        };
        match trained {
            Some(Ok(block)) => {
                for (r, state) in block.states.iter().enumerate() {
                    self.mirror.import_run(r, state);
                }
                return block.losses;
            }
            Some(Err(e)) => self.fall_back(e),
            None => {}
        }
        self.mirror.train_block(plan, plan.augmented.as_ref().unwrap_or(train))
    }

    /// Changes one run's state as `write` says, on the device too: the one place the mirror's
    /// state goes up to the GPU.
    pub fn write_run(&mut self, run: usize, write: RunWrite) {
        match write {
            RunWrite::State(state) => self.mirror.import_run(run, state),
            RunWrite::Params(params) => self.mirror.set_params(run, params),
            RunWrite::FreshOptimizer => self.mirror.reset_optimizer(run),
        }
        if let Some(trainer) = &self.trainer {
            trainer.upload_run(run, &self.mirror.export_run(run));
        }
    }

    /// Network outputs [rows, out] of one run for inputs `x` [rows, in].
    pub fn predict(&mut self, run: usize, x: &[f32]) -> Vec<f32> {
        self.mirror.predict(run, x)
    }

    /// The loss (and accuracy) of run `run`'s parameters on a whole set.
    pub fn evaluate_run(&self, run: usize, set: &Dataset) -> PointEvaluation {
        evaluate_on_cpu(self.layout(), self.mirror.params(run), set)
    }

    /// Loss (and accuracy) of each of the k parameter vectors in `points` (k × P, flat) on
    /// `set` (which `which` names): on the GPU in one pass when the runs train there, else (or
    /// if the GPU cannot) on the CPU.
    pub async fn evaluate_points(&mut self, points: &[f32], which: EvalSet, set: &Dataset) -> Vec<PointEvaluation> {
        match self.evaluate_on_device(points, which, set).await {
            Some(Ok(evaluations)) => {
                let rows = set.len();
                let point = |e: PointEval| PointEvaluation {
                    loss: e.loss,
                    accuracy: accuracy(e.correct.map(|c| c as usize), rows),
                };
                return evaluations.into_iter().map(point).collect();
            }
            // Too large for this adapter's bindings: the CPU path has no such limit.
            Some(Err(GpuError::TooLarge(_) | GpuError::Invalid(_))) | None => {}
            Some(Err(e)) => self.fall_back(e),
        }
        let p = self.layout().mlp.param_count().max(1);
        points.chunks_exact(p).map(|params| evaluate_on_cpu(self.layout(), params, set)).collect()
    }

    /// The GPU's evaluations of `points`, with the set's evaluator made when first asked;
    /// `None` without a GPU.
    async fn evaluate_on_device(
        &mut self,
        points: &[f32],
        which: EvalSet,
        set: &Dataset,
    ) -> Option<Result<Vec<PointEval>, GpuError>> {
        let gpu = self.trainer.as_ref()?.gpu();
        let evaluator = match &mut self.evaluators[which as usize] {
            Some(evaluator) => evaluator,
            empty => match GpuEvaluator::new(gpu, &self.mirror.layout().mlp, set) {
                Ok(evaluator) => empty.insert(evaluator),
                Err(e) => return Some(Err(e)),
            },
        };
        Some(evaluator.evaluate(points).await)
    }
}

// pollster (a native dev-dependency) drives the async calls.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
