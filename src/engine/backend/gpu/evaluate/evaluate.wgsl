// Forward-only evaluation of many parameter points of one MLP on a whole data set: the mean
// loss and the correct predictions of every point. The host prepends ../activation.wgsl.
//
// The points dimension works like training's runs dimension: every buffer carries it first and
// one dispatch covers all points of a round. To keep buffers small whatever the number of
// points, the host cuts the work into rounds of points (their parameters uploaded in turn to
// `points`) and chunks of rows; per round and row chunk it dispatches `forward` once per layer,
// then `loss`, which adds the chunk's sums to each point's running total in `sums`. The totals
// stay on the GPU across chunks and rounds and come back in one readback at the end.
// The CPU twin is `evaluate` in src/engine/backend/cpu.rs.

// The rows of one chunk of the data set (one entry per chunk, bound with a dynamic offset).
struct Rows {
    first: u32, // the data set's row of the chunk's row 0
    count: u32,
    _pad0: u32,
    _pad1: u32,
}

// One Linear layer (one entry per layer, bound with a dynamic offset).
struct Layer {
    fan_in: u32,
    fan_out: u32,
    w_off: u32,    // where its weight [fan_out][fan_in] starts in a point's parameters
    b_off: u32,    // where its bias [fan_out] starts
    in_half: u32,  // which half of `work` holds its inputs (unused by layer 0, which reads `data`)
    out_half: u32, // which half of `work` it writes
    is_first: u32,
    is_last: u32,  // no activation: its outputs are the logits or predictions
}

// The points of the round in flight, written by the host before each round's submission.
struct Round {
    first: u32,     // the index in `sums` of the round's point 0
    count: u32,
    half_len: u32,  // f32s in each half of `work`
    _pad: u32,
}

struct Model {
    params: u32,      // P, parameters of one point
    outputs: u32,
    activation: u32,  // ACT_*
    loss: u32,        // 0: cross-entropy, 1: MSE
    targets_off: u32, // where the targets start in `data`
    rows: u32,        // N, rows of the whole set
    _pad0: u32,
    _pad1: u32,
}

// A point's running totals over the rows seen so far.
struct PointSums {
    loss: f32,    // Σ over rows of the row's loss (cross-entropy) or squared errors (MSE)
    correct: u32, // rows whose largest logit is the label (cross-entropy only)
}

@group(0) @binding(0) var<uniform> rows: Rows;
@group(0) @binding(1) var<uniform> layer: Layer;
@group(0) @binding(2) var<uniform> this_round: Round;
@group(0) @binding(3) var<uniform> model: Model;
// The round's points, [count][P], each laid out as `Mlp` (per Linear, weight then bias).
@group(0) @binding(4) var<storage, read> points: array<f32>;
// Two halves of [count][width][rows.count]: each layer reads one and writes the other. Feature
// k of every row of a point is contiguous (as in the CPU twin), so neighbouring invocations,
// which take neighbouring rows, read and write neighbouring addresses.
@group(0) @binding(5) var<storage, read_write> work: array<f32>;
// The data set, uploaded once: inputs feature-major [features][N] (as `work`), then targets
// row-major (labels as floats, or values [N][outputs]).
@group(0) @binding(6) var<storage, read> data: array<f32>;
@group(0) @binding(7) var<storage, read_write> sums: array<PointSums>;

// The workgroup size of every kernel: `WORKGROUP` in ../program.rs.
const WORKGROUP = 64u;

// Where a kernel's workgroup is: its id and the grid, the same for every invocation in it. The
// invocation's own index comes as a separate argument: in a struct with it, these would count as
// varying too, and a barrier after a return that depends on them is refused (WGSL's uniformity
// rules, which browsers enforce).
struct Invocation {
    @builtin(workgroup_id) group_id: vec3<u32>,
    @builtin(num_workgroups) workgroups: vec3<u32>,
}

// Large dispatches are spread over y (each dimension has a limit, 65535 by default): this is
// the workgroup's place in the whole grid, whatever its shape.
fn flat_group(at: Invocation) -> u32 {
    return at.group_id.x + at.group_id.y * at.workgroups.x;
}

// Feature k of row n of the chunk, as input to this layer for point p.
fn layer_input(p: u32, n: u32, k: u32) -> f32 {
    if (layer.is_first == 1u) {
        return data[k * model.rows + rows.first + n];
    }
    return work[layer.in_half * this_round.half_len + (p * layer.fan_in + k) * rows.count + n];
}

// Outputs each invocation of `forward` computes: it reads each input once for all of them.
// `OUT_BLOCK` in mod.rs.
const OUT_BLOCK = 16u;

