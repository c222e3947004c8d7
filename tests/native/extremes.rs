//! Finite input, finite output: data and weights at f32's limits are accepted, so what the
//! session reports about them (a heatmap's square, its grid, layer norms) must stay finite.

use lr_playground::engine::{options, Session};
use lr_playground::landscape::{self, LandscapeOptions};
use pollster::block_on;
use serde_json::{json, Value};

/// A tanh network on four rows at ±3.4e38: its span, 6.8e38, overflows f32.
fn session_on_huge_data() -> Session {
    let big = 3.4e38;
    session_with(json!({"x": [-big, -big, big, big, -big, big, big, -big], "y": [0, 1, 0, 1], "features": 2}))
}

fn session_with(data: Value) -> Session {
    let spec = json!({
        "layers": [2, 8, 2], "activation": "tanh", "batch_size": 2,
        "data": data,
        "runs": [{"seed": 1, "phases": [{"steps": 2, "schedule": {"kind": "Constant", "lr": 0.01}}]}],
    });
    Session::new(options::parse(&spec).unwrap().config)
}

#[test]
fn a_heatmap_over_data_at_the_limits_of_f32_is_finite() {
    let mut s = session_on_huge_data();
    let (lo, hi) = s.input_extent();
    assert_eq!((lo, hi), (-f32::MAX, f32::MAX), "clamped to f32's limits");
    let values = s.predict_grid(0, 5, lo, hi);
    assert_eq!(values.len(), 5 * 5 * 2);
    assert!(values.iter().all(|v| v.is_finite()), "{values:?}");
}

#[test]
fn layer_norms_of_weights_at_the_limits_of_f32_are_finite() {
    let mut s = session_on_huge_data();
    let huge = vec![3.0e38f32; s.mlp().param_count()];
    s.set_params(0, &huge);
    for stats in s.layer_stats(0) {
        let values = [stats.weight_norm, stats.grad_norm, stats.update_ratio];
        assert!(values.iter().all(|v| v.is_finite()), "{stats:?}");
    }
    assert!(s.layer_stats(0)[0].weight_norm > f32::MAX as f64, "the norm of 16 weights at 3e38");
}

#[test]
fn a_run_past_its_phases_reports_a_rate_of_zero_not_nan() {
    let mut s = session_with(json!({"kind": "circle", "n": 40}));
    block_on(s.step(2));
    assert!(s.layer_stats(0).iter().all(|l| l.lr == 0.01));
    block_on(s.step(3));
    assert!(s.layer_stats(0).iter().all(|l| l.lr == 0.0), "{:?}", s.layer_stats(0));
}

#[test]
fn a_landscape_of_weights_whose_norms_overflow_is_refused_by_name() {
    let mut s = session_with(json!({"kind": "circle", "n": 40}));
    s.set_params(0, &vec![3.0e38f32; s.mlp().param_count()]);
    let options = LandscapeOptions::parse(&json!({"grid": 3}), 1).unwrap();
    let e = landscape::prepare_landscape(&s, &options).err().unwrap();
    assert_eq!(e.field, "run");
    assert_eq!(
        e.to_string(),
        "run: run 0's parameters are too large for filter-normalised directions (a filter's norm overflows float32)"
    );
}
