//! The plane a training path lies closest to (Li et al. 2018, section 7): the top two principal
//! directions of the differences θ_i − θ_final between snapshots and the final parameters.
//!
//! As Li et al. (who call scikit-learn's `PCA`), the differences are centred before the
//! decomposition, and each snapshot's coordinates are the projections of its uncentred
//! difference, so θ_final sits at the origin. P is large and the snapshots few, so the
//! decomposition works on the small (n+1) × (n+1) Gram matrix of the centred differences, in
//! float64: block power iteration with Rayleigh–Ritz (Jacobi on the block) for its top two
//! eigenvectors u_k, and direction_k = Σ_i u_k[i] · (centred difference i), normalised.
//!
//! Signs are fixed so that θ_0's coordinates are ≤ 0: the path runs towards +x and +y.

use crate::limits::MAX_PCA_ITERATIONS;
use crate::rng::{normal, seeded, Rng};

/// Vectors in the power-iteration block (the top two converge at the rate λ_{BLOCK+1} / λ_2).
const BLOCK: usize = 8;
/// Converged when both Ritz pairs' residuals ‖G u − λ u‖ are below this share of λ_1.
const TOLERANCE: f64 = 1e-10;
/// A second variance below this share of the first is none: the path is a straight line.
const FLAT: f64 = 1e-12;

#[derive(Clone, Debug, PartialEq)]
pub struct PathPlane {
    /// Unit vectors, orthogonal, in `params` order.
    pub directions: [Vec<f32>; 2],
    /// Per snapshot, `(θ_i − θ_final) · direction_k`.
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    /// Each direction's share of the centred differences' total variance.
    pub explained: [f64; 2],
}

/// The plane of `snapshots` (θ_0..θ_n, the last θ_final; each of the same length). `None` when
/// every snapshot equals the last: there is no path.
pub fn path_plane(snapshots: &[&[f32]]) -> Option<PathPlane> {
    let m = snapshots.len();
    let last = *snapshots.last()?;
    let p = last.len();
    let diff = |i: usize, k: usize| snapshots[i][k] as f64 - last[k] as f64;
    let mean: Vec<f64> = (0..p).map(|k| (0..m).map(|i| diff(i, k)).sum::<f64>() / m as f64).collect();
    // Gram matrix of the centred differences.
    let mut gram = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..=i {
            let g: f64 = (0..p).map(|k| (diff(i, k) - mean[k]) * (diff(j, k) - mean[k])).sum();
            gram[i * m + j] = g;
            gram[j * m + i] = g;
        }
    }
    let total: f64 = (0..m).map(|i| gram[i * m + i]).sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let (values, vectors) = top_two(&gram, m);
    let direction = |u: &[f64]| -> Vec<f64> {
        let mut d: Vec<f64> = (0..p).map(|k| (0..m).map(|i| u[i] * (diff(i, k) - mean[k])).sum()).collect();
        normalize(&mut d);
        d
    };
    let first = direction(&vectors[0]);
    let second = if values[1] > FLAT * values[0] {
        direction(&vectors[1])
    } else {
        // Any unit vector orthogonal to the first spans the plane with it; every coordinate on it is 0.
        let mut rng = seeded(0);
        let mut d: Vec<f64> = (0..p).map(|_| normal(&mut rng)).collect();
        let along = dot(&d, &first);
        d.iter_mut().zip(&first).for_each(|(x, f)| *x -= along * f);
        normalize(&mut d);
        d
    };
    let coordinates = |d: &[f64]| -> Vec<f64> { (0..m).map(|i| (0..p).map(|k| diff(i, k) * d[k]).sum()).collect() };
    let (mut x, mut y) = (coordinates(&first), coordinates(&second));
    let mut directions = [first, second];
    for (d, c) in directions.iter_mut().zip([&mut x, &mut y]) {
        if c[0] > 0.0 {
            d.iter_mut().for_each(|v| *v = -*v);
            c.iter_mut().for_each(|v| *v = -*v);
        }
    }
    let [first, second] = directions.map(|d| d.into_iter().map(|v| v as f32).collect());
    let explained = [values[0] / total, values[1].max(0.0) / total];
    Some(PathPlane { directions: [first, second], x, y, explained })
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Scales `v` to unit norm; returns false (and leaves it) when it is zero.
fn normalize(v: &mut [f64]) -> bool {
    let n = dot(v, v).sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
    n > 0.0
}

