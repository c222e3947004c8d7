//! The Rust twins of train.wgsl's uniform structs, filled from the session's layout and
//! optimizer. A test parses the shader and holds every field's offset and the sizes equal.

use bytemuck::{Pod, Zeroable};

use crate::engine::optimizer::Optimizer;
use crate::engine::runs::Layout;
use crate::model::Loss;

/// Invocations per workgroup of every training kernel (the shader's `WORKGROUP_SIZE`).
pub const WORKGROUP: u32 = 64;
/// Layer groups the `Model` uniform has room for.
pub const MAX_GROUPS: usize = 8;

/// Offsets into the `work` buffer of one Linear layer's blocks (`[R][B][width]` each).
pub struct LayerBlocks {
    pub z: u32,
    pub a: u32,
    /// d loss / d z of this layer, and where the layer below's goes.
    pub dz: u32,
    pub da: u32,
}

/// One Linear layer (WGSL `Layer`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
pub struct LayerUniform {
    pub fan_in: u32,
    pub fan_out: u32,
    pub w_off: u32,
    pub b_off: u32,
    pub z_off: u32,
    pub a_off: u32,
    pub in_off: u32,
    pub zin_off: u32,
    pub dz_off: u32,
    pub da_off: u32,
    pub is_first: u32,
    pub is_last: u32,
    pub group: u32,
    pub _pad0: u32,
    pub _pad1: u32,
    pub _pad2: u32,
}

/// The network, the optimizer's constants and the block's shape (WGSL `Model`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
pub struct ModelUniform {
    pub runs: u32,
    pub batch: u32,
    pub params: u32,
    pub groups: u32,
    pub outputs: u32,
    pub activation: u32,
    pub loss: u32,
    pub optimizer: u32,
    pub nesterov: u32,
    pub dampening: f32,
    pub weight_decay: f32,
    pub beta2: f32,
    pub eps: f32,
    pub targets_off: u32,
    pub capacity: u32,
    pub row_sets: u32,
    pub group_end: [u32; MAX_GROUPS],
}

/// Per Linear layer of `layout`, its uniform over the given `work` blocks.
pub fn layer_uniforms(layout: &Layout, blocks: &[LayerBlocks]) -> Vec<LayerUniform> {
    let mlp = &layout.mlp;
    let layers = mlp.linear_count();
    (0..layers)
        .map(|l| {
            let (fan_in, fan_out) = mlp.shape(l);
            let below = l.checked_sub(1).and_then(|b| blocks.get(b));
            LayerUniform {
                fan_in: fan_in as u32,
                fan_out: fan_out as u32,
                w_off: mlp.weight_offset(l) as u32,
                b_off: mlp.bias_offset(l) as u32,
                z_off: blocks[l].z,
                a_off: blocks[l].a,
                in_off: below.map_or(0, |b| b.a),
                zin_off: below.map_or(0, |b| b.z),
                dz_off: blocks[l].dz,
                da_off: blocks[l].da,
                is_first: (l == 0) as u32,
                is_last: (l + 1 == layers) as u32,
                group: layout.group_of(l) as u32,
                _pad0: 0,
                _pad1: 0,
                _pad2: 0,
            }
        })
        .collect()
}

/// The block's shape: runs, batch rows, and row sets (1 when all runs share the batches).
pub struct BlockShape {
    pub runs: usize,
    pub batch: usize,
    pub row_sets: usize,
    /// Steps per block the report buffer has room for.
    pub capacity: usize,
    /// Where the targets start in the `data` buffer.
    pub targets_off: usize,
}

pub fn model_uniform(layout: &Layout, optimizer: Optimizer, shape: &BlockShape) -> ModelUniform {
    let mlp = &layout.mlp;
    let mut group_end = [0u32; MAX_GROUPS];
    for (end, group) in group_end.iter_mut().zip(&layout.groups) {
        *end = group.params.end as u32;
    }
    let (kind, nesterov, dampening, weight_decay, beta2, eps) = match optimizer {
        Optimizer::Sgd { dampening, nesterov, weight_decay, .. } => {
            (0, nesterov as u32, dampening, weight_decay, 0.0, 0.0)
        }
        Optimizer::Adam { beta2, eps, weight_decay, decoupled, .. } => {
            (1 + decoupled as u32, 0, 0.0, weight_decay, beta2, eps)
        }
    };
    ModelUniform {
        runs: shape.runs as u32,
        batch: shape.batch as u32,
        params: mlp.param_count() as u32,
        groups: layout.groups.len() as u32,
        outputs: mlp.outputs() as u32,
        activation: mlp.activation.code(),
        loss: (mlp.loss == Loss::Mse) as u32,
        optimizer: kind,
        nesterov,
        dampening: dampening as f32,
        weight_decay: weight_decay as f32,
        beta2: beta2 as f32,
        eps: eps as f32,
        targets_off: shape.targets_off as u32,
        capacity: shape.capacity as u32,
        row_sets: shape.row_sets as u32,
        group_end,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::gpu::layout::{assert_layout, assert_workgroup_sizes, wgsl_struct, wgsl_u32_const};

    #[test]
    fn uniforms_match_the_shader() {
        let source = &super::super::pipelines::train_source();
        assert_layout!(
            source,
            "Layer",
            LayerUniform {
                fan_in,
                fan_out,
                w_off,
                b_off,
                z_off,
                a_off,
                in_off,
                zin_off,
                dz_off,
                da_off,
                is_first,
                is_last,
                group,
                _pad0,
                _pad1,
                _pad2
            }
        );
        assert_layout!(
            source,
            "Model",
            ModelUniform {
                runs,
                batch,
                params,
                groups,
                outputs,
                activation,
                loss,
                optimizer,
                nesterov,
                dampening,
                weight_decay,
                beta2,
                eps,
                targets_off,
                capacity,
                row_sets,
                group_end
            }
        );
        assert_eq!(wgsl_struct(source, "Step").size, 4, "the step uniform is one u32, bound 16 bytes wide");
        let kernels = ["forward", "loss", "backward_weights", "backward_inputs", "update"];
        let sizes: Vec<(&str, [u32; 3])> = kernels.iter().map(|k| (*k, [WORKGROUP, 1, 1])).collect();
        assert_workgroup_sizes(source, &sizes);
        assert_eq!(wgsl_u32_const(source, "WORKGROUP"), WORKGROUP);
    }
}
