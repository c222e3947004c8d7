//! A seed band: K runs' smoothed curves summarised at each recorded index.

use serde::Serialize;

use super::suggest::Method;
use super::RunCurve;
use crate::stats::quantile;

/// Per index, over the runs that recorded a (non-NaN) smoothed value there.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub median: Vec<f64>,
    pub min: Vec<f64>,
    pub max: Vec<f64>,
    /// The interquartile range (numpy's linear quantiles).
    pub q25: Vec<f64>,
    pub q75: Vec<f64>,
    /// How many runs have a value at each index.
    pub count: Vec<usize>,
    /// Per method (in `Method::ALL` order), how the runs' own suggestions spread.
    pub spread: Vec<(Method, Spread)>,
}

/// The runs' suggested rates for one method.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spread {
    /// Runs that got a suggestion.
    pub count: usize,
    pub min: Option<f64>,
    pub median: Option<f64>,
    pub max: Option<f64>,
    /// log10(max / min): decades between the extreme suggestions.
    pub decades: Option<f64>,
}

impl Band {
    pub fn over(lrs: &[f64], runs: &[RunCurve]) -> Self {
        let n = lrs.len();
        let mut band = Band {
            median: Vec::with_capacity(n),
            min: Vec::with_capacity(n),
            max: Vec::with_capacity(n),
            q25: Vec::with_capacity(n),
            q75: Vec::with_capacity(n),
            count: Vec::with_capacity(n),
            spread: Vec::new(),
        };
        let mut values = Vec::with_capacity(runs.len());
        for i in 0..n {
            values.clear();
            values.extend(runs.iter().filter_map(|r| r.smoothed.get(i).copied()).filter(|v| !v.is_nan()));
            values.sort_by(f64::total_cmp);
            band.count.push(values.len());
            if values.is_empty() {
                for column in [&mut band.median, &mut band.min, &mut band.max, &mut band.q25, &mut band.q75] {
                    column.push(f64::NAN);
                }
                continue;
            }
            band.median.push(quantile(&values, 0.5));
            band.min.push(values[0]);
            band.max.push(values[values.len() - 1]);
            band.q25.push(quantile(&values, 0.25));
            band.q75.push(quantile(&values, 0.75));
        }
        band.spread = Method::ALL
            .iter()
            .map(|&m| (m, Spread::of(runs.iter().filter_map(|r| r.suggestions.get(m).pick().map(|p| p.lr)))))
            .collect();
        band
    }
}

impl Spread {
    fn of(lrs: impl Iterator<Item = f64>) -> Self {
        let mut lrs: Vec<f64> = lrs.collect();
        lrs.sort_by(f64::total_cmp);
        let (min, max) = (lrs.first().copied(), lrs.last().copied());
        Spread {
            count: lrs.len(),
            min,
            median: (!lrs.is_empty()).then(|| quantile(&lrs, 0.5)),
            max,
            decades: min.zip(max).map(|(a, b)| (b / a).log10()),
        }
    }
}
