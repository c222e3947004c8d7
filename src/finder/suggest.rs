//! The five suggestions, computed as fastai 2.8.12 (`valley`, `slide`, `minimum`, `steep`, on
//! `[num_it//10 : -5]` of the recorded values as float32 tensors, cut at the first NaN) and
//! torch-lr-finder 0.2.2 (`steepest`: `np.gradient` of `smoothed[10:-5]`, argmin) compute them.
//! Where a library raises, the suggestion is `None` with the reason.

use serde::Serialize;

use crate::spec::{name_of, names, variants};

/// The suggestion methods, by their library names.
pub const METHODS: &[&str] = &Method::NAMES;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Valley,
    Slide,
    Minimum,
    Steep,
    Steepest,
}

impl Method {
    /// Every method with its library name: the one table of names.
    pub const NAMED: [(Method, &'static str); 5] = [
        (Method::Valley, "valley"),
        (Method::Slide, "slide"),
        (Method::Minimum, "minimum"),
        (Method::Steep, "steep"),
        (Method::Steepest, "steepest"),
    ];
    pub const ALL: [Method; 5] = variants(&Self::NAMED);
    pub const NAMES: [&'static str; 5] = names(&Self::NAMED);

    pub fn name(self) -> &'static str {
        name_of(&Self::NAMED, self)
    }
}

/// A suggested rate and the index of the recorded point it comes from (in the whole curve;
/// for `minimum` the rate is a tenth of that point's).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Pick {
    pub lr: f64,
    pub index: usize,
}

/// `{lr, index}`, or `{lr: null, reason}` where the library would raise.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Suggestion {
    Found(Pick),
    None { lr: Option<f64>, reason: String },
}

impl Suggestion {
    fn none(reason: impl Into<String>) -> Self {
        Suggestion::None { lr: None, reason: reason.into() }
    }

