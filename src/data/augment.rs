//! Data augmentation: each training row, every epoch, is turned about the origin by a random
//! angle, mirrored in x at random and jittered with gaussian noise (the same kind of seeded
//! per-epoch random transform torchvision's `RandomRotation`, `RandomHorizontalFlip` and an
//! additive noise transform make of an image). A row that is an image (the digits) is
//! transformed as one: turned about its centre, mirrored left to right and shifted by a gaussian
//! offset (as `RandomAffine` would), sampled bilinearly with black outside.
//!
//! The transform of a row depends only on the seed, the row's index in the training set and the
//! epoch: it reads its own fixed slice of one ChaCha stream per epoch, so any row of any epoch
//! is drawn directly, in any order, with the same bits on every platform and backend.

use std::f64::consts::PI;

use libm::{cos, sin};
use rand::RngExt;

use crate::rng::{normal_pair, seeded_stream, Rng, AUGMENT_STREAMS};

/// A random transform of each training row, drawn afresh every epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Augment {
    /// The angle is uniform in ±`rotate` degrees; it turns the first two inputs.
    pub rotate: f64,
    /// The standard deviation of the gaussian noise added to every input.
    pub jitter: f64,
    /// Mirror the first input (x → -x) with probability 1/2.
    pub flip: bool,
    pub seed: u64,
    /// `Some(side)` when each row is a `side × side` image, row by row: then `jitter` is the
    /// standard deviation of the shift, in image widths.
    pub image: Option<usize>,
}

impl Augment {
    /// Whether the transform changes nothing whatever it draws.
    pub fn is_identity(&self) -> bool {
        self.rotate == 0.0 && self.jitter == 0.0 && !self.flip
    }

    /// Writes row `index`'s inputs `row` as epoch `epoch` sees them into `out` (same length).
    /// Rotation and flip need at least two inputs and one (options refuse less).
    pub fn transform(&self, row: &[f32], index: u32, epoch: u64, out: &mut [f32]) {
        let mut rng = self.draws(row.len(), index, epoch);
        // Every draw is made whether or not its part is on, so turning one part on or off does
        // not change what the others draw.
        let angle = (2.0 * rng.random::<f64>() - 1.0) * self.rotate * PI / 180.0;
        let mirror = self.flip && rng.random::<f64>() < 0.5;
        if let Some(side) = self.image.filter(|&side| side * side == row.len()) {
            let (z0, z1) = normal_pair(&mut rng);
            let shift = (self.jitter * side as f64 * z0, self.jitter * side as f64 * z1);
            return transform_image(row, side, angle, mirror, shift, out);
        }
        let mut values: Vec<f64> = row.iter().map(|&v| v as f64).collect();
        if let [x, y, ..] = values[..] {
            if self.rotate != 0.0 {
                let (s, c) = (sin(angle), cos(angle));
                (values[0], values[1]) = (c * x - s * y, s * x + c * y);
            }
        }
        if let (true, Some(x)) = (mirror, values.first_mut()) {
            *x = -*x;
        }
        for pair in values.chunks_mut(2) {
            let (z0, z1) = normal_pair(&mut rng);
            for (v, z) in pair.iter_mut().zip([z0, z1]) {
                *v += self.jitter * z;
            }
        }
        for (o, v) in out.iter_mut().zip(values) {
            *o = v as f32;
        }
    }

    /// The generator positioned at row `index`'s slice of epoch `epoch`'s stream: two draws
    /// (angle, flip) and two per pair of inputs, each draw two 32-bit words.
    fn draws(&self, features: usize, index: u32, epoch: u64) -> Rng {
        let words_per_row = 2 * (2 + 2 * features.div_ceil(2)) as u128;
        let mut rng = seeded_stream(self.seed, AUGMENT_STREAMS.wrapping_add(epoch));
        rng.set_word_pos(index as u128 * words_per_row);
        rng
    }
}

