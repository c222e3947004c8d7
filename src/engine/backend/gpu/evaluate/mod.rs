//! Forward-only evaluation of many parameter points on the GPU (`evaluate.wgsl`): the
//! mean loss and correct predictions of each point on a whole data set, as [`cpu::evaluate`]
//! computes them for one. A loss landscape is G × G such points; verification sweeps a few.
//!
//! The points dimension plays the part of training's runs dimension: one dispatch per layer
//! covers every point of a round and every row of a chunk, so a tiny network still gives the GPU
//! enough parallel work. One call submits every round, keeps each point's sums on the GPU across
//! chunks, and reads them back once.
//!
//! [`cpu::evaluate`]: crate::engine::backend::cpu::evaluate

use bytemuck::{Pod, Zeroable};

use crate::data::{Dataset, Targets};
use crate::gpu::{dispatch, Binding, Gpu, GpuError};
use crate::limits::EVAL_BUFFER_BUDGET;
use crate::model::{Loss, Mlp};

use super::program::{compact_wgsl, one_entry, padded, shader_source, target_floats, UNIFORM_STRIDE, WORKGROUP};

/// Outputs of a layer one invocation of `forward` computes (the shader's `OUT_BLOCK`).
const OUT_BLOCK: usize = 16;
/// Rows a workgroup of `forward` takes (one invocation a row), and the fewest rows a chunk keeps
/// where the set has them: fewer would leave invocations of both kernels idle. It also bounds
/// the table of row chunks by the set's size.
const ROW_TILE: usize = WORKGROUP as usize;

/// One point's mean loss on the set and, for classification, how many rows it predicts right.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointEval {
    pub loss: f32,
    pub correct: Option<u32>,
}

/// One chunk of rows (WGSL `Rows`).
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct EvalRows {
    first: u32,
    count: u32,
    _pad: [u32; 2],
}

/// One Linear layer (WGSL `Layer`).
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct EvalLayer {
    fan_in: u32,
    fan_out: u32,
    w_off: u32,
    b_off: u32,
    in_half: u32,
    out_half: u32,
    is_first: u32,
    is_last: u32,
}

/// The points of the round in flight (WGSL `Round`).
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct EvalRound {
    first: u32,
    count: u32,
    half_len: u32,
    _pad: u32,
}

/// The network and the set (WGSL `Model`).
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct EvalModel {
    params: u32,
    outputs: u32,
    activation: u32,
    loss: u32,
    targets_off: u32,
    rows: u32,
    _pad: [u32; 2],
}

/// One point's running totals, as the shader's `PointSums`.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct PointSums {
    loss: f32,
    correct: u32,
}

/// The shader as the device compiles it.
fn source() -> String {
    shader_source(compact_wgsl!(include_str!("evaluate.wgsl")))
}

/// How one call cuts its points and rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Chunking {
    /// Points per round: their parameters are on the GPU together.
    points: usize,
    /// Rows per chunk: every dispatch of a round covers this many rows of each of its points.
    rows: usize,
}

/// Evaluates parameter points of one network on one data set, uploaded once.
///
/// Memory is bounded for any number of points. Every buffer a call allocates is at most the
/// budget (64 MiB by default, and never more than the adapter's largest storage binding): the
/// parameters of one round of points, the activations of that round on one chunk of rows (two
/// halves, `points × rows × widest layer`), and the per-point sums (8 bytes a point, also the
/// size of the one readback). So a call holds at most 3 × budget on the GPU, besides the set
/// (one binding, uploaded by [`GpuEvaluator::new`]) and uniform tables of 256 bytes a layer and
/// a row chunk. On the host, beyond the caller's own points, the queue stages one round's
/// parameters at a time: the evaluator waits for each round to finish before staging the next.
/// What cannot fit — one point's parameters, or one row of one point's activations, over the
/// budget; more than budget / 8 points in one call; a set larger than a binding — is refused
/// with [`GpuError::TooLarge`].
pub struct GpuEvaluator {
    gpu: Gpu,
    mlp: Mlp,
    rows: usize,
    budget: u64,
    forward: wgpu::ComputePipeline,
    loss: wgpu::ComputePipeline,
    bind_layout: wgpu::BindGroupLayout,
    layers: wgpu::Buffer,
    model: wgpu::Buffer,
    data: wgpu::Buffer,
}

