//! TensorFlow Playground's synthetic data sets (its `dataset.ts`: same radii, paddings,
//! noise scaling and label rules) and sklearn's two moons, all with 2 inputs.
//!
//! Playground labels +1/-1 become classes 1/0; its regression labels become one output.

use std::f64::consts::PI;

use libm::{cos, sin};

use super::{split, unit_interval, Dataset, Split, Targets};
use crate::limits::{MAX_ARMS, MIN_ARMS};
use crate::rng::{normal, seeded_stream, uniform, Rng, POINTS_STREAM};
use crate::spec::{name_of, names, variants};

/// The synthetic data sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SyntheticKind {
    /// A disc of class 1 inside a ring of class 0.
    Circle,
    /// Class 1 where x and y have the same sign.
    Xor,
    /// Two gaussian blobs, class 1 around (2, 2) and class 0 around (-2, -2).
    Gauss,
    /// Interleaved spiral arms, one class each (two unless asked: `SyntheticSpec::arms`).
    Spiral,
    /// sklearn's two interleaving half circles.
    Moons,
    /// Regression: the plane (x + y) / 10.
    RegPlane,
    /// Regression: six signed bumps on a grid.
    RegGauss,
}

impl SyntheticKind {
    /// Every set with its name in specs and URLs: the one table of names.
    pub const NAMED: [(SyntheticKind, &'static str); 7] = [
        (SyntheticKind::Circle, "circle"),
        (SyntheticKind::Xor, "xor"),
        (SyntheticKind::Gauss, "gauss"),
        (SyntheticKind::Spiral, "spiral"),
        (SyntheticKind::Moons, "moons"),
        (SyntheticKind::RegPlane, "reg_plane"),
        (SyntheticKind::RegGauss, "reg_gauss"),
    ];
    pub const ALL: [SyntheticKind; 7] = variants(&Self::NAMED);
    /// The names alone, usable in consts (option tables list them as choices).
    pub const NAMES: [&'static str; 7] = names(&Self::NAMED);

    /// The set's name in specs and URLs: "circle", "xor", "gauss", "spiral", "moons",
    /// "reg_plane" or "reg_gauss".
    pub fn name(self) -> &'static str {
        name_of(&Self::NAMED, self)
    }

    /// Whether the targets are values (one output) rather than two classes.
    pub fn is_regression(self) -> bool {
        matches!(self, SyntheticKind::RegPlane | SyntheticKind::RegGauss)
    }
}

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntheticSpec {
    pub kind: SyntheticKind,
    /// Points in all, before the split.
    pub n: usize,
    /// `0..=1` on TF Playground's scale (its 0–50 % slider is 0–0.5); clamped, NaN counts as 0.
    pub noise: f64,
    /// The share of points held out for validation (see [`split`]).
    pub validation_fraction: f64,
    pub seed: u64,
    /// The spiral's arms, [`MIN_ARMS`]`..=`[`MAX_ARMS`] (clamped): arm k is class k. Other kinds have 2 classes
    /// whatever this says.
    pub arms: usize,
    /// Degrees the generated points are turned by about the origin (counter-clockwise); labels
    /// are kept, so a turned set is a related task with the same classes.
    pub rotation: f64,
}

impl SyntheticSpec {
    /// A two-arm, unturned set: the sets as TensorFlow Playground draws them.
    pub fn new(kind: SyntheticKind, n: usize, noise: f64, validation_fraction: f64, seed: u64) -> Self {
        Self { kind, n, noise, validation_fraction, seed, arms: MIN_ARMS, rotation: 0.0 }
    }

