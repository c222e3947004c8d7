// A whole block of steps in one dispatch: one workgroup per run walks the block's steps, and
// within each step the phases the layered kernels dispatch one by one (forward per layer, loss,
// backward per layer, update), its WORKGROUP invocations sharing each phase's cells of its run.
// A run's cells touch only that run's slices of `work` and `state`, so barriers within the
// workgroup are all the ordering a step needs; each cell's arithmetic is train.wgsl's own, so
// both paths give the same numbers. The host appends this to train.wgsl.

// The block as the fused kernel walks it (`FusedBlock` in uniforms.rs).
struct Block {
    steps: u32,        // steps in this block
    lowest_layer: u32, // the lowest Linear layer whose gradients are needed (backward stops there)
    layers: u32,       // Linear layers
    _pad: u32,
}

@group(0) @binding(9) var<uniform> block: Block;
// Every Linear layer's `Layer`, bottom up.
@group(0) @binding(10) var<storage, read> layers: array<Layer>;

@compute @workgroup_size(WORKGROUP)
fn train_block(
    @builtin(workgroup_id) group_id: vec3<u32>,
    @builtin(num_workgroups) wg: vec3<u32>,
    @builtin(local_invocation_index) t: u32,
) {
    let r = group_id.x + group_id.y * wg.x;
    if (r >= model.runs) {
        return;
    }
    let top = block.layers - 1u;
    for (var s = 0u; s < block.steps; s++) {
        for (var l = 0u; l < block.layers; l++) {
            let cells = model.batch * layers[l].fan_out;
            for (var j = t; j < cells; j += WORKGROUP) {
                forward_cell(s, layers[l], r * cells + j);
            }
            // Every phase reads what the one before wrote, in `work` or `state`.
            storageBarrier();
        }
        run_loss(s, layers[top], r, t);
        storageBarrier();
        // From the top layer down to the lowest one that needs gradients (unsigned: count down
        // the layers above it).
        for (var above = block.layers; above > block.lowest_layer; above--) {
            let l = above - 1u;
            let weights = layers[l].fan_out * (layers[l].fan_in + 1u);
            for (var j = t; j < weights; j += WORKGROUP) {
                backward_weights_cell(s, layers[l], r * weights + j);
            }
            if (l > block.lowest_layer) {
                let inputs = model.batch * layers[l].fan_in;
                for (var j = t; j < inputs; j += WORKGROUP) {
                    backward_inputs_cell(layers[l], r * inputs + j);
                }
            }
            storageBarrier();
        }
        for (var j = t; j < model.params; j += WORKGROUP) {
            update_cell(s, r * model.params + j);
        }
        storageBarrier();
    }
}
