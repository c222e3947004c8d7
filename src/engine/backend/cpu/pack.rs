//! The CPU path's kernels, for a pack of `N` runs that share a batch and their frozen layers:
//! every parameter, activation and gradient holds one value per run side by side (one lane =
//! one run). A run trained alone is a pack of one (`N = 1`), so there is one forward, one loss
//! and one backward loop, and a run gets the same bits whether it trains alone or in a pack.
//!
//! Activations are feature-major, `[features, rows]`: feature `i` of every sample is one
//! contiguous column, so every inner loop runs along the batch (and across the lanes). That
//! keeps loops long and vectorisable (natively and with wasm simd128) whatever the layer widths
//! (2-16-16-2 has 2-wide layers), and the matrix loops keep a block of rows' sums in registers
//! instead of streaming them through memory.
//!
//! Every value is computed in a fixed order that does not depend on `N` or on the blocking: a
//! weighted sum over inputs in input order, the batch sums in eight partial sums added up in
//! order, the same loss function.

use std::ops::Range;

#[cfg(target_arch = "x86_64")]
use super::avx512;
pub use crate::model::{flat, flat_mut};
use crate::model::{LossScratch, Mlp, Target};

/// Runs per pack when several runs train together: a pack's value of one parameter is one SIMD
/// register, four f32 lanes in wasm's 128-bit simd128, eight in an AVX register natively (and
/// `avx512::WIDE_LANES` first where the CPU has AVX-512). In wasm, four lanes train 10-20% faster
/// than eight (`scripts/wasm-ab.mjs`, R = 8 and 64): half the working set, and a lane fits one
/// register. The bits do not depend on it.
pub const LANES: usize = if cfg!(target_arch = "wasm32") { 4 } else { 8 };

/// One value per run of a pack.
pub type Lane<const N: usize> = [f32; N];

/// The values (rows × lanes) whose sums a matrix loop keeps in registers at once.
const BLOCK_VALUES: usize = 32;

/// The batch sums' partial sums.
const PARTIALS: usize = 8;
#[cfg(target_arch = "x86_64")]
const _: () = assert!(avx512::PARTIALS == PARTIALS, "one order of the batch sums at every width");

/// What a training step of a pack reads: the lanes' parameters (`[P]` lanes), the target, which
/// Linear layers are frozen, and the layer the forward pass starts from (at most the lowest layer
/// that trains; below it the caller filled `activations_mut`).
#[derive(Clone, Copy)]
pub struct Step<'a, const N: usize> {
    pub params: &'a [Lane<N>],
    pub target: Target<'a>,
    pub frozen: &'a [bool],
    pub from: usize,
}

/// A pack's activations and gradients of activations, reused from step to step (a step
/// allocates nothing once they have grown). Parameters and their gradients are the caller's,
/// laid out as `[P]` lanes.
#[derive(Default)]
pub struct Pack<const N: usize> {
    rows: usize,
    /// The inputs, the same for every lane, `[in, rows]`.
    x: Vec<Lane<N>>,
    /// Pre-activations per Linear layer and activations per hidden layer, `[out, rows]`.
    z: Vec<Vec<Lane<N>>>,
    a: Vec<Vec<Lane<N>>>,
    dz: Vec<Lane<N>>,
    da: Vec<Lane<N>>,
    /// `[rows]` ones, for the bias gradients.
    ones: Vec<Lane<N>>,
    /// The loss's per-row buffers.
    loss: LossScratch<N>,
}

impl<const N: usize> Pack<N> {
    /// Loads row-major inputs `[rows, features]`, transposed, into every lane.
    pub fn load_inputs(&mut self, x: &[f32], features: usize) {
        self.rows = x.len() / features.max(1);
        self.x.resize(x.len(), [0.0; N]);
        if self.rows == 0 {
            return;
        }
        for (f, column) in self.x.chunks_exact_mut(self.rows).enumerate() {
            for (v, &s) in column.iter_mut().zip(x.iter().skip(f).step_by(features)) {
                *v = [s; N];
            }
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The activations after Linear layer `l` (`[width, rows]`), for a caller that fills them
    /// itself and runs the layers above (a frozen body computed before).
    pub fn activations_mut(&mut self, mlp: &Mlp, l: usize) -> &mut Vec<Lane<N>> {
        self.a.resize_with(mlp.linear_count() - 1, Vec::new);
        &mut self.a[l]
    }

    pub fn activations(&self, l: usize) -> &[Lane<N>] {
        &self.a[l]
    }

    /// The last layer's outputs, `[out, rows]`.
    pub fn outputs(&self, mlp: &Mlp) -> &[Lane<N>] {
        &self.z[mlp.linear_count() - 1]
    }

    /// Runs Linear layers `layers` (and the activations after the hidden ones) with `params`;
    /// the first reads the inputs, or the activations below it as they stand.
    pub fn forward(&mut self, mlp: &Mlp, params: &[Lane<N>], layers: Range<usize>) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: this CPU has AVX, the one feature `forward_avx` is compiled for.
            return unsafe { self.forward_avx(mlp, params, layers) };
        }
        self.forward_layers(mlp, params, layers)
    }

