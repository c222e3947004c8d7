//! The CPU backend: the numerical reference for the GPU kernels, and the fallback inside wasm
//! where WebGPU is missing. Plain loops over row-major f32 slices, one run after another, or
//! runs that share a step's batch side by side in packs (`lanes`).

mod lanes;

use std::ops::Range;

use crate::data::{Dataset, Targets};
use crate::engine::optimizer::{Coefficients, GroupState, Optimizer};
use crate::engine::runs::{BlockPlan, Layout, STATE_SECTIONS};
use crate::limits::{EVAL_CHUNK_VALUES, MAX_PRECOMPUTED_VALUES};
use crate::model::{LossScratch, Mlp, Target};

use lanes::{Pack, LANES};

/// One run's parameters, last gradients and optimizer state.
struct RunState {
    params: Vec<f32>,
    grads: Vec<f32>,
    /// Parameters before the last update, for update/weight ratios.
    before: Vec<f32>,
    groups: Vec<GroupState>,
    /// The frozen body's outputs for every training row, while they are reused.
    body: Option<FrozenBody>,
}

/// fastai's `precompute=True`: the outputs of a run's frozen lowest layers for every training
/// row, computed once and gathered into each batch instead of running those layers again. Each
/// row's outputs are the same bits whichever rows it is computed with (every loop below runs
/// along the rows, elementwise), so reusing them changes no result.
struct FrozenBody {
    /// It covers Linear layers `0..layers`.
    layers: usize,
    /// Those layers' parameters when it was computed: it is reused only while they are unchanged.
    params: Vec<f32>,
    /// The activations after layer `layers - 1`, feature-major `[width, rows]` over the training set.
    outputs: Vec<f32>,
    rows: usize,
}

/// Buffers reused from step to step (a step allocates nothing once they have grown).
///
/// Activations are feature-major, `[features, rows]`: feature `i` of every sample in the batch
/// is one contiguous row, so every inner loop below runs along the batch. That keeps them long
/// and vectorizable whatever the layer widths (2-16-16-2 has 2-wide layers).
#[derive(Default)]
struct Scratch {
    /// Samples in the batch.
    rows: usize,
    /// The inputs, `[in, rows]`.
    x: Vec<f32>,
    /// Pre-activations per Linear layer, `[out, rows]`.
    z: Vec<Vec<f32>>,
    /// Activations per hidden layer (all but the last Linear), `[out, rows]`.
    a: Vec<Vec<f32>>,
    /// The loss's per-row buffers.
    loss: LossScratch<1>,
    dz: Vec<f32>,
    da: Vec<f32>,
    /// Per Linear layer, whether it is frozen for the run at hand.
    frozen: Vec<bool>,
}

impl Scratch {
    /// Loads row-major inputs `[rows, features]`, transposed.
    fn load(&mut self, x: &[f32], features: usize) {
        self.rows = x.len() / features;
        transpose(x, features, &mut self.x);
    }
}

/// A batch gathered from the training set: inputs row-major, and its labels or target values.
#[derive(Default)]
struct Batch {
    x: Vec<f32>,
    labels: Vec<u32>,
    values: Vec<f32>,
}

impl Batch {
    fn gather(&mut self, train: &Dataset, rows: &[u32]) {
        self.x.clear();
        self.x.extend(rows.iter().flat_map(|&i| train.row(i as usize)));
        match &train.targets {
            Targets::Classes { labels, .. } => {
                self.labels.clear();
                self.labels.extend(rows.iter().map(|&i| labels[i as usize]));
            }
            Targets::Values { values, outputs } => {
                self.values.clear();
                let row_values = |i: u32| &values[i as usize * outputs..(i as usize + 1) * outputs];
                self.values.extend(rows.iter().flat_map(|&i| row_values(i)));
            }
        }
    }

    /// The gathered targets, of the same kind as `train`'s.
    fn target(&self, train: &Dataset) -> Target<'_> {
        match train.targets {
            Targets::Classes { .. } => Target::Classes(&self.labels),
            Targets::Values { .. } => Target::Values(&self.values),
        }
    }
}

