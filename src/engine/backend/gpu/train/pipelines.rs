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
    layout: wgpu::BindGroupLayout,
}

/// The layered kernels' shader as the device compiles it.
fn layered_source() -> String {
    shader_source(compact_wgsl!(include_str!("train.wgsl")))
}

/// The fused kernel's shader: the layered kernels' functions, then the fused kernel that runs
/// their tiles (the layered kernels are built without it, so that a trainer that never takes
/// the fused path never parses it).
pub fn fused_source() -> String {
    shader_source(&[compact_wgsl!(include_str!("train.wgsl")), compact_wgsl!(include_str!("fused.wgsl"))].concat())
}

// Bindings as train.wgsl declares them: step (one entry of the step table per dispatch), layer,
// model, state, work, data, rows, hyper, report, then the fused kernel's block and layer table.
const BINDINGS: [Binding; 11] = [
    Binding::Uniform { dynamic_offset: true },
    Binding::Uniform { dynamic_offset: false },
    Binding::Uniform { dynamic_offset: false },
    Binding::Storage { read_only: false },
    Binding::Storage { read_only: false },
    Binding::Storage { read_only: true },
    Binding::Storage { read_only: true },
    Binding::Storage { read_only: true },
    Binding::Storage { read_only: false },
    Binding::Uniform { dynamic_offset: false },
    Binding::Storage { read_only: true },
];

impl Kernels {
    pub fn new(gpu: &Gpu) -> Self {
        let entry_points = ["forward", "loss", "backward_weights", "backward_inputs", "update"];
        let (layout, [forward, loss, backward_weights, backward_inputs, update]) =
            gpu.compute_pipelines("train", &layered_source(), &BINDINGS, entry_points);
        Self { forward, loss, backward_weights, backward_inputs, update, layout }
    }

    /// The fused kernel (fused.wgsl), built only for a trainer that asks for it: it is the
    /// largest shader, and the layered kernels are the default. Its bind group layout equals
    /// theirs, so it takes the same bind groups.
    pub fn fused(gpu: &Gpu) -> wgpu::ComputePipeline {
        let (_, [fused]) = gpu.compute_pipelines("train fused", &fused_source(), &BINDINGS, ["train_steps"]);
        fused
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
