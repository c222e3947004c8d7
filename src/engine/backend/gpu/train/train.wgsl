// One optimizer step of R runs of an MLP, as kernels the host dispatches in order within one
// compute pass: `forward` for each layer, `loss`, then from the top layer down `backward_weights`
// and `backward_inputs`, then `update`. Every buffer carries the run dimension first, and every
// dispatch covers all runs. Many steps are encoded back to back; the step index arrives through
// a uniform bound with a dynamic offset, so no data moves between steps.
// Each kernel's work for one invocation (a tile of a layer's cells, a run's loss, a parameter) is
// a function of the step and the layer, so that fused.wgsl (appended by the host) can run the
// same arithmetic for whole steps in one dispatch.
// The CPU twin of every kernel is in src/engine/backend/cpu.rs and src/engine/optimizer/. The
// host prepends ../activation.wgsl (activate, activation_derivative).

struct Step {
    index: u32,
}

// One Linear layer; offsets index `work` ([R][B][width] blocks) and one run's parameters.
struct Layer {
    fan_in: u32,
    fan_out: u32,
    w_off: u32,
    b_off: u32,
    z_off: u32,   // this layer's pre-activations
    a_off: u32,   // this layer's outputs
    in_off: u32,  // the previous layer's outputs (layer 0 reads the batch from `data`)
    zin_off: u32, // the previous layer's pre-activations, for the activation's derivative
    dz_off: u32,  // d loss / d z of this layer
    da_off: u32,  // where backward_inputs writes d loss / d z of the previous layer
    is_first: u32,
    is_last: u32,
    group: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

struct Model {
    runs: u32,
    batch: u32,
    params: u32,      // P, parameters of one run
    groups: u32,
    outputs: u32,
    activation: u32,  // ACT_*
    loss: u32,        // 0: cross-entropy, 1: MSE
    optimizer: u32,   // 0: SGD, 1: Adam, 2: AdamW
    nesterov: u32,
    dampening: f32,
    weight_decay: f32,
    beta2: f32,
    eps: f32,
    targets_off: u32, // where the targets start in `data`
    capacity: u32,    // steps per block the report has room for
    row_sets: u32,    // 1: all runs share the batch rows; R: each run has its own
    group_end: array<vec4<u32>, 2>, // the parameter index where each group ends (up to 8)
}

// What one group of one run does at one step (`HyperRecord` in uniforms.rs): the update's
// scalars, computed on the host as PyTorch computes them in Python, and its flags.
struct HyperRecord {
    lr: f32,
    momentum: f32,         // SGD momentum or Adam beta1
    step_size: f32,        // Adam: lr / (1 - beta1^k)
    correction2_sqrt: f32, // Adam: sqrt(1 - beta2^k)
    first_step: u32,       // 1: SGD's momentum buffer starts as this step's gradient
    trains: u32,           // 1: the group trains at this step
    takes_step: u32,       // 1: its run takes the step (frozen or not)
    first_weight: f32,     // Adam: 1 - beta1, rounded once from f64 as torch rounds a Python float
    second_weight: f32,    // Adam: 1 - beta2, likewise
    decay: f32,            // AdamW: 1 - lr * weight_decay, likewise
}

// The workgroup size of every kernel: `WORKGROUP` in ../program.rs.
const WORKGROUP = 64u;

// Sections of P floats in one run's `state` (`STATE_SECTIONS` in src/engine/runs.rs).
const STATE_SECTIONS = 5u;

const SGD = 0u;
const ADAMW = 2u;

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<uniform> layer: Layer;
@group(0) @binding(2) var<uniform> model: Model;
// Per run, five sections of P: parameters, gradients, first moment (SGD's momentum buffer or
// Adam's exp_avg), second moment, and the parameters before the last update.
@group(0) @binding(3) var<storage, read_write> state: array<f32>;
@group(0) @binding(4) var<storage, read_write> work: array<f32>;
// The training set: inputs [N][features], then targets (class labels as floats, or values).
@group(0) @binding(5) var<storage, read> data: array<f32>;
// The row of each batch slot of each step of the block: [steps][row_sets][B].
@group(0) @binding(6) var<storage, read> rows: array<u32>;
// Per step, run and group: [steps][R][groups].
@group(0) @binding(7) var<storage, read> hyper: array<HyperRecord>;
// Losses [capacity][R], then one alive flag per run (the loss kernel clears it on NaN/Inf).
@group(0) @binding(8) var<storage, read_write> report: array<f32>;

// Large dispatches are split over y (at most 65535 workgroups per dimension).
fn flat_index(id: vec3<u32>, workgroups: vec3<u32>) -> u32 {
    return id.x + id.y * workgroups.x * WORKGROUP;
}

fn alive(r: u32) -> bool {
    return report[model.capacity * model.runs + r] > 0.5;
}

fn run_base(r: u32) -> u32 {
    return r * STATE_SECTIONS * model.params;
}

// The training-set row in batch slot b of run r at step s of the block.
fn batch_row(s: u32, r: u32, b: u32) -> u32 {
    let row_set = min(r, model.row_sets - 1u);
    return rows[(s * model.row_sets + row_set) * model.batch + b];
}

fn hyper_of(s: u32, r: u32, g: u32) -> HyperRecord {
    return hyper[(s * model.runs + r) * model.groups + g];
}

// Where slot b's inputs to layer L start at step s: its row of the training set in `data`
// (layer 0), else the layer below's outputs in `work`. Looked up once per row of a tile, not
// per input.
fn input_start(s: u32, L: Layer, r: u32, b: u32) -> u32 {
    if (L.is_first == 1u) {
        return batch_row(s, r, b) * L.fan_in;
    }
    return L.in_off + (r * model.batch + b) * L.fan_in;
}

// Cells per side of a tile: an invocation of the matrix kernels computes TILE x TILE cells of a
// layer, so that each value it loads serves TILE cells (8 loads a term for 16 cells, where a cell
// alone loads 2 for 1). Adapters that run shaders on the CPU load from a buffer lane by lane, so
// their speed follows the loads (`TILE` in mod.rs).
const TILE = 4u;

// Tile `i` of every run's [rows][cols] grid of cells: its run and first row and column.
struct Tile {
    run: u32,
    row: u32,
    col: u32,
}

fn tiles(count: u32) -> u32 {
    return (count + TILE - 1u) / TILE;
}

fn tile_of(i: u32, rows: u32, cols: u32) -> Tile {
    let per_run = tiles(rows) * tiles(cols);
    let t = i % per_run;
    return Tile(i / per_run, (t / tiles(cols)) * TILE, (t % tiles(cols)) * TILE);
}

// The TILE indices from `first`, clamped below `count`: loads past the edge read the last one,
// and their cells are not stored.
fn span(first: u32, count: u32) -> vec4<u32> {
    return min(vec4<u32>(first) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(count - 1u));
}

// A tile's sums, a row of the tile per vector.
struct TileSums {
    r0: vec4<f32>,
    r1: vec4<f32>,
    r2: vec4<f32>,
    r3: vec4<f32>,
}

// `sums` plus one term of each: the product of the row's value in `rows` and the column's in
// `cols`.
fn add_outer(sums: TileSums, rows: vec4<f32>, cols: vec4<f32>) -> TileSums {
    return TileSums(sums.r0 + rows.x * cols, sums.r1 + rows.y * cols, sums.r2 + rows.z * cols, sums.r3 + rows.w * cols);
}

// What a tile's cells are, for `store_tile`.
const STORE_FORWARD = 0u;
const STORE_WEIGHTS = 1u;
const STORE_INPUTS = 2u;

// Stores every cell of a tile that is in range, as `kind` says (a constant at every call, so the
// switch folds away): a loop over the rows, each row's cells written out. Written out whole, the
// stores made the shaders 3x slower to build; with a loop over a row's cells, lavapipe spent
// about a millisecond of driver time on every dispatch of backward_weights.
fn store_tile(kind: u32, L: Layer, t: Tile, sums: TileSums) {
    for (var r = 0u; r < TILE; r++) {
        store_row(kind, L, t, r, select(select(select(sums.r0, sums.r1, r == 1u), sums.r2, r == 2u), sums.r3, r == 3u));
    }
}

fn store_row(kind: u32, L: Layer, t: Tile, r: u32, row: vec4<f32>) {
    store_cell(kind, L, t, r, 0u, row.x);
    store_cell(kind, L, t, r, 1u, row.y);
    store_cell(kind, L, t, r, 2u, row.z);
    store_cell(kind, L, t, r, 3u, row.w);
}

fn store_cell(kind: u32, L: Layer, t: Tile, r: u32, c: u32, value: f32) {
    switch kind {
        case STORE_FORWARD: { store_forward(L, t, r, c, value); }
        case STORE_WEIGHTS: { store_weights(L, t, r, c, value); }
        default: { store_inputs(L, t, r, c, value); }
    }
}

// z = a · Wᵀ + b, then the activation (none on the last layer), for tile i of [R][B][fan_out]:
// z[b][o] = b[o] + Σ_k a[b][k]·W[o][k], the sum from 0 in input order.
fn forward_tile(s: u32, L: Layer, i: u32) {
    let t = tile_of(i, model.batch, L.fan_out);
    if (t.run >= model.runs || !alive(t.run)) {
        return;
    }
    let b = span(t.row, model.batch);
    let o = span(t.col, L.fan_out);
    let x = vec4<u32>(input_start(s, L, t.run, b.x), input_start(s, L, t.run, b.y),
                      input_start(s, L, t.run, b.z), input_start(s, L, t.run, b.w));
    let w = run_base(t.run) + L.w_off + o * L.fan_in;
    var sums = TileSums();
    if (L.is_first == 1u) {
        for (var k = 0u; k < L.fan_in; k++) {
            let inputs = vec4<f32>(data[x.x + k], data[x.y + k], data[x.z + k], data[x.w + k]);
            sums = add_outer(sums, inputs, vec4<f32>(state[w.x + k], state[w.y + k], state[w.z + k], state[w.w + k]));
        }
    } else {
        for (var k = 0u; k < L.fan_in; k++) {
            let inputs = vec4<f32>(work[x.x + k], work[x.y + k], work[x.z + k], work[x.w + k]);
            sums = add_outer(sums, inputs, vec4<f32>(state[w.x + k], state[w.y + k], state[w.z + k], state[w.w + k]));
        }
    }
    let bias_at = run_base(t.run) + L.b_off + o;
    let bias = vec4<f32>(state[bias_at.x], state[bias_at.y], state[bias_at.z], state[bias_at.w]);
    store_tile(STORE_FORWARD, L, t, TileSums(bias + sums.r0, bias + sums.r1, bias + sums.r2, bias + sums.r3));
}

// Cell (r, c) of a forward tile: its pre-activation `z` and its activation, where in range.
fn store_forward(L: Layer, t: Tile, r: u32, c: u32, z: f32) {
    if (t.row + r < model.batch && t.col + c < L.fan_out) {
        let at = (t.run * model.batch + t.row + r) * L.fan_out + t.col + c;
        work[L.z_off + at] = z;
        work[L.a_off + at] = select(activate(model.activation, z), z, L.is_last == 1u);
    }
}

// One invocation per (run, tile of slots by outputs).
@compute @workgroup_size(WORKGROUP)
fn forward(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) wg: vec3<u32>) {
    forward_tile(step.index, layer, flat_index(id, wg));
}

