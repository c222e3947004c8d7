//! `backend: "auto"`: which path trains a session faster, found by timing both on a throwaway
//! session of the same shape (network, optimizer, batch, runs and their groups, a few batches of
//! its rows), so that the session itself, its state and its random streams are never touched.
//!
//! The caller brings the clock (milliseconds), so the decision is testable with made-up figures.

use std::sync::Arc;

use serde_json::json;

use crate::data::Split;
use crate::gpu::{Gpu, GpuError};
use crate::model::Mlp;
use crate::schedule::Schedule;

use super::optimizer::Optimizer;
use super::phases::{Phase, RunConfig};
use super::session::{Session, SessionConfig};

/// Run-steps per second (runs × steps / seconds) of each path on one shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rates {
    pub cpu: f64,
    pub gpu: f64,
}

/// WebGPU must beat the CPU path by this factor to be chosen: the CPU path answers without a
/// readback and cannot lose its device, so a near tie goes to it.
const GPU_MARGIN: f64 = 1.1;

/// A timed block stops doubling once it takes this long: long enough for a clock coarsened to
/// 0.1 ms (browsers do that) and for a GPU's per-block cost to show as it does in real use; one
/// more block of that size is timed, and the faster counts.
const BLOCK_MS: f64 = 8.0;
/// The largest timed block, in steps: enough for the CPU path's fastest case (one run of a small
/// network, about 10 µs a step) to reach `BLOCK_MS`.
const MAX_BLOCK_STEPS: u64 = 2048;
/// Past this much timing on one path, its last block's figure stands.
const PATH_BUDGET_MS: f64 = 50.0;
/// Batches of the session's rows the throwaway session trains on.
const CALIBRATION_BATCHES: usize = 4;

/// Whether WebGPU trains faster enough than the CPU path to be chosen.
pub fn prefers_gpu(rates: Rates) -> bool {
    rates.gpu > rates.cpu * GPU_MARGIN
}

/// The sentence that says why `rates` chose what they chose, with both figures.
pub fn reason(rates: Rates, adapter: &str) -> String {
    let (cpu, gpu) = (readable_rate(rates.cpu), readable_rate(rates.gpu));
    if prefers_gpu(rates) {
        format!("WebGPU ({adapter}): {gpu} run-steps/s measured against {cpu} on the CPU path")
    } else {
        format!("CPU path: {cpu} run-steps/s measured against {gpu} on WebGPU ({adapter})")
    }
}

/// A rate for reading: 950, 2.7k, 83k, 1.2M (two or three significant digits).
pub fn readable_rate(rate: f64) -> String {
    let (value, unit) = match rate {
        r if r >= 999_500.0 => (r / 1e6, "M"),
        r if r >= 999.5 => (r / 1e3, "k"),
        r => (r, ""),
    };
    let tenths = (value * 10.0).round() / 10.0;
    if tenths >= 10.0 || unit.is_empty() {
        format!("{value:.0}{unit}")
    } else {
        format!("{tenths:.1}{unit}")
    }
}

/// What the speed of a session's training depends on: two sessions of one shape share a
/// calibration.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    mlp: Mlp,
    adam: bool,
    batch: usize,
    runs: usize,
    groups: Vec<Vec<usize>>,
    /// Every run's first phase's frozen groups (a frozen body trains faster on the CPU path).
    frozen: Vec<Vec<bool>>,
    augmented: bool,
    precompute: bool,
}

impl Shape {
    pub fn of(config: &SessionConfig) -> Self {
        Self {
            mlp: config.mlp.clone(),
            adam: matches!(config.optimizer, Optimizer::Adam { .. }),
            batch: config.batch_size,
            runs: config.runs.len(),
            groups: config.groups.clone(),
            frozen: config.runs.iter().map(|r| r.phases.first().map_or_else(Vec::new, |p| p.frozen.clone())).collect(),
            augmented: config.augment.is_some(),
            precompute: config.precompute,
        }
    }
}

/// Calibrations already paid for, by shape (the most recent few).
#[derive(Default)]
pub struct Calibrations {
    known: Vec<(Shape, Rates)>,
}

/// Shapes remembered; a page uses a handful.
const REMEMBERED: usize = 32;

impl Calibrations {
    pub fn get(&self, shape: &Shape) -> Option<Rates> {
        self.known.iter().find(|(known, _)| known == shape).map(|(_, rates)| *rates)
    }

