//! Reference values from PyTorch and fastai (`tests/fixtures/gen_schedules.py`), and the
//! comparison that native and browser tests both apply to them.

use serde_json::Value;

pub const SCHEDULES_JSON: &str = include_str!("../fixtures/schedules.json");

/// Reference values from transformers, timm, optax, Keras and ReduceLROnPlateau
/// (`tests/fixtures/gen_modern_schedules.py`).
pub const MODERN_SCHEDULES_JSON: &str = include_str!("../fixtures/modern_schedules.json");

/// Float64 libraries are compared to 1e-9 relative; fastai's float32 positions to 1e-5; optax
/// and Keras, which compute in float32, to 2e-6.
pub fn tolerance(library: &str) -> f64 {
    match library {
        "fastai" => 1e-5,
        "optax" | "keras" => 2e-6,
        _ => 1e-9,
    }
}

/// Values computed by lr-playground for one case: (lr, momentum).
pub type Computed = (Vec<f64>, Option<Vec<f64>>);

/// Compares every case at every step; returns one line per mismatch and the number of cases seen.
/// `compute` evaluates a spec for `steps` steps (natively, or through the JS API).
pub fn check_all(compute: impl Fn(&Value, u64) -> Result<Computed, String>) -> (Vec<String>, usize) {
    check_cases(SCHEDULES_JSON, compute)
}

/// [`check_all`] over the cases of another fixture file's JSON text.
pub fn check_cases(json: &str, compute: impl Fn(&Value, u64) -> Result<Computed, String>) -> (Vec<String>, usize) {
    let fixtures: Value = serde_json::from_str(json).expect("fixture JSON parses");
    let cases = fixtures["cases"].as_array().expect("fixtures have cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let tol = tolerance(case["library"].as_str().unwrap_or(""));
        let expected_lr = numbers(&case["lr"]);
        let (lr, momentum) = match compute(&case["spec"], expected_lr.len() as u64) {
            Ok(values) => values,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        failures.extend(compare(name, "lr", &lr, &expected_lr, tol));
        match (momentum, case["momentum"].as_array()) {
            (Some(m), Some(_)) => failures.extend(compare(name, "momentum", &m, &numbers(&case["momentum"]), tol)),
            (None, None) => {}
            (m, _) => failures.push(format!(
                "{name}: momentum cycled here = {}, in the library = {}",
                m.is_some(),
                !case["momentum"].is_null()
            )),
        }
    }
    (failures, cases.len())
}

/// A fixture's array of numbers; anything else is empty.
pub fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
}

/// Relative comparison; values the library computes as exactly zero must be (near) zero here too.
pub fn compare(name: &str, what: &str, got: &[f64], want: &[f64], tol: f64) -> Vec<String> {
    if got.len() != want.len() {
        return vec![format!("{name}: {what} has {} values, expected {}", got.len(), want.len())];
    }
    // PyTorch's recursive formulas leave ~1e-17 residues where the closed form gives 0.
    let scale = want.iter().fold(0f64, |m, x| m.max(x.abs()));
    got.iter()
        .zip(want)
        .enumerate()
        .filter(|(_, (g, w))| (*g - *w).abs() > tol * w.abs() + 1e-14 * scale)
        .take(3)
        .map(|(t, (g, w))| format!("{name}: {what}[{t}] = {g}, expected {w} (rel err {:.2e})", (g - w).abs() / w.abs()))
        .collect()
}
