//! The transformers, timm, optax and Keras kinds against their libraries at every step, and
//! ReduceLROnPlateau replays against PyTorch (`tests/fixtures/gen_modern_schedules.py`).

use lr_playground::schedule::{Schedule, KINDS};
use serde_json::Value;

use crate::fixtures::{self, compare, numbers, MODERN_SCHEDULES_JSON};

fn fixture() -> Value {
    serde_json::from_str(MODERN_SCHEDULES_JSON).expect("fixture JSON parses")
}

#[test]
fn modern_schedules_match_their_libraries_at_every_step() {
    let (failures, cases) = fixtures::check_cases(MODERN_SCHEDULES_JSON, |spec, steps| {
        let s = Schedule::from_spec(spec).map_err(|e| e.to_string())?;
        Ok((s.sample(steps).map_err(|e| e.to_string())?.lr, None))
    });
    assert!(cases >= 50, "only {cases} fixture cases");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_new_library_kind_has_several_fixture_cases() {
    let fixture = fixture();
    let cases = fixture["cases"].as_array().unwrap();
    let modern = KINDS.iter().filter(|k| matches!(k.library.name(), "transformers" | "timm" | "optax" | "keras"));
    for kind in modern {
        let n = cases.iter().filter(|c| c["spec"]["kind"] == kind.name).count();
        assert!(n >= 2, "{} has {n} fixture cases", kind.name);
    }
}

#[test]
fn plateau_replays_match_pytorch() {
    let fixture = fixture();
    let replays = fixture["plateau"].as_array().unwrap();
    assert!(replays.len() >= 4);
    let mut failures = Vec::new();
    for case in replays {
        let name = case["name"].as_str().unwrap();
        // NaN travels as the string "NaN".
        let metrics: Vec<f64> =
            case["metrics"].as_array().unwrap().iter().map(|m| m.as_f64().unwrap_or(f64::NAN)).collect();
        let replay = Schedule::from_spec(&case["spec"]).unwrap().replay(&metrics).unwrap();
        failures.extend(compare(name, "lr", &replay.lr, &numbers(&case["lr"]), 1e-12));
        failures.extend(compare(name, "best", &replay.best, &numbers(&case["best"]), 0.0));
        let counts = |v: &[u64]| v.iter().map(|&n| n as f64).collect::<Vec<_>>();
        failures.extend(compare(
            name,
            "num_bad_epochs",
            &counts(&replay.num_bad_epochs),
            &numbers(&case["num_bad_epochs"]),
            0.0,
        ));
        failures.extend(compare(
            name,
            "cooldown_counter",
            &counts(&replay.cooldown_counter),
            &numbers(&case["cooldown_counter"]),
            0.0,
        ));
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}
