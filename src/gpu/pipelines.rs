//! Compute pipelines for the entry points of one WGSL source over one explicit bind group layout:
//! what every set of kernels here builds the same way, compiled once per device.

use super::Gpu;

/// What a set of pipelines is compiled from.
struct Recipe<'a> {
    label: &'a str,
    source: &'a str,
    bindings: &'a [Binding],
    entry_points: &'a [&'a str],
}

/// Pipelines compiled on a device, with what they were compiled from.
pub(super) struct Built {
    label: String,
    source: String,
    bindings: Vec<Binding>,
    entry_points: Vec<String>,
    layout: wgpu::BindGroupLayout,
    pipelines: Vec<wgpu::ComputePipeline>,
}

impl Built {
    fn follows(&self, recipe: &Recipe) -> bool {
        self.label == recipe.label
            && self.source == recipe.source
            && self.bindings == recipe.bindings
            && self.entry_points == recipe.entry_points
    }
}

/// Sets of pipelines a device keeps: the engine compiles a handful of shaders.
const KEPT: usize = 8;

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
    ///
    /// Compiled once per device: a later call with the same arguments gets the same pipelines.
    /// Compiling is most of what a session pays to start on WebGPU (the training kernels' first
    /// step took 0.42-0.46 s on Chromium's software adapter, the next 4-12 ms), and `auto` starts
    /// one for each new shape it times.
    pub fn compute_pipelines<const N: usize>(
        &self,
        label: &str,
        source: &str,
        bindings: &[Binding],
        entry_points: [&str; N],
    ) -> (wgpu::BindGroupLayout, [wgpu::ComputePipeline; N]) {
        let recipe = Recipe { label, source, bindings, entry_points: &entry_points };
        let (layout, pipelines) = self.kept_or_compiled(&recipe);
        match pipelines.try_into() {
            Ok(pipelines) => (layout, pipelines),
            Err(_) => unreachable!("one pipeline per entry point"),
        }
    }

    /// `compute_pipelines` for any number of entry points (one copy of it in the module).
    fn kept_or_compiled(&self, recipe: &Recipe) -> (wgpu::BindGroupLayout, Vec<wgpu::ComputePipeline>) {
        let kept = self.built.lock().ok().and_then(|kept| {
            kept.iter().find(|built| built.follows(recipe)).map(|built| (built.layout.clone(), built.pipelines.clone()))
        });
        if let Some(kept) = kept {
            return kept;
        }
        let (layout, pipelines) = self.compile_pipelines(recipe);
        if let Ok(mut kept) = self.built.lock() {
            if kept.len() == KEPT {
                kept.remove(0);
            }
            kept.push(Built {
                label: recipe.label.into(),
                source: recipe.source.into(),
                bindings: recipe.bindings.to_vec(),
                entry_points: recipe.entry_points.iter().map(|&e| e.into()).collect(),
                layout: layout.clone(),
                pipelines: pipelines.clone(),
            });
        }
        (layout, pipelines)
    }

    fn compile_pipelines(&self, recipe: &Recipe) -> (wgpu::BindGroupLayout, Vec<wgpu::ComputePipeline>) {
        let Recipe { label, source, bindings, entry_points } = *recipe;
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
        let pipelines = entry_points.iter().map(|&entry_point| {
            self.device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry_point),
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some(entry_point),
                compilation_options: Default::default(),
                cache: None,
            })
        });
        (bind_layout, pipelines.collect())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const SOURCE: &str = "@group(0) @binding(0) var<storage, read_write> v: array<f32>;
        @compute @workgroup_size(1) fn double() { v[0] = 2.0 * v[0]; }
        @compute @workgroup_size(1) fn halve() { v[0] = 0.5 * v[0]; }";
    const BINDINGS: [Binding; 1] = [Binding::Storage { read_only: false }];

    /// A second ask for the same pipelines on a device gets the ones compiled for the first;
    /// anything else asked is compiled anew.
    #[test]
    fn pipelines_are_compiled_once_per_device() {
        let Ok(gpu) = pollster::block_on(Gpu::new()) else {
            eprintln!("no adapter: skipped");
            return;
        };
        let (layout, [double, halve]) = gpu.compute_pipelines("t", SOURCE, &BINDINGS, ["double", "halve"]);
        let (again_layout, [again_double, again_halve]) =
            gpu.compute_pipelines("t", SOURCE, &BINDINGS, ["double", "halve"]);
        assert!(layout == again_layout && double == again_double && halve == again_halve);
        let (_, [swapped, _]) = gpu.compute_pipelines("t", SOURCE, &BINDINGS, ["halve", "double"]);
        assert!(swapped != halve && swapped != double, "another entry point order is another set of pipelines");
        let (other_layout, _) = gpu.compute_pipelines("another label", SOURCE, &BINDINGS, ["double", "halve"]);
        assert!(other_layout != layout);
        assert!(gpu.failure().is_none(), "{:?}", gpu.failure());
    }

    #[test]
    fn a_destroyed_device_says_so_at_once() {
        let Ok(gpu) = pollster::block_on(Gpu::new()) else {
            eprintln!("no adapter: skipped");
            return;
        };
        gpu.destroy();
        assert!(gpu.failure().is_some_and(|why| why.contains("destroyed")));
    }
}
