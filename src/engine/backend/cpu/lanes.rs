//! One training step for a pack of `LANES` runs that train on the same batch with the same
//! layers frozen. Every parameter, activation and gradient holds one value per run side by side
//! (one lane = one run), so each inner operation is a fixed-width loop across the runs that the
//! compiler turns into SIMD (natively and with wasm simd128) whatever the layer widths, and the
//! matrix loops keep a block of rows' sums in registers instead of streaming them through memory.
//!
//! Each lane computes what the CPU backend's one-run loops compute, operation for operation and
//! in the same order (a weighted sum over inputs in input order, the batch sums in eight partial
//! sums added up in order, the same loss function), so a run gets the same bits in a pack as
//! alone; the backend's tests hold the two equal.

use std::ops::Range;

use crate::model::{LossScratch, Mlp, Target};

/// Runs per pack: eight f32 lanes are two 128-bit vectors (SSE, wasm simd128) or one AVX vector.
pub const LANES: usize = 8;

/// One value per run of the pack.
type Lane = [f32; LANES];

/// Rows whose sums a matrix loop keeps in registers at once.
const ROW_BLOCK: usize = 4;

/// The one-run batch sums' partial sums (`dot` and `sum` in the CPU backend).
const PARTIALS: usize = 8;

/// The pack's parameters, activations and gradients, reused from step to step.
#[derive(Default)]
pub struct Pack {
    rows: usize,
    /// `[P]`: each parameter of every run.
    params: Vec<Lane>,
    /// `[P]`: d loss / d params, filled for the layers that train.
    grads: Vec<Lane>,
    /// The inputs, the same for every run, `[in, rows]`.
    x: Vec<Lane>,
    /// Pre-activations per Linear layer and activations per hidden layer, `[out, rows]`.
    z: Vec<Vec<Lane>>,
    a: Vec<Vec<Lane>>,
    dz: Vec<Lane>,
    da: Vec<Lane>,
    /// The loss's per-row buffers.
    loss: LossScratch<LANES>,
}

impl Pack {
    /// Loads run `lane`'s parameters.
    pub fn load_params(&mut self, lane: usize, params: &[f32]) {
        self.params.resize(params.len(), [0.0; LANES]);
        self.grads.resize(params.len(), [0.0; LANES]);
        for (p, &v) in self.params.iter_mut().zip(params) {
            p[lane] = v;
        }
    }

    /// Run `lane`'s gradients over `range` into `grads[range]`.
    pub fn store_grads(&self, lane: usize, range: Range<usize>, grads: &mut [f32]) {
        for (g, p) in grads[range.clone()].iter_mut().zip(&self.grads[range]) {
            *g = p[lane];
        }
    }

    /// One training step of every lane on the batch `x` (feature-major `[in, rows]`, at least
    /// one row) against `target`: the lanes' losses, with their gradients for the layers not
    /// `frozen` (read them with `store_grads`). The backward pass stops at the lowest layer
    /// that trains.
    pub fn forward_backward(&mut self, mlp: &Mlp, x: &[f32], target: Target, frozen: &[bool]) -> Lane {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: this CPU has AVX, the one feature `step_avx` is compiled for.
            return unsafe { self.step_avx(mlp, x, target, frozen) };
        }
        self.step(mlp, x, target, frozen)
    }

    /// `step` compiled for AVX, where a lane is one 256-bit register instead of two 128-bit ones.
    /// Without FMA: each product is rounded before its sum, as in every other build, so the
    /// bits stay the same.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    fn step_avx(&mut self, mlp: &Mlp, x: &[f32], target: Target, frozen: &[bool]) -> Lane {
        self.step(mlp, x, target, frozen)
    }

    /// The step of `forward_backward`, inlined into whichever build of it runs.
    #[inline(always)]
    fn step(&mut self, mlp: &Mlp, x: &[f32], target: Target, frozen: &[bool]) -> Lane {
        let count = mlp.linear_count();
        self.rows = (x.len() / mlp.inputs().max(1)).max(1);
        self.x.clear();
        self.x.extend(x.iter().map(|&v| [v; LANES]));
        self.forward(mlp);
        let losses = self.loss_and_gradient(mlp, target);
        let Pack { rows, params, grads, x, z, a, dz, da, .. } = self;
        let rows = *rows;
        let lowest = frozen.iter().position(|f| !f).unwrap_or(count);
        for l in (lowest..count).rev() {
            let (fan_in, fan_out) = mlp.shape(l);
            let input = if l == 0 { &x[..] } else { &a[l - 1][..] };
            let (w_off, b_off) = (mlp.weight_offset(l), mlp.bias_offset(l));
            if !frozen[l] {
                let (dw, db) = grads[w_off..b_off + fan_out].split_at_mut(b_off - w_off);
                for ((dw_o, db_o), dz_o) in dw.chunks_exact_mut(fan_in).zip(db.iter_mut()).zip(dz.chunks_exact(rows)) {
                    *db_o = batch_sum(rows, |n| dz_o[n]);
                    for (dw_oi, a_i) in dw_o.iter_mut().zip(input.chunks_exact(rows)) {
                        *dw_oi = batch_sum(rows, |n| mul(&dz_o[n], &a_i[n]));
                    }
                }
            }
            if l == lowest {
                break;
            }
            da.resize(fan_in * rows, [0.0; LANES]);
            input_gradient(&params[w_off..b_off], fan_in, dz, rows, da);
            mlp.activation.backward_slice(flat(&z[l - 1]), flat(&a[l - 1]), flat_mut(da));
            std::mem::swap(dz, da);
        }
        losses
    }

    #[inline(always)]
    fn forward(&mut self, mlp: &Mlp) {
        let count = mlp.linear_count();
        let Pack { rows, params, x, z, a, .. } = self;
        z.resize_with(count, Vec::new);
        a.resize_with(count - 1, Vec::new);
        for l in 0..count {
            let (fan_in, fan_out) = mlp.shape(l);
            let input = if l == 0 { &x[..] } else { &a[l - 1][..] };
            let w = &params[mlp.weight_offset(l)..mlp.bias_offset(l)];
            let b = &params[mlp.bias_offset(l)..mlp.bias_offset(l) + fan_out];
            let z_l = &mut z[l];
            z_l.resize(fan_out * *rows, [0.0; LANES]);
            for ((z_o, w_o), b_o) in z_l.chunks_exact_mut(*rows).zip(w.chunks_exact(fan_in)).zip(b) {
                // z = b, then + w_i·a_i for each input in order, as the one-run `linear`.
                weighted_sums(z_o, *b_o, w_o.iter().zip(input.chunks_exact(*rows)));
            }
            if l + 1 < count {
                a[l].resize(z_l.len(), [0.0; LANES]);
                mlp.activation.forward_slice(flat(z_l), flat_mut(&mut a[l]));
            }
        }
    }

    /// Each lane's loss of the last layer's outputs, with its gradient in `dz` (feature-major).
    #[inline(always)]
    fn loss_and_gradient(&mut self, mlp: &Mlp, target: Target) -> Lane {
        let outputs = &self.z[mlp.linear_count() - 1];
        self.dz.resize(outputs.len(), [0.0; LANES]);
        mlp.loss.forward_backward(outputs, mlp.outputs(), target, &mut self.dz, &mut self.loss)
    }
}

