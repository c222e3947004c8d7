//! Matrix multiply on the GPU: the naive kernel (`naive.wgsl`), the tiled kernel (`tiled.wgsl`)
//! and their CPU twin. Not part of the engine: the benchmark `matmul` measures the two kernels,
//! and the native and browser tests hold them to the CPU; each includes this file with
//! `#[path = ".../benches/matmul/kernel.rs"] mod matmul;` and drives it through the crate's
//! public `Gpu`.
//!
//! Both kernels take the same four bindings (dims, A, B, C), so one [`MatmulKernel`] drives
//! either: it uploads the operands once into a [`PreparedMatmul`], which can be dispatched any
//! number of times (benchmarks record many dispatches into one command encoder, so they time the
//! kernel rather than uploads and readbacks) and read back when the caller wants the result.

// Each including crate uses a part of it.
#![allow(dead_code)]

use std::fmt;

use lr_playground::gpu::{Gpu, GpuError};
use wgpu::util::DeviceExt;

/// The naive kernel's `@workgroup_size(8, 8)`: one invocation per element of C.
const NAIVE_WORKGROUP: u32 = 8;

/// `C = A × B` for row-major `a` [m, k] and `b` [k, n], in the same order of additions as the
/// naive shader.
pub fn matmul_cpu(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
    let mut c = vec![0.0; m * n];
    for row in 0..m {
        for col in 0..n {
            c[row * n + col] = (0..k).fold(0.0, |sum, i| sum + a[row * k + i] * b[i * n + col]);
        }
    }
    c
}

/// The tile shape of the tiled kernel, passed to the shader as pipeline-overridable constants.
///
/// A workgroup of `workgroup_x × workgroup_y` invocations computes a block of
/// `8·workgroup_y` rows × `8·workgroup_x` columns of C (each invocation an 8 × 8 register tile),
/// staging `tile_k`-deep slices of A and B in workgroup memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TileConfig {
    /// Invocations per workgroup along n (columns of C): the shader's `WG_X`.
    pub workgroup_x: u32,
    /// Invocations per workgroup along m (rows of C): the shader's `WG_Y`.
    pub workgroup_y: u32,
    /// Depth of the slice of k staged in workgroup memory per step: the shader's `TILE_K`.
    pub tile_k: u32,
}

impl TileConfig {
    /// Rows and columns of C each invocation keeps in registers (fixed in the shader).
    pub const REGISTER_TILE: u32 = 8;

    /// Fastest first: [`TileConfig::for_limits`] takes the first one the adapter can run. The
    /// first needs WebGPU's default limits exactly (256 invocations, 16 KiB of workgroup memory);
    /// the last fits any adapter that can run compute shaders at all (one invocation, 256 bytes).
    pub const CANDIDATES: [TileConfig; 5] = [
        TileConfig { workgroup_x: 16, workgroup_y: 16, tile_k: 16 },
        TileConfig { workgroup_x: 16, workgroup_y: 16, tile_k: 8 },
        TileConfig { workgroup_x: 8, workgroup_y: 8, tile_k: 16 },
        TileConfig { workgroup_x: 4, workgroup_y: 4, tile_k: 8 },
        TileConfig { workgroup_x: 1, workgroup_y: 1, tile_k: 4 },
    ];

    /// The largest candidate that fits `limits`, or `None` where even the smallest does not
    /// (an adapter without compute shaders reports zero limits).
    pub fn for_limits(limits: &wgpu::Limits) -> Option<TileConfig> {
        Self::CANDIDATES.into_iter().find(|config| config.check(limits).is_ok())
    }

    /// Rows of C per workgroup.
    pub fn block_rows(&self) -> u32 {
        self.workgroup_y * Self::REGISTER_TILE
    }

    /// Columns of C per workgroup.
    pub fn block_cols(&self) -> u32 {
        self.workgroup_x * Self::REGISTER_TILE
    }

    /// Invocations per workgroup.
    pub fn invocations(&self) -> u32 {
        self.workgroup_x * self.workgroup_y
    }

    /// Bytes of workgroup memory the two staged slices take (`a_tile` and `b_tile` in the shader).
    pub fn workgroup_storage_bytes(&self) -> u32 {
        (self.block_rows() + self.block_cols()) * self.tile_k * 4
    }