/// The two largest eigenvalues of the symmetric positive semi-definite `m × m` matrix `a`, and
/// their unit eigenvectors.
fn top_two(a: &[f64], m: usize) -> ([f64; 2], [Vec<f64>; 2]) {
    let b = BLOCK.min(m);
    let mut rng = seeded(0);
    let mut block: Vec<Vec<f64>> = (0..b).map(|_| (0..m).map(|_| normal(&mut rng)).collect()).collect();
    orthonormalize(&mut block, &mut rng);
    let multiply = |v: &[f64]| -> Vec<f64> { (0..m).map(|i| dot(&a[i * m..(i + 1) * m], v)).collect() };
    let mut ritz = ([0.0; 2], [vec![0.0; m], vec![0.0; m]]);
    for _ in 0..MAX_PCA_ITERATIONS {
        let images: Vec<Vec<f64>> = block.iter().map(|v| multiply(v)).collect();
        // Rayleigh–Ritz: the block's projection of `a`, diagonalised.
        let projected: Vec<f64> = (0..b * b).map(|k| dot(&block[k / b], &images[k % b])).collect();
        let (values, vectors) = jacobi(projected, b);
        let combine = |basis: &[Vec<f64>], y: &[f64]| -> Vec<f64> {
            (0..m).map(|i| (0..b).map(|c| y[c] * basis[c][i]).sum()).collect()
        };
        let mut converged = true;
        for k in 0..2.min(b) {
            let (u, au) = (combine(&block, &vectors[k]), combine(&images, &vectors[k]));
            let residual: f64 = u.iter().zip(&au).map(|(u, au)| (au - values[k] * u).powi(2)).sum::<f64>().sqrt();
            converged &= residual <= TOLERANCE * values[0].abs();
            ritz.0[k] = values[k];
            ritz.1[k] = u;
        }
        if converged || b == m {
            break;
        }
        block = images;
        orthonormalize(&mut block, &mut rng);
    }
    ritz
}

/// Modified Gram–Schmidt, twice over for float64 accuracy; a vector that (nearly) vanishes, as
/// when the matrix's rank is below the block's, is replaced by a fresh random one.
fn orthonormalize(block: &mut [Vec<f64>], rng: &mut Rng) {
    for c in 0..block.len() {
        // A random vector has a part outside the c < m earlier unit vectors: one more try suffices.
        for _ in 0..16 {
            let before = dot(&block[c], &block[c]).sqrt();
            for _ in 0..2 {
                for prev in 0..c {
                    let along = dot(&block[c], &block[prev]);
                    let (done, rest) = block.split_at_mut(c);
                    rest[0].iter_mut().zip(&done[prev]).for_each(|(x, q)| *x -= along * q);
                }
            }
            let after = dot(&block[c], &block[c]).sqrt();
            if after > 1e-10 * before && normalize(&mut block[c]) {
                break;
            }
            block[c] = (0..block[c].len()).map(|_| normal(rng)).collect();
        }
    }
}

