//! UCI's optical handwritten digits (the copy in scikit-learn's `load_digits`): 1,797 grey 8×8
//! images of the digits 0–9, pixels 0..16 (licence CC BY 4.0; Alpaydin and Kaynak, UCI Machine
//! Learning Repository, 1998). `digits.bin` holds them losslessly in 61 KB; the layout is written
//! down in `tests/fixtures/gen_digits.py`, which makes it.
//!
//! A row's 64 inputs are its pixels row by row, scaled to [0, 1]; its class is the digit itself,
//! so a subset keeps its labels (5–9 stay 5–9; the network needs outputs up to the highest) and
//! one network can learn one subset after another.

use rand::RngExt;

use super::{split, Dataset, Split, Targets};
use crate::rng::{seeded_stream, POINTS_STREAM};

/// Images in the set.
pub const DIGIT_COUNT: usize = 1797;
/// An image is `DIGIT_SIDE × DIGIT_SIDE` pixels.
pub const DIGIT_SIDE: usize = 8;
pub const DIGIT_PIXELS: usize = DIGIT_SIDE * DIGIT_SIDE;
/// The classes, 0–9.
pub const DIGIT_CLASSES: usize = 10;
/// The brightest pixel: inputs are pixel / `MAX_PIXEL`.
const MAX_PIXEL: f32 = 16.0;

static FILE: &[u8] = include_bytes!("digits.bin");

/// Which digits, how many and how they split.
#[derive(Clone, Debug, PartialEq)]
pub struct DigitsSpec {
    /// The digits to keep, each in `0..DIGIT_CLASSES`, at least one.
    pub classes: Vec<u32>,
    /// Images in all (training + validation), as evenly shared among the classes as they allow;
    /// `None` keeps every image of the chosen classes.
    pub n: Option<usize>,
    pub validation_fraction: f64,
    /// Seeds the subsample and the split.
    pub seed: u64,
}

/// Every image's pixels (0..=16) row-major, and every label, decoded from `digits.bin`.
pub fn decode() -> (Vec<u8>, Vec<u8>) {
    let (labels, rest) = FILE.split_at(DIGIT_COUNT);
    let (packed, sixteens) = rest.split_at(DIGIT_COUNT * DIGIT_PIXELS / 2);
    let mut escapes = sixteens.iter().flat_map(|byte| (0..8).rev().map(move |bit| byte >> bit & 1 == 1));
    let pixels = packed
        .iter()
        .flat_map(|byte| [byte >> 4, byte & 0x0f])
        .map(|nibble| if nibble == 15 && escapes.next() == Some(true) { 16 } else { nibble })
        .collect();
    (pixels, labels.to_vec())
}

/// How many images of each digit the set holds.
pub fn class_counts() -> [usize; DIGIT_CLASSES] {
    let mut counts = [0; DIGIT_CLASSES];
    for &label in &FILE[..DIGIT_COUNT] {
        counts[label as usize] += 1;
    }
    counts
}

/// The images of `spec.classes` (a seeded, class-balanced `spec.n` of them), split with [`split`].
/// Classes are the caller's to check (options do): an unknown one simply has no images.
pub fn digits(spec: &DigitsSpec) -> Split {
    let (pixels, labels) = decode();
    let wanted = |label: u8| spec.classes.contains(&(label as u32));
    let mut rows: Vec<u32> = (0..DIGIT_COUNT as u32).filter(|&i| wanted(labels[i as usize])).collect();
    if let Some(n) = spec.n {
        rows = balanced_sample(&rows, &labels, n, spec.seed);
    }
    let x = rows
        .iter()
        .flat_map(|&i| &pixels[i as usize * DIGIT_PIXELS..(i as usize + 1) * DIGIT_PIXELS])
        .map(|&p| p as f32 / MAX_PIXEL)
        .collect();
    let labels = rows.iter().map(|&i| labels[i as usize] as u32).collect();
    let n_classes = spec.classes.iter().max().map_or(0, |&c| c as usize + 1);
    let data = Dataset { features: DIGIT_PIXELS, x, targets: Targets::Classes { labels, n_classes } };
    split(data, spec.validation_fraction, spec.seed)
}