    /// One training step of every lane (see `Step`), the gradients of the layers that train
    /// into `grads` (`[P]` lanes). The backward pass stops at the lowest layer that trains.
    /// Needs at least one row. A function of its own in wasm (see `linear`).
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    pub fn forward_backward(&mut self, mlp: &Mlp, step: Step<N>, grads: &mut [Lane<N>]) -> Lane<N> {
        #[cfg(target_arch = "x86_64")]
        if N == avx512::WIDE_LANES && avx512::available() {
            // SAFETY: this CPU has AVX-512, the one feature `step_avx512` is compiled for.
            return unsafe { self.step_avx512(mlp, step, grads) };
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: this CPU has AVX, the one feature `step_avx` is compiled for.
            return unsafe { self.step_avx(mlp, step, grads) };
        }
        self.step(mlp, step, grads)
    }

    /// Each lane's loss of the last layer's outputs, without its gradient (an evaluation, such
    /// as a landscape's 2601 points, needs none), compiled for AVX where the CPU has it.
    pub fn loss(&mut self, mlp: &Mlp, target: Target) -> Lane<N> {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: this CPU has AVX, the one feature `loss_avx` is compiled for.
            return unsafe { self.loss_avx(mlp, target) };
        }
        self.loss_with(mlp, target, false)
    }

    /// Each lane's loss of the last layer's outputs, and with `with_gradient` its gradient
    /// (feature-major) kept for the backward pass. Inlined into whichever build of a step runs.
    #[inline(always)]
    fn loss_with(&mut self, mlp: &Mlp, target: Target, with_gradient: bool) -> Lane<N> {
        let outputs = &self.z[mlp.linear_count() - 1];
        let grad = if with_gradient {
            self.dz.resize(outputs.len(), [0.0; N]);
            Some(&mut self.dz[..])
        } else {
            None
        };
        mlp.loss.forward_backward(outputs, mlp.outputs(), target, grad, &mut self.loss)
    }

    /// `forward_layers` and `step` compiled for AVX, where a pack's lane is one 256-bit register
    /// instead of two 128-bit ones. Without FMA: each product is rounded before its sum, as in
    /// every other build, so the bits stay the same.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    fn forward_avx(&mut self, mlp: &Mlp, params: &[Lane<N>], layers: Range<usize>) {
        self.forward_layers(mlp, params, layers)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    fn loss_avx(&mut self, mlp: &Mlp, target: Target) -> Lane<N> {
        self.loss_with(mlp, target, false)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    fn step_avx(&mut self, mlp: &Mlp, step: Step<N>, grads: &mut [Lane<N>]) -> Lane<N> {
        self.step(mlp, step, grads)
    }

    /// `step` for a pack of `avx512::WIDE_LANES`, whose matrix loops are `avx512`'s kernels.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn step_avx512(&mut self, mlp: &Mlp, step: Step<N>, grads: &mut [Lane<N>]) -> Lane<N> {
        self.step(mlp, step, grads)
    }

    /// The step of `forward_backward`, inlined into whichever build of it runs.
    #[inline(always)]
    fn step(&mut self, mlp: &Mlp, step: Step<N>, grads: &mut [Lane<N>]) -> Lane<N> {
        let Step { params, target, frozen, from } = step;
        let count = mlp.linear_count();
        self.forward_layers(mlp, params, from..count);
        let losses = self.loss_with(mlp, target, true);
        let Pack { rows, x, z, a, dz, da, ones, .. } = self;
        let rows = (*rows).max(1);
        let lowest = frozen.iter().position(|f| !f).unwrap_or(count);
        for l in (lowest..count).rev() {
            let (fan_in, fan_out) = mlp.shape(l);
            let input = if l == 0 { &x[..] } else { &a[l - 1][..] };
            let (w_off, b_off) = (mlp.weight_offset(l), mlp.bias_offset(l));
            if !frozen[l] {
                ones.resize(rows, [1.0; N]);
                let (dw, db) = grads[w_off..b_off + fan_out].split_at_mut(b_off - w_off);
                weight_gradients(dw, db, dz, input, fan_in, rows, ones);
            }
            if l == lowest {
                break;
            }
            // da[i] = Σ_o W[o][i]·dz[o], then through the activation of layer l - 1.
            da.resize(fan_in * rows, [0.0; N]);
            input_gradient(&params[w_off..b_off], fan_in, dz, rows, da);
            mlp.activation.backward_slice(flat(&z[l - 1]), flat(&a[l - 1]), flat_mut(da));
            std::mem::swap(dz, da);
        }
        losses
    }

    #[inline(always)]
    fn forward_layers(&mut self, mlp: &Mlp, params: &[Lane<N>], layers: Range<usize>) {
        let count = mlp.linear_count();
        let Pack { rows, x, z, a, .. } = self;
        z.resize_with(count, Vec::new);
        a.resize_with(count - 1, Vec::new);
        if *rows == 0 {
            z.iter_mut().for_each(Vec::clear);
            return;
        }
        for l in layers {
            let (fan_in, fan_out) = mlp.shape(l);
            let input = if l == 0 { &x[..] } else { &a[l - 1][..] };
            let w = &params[mlp.weight_offset(l)..mlp.bias_offset(l)];
            let b = &params[mlp.bias_offset(l)..mlp.bias_offset(l) + fan_out];
            let z_l = &mut z[l];
            z_l.resize(fan_out * *rows, [0.0; N]);
            linear(z_l, w, b, input, fan_in, *rows);
            if l + 1 < count {
                a[l].resize(z_l.len(), [0.0; N]);
                mlp.activation.forward_slice(flat(z_l), flat_mut(&mut a[l]));
            }
        }
    }
}

