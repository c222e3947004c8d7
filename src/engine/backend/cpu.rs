//! The CPU backend: the numerical reference for the GPU kernels, and the fallback inside wasm
//! where WebGPU is missing. Runs that share a step's batch train side by side in packs of
//! `LANES` (of `WIDE_LANES` first, where the CPU has AVX-512), the others one by one as packs
//! of one (`pack`).

#[cfg(target_arch = "x86_64")]
mod avx512;
mod pack;

use crate::data::{Dataset, Targets};
use crate::engine::optimizer::{Coefficients, GroupState, Optimizer};
use crate::engine::runs::{BlockPlan, Layout, STATE_SECTIONS};
use crate::limits::{EVAL_CHUNK_VALUES, MAX_PRECOMPUTED_VALUES};
use crate::model::{Mlp, Target};
use std::ops::Range;

use pack::{flat, pack_of_one, pack_of_one_mut, Lane, Pack, Step, LANES};

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
        let mut pack = Pack::<1>::default();
        for start in (0..n).step_by(chunk) {
            let rows = start..(start + chunk).min(n);
            pack.load_inputs(&train.x[rows.start * features..rows.end * features], features);
            pack.forward(mlp, pack_of_one(params), 0..layers);
            let computed = flat(pack.activations(layers - 1));
            for (all, part) in outputs.chunks_exact_mut(n).zip(computed.chunks_exact(rows.len())) {
                all[rows.clone()].copy_from_slice(part);
            }
        }
        Self { layers, params: params[..end].to_vec(), outputs, rows: n }
    }

    /// The outputs of training rows `rows`, feature-major `[width, rows]`, into `dst`.
    fn gather(&self, rows: &[u32], dst: &mut Vec<Lane<1>>) {
        let batch = rows.len();
        dst.resize(self.outputs.len() / self.rows.max(1) * batch, [0.0]);
        for (dst_o, all) in dst.chunks_exact_mut(batch.max(1)).zip(self.outputs.chunks_exact(self.rows.max(1))) {
            for (d, &i) in dst_o.iter_mut().zip(rows) {
                *d = [all[i as usize]];
            }
        }
    }
}