    pub fn pick(&self) -> Option<Pick> {
        match self {
            Suggestion::Found(p) => Some(*p),
            Suggestion::None { .. } => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestions {
    pub valley: Suggestion,
    pub slide: Suggestion,
    pub minimum: Suggestion,
    pub steep: Suggestion,
    pub steepest: Suggestion,
}

impl Suggestions {
    pub fn get(&self, method: Method) -> &Suggestion {
        match method {
            Method::Valley => &self.valley,
            Method::Slide => &self.slide,
            Method::Minimum => &self.minimum,
            Method::Steep => &self.steep,
            Method::Steepest => &self.steepest,
        }
    }
}

/// Every suggestion for a curve (`lrs[i]`, `losses[i]` the recorded rate and smoothed loss of
/// batch i; `num_it` the range test's, for fastai's `num_it//10`).
pub fn suggest_all(lrs: &[f64], losses: &[f64], num_it: u64) -> Suggestions {
    let s = |m| suggest(m, lrs, losses, num_it);
    Suggestions {
        valley: s(Method::Valley),
        slide: s(Method::Slide),
        minimum: s(Method::Minimum),
        steep: s(Method::Steep),
        steepest: s(Method::Steepest),
    }
}

/// One suggestion; `lrs` and `losses` pair up to the shorter of the two.
pub fn suggest(method: Method, lrs: &[f64], losses: &[f64], num_it: u64) -> Suggestion {
    let n = lrs.len().min(losses.len());
    let (lrs, losses) = (&lrs[..n], &losses[..n]);
    if method == Method::Steepest {
        return steepest(lrs, losses);
    }
    // lr_find: tensor(recorder.lrs[num_it//10:-5]) (float32), cut at the first NaN loss.
    let start = ((num_it / 10) as usize).min(n);
    let stop = n.saturating_sub(5).max(start);
    let lrs32: Vec<f32> = lrs[start..stop].iter().map(|&x| x as f32).collect();
    let mut losses32: Vec<f32> = losses[start..stop].iter().map(|&x| x as f32).collect();
    if let Some(nan) = losses32.iter().position(|x| x.is_nan()) {
        losses32.truncate(nan);
    }
    let lrs32 = &lrs32[..losses32.len()];
    let found = |i: usize, lr: f64| Suggestion::Found(Pick { lr, index: start + i });
    let m = losses32.len();
    let window = format!("{m} points in [num_it//10 : -5] before any NaN");
    match method {
        Method::Valley if m == 0 => Suggestion::none(format!("valley needs at least 1 point, got {window}")),
        Method::Valley => {
            let i = valley(&losses32);
            found(i, lrs32[i] as f64)
        }
        Method::Slide if m < 16 => {
            Suggestion::none(format!("slide needs at least 16 points (lr_diff 15), got {window}"))
        }
        Method::Slide => {
            let i = slide(&losses32);
            found(i, lrs32[i] as f64)
        }
        Method::Minimum if m == 0 => Suggestion::none(format!("minimum needs at least 1 point, got {window}")),
        Method::Minimum => {
            let i = argmin(losses32.iter().copied());
            found(i, lrs32[i] as f64 / 10.0)
        }
        Method::Steep if m < 2 => Suggestion::none(format!("steep needs at least 2 points, got {window}")),
        Method::Steep => {
            let log = |x: f32| (x as f64).ln() as f32;
            let grads = (0..m - 1).map(|i| (losses32[i + 1] - losses32[i]) / (log(lrs32[i + 1]) - log(lrs32[i])));
            let i = argmin(grads);
            found(i, lrs32[i] as f64)
        }
        Method::Steepest => steepest(lrs, losses),
    }
}

/// torch-lr-finder's `plot(suggest_lr=True)`: skip 10 at the start and 5 at the end, argmin of
/// `np.gradient`; it raises below 17 points.
fn steepest(lrs: &[f64], losses: &[f64]) -> Suggestion {
    const SKIP_START: usize = 10;
    const SKIP_END: usize = 5;
    let n = losses.len();
    if n < SKIP_START + SKIP_END + 2 {
        return Suggestion::none(format!("steepest needs at least 17 recorded points, got {n}"));
    }
    let window = &losses[SKIP_START..n - SKIP_END];
    let i = argmin(gradient(window).into_iter());
    Suggestion::Found(Pick { lr: lrs[SKIP_START + i], index: SKIP_START + i })
}

/// The index of the first minimum, or of the first NaN (torch's and numpy's argmin both
/// propagate NaN). Callers pass at least one value.
fn argmin<T: PartialOrd + Copy>(values: impl Iterator<Item = T>) -> usize {
    let mut best: Option<(usize, T)> = None;
    for (i, v) in values.enumerate() {
        let is_nan = v.partial_cmp(&v).is_none();
        match best {
            Some((_, b)) if b.partial_cmp(&b).is_none() => {}
            _ if is_nan => best = Some((i, v)),
            Some((_, b)) if v < b => best = Some((i, v)),
            None => best = Some((i, v)),
            _ => {}
        }
    }
    best.map_or(0, |(i, _)| i)
}

/// `np.gradient` with unit spacing: one-sided differences at the ends, central ones inside
/// (in the values' own precision). Needs at least 2 values.
pub fn gradient<T>(f: &[T]) -> Vec<T>
where
    T: Copy + std::ops::Sub<Output = T> + std::ops::Div<Output = T> + From<u8>,
{
    let n = f.len();
    if n < 2 {
        return Vec::new();
    }
    let two = T::from(2);
    let mut out = Vec::with_capacity(n);
    out.push(f[1] - f[0]);
    out.extend(f.windows(3).map(|w| (w[2] - w[0]) / two));
    out.push(f[n - 1] - f[n - 2]);
    out
}

/// fastai's `valley`: the longest strictly decreasing subsequence (by index order) ends at
/// `max_end` and is `lds[max_end]` long; the pick lies a half of the way in (`valley_pick`). The same result as fastai's O(n²) double loop, in
/// O(n log n): the longest run ending at i is 1 + the longest ending at a larger earlier value.
fn valley(losses: &[f32]) -> usize {
    let n = losses.len();
    // Ranks of the distinct values, largest first (positions 1..=m in a max-Fenwick tree).
    // Widened to f64 (exactly, same order) to share the crate's one float sort.
    let mut distinct: Vec<f64> = losses.iter().map(|&l| f64::from(l)).collect();
    distinct.sort_by(f64::total_cmp);
    distinct.reverse();
    distinct.dedup_by(|a, b| a == b);
    let rank = |v: f32| distinct.partition_point(|&d| d > f64::from(v)) + 1;
    let mut tree = vec![0usize; distinct.len() + 1];
    let (mut max_start, mut max_end, mut best) = (0i64, 0usize, 0usize);
    for (i, &v) in losses.iter().enumerate() {
        let r = rank(v);
        // The longest run ending at a strictly larger value: ranks 1..r-1.
        let mut longest = 0;
        let mut k = r - 1;
        while k > 0 {
            longest = longest.max(tree[k]);
            k &= k - 1;
        }
        let lds = longest + 1;
        let mut k = r;
        while k < tree.len() {
            tree[k] = tree[k].max(lds);
            k += k & k.wrapping_neg();
        }
        if lds > best {
            if i > 0 {
                max_end = i;
                max_start = i as i64 - lds as i64;
            }
            best = lds;
        }
    }
    valley_pick(n, max_start, max_end)
}

/// `max_start + int(sections) + int(sections/2)` with `sections = (max_end - max_start) / 3`,
/// and Python's wrap of a negative index (-1 is the last of `n`).
fn valley_pick(n: usize, max_start: i64, max_end: usize) -> usize {
    let sections = (max_end as i64 - max_start) as f64 / 3.0;
    let idx = max_start + sections as i64 + (sections / 2.0) as i64;
    if idx < 0 {
        (n as i64 + idx) as usize
    } else {
        idx as usize
    }
}

/// fastai's `slide`: walk a window of 15 points leftwards from the end until the gradient at its
/// two ends differs by at most 0.005; the rate at the window's left end when it stops.
fn slide(losses: &[f32]) -> usize {
    const LR_DIFF: usize = 15;
    let thresh = 0.005f32;
    let grad = gradient(losses);
    let n = losses.len();
    // Indices as fastai's negative ones, counted from the end: r = n - 1, l = r - 15.
    let (mut r, mut l) = (n - 1, n - 1 - LR_DIFF);
    let mut pick = l;
    loop {
        if (grad[r] - grad[l]).abs() <= thresh || grad[r].is_nan() || grad[l].is_nan() {
            break;
        }
        pick = l;
        if l == 0 {
            break;
        }
        r -= 1;
        l -= 1;
    }
    pick
}

#[cfg(test)]
mod tests {
    use super::*;

    /// fastai's valley as written (the O(n²) loops), to hold the fast one to.
    fn valley_as_fastai(losses: &[f32]) -> usize {
        let n = losses.len();
        let (mut max_start, mut max_end) = (0i64, 0usize);
        let mut lds = vec![1usize; n];
        for i in 1..n {
            for j in 0..i {
                if losses[i] < losses[j] && lds[i] < lds[j] + 1 {
                    lds[i] = lds[j] + 1;
                }
                if lds[max_end] < lds[i] {
                    max_end = i;
                    max_start = max_end as i64 - lds[max_end] as i64;
                }
            }
        }
        valley_pick(n, max_start, max_end)
    }

    #[test]
    fn valley_equals_fastais_double_loop() {
        let mut state = 12345u64;
        for len in 1..60 {
            for _ in 0..20 {
                let losses: Vec<f32> = (0..len)
                    .map(|_| {
                        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        ((state >> 33) % 7) as f32
                    })
                    .collect();
                assert_eq!(valley(&losses), valley_as_fastai(&losses), "{losses:?}");
            }
        }
        // Strictly decreasing: max_start is -1, and two points wrap to the last.
        assert_eq!(valley(&[2.0, 1.0]), 1);
        assert_eq!(valley(&[3.0, 2.0, 1.0, 0.0, -1.0, -2.0]), 2);
    }

    #[test]
    fn gradient_is_numpys() {
        assert_eq!(gradient(&[1.0f64, 2.0, 4.0, 7.0]), vec![1.0, 1.5, 2.5, 3.0]);
        assert_eq!(gradient(&[1.0f32, 3.0]), vec![2.0, 2.0]);
    }

    #[test]
    fn argmin_takes_the_first_minimum_or_nan() {
        assert_eq!(argmin([3.0, 1.0, 1.0].into_iter()), 1);
        assert_eq!(argmin([3.0, f64::NAN, 0.0, f64::NAN].into_iter()), 1);
    }

    #[test]
    fn too_few_points_give_reasons() {
        let lrs: Vec<f64> = (0..10).map(|i| 1e-3 * 2f64.powi(i)).collect();
        let losses: Vec<f64> = (0..10).map(|i| 10.0 - i as f64).collect();
        let s = suggest_all(&lrs, &losses, 10);
        // [1 : 5] leaves 4 points.
        // Strictly decreasing: max_start = -1, idx = -1 + int(4/3) + int(4/6) = 0 in the window.
        assert_eq!(s.valley.pick().map(|p| p.index), Some(1));
        assert_eq!(
            s.slide,
            Suggestion::none(
                "slide needs at least 16 points (lr_diff 15), got 4 points in [num_it//10 : -5] before any NaN"
            )
        );
        assert_eq!(s.minimum.pick(), Some(Pick { lr: lrs[4] as f32 as f64 / 10.0, index: 4 }));
        assert_eq!(s.steep.pick().map(|p| p.index), Some(1));
        assert_eq!(s.steepest, Suggestion::none("steepest needs at least 17 recorded points, got 10"));
        let short = suggest_all(&lrs[..5], &losses[..5], 5);
        assert!(matches!(short.valley, Suggestion::None { .. }));
        assert!(matches!(short.minimum, Suggestion::None { .. }));
        let json = serde_json::to_value(&short.steep).unwrap();
        assert_eq!(json["lr"], serde_json::Value::Null);
    }
}
