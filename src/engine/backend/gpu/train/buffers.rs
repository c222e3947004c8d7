//! The training buffers: how big each is, where each layer's activations lie in `work`, and
//! their creation. Every buffer carries the run dimension first.

use crate::data::Dataset;
use crate::engine::runs::STATE_SECTIONS;
use crate::gpu::{Gpu, GpuError};
use crate::limits::BLOCK_STEPS;

use super::super::program::{padded, target_floats};
use super::uniforms::{
    layer_uniforms, model_uniform, BlockShape, FusedBlock, HyperRecord, LayerBlocks, TrainLayer, TrainModel,
};
use super::TrainSetup;

pub struct TrainBuffers {
    /// Per run, five sections of P: parameters, gradients, first and second moments, and the
    /// parameters before the last update (`CpuBackend::export_run`'s layout).
    pub state: wgpu::Buffer,
    pub work: wgpu::Buffer,
    /// The training set: inputs, then targets; with augmentation, each part followed by the
    /// slots a block's augmented rows are written into.
    pub data: wgpu::Buffer,
    pub augmented_slots: AugmentedSlots,
    /// `[step][row set][batch]` training rows of the block.
    pub rows: wgpu::Buffer,
    /// A `HyperRecord` per step, run and group of the block.
    pub hyper: wgpu::Buffer,
    /// Losses `[BLOCK_STEPS][R]`, then one alive flag per run.
    pub report: wgpu::Buffer,
    /// One `Step` uniform per step of a block, `UNIFORM_STRIDE` apart (bound with a dynamic offset).
    pub steps: wgpu::Buffer,
    pub model: wgpu::Buffer,
    /// One `Layer` uniform per Linear layer.
    pub layers: Vec<wgpu::Buffer>,
    /// Every layer's `Layer` in one storage buffer, for the fused kernel.
    pub layer_table: wgpu::Buffer,
    /// The fused kernel's `Block`, written before each block.
    pub block: wgpu::Buffer,
}

/// Where a block's augmented rows go in `data`: byte offsets of their inputs and targets, and
/// the row index of the first slot (the training set's rows come first).
#[derive(Clone, Copy, Debug)]
pub struct AugmentedSlots {
    pub inputs: u64,
    pub targets: u64,
    pub first_row: u32,
}

/// Where each layer's blocks lie in `work` (z, a and d loss / d z of every layer, each its own
/// `[R][B][width]` block), and the buffer's length in floats. No block is shared between layers:
/// a run's slice of a block shared by layers of different widths would overlap its neighbours'
/// slices, and under the fused kernel runs move through a step's phases at their own pace.
fn work_layout(setup: &TrainSetup, runs: usize) -> (Vec<LayerBlocks>, u64) {
    let mlp = &setup.layout.mlp;
    let mut end = 0u64;
    let mut next_block = |width: usize| {
        let start = end;
        end += (runs * setup.shape.batch * width) as u64;
        start as u32
    };
    let mut blocks: Vec<LayerBlocks> = (0..mlp.linear_count())
        .map(|l| {
            let width = mlp.layers[l + 1];
            LayerBlocks { z: next_block(width), a: next_block(width), dz: next_block(width), da: 0 }
        })
        .collect();
    // Each layer passes its gradient down into the layer below's d loss / d z (layer 0 has none
    // to pass).
    for l in 1..blocks.len() {
        blocks[l].da = blocks[l - 1].dz;
    }
    (blocks, end)
}

impl TrainBuffers {
    /// Sizes and creates every buffer for `states.len()` runs, with their state uploaded;
    /// refuses what would pass u32 indexing or the adapter's binding size.
    pub fn new(gpu: &Gpu, setup: &TrainSetup, train: &Dataset, states: &[Vec<f32>]) -> Result<Self, GpuError> {
        let runs = states.len();
        let (blocks, work_len) = work_layout(setup, runs);
        let params = setup.layout.mlp.param_count();
        let state_len = (runs * STATE_SECTIONS * params) as u64;
        let rows_len = setup.shape.block_rows() as u64;
        let slots = if setup.shape.augmented { setup.shape.block_rows() } else { 0 };
        let targets = target_floats(train);
        let target_width = targets.len().checked_div(train.len()).unwrap_or(1);
        let (inputs_len, targets_len) = ((train.len() + slots) * train.features, (train.len() + slots) * target_width);
        let data_len = (inputs_len + targets_len) as u64;
        let most = gpu.largest_binding();
        let largest = 4 * work_len.max(state_len).max(rows_len).max(data_len);
        if largest > most || train.len() + slots > u32::MAX as usize {
            return Err(GpuError::TooLarge(format!(
                "{runs} runs of this network need a {largest}-byte buffer; this adapter allows {most}"
            )));
        }

        let mut data = vec![0.0f32; inputs_len + targets_len];
        data[..train.x.len()].copy_from_slice(&train.x);
        data[inputs_len..inputs_len + targets.len()].copy_from_slice(&targets);
        let augmented_slots = AugmentedSlots {
            inputs: 4 * train.x.len() as u64,
            targets: 4 * (inputs_len + targets.len()) as u64,
            first_row: train.len() as u32,
        };
        let shape = BlockShape {
            runs,
            batch: setup.shape.batch,
            row_sets: setup.shape.row_sets,
            capacity: BLOCK_STEPS,
            targets_off: inputs_len,
        };
        let model: TrainModel = model_uniform(&setup.layout, setup.optimizer, &shape);
        let layers: Vec<TrainLayer> = layer_uniforms(&setup.layout, &blocks);
        let steps: Vec<u8> = (0..BLOCK_STEPS as u32).flat_map(|s| padded(&s.to_le_bytes())).collect();
        let hyper_bytes = BLOCK_STEPS * runs * setup.layout.groups.len() * std::mem::size_of::<HyperRecord>();
        let copy = wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC;
        Ok(Self {
            state: gpu.storage_buffer("state", bytemuck::cast_slice(&states.concat()), copy),
            work: gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("work"),
                size: (4 * work_len).max(4),
                usage: wgpu::BufferUsages::STORAGE,
                mapped_at_creation: false,
            }),
            data: gpu.storage_buffer(
                "data",
                bytemuck::cast_slice(&data),
                if slots > 0 { wgpu::BufferUsages::COPY_DST } else { wgpu::BufferUsages::empty() },
            ),
            augmented_slots,
            rows: gpu.storage_buffer("rows", &vec![0u8; 4 * rows_len as usize], copy),
            hyper: gpu.storage_buffer("hyper", &vec![0u8; hyper_bytes], copy),
            report: gpu.storage_buffer("report", &vec![0u8; (BLOCK_STEPS * runs + runs) * 4], copy),
            steps: gpu.uniform_buffer("steps", &steps),
            model: gpu.uniform_buffer("model", bytemuck::bytes_of(&model)),
            layers: layers.iter().map(|layer| gpu.uniform_buffer("layer", bytemuck::bytes_of(layer))).collect(),
            layer_table: gpu.storage_buffer("layer table", bytemuck::cast_slice(&layers), wgpu::BufferUsages::empty()),
            block: gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("block"),
                size: std::mem::size_of::<FusedBlock>() as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }),
        })
    }
}