pub struct CpuBackend {
    layout: Layout,
    optimizer: Optimizer,
    runs: Vec<RunState>,
    batch: Batch,
    /// The kernels of a run trained alone.
    alone: Pack<1>,
    /// The kernels of runs trained `LANES` at a time.
    pack: Packed<LANES>,
    /// Where the CPU has AVX-512, the kernels of runs trained `WIDE_LANES` at a time.
    #[cfg(target_arch = "x86_64")]
    wide: Packed<{ avx512::WIDE_LANES }>,
    /// Per Linear layer, whether it is frozen for the run or pack at hand.
    frozen: Vec<bool>,
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
            alone: Pack::default(),
            pack: Packed::default(),
            #[cfg(target_arch = "x86_64")]
            wide: Packed::default(),
            frozen: Vec::new(),
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
        let pack_width = self.widest_pack();
        let (mut pack, mut alone) = (Vec::with_capacity(pack_width), Vec::with_capacity(runs));
        for s in 0..plan.steps {
            let updates_of = |r: usize| &plan.updates[(s * runs + r) * groups..(s * runs + r + 1) * groups];
            let frozen_of =
                |r: usize| (0..mlp.linear_count()).map(move |l| updates_of(r)[layout.group_of(l)].is_none());
            // Runs that share this step's batch and frozen layers, and read no precomputed body,
            // train in packs of the widest width, the rest of them in one of `LANES` if they
            // fill it; the others one by one.
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
                    if pack.len() == pack_width {
                        self.train_pack(&pack, plan, s, train, &mut losses, &mut alive);
                        pack.clear();
                    }
                } else {
                    alone.push(r);
                }
            }
            if pack.len() >= LANES {
                self.train_pack(&pack[..LANES], plan, s, train, &mut losses, &mut alive);
                pack.drain(..LANES);
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
                    self.alone.load_inputs(&self.batch.x, train.features);
                    loaded = Some(rows);
                }
                self.frozen.clear();
                self.frozen.extend(frozen_of(r));
                let lowest = self.frozen.iter().position(|f| !f).unwrap_or(mlp.linear_count());
                let from = if reuse_bodies && lowest > 0 && lowest < mlp.linear_count() {
                    let body = FrozenBody::reuse_or_compute(&mut run.body, mlp, &run.params, lowest, train);
                    body.gather(rows, self.alone.activations_mut(mlp, lowest - 1));
                    lowest
                } else {
                    run.body = None;
                    0
                };
                let target = self.batch.target(train);
                let (params, grads) = (pack_of_one(&run.params), pack_of_one_mut(&mut run.grads));
                let step = Step { params, target, frozen: &self.frozen, from };
                let [loss] = self.alone.forward_backward(mlp, step, grads);
                losses[s * runs + r] = loss;
                alive[r] = loss.is_finite();
                if alive[r] {
                    update(layout, self.optimizer, run, updates_of(r));
                }
            }
        }
        losses
    }

    /// The most runs that train side by side on this CPU.
    fn widest_pack(&self) -> usize {
        #[cfg(target_arch = "x86_64")]
        if avx512::available() {
            return avx512::WIDE_LANES;
        }
        LANES
    }

    /// Step `s` of the runs `pack` (`LANES` or `WIDE_LANES` runs that share the step's batch and
    /// frozen layers) side by side: their losses into `losses`, and each run updated as alone.
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
        let updates_of = |r: usize| &plan.updates[(s * runs + r) * groups..(s * runs + r + 1) * groups];
        self.frozen.clear();
        self.frozen.extend((0..mlp.linear_count()).map(|l| updates_of(first)[self.layout.group_of(l)].is_none()));
        let (batch, frozen) = (&self.batch, &self.frozen[..]);
        let step_losses = &mut losses[s * runs..(s + 1) * runs];
        match pack.len() {
            #[cfg(target_arch = "x86_64")]
            avx512::WIDE_LANES => self.wide.step(mlp, &mut self.runs, pack, batch, train, frozen, step_losses),
            _ => self.pack.step(mlp, &mut self.runs, pack, batch, train, frozen, step_losses),
        }
        for &r in pack {
            let run = &mut self.runs[r];
            alive[r] = step_losses[r].is_finite();
            if alive[r] {
                update(&self.layout, self.optimizer, run, updates_of(r));
            }
        }
    }

    /// Network outputs [rows, out] of one run for inputs `x` [rows, in].
    pub fn predict(&mut self, run: usize, x: &[f32]) -> Vec<f32> {
        let mlp = &self.layout.mlp;
        self.alone.load_inputs(x, mlp.inputs());
        self.alone.forward(mlp, pack_of_one(&self.runs[run].params), 0..mlp.linear_count());
        let mut out = Vec::new();
        transpose(flat(self.alone.outputs(mlp)), self.alone.rows(), &mut out);
        out
    }
}

/// A pack's kernels, with its runs' parameters and gradients side by side.
#[derive(Default)]
struct Packed<const N: usize> {
    kernels: Pack<N>,
    params: Vec<Lane<N>>,
    grads: Vec<Lane<N>>,
}

impl<const N: usize> Packed<N> {
    /// The forward and backward pass of the `N` runs `pack` on the gathered `batch`: their
    /// losses into `losses` (one per run), and the gradients of the layers that train into each
    /// run's `grads`.
    #[allow(clippy::too_many_arguments)]
    fn step(
        &mut self,
        mlp: &Mlp,
        runs: &mut [RunState],
        pack: &[usize],
        batch: &Batch,
        train: &Dataset,
        frozen: &[bool],
        losses: &mut [f32],
    ) {
        self.kernels.load_inputs(&batch.x, train.features);
        let p = mlp.param_count();
        self.params.resize(p, [0.0; N]);
        self.grads.resize(p, [0.0; N]);
        interleave_params(&mut self.params, runs, pack);
        let step = Step { params: &self.params, target: batch.target(train), frozen, from: 0 };
        let lane_losses = self.kernels.forward_backward(mlp, step, &mut self.grads);
        for (&r, loss) in pack.iter().zip(lane_losses) {
            losses[r] = loss;
            runs[r].body = None;
        }
        for l in (0..mlp.linear_count()).filter(|&l| !frozen[l]) {
            let range = mlp.weight_offset(l)..mlp.bias_offset(l) + mlp.shape(l).1;
            deinterleave_grads(&self.grads, runs, pack, range);
        }
    }
}

