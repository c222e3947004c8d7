//! The CPU backend: the numerical reference for the GPU kernels, and the fallback inside wasm
//! where WebGPU is missing. Plain loops over row-major f32 slices, one run after another.

use crate::model::{Mlp, Target};

use super::optimizer::{GroupState, Optimizer};
use super::runs::{Layout, StepInput};

/// One run's parameters, last gradients and optimizer state.
struct RunState {
    params: Vec<f32>,
    grads: Vec<f32>,
    /// Parameters before the last update, for update/weight ratios.
    before: Vec<f32>,
    groups: Vec<GroupState>,
}

/// Reusable per-layer buffers for one batch: pre-activations and activations.
#[derive(Default)]
struct Scratch {
    z: Vec<Vec<f32>>,
    a: Vec<Vec<f32>>,
    dz: Vec<f32>,
    da: Vec<f32>,
}

pub struct CpuBackend {
    layout: Layout,
    optimizer: Optimizer,
    runs: Vec<RunState>,
    scratch: Scratch,
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
            })
            .collect();
        Self { layout, optimizer, runs, scratch: Scratch::default() }
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
        for g in &mut state.groups {
            *g = GroupState::new(g.first.len());
        }
    }

    /// Each group's optimizer step count, `[run][group]`.
    pub fn step_counts(&self) -> Vec<Vec<u64>> {
        self.runs.iter().map(|r| r.groups.iter().map(|g| g.steps).collect()).collect()
    }

    pub fn set_step_counts(&mut self, counts: &[Vec<u64>]) {
        for (run, counts) in self.runs.iter_mut().zip(counts) {
            for (group, &steps) in run.groups.iter_mut().zip(counts) {
                group.steps = steps;
            }
        }
    }

    /// A run's state as the GPU lays it out: parameters, gradients, first moment, second
    /// moment, parameters before the last update (five sections of P).
    pub fn export_run(&self, run: usize) -> Vec<f32> {
        let state = &self.runs[run];
        let mut out = Vec::with_capacity(5 * state.params.len());
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

    /// One optimizer step of every live run on the same batch; returns each run's loss
    /// (NaN for runs that are not live). A non-finite loss leaves that run's parameters alone.
    pub fn step(&mut self, input: &StepInput) -> Vec<f32> {
        let mut losses = vec![f32::NAN; self.runs.len()];
        for (r, loss) in losses.iter_mut().enumerate() {
            if !input.live[r] {
                continue;
            }
            let run = &mut self.runs[r];
            let frozen = self.layout.frozen_layers(&input.frozen[r]);
            *loss = forward_backward(&self.layout.mlp, &run.params, input.x, input.target, &mut self.scratch, &mut run.grads, &frozen);
            if !loss.is_finite() {
                continue;
            }
            run.before.copy_from_slice(&run.params);
            for (g, group) in self.layout.groups.iter().enumerate() {
                if input.frozen[r][g] {
                    continue;
                }
                let range = group.params.clone();
                self.optimizer.step(&mut run.params[range.clone()], &run.grads[range], &mut run.groups[g], input.hyper[r][g]);
            }
        }
        losses
    }

    /// Network outputs [rows, out] of one run for inputs `x` [rows, in].
    pub fn predict(&mut self, run: usize, x: &[f32]) -> Vec<f32> {
        forward(&self.layout.mlp, &self.runs[run].params, x, &mut self.scratch);
        self.scratch.a.last().cloned().unwrap_or_default()
    }
}