/// `da[i] = Σ_o W[o][i]·dz[o]` over the rows, summed over outputs in order from 0 (as the
/// one-run loop's `axpy`s onto zeros).
#[inline(always)]
fn input_gradient(w: &[Lane], fan_in: usize, dz: &[Lane], rows: usize, da: &mut [Lane]) {
    for (i, da_i) in da.chunks_exact_mut(rows).enumerate() {
        weighted_sums(da_i, [0.0; LANES], w.iter().skip(i).step_by(fan_in).zip(dz.chunks_exact(rows)));
    }
}

/// Each row `n` of `out` as `init + Σ w·column[n]` over `terms` (weight, column of rows) in
/// order, `ROW_BLOCK` rows at a time so that their sums stay in registers while every term is
/// added.
#[inline(always)]
fn weighted_sums<'a>(out: &mut [Lane], init: Lane, terms: impl Iterator<Item = (&'a Lane, &'a [Lane])> + Clone) {
    let done = out.len() / ROW_BLOCK * ROW_BLOCK;
    let mut blocks = out.chunks_exact_mut(ROW_BLOCK);
    for (b, block) in (&mut blocks).enumerate() {
        let rows = b * ROW_BLOCK..(b + 1) * ROW_BLOCK;
        let mut acc = [init; ROW_BLOCK];
        for (w, column) in terms.clone() {
            for (acc_r, a) in acc.iter_mut().zip(&column[rows.clone()]) {
                madd(acc_r, w, a);
            }
        }
        block.copy_from_slice(&acc);
    }
    for (r, o) in blocks.into_remainder().iter_mut().enumerate() {
        let mut acc = init;
        for (w, column) in terms.clone() {
            madd(&mut acc, w, &column[done + r]);
        }
        *o = acc;
    }
}

/// Σ over rows `0..rows` of `term(n)` per lane, in the one-run `dot`/`sum` order: eight
/// partial sums over whole chunks of eight rows, added up in order, plus the other rows' sum.
#[inline(always)]
fn batch_sum(rows: usize, term: impl Fn(usize) -> Lane) -> Lane {
    let whole = rows / PARTIALS * PARTIALS;
    let mut total = [-0.0f32; LANES];
    let mut parts = [[0.0f32; LANES]; PARTIALS];
    for start in (0..whole).step_by(PARTIALS) {
        for (j, part) in parts.iter_mut().enumerate() {
            add(part, &term(start + j));
        }
    }
    for part in &parts {
        add(&mut total, part);
    }
    let mut tail = [-0.0f32; LANES];
    for n in whole..rows {
        add(&mut tail, &term(n));
    }
    add(&mut total, &tail);
    total
}

#[inline(always)]
fn madd(acc: &mut Lane, w: &Lane, a: &Lane) {
    for k in 0..LANES {
        acc[k] += w[k] * a[k];
    }
}

#[inline(always)]
fn add(acc: &mut Lane, x: &Lane) {
    for k in 0..LANES {
        acc[k] += x[k];
    }
}

#[inline(always)]
fn mul(x: &Lane, y: &Lane) -> Lane {
    std::array::from_fn(|k| x[k] * y[k])
}

fn flat(lanes: &[Lane]) -> &[f32] {
    bytemuck::cast_slice(lanes)
}

fn flat_mut(lanes: &mut [Lane]) -> &mut [f32] {
    bytemuck::cast_slice_mut(lanes)
}