var<workgroup> partial: array<f32, WORKGROUP>;
// The loss reported for a run that no longer trains: a quiet NaN. A variable, since WGSL
// (Tint) rejects a NaN constant expression.
var<private> NAN_BITS: u32 = 0x7fc00000u;

// `total` plus the loss of batch slot b of run r at step s (MSE adds each output's in turn),
// and d loss / d outputs for that slot (L: the last layer).
fn add_slot_loss(total: f32, s: u32, L: Layer, r: u32, b: u32) -> f32 {
    let width = model.outputs;
    let out = L.a_off + (r * model.batch + b) * width;
    let grad = L.dz_off + (r * model.batch + b) * width;
    let row = batch_row(s, r, b);
    if (model.loss == 0u) {
        let label = u32(data[model.targets_off + row]);
        var top = work[out];
        for (var k = 1u; k < width; k++) {
            top = max(top, work[out + k]);
        }
        var sum = 0.0;
        for (var k = 0u; k < width; k++) {
            sum += exp(work[out + k] - top);
        }
        let log_sum = top + log(sum);
        for (var k = 0u; k < width; k++) {
            let p = exp(work[out + k] - log_sum);
            work[grad + k] = (p - select(0.0, 1.0, k == label)) / f32(model.batch);
        }
        return total + (log_sum - work[out + label]);
    }
    var sum = total;
    for (var k = 0u; k < width; k++) {
        let diff = work[out + k] - data[model.targets_off + row * width + k];
        sum += diff * diff;
        work[grad + k] = 2.0 * diff / f32(model.batch * width);
    }
    return sum;
}

