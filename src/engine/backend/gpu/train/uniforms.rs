//! The Rust twins of train.wgsl's structs: its uniforms, filled from the session's layout and
//! optimizer, and the `hyper` record of each (step, run, group). A test parses the shader and
//! holds every field's offset and the sizes equal.

use bytemuck::{Pod, Zeroable};

use crate::engine::optimizer::{Coefficients, Optimizer};
use crate::engine::runs::Layout;
use crate::limits::MAX_GROUPS;
use crate::model::Loss;

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
pub struct TrainLayer {
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
pub struct TrainModel {
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

/// What one group of one run does at one step of a block (WGSL `HyperRecord`): the update's
/// scalars, computed on the host as PyTorch computes them in Python, and its flags.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct HyperRecord {
    pub lr: f32,
    pub momentum: f32,
    pub step_size: f32,
    pub correction2_sqrt: f32,
    /// 1: SGD's momentum buffer starts as this step's gradient.
    pub first_step: u32,
    /// 1: the group trains at this step (0: frozen, or its run takes no step).
    pub trains: u32,
    /// 1: the run takes the step, frozen or not (it keeps every parameter's value before it).
    pub takes_step: u32,
    /// Adam: 1 - beta1 and 1 - beta2; AdamW: 1 - lr·wd (rounded once from f64, see `Coefficients`).
    pub first_weight: f32,
    pub second_weight: f32,
    pub decay: f32,
}

impl HyperRecord {
    /// The record of a group that updates with `update` (`None`: it does not train).
    pub fn new(update: Option<Coefficients>, takes_step: bool) -> Self {
        let takes_step = takes_step as u32;
        match update {
            Some(c) => Self {
                lr: c.lr,
                momentum: c.momentum,
                step_size: c.step_size,
                correction2_sqrt: c.correction2_sqrt,
                first_step: c.first_step as u32,
                trains: 1,
                takes_step,
                first_weight: c.first_weight,
                second_weight: c.second_weight,
                decay: c.decay,
            },
            None => Self { takes_step, ..Self::zeroed() },
        }
    }
}

/// Per Linear layer of `layout`, its uniform over the given `work` blocks.
pub fn layer_uniforms(layout: &Layout, blocks: &[LayerBlocks]) -> Vec<TrainLayer> {
    let mlp = &layout.mlp;
    let layers = mlp.linear_count();
    (0..layers)
        .map(|l| {
            let (fan_in, fan_out) = mlp.shape(l);
            let below = l.checked_sub(1).and_then(|b| blocks.get(b));
            TrainLayer {
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

/// The layers and steps as the fused kernel walks them (WGSL `Block` in fused.wgsl), written
/// before each block.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct FusedBlock {
    /// The lowest Linear layer whose gradients the block needs (backward stops there).
    pub lowest_layer: u32,
    pub layers: u32,
    /// Steps in the block.
    pub steps: u32,
    /// Steps one dispatch walks, from the one its step uniform names.
    pub steps_per_dispatch: u32,
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

pub fn model_uniform(layout: &Layout, optimizer: Optimizer, shape: &BlockShape) -> TrainModel {
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
    TrainModel {
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
    use crate::engine::backend::gpu::program::WORKGROUP;
    use crate::engine::runs::STATE_SECTIONS;
    use crate::gpu::layout::{assert_layout, assert_workgroup_sizes, wgsl_struct, wgsl_u32_const};

    #[test]
    fn structs_match_the_shader() {
        let source = &super::super::pipelines::fused_source();
        assert_layout!(
            source,
            "Layer",
            TrainLayer {
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
            TrainModel {
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
        assert_layout!(
            source,
            "HyperRecord",
            HyperRecord {
                lr,
                momentum,
                step_size,
                correction2_sqrt,
                first_step,
                trains,
                takes_step,
                first_weight,
                second_weight,
                decay
            }
        );
        assert_layout!(source, "Block", FusedBlock { lowest_layer, layers, steps, steps_per_dispatch });
        assert_eq!(wgsl_struct(source, "Step").size, 4, "the step uniform is one u32, bound 16 bytes wide");
        let kernels = ["forward", "loss", "backward_weights", "backward_inputs", "update"];
        let mut sizes: Vec<(&str, [u32; 3])> = kernels.iter().map(|k| (*k, [WORKGROUP, 1, 1])).collect();
        sizes.push(("train_steps", [super::super::RUNS_PER_WORKGROUP, 1, 1]));
        assert_workgroup_sizes(source, &sizes);
        assert_eq!(wgsl_u32_const(source, "RUNS_PER_WORKGROUP"), super::super::RUNS_PER_WORKGROUP);
        assert_eq!(wgsl_u32_const(source, "WORKGROUP"), WORKGROUP);
        assert_eq!(wgsl_u32_const(source, "TILE") as usize, super::super::TILE);
        assert_eq!(wgsl_u32_const(source, "STATE_SECTIONS") as usize, STATE_SECTIONS);
    }
}