/// Writes `image` (`side × side`, row by row) turned by `angle` radians about its centre,
/// mirrored left to right if `mirror`, then moved by `shift` (x right, y down, in pixels) into
/// `out`: each output pixel samples the source bilinearly where the transform came from.
fn transform_image(image: &[f32], side: usize, angle: f64, mirror: bool, shift: (f64, f64), out: &mut [f32]) {
    let centre = (side as f64 - 1.0) / 2.0;
    let (s, c) = (sin(angle), cos(angle));
    let pixel = |x: i64, y: i64| -> f64 {
        let inside = (0..side as i64).contains(&x) && (0..side as i64).contains(&y);
        if inside {
            image[y as usize * side + x as usize] as f64
        } else {
            0.0
        }
    };
    for (i, o) in out.iter_mut().enumerate() {
        let (x, y) = ((i % side) as f64 - centre - shift.0, (i / side) as f64 - centre - shift.1);
        // Undo the turn, then the mirror, to find where this pixel came from.
        let (u, v) = (c * x + s * y, -s * x + c * y);
        let (u, v) = (if mirror { -u } else { u } + centre, v + centre);
        let (u0, v0) = (u.floor(), v.floor());
        let (fu, fv) = (u - u0, v - v0);
        let (u0, v0) = (u0 as i64, v0 as i64);
        let top = pixel(u0, v0) * (1.0 - fu) + pixel(u0 + 1, v0) * fu;
        let bottom = pixel(u0, v0 + 1) * (1.0 - fu) + pixel(u0 + 1, v0 + 1) * fu;
        *o = (top * (1.0 - fv) + bottom * fv) as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: [f32; 2] = [1.5, -0.5];

    fn apply(augment: &Augment, index: u32, epoch: u64) -> [f32; 2] {
        let mut out = [0.0; 2];
        augment.transform(&ROW, index, epoch, &mut out);
        out
    }

    fn only(rotate: f64, jitter: f64, flip: bool) -> Augment {
        Augment { rotate, jitter, flip, seed: 3, image: None }
    }

    /// A 4×4 image with one lit pixel at (x 1, y 0).
    fn dot() -> [f32; 16] {
        let mut image = [0.0; 16];
        image[1] = 1.0;
        image
    }

    fn on_image(augment: Augment, index: u32) -> [f32; 16] {
        let mut out = [0.0; 16];
        Augment { image: Some(4), ..augment }.transform(&dot(), index, 0, &mut out);
        out
    }

    #[test]
    fn images_turn_flip_and_shift_as_pictures() {
        assert_eq!(on_image(only(0.0, 0.0, false), 0), dot(), "nothing drawn, nothing moves");
        // A flip moves the dot from column 1 to column 2 of its row.
        let flips: Vec<[f32; 16]> = (0..40).map(|i| on_image(only(0.0, 0.0, true), i)).collect();
        let mut mirrored = [0.0; 16];
        mirrored[2] = 1.0;
        assert!(flips.iter().all(|f| *f == dot() || *f == mirrored));
        assert!(flips.contains(&mirrored) && flips.contains(&dot()));
        // A quarter turn (x right, y down) takes the dot from (1, 0) to (3, 1); a shift of one
        // pixel right takes it to (2, 0).
        let lit_at = |image: [f32; 16]| -> Vec<usize> { (0..16).filter(|&i| image[i] > 1e-6).collect() };
        let mut out = [0.0; 16];
        transform_image(&dot(), 4, PI / 2.0, false, (0.0, 0.0), &mut out);
        assert_eq!((lit_at(out), out[7]), (vec![7], 1.0));
        transform_image(&dot(), 4, 0.0, false, (1.0, 0.0), &mut out);
        assert_eq!((lit_at(out), out[2]), (vec![2], 1.0));
        assert!((0..20).all(|i| on_image(only(90.0, 0.0, false), i) != dot()), "random turns move the dot");
        // Jitter shifts, it adds no noise: ink is conserved while the dot stays inside.
        let shifted: Vec<[f32; 16]> = (0..200).map(|i| on_image(only(0.0, 0.05, false), i)).collect();
        assert!(shifted.iter().any(|s| *s != dot()));
        assert!(shifted.iter().all(|s| s.iter().all(|&v| (0.0..=1.0).contains(&v))));
    }

    #[test]
    fn identity_leaves_rows_alone() {
        let none = only(0.0, 0.0, false);
        assert!(none.is_identity());
        assert_eq!(apply(&none, 4, 9), ROW);
    }

    #[test]
    fn same_seed_row_and_epoch_same_transform() {
        let a = only(30.0, 0.1, true);
        assert_eq!(apply(&a, 7, 2), apply(&a, 7, 2));
        assert_ne!(apply(&a, 7, 2), apply(&a, 7, 3), "another epoch draws again");
        assert_ne!(apply(&a, 7, 2), apply(&a, 8, 2), "another row draws its own");
        assert_ne!(apply(&a, 7, 2), apply(&Augment { seed: 4, ..a }, 7, 2));
    }

    #[test]
    fn rotation_keeps_the_radius_within_its_angle() {
        let a = only(20.0, 0.0, false);
        let radius = |p: [f32; 2]| (p[0] as f64).hypot(p[1] as f64);
        let angle = |p: [f32; 2]| (p[1] as f64).atan2(p[0] as f64);
        let mut turns = Vec::new();
        for index in 0..200 {
            let p = apply(&a, index, 0);
            assert!((radius(p) - radius(ROW)).abs() < 1e-5);
            let turn = (angle(p) - angle(ROW)).to_degrees();
            assert!(turn.abs() <= 20.0 + 1e-4, "{turn}");
            turns.push(turn);
        }
        assert!(turns.iter().any(|&t| t > 15.0) && turns.iter().any(|&t| t < -15.0), "uses the range");
    }

    #[test]
    fn flip_mirrors_x_about_half_the_time() {
        let a = only(0.0, 0.0, true);
        let flipped = (0..400).filter(|&i| apply(&a, i, 1) == [-ROW[0], ROW[1]]).count();
        assert!((150..250).contains(&flipped), "{flipped}");
        assert!((0..400).all(|i| apply(&a, i, 1)[1] == ROW[1]));
    }

    #[test]
    fn jitter_has_the_asked_spread() {
        let a = only(0.0, 0.2, false);
        let noise: Vec<f64> = (0..4000).map(|i| (apply(&a, i, 5)[0] - ROW[0]) as f64).collect();
        let mean = noise.iter().sum::<f64>() / noise.len() as f64;
        let sd = (noise.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / noise.len() as f64).sqrt();
        assert!(mean.abs() < 0.02 && (sd / 0.2 - 1.0).abs() < 0.05, "mean {mean} sd {sd}");
    }

    #[test]
    fn parts_draw_independently() {
        // Turning jitter on leaves the rotation and flip each row gets as they were.
        let (plain, jittered) = (only(45.0, 0.0, true), only(45.0, 1e-6, true));
        for i in 0..50 {
            let (p, q) = (apply(&plain, i, 0), apply(&jittered, i, 0));
            assert!((p[0] - q[0]).abs() < 1e-4 && (p[1] - q[1]).abs() < 1e-4);
        }
    }
}
