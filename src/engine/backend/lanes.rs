//! The CPU path's training step for a pack of `LANES` runs that train on the same batch. Every
//! parameter, activation and gradient holds one value per run side by side (one lane = one run),
//! so each inner loop is a fixed-width loop across the runs that the compiler turns into SIMD,
//! natively and in wasm (simd128), whatever the layer widths.
//!
//! Each lane computes exactly what the one-run loops of the CPU backend compute, operation for
//! operation and in the same order (the batch sums in eight partial sums, the input gradient
//! summed over outputs in order, the same loss function), so a run gets the same bits in a pack
//! as alone; the backend's tests hold the two equal.

use crate::model::{Mlp, Target};

/// Runs per pack: eight f32 lanes are two 128-bit vectors (SSE, wasm simd128) or one AVX vector.
pub const LANES: usize = 8;

/// One value per run of the pack.
pub type Lane = [f32; LANES];

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
    /// One run's outputs and their gradient, row-major `[rows, out]`, as the losses take them.
    out: Vec<f32>,
    d_out: Vec<f32>,
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

    /// Run `lane`'s gradients over `range` into `grads`.
    pub fn store_grads(&self, lane: usize, range: std::ops::Range<usize>, grads: &mut [f32]) {
        for (g, p) in grads[range.clone()].iter_mut().zip(&self.grads[range]) {
            *g = p[lane];
        }
    }

    /// One training step of every run on the batch `x` (feature-major `[in, rows]`) against
    /// `target`: the runs' losses, with their gradients for the layers not `frozen` (read them
    /// with `store_grads`). The backward pass stops at the lowest layer that trains.
    pub fn forward_backward(&mut self, mlp: &Mlp, x: &[f32], target: Target, frozen: &[bool]) -> Lane {
        let count = mlp.linear_count();
        self.rows = x.len() / mlp.inputs().max(1);
        self.x.clear();
        self.x.extend(x.iter().map(|&v| [v; LANES]));
        self.forward(mlp);
        let losses = self.loss_and_gradient(mlp, target);
        let Pack { rows, params, grads, x, z, a, dz, da, .. } = self;
        let rows = (*rows).max(1);
        let lowest = frozen.iter().position(|f| !f).unwrap_or(count);
        for l in (lowest..count).rev() {
            let (fan_in, fan_out) = mlp.shape(l);
            let input = if l == 0 { &x[..] } else { &a[l - 1][..] };
            let (w_off, b_off) = (mlp.weight_offset(l), mlp.bias_offset(l));
            if !frozen[l] {
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
            let w = &params[w_off..b_off];
            da.clear();
            da.resize(fan_in * rows, [0.0; LANES]);
            for (i, da_i) in da.chunks_exact_mut(rows).enumerate() {
                for (o, dz_o) in dz.chunks_exact(rows).enumerate() {
                    axpy(&w[o * fan_in + i], dz_o, da_i);
                }
            }
            mlp.activation.backward_slice(flat(&z[l - 1]), flat(&a[l - 1]), flat_mut(da));
            std::mem::swap(dz, da);
        }
        losses
    }

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
                z_o.fill(*b_o);
                for (w_oi, a_i) in w_o.iter().zip(input.chunks_exact(*rows)) {
                    axpy(w_oi, a_i, z_o);
                }
            }
            if l + 1 < count {
                a[l].resize(z_l.len(), [0.0; LANES]);
                mlp.activation.forward_slice(flat(z_l), flat_mut(&mut a[l]));
            }
        }
    }

    /// Each run's loss of the last layer's outputs, with its gradient in `dz` (feature-major),
    /// from the loss function one run uses, lane by lane.
    fn loss_and_gradient(&mut self, mlp: &Mlp, target: Target) -> Lane {
        let (rows, width) = (self.rows, mlp.outputs());
        let logits = &self.z[mlp.linear_count() - 1];
        self.dz.resize(logits.len(), [0.0; LANES]);
        self.out.resize(logits.len(), 0.0);
        self.d_out.resize(logits.len(), 0.0);
        let mut losses = [0.0; LANES];
        for (lane, loss) in losses.iter_mut().enumerate() {
            for (c, logits_c) in logits.chunks_exact(rows.max(1)).enumerate() {
                for (n, v) in logits_c.iter().enumerate() {
                    self.out[n * width + c] = v[lane];
                }
            }
            *loss = mlp.loss.forward_backward(&self.out, width, target, &mut self.d_out);
            for (c, dz_c) in self.dz.chunks_exact_mut(rows.max(1)).enumerate() {
                for (n, d) in dz_c.iter_mut().enumerate() {
                    d[lane] = self.d_out[n * width + c];
                }
            }
        }
        losses
    }
}

fn flat(lanes: &[Lane]) -> &[f32] {
    bytemuck::cast_slice(lanes)
}

fn flat_mut(lanes: &mut [Lane]) -> &mut [f32] {
    bytemuck::cast_slice_mut(lanes)
}

/// `y += alpha * x`, lane by lane.
#[inline]
fn axpy(alpha: &Lane, x: &[Lane], y: &mut [Lane]) {
    for (y, x) in y.iter_mut().zip(x) {
        for k in 0..LANES {
            y[k] += alpha[k] * x[k];
        }
    }
}

/// Σ over the batch of `a·b` per lane, in the one-run `dot`'s order: eight partial sums over
/// whole chunks of eight rows, added up, plus the remaining rows' sum.
fn dot(a: &[Lane], b: &[Lane]) -> Lane {
    reduce(a.len(), |n| {
        let (x, y) = (&a[n], &b[n]);
        std::array::from_fn(|k| x[k] * y[k])
    })
}

/// Σ over the batch per lane, in the one-run `sum`'s order (see `dot`).
fn sum(x: &[Lane]) -> Lane {
    reduce(x.len(), |n| x[n])
}

/// The eight-partial-sums reduction of `term(n)` over rows `0..rows`, per lane.
#[inline]
fn reduce(rows: usize, term: impl Fn(usize) -> Lane) -> Lane {
    let whole = rows / 8 * 8;
    let mut acc = [[0.0f32; LANES]; 8];
    for start in (0..whole).step_by(8) {
        for (j, acc_j) in acc.iter_mut().enumerate() {
            let t = term(start + j);
            for k in 0..LANES {
                acc_j[k] += t[k];
            }
        }
    }
    let tail = |k: usize| (whole..rows).map(|n| term(n)[k]).sum::<f32>();
    std::array::from_fn(|k| acc.iter().map(|a| a[k]).sum::<f32>() + tail(k))
}
