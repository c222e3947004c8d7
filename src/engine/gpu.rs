//! The GPU backend: `shaders/train.wgsl` trains all runs for a block of steps in one command
//! submission, then one asynchronous readback brings the losses and the runs' state home.
//! The CPU backend (`cpu.rs`) is its reference; the session keeps a CPU mirror of the state at
//! every block boundary, which is also where training resumes if the device is lost.

use bytemuck::{Pod, Zeroable};
use wgpu::util::DeviceExt;

use crate::data::{Dataset, Targets};
use crate::gpu::{Gpu, GpuError};
use crate::model::Loss;

use super::optimizer::{Coefficients, Optimizer};
use super::runs::Layout;

/// The most steps encoded in one submission.
pub const BLOCK_STEPS: usize = 32;
/// `min_uniform_buffer_offset_alignment` is at most 256 on every adapter.
const STEP_STRIDE: u64 = 256;
const WORKGROUP: u32 = 64;

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct LayerUniform {
    fan_in: u32,
    fan_out: u32,
    w_off: u32,
    b_off: u32,
    z_off: u32,
    a_off: u32,
    in_off: u32,
    zin_off: u32,
    dz_off: u32,
    da_off: u32,
    is_first: u32,
    is_last: u32,
    group: u32,
    _pad: [u32; 3],
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct ModelUniform {
    runs: u32,
    batch: u32,
    params: u32,
    groups: u32,
    outputs: u32,
    activation: u32,
    loss: u32,
    optimizer: u32,
    nesterov: u32,
    dampening: f32,
    weight_decay: f32,
    beta2: f32,
    eps: f32,
    targets_off: u32,
    capacity: u32,
    _pad: u32,
    group_end: [u32; 8],
}

/// One block of steps: the batch rows of each step and every group's update scalars.
pub struct BlockPlan {
    /// `[steps][batch]`.
    pub rows: Vec<u32>,
    /// `[steps][run][group]`; `None` where the group does not train at that step.
    pub updates: Vec<Option<Coefficients>>,
    /// Runs that train in this block.
    pub live: Vec<bool>,
}

/// What a block left behind.
pub struct BlockResult {
    /// `[steps][run]`; NaN where a run did not train.
    pub losses: Vec<f32>,
    /// Per run: still alive (no NaN/Inf loss in the block).
    pub alive: Vec<bool>,
    /// Per run, its state as `CpuBackend::export_run` lays it out.
    pub states: Vec<Vec<f32>>,
}

struct Kernels {
    forward: wgpu::ComputePipeline,
    loss: wgpu::ComputePipeline,
    backward_weights: wgpu::ComputePipeline,
    backward_inputs: wgpu::ComputePipeline,
    update: wgpu::ComputePipeline,
}

pub struct GpuBackend {
    gpu: Gpu,
    layout: Layout,
    runs: usize,
    batch: usize,
    kernels: Kernels,
    /// One per Linear layer (its `Layer` uniform), all over the same buffers.
    bind_groups: Vec<wgpu::BindGroup>,
    state: wgpu::Buffer,
    rows: wgpu::Buffer,
    hyper: wgpu::Buffer,
    report: wgpu::Buffer,
    /// The lowest layer any run trains: the backward pass stops there.
    lowest: usize,
}

fn storage(gpu: &Gpu, label: &str, bytes: &[u8], extra: wgpu::BufferUsages) -> wgpu::Buffer {
    gpu.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some(label),
        // wgpu rejects empty bindings; a single zero stands in for an unused buffer.
        contents: if bytes.is_empty() { &[0; 4] } else { bytes },
        usage: wgpu::BufferUsages::STORAGE | extra,
    })
}