/// Linear `l`: z = a · Wᵀ + b for `a` [rows, in], W [out, in].
fn linear(mlp: &Mlp, params: &[f32], l: usize, a: &[f32], z: &mut Vec<f32>) {
    let (fan_in, fan_out) = mlp.shape(l);
    let w = &params[mlp.weight_offset(l)..mlp.bias_offset(l)];
    let b = &params[mlp.bias_offset(l)..mlp.bias_offset(l) + fan_out];
    let rows = a.len() / fan_in;
    z.clear();
    z.resize(rows * fan_out, 0.0);
    for (a_row, z_row) in a.chunks_exact(fan_in).zip(z.chunks_exact_mut(fan_out)) {
        for ((z_o, w_row), &b_o) in z_row.iter_mut().zip(w.chunks_exact(fan_in)).zip(b) {
            *z_o = b_o + dot(a_row, w_row);
        }
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Fills `scratch.z[l]` and `scratch.a[l]` (a[last] = z[last]: no activation on the output).
fn forward(mlp: &Mlp, params: &[f32], x: &[f32], scratch: &mut Scratch) {
    let layers = mlp.linear_count();
    scratch.z.resize_with(layers, Vec::new);
    scratch.a.resize_with(layers, Vec::new);
    for l in 0..layers {
        let (before, rest) = scratch.a.split_at_mut(l);
        let input = if l == 0 { x } else { &before[l - 1] };
        linear(mlp, params, l, input, &mut scratch.z[l]);
        let act = if l + 1 == layers { None } else { Some(mlp.activation) };
        rest[0].clear();
        rest[0].extend(scratch.z[l].iter().map(|&z| act.map_or(z, |f| f.forward(z))));
    }
}

/// The batch loss, with d loss / d params in `grads` for the layers that train. The backward
/// pass stops at the lowest layer that trains: below it everything is frozen.
fn forward_backward(mlp: &Mlp, params: &[f32], x: &[f32], target: Target, scratch: &mut Scratch, grads: &mut [f32], frozen: &[bool]) -> f32 {
    forward(mlp, params, x, scratch);
    let layers = mlp.linear_count();
    let lowest = frozen.iter().position(|f| !f).unwrap_or(layers);
    let out = mlp.outputs();
    let mut dz = std::mem::take(&mut scratch.dz);
    let mut da = std::mem::take(&mut scratch.da);
    dz.resize(scratch.a[layers - 1].len(), 0.0);
    let loss = mlp.loss.forward_backward(&scratch.a[layers - 1], out, target, &mut dz);
    for l in (lowest..layers).rev() {
        let (fan_in, fan_out) = mlp.shape(l);
        let input = if l == 0 { x } else { &scratch.a[l - 1] };
        // dW = dzᵀ · a, db = Σ dz over the batch.
        let (w_off, b_off) = (mlp.weight_offset(l), mlp.bias_offset(l));
        if !frozen[l] {
            let (dw, db) = grads[w_off..b_off + fan_out].split_at_mut(b_off - w_off);
            dw.fill(0.0);
            db.fill(0.0);
            for (dz_row, a_row) in dz.chunks_exact(fan_out).zip(input.chunks_exact(fan_in)) {
                for ((dw_row, db_o), &g) in dw.chunks_exact_mut(fan_in).zip(db.iter_mut()).zip(dz_row) {
                    *db_o += g;
                    for (d, &a) in dw_row.iter_mut().zip(a_row) {
                        *d += g * a;
                    }
                }
            }
        }
        if l == lowest {
            break;
        }
        // da = dz · W, then through the activation of layer l - 1.
        let w = &params[w_off..b_off];
        da.clear();
        da.resize(dz.len() / fan_out * fan_in, 0.0);
        for (dz_row, da_row) in dz.chunks_exact(fan_out).zip(da.chunks_exact_mut(fan_in)) {
            for (&g, w_row) in dz_row.iter().zip(w.chunks_exact(fan_in)) {
                for (d, &w) in da_row.iter_mut().zip(w_row) {
                    *d += g * w;
                }
            }
        }
        for (d, &z) in da.iter_mut().zip(&scratch.z[l - 1]) {
            *d *= mlp.activation.derivative(z);
        }
        std::mem::swap(&mut dz, &mut da);
    }
    scratch.dz = dz;
    scratch.da = da;
    loss
}

/// Loss and correct predictions of `params` on a whole data set.
pub fn evaluate(mlp: &Mlp, params: &[f32], x: &[f32], target: Target) -> (f32, Option<usize>) {
    let mut scratch = Scratch::default();
    forward(mlp, params, x, &mut scratch);
    let outputs = &scratch.a[mlp.linear_count() - 1];
    let mut grad = vec![0.0; outputs.len()];
    (mlp.loss.forward_backward(outputs, mlp.outputs(), target, &mut grad), mlp.loss.correct(outputs, mlp.outputs(), target))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activation, Loss};

    /// Every parameter's gradient against a central difference in f64, for every activation and loss.
    #[test]
    fn gradients_match_finite_differences() {
        let x = [0.5f32, -1.0, 1.5, 0.25, -0.75, 2.0];
        let labels = [1u32, 0, 2];
        let values = [0.3f32, -0.2, 0.8, 0.1, -0.5, 0.4, 0.9, 0.0, -0.3];
        for activation in crate::model::Activation::ALL {
            for (loss, target) in [(Loss::CrossEntropy, Target::Classes(&labels)), (Loss::Mse, Target::Values(&values))] {
                let mlp = Mlp { layers: vec![2, 4, 3, 3], activation, loss };
                let params: Vec<f32> = (0..mlp.param_count()).map(|i| ((i * 37 % 23) as f32 / 23.0 - 0.5) * 1.2).collect();
                let mut grads = vec![0.0; params.len()];
                forward_backward(&mlp, &params, &x, target, &mut Scratch::default(), &mut grads, &[false; 3]);
                let loss_at = |p: &[f32]| forward_backward(&mlp, p, &x, target, &mut Scratch::default(), &mut vec![0.0; p.len()], &[false; 3]) as f64;
                for i in 0..params.len() {
                    let h = 1e-2;
                    let (mut up, mut down) = (params.clone(), params.clone());
                    up[i] += h;
                    down[i] -= h;
                    let numeric = (loss_at(&up) - loss_at(&down)) / (2.0 * h as f64);
                    let tol = 2e-3 * numeric.abs().max(1.0);
                    // ReLU's kink makes a central difference meaningless right at it; none sit there here.
                    assert!((numeric - grads[i] as f64).abs() < tol, "{} / {}: param {i}: {numeric} vs {}", activation.name(), loss.name(), grads[i]);
                }
            }
        }
    }

    #[test]
    fn frozen_layers_below_get_no_gradient_work() {
        let mlp = Mlp { layers: vec![2, 3, 2], activation: Activation::Tanh, loss: Loss::CrossEntropy };
        let params = vec![0.3; mlp.param_count()];
        let mut grads = vec![7.0; params.len()];
        forward_backward(&mlp, &params, &[1.0, 2.0], Target::Classes(&[1]), &mut Scratch::default(), &mut grads, &[true, false]);
        assert!(grads[..mlp.weight_offset(1)].iter().all(|&g| g == 7.0), "layer 0 untouched");
        assert!(grads[mlp.weight_offset(1)..].iter().all(|&g| g != 7.0));
    }
}
