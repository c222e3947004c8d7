//! The GPU trainer: `train.wgsl` trains all runs for a block of steps in one command
//! submission, then one asynchronous readback brings the losses and the runs' state home.
//! A step is the layered kernels' ten or so dispatches, which spread a layer's tiles of cells over
//! many invocations (the default), or the fused kernel (`fused.wgsl`, one invocation per run
//! walking every tile of as many steps as fit one dispatch), for networks whose step fits it
//! ([`fused_fits`]). The fused kernel is opt-in ([`GpuTrainer::set_path`]): on lavapipe it trains
//! the reference network in 3 dispatches a block instead of 320, and its speed against the
//! layered kernels follows the CPU under lavapipe (`cargo bench --bench gpu_paths`): no faster at
//! 64 runs and slower at 1 on an earlier machine, 1.26-1.30x at 64 and even at 1 on an Intel Xeon
//! with AVX-512. On a real GPU, one invocation per run would leave most of it idle, and no real
//! GPU has measured it yet.
//! The CPU backend (`backend/cpu.rs`) is its reference; `Backends` keeps a CPU mirror of the
//! state at every block boundary, which is also where training resumes if the device is lost.

mod buffers;
mod pipelines;
mod uniforms;

use crate::data::Dataset;
use crate::engine::optimizer::Optimizer;
use crate::engine::runs::{BlockPlan, Layout, TrainShape, STATE_SECTIONS};
use crate::gpu::{Gpu, GpuError};
use crate::limits::BLOCK_STEPS;

use super::program::{target_floats, UNIFORM_STRIDE, WORKGROUP};
use buffers::TrainBuffers;
use pipelines::Kernels;
use uniforms::{FusedBlock, HyperRecord};

/// Loop turns one invocation may take on lavapipe: past them Mesa ends every loop of the shader
/// early, silently (`LP_MAX_TGSI_LOOP_ITERATIONS`, shared between every loop of an invocation).
/// The fused kernel walks whole steps in one invocation, so at least one step must fit.
const FUSED_LOOP_TURNS: usize = 65_535;

/// Cells per side of the tile an invocation of the matrix kernels computes (train.wgsl's `TILE`):
/// on lavapipe, 4 x 4 tiles train the reference network faster than a cell per invocation
/// (`cargo bench --bench gpu_paths`, builds alternated): 2.6-3.1x at R = 64 and 1.2-1.3x at
/// R = 1 on one machine, 2.3-2.7x and 1.4-1.5x on an Intel Xeon with AVX-512.
const TILE: usize = 4;

fn tiles(count: usize) -> usize {
    count.div_ceil(TILE)
}

/// Runs per workgroup of the fused kernel (its WGSL `RUNS_PER_WORKGROUP`): consecutive runs share
/// a SIMD group where the adapter runs shaders on the CPU, and several workgroups keep its threads busy.
const RUNS_PER_WORKGROUP: u32 = 8;

/// How a step is dispatched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainPath {
    /// As many steps per dispatch as fit lavapipe's loop limit: an invocation per run does every
    /// tile of their phases in turn.
    Fused,
    /// About ten dispatches per step: forward per layer, loss, backward per layer, update.
    Layered,
}

/// Whether one run's step of `layout` at `batch` fits one dispatch of the fused kernel (see
/// [`fused_steps_per_dispatch`]).
pub fn fused_fits(layout: &Layout, batch: usize) -> bool {
    fused_steps_per_dispatch(layout, batch) > 0
}

/// The most steps of `layout` at `batch` one dispatch of the fused kernel walks within
/// [`FUSED_LOOP_TURNS`] loop turns, so that lavapipe runs them to their end (at most a block).
/// The loop over k steps turns k + 1 times.
fn fused_steps_per_dispatch(layout: &Layout, batch: usize) -> usize {
    ((FUSED_LOOP_TURNS - 1) / (fused_loop_turns(layout, batch) + 1)).min(BLOCK_STEPS)
}