    /// The classes the set's labels take (0 for the regression sets).
    pub fn classes(&self) -> usize {
        match self.kind {
            SyntheticKind::Spiral => self.arms.clamp(MIN_ARMS, MAX_ARMS),
            kind if kind.is_regression() => 0,
            _ => 2,
        }
    }
}

/// Generates `spec.n` points of `spec.kind`, then splits them with [`split`].
/// The same spec gives the same bits on every platform.
pub fn synthetic(spec: &SyntheticSpec) -> Split {
    let rng = &mut seeded_stream(spec.seed, POINTS_STREAM);
    let (n, noise, turn) = (spec.n, unit_interval(spec.noise), spec.rotation);
    let data = match spec.kind {
        SyntheticKind::Circle => classes(rotated(circle(rng, n, noise), turn), 2),
        SyntheticKind::Xor => classes(rotated(xor(rng, n, noise), turn), 2),
        SyntheticKind::Gauss => classes(rotated(gauss(rng, n, noise), turn), 2),
        SyntheticKind::Spiral => classes(rotated(spiral(rng, n, noise, spec.classes()), turn), spec.classes()),
        SyntheticKind::Moons => classes(rotated(moons(rng, n, noise), turn), 2),
        SyntheticKind::RegPlane => values(rotated(reg_plane(rng, n, noise), turn)),
        SyntheticKind::RegGauss => values(rotated(reg_gauss(rng, n, noise), turn)),
    };
    split(data, spec.validation_fraction, spec.seed)
}

/// The points turned by `degrees` about the origin, labels kept. No turn leaves the bits as
/// they are (a turn by 0 would still make -0 into 0).
fn rotated<T>(mut points: Vec<(f64, f64, T)>, degrees: f64) -> Vec<(f64, f64, T)> {
    if degrees == 0.0 || !degrees.is_finite() {
        return points;
    }
    let (s, c) = (sin(degrees * PI / 180.0), cos(degrees * PI / 180.0));
    for (x, y, _) in &mut points {
        (*x, *y) = (c * *x - s * *y, s * *x + c * *y);
    }
    points
}

/// A point `(x, y)` and its class.
type Labeled = (f64, f64, u32);
/// A point `(x, y)` and its target value.
type Valued = (f64, f64, f64);

/// The `(x, y)` of each point, row-major, as the network reads them.
fn inputs<T>(points: &[(f64, f64, T)]) -> Vec<f32> {
    points.iter().flat_map(|&(x, y, _)| [x as f32, y as f32]).collect()
}

fn classes(points: Vec<Labeled>, n_classes: usize) -> Dataset {
    let labels = points.iter().map(|p| p.2).collect();
    Dataset { features: 2, x: inputs(&points), targets: Targets::Classes { labels, n_classes } }
}

fn values(points: Vec<Valued>) -> Dataset {
    let values = points.iter().map(|p| p.2 as f32).collect();
    Dataset { features: 2, x: inputs(&points), targets: Targets::Values { values, outputs: 1 } }
}

/// Class 1 for `x == true`.
fn class(x: bool) -> u32 {
    x as u32
}

/// `n` points split into (class 1, class 0) counts; class 1 gets the odd one.
fn halves(n: usize) -> (usize, usize) {
    (n - n / 2, n / 2)
}

/// Class 1 in the disc of radius 2.5, class 0 in the ring 3.5..5. Noise does not move the
/// points: it moves the spot where the label is read, so it flips labels near the boundary.
fn circle(rng: &mut Rng, n: usize, noise: f64) -> Vec<Labeled> {
    const RADIUS: f64 = 5.0;
    let (inside, _) = halves(n);
    (0..n)
        .map(|i| {
            let (r_min, r_max) = if i < inside { (0.0, RADIUS * 0.5) } else { (RADIUS * 0.7, RADIUS) };
            let r = uniform(rng, r_min, r_max);
            let angle = uniform(rng, 0.0, 2.0 * PI);
            let (x, y) = (r * sin(angle), r * cos(angle));
            let noise_x = uniform(rng, -RADIUS, RADIUS) * noise;
            let noise_y = uniform(rng, -RADIUS, RADIUS) * noise;
            let (lx, ly) = (x + noise_x, y + noise_y);
            (x, y, class((lx * lx + ly * ly).sqrt() < RADIUS * 0.5))
        })
        .collect()
}

/// Uniform in the square ±5, pushed 0.3 away from both axes so the quadrants are separated;
/// class 1 where x·y ≥ 0, read (like the circle) at a noise-shifted spot.
fn xor(rng: &mut Rng, n: usize, noise: f64) -> Vec<Labeled> {
    const PADDING: f64 = 0.3;
    let padded = |rng: &mut Rng| {
        let v = uniform(rng, -5.0, 5.0);
        if v > 0.0 {
            v + PADDING
        } else {
            v - PADDING
        }
    };
    (0..n)
        .map(|_| {
            let x = padded(rng);
            let y = padded(rng);
            let noise_x = uniform(rng, -5.0, 5.0) * noise;
            let noise_y = uniform(rng, -5.0, 5.0) * noise;
            (x, y, class((x + noise_x) * (y + noise_y) >= 0.0))
        })
        .collect()
}

/// Two gaussian blobs, class 1 at (2, 2) and class 0 at (-2, -2); noise widens them: the
/// variance goes linearly from 0.5 at noise 0 to 4 at noise 0.5.
fn gauss(rng: &mut Rng, n: usize, noise: f64) -> Vec<Labeled> {
    let std_dev = (0.5 + noise * (4.0 - 0.5) / 0.5).sqrt();
    let (positive, _) = halves(n);
    (0..n)
        .map(|i| {
            let (center, label) = if i < positive { (2.0, 1) } else { (-2.0, 0) };
            let x = center + std_dev * normal(rng);
            let y = center + std_dev * normal(rng);
            (x, y, label)
        })
        .collect()
}

/// `arms` arms of 1.75 turns out to radius 5, each the one before turned by 2π / arms: the
/// first drawn is the top class, down to class 0 (with two arms, TF Playground's spiral: the
/// class-0 arm is the class-1 arm turned by π). Earlier arms take the odd points; noise
/// jitters points by up to ±noise in each coordinate.
fn spiral(rng: &mut Rng, n: usize, noise: f64, arms: usize) -> Vec<Labeled> {
    let mut points = Vec::with_capacity(n);
    for arm in 0..arms {
        let count = n / arms + usize::from(arm < n % arms);
        let (delta_t, label) = (2.0 * PI * arm as f64 / arms as f64, (arms - 1 - arm) as u32);
        for i in 0..count {
            let along = i as f64 / count as f64;
            let r = along * 5.0;
            let t = 1.75 * along * 2.0 * PI + delta_t;
            let x = r * sin(t) + uniform(rng, -1.0, 1.0) * noise;
            let y = r * cos(t) + uniform(rng, -1.0, 1.0) * noise;
            points.push((x, y, label));
        }
    }
    points
}

/// sklearn's `make_moons`: class 0 on the upper unit half circle, class 1 on the lower unit
/// half circle centred at (1, 0.5), evenly spaced; gaussian noise of std `noise` on both inputs.
fn moons(rng: &mut Rng, n: usize, noise: f64) -> Vec<Labeled> {
    let (inner, outer) = halves(n);
    let mut points = Vec::with_capacity(n);
    for (count, label) in [(outer, 0), (inner, 1)] {
        for i in 0..count {
            // np.linspace(0, π, count)
            let t = if count > 1 { PI * i as f64 / (count - 1) as f64 } else { 0.0 };
            let (x, y) = if label == 0 { (cos(t), sin(t)) } else { (1.0 - cos(t), 0.5 - sin(t)) };
            let x = x + noise * normal(rng);
            let y = y + noise * normal(rng);
            points.push((x, y, label));
        }
    }
    points
}

/// Uniform points in the square ±6, each with the target read at a noise-shifted spot.
fn regression(rng: &mut Rng, n: usize, noise: f64, target: impl Fn(f64, f64) -> f64) -> Vec<Valued> {
    const RADIUS: f64 = 6.0;
    (0..n)
        .map(|_| {
            let x = uniform(rng, -RADIUS, RADIUS);
            let y = uniform(rng, -RADIUS, RADIUS);
            let noise_x = uniform(rng, -RADIUS, RADIUS) * noise;
            let noise_y = uniform(rng, -RADIUS, RADIUS) * noise;
            (x, y, target(x + noise_x, y + noise_y))
        })
        .collect()
}

/// The plane (x + y) / 10: x + y in ±10 maps to ±1.
fn reg_plane(rng: &mut Rng, n: usize, noise: f64) -> Vec<Valued> {
    regression(rng, n, noise, |x, y| (x + y) / 10.0)
}

/// Six cones of radius 2 on a 3×2 grid, alternating in sign; where they overlap the one
/// largest in magnitude wins.
fn reg_gauss(rng: &mut Rng, n: usize, noise: f64) -> Vec<Valued> {
    const BUMPS: [(f64, f64, f64); 6] =
        [(-4.0, 2.5, 1.0), (0.0, 2.5, -1.0), (4.0, 2.5, 1.0), (-4.0, -2.5, -1.0), (0.0, -2.5, 1.0), (4.0, -2.5, -1.0)];
    regression(rng, n, noise, |x, y| {
        let mut target: f64 = 0.0;
        for (cx, cy, sign) in BUMPS {
            let distance = ((x - cx) * (x - cx) + (y - cy) * (y - cy)).sqrt();
            let bump = sign * (1.0 - distance / 2.0).clamp(0.0, 1.0);
            if bump.abs() > target.abs() {
                target = bump;
            }
        }
        target
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_all() {
        assert_eq!(SyntheticKind::ALL.map(SyntheticKind::name), SyntheticKind::NAMES);
        assert!(SyntheticKind::NAMED.iter().all(|&(k, name)| k.name() == name));
    }

    fn spec(kind: SyntheticKind, n: usize, noise: f64, seed: u64) -> SyntheticSpec {
        SyntheticSpec::new(kind, n, noise, 0.25, seed)
    }

    /// All points of a spec, unsplit (validation 0 keeps every row in training).
    fn points(kind: SyntheticKind, n: usize, noise: f64) -> Dataset {
        synthetic(&SyntheticSpec { validation_fraction: 0.0, ..spec(kind, n, noise, 11) }).train
    }

    fn labels(d: &Dataset) -> &[u32] {
        match &d.targets {
            Targets::Classes { labels, .. } => labels,
            Targets::Values { .. } => panic!("expected classes"),
        }
    }

    fn target_values(d: &Dataset) -> &[f32] {
        match &d.targets {
            Targets::Values { values, .. } => values,
            Targets::Classes { .. } => panic!("expected values"),
        }
    }

    /// (x, y, class) of each row.
    fn labeled(d: &Dataset) -> Vec<(f64, f64, u32)> {
        labels(d).iter().enumerate().map(|(i, &c)| (d.row(i)[0] as f64, d.row(i)[1] as f64, c)).collect()
    }

    #[test]
    fn names_round_trip() {
        let named = |name: &str| SyntheticKind::NAMED.iter().find(|(_, n)| *n == name).map(|&(kind, _)| kind);
        for kind in SyntheticKind::ALL {
            assert_eq!(named(kind.name()), Some(kind));
        }
        assert_eq!(named("reg-plane"), None);
        let regression: Vec<_> = SyntheticKind::ALL.into_iter().filter(|k| k.is_regression()).collect();
        assert_eq!(regression, [SyntheticKind::RegPlane, SyntheticKind::RegGauss]);
    }

    #[test]
    fn shapes_and_split_sizes() {
        for kind in SyntheticKind::ALL {
            let s = synthetic(&spec(kind, 101, 0.2, 1));
            assert_eq!((s.train.len(), s.validation.len()), (76, 25), "{kind:?}");
            for part in [&s.train, &s.validation] {
                assert_eq!(part.features, 2);
                assert_eq!(part.x.len(), part.len() * 2);
                assert!(part.x.iter().all(|v| v.is_finite()));
                match &part.targets {
                    Targets::Classes { n_classes, labels } => {
                        assert!(!kind.is_regression());
                        assert_eq!(*n_classes, 2);
                        assert!(labels.iter().all(|&c| c < 2));
                    }
                    Targets::Values { outputs, values } => {
                        assert!(kind.is_regression());
                        assert_eq!(*outputs, 1);
                        assert!(values.iter().all(|v| v.abs() <= 1.6), "{kind:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn deterministic_per_seed() {
        for kind in SyntheticKind::ALL {
            let a = synthetic(&spec(kind, 60, 0.3, 5));
            assert_eq!(a, synthetic(&spec(kind, 60, 0.3, 5)), "{kind:?}");
            assert_ne!(a, synthetic(&spec(kind, 60, 0.3, 6)), "{kind:?}");
        }
    }

    #[test]
    fn classes_are_balanced() {
        use SyntheticKind::*;
        for kind in [Circle, Gauss, Spiral, Moons] {
            for n in [0, 1, 2, 51, 200] {
                // Noise flips circle labels near the boundary, so count on noise-free points.
                let d = points(kind, n, if kind == Circle { 0.0 } else { 0.3 });
                assert_eq!(d.len(), n);
                let ones = labels(&d).iter().filter(|&&c| c == 1).count();
                assert_eq!(ones, n - n / 2, "{kind:?} n={n}");
            }
        }
    }

    #[test]
    fn circle_labels_by_radius() {
        for (x, y, c) in labeled(&points(SyntheticKind::Circle, 400, 0.0)) {
            let r = (x * x + y * y).sqrt();
            if c == 1 {
                assert!(r < 2.5 + 1e-6, "r={r}");
            } else {
                assert!((3.5 - 1e-6..5.0 + 1e-6).contains(&r), "r={r}");
            }
        }
        // Noise flips some labels against the radius rule.
        let flipped = labeled(&points(SyntheticKind::Circle, 400, 0.5))
            .iter()
            .filter(|&&(x, y, c)| c != class(x * x + y * y < 6.25))
            .count();
        assert!(flipped > 0);
    }

    #[test]
    fn xor_labels_by_sign() {
        let points = labeled(&points(SyntheticKind::Xor, 400, 0.0));
        for &(x, y, c) in &points {
            assert_eq!(c, class(x * y >= 0.0));
            assert!(x.abs() >= 0.3 - 1e-6 && y.abs() >= 0.3 - 1e-6 && x.abs() <= 5.3 + 1e-6);
        }
        assert!(points.iter().any(|p| p.2 == 0) && points.iter().any(|p| p.2 == 1));
    }

    #[test]
    fn gauss_blobs_widen_with_noise() {
        for (noise, variance) in [(0.0, 0.5), (0.5, 4.0)] {
            let points = labeled(&points(SyntheticKind::Gauss, 4000, noise));
            for (label, center) in [(1, 2.0), (0, -2.0)] {
                let xs: Vec<f64> = points.iter().filter(|p| p.2 == label).map(|p| p.0).collect();
                let mean = xs.iter().sum::<f64>() / xs.len() as f64;
                let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / xs.len() as f64;
                assert!((mean - center).abs() < 0.15, "mean {mean}");
                assert!((var / variance - 1.0).abs() < 0.1, "variance {var}, want {variance}");
            }
        }
    }

    #[test]
    fn spiral_has_two_arms() {
        for (x, y, c) in labeled(&points(SyntheticKind::Spiral, 300, 0.0)) {
            // On arm c, the angle follows the radius: t = 1.75 turns × r/5, plus π for class 0.
            let r = (x * x + y * y).sqrt();
            let t = 1.75 * 2.0 * PI * r / 5.0 + if c == 1 { 0.0 } else { PI };
            assert!((x - r * t.sin()).abs() < 1e-4 && (y - r * t.cos()).abs() < 1e-4, "({x}, {y}) class {c}");
        }
    }

    #[test]
    fn spiral_arms_are_classes_turned_evenly() {
        for arms in [3, 8] {
            let spec = SyntheticSpec { arms, ..SyntheticSpec::new(SyntheticKind::Spiral, 403, 0.0, 0.0, 11) };
            let d = synthetic(&spec).train;
            assert_eq!(d.targets, Targets::Classes { labels: labels(&d).to_vec(), n_classes: arms });
            for c in 0..arms as u32 {
                let count = labels(&d).iter().filter(|&&l| l == c).count();
                // The top class is drawn first and takes an odd point first.
                let arm = arms - 1 - c as usize;
                assert_eq!(count, 403 / arms + usize::from(arm < 403 % arms), "arms {arms} class {c}");
            }
            for (x, y, c) in labeled(&d) {
                let r = (x * x + y * y).sqrt();
                let t = 1.75 * 2.0 * PI * r / 5.0 + 2.0 * PI * (arms - 1 - c as usize) as f64 / arms as f64;
                assert!((x - r * t.sin()).abs() < 1e-4 && (y - r * t.cos()).abs() < 1e-4, "({x}, {y}) class {c}");
            }
        }
        // Out-of-range arms are clamped (options refuse them by name first).
        assert_eq!(SyntheticSpec { arms: 40, ..spec(SyntheticKind::Spiral, 10, 0.0, 1) }.classes(), MAX_ARMS);
        assert_eq!(SyntheticSpec { arms: 5, ..spec(SyntheticKind::Moons, 10, 0.0, 1) }.classes(), 2);
    }

    #[test]
    fn rotation_turns_points_and_keeps_labels() {
        for kind in SyntheticKind::ALL {
            let plain = synthetic(&spec(kind, 120, 0.2, 3));
            let turned = synthetic(&SyntheticSpec { rotation: 90.0, ..spec(kind, 120, 0.2, 3) });
            assert_eq!(plain.train.targets, turned.train.targets, "{kind:?}");
            for i in 0..plain.train.len() {
                let ([x, y], [u, v]) = ([0, 1].map(|k| plain.train.row(i)[k]), [0, 1].map(|k| turned.train.row(i)[k]));
                // A quarter turn counter-clockwise: (x, y) -> (-y, x).
                assert!((u + y).abs() < 1e-5 && (v - x).abs() < 1e-5, "{kind:?} row {i}");
            }
        }
        let full = SyntheticSpec { rotation: 360.0, ..spec(SyntheticKind::Moons, 50, 0.1, 2) };
        let (a, b) = (synthetic(&full).train, synthetic(&spec(SyntheticKind::Moons, 50, 0.1, 2)).train);
        assert!(a.x.iter().zip(&b.x).all(|(p, q)| (p - q).abs() < 1e-5));
    }

    #[test]
    fn moons_lie_on_half_circles() {
        for (x, y, c) in labeled(&points(SyntheticKind::Moons, 101, 0.0)) {
            let (cx, cy) = if c == 0 { (0.0, 0.0) } else { (1.0, 0.5) };
            assert!(((x - cx).powi(2) + (y - cy).powi(2) - 1.0).abs() < 1e-6, "({x}, {y}) class {c}");
            assert!(if c == 0 { y >= 0.0 } else { y <= 0.5 }, "({x}, {y}) class {c}");
        }
    }

    #[test]
    fn reg_plane_is_the_plane() {
        let d = points(SyntheticKind::RegPlane, 300, 0.0);
        for (i, &v) in target_values(&d).iter().enumerate() {
            let [x, y] = [d.row(i)[0] as f64, d.row(i)[1] as f64];
            assert!(x.abs() <= 6.0 && y.abs() <= 6.0);
            assert!((v as f64 - (x + y) / 10.0).abs() < 1e-6);
        }
    }

    #[test]
    fn reg_gauss_bumps() {
        let d = points(SyntheticKind::RegGauss, 2000, 0.0);
        for (i, &v) in target_values(&d).iter().enumerate() {
            let [x, y] = [d.row(i)[0] as f64, d.row(i)[1] as f64];
            assert!(v.abs() <= 1.0);
            // Near a bump's centre the value is close to its sign; far from all of them, 0.
            if (x - 4.0).hypot(y - 2.5) < 0.2 {
                assert!(v > 0.85);
            }
            if (x - 0.0).hypot(y - 2.5) < 0.2 {
                assert!(v < -0.85);
            }
            if (x.abs() - 2.0).abs() < 0.05 && y.abs() < 0.05 {
                assert_eq!(v, 0.0);
            }
        }
    }
}
