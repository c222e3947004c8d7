//! Trajectories over analytic surfaces against PyTorch float64 (`tests/fixtures/gen_surfaces.py`):
//! torch.optim's SGD, Adam, AdamW, RMSprop and Adagrad under torch's own schedulers, step for step.

use lr_playground::surface::TrajectorySpec;
use serde_json::Value;

use crate::fixtures::numbers;

const SURFACES_JSON: &str = include_str!("../fixtures/surfaces.json");
/// Relative, with an absolute floor for values torch and we both take to (near) zero.
const TOLERANCE: f64 = 1e-10;
const FLOOR: f64 = 1e-15;

/// The largest relative difference, or an error when the lengths differ.
fn worst(got: &[f64], want: &[f64]) -> Result<f64, String> {
    if got.len() != want.len() {
        return Err(format!("{} values, expected {}", got.len(), want.len()));
    }
    Ok(got
        .iter()
        .zip(want)
        .map(|(&a, &b)| {
            let d = (a - b).abs();
            if d <= FLOOR {
                0.0
            } else {
                d / a.abs().max(b.abs())
            }
        })
        .fold(0.0, f64::max))
}

#[test]
fn trajectories_match_torch_float64() {
    let fixtures: Value = serde_json::from_str(SURFACES_JSON).expect("fixture JSON parses");
    let cases = fixtures["cases"].as_array().expect("fixtures have cases");
    assert!(cases.len() >= 10, "{} cases", cases.len());
    let mut failures = Vec::new();
    let mut overall: f64 = 0.0;
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let t = match TrajectorySpec::parse(&case["spec"]) {
            Ok(spec) => spec.run(),
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let state = if t.diverged { "diverged" } else { "finished" };
        if case["state"] != state {
            failures.push(format!("{name}: {state}, torch {}", case["state"]));
        }
        for (what, got) in [("x", &t.x), ("y", &t.y), ("loss", &t.loss), ("lr", &t.lr)] {
            match worst(got, &numbers(&case[what])) {
                Ok(e) if e <= TOLERANCE => overall = overall.max(e),
                Ok(e) => failures.push(format!("{name}: {what} differs by {e:e} relative")),
                Err(e) => failures.push(format!("{name}: {what}: {e}")),
            }
        }
    }
    println!("{} cases, worst relative difference {overall:e}", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_fixture_covers_every_optimizer_and_a_divergence() {
    let fixtures: Value = serde_json::from_str(SURFACES_JSON).unwrap();
    let cases = fixtures["cases"].as_array().unwrap();
    for kind in ["sgd", "adam", "adamw", "rmsprop", "adagrad"] {
        let n = cases
            .iter()
            .filter(|c| c["spec"]["optimizer"]["kind"].as_str().map(str::to_lowercase).as_deref() == Some(kind))
            .count();
        assert!(n >= 2, "{kind}: {n} cases");
    }
    assert!(cases.iter().any(|c| c["state"] == "diverged"));
    assert!(cases.iter().any(|c| c["spec"]["schedule"]["cycle_momentum"] == true));
}
