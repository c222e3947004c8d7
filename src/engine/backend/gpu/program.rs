//! What every GPU program shares: how its WGSL is assembled, the workgroup size its kernels
//! declare, the stride of uniform tables bound with a dynamic offset, and the targets' layout.

use crate::data::{Dataset, Targets};

/// Invocations per workgroup of every kernel of every program but the fused trainer's, which
/// counts runs (each shader's `WORKGROUP`; the layout tests hold them equal).
pub const WORKGROUP: u32 = 64;

/// Entries of a table of uniforms bound with a dynamic offset start at multiples of
/// `min_uniform_buffer_offset_alignment`, which is at most 256 on every adapter.
pub const UNIFORM_STRIDE: u64 = 256;

/// A program's shader as the device compiles it: WGSL has no includes, so the shared
/// activations (`activate`, `activation_derivative`) go in front of the program's own source.
pub fn shader_source(program: &str) -> String {
    [compact_wgsl!(include_str!("activation.wgsl")), program].concat()
}

/// A WGSL source (a `&'static str` constant, e.g. `include_str!`) without its comments,
/// indentation and blank lines, computed at compile time: the module ships the shaders without
/// the bytes written for their readers.
macro_rules! compact_wgsl {
    ($source:expr) => {{
        const SOURCE: &str = $source;
        const LEN: usize = $crate::engine::backend::gpu::program::compact_wgsl_into(SOURCE.as_bytes(), &mut []);
        const BYTES: [u8; LEN] = {
            let mut bytes = [0; LEN];
            $crate::engine::backend::gpu::program::compact_wgsl_into(SOURCE.as_bytes(), &mut bytes);
            bytes
        };
        const TEXT: &str = match core::str::from_utf8(&BYTES) {
            Ok(text) => text,
            Err(_) => panic!("compacted WGSL is not UTF-8"),
        };
        TEXT
    }};
}
pub(super) use compact_wgsl;

/// Writes `source` without `//` comments, leading and trailing blanks, runs of blanks (one space
/// stays) and empty lines into `out` as far as it reaches; returns the compacted length. WGSL has
/// no string literals, so `//` always starts a comment and blanks only separate tokens.
pub const fn compact_wgsl_into(source: &[u8], out: &mut [u8]) -> usize {
    let (mut i, mut len) = (0, 0);
    let (mut line_has_code, mut blank_pending) = (false, false);
    while i < source.len() {
        let byte = source[i];
        i += 1;
        let emit = match byte {
            b'/' if i < source.len() && source[i] == b'/' => {
                while i < source.len() && source[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\n' if line_has_code => {
                (line_has_code, blank_pending) = (false, false);
                b'\n'
            }
            b'\n' => continue,
            b' ' | b'\t' | b'\r' => {
                blank_pending = line_has_code;
                continue;
            }
            _ if blank_pending => {
                blank_pending = false;
                i -= 1;
                b' '
            }
            _ => {
                line_has_code = true;
                byte
            }
        };
        if len < out.len() {
            out[len] = emit;
        }
        len += 1;
    }
    len
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

#[cfg(test)]
mod tests {
    const SAMPLE: &str =
        "// header\n\nfn f(a: f32) -> f32 {  // why\n    let b  =\ta * 2.0 / 3.0;\r\n\n    return b;   \n}\n";

    #[test]
    fn compact_wgsl_drops_comments_indentation_and_blank_lines() {
        assert_eq!(compact_wgsl!(SAMPLE), "fn f(a: f32) -> f32 {\nlet b = a * 2.0 / 3.0;\nreturn b;\n}\n");
    }
}
