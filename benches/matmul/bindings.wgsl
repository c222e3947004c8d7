// The bindings both matmul kernels share (kernel.rs puts this file in front of each):
// C = A × B for row-major A [m, k], B [k, n], C [m, n].

struct Dims {
    m: u32,
    k: u32,
    n: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