/// At least the loop turns the fused kernel takes for one run's step, every layer's gradients
/// included: each loop of fused.wgsl and of the train.wgsl functions it calls, in turn.
/// A loop of n iterations turns once more, where its condition ends it, and lavapipe enters the
/// loops of a branch not taken too, where they end at once (one turn each): forward and
/// weight-gradient tiles read their inputs in one of two such branches, and a slot's loss in one
/// of two.
fn fused_loop_turns(layout: &Layout, batch: usize) -> usize {
    let turns = |n: usize| n + 1;
    let mlp = &layout.mlp;
    let layers: usize = (0..mlp.linear_count())
        .map(|l| {
            let (fan_in, fan_out) = mlp.shape(l);
            // Each tile's loop over its terms (the forward and weight-gradient tiles have one in
            // each of two branches), then its loop over its rows to store them.
            let forward_tiles = tiles(batch) * tiles(fan_out);
            let forward = turns(forward_tiles) + forward_tiles * (turns(fan_in) + 1 + turns(TILE));
            let weight_tiles = tiles(fan_out) * tiles(fan_in + 1);
            let weight_gradients = turns(weight_tiles) + weight_tiles * (turns(batch) + 1 + turns(TILE));
            let input_tiles = tiles(batch) * tiles(fan_in);
            let input_gradients = turns(input_tiles) + input_tiles * (turns(fan_out) + turns(TILE));
            forward + weight_gradients + input_gradients
        })
        .sum();
    let layer_loops = 2 * turns(mlp.linear_count());
    // The loss: each invocation's share and its slots (every share's loop ends once), three
    // loops over the outputs for cross-entropy and one for MSE, then the tree's levels and sums.
    let workgroup = WORKGROUP as usize;
    let levels = workgroup.ilog2() as usize;
    let tree = turns(levels) + (0..levels).map(|level| turns(workgroup >> (level + 1))).sum::<usize>();
    let loss = turns(workgroup) + batch + workgroup + batch * (3 * mlp.outputs() + 3) + tree;
    // The update: each parameter, and the groups it is looked up in.
    let update = turns(mlp.param_count()) + mlp.param_count() * turns(layout.groups.len());
    layers + layer_loops + loss + update
}

/// What the buffers and uniforms are built from.
pub struct TrainSetup {
    pub layout: Layout,
    pub optimizer: Optimizer,
    pub shape: TrainShape,
}

/// What a block left behind.
pub struct BlockResult {
    /// `[steps][run]`, as the kernels wrote them (NaN where a run was not alive).
    pub losses: Vec<f32>,
    /// Per run, its state in `STATE_SECTIONS` sections.
    pub states: Vec<Vec<f32>>,
    /// Compute dispatches the block took.
    pub dispatches: usize,
}

pub struct GpuTrainer {
    gpu: Gpu,
    setup: TrainSetup,
    runs: usize,
    kernels: Kernels,
    buffers: TrainBuffers,
    /// One per Linear layer (its `Layer` uniform), all over the same buffers.
    bind_groups: Vec<wgpu::BindGroup>,
    /// The fused kernel, once `set_path` chose it (built only then: it is the largest shader).
    fused: Option<FusedKernel>,
}

/// The fused kernel's pipeline and the steps one dispatch of it walks for the trainer's network.
struct FusedKernel {
    pipeline: wgpu::ComputePipeline,
    steps_per_dispatch: usize,
}

impl GpuTrainer {
    /// Uploads the training set and every run's state (`states[r]` in `STATE_SECTIONS` sections).
    pub fn new(
        gpu: Gpu,
        layout: Layout,
        optimizer: Optimizer,
        train: &Dataset,
        shape: TrainShape,
        states: &[Vec<f32>],
    ) -> Result<Self, GpuError> {
        let setup = TrainSetup { layout, optimizer, shape };
        let buffers = TrainBuffers::new(&gpu, &setup, train, states)?;
        let kernels = Kernels::new(&gpu);
        let bind_groups = kernels.bind_groups(&gpu, &buffers);
        Ok(Self { gpu, setup, runs: states.len(), kernels, buffers, bind_groups, fused: None })
    }

