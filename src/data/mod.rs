//! Data sets: TensorFlow Playground's synthetic 2-D sets (plus sklearn's moons), UCI's
//! handwritten digits, the train/validation split, the seeded per-epoch order that training
//! reads them in, and the seeded per-epoch augmentation of training rows.
//!
//! Everything random here comes from `crate::rng`, each use on its own stream of the seed, so a
//! seed gives the same bits on native and wasm.

mod augment;
mod digits;
mod split;
mod synthetic;

pub use augment::Augment;
pub use digits::{
    class_counts as digit_class_counts, digits, DigitsSpec, DIGIT_CLASSES, DIGIT_COUNT, DIGIT_PIXELS, DIGIT_SIDE,
};
pub use split::{epoch_order, split};
pub use synthetic::{synthetic, SyntheticKind, SyntheticSpec};

/// `v` clamped to `0..=1`, with NaN read as 0 (fractions and noise levels from user input).
fn unit_interval(v: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(0.0, 1.0)
    }
}

/// What a model is asked to predict for each row.
#[derive(Clone, Debug, PartialEq)]
pub enum Targets {
    /// One class index in `0..n_classes` a row.
    Classes { labels: Vec<u32>, n_classes: usize },
    /// `outputs` real values a row, row-major.
    Values { values: Vec<f32>, outputs: usize },
}

impl Targets {
    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            Targets::Classes { labels, .. } => labels.len(),
            Targets::Values { values, outputs } => values.len().checked_div(*outputs).unwrap_or(0),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The targets of the given rows, in that order.
    fn select(&self, rows: &[u32]) -> Targets {
        match self {
            Targets::Classes { labels, n_classes } => {
                Targets::Classes { labels: rows.iter().map(|&i| labels[i as usize]).collect(), n_classes: *n_classes }
            }
            Targets::Values { values, outputs } => Targets::Values {
                values: rows
                    .iter()
                    .flat_map(|&i| &values[i as usize * outputs..(i as usize + 1) * outputs])
                    .copied()
                    .collect(),
                outputs: *outputs,
            },
        }
    }
}

/// A table of examples: `features` inputs a row and a target for each row.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Inputs a row.
    pub features: usize,
    /// The inputs, row-major `[len, features]`.
    pub x: Vec<f32>,
    pub targets: Targets,
}

impl Dataset {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The inputs of row `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.x[i * self.features..(i + 1) * self.features]
    }

    /// The targets of the consecutive rows `rows`, as the losses take them.
    pub fn targets_of(&self, rows: std::ops::Range<usize>) -> crate::model::Target<'_> {
        match &self.targets {
            Targets::Classes { labels, .. } => crate::model::Target::Classes(&labels[rows]),
            Targets::Values { values, outputs } => {
                crate::model::Target::Values(&values[rows.start * outputs..rows.end * outputs])
            }
        }
    }

    /// A new data set of the given rows, in that order (rows may repeat).
    pub fn select(&self, rows: &[u32]) -> Dataset {
        Dataset {
            features: self.features,
            x: rows.iter().flat_map(|&i| self.row(i as usize)).copied().collect(),
            targets: self.targets.select(rows),
        }
    }
}

/// A data set cut in two: what the model trains on and what it is scored on.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub train: Dataset,
    pub validation: Dataset,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Dataset {
        Dataset {
            features: 2,
            x: vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
            targets: Targets::Values { values: vec![10.0, 11.0, 12.0], outputs: 1 },
        }
    }

    #[test]
    fn rows_and_selection() {
        let d = table();
        assert_eq!(d.len(), 3);
        assert!(!d.is_empty());
        assert_eq!(d.row(1), &[2.0, 3.0]);
        let picked = d.select(&[2, 0]);
        assert_eq!(picked.x, vec![4.0, 5.0, 0.0, 1.0]);
        assert_eq!(picked.targets, Targets::Values { values: vec![12.0, 10.0], outputs: 1 });
        assert!(d.select(&[]).is_empty());
    }
}
