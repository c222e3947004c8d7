//! Statistics over samples, as numpy computes them.

/// numpy's `quantile` with linear interpolation, of sorted values (at least one). A quantile
/// that falls on a value is that value, even next to an infinite one.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let fraction = pos - lo as f64;
    if fraction == 0.0 {
        sorted[lo]
    } else {
        sorted[lo] + (sorted[hi] - sorted[lo]) * fraction
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_linearly_as_numpy() {
        let values = [1.0, 2.0, 4.0, f64::INFINITY];
        assert_eq!(quantile(&values, 0.5), 3.0);
        assert_eq!(quantile(&values, 0.0), 1.0);
        assert_eq!(quantile(&values[..3], 1.0), 4.0);
        assert_eq!(quantile(&[1.0, 2.0, f64::INFINITY], 0.5), 2.0, "on a value, even beside an infinite one");
        assert_eq!(quantile(&[5.0], 0.25), 5.0);
    }
}