impl GpuEvaluator {
    /// Checks that `set` fits `mlp` (features, kind of target, widths, labels) and uploads it.
    pub fn new(gpu: &Gpu, mlp: &Mlp, set: &Dataset) -> Result<Self, GpuError> {
        Self::with_budget(gpu, mlp, set, EVAL_BUFFER_BUDGET)
    }

    /// As [`GpuEvaluator::new`], with at most `budget` bytes in any buffer a call allocates
    /// (tests force tiny budgets to make calls chunk their points and rows).
    pub fn with_budget(gpu: &Gpu, mlp: &Mlp, set: &Dataset, budget: u64) -> Result<Self, GpuError> {
        let invalid = |why: String| Err(GpuError::Invalid(why));
        if mlp.layers.len() < 2 || mlp.layers.contains(&0) {
            return invalid(format!("a network needs two or more layers of width 1 or more, not {:?}", mlp.layers));
        }
        let rows = set.len();
        if set.features != mlp.inputs() || set.x.len() != rows * set.features {
            return invalid(format!(
                "the set has {} values for {rows} rows of {} features; the network takes {} inputs",
                set.x.len(),
                set.features,
                mlp.inputs()
            ));
        }
        match (&set.targets, mlp.loss) {
            (Targets::Classes { labels, .. }, Loss::CrossEntropy) => {
                if let Some(label) = labels.iter().find(|&&label| label as usize >= mlp.outputs()) {
                    return invalid(format!("label {label} has no output: the network has {}", mlp.outputs()));
                }
            }
            (Targets::Values { outputs, .. }, Loss::Mse) if *outputs == mlp.outputs() => {}
            _ => return invalid(format!("{} does not fit these targets or outputs", mlp.loss.name())),
        }

        let binding = gpu.largest_binding();
        let budget = budget.min(binding);
        let (point_bytes, row_bytes) = (Self::point_bytes(mlp), Self::row_bytes(mlp));
        if point_bytes > budget || row_bytes > budget {
            return Err(GpuError::TooLarge(format!(
                "one point of this network needs {point_bytes} bytes of parameters and {row_bytes} of \
                 activations a row; buffers here hold at most {budget}"
            )));
        }
        // Inputs feature-major, as the shader reads them (neighbouring invocations, neighbouring rows).
        let mut data: Vec<f32> =
            (0..set.features).flat_map(|k| set.x.iter().skip(k).step_by(set.features)).copied().collect();
        data.extend(target_floats(set));
        // The shader indexes `data` with u32: a set that fits one binding of 4-byte values does.
        let data_bytes = data.len() as u64 * 4;
        if data_bytes > binding {
            return Err(GpuError::TooLarge(format!(
                "the data set takes {data_bytes} bytes; a storage binding here holds at most {binding}"
            )));
        }

        let layers: Vec<u8> = (0..mlp.linear_count())
            .flat_map(|l| {
                let (fan_in, fan_out) = mlp.shape(l);
                let layer = EvalLayer {
                    fan_in: fan_in as u32,
                    fan_out: fan_out as u32,
                    w_off: mlp.weight_offset(l) as u32,
                    b_off: mlp.bias_offset(l) as u32,
                    // Layer 0 reads the set and writes half 0; each layer above reads what the
                    // one below wrote.
                    in_half: ((l + 1) % 2) as u32,
                    out_half: (l % 2) as u32,
                    is_first: (l == 0) as u32,
                    is_last: (l + 1 == mlp.linear_count()) as u32,
                };
                padded(bytemuck::bytes_of(&layer))
            })
            .collect();
        let model = EvalModel {
            params: mlp.param_count() as u32,
            outputs: mlp.outputs() as u32,
            activation: mlp.activation.code(),
            loss: (mlp.loss == Loss::Mse) as u32,
            targets_off: set.x.len() as u32,
            rows: rows as u32,
            _pad: [0; 2],
        };
        let layers = gpu.uniform_buffer("evaluate layers", &layers);
        let model = gpu.uniform_buffer("evaluate model", bytemuck::bytes_of(&model));
        let data = gpu.storage_buffer("evaluate data", bytemuck::cast_slice(&data), wgpu::BufferUsages::empty());

        // The row chunk and the layer come from tables, picked per dispatch by dynamic offsets.
        let (bind_layout, [forward, loss]) = gpu.compute_pipelines(
            "evaluate",
            &source(),
            &[
                Binding::Uniform { dynamic_offset: true },
                Binding::Uniform { dynamic_offset: true },
                Binding::Uniform { dynamic_offset: false },
                Binding::Uniform { dynamic_offset: false },
                Binding::Storage { read_only: true },
                Binding::Storage { read_only: false },
                Binding::Storage { read_only: true },
                Binding::Storage { read_only: false },
            ],
            ["forward", "loss"],
        );
        Ok(Self { gpu: gpu.clone(), mlp: mlp.clone(), rows, budget, forward, loss, bind_layout, layers, model, data })
    }

