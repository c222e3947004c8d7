//! The GPU trainer: `train.wgsl` trains all runs for a block of steps in one command
//! submission, then one asynchronous readback brings the losses and the runs' state home.
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
use uniforms::HyperRecord;

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
}

pub struct GpuTrainer {
    gpu: Gpu,
    setup: TrainSetup,
    runs: usize,
    kernels: Kernels,
    buffers: TrainBuffers,
    /// One per Linear layer (its `Layer` uniform), all over the same buffers.
    bind_groups: Vec<wgpu::BindGroup>,
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
        Ok(Self { gpu, setup, runs: states.len(), kernels, buffers, bind_groups })
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
        self.gpu.device.destroy();
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
        let layers = mlp.linear_count();
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
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor::default());
            let batch = self.setup.shape.batch;
            let kernels = &self.kernels;
            for s in 0..steps {
                let offset = [(s as u64 * UNIFORM_STRIDE) as u32];
                for (l, bind_group) in self.bind_groups.iter().enumerate() {
                    pass.set_pipeline(&kernels.forward);
                    pass.set_bind_group(0, bind_group, &offset);
                    Self::dispatch(&mut pass, runs * batch * mlp.shape(l).1);
                }
                pass.set_pipeline(&kernels.loss);
                pass.set_bind_group(0, &self.bind_groups[layers - 1], &offset);
                pass.dispatch_workgroups(runs as u32, 1, 1);
                for l in (plan.lowest_layer..layers).rev() {
                    let (fan_in, fan_out) = mlp.shape(l);
                    pass.set_bind_group(0, &self.bind_groups[l], &offset);
                    pass.set_pipeline(&kernels.backward_weights);
                    Self::dispatch(&mut pass, runs * fan_out * (fan_in + 1));
                    if l > plan.lowest_layer {
                        pass.set_pipeline(&kernels.backward_inputs);
                        Self::dispatch(&mut pass, runs * batch * fan_in);
                    }
                }
                pass.set_pipeline(&kernels.update);
                pass.set_bind_group(0, &self.bind_groups[0], &offset);
                Self::dispatch(&mut pass, runs * mlp.param_count());
            }
        }
        self.gpu.queue.submit([encoder.finish()]);

        let mut read = self.gpu.read_f32s(&[&self.buffers.report, &self.buffers.state]).await?.into_iter();
        let (report, state) = (read.next().unwrap_or_default(), read.next().unwrap_or_default());
        let per_run = STATE_SECTIONS * mlp.param_count();
        if report.len() < steps * runs || state.len() < runs * per_run {
            return Err(GpuError::Readback("the readback came back short".into()));
        }
        let losses = report[..steps * runs].to_vec();
        let states = state.chunks_exact(per_run).take(runs).map(<[f32]>::to_vec).collect();
        Ok(BlockResult { losses, states })
    }
}
