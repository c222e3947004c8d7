//! Test support: WGSL structs and their Rust twins held equal by a test instead of by hand.
//!
//! A uniform's bytes are written by Rust (`bytemuck::bytes_of` of a `#[repr(C)]` struct) and read
//! by WGSL under WGSL's own layout rules (a `vec4` aligns to 16 bytes, a struct's size rounds up
//! to its alignment, ...). Nothing checks that the two agree: a field added on one side only
//! shifts every field after it, silently. These helpers parse the shader with naga (the WGSL
//! front end wgpu itself uses) and compare names, offsets, sizes and the total size:
//!
//! ```ignore
//! assert_layout!(SOURCE, "Layer", LayerUniform { fan_in, fan_out, w_off, _pad });
//! assert_workgroup_sizes(SOURCE, &[("forward", [WORKGROUP, 1, 1]), ("loss", [WORKGROUP, 1, 1])]);
//! assert_eq!(wgsl_u32_const(SOURCE, "OUT_BLOCK"), OUT_BLOCK as u32);
//! ```
//!
//! Members whose name starts with `_` are padding: they are left out of the comparison on both
//! sides, while the total size still holds the padding to the same length. (Uniform arrays in
//! WGSL have 16-byte strides, so where Rust pads with `_pad: [u32; 3]` WGSL writes `_pad0`,
//! `_pad1`, `_pad2`.)

/// A struct's size and its members in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructLayout {
    pub size: u32,
    pub members: Vec<Member>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub offset: u32,
    pub size: u32,
}

impl StructLayout {
    /// The same layout without the padding members.
    fn without_padding(&self) -> StructLayout {
        let members = self.members.iter().filter(|m| !m.name.starts_with('_')).cloned().collect();
        StructLayout { size: self.size, members }
    }
}

fn parse(source: &str) -> naga::Module {
    naga::front::wgsl::parse_str(source)
        .unwrap_or_else(|e| panic!("WGSL does not parse:\n{}", e.emit_to_string(source)))
}

