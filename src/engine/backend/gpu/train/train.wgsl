// One optimizer step of R runs of an MLP, as kernels the host dispatches in order within one
// compute pass: `forward` for each layer, `loss`, then from the top layer down `backward_weights`
// and `backward_inputs`, then `update`. Every buffer carries the run dimension first, and every
// dispatch covers all runs. Many steps are encoded back to back; the step index arrives through
// a uniform bound with a dynamic offset, so no data moves between steps.
// Each kernel's work for one cell is a function of the step and the layer, so that fused.wgsl
// (appended by the host) can run the same arithmetic for a whole block in one dispatch.
// The CPU twin of every kernel is in src/engine/backend/cpu.rs and src/engine/optimizer.rs. The
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

// Invocation `i` of a dispatch over every run's [B][width] block of `work`: its run, batch slot
// and unit (an output or input feature), and whether it has work (in range, its run alive).
struct Cell {
    i: u32,
    run: u32,
    slot: u32,
    unit: u32,
    live: bool,
}

fn cell_of(i: u32, width: u32) -> Cell {
    let run = i / (width * model.batch);
    let live = i < model.runs * model.batch * width && alive(run);
    return Cell(i, run, (i / width) % model.batch, i % width, live);
}

// Where slot b's inputs to layer L start at step s: its row of the training set in `data`
// (layer 0), else the layer below's outputs in `work`. Looked up once per cell, not per input.
fn input_start(s: u32, L: Layer, r: u32, b: u32) -> u32 {
    if (L.is_first == 1u) {
        return batch_row(s, r, b) * L.fan_in;
    }
    return L.in_off + (r * model.batch + b) * L.fan_in;
}

// z = a · Wᵀ + b, then the activation (none on the last layer), for cell i of [R][B][fan_out].
fn forward_cell(s: u32, L: Layer, i: u32) {
    let c = cell_of(i, L.fan_out);
    if (!c.live) {
        return;
    }
    let w = run_base(c.run) + L.w_off + c.unit * L.fan_in;
    let x = input_start(s, L, c.run, c.slot);
    var sum = 0.0;
    if (L.is_first == 1u) {
        for (var k = 0u; k < L.fan_in; k++) {
            sum += data[x + k] * state[w + k];
        }
    } else {
        for (var k = 0u; k < L.fan_in; k++) {
            sum += work[x + k] * state[w + k];
        }
    }
    let z = state[run_base(c.run) + L.b_off + c.unit] + sum;
    work[L.z_off + c.i] = z;
    work[L.a_off + c.i] = select(activate(model.activation, z), z, L.is_last == 1u);
}

// One invocation per (run, slot, output).
@compute @workgroup_size(WORKGROUP)
fn forward(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) wg: vec3<u32>) {
    forward_cell(step.index, layer, flat_index(id, wg));
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

// dW = dzᵀ · a and db = Σ dz over the batch, for cell i of [R][fan_out][fan_in + 1].
fn backward_weights_cell(s: u32, L: Layer, i: u32) {
    let cols = L.fan_in + 1u;
    if (i >= model.runs * L.fan_out * cols) {
        return;
    }
    let k = i % cols;
    let o = (i / cols) % L.fan_out;
    let r = i / (cols * L.fan_out);
    if (!trains(s, r, L.group)) {
        return;
    }
    // Column k of dzᵀ · a: the bias column (k = fan_in) sums dz alone; layer 0 reads its
    // inputs from the training set, the others from the layer below.
    let dz = L.dz_off + r * model.batch * L.fan_out + o;
    var sum = 0.0;
    if (k == L.fan_in) {
        for (var b = 0u; b < model.batch; b++) {
            sum += work[dz + b * L.fan_out];
        }
    } else if (L.is_first == 1u) {
        for (var b = 0u; b < model.batch; b++) {
            sum += work[dz + b * L.fan_out] * data[batch_row(s, r, b) * L.fan_in + k];
        }
    } else {
        let a = L.in_off + r * model.batch * L.fan_in + k;
        for (var b = 0u; b < model.batch; b++) {
            sum += work[dz + b * L.fan_out] * work[a + b * L.fan_in];
        }
    }
    let slot = select(L.w_off + o * L.fan_in + k, L.b_off + o, k == L.fan_in);
    state[run_base(r) + model.params + slot] = sum;
}

// One invocation per (run, output, input + 1).
@compute @workgroup_size(WORKGROUP)
fn backward_weights(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) wg: vec3<u32>) {
    backward_weights_cell(step.index, layer, flat_index(id, wg));
}

// d loss / d z of the previous layer: (dz · W) ⊙ act'(z_prev), for cell i of [R][B][fan_in].
fn backward_inputs_cell(L: Layer, i: u32) {
    let c = cell_of(i, L.fan_in);
    if (!c.live) {
        return;
    }
    let w = run_base(c.run) + L.w_off;
    let dz = L.dz_off + (c.run * model.batch + c.slot) * L.fan_out;
    var sum = 0.0;
    for (var o = 0u; o < L.fan_out; o++) {
        sum += work[dz + o] * state[w + o * L.fan_in + c.unit];
    }
    work[L.da_off + c.i] = sum * activation_derivative(model.activation, work[L.zin_off + c.i]);
}

// One invocation per (run, slot, input).
@compute @workgroup_size(WORKGROUP)
fn backward_inputs(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) wg: vec3<u32>) {
    backward_inputs_cell(layer, flat_index(id, wg));
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
