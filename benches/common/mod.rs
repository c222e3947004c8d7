//! What the benches share: the reference network, the switch that skips criterion, and the
//! statistics of the interleaved pass each bench reports (medians, rounded for its JSON line).
// Each bench uses a subset of these.
#![allow(dead_code)]

use std::time::Instant;

use lr_playground::engine::{options, Session};
use serde_json::{json, Value};

/// The TARGETS.md reference network, MLP 2-`hidden`-`hidden`-2 with softmax cross-entropy, SGD
/// momentum 0.9, batch 32, a 2-class spiral of 512 points all for training, and `runs` runs
/// (seeds 0..runs) at a constant rate that does not diverge: a diverged run stops training and
/// would flatter the figure. `TRAINING_OPTIMIZER` (JSON, as in a session's options) replaces
/// the optimizer.
pub fn reference_session(activation: &str, hidden: usize, runs: usize) -> Session {
    let optimizer: Value = match std::env::var("TRAINING_OPTIMIZER") {
        Ok(spec) => serde_json::from_str(&spec).expect("TRAINING_OPTIMIZER: an optimizer as JSON"),
        Err(_) => json!({"kind": "sgd", "momentum": 0.9}),
    };
    let spec = json!({
        "backend": "cpu",
        "layers": [2, hidden, hidden, 2], "activation": activation, "loss": "cross_entropy",
        "optimizer": optimizer, "batch_size": 32, "shuffle": true,
        "data": {"kind": "spiral", "n": 512, "noise": 0.1, "validation_fraction": 0.0, "seed": 1},
        "runs": (0..runs).map(|seed| json!({"seed": seed, "schedule": {"kind": "Constant", "lr": 0.03}})).collect::<Vec<_>>(),
    });
    Session::new(options::parse(&spec).expect("the reference options are valid").config)
}

/// Whether criterion's groups run: `<variable>=0` skips them and leaves the interleaved pass.
pub fn criterion_on(variable: &str) -> bool {
    std::env::var(variable).map_or(true, |v| v != "0")
}

/// The middle value; for an even count, the mean of the middle two.
pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let mid = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[mid]
    } else {
        (xs[mid - 1] + xs[mid]) / 2.0
    }
}

/// Each case's median of `rounds` figures from `measure`, the cases taken in turn round after
/// round, so that a noisy machine's slow spells fall on all of them alike.
pub fn interleaved_medians<C>(cases: &mut [C], rounds: usize, mut measure: impl FnMut(&mut C) -> f64) -> Vec<f64> {
    let mut figures = vec![Vec::with_capacity(rounds); cases.len()];
    for _ in 0..rounds {
        for (case, figures) in cases.iter_mut().zip(&mut figures) {
            figures.push(measure(case));
        }
    }
    figures.into_iter().map(median).collect()
}

/// The median wall time of `rounds` calls of `f`, in milliseconds.
pub fn median_ms(rounds: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..rounds)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    )
}

/// `x` rounded to `digits` decimals, for the JSON line.
pub fn round_to(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

/// Ratios and rates in the JSON lines carry three decimals.
pub fn round3(x: f64) -> f64 {
    round_to(x, 3)
}