    /// Whether an adapter with these limits can run this tile shape; the error names the first
    /// limit it exceeds.
    pub fn check(&self, limits: &wgpu::Limits) -> Result<(), GpuError> {
        let too_large = |what: &str, needs: u32, most: u32| {
            Err(GpuError::TooLarge(format!("tile {self} needs {what} {needs}, the adapter allows {most}")))
        };
        if self.workgroup_x == 0 || self.workgroup_y == 0 || self.tile_k == 0 {
            return Err(GpuError::TooLarge(format!("tile {self}: every tile dimension must be at least 1")));
        }
        if self.workgroup_x > limits.max_compute_workgroup_size_x {
            return too_large("workgroup size x", self.workgroup_x, limits.max_compute_workgroup_size_x);
        }
        if self.workgroup_y > limits.max_compute_workgroup_size_y {
            return too_large("workgroup size y", self.workgroup_y, limits.max_compute_workgroup_size_y);
        }
        if self.invocations() > limits.max_compute_invocations_per_workgroup {
            return too_large(
                "invocations per workgroup",
                self.invocations(),
                limits.max_compute_invocations_per_workgroup,
            );
        }
        if self.workgroup_storage_bytes() > limits.max_compute_workgroup_storage_size {
            return too_large(
                "bytes of workgroup memory",
                self.workgroup_storage_bytes(),
                limits.max_compute_workgroup_storage_size,
            );
        }
        Ok(())
    }
}

impl fmt::Display for TileConfig {
    /// `128x128x16 (16x16 invocations, 8x8 each)`: block rows × block columns × k depth.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = Self::REGISTER_TILE;
        write!(
            f,
            "{}x{}x{} ({}x{} invocations, {r}x{r} each)",
            self.block_rows(),
            self.block_cols(),
            self.tile_k,
            self.workgroup_y,
            self.workgroup_x
        )
    }
}

/// Which shader a [`MatmulKernel`] runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatmulKind {
    /// One invocation per element of C, everything read from storage memory: the baseline.
    Naive,
    /// Workgroup tiles in workgroup memory and 8 × 8 register tiles, with this tile shape.
    Tiled(TileConfig),
}

impl MatmulKind {
    /// The workgroups to dispatch (x along n, y along m) for an m × n result.
    fn workgroups(&self, m: usize, n: usize) -> (u32, u32) {
        let (rows, cols) = match self {
            MatmulKind::Naive => (NAIVE_WORKGROUP, NAIVE_WORKGROUP),
            MatmulKind::Tiled(tile) => (tile.block_rows(), tile.block_cols()),
        };
        // Round up: the last workgroup in each direction may hang over the edge of C.
        ((n as u32).div_ceil(cols), (m as u32).div_ceil(rows))
    }
}

/// A compiled matmul pipeline, naive or tiled.
pub struct MatmulKernel {
    kind: MatmulKind,
    pipeline: wgpu::ComputePipeline,
}

impl MatmulKernel {
    /// The naive kernel.
    pub fn naive(gpu: &Gpu) -> Self {
        let source = include_str!("naive.wgsl");
        Self::build(gpu, MatmulKind::Naive, "matmul_naive", source, &[])
    }

    /// The tiled kernel with the largest tile shape the adapter's limits allow.
    pub fn tiled(gpu: &Gpu) -> Result<Self, GpuError> {
        let limits = gpu.device.limits();
        let tile = TileConfig::for_limits(&limits).ok_or_else(|| {
            GpuError::TooLarge(format!(
                "no tile shape fits this adapter ({} invocations, {} bytes of workgroup memory per workgroup)",
                limits.max_compute_invocations_per_workgroup, limits.max_compute_workgroup_storage_size
            ))
        })?;
        Self::tiled_with(gpu, tile)
    }

    /// The tiled kernel with a given tile shape, if the adapter can run it.
    pub fn tiled_with(gpu: &Gpu, tile: TileConfig) -> Result<Self, GpuError> {
        tile.check(&gpu.device.limits())?;
        // Override constants are set when the pipeline is created: the driver then compiles the
        // shader with the tile shape as constants, as if it had been written into the source.
        let constants = [
            ("WG_X", f64::from(tile.workgroup_x)),
            ("WG_Y", f64::from(tile.workgroup_y)),
            ("TILE_K", f64::from(tile.tile_k)),
        ];
        let source = include_str!("tiled.wgsl");
        Ok(Self::build(gpu, MatmulKind::Tiled(tile), "matmul_tiled", source, &constants))
    }

