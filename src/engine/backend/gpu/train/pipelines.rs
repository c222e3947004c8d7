//! The training kernels of train.wgsl as compute pipelines over one bind group layout, and one
//! bind group per Linear layer (they differ only in the `Layer` uniform).

use crate::gpu::{Binding, Gpu};

use super::super::program::{compact_wgsl, one_entry, shader_source};
use super::buffers::TrainBuffers;

pub struct Kernels {
    pub forward: wgpu::ComputePipeline,
    pub loss: wgpu::ComputePipeline,
    pub backward_weights: wgpu::ComputePipeline,
    pub backward_inputs: wgpu::ComputePipeline,
    pub update: wgpu::ComputePipeline,
    /// A whole step in one dispatch, one invocation per run (fused.wgsl).
    pub fused: wgpu::ComputePipeline,
    layout: wgpu::BindGroupLayout,
}

/// The training shader as the device compiles it: the layered kernels, then the fused one
/// that runs their cells.
pub fn train_source() -> String {
    shader_source(&[compact_wgsl!(include_str!("train.wgsl")), compact_wgsl!(include_str!("fused.wgsl"))].concat())
}

impl Kernels {
    pub fn new(gpu: &Gpu) -> Self {
        // Bindings as train.wgsl declares them: step (one entry of the step table per dispatch),
        // layer, model, state, work, data, rows, hyper, report, then the fused kernel's block
        // and layer table.
        let uniform = |dynamic_offset| Binding::Uniform { dynamic_offset };
        let storage = |read_only| Binding::Storage { read_only };
        let bindings = [
            uniform(true),
            uniform(false),
            uniform(false),
            storage(false),
            storage(false),
            storage(true),
            storage(true),
            storage(true),
            storage(false),
            uniform(false),
            storage(true),
        ];
        let entry_points = ["forward", "loss", "backward_weights", "backward_inputs", "update", "train_step"];
        let (layout, [forward, loss, backward_weights, backward_inputs, update, fused]) =
            gpu.compute_pipelines("train", &train_source(), &bindings, entry_points);
        Self { forward, loss, backward_weights, backward_inputs, update, fused, layout }
    }

    /// One bind group per Linear layer, all over the same buffers.
    pub fn bind_groups(&self, gpu: &Gpu, buffers: &TrainBuffers) -> Vec<wgpu::BindGroup> {
        buffers
            .layers
            .iter()
            .map(|layer| {
                // The step uniform is bound 16 bytes wide at a dynamic offset per step.
                let resources = [
                    one_entry(&buffers.steps, 16),
                    layer.as_entire_binding(),
                    buffers.model.as_entire_binding(),
                    buffers.state.as_entire_binding(),
                    buffers.work.as_entire_binding(),
                    buffers.data.as_entire_binding(),
                    buffers.rows.as_entire_binding(),
                    buffers.hyper.as_entire_binding(),
                    buffers.report.as_entire_binding(),
                    buffers.block.as_entire_binding(),
                    buffers.layer_table.as_entire_binding(),
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