// Invocation t's share of run r's batch loss at step s: the slots t, t + WORKGROUP, ... in turn.
fn partial_loss(s: u32, L: Layer, r: u32, t: u32) -> f32 {
    var total = 0.0;
    if (alive(r)) {
        for (var b = t; b < model.batch; b += WORKGROUP) {
            total = add_slot_loss(total, s, L, r, b);
        }
    }
    return total;
}

// Reports run r's batch loss at step s from the sum of every slot's loss, and stops the run
// where it is not finite.
fn report_loss(s: u32, r: u32, sum: f32) {
    let live = alive(r);
    let count = select(f32(model.batch * model.outputs), f32(model.batch), model.loss == 0u);
    let value = select(bitcast<f32>(NAN_BITS), sum / count, live);
    report[s * model.runs + r] = value;
    // NaN fails every comparison: anything not provably finite stops the run.
    if (live && !(abs(value) <= 3.4e38)) {
        report[model.capacity * model.runs + r] = 0.0;
    }
}

// The batch loss of run r at step s and d loss / d outputs (L: the last layer), by the
// WORKGROUP invocations of one workgroup (t: this one's index), summed as a tree; call in
// uniform control flow.
fn run_loss(s: u32, L: Layer, r: u32, t: u32) {
    partial[t] = partial_loss(s, L, r, t);
    workgroupBarrier();
    for (var stride = WORKGROUP / 2u; stride > 0u; stride >>= 1u) {
        if (t < stride) {
            partial[t] += partial[t + stride];
        }
        workgroupBarrier();
    }
    if (t == 0u) {
        report_loss(s, r, partial[0]);
    }
}