    /// How steps are dispatched: layered unless set.
    pub fn path(&self) -> TrainPath {
        if self.fused.is_some() {
            TrainPath::Fused
        } else {
            TrainPath::Layered
        }
    }

    /// Dispatches steps as `path` says where the step fits it ([`fused_fits`]), and says whether
    /// it does: both paths train any network they take to the same numbers.
    pub fn set_path(&mut self, path: TrainPath) -> bool {
        match path {
            TrainPath::Layered => self.fused = None,
            TrainPath::Fused => {
                let steps_per_dispatch = fused_steps_per_dispatch(&self.setup.layout, self.setup.shape.batch);
                if steps_per_dispatch == 0 {
                    return false;
                }
                self.fused
                    .get_or_insert_with(|| FusedKernel { pipeline: Kernels::fused(&self.gpu), steps_per_dispatch });
            }
        }
        true
    }

    /// The device training runs on (forward-only evaluation shares it).
    pub fn gpu(&self) -> &Gpu {
        &self.gpu
    }

    pub fn adapter_name(&self) -> &str {
        &self.gpu.adapter_name
    }

    /// Replaces one run's state (in `STATE_SECTIONS` sections).
    pub fn upload_run(&self, run: usize, state: &[f32]) {
        let offset = (run * state.len() * 4) as u64;
        self.gpu.queue.write_buffer(&self.buffers.state, offset, bytemuck::cast_slice(state));
    }

    /// Simulates a lost device (as a driver reset would), for tests and the page's "lose the GPU" button.
    pub fn destroy_device(&self) {
        self.gpu.destroy();
    }

    /// Workgroups for `invocations`, spread over y past the 65535-per-dimension limit.
    fn dispatch(pass: &mut wgpu::ComputePass, invocations: usize) {
        crate::gpu::dispatch(pass, (invocations as u32).div_ceil(WORKGROUP), 65535);
    }

