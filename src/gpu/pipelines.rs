//! Compute pipelines for the entry points of one WGSL source over one explicit bind group layout:
//! what every set of kernels here builds the same way.

use super::Gpu;

/// How the kernels read one binding of bind group 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    /// A uniform buffer. With a dynamic offset, the binding covers one entry of a table and the
    /// offset passed to each `set_bind_group` picks which: switching entries between dispatches
    /// is then a bind call, not a buffer write or a new bind group.
    Uniform { dynamic_offset: bool },
    /// A storage buffer, read-only or read-write.
    Storage { read_only: bool },
}

impl Gpu {
    /// One pipeline per entry point of `source`, all over one bind group layout whose binding
    /// `i` is `bindings[i]`. The layout is explicit because wgpu's derived layouts have no
    /// dynamic offsets, and one layout lets one bind group serve every kernel.
    pub fn compute_pipelines<const N: usize>(
        &self,
        label: &str,
        source: &str,
        bindings: &[Binding],
        entry_points: [&str; N],
    ) -> (wgpu::BindGroupLayout, [wgpu::ComputePipeline; N]) {
        let entries: Vec<wgpu::BindGroupLayoutEntry> = (0u32..)
            .zip(bindings)
            .map(|(binding, &kind)| {
                let (ty, has_dynamic_offset) = match kind {
                    Binding::Uniform { dynamic_offset } => (wgpu::BufferBindingType::Uniform, dynamic_offset),
                    Binding::Storage { read_only } => (wgpu::BufferBindingType::Storage { read_only }, false),
                };
                wgpu::BindGroupLayoutEntry {
                    binding,
                    visibility: wgpu::ShaderStages::COMPUTE,
                    ty: wgpu::BindingType::Buffer { ty, has_dynamic_offset, min_binding_size: None },
                    count: None,
                }
            })
            .collect();
        let bind_layout = self
            .device
            .create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor { label: Some(label), entries: &entries });
        let pipeline_layout = self.device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some(label),
            bind_group_layouts: &[Some(&bind_layout)],
            immediate_size: 0,
        });
        let module = self.device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(label),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        });
        let pipelines = entry_points.map(|entry_point| {
            self.device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry_point),
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some(entry_point),
                compilation_options: Default::default(),
                cache: None,
            })
        });
        (bind_layout, pipelines)
    }
}
