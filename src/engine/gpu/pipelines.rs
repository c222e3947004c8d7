//! The training kernels of train.wgsl as compute pipelines over one bind group layout, and one
//! bind group per Linear layer (they differ only in the `Layer` uniform).

use crate::gpu::Gpu;

use super::buffers::TrainBuffers;

pub struct Kernels {
    pub forward: wgpu::ComputePipeline,
    pub loss: wgpu::ComputePipeline,
    pub backward_weights: wgpu::ComputePipeline,
    pub backward_inputs: wgpu::ComputePipeline,
    pub update: wgpu::ComputePipeline,
    layout: wgpu::BindGroupLayout,
}

/// The training shader as the device compiles it: WGSL has no includes, so the shared
/// activations go in front.
pub fn train_source() -> String {
    [include_str!("../../../shaders/activation.wgsl"), include_str!("../../../shaders/train.wgsl")].concat()
}

impl Kernels {
    pub fn new(gpu: &Gpu) -> Self {
        let entry = |binding, ty| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty,
            count: None,
        };
        let uniform = |dynamic| wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: dynamic,
            min_binding_size: None,
        };
        let storage = |read_only| wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only },
            has_dynamic_offset: false,
            min_binding_size: None,
        };
        // Bindings as train.wgsl declares them: step (dynamic offset), layer, model, state,
        // work, data, rows, hyper, report.
        let layout = gpu.device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("train"),
            entries: &[
                entry(0, uniform(true)),
                entry(1, uniform(false)),
                entry(2, uniform(false)),
                entry(3, storage(false)),
                entry(4, storage(false)),
                entry(5, storage(true)),
                entry(6, storage(true)),
                entry(7, storage(true)),
                entry(8, storage(false)),
            ],
        });
        let pipeline_layout = gpu.device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("train"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let module = gpu.device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("train"),
            source: wgpu::ShaderSource::Wgsl(train_source().into()),
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
        Self {
            forward: pipeline("forward"),
            loss: pipeline("loss"),
            backward_weights: pipeline("backward_weights"),
            backward_inputs: pipeline("backward_inputs"),
            update: pipeline("update"),
            layout,
        }
    }

    /// One bind group per Linear layer, all over the same buffers.
    pub fn bind_groups(&self, gpu: &Gpu, buffers: &TrainBuffers) -> Vec<wgpu::BindGroup> {
        buffers
            .layers
            .iter()
            .map(|layer| {
                // The step uniform is bound 16 bytes wide at a dynamic offset per step.
                let step = wgpu::BufferBinding { buffer: &buffers.steps, offset: 0, size: wgpu::BufferSize::new(16) };
                let resources = [
                    wgpu::BindingResource::Buffer(step),
                    layer.as_entire_binding(),
                    buffers.model.as_entire_binding(),
                    buffers.state.as_entire_binding(),
                    buffers.work.as_entire_binding(),
                    buffers.data.as_entire_binding(),
                    buffers.rows.as_entire_binding(),
                    buffers.hyper.as_entire_binding(),
                    buffers.report.as_entire_binding(),
                ];
                let entries: Vec<wgpu::BindGroupEntry> = resources
                    .into_iter()
                    .enumerate()
                    .map(|(binding, resource)| wgpu::BindGroupEntry { binding: binding as u32, resource })
                    .collect();
                gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some("train"),
                    layout: &self.layout,
                    entries: &entries,
                })
            })
            .collect()
    }
}