    /// Bytes of one point's parameters.
    fn point_bytes(mlp: &Mlp) -> u64 {
        mlp.param_count() as u64 * 4
    }

    /// Bytes of one row of one point's activations: both halves of `work`, each as wide as the
    /// widest layer.
    fn row_bytes(mlp: &Mlp) -> u64 {
        2 * Self::widest(mlp) as u64 * 4
    }

    /// The widest layer's outputs (the inputs are read from the set, not kept in `work`).
    fn widest(mlp: &Mlp) -> usize {
        mlp.layers[1..].iter().max().copied().unwrap_or(1)
    }

    /// The mean loss (and for classification the correct predictions) of each of the points in
    /// `points`, `count × P` flat parameter vectors laid out as [`Mlp`] lays one out. A point
    /// with a NaN or infinite parameter gets a NaN loss and no correct predictions: WGSL lets a
    /// GPU assume there are no NaNs, so what it would compute for one is not defined.
    pub async fn evaluate(&self, points: &[f32]) -> Result<Vec<PointEval>, GpuError> {
        let params = self.mlp.param_count();
        if !points.len().is_multiple_of(params) {
            return Err(GpuError::Invalid(format!(
                "{} values are not whole points of {params} parameters",
                points.len()
            )));
        }
        let count = points.len() / params;
        let sums_bytes = count as u64 * std::mem::size_of::<PointSums>() as u64;
        if sums_bytes > self.budget {
            return Err(GpuError::TooLarge(format!(
                "{count} points in one call; at most {} fit here",
                self.budget / std::mem::size_of::<PointSums>() as u64
            )));
        }
        if count == 0 {
            return Ok(Vec::new());
        }
        let chunking = chunking(&self.mlp, self.rows, self.budget, count);
        let sums = self.run(points, chunking).await?;
        let (classes, per_row) = match self.mlp.loss {
            Loss::CrossEntropy => (true, 1),
            Loss::Mse => (false, self.mlp.outputs()),
        };
        let values = (self.rows * per_row) as f64;
        Ok(points
            .chunks_exact(params)
            .zip(sums)
            .map(|(point, sums)| {
                if point.iter().all(|p| p.is_finite()) {
                    // The CPU twin divides in f64 too; 0 / 0 is its NaN for an empty set.
                    let loss = (f64::from(sums.loss) / values) as f32;
                    PointEval { loss, correct: classes.then_some(sums.correct) }
                } else {
                    PointEval { loss: f32::NAN, correct: classes.then_some(0) }
                }
            })
            .collect())
    }