// z = W·a + b, then the activation (none on the last layer). One workgroup per (point, block of
// OUT_BLOCK outputs, tile of WORKGROUP rows), one invocation per row: the point and the block are
// the same for the whole workgroup, so every weight it reads is too (one load serves all its
// invocations, where the hardware or the driver notices), and each input is read once for all
// OUT_BLOCK outputs.
@compute @workgroup_size(WORKGROUP)
fn forward(at: Invocation, @builtin(local_invocation_index) t: u32) {
    let g = flat_group(at);
    let tiles = (rows.count + WORKGROUP - 1u) / WORKGROUP;
    let blocks = (layer.fan_out + OUT_BLOCK - 1u) / OUT_BLOCK;
    let block = (g / tiles) % blocks;
    let p = g / (tiles * blocks);
    let n = (g % tiles) * WORKGROUP + t;
    if (p >= this_round.count || n >= rows.count) {
        return;
    }
    let first = block * OUT_BLOCK;
    let width = min(OUT_BLOCK, layer.fan_out - first);
    let base = p * model.params;
    let w = base + layer.w_off + first * layer.fan_in;
    // Bias first, then each input's term, in the CPU twin's order of additions. The loops over
    // j have a constant trip count, so the compiler can unroll them and keep `z` in registers;
    // in a layer's last block, the outputs past its width are skipped.
    var z: array<f32, OUT_BLOCK>;
    for (var j = 0u; j < OUT_BLOCK; j++) {
        if (j < width) {
            z[j] = points[base + layer.b_off + first + j];
        }
    }
    for (var k = 0u; k < layer.fan_in; k++) {
        let a = layer_input(p, n, k);
        for (var j = 0u; j < OUT_BLOCK; j++) {
            if (j < width) {
                z[j] += points[w + j * layer.fan_in + k] * a;
            }
        }
    }
    let out = layer.out_half * this_round.half_len + (p * layer.fan_out + first) * rows.count + n;
    for (var j = 0u; j < width; j++) {
        work[out + j * rows.count] = select(activate(model.activation, z[j]), z[j], layer.is_last == 1u);
    }
}

var<workgroup> partial_loss: array<f32, WORKGROUP>;
var<workgroup> partial_correct: array<u32, WORKGROUP>;

// Each point's loss and correct predictions over the chunk's rows, added to its totals. One
// workgroup per point, its invocations striding over the rows; bound with the last layer.
@compute @workgroup_size(WORKGROUP)
fn loss(at: Invocation, @builtin(local_invocation_index) t: u32) {
    let p = flat_group(at);
    // The same for the whole workgroup, so every invocation that stays reaches the barriers.
    if (p >= this_round.count) {
        return;
    }
    let width = model.outputs;
    var total = 0.0;
    var correct = 0u;
    for (var n = t; n < rows.count; n += WORKGROUP) {
        // Output k of this row is at out + k * stride.
        let out = layer.out_half * this_round.half_len + p * width * rows.count + n;
        let stride = rows.count;
        let row = rows.first + n;
        if (model.loss == 0u) {
            let label = u32(data[model.targets_off + row]);
            // Log-sum-exp shifted by the largest logit, so large logits do not overflow; the
            // largest also names the prediction (the first of equals, as the CPU's argmax).
            var top = work[out];
            var best = 0u;
            for (var k = 1u; k < width; k++) {
                if (work[out + k * stride] > top) {
                    top = work[out + k * stride];
                    best = k;
                }
            }
            var sum = 0.0;
            for (var k = 0u; k < width; k++) {
                sum += exp(work[out + k * stride] - top);
            }
            total += top + log(sum) - work[out + label * stride];
            correct += select(0u, 1u, best == label);
        } else {
            for (var k = 0u; k < width; k++) {
                let diff = work[out + k * stride] - data[model.targets_off + row * width + k];
                total += diff * diff;
            }
        }
    }
    // A tree reduction in workgroup memory: after each halving, the first `stride` slots hold
    // the sums of twice as many invocations; the barrier makes each level's writes visible.
    partial_loss[t] = total;
    partial_correct[t] = correct;
    workgroupBarrier();
    for (var stride = WORKGROUP / 2u; stride > 0u; stride >>= 1u) {
        if (t < stride) {
            partial_loss[t] += partial_loss[t + stride];
            partial_correct[t] += partial_correct[t + stride];
        }
        workgroupBarrier();
    }
    // One workgroup per point and dispatches that run in order: no other invocation touches
    // this point's totals, so a plain read-modify-write needs no atomics.
    if (t == 0u) {
        let slot = this_round.first + p;
        sums[slot].loss += partial_loss[0];
        sums[slot].correct += partial_correct[0];
    }
}
