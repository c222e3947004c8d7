//! The network: an MLP `layers = [in, h1, ..., out]`, its parameter layout and initialisation.

mod activation;
mod elementary;
mod loss;
pub mod weights;

pub use activation::Activation;
pub use loss::{Loss, LossScratch, Target};

use rand::RngExt;

use crate::rng::Rng;

/// Values of `N` lanes side by side (one lane = one run trained in a pack) as one flat slice,
/// for elementwise loops over every row and lane at once.
pub fn flat<const N: usize>(lanes: &[[f32; N]]) -> &[f32] {
    bytemuck::cast_slice(lanes)
}

pub fn flat_mut<const N: usize>(lanes: &mut [[f32; N]]) -> &mut [f32] {
    bytemuck::cast_slice_mut(lanes)
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    /// Widths, inputs first: `[2, 16, 16, 2]` is three Linear layers.
    pub layers: Vec<usize>,
    /// Applied after every Linear but the last.
    pub activation: Activation,
    pub loss: Loss,
}

impl Mlp {
    pub fn linear_count(&self) -> usize {
        self.layers.len() - 1
    }

    pub fn inputs(&self) -> usize {
        self.layers[0]
    }

    pub fn outputs(&self) -> usize {
        self.layers[self.layers.len() - 1]
    }

    /// (fan_in, fan_out) of Linear `l`.
    pub fn shape(&self, l: usize) -> (usize, usize) {
        (self.layers[l], self.layers[l + 1])
    }

    /// Where Linear `l`'s weight [out, in] (row-major) starts; its bias [out] follows it.
    /// This is `nn.Sequential(...).parameters()` order, so flat vectors move to and from PyTorch.
    pub fn weight_offset(&self, l: usize) -> usize {
        (0..l).map(|i| self.layer_params(i)).sum()
    }

    pub fn bias_offset(&self, l: usize) -> usize {
        let (fan_in, fan_out) = self.shape(l);
        self.weight_offset(l) + fan_in * fan_out
    }

    pub fn layer_params(&self, l: usize) -> usize {
        let (fan_in, fan_out) = self.shape(l);
        (fan_in + 1) * fan_out
    }

    pub fn param_count(&self) -> usize {
        (0..self.linear_count()).map(|l| self.layer_params(l)).sum()
    }

    /// PyTorch's `nn.Linear` default: weights and biases from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    pub fn init(&self, rng: &mut Rng) -> Vec<f32> {
        let mut params = Vec::with_capacity(self.param_count());
        for l in 0..self.linear_count() {
            let bound = 1.0 / (self.shape(l).0 as f32).sqrt();
            params.extend((0..self.layer_params(l)).map(|_| rng.random_range(-bound..bound)));
        }
        params
    }
}