    /// Submits every round and reads the sums back once.
    async fn run(&self, points: &[f32], chunking: Chunking) -> Result<Vec<PointSums>, GpuError> {
        let params = self.mlp.param_count();
        let count = points.len() / params;
        if self.rows == 0 {
            // Nothing to dispatch: every total is zero, as the CPU twin's over no rows.
            return Ok(vec![PointSums::zeroed(); count]);
        }
        let device = &self.gpu.device;
        let queue = &self.gpu.queue;
        let half_len = chunking.points * chunking.rows * Self::widest(&self.mlp);

        let row_chunks: Vec<u8> = (0..self.rows)
            .step_by(chunking.rows)
            .flat_map(|first| {
                let count = chunking.rows.min(self.rows - first);
                padded(bytemuck::bytes_of(&EvalRows { first: first as u32, count: count as u32, _pad: [0; 2] }))
            })
            .collect();
        let buffer = |label, size: usize, usage| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: size as u64,
                usage,
                mapped_at_creation: false,
            })
        };
        let copy_dst = wgpu::BufferUsages::COPY_DST;
        let table = buffer("evaluate rows", row_chunks.len(), wgpu::BufferUsages::UNIFORM | copy_dst);
        queue.write_buffer(&table, 0, &row_chunks);
        let round = buffer("evaluate round", std::mem::size_of::<EvalRound>(), wgpu::BufferUsages::UNIFORM | copy_dst);
        let point_buffer =
            buffer("evaluate points", chunking.points * params * 4, wgpu::BufferUsages::STORAGE | copy_dst);
        let work = buffer("evaluate work", 2 * half_len * 4, wgpu::BufferUsages::STORAGE);
        // New buffers are zero-filled, so every point's totals start at zero. COPY_SRC lets
        // the readback copy them to a mappable buffer.
        let sums_bytes = count * std::mem::size_of::<PointSums>();
        let sums = buffer("evaluate sums", sums_bytes, wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC);

        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("evaluate"),
            layout: &self.bind_layout,
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: one_entry(&table, std::mem::size_of::<EvalRows>()) },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: one_entry(&self.layers, std::mem::size_of::<EvalLayer>()),
                },
                wgpu::BindGroupEntry { binding: 2, resource: round.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 3, resource: self.model.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 4, resource: point_buffer.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 5, resource: work.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 6, resource: self.data.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 7, resource: sums.as_entire_binding() },
            ],
        });

        let layers = self.mlp.linear_count();
        let chunks = row_chunks.len() / UNIFORM_STRIDE as usize;
        let most = device.limits().max_compute_workgroups_per_dimension;
        for (r, round_points) in points.chunks(chunking.points * params).enumerate() {
            if r > 0 {
                // `write_buffer` stages its data until the next submission runs; waiting here
                // keeps one round's parameters staged at a time, however many rounds there are.
                self.gpu.finish_submitted().await?;
            }
            let in_round = round_points.len() / params;
            let uniform = EvalRound {
                first: (r * chunking.points) as u32,
                count: in_round as u32,
                half_len: half_len as u32,
                _pad: 0,
            };
            // Queue writes land before the next submission and after the ones before it, so
            // this round's dispatches see this round's points.
            queue.write_buffer(&round, 0, bytemuck::bytes_of(&uniform));
            queue.write_buffer(&point_buffer, 0, bytemuck::cast_slice(round_points));

            let mut encoder =
                device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("evaluate") });
            {
                let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor::default());
                // Dispatches in one pass run in order, each seeing what the one before wrote.
                for c in 0..chunks {
                    let rows = chunking.rows.min(self.rows - c * chunking.rows);
                    let offsets = |l: usize| [(c as u64 * UNIFORM_STRIDE) as u32, (l as u64 * UNIFORM_STRIDE) as u32];
                    pass.set_pipeline(&self.forward);
                    for l in 0..layers {
                        pass.set_bind_group(0, &bind_group, &offsets(l));
                        // A workgroup per (point, block of outputs, tile of rows).
                        let tiles = rows.div_ceil(ROW_TILE);
                        let groups = in_round * self.mlp.shape(l).1.div_ceil(OUT_BLOCK) * tiles;
                        dispatch(&mut pass, groups as u32, most);
                    }
                    pass.set_pipeline(&self.loss);
                    pass.set_bind_group(0, &bind_group, &offsets(layers - 1));
                    dispatch(&mut pass, in_round as u32, most);
                }
            }
            queue.submit([encoder.finish()]);
        }
        // The readback copies bytes: each point's u32 count comes back intact in an f32's place.
        let floats = self.gpu.read_f32(&sums).await?;
        let floats = floats
            .get(..sums_bytes / 4)
            .ok_or_else(|| GpuError::Readback(format!("{} values came back for {count} points", floats.len())))?;
        Ok(bytemuck::cast_slice::<f32, PointSums>(floats).to_vec())
    }
}

