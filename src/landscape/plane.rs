//! A 2-D slice through parameter space: the grid of points θ + x·d1 + y·d2 that a landscape or
//! a projected training path evaluates, laid out as the loss it comes back as.

/// `n` evenly spaced values from `lo` to `hi`, both included; the middle of an odd `n` over a
/// symmetric range is exactly 0, so the centre point is exactly θ.
pub fn linspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let last = n.saturating_sub(1).max(1) as f64;
    (0..n).map(|i| lo + (hi - lo) * (i as f64 / last)).collect()
}

/// Every point `center + xs[i]·d[0] + ys[j]·d[1]`, flat and row-major `[j][i]` (x fastest):
/// `xs.len() × ys.len()` parameter vectors, ready for `Session::evaluate_params`.
pub fn points(center: &[f32], d: [&[f32]; 2], xs: &[f64], ys: &[f64]) -> Vec<f32> {
    let mut out = Vec::with_capacity(xs.len() * ys.len() * center.len());
    for &y in ys {
        for &x in xs {
            let (x, y) = (x as f32, y as f32);
            out.extend(center.iter().zip(d[0]).zip(d[1]).map(|((c, a), b)| c + x * a + y * b));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linspace_includes_both_ends_and_an_exact_zero() {
        assert_eq!(linspace(-1.0, 1.0, 5), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(linspace(-0.3, 0.3, 51)[25], 0.0);
        assert_eq!(linspace(2.0, 4.0, 3), vec![2.0, 3.0, 4.0]);
    }

    #[test]
    fn points_run_along_the_first_direction_fastest() {
        let center = [1.0, 2.0];
        let (d1, d2) = ([1.0, 0.0], [0.0, 10.0]);
        let p = points(&center, [&d1, &d2], &[-1.0, 0.0, 1.0], &[0.0, 1.0]);
        assert_eq!(p, vec![0.0, 2.0, 1.0, 2.0, 2.0, 2.0, 0.0, 12.0, 1.0, 12.0, 2.0, 12.0]);
    }
}