/// `dst = srcᵀ` for `src` [rows, cols] row-major: dst is [cols, rows].
fn transpose(src: &[f32], cols: usize, dst: &mut Vec<f32>) {
    dst.resize(src.len(), 0.0);
    if src.is_empty() {
        return;
    }
    let rows = src.len() / cols;
    for (c, dst_col) in dst.chunks_exact_mut(rows).enumerate() {
        for (d, s) in dst_col.iter_mut().zip(src.iter().skip(c).step_by(cols)) {
            *d = *s;
        }
    }
}

impl FrozenBody {
    /// `slot`'s body of `layers` layers for `params` over `train`, computed now unless the one
    /// it holds is of the same layers with the same parameters, bit for bit.
    fn reuse_or_compute<'a>(
        slot: &'a mut Option<FrozenBody>,
        mlp: &Mlp,
        params: &[f32],
        layers: usize,
        train: &Dataset,
    ) -> &'a FrozenBody {
        let end = mlp.bias_offset(layers - 1) + mlp.shape(layers - 1).1;
        let same = |body: &FrozenBody| {
            body.layers == layers
                && body.rows == train.len()
                && body.params.iter().zip(&params[..end]).all(|(a, b)| a.to_bits() == b.to_bits())
        };
        if !slot.as_ref().is_some_and(same) {
            *slot = None;
        }
        slot.get_or_insert_with(|| Self::compute(mlp, params, layers, train, end))
    }

    /// Runs layers `0..layers` over every row of `train`, in chunks of rows as `evaluate` does.
    fn compute(mlp: &Mlp, params: &[f32], layers: usize, train: &Dataset, end: usize) -> Self {
        let (n, features, width) = (train.len(), train.features, mlp.layers[layers]);
        let chunk = (EVAL_CHUNK_VALUES / mlp.layers.iter().sum::<usize>().max(1)).max(1);
        let mut outputs = vec![0.0; width * n];
        let mut scratch = Scratch::default();
        for start in (0..n).step_by(chunk) {
            let rows = start..(start + chunk).min(n);
            scratch.load(&train.x[rows.start * features..rows.end * features], features);
            forward_layers(mlp, params, &mut scratch, 0..layers);
            let computed = &scratch.a[layers - 1];
            for (all, part) in outputs.chunks_exact_mut(n).zip(computed.chunks_exact(rows.len())) {
                all[rows.clone()].copy_from_slice(part);
            }
        }
        Self { layers, params: params[..end].to_vec(), outputs, rows: n }
    }

    /// The outputs of training rows `rows`, feature-major `[width, rows]`, into `dst`.
    fn gather(&self, rows: &[u32], dst: &mut Vec<f32>) {
        let batch = rows.len();
        dst.resize(self.outputs.len() / self.rows.max(1) * batch, 0.0);
        for (dst_o, all) in dst.chunks_exact_mut(batch.max(1)).zip(self.outputs.chunks_exact(self.rows.max(1))) {
            for (d, &i) in dst_o.iter_mut().zip(rows) {
                *d = all[i as usize];
            }
        }
    }
}

pub struct CpuBackend {
    layout: Layout,
    optimizer: Optimizer,
    runs: Vec<RunState>,
    batch: Batch,
    scratch: Scratch,
    /// The kernels of runs trained `LANES` at a time.
    pack: Pack,
    precompute: bool,
}

impl CpuBackend {
    pub fn new(layout: Layout, optimizer: Optimizer, initial: Vec<Vec<f32>>) -> Self {
        let runs = initial
            .into_iter()
            .map(|params| RunState {
                grads: vec![0.0; params.len()],
                before: params.clone(),
                groups: layout.groups.iter().map(|g| GroupState::new(g.params.len())).collect(),
                params,
                body: None,
            })
            .collect();
        Self {
            layout,
            optimizer,
            runs,
            batch: Batch::default(),
            scratch: Scratch::default(),
            pack: Pack::default(),
            precompute: false,
        }
    }