/// Points per round and rows per chunk for `count` points of `mlp` on `rows` rows: as many
/// points as the budget allows (each round costs a wait, a row chunk only dispatches) while a
/// chunk keeps [`ROW_TILE`] rows, then as many whole tiles of rows as fit beside them. `budget` must hold
/// one point's parameters and one row of its activations (`with_budget` checks it).
fn chunking(mlp: &Mlp, rows: usize, budget: u64, count: usize) -> Chunking {
    let (point_bytes, row_bytes) = (GpuEvaluator::point_bytes(mlp), GpuEvaluator::row_bytes(mlp));
    let least_rows = rows.clamp(1, ROW_TILE) as u64;
    let points = (budget / point_bytes).min((budget / (row_bytes * least_rows)).max(1)).min(count as u64).max(1);
    let fit = budget / (row_bytes * points);
    // Whole tiles where one fits: `forward` gives each tile a workgroup.
    let tile = ROW_TILE as u64;
    let fit = if fit >= tile { fit - fit % tile } else { fit };
    let chunk_rows = fit.min(rows as u64).max(1);
    Chunking { points: points as usize, rows: chunk_rows as usize }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Activation;

    /// The 2-16-16-2 reference network: 354 parameters (1416 bytes) and 128 bytes of
    /// activations a row.
    fn reference() -> Mlp {
        Mlp { layers: vec![2, 16, 16, 2], activation: Activation::Relu, loss: Loss::CrossEntropy }
    }

    #[test]
    fn chunks_take_as_many_points_as_fit_then_rows() {
        let mlp = reference();
        let chunks = |budget, count| chunking(&mlp, 512, budget, count);
        // The bench's 2601 points fit one round; 201 rows of each fit beside them, 192 in whole tiles.
        assert_eq!(chunks(EVAL_BUFFER_BUDGET, 2601), Chunking { points: 2601, rows: 192 });
        assert_eq!(chunks(EVAL_BUFFER_BUDGET, 1), Chunking { points: 1, rows: 512 });
        // The tests' tiny budgets: rounds of 2 points in chunks of 64 rows...
        assert_eq!(chunks(16 << 10, 25), Chunking { points: 2, rows: 64 });
        // ... and exactly one point's parameters: rounds of 1 point, 11 rows a chunk (the last 6).
        assert_eq!(chunks(1416, 7), Chunking { points: 1, rows: 11 });
        // A set smaller than a chunk is one chunk.
        assert_eq!(chunking(&mlp, 10, EVAL_BUFFER_BUDGET, 3), Chunking { points: 3, rows: 10 });
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn uniforms_match_the_shader() {
        use crate::gpu::layout::{assert_layout, assert_workgroup_sizes, wgsl_u32_const};
        let source = &source();
        assert_layout!(source, "Rows", EvalRows { first, count, _pad });
        assert_layout!(
            source,
            "Layer",
            EvalLayer { fan_in, fan_out, w_off, b_off, in_half, out_half, is_first, is_last }
        );
        assert_layout!(source, "Round", EvalRound { first, count, half_len, _pad });
        assert_layout!(source, "Model", EvalModel { params, outputs, activation, loss, targets_off, rows, _pad });
        assert_layout!(source, "PointSums", PointSums { loss, correct });
        assert_workgroup_sizes(source, &[("forward", [WORKGROUP, 1, 1]), ("loss", [WORKGROUP, 1, 1])]);
        assert_eq!(wgsl_u32_const(source, "WORKGROUP"), WORKGROUP);
        assert_eq!(wgsl_u32_const(source, "OUT_BLOCK"), OUT_BLOCK as u32);
    }
}
