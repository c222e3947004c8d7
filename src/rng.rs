//! The crate's random numbers: one seeded, portable generator (ChaCha8, no OS entropy), its
//! streams, and the uniform and normal draws built on it.
//!
//! Each use reads its own stream of a seed, so points, the split, each epoch's shuffle and each
//! epoch's augmentation draw independent numbers even when they share a seed. The floating-point
//! maths uses `libm`, so a seed gives the same bits on native and wasm.

use std::f64::consts::PI;

use libm::{cos, log, sin, sqrt};
use rand::{RngExt, SeedableRng};

/// The crate's random number generator: seeded, portable, and free of OS entropy.
pub type Rng = rand_chacha::ChaCha8Rng;

/// Stream numbers, one per use. Stream 0 is left to the caller of [`seeded`] (weight init).
/// A synthetic set's points.
pub const POINTS_STREAM: u64 = 1;
/// The train/validation split.
pub const SPLIT_STREAM: u64 = 2;
/// Gradient noise of an analytic surface's trajectory.
pub const GRADIENT_NOISE_STREAM: u64 = 3;
/// Random directions through parameter space (loss landscapes).
pub const DIRECTIONS_STREAM: u64 = 4;
/// Epoch `e`'s shuffle reads stream `EPOCH_STREAMS + e`.
pub const EPOCH_STREAMS: u64 = 1 << 32;
/// Epoch `e`'s augmentation reads stream `AUGMENT_STREAMS + e`.
pub const AUGMENT_STREAMS: u64 = 1 << 33;

/// A generator for `seed`, on its stream 0.
pub fn seeded(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

/// A generator for `seed` reading its stream `stream` (one of the `*_STREAM`s).
pub fn seeded_stream(seed: u64, stream: u64) -> Rng {
    let mut rng = seeded(seed);
    rng.set_stream(stream);
    rng
}

/// Uniform in `[a, b)`, as TensorFlow Playground's `randUniform`.
pub fn uniform(rng: &mut Rng, a: f64, b: f64) -> f64 {
    a + (b - a) * rng.random::<f64>()
}

/// A standard normal sample (Marsaglia's polar method, as the Playground's `normalRandom`).
pub fn normal(rng: &mut Rng) -> f64 {
    loop {
        let v1 = uniform(rng, -1.0, 1.0);
        let v2 = uniform(rng, -1.0, 1.0);
        let s = v1 * v1 + v2 * v2;
        if s > 0.0 && s < 1.0 {
            return (-2.0 * log(s) / s).sqrt() * v1;
        }
    }
}

/// Two independent standard normals from two uniforms (Box–Muller: a fixed number of draws,
/// unlike the polar method, so a caller can slice a stream into equal parts).
pub fn normal_pair(rng: &mut Rng) -> (f64, f64) {
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    let r = sqrt(-2.0 * log(u1));
    (r * cos(2.0 * PI * u2), r * sin(2.0 * PI * u2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_independent() {
        use rand::Rng as _;
        let a = seeded(7).next_u64();
        assert_eq!(a, seeded(7).next_u64());
        assert_ne!(a, seeded_stream(7, POINTS_STREAM).next_u64());
        assert_ne!(a, seeded(8).next_u64());
    }
}