    /// `body` is one kernel; WGSL has no includes, so the shared bindings are prepended here.
    fn build(gpu: &Gpu, kind: MatmulKind, label: &str, body: &str, constants: &[(&str, f64)]) -> Self {
        let source = [include_str!("bindings.wgsl"), body].concat();
        let module = gpu.device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(label),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        });
        let pipeline = gpu.device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(label),
            // No explicit layout: wgpu derives it from the shader's bindings, identical for both.
            layout: None,
            module: &module,
            entry_point: Some("main"),
            compilation_options: wgpu::PipelineCompilationOptions {
                constants,
                // WebGPU zero-fills workgroup memory at the start of every workgroup unless told
                // otherwise. The tiled kernel writes each slice before a barrier and only then
                // reads it, so the zero-fill would be wasted work (the naive kernel has none).
                zero_initialize_workgroup_memory: false,
            },
            cache: None,
        });
        Self { kind, pipeline }
    }

    /// Which kernel this is, and for the tiled one the tile shape chosen.
    pub fn kind(&self) -> MatmulKind {
        self.kind
    }

    /// Uploads A and B and allocates C on the GPU, ready for [`PreparedMatmul::dispatch`].
    pub fn prepare(
        &self,
        gpu: &Gpu,
        a: &[f32],
        b: &[f32],
        m: usize,
        k: usize,
        n: usize,
    ) -> Result<PreparedMatmul, GpuError> {
        if a.len() != m * k || b.len() != k * n || m * n == 0 {
            return Err(GpuError::TooLarge(format!(
                "matmul shapes do not match: a has {}, b has {} values for m={m}, k={k}, n={n}",
                a.len(),
                b.len()
            )));
        }
        let limits = gpu.device.limits();
        let groups = self.kind.workgroups(m, n);
        let most = limits.max_compute_workgroups_per_dimension;
        if groups.0 > most || groups.1 > most {
            return Err(GpuError::TooLarge(format!("{m}×{n} needs more than {most} workgroups per dimension")));
        }
        let most_bytes = limits.max_storage_buffer_binding_size.min(limits.max_buffer_size);
        let largest = (m * k).max(k * n).max(m * n) as u64 * 4;
        if largest > most_bytes {
            return Err(GpuError::TooLarge(format!(
                "a {largest}-byte matrix is larger than the {most_bytes}-byte storage buffers this adapter allows"
            )));
        }

        let storage = |label, contents: &[f32]| {
            gpu.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: bytemuck::cast_slice(contents),
                usage: wgpu::BufferUsages::STORAGE,
            })
        };
        // Uniforms are padded to 16 bytes; the shader reads the first three.
        let dims = gpu.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("dims"),
            contents: bytemuck::cast_slice(&[m as u32, k as u32, n as u32, 0]),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let a = storage("a", a);
        let b = storage("b", b);
        // C is only written by the shader; COPY_SRC lets `Gpu::read_f32` copy it to a mappable buffer.
        let c = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("c"),
            size: (m * n * 4) as u64,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        // The bind group ties the buffers to the shader's @binding slots; made once, it is
        // reused by every dispatch.
        let bind_group = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("matmul"),
            layout: &self.pipeline.get_bind_group_layout(0),
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: dims.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 1, resource: a.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 2, resource: b.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 3, resource: c.as_entire_binding() },
            ],
        });
        Ok(PreparedMatmul { pipeline: self.pipeline.clone(), bind_group, c, groups, flops: 2 * (m * k * n) as u64 })
    }

    /// Runs one product on the GPU and reads it back.
    pub async fn run(
        &self,
        gpu: &Gpu,
        a: &[f32],
        b: &[f32],
        m: usize,
        k: usize,
        n: usize,
    ) -> Result<Vec<f32>, GpuError> {
        let product = self.prepare(gpu, a, b, m, k, n)?;
        let mut encoder = gpu.device.create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        product.dispatch(&mut encoder);
        gpu.queue.submit([encoder.finish()]);
        product.read(gpu).await
    }
}

/// A product whose operands live on the GPU: dispatch it as often as wanted, read C once.
pub struct PreparedMatmul {
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
    c: wgpu::Buffer,
    groups: (u32, u32),
    flops: u64,
}

impl PreparedMatmul {
    /// Records one `C = A × B` into `encoder`. Nothing runs until the encoder is finished and
    /// submitted; dispatches recorded in one encoder run back to back on the GPU, with no
    /// round trip to the CPU between them.
    pub fn dispatch(&self, encoder: &mut wgpu::CommandEncoder) {
        let mut pass =
            encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some("matmul"), timestamp_writes: None });
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &self.bind_group, &[]);
        pass.dispatch_workgroups(self.groups.0, self.groups.1, 1);
    }

    /// Reads C back, after whatever has been submitted so far.
    pub async fn read(&self, gpu: &Gpu) -> Result<Vec<f32>, GpuError> {
        gpu.read_f32(&self.c).await
    }

    /// Floating-point operations per dispatch (one multiply and one add per term): `2·m·k·n`.
    pub fn flops(&self) -> u64 {
        self.flops
    }
}