    pub fn insert(&mut self, shape: Shape, rates: Rates) {
        self.known.retain(|(known, _)| *known != shape);
        if self.known.len() == REMEMBERED {
            self.known.remove(0);
        }
        self.known.push((shape, rates));
    }
}

/// Times both paths on a throwaway session shaped as `config` (`now`: a clock in ms). An error
/// when the runs do not fit `gpu` or the device fails while timed.
pub async fn measure(config: &SessionConfig, gpu: &Gpu, now: &dyn Fn() -> f64) -> Result<Rates, GpuError> {
    let mut on_gpu = Session::new(throwaway(config)?);
    on_gpu.use_gpu(gpu.clone())?;
    let mut paths = [Timing::new(Session::new(throwaway(config)?)), Timing::new(on_gpu)];
    for path in &mut paths {
        // Untimed: the first block builds pipelines and buffers.
        path.session.step(1).await;
    }
    // Block by block, alternating the paths, so that both see the same machine.
    while paths.iter().any(|path| !path.blocks.done) {
        for path in paths.iter_mut().filter(|path| !path.blocks.done) {
            path.time_block(now).await;
        }
    }
    let [cpu, gpu_path] = paths;
    if let Some(why) = gpu_path.session.fallback_reason() {
        return Err(GpuError::Lost(why.to_string()));
    }
    Ok(Rates { cpu: cpu.blocks.rate(), gpu: gpu_path.blocks.rate() })
}

/// One path's session and its timed blocks.
struct Timing {
    session: Session,
    blocks: Blocks,
}

impl Timing {
    fn new(session: Session) -> Self {
        Self { session, blocks: Blocks::default() }
    }

    async fn time_block(&mut self, now: &dyn Fn() -> f64) {
        let start = now();
        self.session.step(self.blocks.steps).await;
        self.blocks.record(self.session.run_count(), now() - start);
    }
}

/// The blocks one path is timed in: doubling from one step until two blocks take `BLOCK_MS`
/// each, and the faster of those stands (on a shared machine a slower block was interrupted,
/// not slower). A shorter block only counts where no long one was timed: a coarse clock reads
/// it as far shorter or longer than it was.
struct Blocks {
    /// Steps in the next block.
    steps: u64,
    long_blocks: u32,
    spent_ms: f64,
    best_long_rate: f64,
    last_rate: f64,
    done: bool,
}

impl Default for Blocks {
    fn default() -> Self {
        Self { steps: 1, long_blocks: 0, spent_ms: 0.0, best_long_rate: 0.0, last_rate: 0.0, done: false }
    }
}

impl Blocks {
    /// Records that a block of `self.steps` steps of `runs` runs took `ms`, and sizes the next.
    fn record(&mut self, runs: usize, ms: f64) {
        self.spent_ms += ms;
        // A clock coarser than the block reads 0: count it as a tick.
        self.last_rate = (runs as u64 * self.steps) as f64 * 1000.0 / ms.max(0.01);
        let long = ms >= BLOCK_MS;
        if long {
            self.long_blocks += 1;
            self.best_long_rate = self.best_long_rate.max(self.last_rate);
        }
        self.done =
            self.long_blocks == 2 || (!long && self.steps == MAX_BLOCK_STEPS) || self.spent_ms >= PATH_BUDGET_MS;
        if !long {
            self.steps = (self.steps * 2).min(MAX_BLOCK_STEPS);
        }
    }

    /// Run-steps per second.
    fn rate(&self) -> f64 {
        if self.long_blocks > 0 {
            self.best_long_rate
        } else {
            self.last_rate
        }
    }
}