/// A pack's parameters from its runs': `params[i][lane] = runs[pack[lane]].params[i]`.
fn interleave_params<const N: usize>(params: &mut [Lane<N>], runs: &[RunState], pack: &[usize]) {
    #[cfg(target_arch = "x86_64")]
    if N == avx512::WIDE_LANES && avx512::available() {
        if let Ok(pack) = <[usize; avx512::WIDE_LANES]>::try_from(pack) {
            // SAFETY: this CPU has AVX-512 (checked just above).
            return unsafe { avx512::interleave(bytemuck::cast_slice_mut(params), pack.map(|r| &runs[r].params[..])) };
        }
    }
    for (lane, &r) in pack.iter().enumerate() {
        for (packed, &v) in params.iter_mut().zip(&runs[r].params) {
            packed[lane] = v;
        }
    }
}

/// The runs' gradients `range` from their pack's: `runs[pack[lane]].grads[i] = grads[i][lane]`.
fn deinterleave_grads<const N: usize>(grads: &[Lane<N>], runs: &mut [RunState], pack: &[usize], range: Range<usize>) {
    #[cfg(target_arch = "x86_64")]
    if N == avx512::WIDE_LANES && avx512::available() {
        let disjoint = <[usize; avx512::WIDE_LANES]>::try_from(pack).ok().and_then(|p| runs.get_disjoint_mut(p).ok());
        if let Some(pack_runs) = disjoint {
            let destinations = pack_runs.map(|run| &mut run.grads[range.clone()]);
            // SAFETY: this CPU has AVX-512 (checked just above).
            return unsafe { avx512::deinterleave(bytemuck::cast_slice(&grads[range]), destinations) };
        }
    }
    for (lane, &r) in pack.iter().enumerate() {
        for (g, packed) in runs[r].grads[range.clone()].iter_mut().zip(&grads[range.clone()]) {
            *g = packed[lane];
        }
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

/// Mean loss and correct predictions of `params` on a whole data set, in chunks of rows of at
/// most `EVAL_CHUNK_VALUES` activations (the chunks' means are combined in f64).
pub fn evaluate(mlp: &Mlp, params: &[f32], set: &Dataset) -> (f32, Option<usize>) {
    let n = set.len();
    let chunk = (EVAL_CHUNK_VALUES / mlp.layers.iter().sum::<usize>().max(1)).max(1);
    let mut pack = Pack::<1>::default();
    let (mut total, mut correct) = (0.0f64, None);
    for start in (0..n).step_by(chunk) {
        let rows = start..(start + chunk).min(n);
        pack.load_inputs(&set.x[rows.start * set.features..rows.end * set.features], set.features);
        pack.forward(mlp, pack_of_one(params), 0..mlp.linear_count());
        let target = set.targets_of(rows.clone());
        let [loss] = pack.loss(mlp, target);
        total += loss as f64 * rows.len() as f64;
        if let Some(c) = mlp.loss.correct(flat(pack.outputs(mlp)), mlp.outputs(), target) {
            correct = Some(correct.unwrap_or(0) + c);
        }
    }
    ((total / n.max(1) as f64) as f32, correct)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activation, Loss};

    /// One run's step on row-major inputs `x`, with the given layers frozen.
    fn loss_and_grads(mlp: &Mlp, params: &[f32], x: &[f32], target: Target, frozen: &[bool], grads: &mut [f32]) -> f32 {
        let mut pack = Pack::<1>::default();
        pack.load_inputs(x, mlp.inputs());
        let step = Step { params: pack_of_one(params), target, frozen, from: 0 };
        pack.forward_backward(mlp, step, pack_of_one_mut(grads))[0]
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
