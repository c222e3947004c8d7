//! What every GPU program shares: how its WGSL is assembled, the workgroup size its kernels
//! declare, the stride of uniform tables bound with a dynamic offset, and the targets' layout.

use crate::data::{Dataset, Targets};

/// Invocations per workgroup of every kernel of every program (each shader's `WORKGROUP`; the
/// layout tests hold them equal).
pub const WORKGROUP: u32 = 64;

/// Entries of a table of uniforms bound with a dynamic offset start at multiples of
/// `min_uniform_buffer_offset_alignment`, which is at most 256 on every adapter.
pub const UNIFORM_STRIDE: u64 = 256;

/// A program's shader as the device compiles it: WGSL has no includes, so the shared
/// activations (`activate`, `activation_derivative`) go in front of the program's own source.
pub fn shader_source(program: &str) -> String {
    [include_str!("activation.wgsl"), program].concat()
}

/// A set's targets as the kernels read them: class labels as floats, or the values.
pub fn target_floats(set: &Dataset) -> Vec<f32> {
    match &set.targets {
        Targets::Classes { labels, .. } => labels.iter().map(|&c| c as f32).collect(),
        Targets::Values { values, .. } => values.clone(),
    }
}

/// One entry of a uniform table: `bytes`, zero-padded to [`UNIFORM_STRIDE`].
pub fn padded(bytes: &[u8]) -> Vec<u8> {
    let mut entry = bytes.to_vec();
    entry.resize(UNIFORM_STRIDE as usize, 0);
    entry
}

/// The first `size` bytes of a table of uniforms: a dynamic-offset binding covers one entry, and
/// the offset given with each dispatch picks which.
pub fn one_entry(buffer: &wgpu::Buffer, size: usize) -> wgpu::BindingResource<'_> {
    wgpu::BindingResource::Buffer(wgpu::BufferBinding { buffer, offset: 0, size: wgpu::BufferSize::new(size as u64) })
}
