// Whole steps in one dispatch, with no barriers: one invocation per run walks every tile of
// the phases the layered kernels dispatch one by one (forward per layer, loss, backward per
// layer, update). A run's tiles touch only that run's slices of `work` and `state`, so program
// order is all the ordering a step needs; each tile's arithmetic is train.wgsl's own, so both
// paths give the same numbers. Consecutive runs share a SIMD group where the adapter runs shaders
// on the CPU. A dispatch walks as many steps of the block as fit lavapipe's loop limit: it ends
// every loop of an invocation once they have taken 65535 turns between them (`FUSED_LOOP_TURNS`
// in mod.rs). The host appends this to train.wgsl.

// The layers and steps as the fused kernel walks them (`FusedBlock` in uniforms.rs), written per block.
struct Block {
    lowest_layer: u32,       // the lowest Linear layer whose gradients are needed (backward stops there)
    layers: u32,             // Linear layers
    steps: u32,              // steps in the block
    steps_per_dispatch: u32, // steps a dispatch walks, from `step.index`
}

@group(0) @binding(9) var<uniform> block: Block;
// Every Linear layer's `Layer`, bottom up.
@group(0) @binding(10) var<storage, read> layers: array<Layer>;

// Runs per workgroup (`RUNS_PER_WORKGROUP` in mod.rs).
const RUNS_PER_WORKGROUP = 8u;

// run_loss by one invocation: every invocation's share of the batch in turn, then the same tree.
fn run_loss_alone(s: u32, L: Layer, r: u32) {
    var shares: array<f32, WORKGROUP>;
    for (var t = 0u; t < WORKGROUP; t++) {
        shares[t] = partial_loss(s, L, r, t);
    }
    for (var stride = WORKGROUP / 2u; stride > 0u; stride >>= 1u) {
        for (var t = 0u; t < stride; t++) {
            shares[t] += shares[t + stride];
        }
    }
    report_loss(s, r, shares[0]);
}

@compute @workgroup_size(RUNS_PER_WORKGROUP)
fn train_steps(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) wg: vec3<u32>) {
    let r = id.x + id.y * wg.x * RUNS_PER_WORKGROUP;
    if (r >= model.runs) {
        return;
    }
    let last = min(step.index + block.steps_per_dispatch, block.steps);
    for (var s = step.index; s < last; s++) {
        train_step(s, r);
    }
}

// Step s of run r: every tile of its phases in turn.
fn train_step(s: u32, r: u32) {
    for (var l = 0u; l < block.layers; l++) {
        let n = tiles(model.batch) * tiles(layers[l].fan_out);
        for (var j = 0u; j < n; j++) {
            forward_tile(s, layers[l], r * n + j);
        }
    }
    run_loss_alone(s, layers[block.layers - 1u], r);
    // From the top layer down to the lowest one that needs gradients (unsigned: count down the
    // layers above it).
    for (var above = block.layers; above > block.lowest_layer; above--) {
        let l = above - 1u;
        let weights = tiles(layers[l].fan_out) * tiles(layers[l].fan_in + 1u);
        for (var j = 0u; j < weights; j++) {
            backward_weights_tile(s, layers[l], r * weights + j);
        }
        if (l > block.lowest_layer) {
            let inputs = tiles(model.batch) * tiles(layers[l].fan_in);
            for (var j = 0u; j < inputs; j++) {
                backward_inputs_tile(layers[l], r * inputs + j);
            }
        }
    }
    for (var j = 0u; j < model.params; j++) {
        update_cell(s, r * model.params + j);
    }
}