impl GpuBackend {
    /// Uploads the training set and every run's state (`states[r]` as `CpuBackend::export_run`).
    pub fn new(
        gpu: Gpu,
        layout: Layout,
        optimizer: Optimizer,
        train: &Dataset,
        batch: usize,
        states: &[Vec<f32>],
        frozen: &[Vec<bool>],
    ) -> Result<Self, GpuError> {
        let mlp = &layout.mlp;
        let runs = states.len();
        let params = mlp.param_count();
        let layers = mlp.linear_count();
        let max_width = *mlp.layers.iter().max().unwrap_or(&1);
        let groups = layout.groups.len();

        // work: z and a of every layer, then two halves for the gradient flowing down.
        let block = |width: usize| (runs * batch * width) as u64;
        let mut offset = 0u64;
        let mut take = |len: u64| {
            let at = offset;
            offset += len;
            at
        };
        let (z_off, a_off): (Vec<u64>, Vec<u64>) =
            (0..layers).map(|l| (take(block(mlp.layers[l + 1])), take(block(mlp.layers[l + 1])))).unzip();
        let halves = [take(block(max_width)), take(block(max_width))];
        let work_len = offset * 4;
        let state_len = (runs * 5 * params * 4) as u64;
        // The kernels index with u32, and each buffer must fit one storage binding.
        let limits = gpu.device.limits();
        let most = limits.max_storage_buffer_binding_size.min(limits.max_buffer_size).min(u32::MAX as u64);
        let largest = work_len.max(state_len);
        if largest > most {
            return Err(GpuError::TooLarge(format!(
                "{runs} runs of this network need a {largest}-byte buffer; this adapter allows {most}"
            )));
        }
        let (z_off, a_off, halves) = (
            z_off.iter().map(|&o| o as u32).collect::<Vec<_>>(),
            a_off.iter().map(|&o| o as u32).collect::<Vec<_>>(),
            halves.map(|o| o as u32),
        );

        let lowest = frozen
            .iter()
            .map(|f| layout.frozen_layers(f).iter().position(|f| !f).unwrap_or(layers))
            .min()
            .unwrap_or(layers);
        let layer_uniforms: Vec<LayerUniform> = (0..layers)
            .map(|l| {
                let (fan_in, fan_out) = mlp.shape(l);
                // The loss writes d loss / d z of the top layer into half 0; each layer below alternates.
                let dz_half = (layers - 1 - l) % 2;
                LayerUniform {
                    fan_in: fan_in as u32,
                    fan_out: fan_out as u32,
                    w_off: mlp.weight_offset(l) as u32,
                    b_off: mlp.bias_offset(l) as u32,
                    z_off: z_off[l],
                    a_off: a_off[l],
                    in_off: if l > 0 { a_off[l - 1] } else { 0 },
                    zin_off: if l > 0 { z_off[l - 1] } else { 0 },
                    dz_off: halves[dz_half],
                    da_off: halves[1 - dz_half],
                    is_first: (l == 0) as u32,
                    is_last: (l + 1 == layers) as u32,
                    group: layout.group_of(l) as u32,
                    _pad: [0; 3],
                }
            })
            .collect();

        let (x_len, targets): (usize, Vec<f32>) = match &train.targets {
            Targets::Classes { labels, .. } => (train.x.len(), labels.iter().map(|&c| c as f32).collect()),
            Targets::Values { values, .. } => (train.x.len(), values.clone()),
        };
        let mut data = train.x.clone();
        data.extend(targets);
        let mut group_end = [0u32; 8];
        for (end, group) in group_end.iter_mut().zip(&layout.groups) {
            *end = group.params.end as u32;
        }
        let (kind, nesterov, dampening, weight_decay, beta2, eps) = match optimizer {
            Optimizer::Sgd { dampening, nesterov, weight_decay, .. } => {
                (0, nesterov as u32, dampening, weight_decay, 0.0, 0.0)
            }
            Optimizer::Adam { beta2, eps, weight_decay, decoupled, .. } => {
                (1 + decoupled as u32, 0, 0.0, weight_decay, beta2, eps)
            }
        };
        let model = ModelUniform {
            runs: runs as u32,
            batch: batch as u32,
            params: params as u32,
            groups: groups as u32,
            outputs: mlp.outputs() as u32,
            activation: mlp.activation.code(),
            loss: (mlp.loss == Loss::Mse) as u32,
            optimizer: kind,
            nesterov,
            dampening: dampening as f32,
            weight_decay: weight_decay as f32,
            beta2: beta2 as f32,
            eps: eps as f32,
            targets_off: x_len as u32,
            capacity: BLOCK_STEPS as u32,
            _pad: 0,
            group_end,
        };

        let copy = wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC;
        let state_bytes: Vec<f32> = states.concat();
        let state = storage(&gpu, "state", bytemuck::cast_slice(&state_bytes), copy);
        let work = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("work"),
            size: work_len.max(4),
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        });
        let data = storage(&gpu, "data", bytemuck::cast_slice(&data), wgpu::BufferUsages::empty());
        let rows = storage(&gpu, "rows", &vec![0u8; BLOCK_STEPS * batch * 4], copy);
        let hyper = storage(&gpu, "hyper", &vec![0u8; BLOCK_STEPS * runs * groups * 32], copy);
        let report = storage(&gpu, "report", &vec![0u8; (BLOCK_STEPS * runs + runs) * 4], copy);
        let steps: Vec<u8> = (0..BLOCK_STEPS as u32)
            .flat_map(|s| {
                let mut entry = vec![0u8; STEP_STRIDE as usize];
                entry[..4].copy_from_slice(&s.to_le_bytes());
                entry
            })
            .collect();
        let uniform = |label, bytes: &[u8]| {
            gpu.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: bytes,
                usage: wgpu::BufferUsages::UNIFORM,
            })
        };
        let step_uniform = uniform("steps", &steps);
        let model_uniform = uniform("model", bytemuck::bytes_of(&model));

        let entry = |binding, ty| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty,
            count: None,
        };
        let uniform_entry = |dynamic| wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: dynamic,
            min_binding_size: None,
        };
        let storage_entry = |read_only| wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only },
            has_dynamic_offset: false,
            min_binding_size: None,
        };
        let bind_layout = gpu.device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("train"),
            entries: &[
                entry(0, uniform_entry(true)),
                entry(1, uniform_entry(false)),
                entry(2, uniform_entry(false)),
                entry(3, storage_entry(false)),
                entry(4, storage_entry(false)),
                entry(5, storage_entry(true)),
                entry(6, storage_entry(true)),
                entry(7, storage_entry(true)),
                entry(8, storage_entry(false)),
            ],
        });
        let pipeline_layout = gpu.device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("train"),
            bind_group_layouts: &[Some(&bind_layout)],
            immediate_size: 0,
        });
        let module = gpu.device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("train"),
            source: wgpu::ShaderSource::Wgsl(include_str!("../../shaders/train.wgsl").into()),
        });
        let pipeline = |entry_point| {
            gpu.device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry_point),
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some(entry_point),
                compilation_options: Default::default(),
                cache: None,
            })
        };
        let kernels = Kernels {
            forward: pipeline("forward"),
            loss: pipeline("loss"),
            backward_weights: pipeline("backward_weights"),
            backward_inputs: pipeline("backward_inputs"),
            update: pipeline("update"),
        };
        let bind_groups = layer_uniforms
            .iter()
            .map(|layer| {
                let layer_buffer = uniform("layer", bytemuck::bytes_of(layer));
                let step_binding =
                    wgpu::BufferBinding { buffer: &step_uniform, offset: 0, size: wgpu::BufferSize::new(16) };
                gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some("train"),
                    layout: &bind_layout,
                    entries: &[
                        wgpu::BindGroupEntry { binding: 0, resource: wgpu::BindingResource::Buffer(step_binding) },
                        wgpu::BindGroupEntry { binding: 1, resource: layer_buffer.as_entire_binding() },
                        wgpu::BindGroupEntry { binding: 2, resource: model_uniform.as_entire_binding() },
                        wgpu::BindGroupEntry { binding: 3, resource: state.as_entire_binding() },
                        wgpu::BindGroupEntry { binding: 4, resource: work.as_entire_binding() },
                        wgpu::BindGroupEntry { binding: 5, resource: data.as_entire_binding() },
                        wgpu::BindGroupEntry { binding: 6, resource: rows.as_entire_binding() },
                        wgpu::BindGroupEntry { binding: 7, resource: hyper.as_entire_binding() },
                        wgpu::BindGroupEntry { binding: 8, resource: report.as_entire_binding() },
                    ],
                })
            })
            .collect();
        Ok(Self { gpu, layout, runs, batch, kernels, bind_groups, state, rows, hyper, report, lowest })
    }

    pub fn adapter_name(&self) -> &str {
        &self.gpu.adapter_name
    }

    /// Replaces one run's state (as `CpuBackend::export_run` lays it out).
    pub fn upload_run(&self, run: usize, state: &[f32]) {
        let offset = (run * state.len() * 4) as u64;
        self.gpu.queue.write_buffer(&self.state, offset, bytemuck::cast_slice(state));
    }

    /// Simulates a lost device (as a driver reset would), for tests and the page's "lose the GPU" button.
    pub fn destroy_device(&self) {
        self.gpu.device.destroy();
    }

    /// Workgroups for `invocations`, spread over y past the 65535-per-dimension limit.
    fn dispatch(pass: &mut wgpu::ComputePass, invocations: usize) {
        let groups = (invocations as u32).div_ceil(WORKGROUP).max(1);
        let x = groups.min(65535);
        pass.dispatch_workgroups(x, groups.div_ceil(x), 1);
    }

    /// Trains one block (at most `BLOCK_STEPS` steps) and reads back losses and state once.
    pub async fn train_block(&self, plan: &BlockPlan) -> Result<BlockResult, GpuError> {
        let steps = plan.rows.len() / self.batch;
        let mlp = &self.layout.mlp;
        let layers = mlp.linear_count();
        let hyper: Vec<f32> = plan
            .updates
            .iter()
            .flat_map(|u| match u {
                Some(c) => {
                    [c.lr, c.momentum, c.step_size, c.correction2_sqrt, c.first_step as u8 as f32, 1.0, 0.0, 0.0]
                }
                None => [0.0; 8],
            })
            .collect();
        let alive: Vec<f32> = plan.live.iter().map(|&l| l as u8 as f32).collect();
        let queue = &self.gpu.queue;
        queue.write_buffer(&self.rows, 0, bytemuck::cast_slice(&plan.rows));
        queue.write_buffer(&self.hyper, 0, bytemuck::cast_slice(&hyper));
        queue.write_buffer(&self.report, (BLOCK_STEPS * self.runs * 4) as u64, bytemuck::cast_slice(&alive));

        let mut encoder =
            self.gpu.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("train block") });
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor::default());
            let (runs, batch) = (self.runs, self.batch);
            for s in 0..steps {
                let offset = [(s as u64 * STEP_STRIDE) as u32];
                for l in 0..layers {
                    pass.set_pipeline(&self.kernels.forward);
                    pass.set_bind_group(0, &self.bind_groups[l], &offset);
                    Self::dispatch(&mut pass, runs * batch * mlp.shape(l).1);
                }
                pass.set_pipeline(&self.kernels.loss);
                pass.set_bind_group(0, &self.bind_groups[layers - 1], &offset);
                pass.dispatch_workgroups(runs as u32, 1, 1);
                for l in (self.lowest..layers).rev() {
                    let (fan_in, fan_out) = mlp.shape(l);
                    pass.set_bind_group(0, &self.bind_groups[l], &offset);
                    pass.set_pipeline(&self.kernels.backward_weights);
                    Self::dispatch(&mut pass, runs * fan_out * (fan_in + 1));
                    if l > self.lowest {
                        pass.set_pipeline(&self.kernels.backward_inputs);
                        Self::dispatch(&mut pass, runs * batch * fan_in);
                    }
                }
                pass.set_pipeline(&self.kernels.update);
                pass.set_bind_group(0, &self.bind_groups[0], &offset);
                Self::dispatch(&mut pass, runs * mlp.param_count());
            }
        }
        self.gpu.queue.submit([encoder.finish()]);

        let mut read = self.gpu.read_f32s(&[&self.report, &self.state]).await?.into_iter();
        let (report, state) = (read.next().unwrap_or_default(), read.next().unwrap_or_default());
        let losses = report[..steps * self.runs].to_vec();
        let alive = report[BLOCK_STEPS * self.runs..].iter().map(|&a| a > 0.5).collect();
        let per_run = 5 * mlp.param_count();
        let states = state.chunks_exact(per_run).map(<[f32]>::to_vec).collect();
        Ok(BlockResult { losses, alive, states })
    }
}
