// C = A × B for row-major A [m, k] and B [k, n]: one invocation per output element.
// The baseline the tiled kernel is measured against, and the simplest proof that compute works.

// Bindings (dims, a, b, c): bindings.wgsl.

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let row = id.y;
    let col = id.x;
    if (row >= dims.m || col >= dims.n) {
        return;
    }
    var sum = 0.0;
    for (var i = 0u; i < dims.k; i++) {
        sum += a[row * dims.k + i] * b[i * dims.n + col];
    }
    c[row * dims.n + col] = sum;
}