// In wasm, the step (`forward_backward`), the three loops over a layer's matrix below and the
// activations are functions of their own, and `make wasm` keeps wasm-opt from inlining them back
// into their one caller. V8 compiles a function with its optimising tier only after it has run a
// while, in the background, in time that grows faster than the function's size: inlined into the
// training block, that one function took 0.4 s to compile, and a page ran its first nine range
// tests at half speed meanwhile. Split, a page's second range test runs at full speed, and the
// steady state is faster too (scripts/wasm-ab.mjs: 1.1x at R = 1, 1.2x at R = 64). Natively they
// are inlined, so that the AVX build of a step has them.

/// `z[o] = b[o] + Σ_i W[o][i]·input[i]` over the rows, summed over inputs in order from 0.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn linear<const N: usize>(
    z: &mut [Lane<N>],
    w: &[Lane<N>],
    b: &[Lane<N>],
    input: &[Lane<N>],
    fan_in: usize,
    rows: usize,
) {
    for ((z_o, w_o), b_o) in z.chunks_exact_mut(rows).zip(w.chunks_exact(fan_in)).zip(b) {
        weighted_sums(z_o, *b_o, w_o.iter().zip(input.chunks_exact(rows)));
    }
}

/// `dW[o][i] = Σ dz[o]·input[i]` and `db[o] = Σ dz[o]` over the batch (db as Σ dz[o]·1:
/// multiplying by one is exact, so one loop serves both).
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn weight_gradients<const N: usize>(
    dw: &mut [Lane<N>],
    db: &mut [Lane<N>],
    dz: &[Lane<N>],
    input: &[Lane<N>],
    fan_in: usize,
    rows: usize,
    ones: &[Lane<N>],
) {
    #[cfg(target_arch = "x86_64")]
    if N == avx512::WIDE_LANES && avx512::available() {
        use bytemuck::{cast_slice, cast_slice_mut};
        let (dw, db, dz, input, ones) =
            (cast_slice_mut(dw), cast_slice_mut(db), cast_slice(dz), cast_slice(input), cast_slice(ones));
        // SAFETY: this CPU has AVX-512 (checked just above).
        return unsafe { avx512::weight_gradients(dw, db, dz, input, fan_in, rows, ones) };
    }
    for ((dw_o, db_o), dz_o) in dw.chunks_exact_mut(fan_in).zip(db.iter_mut()).zip(dz.chunks_exact(rows)) {
        *db_o = batch_dot(dz_o, ones);
        for (dw_oi, a_i) in dw_o.iter_mut().zip(input.chunks_exact(rows)) {
            *dw_oi = batch_dot(dz_o, a_i);
        }
    }
}

