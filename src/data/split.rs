//! Seeded shuffles: the train/validation split and the order of each training epoch.

use rand::RngExt;

use super::{unit_interval, Dataset, Split};
use crate::rng::{seeded_stream, Rng, EPOCH_STREAMS, SPLIT_STREAM};

/// Picks `round(len * validation_fraction)` random rows (seeded) for validation and leaves the
/// rest to training, both in their original order; training keeps at least one row when there is one.
/// `validation_fraction` is clamped to `0..=1` (NaN counts as 0).
pub fn split(data: Dataset, validation_fraction: f64, seed: u64) -> Split {
    let n = data.len();
    let fraction = unit_interval(validation_fraction);
    let n_validation = ((n as f64 * fraction).round() as usize).min(n.saturating_sub(1));
    let order = permutation(n, &mut seeded_stream(seed, SPLIT_STREAM));
    let (validation, train) = order.split_at(n_validation);
    // Rows keep their original order on each side: training "in order" (shuffle: false) then
    // means the caller's order, as a DataLoader without shuffling would read it.
    let sorted = |rows: &[u32]| {
        let mut rows = rows.to_vec();
        rows.sort_unstable();
        rows
    };
    Split { train: data.select(&sorted(train)), validation: data.select(&sorted(validation)) }
}

/// The order of rows `0..n` for training epoch `epoch`: a fresh shuffle each epoch that
/// depends on `(seed, epoch)` alone, so a run can resume at any epoch.
pub fn epoch_order(n: usize, epoch: u64, seed: u64) -> Vec<u32> {
    permutation(n, &mut seeded_stream(seed, EPOCH_STREAMS.wrapping_add(epoch)))
}

/// A uniform random permutation of `0..n` (Fisher-Yates). Indices are drawn as u32, so the
/// result does not depend on the platform's pointer width.
fn permutation(n: usize, rng: &mut Rng) -> Vec<u32> {
    let n = u32::try_from(n).expect("at most u32::MAX rows");
    let mut order: Vec<u32> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i as usize, j as usize);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Targets;

    /// Row `i` has inputs `[i, -i]` and class `i % 3`, so rows can be traced after a shuffle.
    fn numbered(n: usize) -> Dataset {
        Dataset {
            features: 2,
            x: (0..n).flat_map(|i| [i as f32, -(i as f32)]).collect(),
            targets: Targets::Classes { labels: (0..n as u32).map(|i| i % 3).collect(), n_classes: 3 },
        }
    }

    fn sorted(mut v: Vec<u32>) -> Vec<u32> {
        v.sort_unstable();
        v
    }

    #[test]
    fn split_sizes() {
        for (n, fraction, validation) in [
            (100, 0.2, 20),
            (10, 0.25, 3), // 2.5 rounds away from zero
            (10, 0.0, 0),
            (10, 1.0, 9), // training keeps one row
            (1, 0.5, 0),
            (0, 0.5, 0),
            (10, f64::NAN, 0),
            (10, -1.0, 0),
        ] {
            let s = split(numbered(n), fraction, 1);
            assert_eq!(s.validation.len(), validation, "n={n} fraction={fraction}");
            assert_eq!(s.train.len(), n - validation, "n={n} fraction={fraction}");
        }
    }

    #[test]
    fn split_keeps_every_row_once_with_its_target() {
        let s = split(numbered(50), 0.3, 9);
        let mut seen = Vec::new();
        for part in [&s.train, &s.validation] {
            let Targets::Classes { labels, n_classes } = &part.targets else { panic!() };
            assert_eq!(*n_classes, 3);
            for (i, &label) in labels.iter().enumerate() {
                let row = part.row(i);
                assert_eq!(row[1], -row[0]);
                assert_eq!(label, row[0] as u32 % 3);
                seen.push(row[0] as u32);
            }
        }
        assert_eq!(sorted(seen), (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn split_is_seeded() {
        assert_eq!(split(numbered(40), 0.5, 3), split(numbered(40), 0.5, 3));
        assert_ne!(split(numbered(40), 0.5, 3), split(numbered(40), 0.5, 4));
    }

    #[test]
    fn epoch_order_is_a_permutation_per_epoch() {
        let n = 100;
        let first = epoch_order(n, 0, 5);
        assert_eq!(sorted(first.clone()), (0..n as u32).collect::<Vec<_>>());
        assert_ne!(first, (0..n as u32).collect::<Vec<_>>());
        // Reproducible from (seed, epoch) alone, different across epochs and seeds.
        assert_eq!(epoch_order(n, 7, 5), epoch_order(n, 7, 5));
        assert_ne!(epoch_order(n, 1, 5), first);
        assert_ne!(epoch_order(n, 0, 6), first);
        assert!(epoch_order(0, 3, 5).is_empty());
        assert_eq!(epoch_order(1, 3, 5), vec![0]);
    }
}