    /// Reuses frozen bodies' outputs while they stay frozen (see `FrozenBody`).
    pub fn with_precompute(mut self, precompute: bool) -> Self {
        self.precompute = precompute;
        self
    }

    /// New runs from `initial` parameters, of the same network, optimizer and precompute setting.
    pub fn with_runs(&self, initial: Vec<Vec<f32>>) -> Self {
        Self::new(self.layout.clone(), self.optimizer, initial).with_precompute(self.precompute)
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    pub fn optimizer(&self) -> Optimizer {
        self.optimizer
    }

    pub fn run_count(&self) -> usize {
        self.runs.len()
    }

    pub fn params(&self, run: usize) -> &[f32] {
        &self.runs[run].params
    }

    pub fn grads(&self, run: usize) -> &[f32] {
        &self.runs[run].grads
    }

    pub fn params_before_last_step(&self, run: usize) -> &[f32] {
        &self.runs[run].before
    }

    /// Replaces a run's parameters and resets its optimizer state (a fresh start from them).
    pub fn set_params(&mut self, run: usize, params: &[f32]) {
        let state = &mut self.runs[run];
        state.params.copy_from_slice(params);
        state.before.copy_from_slice(params);
        state.grads.fill(0.0);
        self.reset_optimizer(run);
    }

    /// Zeroes a run's optimizer state (every group's first and second moments), keeping its
    /// parameters: the state a fresh optimizer starts from.
    pub fn reset_optimizer(&mut self, run: usize) {
        for g in &mut self.runs[run].groups {
            *g = GroupState::new(g.first.len());
        }
    }

    /// A run's state in `STATE_SECTIONS` sections of P, as every backend lays it out.
    pub fn export_run(&self, run: usize) -> Vec<f32> {
        let state = &self.runs[run];
        let mut out = Vec::with_capacity(STATE_SECTIONS * state.params.len());
        out.extend_from_slice(&state.params);
        out.extend_from_slice(&state.grads);
        for group in &state.groups {
            out.extend_from_slice(&group.first);
        }
        for group in &state.groups {
            out.extend_from_slice(&group.second);
        }
        out.extend_from_slice(&state.before);
        out
    }

    /// Replaces a run's state with one laid out as `export_run` makes it.
    pub fn import_run(&mut self, run: usize, sections: &[f32]) {
        let state = &mut self.runs[run];
        let p = state.params.len();
        state.params.copy_from_slice(&sections[..p]);
        state.grads.copy_from_slice(&sections[p..2 * p]);
        state.before.copy_from_slice(&sections[4 * p..5 * p]);
        for (group, layout) in state.groups.iter_mut().zip(&self.layout.groups) {
            let range = layout.params.clone();
            group.first.copy_from_slice(&sections[2 * p + range.start..2 * p + range.end]);
            group.second.copy_from_slice(&sections[3 * p + range.start..3 * p + range.end]);
        }
    }

    /// Trains one block of steps as `plan` says, on rows of `train` (the training set, or the
    /// block's augmented rows); returns the losses `[step][run]`, NaN where a run took no step.
    /// A run whose loss turns non-finite is left as it was before that step and takes no
    /// further step in the block (as on the GPU). With precompute on, a run whose lowest layers
    /// are frozen reads their outputs from its `FrozenBody` (not with augmentation, whose rows
    /// change every epoch).
    pub fn train_block(&mut self, plan: &BlockPlan, train: &Dataset) -> Vec<f32> {
        let layout = &self.layout.clone();
        let mlp = &layout.mlp;
        let (runs, groups) = (self.runs.len(), layout.groups.len());
        let widest = mlp.layers[1..mlp.linear_count()].iter().copied().max().unwrap_or(0);
        let reuse_bodies = self.precompute
            && plan.augmented.is_none()
            && runs.saturating_mul(train.len()).saturating_mul(widest) <= MAX_PRECOMPUTED_VALUES;
        let mut losses = vec![f32::NAN; plan.steps * runs];
        let mut alive = vec![true; runs];
        let (mut pack, mut alone) = (Vec::with_capacity(LANES), Vec::with_capacity(runs));
        for s in 0..plan.steps {
            let updates_of = |r: usize| &plan.updates[(s * runs + r) * groups..(s * runs + r + 1) * groups];
            let frozen_of =
                |r: usize| (0..mlp.linear_count()).map(move |l| updates_of(r)[layout.group_of(l)].is_none());
            // Runs that share this step's batch and frozen layers, and read no precomputed body,
            // train in packs of `LANES`; the others (and the last, partial pack) one by one.
            alone.clear();
            pack.clear();
            for r in 0..runs {
                if !plan.takes_step[s * runs + r] || !alive[r] {
                    continue;
                }
                let lowest = frozen_of(r).position(|f| !f).unwrap_or(mlp.linear_count());
                let reads_body = reuse_bodies && lowest > 0 && lowest < mlp.linear_count();
                let joins =
                    |first: usize| plan.rows_of(s, r) == plan.rows_of(s, first) && frozen_of(r).eq(frozen_of(first));
                if plan.batch > 0 && !reads_body && pack.first().is_none_or(|&first| joins(first)) {
                    pack.push(r);
                    if pack.len() == LANES {
                        self.train_pack(&pack, plan, s, train, &mut losses, &mut alive);
                        pack.clear();
                    }
                } else {
                    alone.push(r);
                }
            }
            alone.append(&mut pack);
            alone.sort_unstable();
            // Runs that share a batch share its gathering and transposing too.
            let mut loaded: Option<&[u32]> = None;
            for &r in &alone {
                let run = &mut self.runs[r];
                let rows = plan.rows_of(s, r);
                if loaded != Some(rows) {
                    self.batch.gather(train, rows);
                    self.scratch.load(&self.batch.x, train.features);
                    loaded = Some(rows);
                }
                self.scratch.frozen.clear();
                self.scratch.frozen.extend(frozen_of(r));
                let lowest = self.scratch.frozen.iter().position(|f| !f).unwrap_or(mlp.linear_count());
                let from = if reuse_bodies && lowest > 0 && lowest < mlp.linear_count() {
                    let body = FrozenBody::reuse_or_compute(&mut run.body, mlp, &run.params, lowest, train);
                    self.scratch.a.resize_with(mlp.linear_count() - 1, Vec::new);
                    body.gather(rows, &mut self.scratch.a[lowest - 1]);
                    lowest
                } else {
                    run.body = None;
                    0
                };
                let target = self.batch.target(train);
                let loss = forward_backward(mlp, &run.params, target, &mut self.scratch, &mut run.grads, from);
                losses[s * runs + r] = loss;
                alive[r] = loss.is_finite();
                if alive[r] {
                    update(layout, self.optimizer, run, updates_of(r));
                }
            }
        }
        losses
    }

    /// Step `s` of the runs `pack` (`LANES` runs that share the step's batch and frozen layers)
    /// side by side: their losses into `losses`, and each run updated as alone.
    fn train_pack(
        &mut self,
        pack: &[usize],
        plan: &BlockPlan,
        s: usize,
        train: &Dataset,
        losses: &mut [f32],
        alive: &mut [bool],
    ) {
        let (mlp, runs, groups) = (&self.layout.mlp, self.runs.len(), self.layout.groups.len());
        let first = pack[0];
        self.batch.gather(train, plan.rows_of(s, first));
        self.scratch.load(&self.batch.x, train.features);
        let updates_of = |r: usize| &plan.updates[(s * runs + r) * groups..(s * runs + r + 1) * groups];
        self.scratch.frozen.clear();
        self.scratch
            .frozen
            .extend((0..mlp.linear_count()).map(|l| updates_of(first)[self.layout.group_of(l)].is_none()));
        for (lane, &r) in pack.iter().enumerate() {
            self.pack.load_params(lane, &self.runs[r].params);
        }
        let target = self.batch.target(train);
        let pack_losses = self.pack.forward_backward(mlp, &self.scratch.x, target, &self.scratch.frozen);
        for ((lane, &r), loss) in pack.iter().enumerate().zip(pack_losses) {
            let run = &mut self.runs[r];
            run.body = None;
            for l in (0..mlp.linear_count()).filter(|&l| !self.scratch.frozen[l]) {
                let range = mlp.weight_offset(l)..mlp.bias_offset(l) + mlp.shape(l).1;
                self.pack.store_grads(lane, range, &mut run.grads);
            }
            losses[s * runs + r] = loss;
            alive[r] = loss.is_finite();
            if alive[r] {
                update(&self.layout, self.optimizer, run, updates_of(r));
            }
        }
    }

    /// Network outputs [rows, out] of one run for inputs `x` [rows, in].
    pub fn predict(&mut self, run: usize, x: &[f32]) -> Vec<f32> {
        let mlp = &self.layout.mlp;
        self.scratch.load(x, mlp.inputs());
        forward(mlp, &self.runs[run].params, &mut self.scratch);
        let mut out = Vec::new();
        transpose(&self.scratch.z[mlp.linear_count() - 1], self.scratch.rows, &mut out);
        out
    }
}

/// One optimizer step of `run` from its gradients, for the groups with an update.
fn update(layout: &Layout, optimizer: Optimizer, run: &mut RunState, updates: &[Option<Coefficients>]) {
    run.before.copy_from_slice(&run.params);
    for ((group, state), update) in layout.groups.iter().zip(&mut run.groups).zip(updates) {
        if let Some(c) = *update {
            let range = group.params.clone();
            optimizer.apply(&mut run.params[range.clone()], &run.grads[range], state, c);
        }
    }
}

/// Linear `l` on feature-major `input` [in, rows]: zᵀ = W·inputᵀ + b, one output feature at a
/// time as a sum of input rows scaled by its weights.
fn linear(mlp: &Mlp, params: &[f32], l: usize, input: &[f32], rows: usize, z: &mut Vec<f32>) {
    let (fan_in, fan_out) = mlp.shape(l);
    let w = &params[mlp.weight_offset(l)..mlp.bias_offset(l)];
    let b = &params[mlp.bias_offset(l)..mlp.bias_offset(l) + fan_out];
    z.resize(fan_out * rows, 0.0);
    for ((z_o, w_o), &b_o) in z.chunks_exact_mut(rows).zip(w.chunks_exact(fan_in)).zip(b) {
        z_o.fill(b_o);
        for (&w_oi, a_i) in w_o.iter().zip(input.chunks_exact(rows)) {
            axpy(w_oi, a_i, z_o);
        }
    }
}

/// `y += alpha * x`, elementwise.
#[inline]
fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    for (y, &x) in y.iter_mut().zip(x) {
        *y += alpha * x;
    }
}