// One workgroup per run. Bound with the last layer.
@compute @workgroup_size(WORKGROUP)
fn loss(@builtin(workgroup_id) group_id: vec3<u32>, @builtin(local_invocation_index) t: u32) {
    run_loss(step.index, layer, group_id.x, t);
}

fn trains(s: u32, r: u32, g: u32) -> bool {
    return alive(r) && hyper_of(s, r, g).trains == 1u;
}

// dW = dzᵀ · a and db = Σ dz over the batch, for tile i of [R][fan_out][fan_in + 1]: each sum
// from 0 in batch order. The bias column multiplies dz by 1, which is exact.
fn backward_weights_tile(s: u32, L: Layer, i: u32) {
    let cols = L.fan_in + 1u;
    let t = tile_of(i, L.fan_out, cols);
    if (t.run >= model.runs || !trains(s, t.run, L.group)) {
        return;
    }
    let o = span(t.row, L.fan_out);
    let k = span(t.col, cols);
    let is_bias = k == vec4<u32>(L.fan_in);
    // Input column k (the bias column loads a real one and ignores it).
    let column = min(k, vec4<u32>(L.fan_in - 1u));
    let dz = L.dz_off + t.run * model.batch * L.fan_out + o;
    // Layer 0 reads its inputs from the training set, the others from the layer below.
    var sums = TileSums();
    if (L.is_first == 1u) {
        for (var b = 0u; b < model.batch; b++) {
            let x = batch_row(s, t.run, b) * L.fan_in + column;
            let inputs = select(vec4<f32>(data[x.x], data[x.y], data[x.z], data[x.w]), vec4<f32>(1.0), is_bias);
            let d = dz + b * L.fan_out;
            sums = add_outer(sums, vec4<f32>(work[d.x], work[d.y], work[d.z], work[d.w]), inputs);
        }
    } else {
        for (var b = 0u; b < model.batch; b++) {
            let x = L.in_off + (t.run * model.batch + b) * L.fan_in + column;
            let inputs = select(vec4<f32>(work[x.x], work[x.y], work[x.z], work[x.w]), vec4<f32>(1.0), is_bias);
            let d = dz + b * L.fan_out;
            sums = add_outer(sums, vec4<f32>(work[d.x], work[d.y], work[d.z], work[d.w]), inputs);
        }
    }
    store_tile(STORE_WEIGHTS, L, t, sums);
}

// Cell (r, c) of a weight-gradient tile (r an output, c an input or the bias), where in range.
fn store_weights(L: Layer, t: Tile, r: u32, c: u32, sum: f32) {
    let o = t.row + r;
    let k = t.col + c;
    if (o < L.fan_out && k <= L.fan_in) {
        let slot = select(L.w_off + o * L.fan_in + k, L.b_off + o, k == L.fan_in);
        state[run_base(t.run) + model.params + slot] = sum;
    }
}