    /// Trains one block (at most `BLOCK_STEPS` steps) as `plan` says, and reads back the
    /// losses and every run's state once.
    pub async fn train_block(&self, plan: &BlockPlan) -> Result<BlockResult, GpuError> {
        let (steps, runs) = (plan.steps, self.runs);
        let mlp = &self.setup.layout.mlp;
        let groups = self.setup.layout.groups.len();
        // `updates` is [step][run][group], `takes_step` [step][run].
        let hyper: Vec<HyperRecord> = plan
            .updates
            .iter()
            .zip(plan.takes_step.iter().flat_map(|&takes| std::iter::repeat_n(takes, groups)))
            .map(|(&update, takes_step)| HyperRecord::new(update, takes_step))
            .collect();
        // A run takes the block's first step or none (it cannot start again within a block).
        let alive: Vec<f32> = plan.takes_step[..runs].iter().map(|&t| t as u8 as f32).collect();
        let queue = &self.gpu.queue;
        match &plan.augmented {
            // The block's rows go into their slots after the training set's, inputs and targets.
            Some(rows) => {
                let slots = self.buffers.augmented_slots;
                queue.write_buffer(&self.buffers.data, slots.inputs, bytemuck::cast_slice(&rows.x));
                queue.write_buffer(&self.buffers.data, slots.targets, bytemuck::cast_slice(&target_floats(rows)));
                let shifted: Vec<u32> = plan.rows.iter().map(|&k| k + slots.first_row).collect();
                queue.write_buffer(&self.buffers.rows, 0, bytemuck::cast_slice(&shifted));
            }
            None => queue.write_buffer(&self.buffers.rows, 0, bytemuck::cast_slice(&plan.rows)),
        }
        queue.write_buffer(&self.buffers.hyper, 0, bytemuck::cast_slice(&hyper));
        queue.write_buffer(&self.buffers.report, (BLOCK_STEPS * runs * 4) as u64, bytemuck::cast_slice(&alive));

        let mut encoder =
            self.gpu.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("train block") });
        let dispatches = {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor::default());
            match &self.fused {
                Some(fused) => {
                    let per_dispatch = fused.steps_per_dispatch;
                    let block = FusedBlock {
                        lowest_layer: plan.lowest_layer as u32,
                        layers: mlp.linear_count() as u32,
                        steps: steps as u32,
                        steps_per_dispatch: per_dispatch as u32,
                    };
                    queue.write_buffer(&self.buffers.block, 0, bytemuck::bytes_of(&block));
                    pass.set_pipeline(&fused.pipeline);
                    // Each dispatch starts at the step its step uniform names.
                    for first in (0..steps).step_by(per_dispatch) {
                        pass.set_bind_group(0, &self.bind_groups[0], &[(first as u64 * UNIFORM_STRIDE) as u32]);
                        // One invocation per run.
                        crate::gpu::dispatch(&mut pass, (runs as u32).div_ceil(RUNS_PER_WORKGROUP), 65535);
                    }
                    steps.div_ceil(per_dispatch)
                }
                None => (0..steps).map(|s| self.encode_layered_step(&mut pass, plan, s)).sum(),
            }
        };
        self.gpu.queue.submit([encoder.finish()]);

        let mut read = self.gpu.read_f32s(&[&self.buffers.report, &self.buffers.state]).await?.into_iter();
        let (report, state) = (read.next().unwrap_or_default(), read.next().unwrap_or_default());
        let per_run = STATE_SECTIONS * mlp.param_count();
        if report.len() < steps * runs || state.len() < runs * per_run {
            return Err(GpuError::Readback("the readback came back short".into()));
        }
        let losses = report[..steps * runs].to_vec();
        let states = state.chunks_exact(per_run).take(runs).map(<[f32]>::to_vec).collect();
        Ok(BlockResult { losses, states, dispatches })
    }

    /// Records step `s` of `plan` as the layered kernels; returns how many dispatches it took.
    fn encode_layered_step(&self, pass: &mut wgpu::ComputePass, plan: &BlockPlan, s: usize) -> usize {
        let (runs, batch, kernels) = (self.runs, self.setup.shape.batch, &self.kernels);
        let mlp = &self.setup.layout.mlp;
        let layers = mlp.linear_count();
        let offset = [(s as u64 * UNIFORM_STRIDE) as u32];
        let mut dispatches = 0;
        for (l, bind_group) in self.bind_groups.iter().enumerate() {
            pass.set_pipeline(&kernels.forward);
            pass.set_bind_group(0, bind_group, &offset);
            Self::dispatch(pass, runs * tiles(batch) * tiles(mlp.shape(l).1));
            dispatches += 1;
        }
        pass.set_pipeline(&kernels.loss);
        pass.set_bind_group(0, &self.bind_groups[layers - 1], &offset);
        pass.dispatch_workgroups(runs as u32, 1, 1);
        dispatches += 1;
        for l in (plan.lowest_layer..layers).rev() {
            let (fan_in, fan_out) = mlp.shape(l);
            pass.set_bind_group(0, &self.bind_groups[l], &offset);
            pass.set_pipeline(&kernels.backward_weights);
            Self::dispatch(pass, runs * tiles(fan_out) * tiles(fan_in + 1));
            dispatches += 1;
            if l > plan.lowest_layer {
                pass.set_pipeline(&kernels.backward_inputs);
                Self::dispatch(pass, runs * tiles(batch) * tiles(fan_in));
                dispatches += 1;
            }
        }
        pass.set_pipeline(&kernels.update);
        pass.set_bind_group(0, &self.bind_groups[0], &offset);
        Self::dispatch(pass, runs * mlp.param_count());
        dispatches + 1
    }
}

// pollster (a native dev-dependency) drives the async calls; lavapipe is the adapter.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