/// `n` of `rows` (fewer if there are fewer), taken in turn from each class's own seeded shuffle
/// so that class counts differ by at most one where the classes have the images; in row order.
fn balanced_sample(rows: &[u32], labels: &[u8], n: usize, seed: u64) -> Vec<u32> {
    let rng = &mut seeded_stream(seed, POINTS_STREAM);
    let mut by_class: Vec<Vec<u32>> = vec![Vec::new(); DIGIT_CLASSES];
    for &row in rows {
        by_class[labels[row as usize] as usize].push(row);
    }
    for class in &mut by_class {
        for i in (1..class.len()).rev() {
            class.swap(i, rng.random_range(0..=i));
        }
    }
    let mut picked = Vec::with_capacity(n.min(rows.len()));
    for turn in 0.. {
        let before = picked.len();
        for class in &by_class {
            if let (Some(&row), true) = (class.get(turn), picked.len() < n) {
                picked.push(row);
            }
        }
        if picked.len() == before {
            break;
        }
    }
    picked.sort_unstable();
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FNV-1a, 64 bits: the checksum `gen_digits.py` prints.
    fn fnv1a64(bytes: impl Iterator<Item = u8>) -> u64 {
        bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
    }

    fn spec(classes: &[u32], n: Option<usize>) -> DigitsSpec {
        DigitsSpec { classes: classes.to_vec(), n, validation_fraction: 0.2, seed: 1 }
    }

    fn counts(split: &Split) -> [usize; DIGIT_CLASSES] {
        let mut counts = [0; DIGIT_CLASSES];
        for part in [&split.train, &split.validation] {
            let Targets::Classes { labels, .. } = &part.targets else { panic!("classes") };
            labels.iter().for_each(|&l| counts[l as usize] += 1);
        }
        counts
    }

    #[test]
    fn the_file_is_scikit_learns_set() {
        let (pixels, labels) = decode();
        assert_eq!((pixels.len(), labels.len()), (DIGIT_COUNT * DIGIT_PIXELS, DIGIT_COUNT));
        assert_eq!(FILE.len(), DIGIT_COUNT + DIGIT_COUNT * DIGIT_PIXELS / 2 + 1845, "nothing left over");
        assert_eq!(class_counts(), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
        assert_eq!(pixels.iter().max(), Some(&16));
        assert_eq!(fnv1a64(pixels.iter().chain(&labels).copied()), 0x9975_5255_092d_82a1);
    }

    #[test]
    fn inputs_are_pixels_in_the_unit_interval() {
        let all = digits(&spec(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], None));
        assert_eq!(all.train.features, 64);
        assert_eq!((all.train.len(), all.validation.len()), (1438, 359));
        assert_eq!(counts(&all), class_counts());
        let x = &all.train.x;
        assert!(x.iter().all(|v| (0.0..=1.0).contains(v)));
        assert!(x.contains(&0.0) && x.contains(&1.0) && x.contains(&(15.0 / 16.0)));
        // The first image is scikit-learn's first zero: blank corners, ink in its middle rows.
        let (pixels, labels) = decode();
        assert_eq!(labels[0], 0);
        assert_eq!(&pixels[..8], &[0, 0, 5, 13, 9, 1, 0, 0]);
    }

    #[test]
    fn a_subset_keeps_its_digits_as_labels() {
        let upper = digits(&spec(&[5, 6, 7, 8, 9], None));
        let c = counts(&upper);
        assert_eq!(c[..5], [0; 5]);
        assert_eq!(c[5..], class_counts()[5..]);
        let Targets::Classes { n_classes, .. } = upper.train.targets else { panic!("classes") };
        assert_eq!(n_classes, 10);
    }

    #[test]
    fn n_takes_a_balanced_seeded_sample() {
        let few = digits(&spec(&[5, 6, 7, 8, 9], Some(100)));
        assert_eq!(counts(&few)[5..], [20; 5]);
        assert_eq!((few.train.len(), few.validation.len()), (80, 20));
        assert_eq!(few, digits(&spec(&[5, 6, 7, 8, 9], Some(100))));
        assert_ne!(few, digits(&DigitsSpec { seed: 2, ..spec(&[5, 6, 7, 8, 9], Some(100)) }));
        assert_eq!(counts(&digits(&spec(&[0, 1, 2], Some(7))))[..3], [3, 2, 2]);
        // More than there are keeps them all.
        assert_eq!(counts(&digits(&spec(&[8], Some(500))))[8], 174);
    }
}