/// The layout WGSL gives struct `name` of `source`, as a uniform or storage buffer holds it.
pub fn wgsl_struct(source: &str, name: &str) -> StructLayout {
    let module = parse(source);
    let mut layouter = naga::proc::Layouter::default();
    layouter.update(module.to_ctx()).unwrap_or_else(|e| panic!("naga cannot lay out the types: {e}"));
    let (members, span) = module
        .types
        .iter()
        .find_map(|(_, ty)| match &ty.inner {
            naga::TypeInner::Struct { members, span } if ty.name.as_deref() == Some(name) => Some((members, *span)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no struct {name} in the WGSL"));
    let members = members
        .iter()
        .map(|m| Member { name: m.name.clone().unwrap_or_default(), offset: m.offset, size: layouter[m.ty].size })
        .collect();
    StructLayout { size: span, members }
}

/// `(entry point, @workgroup_size)` of every compute entry point of `source`, in source order.
pub fn workgroup_sizes(source: &str) -> Vec<(String, [u32; 3])> {
    let module = parse(source);
    module
        .entry_points
        .iter()
        .filter(|e| e.stage == naga::ShaderStage::Compute)
        .map(|e| (e.name.clone(), e.workgroup_size))
        .collect()
}

/// The value of `const name: u32` in `source`: a WGSL constant that the host's arithmetic
/// mirrors (a block size, say) is then asserted equal to its Rust twin.
pub fn wgsl_u32_const(source: &str, name: &str) -> u32 {
    let module = parse(source);
    let constant = module
        .constants
        .iter()
        .find(|(_, c)| c.name.as_deref() == Some(name))
        .map(|(_, c)| c.init)
        .unwrap_or_else(|| panic!("no const {name} in the WGSL"));
    match module.global_expressions[constant] {
        naga::Expression::Literal(naga::Literal::U32(value)) => value,
        ref other => panic!("const {name} is not a u32 literal: {other:?}"),
    }
}

/// Asserts that the compute entry points of `source` are exactly `expected`, each with the
/// workgroup size the host's dispatch arithmetic assumes.
pub fn assert_workgroup_sizes(source: &str, expected: &[(&str, [u32; 3])]) {
    let expected: Vec<(String, [u32; 3])> = expected.iter().map(|&(name, size)| (name.to_string(), size)).collect();
    assert_eq!(workgroup_sizes(source), expected, "entry points and @workgroup_size (left: WGSL, right: Rust)");
}

/// Asserts that struct `wgsl_name` of `source` and `rust` (from [`rust_layout!`]) agree.
pub fn assert_same_layout(source: &str, wgsl_name: &str, rust: &StructLayout) {
    let wgsl = wgsl_struct(source, wgsl_name);
    assert_eq!(
        wgsl.without_padding(),
        rust.without_padding(),
        "WGSL struct {wgsl_name} (left) and its Rust twin (right) are laid out differently"
    );
}

/// The size of the field a projection `|s: &T| &s.field` reaches.
pub fn field_size<T, F>(_: fn(&T) -> &F) -> u32 {
    std::mem::size_of::<F>() as u32
}

/// The [`StructLayout`] of a `#[repr(C)]` Rust struct: `rust_layout!(Type { field, ... })`
/// with every field, in declaration order. Leaving one out does not compile: the list is
/// also matched as a struct pattern, which must name them all.
macro_rules! rust_layout {
    ($ty:ident { $($field:ident),+ $(,)? }) => {{
        #[allow(unused)]
        fn every_field_is_listed(value: &$ty) {
            let $ty { $($field: _),+ } = value;
        }
        $crate::gpu::layout::StructLayout {
            size: ::std::mem::size_of::<$ty>() as u32,
            members: vec![$($crate::gpu::layout::Member {
                name: stringify!($field).to_string(),
                offset: ::std::mem::offset_of!($ty, $field) as u32,
                size: $crate::gpu::layout::field_size(|s: &$ty| &s.$field),
            }),+],
        }
    }};
}
pub(crate) use rust_layout;

/// `assert_layout!(SOURCE, "WgslName", RustType { field, ... })`: [`assert_same_layout`] of the
/// WGSL struct and [`rust_layout!`] of the Rust one.
macro_rules! assert_layout {
    ($source:expr, $wgsl_name:expr, $ty:ident { $($field:ident),+ $(,)? }) => {
        $crate::gpu::layout::assert_same_layout(
            $source,
            $wgsl_name,
            &$crate::gpu::layout::rust_layout!($ty { $($field),+ }),
        )
    };
}
pub(crate) use assert_layout;

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "
        const BLOCK = 16u;
        struct Packed { a: u32, b: vec2<f32>, _pad: u32, c: vec4<f32> }
        @group(0) @binding(0) var<uniform> packed: Packed;
        @compute @workgroup_size(8, 4) fn first() { _ = packed.a; }
        @compute @workgroup_size(64) fn second() {}
    ";

    #[repr(C)]
    struct Packed {
        a: u32,
        _gap: u32,
        b: [f32; 2],
        _pad: [u32; 4],
        c: [f32; 4],
    }

    #[test]
    fn wgsl_offsets_follow_its_alignment_rules() {
        let layout = wgsl_struct(SOURCE, "Packed");
        let member = |name: &str, offset, size| Member { name: name.into(), offset, size };
        // vec2 aligns to 8 and vec4 to 16: gaps a Rust twin has to spell out.
        assert_eq!(
            layout,
            StructLayout {
                size: 48,
                members: vec![member("a", 0, 4), member("b", 8, 8), member("_pad", 16, 4), member("c", 32, 16)]
            }
        );
    }

    #[test]
    fn a_twin_with_the_same_named_members_passes() {
        assert_layout!(SOURCE, "Packed", Packed { a, _gap, b, _pad, c });
        assert_workgroup_sizes(SOURCE, &[("first", [8, 4, 1]), ("second", [64, 1, 1])]);
        assert_eq!(wgsl_u32_const(SOURCE, "BLOCK"), 16);
    }

    #[test]
    #[should_panic(expected = "laid out differently")]
    fn a_shifted_member_fails() {
        #[repr(C)]
        struct Packed {
            a: u32,
            b: [f32; 2],
            c: [f32; 4],
        }
        assert_layout!(SOURCE, "Packed", Packed { a, b, c });
    }

    #[test]
    #[should_panic(expected = "@workgroup_size")]
    fn a_workgroup_size_the_host_does_not_dispatch_with_fails() {
        assert_workgroup_sizes(SOURCE, &[("first", [8, 8, 1]), ("second", [64, 1, 1])]);
    }
}
