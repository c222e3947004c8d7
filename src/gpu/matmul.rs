//! The naive matmul kernel (`shaders/matmul_naive.wgsl`) and its CPU twin.

use wgpu::util::DeviceExt;

use super::{Gpu, GpuError};

const WORKGROUP: u32 = 8;

/// `C = A × B` for row-major `a` [m, k] and `b` [k, n], in the same order of additions as the shader.
pub fn matmul_cpu(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
    let mut c = vec![0.0; m * n];
    for row in 0..m {
        for col in 0..n {
            c[row * n + col] = (0..k).fold(0.0, |sum, i| sum + a[row * k + i] * b[i * n + col]);
        }
    }
    c
}

pub struct NaiveMatmul {
    pipeline: wgpu::ComputePipeline,
}

impl NaiveMatmul {
    pub fn new(gpu: &Gpu) -> Self {
        let module = gpu.device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("matmul_naive"),
            source: wgpu::ShaderSource::Wgsl(include_str!("../../shaders/matmul_naive.wgsl").into()),
        });
        let pipeline = gpu.device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some("matmul_naive"),
            layout: None,
            module: &module,
            entry_point: Some("main"),
            compilation_options: Default::default(),
            cache: None,
        });
        Self { pipeline }
    }

    /// Runs one product on the GPU and reads it back.
    pub async fn run(&self, gpu: &Gpu, a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Result<Vec<f32>, GpuError> {
        if a.len() != m * k || b.len() != k * n || m * n == 0 {
            return Err(GpuError::TooLarge(format!("matmul shapes do not match: a has {}, b has {} values for m={m}, k={k}, n={n}", a.len(), b.len())));
        }
        let groups = |len: usize| (len as u32).div_ceil(WORKGROUP);
        let most = gpu.device.limits().max_compute_workgroups_per_dimension;
        if groups(m) > most || groups(n) > most {
            return Err(GpuError::TooLarge(format!("{m}×{n} needs more than {most} workgroups per dimension")));
        }
        let storage = |label, contents: &[f32], usage| {
            gpu.device.create_buffer_init(&wgpu::util::BufferInitDescriptor { label: Some(label), contents: bytemuck::cast_slice(contents), usage })
        };
        let dims = [m as u32, k as u32, n as u32, 0];
        let dims = gpu.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("dims"),
            contents: bytemuck::cast_slice(&dims),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let a = storage("a", a, wgpu::BufferUsages::STORAGE);
        let b = storage("b", b, wgpu::BufferUsages::STORAGE);
        let c = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("c"),
            size: (m * n * 4) as u64,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let bind_group = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("matmul_naive"),
            layout: &self.pipeline.get_bind_group_layout(0),
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: dims.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 1, resource: a.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 2, resource: b.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 3, resource: c.as_entire_binding() },
            ],
        });
        let mut encoder = gpu.device.create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor::default());
            pass.set_pipeline(&self.pipeline);
            pass.set_bind_group(0, &bind_group, &[]);
            pass.dispatch_workgroups(groups(n), groups(m), 1);
        }
        gpu.queue.submit([encoder.finish()]);
        gpu.read_f32(&c).await
    }
}
