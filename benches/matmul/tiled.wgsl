// C = A × B for row-major A [m, k] and B [k, n], any m, k, n: the tiled kernel.
//
// The naive kernel reads 2k values from storage (global) memory for every element of C: each
// value of A is read n times over, each value of B m times. Two levels of reuse cut that down:
//
// 1. Workgroup tiles. A workgroup owns a BM × BN block of C. It walks along k in slices TILE_K
//    deep: all its invocations together copy a BM × TILE_K slice of A and a TILE_K × BN slice of
//    B into workgroup (shared) memory, which is on-chip and far faster than storage memory, wait
//    at a barrier, and then all read the slices from there. Each value of A is now read from
//    storage n / BN times instead of n times, each value of B m / BM times.
// 2. Register tiles. Each invocation computes an 8 × 8 block of C held in registers, as four
//    4 × 4 blocks (mat4x4 accumulators). Per step along k it reads two vec4s of A's slice and
//    two of B's and does 64 multiply-adds with them: 16 values read per 64 FMAs, where one
//    element per invocation would read 2 values per FMA. Reads of workgroup memory are cheaper
//    than storage reads but not free (on a CPU implementation such as lavapipe they are the
//    main cost), so this is what makes the kernel fast.
//
// Shapes that are not multiples of the tile are zero-padded as the slices are loaded
// (out-of-range elements of A and B read as 0 and add nothing), and outputs outside C are not
// written. The host dispatches ceil(n / BN) × ceil(m / BM) workgroups.

// Bindings (dims, a, b, c): bindings.wgsl.

// Pipeline-overridable constants: the host picks them from the adapter's limits (invocations per
// workgroup, workgroup size per dimension, bytes of workgroup memory) when it creates the
// pipeline, and the driver compiles the shader with them as true constants.
override WG_X: u32 = 16u;   // invocations per workgroup along n (columns of C)
override WG_Y: u32 = 16u;   // invocations per workgroup along m (rows of C)
override TILE_K: u32 = 16u; // depth of the slices of A and B staged in workgroup memory per step

// The register tile, 8 × 8 per invocation, is fixed: its accumulators are named variables, which
// stay in registers (an array indexed in a loop may not). In units of 4-wide quads:
const QUADS: u32 = 2u;           // 2 × 4 = 8 rows, and 8 columns, per invocation
override A_QUADS: u32 = WG_Y * QUADS; // row quads per workgroup block: BM = 4 · A_QUADS
override B_QUADS: u32 = WG_X * QUADS; // column quads per workgroup block: BN = 4 · B_QUADS

// The staged slices, both as vec4s so the inner loop does whole-vector reads.
// A's slice is stored transposed (k-major): a_tile[kk * A_QUADS + q] holds rows 4q..4q+3 of the
// block at depth kk, so four rows of A are one read. B's slice is stored as it is:
// b_tile[kk * B_QUADS + q] holds columns 4q..4q+3 at depth kk.
//
// Invocation (tx, ty) owns row quads ty and ty + WG_Y and column quads tx and tx + WG_X, rather
// than neighbouring quads: then invocations with consecutive tx read consecutive vec4s of b_tile,
// and those with the same ty read the same vec4 of a_tile (a broadcast), so no two invocations
// of a read contend for the same memory bank.
var<workgroup> a_tile: array<vec4<f32>, TILE_K * A_QUADS>;
var<workgroup> b_tile: array<vec4<f32>, TILE_K * B_QUADS>;

// A[row, col], or 0 outside A: the zero padding of partial tiles.
fn load_a(row: u32, col: u32) -> f32 {
    if (row < dims.m && col < dims.k) {
        return a[row * dims.k + col];
    }
    return 0.0;
}

fn load_b(row: u32, col: u32) -> f32 {
    if (row < dims.k && col < dims.n) {
        return b[row * dims.n + col];
    }
    return 0.0;
}

// The 4 × 4 products of four rows of A (a) with four columns of B (b), column r of the result
// being row r of the block of C: a rank-1 update of the accumulator.
fn outer(a: vec4<f32>, b: vec4<f32>) -> mat4x4<f32> {
    return mat4x4<f32>(a.x * b, a.y * b, a.z * b, a.w * b);
}

@compute @workgroup_size(WG_X, WG_Y)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_id) local: vec3<u32>,
    @builtin(local_invocation_index) flat: u32,
) {
    let tx = local.x;
    let ty = local.y;
    let invocations = WG_X * WG_Y;
    // The top-left corner of the block of C this workgroup owns.
    let block_row = group.y * A_QUADS * 4u;
    let block_col = group.x * B_QUADS * 4u;

    // acc_ij: row quad ty + i·WG_Y × column quad tx + j·WG_X.
    var acc00 = mat4x4<f32>();
    var acc01 = mat4x4<f32>();
    var acc10 = mat4x4<f32>();
    var acc11 = mat4x4<f32>();

    for (var k0 = 0u; k0 < dims.k; k0 += TILE_K) {
        // Stage the slices. Consecutive invocations take consecutive kk of A (and consecutive
        // column quads of B), so their storage reads fall on neighbouring addresses and the
        // hardware can merge them (coalescing).
        for (var i = flat; i < TILE_K * A_QUADS; i += invocations) {
            let kk = i % TILE_K;
            let quad = i / TILE_K;
            let row = block_row + quad * 4u;
            a_tile[kk * A_QUADS + quad] = vec4<f32>(
                load_a(row, k0 + kk),
                load_a(row + 1u, k0 + kk),
                load_a(row + 2u, k0 + kk),
                load_a(row + 3u, k0 + kk),
            );
        }
        for (var i = flat; i < TILE_K * B_QUADS; i += invocations) {
            let quad = i % B_QUADS;
            let kk = i / B_QUADS;
            let col = block_col + quad * 4u;
            b_tile[i] = vec4<f32>(
                load_b(k0 + kk, col),
                load_b(k0 + kk, col + 1u),
                load_b(k0 + kk, col + 2u),
                load_b(k0 + kk, col + 3u),
            );
        }
        // Every invocation must see the whole slice before any reads it.
        workgroupBarrier();

        for (var kk = 0u; kk < TILE_K; kk++) {
            let a0 = a_tile[kk * A_QUADS + ty];
            let a1 = a_tile[kk * A_QUADS + ty + WG_Y];
            let b0 = b_tile[kk * B_QUADS + tx];
            let b1 = b_tile[kk * B_QUADS + tx + WG_X];
            acc00 += outer(a0, b0);
            acc01 += outer(a0, b1);
            acc10 += outer(a1, b0);
            acc11 += outer(a1, b1);
        }
        // ... and every invocation must be done reading before the next slice overwrites it.
        workgroupBarrier();
    }

    let row0 = block_row + ty * 4u;
    let row1 = block_row + (ty + WG_Y) * 4u;
    let col0 = block_col + tx * 4u;
    let col1 = block_col + (tx + WG_X) * 4u;
    store_block(row0, col0, acc00);
    store_block(row0, col1, acc01);
    store_block(row1, col0, acc10);
    store_block(row1, col1, acc11);
}

// Writes the part of a 4 × 4 block (column r = row r of C) that lies inside C.
fn store_block(row: u32, col: u32, block: mat4x4<f32>) {
    for (var r = 0u; r < 4u; r++) {
        if (row + r >= dims.m) {
            return;
        }
        for (var j = 0u; j < 4u; j++) {
            if (col + j < dims.n) {
                c[(row + r) * dims.n + col + j] = block[r][j];
            }
        }
    }
}