/// Eigenvalues (largest first) and unit eigenvectors of the symmetric `n × n` matrix `a`, by
/// cyclic Jacobi rotations.
fn jacobi(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut v: Vec<f64> = (0..n * n).map(|k| if k / n == k % n { 1.0 } else { 0.0 }).collect();
    for _sweep in 0..100 {
        let off: f64 = (0..n * n).filter(|k| k / n != k % n).map(|k| a[k] * a[k]).sum();
        let scale: f64 = (0..n).map(|i| a[i * n + i] * a[i * n + i]).sum();
        if off <= 1e-30 * scale || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let (c, s) = (1.0 / (t * t + 1.0).sqrt(), t / (t * t + 1.0).sqrt());
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[j * n + j].total_cmp(&a[i * n + i]));
    let values = order.iter().map(|&i| a[i * n + i]).collect();
    let vectors = order.iter().map(|&i| (0..n).map(|k| v[k * n + i]).collect()).collect();
    (values, vectors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(p: usize, seed: u64) -> Vec<f64> {
        let mut rng = seeded(seed);
        let mut v: Vec<f64> = (0..p).map(|_| normal(&mut rng)).collect();
        normalize(&mut v);
        v
    }

    /// `center + Σ_k coefficients[k][i] · axes[k]`, per snapshot i, as f32.
    fn path(center: &[f64], axes: &[&[f64]], coefficients: &[Vec<f64>]) -> Vec<Vec<f32>> {
        (0..coefficients[0].len())
            .map(|i| {
                (0..center.len())
                    .map(|k| (center[k] + axes.iter().zip(coefficients).map(|(a, c)| c[i] * a[k]).sum::<f64>()) as f32)
                    .collect()
            })
            .collect()
    }

    fn plane_of(snapshots: &[Vec<f32>]) -> PathPlane {
        let refs: Vec<&[f32]> = snapshots.iter().map(Vec::as_slice).collect();
        path_plane(&refs).unwrap()
    }

    fn cosine(a: &[f32], b: &[f64]) -> f64 {
        a.iter().zip(b).map(|(x, y)| *x as f64 * y).sum::<f64>()
    }

    #[test]
    fn jacobi_diagonalises_a_known_matrix() {
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1)/√2 and (1, −1)/√2.
        let (values, vectors) = jacobi(vec![2.0, 1.0, 1.0, 2.0], 2);
        assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12, "{values:?}");
        assert!((vectors[0][0].abs() - 0.5f64.sqrt()).abs() < 1e-12);
        assert!((vectors[0][0] - vectors[0][1]).abs() < 1e-12);
        assert!((vectors[1][0] + vectors[1][1]).abs() < 1e-12);
    }

    #[test]
    fn a_straight_path_lies_on_the_first_axis() {
        let (p, m) = (60, 12);
        let (center, axis) = (unit(p, 1), unit(p, 2));
        let t: Vec<f64> = (0..m).map(|i| 3.0 * (1.0 - i as f64 / (m - 1) as f64)).collect();
        let plane = plane_of(&path(&center, &[&axis], std::slice::from_ref(&t)));
        assert!((plane.explained[0] - 1.0).abs() < 1e-6, "{:?}", plane.explained);
        assert!(plane.explained[1] < 1e-6);
        for (i, t) in t.iter().enumerate() {
            assert!((plane.x[i] + t).abs() < 1e-5, "snapshot {i}: x = {} (want {})", plane.x[i], -t);
            assert!(plane.y[i].abs() < 1e-5, "snapshot {i}: y = {}", plane.y[i]);
        }
        assert!(cosine(&plane.directions[0], &axis).abs() > 1.0 - 1e-6);
        // The second direction is some unit vector orthogonal to the first.
        let d2: Vec<f64> = plane.directions[1].iter().map(|&v| v as f64).collect();
        assert!((dot(&d2, &d2) - 1.0).abs() < 1e-6);
        assert!(cosine(&plane.directions[0], &d2).abs() < 1e-6);
    }

    #[test]
    fn two_directions_are_recovered_with_their_shares_of_variance() {
        // An ellipse: variance 4.5 along u and 0.5 along w, uncorrelated; 40 snapshots, so the
        // block iteration (8 vectors) does the work rather than one Rayleigh–Ritz step.
        let (p, m) = (50, 40);
        let (center, u) = (unit(p, 1), unit(p, 2));
        let mut w = unit(p, 3);
        let along = dot(&w, &u);
        w.iter_mut().zip(&u).for_each(|(x, v)| *x -= along * v);
        normalize(&mut w);
        let angle = |i: usize| 2.0 * std::f64::consts::PI * i as f64 / m as f64;
        let a: Vec<f64> = (0..m).map(|i| 3.0 * angle(i).cos()).collect();
        let b: Vec<f64> = (0..m).map(|i| angle(i).sin()).collect();
        let plane = plane_of(&path(&center, &[&u, &w], &[a.clone(), b.clone()]));
        assert!((plane.explained[0] - 0.9).abs() < 1e-5, "{:?}", plane.explained);
        assert!((plane.explained[1] - 0.1).abs() < 1e-5, "{:?}", plane.explained);
        assert!(cosine(&plane.directions[0], &u).abs() > 1.0 - 1e-6);
        assert!(cosine(&plane.directions[1], &w).abs() > 1.0 - 1e-6);
        // Coordinates are the differences from the last snapshot on each axis, up to the sign rule.
        let (sx, sy) = (cosine(&plane.directions[0], &u).signum(), cosine(&plane.directions[1], &w).signum());
        for i in 0..m {
            assert!((plane.x[i] - sx * (a[i] - a[m - 1])).abs() < 1e-5, "x[{i}]");
            assert!((plane.y[i] - sy * (b[i] - b[m - 1])).abs() < 1e-5, "y[{i}]");
        }
        assert!(plane.x[0] <= 0.0 && plane.y[0] <= 0.0, "θ_0 at ({}, {})", plane.x[0], plane.y[0]);
    }

    #[test]
    fn noise_in_other_dimensions_leaves_the_main_plane() {
        let (p, m) = (80, 200);
        let (center, u, w) = (unit(p, 1), unit(p, 2), unit(p, 3));
        let mut rng = seeded(5);
        let a: Vec<f64> = (0..m).map(|i| 5.0 * (1.0 - i as f64 / m as f64)).collect();
        let b: Vec<f64> = (0..m).map(|i| (i as f64 / 15.0).sin()).collect();
        let noise: Vec<Vec<f64>> = (0..p).map(|_| (0..m).map(|_| 0.01 * normal(&mut rng)).collect()).collect();
        let basis: Vec<Vec<f64>> = (0..p).map(|k| (0..p).map(|j| (j == k) as u8 as f64).collect()).collect();
        let mut axes: Vec<&[f64]> = vec![&u, &w];
        axes.extend(basis.iter().map(Vec::as_slice));
        let clean = plane_of(&path(&center, &[&u, &w], &[a.clone(), b.clone()]));
        let mut coefficients = vec![a, b];
        coefficients.extend(noise);
        // 200 snapshots: the block iteration converges on its own, and the noise (variance
        // 80 × 1e-4 in all) barely moves the plane of the noiseless path.
        let noisy = plane_of(&path(&center, &axes, &coefficients));
        for k in 0..2 {
            assert!(
                (noisy.explained[k] - clean.explained[k]).abs() < 0.01,
                "{:?} vs {:?}",
                noisy.explained,
                clean.explained
            );
            let d: Vec<f64> = clean.directions[k].iter().map(|&v| v as f64).collect();
            assert!(cosine(&noisy.directions[k], &d) > 0.99, "direction {k}");
        }
        assert!(clean.explained[0] + clean.explained[1] > 1.0 - 1e-9, "{:?}", clean.explained);
    }

    #[test]
    fn no_path_when_every_snapshot_is_the_last() {
        let theta = vec![0.5f32; 10];
        assert_eq!(path_plane(&[&theta, &theta, &theta]), None);
        assert_eq!(path_plane(&[]), None);
    }
}