// One invocation per (run, tile of outputs by inputs and the bias).
@compute @workgroup_size(WORKGROUP)
fn backward_weights(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) wg: vec3<u32>) {
    backward_weights_tile(step.index, layer, flat_index(id, wg));
}

// d loss / d z of the previous layer, (dz · W) ⊙ act'(z_prev), for tile i of [R][B][fan_in]:
// the sum over outputs from 0 in order.
fn backward_inputs_tile(L: Layer, i: u32) {
    let t = tile_of(i, model.batch, L.fan_in);
    if (t.run >= model.runs || !alive(t.run)) {
        return;
    }
    let b = span(t.row, model.batch);
    let k = span(t.col, L.fan_in);
    let w = run_base(t.run) + L.w_off + k;
    let dz = L.dz_off + (t.run * model.batch + b) * L.fan_out;
    var sums = TileSums();
    for (var o = 0u; o < L.fan_out; o++) {
        let wo = w + o * L.fan_in;
        let d = vec4<f32>(work[dz.x + o], work[dz.y + o], work[dz.z + o], work[dz.w + o]);
        sums = add_outer(sums, d, vec4<f32>(state[wo.x], state[wo.y], state[wo.z], state[wo.w]));
    }
    store_tile(STORE_INPUTS, L, t, sums);
}

// Cell (r, c) of an input-gradient tile (r a slot, c an input), through the activation's
// derivative, where in range.
fn store_inputs(L: Layer, t: Tile, r: u32, c: u32, sum: f32) {
    if (t.row + r < model.batch && t.col + c < L.fan_in) {
        let at = (t.run * model.batch + t.row + r) * L.fan_in + t.col + c;
        work[L.da_off + at] = sum * activation_derivative(model.activation, work[L.zin_off + at]);
    }
}

// One invocation per (run, tile of slots by inputs).
@compute @workgroup_size(WORKGROUP)
fn backward_inputs(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) wg: vec3<u32>) {
    backward_inputs_tile(layer, flat_index(id, wg));
}

fn group_of(p: u32) -> u32 {
    for (var g = 0u; g < model.groups; g++) {
        if (p < model.group_end[g / 4u][g % 4u]) {
            return g;
        }
    }
    return model.groups - 1u;
}

// torch.optim's SGD / Adam / AdamW at step s for cell i of [R][P]: one parameter of one run.
fn update_cell(s: u32, i: u32) {
    if (i >= model.runs * model.params) {
        return;
    }
    let p = i % model.params;
    let r = i / model.params;
    let g = group_of(p);
    if (!alive(r)) {
        return;
    }
    let h = hyper_of(s, r, g);
    let base = run_base(r);
    let n = model.params;
    var w = state[base + p];
    // Every parameter of a run that takes the step keeps its value before it (as the CPU
    // backend does): a frozen group's last update is then exactly zero.
    if (h.takes_step == 1u) {
        state[base + 4u * n + p] = w;
    }
    if (h.trains == 0u) {
        return;
    }
    let lr = h.lr;
    let mu = h.momentum;
    let grad = state[base + n + p];
    if (model.optimizer == SGD) {
        var d = grad + model.weight_decay * w;
        if (mu != 0.0) {
            var buf = d;
            if (h.first_step == 0u) {
                buf = mu * state[base + 2u * n + p] + (1.0 - model.dampening) * d;
            }
            state[base + 2u * n + p] = buf;
            d = select(buf, d + mu * buf, model.nesterov == 1u);
        }
        w -= lr * d;
    } else {
        var g_eff = grad;
        if (model.optimizer == ADAMW) {
            w *= h.decay;
        } else {
            g_eff = grad + model.weight_decay * w;
        }
        var m = state[base + 2u * n + p];
        m += (g_eff - m) * h.first_weight;
        let v = model.beta2 * state[base + 3u * n + p] + h.second_weight * g_eff * g_eff;
        state[base + 2u * n + p] = m;
        state[base + 3u * n + p] = v;
        w -= h.step_size * m / (sqrt(v) / h.correction2_sqrt + model.eps);
    }
    state[base + p] = w;
}

@compute @workgroup_size(WORKGROUP)
fn update(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) wg: vec3<u32>) {
    update_cell(step.index, flat_index(id, wg));
}