/// Σ a·b in eight independent partial sums: a single running sum is a dependency chain the
/// compiler may not reorder, while eight lanes become SIMD adds (float32 summation order only).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8.remainder().iter().zip(b8.remainder()).map(|(x, y)| x * y).sum();
    let mut acc = [0.0f32; 8];
    for (x, y) in a8.zip(b8) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Σ x in eight independent partial sums (see `dot`).
fn sum(x: &[f32]) -> f32 {
    let x8 = x.chunks_exact(8);
    let tail: f32 = x8.remainder().iter().sum();
    let mut acc = [0.0f32; 8];
    for x in x8 {
        for k in 0..8 {
            acc[k] += x[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Fills `scratch.z[l]` for every layer and `scratch.a[l]` for the hidden ones, from `scratch.x`.
fn forward(mlp: &Mlp, params: &[f32], scratch: &mut Scratch) {
    forward_layers(mlp, params, scratch, 0..mlp.linear_count());
}

/// Runs Linear layers `layers` (and the activations after the hidden ones); the first reads
/// `scratch.x`, or `scratch.a[layers.start - 1]` as it stands.
fn forward_layers(mlp: &Mlp, params: &[f32], scratch: &mut Scratch, layers: Range<usize>) {
    let count = mlp.linear_count();
    let Scratch { rows, x, z, a, .. } = scratch;
    z.resize_with(count, Vec::new);
    a.resize_with(count - 1, Vec::new);
    if *rows == 0 {
        z.iter_mut().for_each(Vec::clear);
        return;
    }
    for l in layers {
        let input = if l == 0 { &x[..] } else { &a[l - 1][..] };
        linear(mlp, params, l, input, *rows, &mut z[l]);
        if l + 1 < count {
            a[l].resize(z[l].len(), 0.0);
            mlp.activation.forward_slice(&z[l], &mut a[l]);
        }
    }
}

/// The loss of the outputs in `scratch.z`, with its gradient in `scratch.dz` (feature-major).
fn loss_and_gradient(mlp: &Mlp, target: Target, scratch: &mut Scratch) -> f32 {
    let Scratch { z, dz, loss, .. } = scratch;
    let outputs = &z[mlp.linear_count() - 1];
    dz.resize(outputs.len(), 0.0);
    let [value] = mlp.loss.forward_backward(
        bytemuck::cast_slice(outputs),
        mlp.outputs(),
        target,
        bytemuck::cast_slice_mut(dz),
        loss,
    );
    value
}

/// The batch loss on `scratch.x`, with d loss / d params in `grads` for the layers that train
/// (`scratch.frozen`). The backward pass stops at the lowest layer that trains: below it
/// everything is frozen. The forward pass starts at layer `from` (at most that lowest layer),
/// whose input `scratch.a[from - 1]` the caller has filled (a precomputed body).
fn forward_backward(
    mlp: &Mlp,
    params: &[f32],
    target: Target,
    scratch: &mut Scratch,
    grads: &mut [f32],
    from: usize,
) -> f32 {
    forward_layers(mlp, params, scratch, from..mlp.linear_count());
    let loss = loss_and_gradient(mlp, target, scratch);
    let layers = mlp.linear_count();
    let Scratch { rows, x, z, a, dz, da, frozen, .. } = scratch;
    let rows = (*rows).max(1);
    let lowest = frozen.iter().position(|f| !f).unwrap_or(layers);
    for l in (lowest..layers).rev() {
        let (fan_in, fan_out) = mlp.shape(l);
        let input = if l == 0 { &x[..] } else { &a[l - 1][..] };
        let (w_off, b_off) = (mlp.weight_offset(l), mlp.bias_offset(l));
        if !frozen[l] {
            // dW[o][i] = Σ over the batch of dz[o]·input[i]; db[o] = Σ dz[o].
            let (dw, db) = grads[w_off..b_off + fan_out].split_at_mut(b_off - w_off);
            for ((dw_o, db_o), dz_o) in dw.chunks_exact_mut(fan_in).zip(db.iter_mut()).zip(dz.chunks_exact(rows)) {
                *db_o = sum(dz_o);
                for (dw_oi, a_i) in dw_o.iter_mut().zip(input.chunks_exact(rows)) {
                    *dw_oi = dot(dz_o, a_i);
                }
            }
        }
        if l == lowest {
            break;
        }
        // da[i] = Σ_o W[o][i]·dz[o], then through the activation of layer l - 1.
        let w = &params[w_off..b_off];
        da.clear();
        da.resize(fan_in * rows, 0.0);
        for (i, da_i) in da.chunks_exact_mut(rows).enumerate() {
            for (o, dz_o) in dz.chunks_exact(rows).enumerate() {
                axpy(w[o * fan_in + i], dz_o, da_i);
            }
        }
        mlp.activation.backward_slice(&z[l - 1], &a[l - 1], da);
        std::mem::swap(dz, da);
    }
    loss
}

/// Mean loss and correct predictions of `params` on a whole data set, in chunks of rows of at
/// most `EVAL_CHUNK_VALUES` activations (the chunks' means are combined in f64).
pub fn evaluate(mlp: &Mlp, params: &[f32], set: &Dataset) -> (f32, Option<usize>) {
    let n = set.len();
    let chunk = (EVAL_CHUNK_VALUES / mlp.layers.iter().sum::<usize>().max(1)).max(1);
    let mut scratch = Scratch::default();
    let (mut total, mut correct) = (0.0f64, None);
    for start in (0..n).step_by(chunk) {
        let rows = start..(start + chunk).min(n);
        scratch.load(&set.x[rows.start * set.features..rows.end * set.features], set.features);
        forward(mlp, params, &mut scratch);
        let target = set.targets_of(rows.clone());
        total += loss_and_gradient(mlp, target, &mut scratch) as f64 * rows.len() as f64;
        if let Some(c) = mlp.loss.correct(&scratch.z[mlp.linear_count() - 1], mlp.outputs(), target) {
            correct = Some(correct.unwrap_or(0) + c);
        }
    }
    ((total / n.max(1) as f64) as f32, correct)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activation, Loss};

    /// `forward_backward` on row-major inputs `x`, with the given layers frozen.
    fn loss_and_grads(mlp: &Mlp, params: &[f32], x: &[f32], target: Target, frozen: &[bool], grads: &mut [f32]) -> f32 {
        let mut scratch = Scratch::default();
        scratch.load(x, mlp.inputs());
        scratch.frozen = frozen.to_vec();
        forward_backward(mlp, params, target, &mut scratch, grads, 0)
    }

    /// Every parameter's gradient against a central difference in f64, for every activation and loss.
    #[test]
    fn gradients_match_finite_differences() {
        let x = [0.5f32, -1.0, 1.5, 0.25, -0.75, 2.0];
        let labels = [1u32, 0, 2];
        let values = [0.3f32, -0.2, 0.8, 0.1, -0.5, 0.4, 0.9, 0.0, -0.3];
        for activation in crate::model::Activation::ALL {
            for (loss, target) in [(Loss::CrossEntropy, Target::Classes(&labels)), (Loss::Mse, Target::Values(&values))]
            {
                let mlp = Mlp { layers: vec![2, 4, 3, 3], activation, loss };
                let params: Vec<f32> =
                    (0..mlp.param_count()).map(|i| ((i * 37 % 23) as f32 / 23.0 - 0.5) * 1.2).collect();
                let mut grads = vec![0.0; params.len()];
                loss_and_grads(&mlp, &params, &x, target, &[false; 3], &mut grads);
                let loss_at =
                    |p: &[f32]| loss_and_grads(&mlp, p, &x, target, &[false; 3], &mut vec![0.0; p.len()]) as f64;
                for i in 0..params.len() {
                    let h = 1e-2;
                    let (mut up, mut down) = (params.clone(), params.clone());
                    up[i] += h;
                    down[i] -= h;
                    let numeric = (loss_at(&up) - loss_at(&down)) / (2.0 * h as f64);
                    let tol = 2e-3 * numeric.abs().max(1.0);
                    // ReLU's kink makes a central difference meaningless right at it; none sit there here.
                    assert!(
                        (numeric - grads[i] as f64).abs() < tol,
                        "{} / {}: param {i}: {numeric} vs {}",
                        activation.name(),
                        loss.name(),
                        grads[i]
                    );
                }
            }
        }
    }

    #[test]
    fn frozen_layers_below_get_no_gradient_work() {
        let mlp = Mlp { layers: vec![2, 3, 2], activation: Activation::Tanh, loss: Loss::CrossEntropy };
        let params = vec![0.3; mlp.param_count()];
        let mut grads = vec![7.0; params.len()];
        loss_and_grads(&mlp, &params, &[1.0, 2.0], Target::Classes(&[1]), &[true, false], &mut grads);
        assert!(grads[..mlp.weight_offset(1)].iter().all(|&g| g == 7.0), "layer 0 untouched");
        assert!(grads[mlp.weight_offset(1)..].iter().all(|&g| g != 7.0));
    }
}

#[cfg(test)]
mod pack_tests;