/// `da[i] = Σ_o W[o][i]·dz[o]` over the rows, summed over outputs in order from 0.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn input_gradient<const N: usize>(w: &[Lane<N>], fan_in: usize, dz: &[Lane<N>], rows: usize, da: &mut [Lane<N>]) {
    for (i, da_i) in da.chunks_exact_mut(rows).enumerate() {
        weighted_sums(da_i, [0.0; N], w.iter().skip(i).step_by(fan_in).zip(dz.chunks_exact(rows)));
    }
}

/// Each row `n` of `out` as `init + Σ w·column[n]` over `terms` (weight, column of rows) in
/// order, `BLOCK_VALUES / N` rows at a time so that their sums stay in registers while every
/// term is added.
#[inline(always)]
fn weighted_sums<'a, const N: usize>(
    out: &mut [Lane<N>],
    init: Lane<N>,
    terms: impl Iterator<Item = (&'a Lane<N>, &'a [Lane<N>])> + Clone,
) {
    #[cfg(target_arch = "x86_64")]
    if N == avx512::WIDE_LANES && avx512::available() {
        let terms = terms.map(|(w, column)| (bytemuck::cast_ref(w), bytemuck::cast_slice(column)));
        // SAFETY: this CPU has AVX-512 (checked just above).
        return unsafe { avx512::weighted_sums(bytemuck::cast_slice_mut(out), bytemuck::cast_ref(&init), terms) };
    }
    let block = const {
        assert!(N > 0 && BLOCK_VALUES.is_multiple_of(N));
        BLOCK_VALUES / N
    };
    let done = out.len() / block * block;
    let mut blocks = out.chunks_exact_mut(block);
    for (b, out_block) in (&mut blocks).enumerate() {
        // The block's sums, row after row: plain loops over constant ranges, which the compiler
        // unrolls into registers.
        let mut acc = [0.0f32; BLOCK_VALUES];
        for r in 0..block {
            for k in 0..N {
                acc[r * N + k] = init[k];
            }
        }
        for (w, column) in terms.clone() {
            let column = &column[b * block..(b + 1) * block];
            for r in 0..block {
                for k in 0..N {
                    acc[r * N + k] += w[k] * column[r][k];
                }
            }
        }
        flat_mut(out_block).copy_from_slice(&acc);
    }
    for (r, o) in blocks.into_remainder().iter_mut().enumerate() {
        let mut acc = init;
        for (w, column) in terms.clone() {
            madd(&mut acc, w, &column[done + r]);
        }
        *o = acc;
    }
}

/// Σ over the rows of `x[n]·y[n]` per lane: eight partial sums over whole chunks of eight rows,
/// added up in order, plus the other rows' sum. Independent partial sums vectorise where one
/// running sum (a dependency chain the compiler may not reorder) would not.
#[inline(always)]
fn batch_dot<const N: usize>(x: &[Lane<N>], y: &[Lane<N>]) -> Lane<N> {
    let (x8, y8) = (x.chunks_exact(PARTIALS), y.chunks_exact(PARTIALS));
    let mut tail = [-0.0f32; N];
    for (a, b) in x8.remainder().iter().zip(y8.remainder()) {
        add(&mut tail, &mul(a, b));
    }
    let mut parts = [[0.0f32; N]; PARTIALS];
    for (a, b) in x8.zip(y8) {
        for j in 0..PARTIALS {
            add(&mut parts[j], &mul(&a[j], &b[j]));
        }
    }
    let mut total = [-0.0f32; N];
    for part in &parts {
        add(&mut total, part);
    }
    add(&mut total, &tail);
    total
}

#[inline(always)]
fn madd<const N: usize>(acc: &mut Lane<N>, w: &Lane<N>, a: &Lane<N>) {
    for k in 0..N {
        acc[k] += w[k] * a[k];
    }
}

#[inline(always)]
fn add<const N: usize>(acc: &mut Lane<N>, x: &Lane<N>) {
    for k in 0..N {
        acc[k] += x[k];
    }
}

#[inline(always)]
fn mul<const N: usize>(x: &Lane<N>, y: &Lane<N>) -> Lane<N> {
    std::array::from_fn(|k| x[k] * y[k])
}

/// A run's `[P]` values as a pack of one.
pub fn pack_of_one(values: &[f32]) -> &[Lane<1>] {
    bytemuck::cast_slice(values)
}

pub fn pack_of_one_mut(values: &mut [f32]) -> &mut [Lane<1>] {
    bytemuck::cast_slice_mut(values)
}