/// A session of `config`'s shape on its first `CALIBRATION_BATCHES` batches, each run at a small
/// constant rate (so none diverges and stops training) with its first phase's groups.
fn throwaway(config: &SessionConfig) -> Result<SessionConfig, GpuError> {
    let constant = Schedule::from_spec(&json!({"kind": "Constant", "lr": 1e-3}))
        .map_err(|e| GpuError::Invalid(e.into_parts().message))?;
    let constant = Arc::new(constant);
    let rows = (config.batch_size * CALIBRATION_BATCHES).min(config.data.train.len());
    let picked: Vec<u32> = (0..rows as u32).collect();
    let data = Split { train: config.data.train.select(&picked), validation: config.data.validation.select(&[]) };
    let groups = config.groups.len();
    let runs = config
        .runs
        .iter()
        .map(|run| {
            let first = run.phases.first();
            RunConfig {
                seed: run.seed,
                data_seed: run.data_seed,
                phases: vec![Phase {
                    steps: None,
                    schedule: constant.clone(),
                    group_lr_mult: vec![1.0; groups],
                    frozen: first.map_or_else(|| vec![false; groups], |p| p.frozen.clone()),
                    reset_optimizer: false,
                }],
                init_params: None,
                eval_every: run.eval_every,
            }
        })
        .collect();
    Ok(SessionConfig {
        mlp: config.mlp.clone(),
        optimizer: config.optimizer,
        data,
        batch_size: config.batch_size,
        shuffle: config.shuffle,
        shuffle_seed: config.shuffle_seed,
        groups: config.groups.clone(),
        runs,
        augment: config.augment,
        precompute: config.precompute,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADAPTER: &str = "software adapter";

    /// A path whose step takes `step_ms` timed through a clock that reads whole 0.1 ms: the
    /// rate found, and the milliseconds spent.
    fn timed_through_a_coarse_clock(runs: usize, step_ms: f64) -> (f64, f64) {
        let mut blocks = Blocks::default();
        let mut spent = 0.0;
        while !blocks.done {
            let ms = blocks.steps as f64 * step_ms;
            spent += ms;
            blocks.record(runs, (ms / 0.1).floor() * 0.1);
        }
        (blocks.rate(), spent)
    }

    #[test]
    fn a_fast_path_is_timed_in_blocks_long_enough_for_a_coarse_clock() {
        // One run at 80k steps/s: short blocks read 0 ms (a 4-step block as 400k run-steps/s).
        let (rate, spent) = timed_through_a_coarse_clock(1, 0.0125);
        assert!((rate / 80_000.0 - 1.0).abs() < 0.02, "{rate}");
        assert!(spent <= PATH_BUDGET_MS + 2.0 * BLOCK_MS, "{spent} ms");
        // 64 runs, 2 ms a step (a software WebGPU adapter): a few steps, and the rate.
        let (rate, spent) = timed_through_a_coarse_clock(64, 2.0);
        assert!((rate / 32_000.0 - 1.0).abs() < 0.02, "{rate}");
        assert!(spent <= 40.0, "{spent} ms");
    }

    /// A path slower than the whole budget is timed in one block, whose figure stands.
    #[test]
    fn one_block_past_the_budget_ends_the_timing_with_its_rate() {
        let mut blocks = Blocks::default();
        blocks.record(4, 60.0);
        assert!(blocks.done);
        assert_eq!(blocks.rate(), 4.0 * 1000.0 / 60.0);
    }

    #[test]
    fn the_faster_path_is_chosen_and_a_near_tie_goes_to_the_cpu() {
        assert!(!prefers_gpu(Rates { cpu: 83_000.0, gpu: 2_700.0 }));
        assert!(prefers_gpu(Rates { cpu: 30_000.0, gpu: 400_000.0 }));
        assert!(!prefers_gpu(Rates { cpu: 10_000.0, gpu: 10_500.0 }));
        assert!(prefers_gpu(Rates { cpu: 10_000.0, gpu: 11_500.0 }));
    }

    #[test]
    fn the_reason_names_the_choice_and_both_figures() {
        assert_eq!(
            reason(Rates { cpu: 83_000.0, gpu: 2_690.0 }, ADAPTER),
            "CPU path: 83k run-steps/s measured against 2.7k on WebGPU (software adapter)"
        );
        assert_eq!(
            reason(Rates { cpu: 950.0, gpu: 1_234_567.0 }, "NVIDIA H100"),
            "WebGPU (NVIDIA H100): 1.2M run-steps/s measured against 950 on the CPU path"
        );
    }

    #[test]
    fn rates_read_as_a_person_would_say_them() {
        let read: Vec<String> = [0.4, 950.0, 999.7, 2_690.0, 9_960.0, 83_000.0, 1_500_000.0].map(readable_rate).into();
        assert_eq!(read, ["0", "950", "1.0k", "2.7k", "10k", "83k", "1.5M"]);
    }
}
