//! `backend: "auto"`'s calibration on lavapipe: both paths are timed on a throwaway session, so
//! the session that follows trains exactly as one that was never calibrated. No assertion here
//! depends on how fast anything ran: the clock is made up where figures are checked.

use std::cell::Cell;

use lr_playground::engine::calibration::{self, Rates, Shape};
use lr_playground::engine::{options, Session};
use serde_json::{json, Value};

use crate::support::gpu;

fn reference(runs: usize) -> Value {
    let runs: Vec<Value> =
        (0..runs).map(|seed| json!({"seed": seed, "schedule": {"kind": "Constant", "lr": 0.1}})).collect();
    json!({
        "backend": "auto", "layers": [2, 16, 16, 2], "activation": "tanh",
        "optimizer": {"kind": "sgd", "momentum": 0.9}, "batch_size": 32,
        "data": {"kind": "spiral", "n": 512, "noise": 0.1, "seed": 3}, "runs": runs,
    })
}

fn config(options: &Value) -> lr_playground::engine::SessionConfig {
    options::parse(options).unwrap().config
}

/// A clock on which every reading is `ms` after the last.
fn ticking(ms: f64) -> impl Fn() -> f64 {
    let t = Cell::new(0.0);
    move || {
        t.set(t.get() + ms);
        t.get()
    }
}

#[test]
fn each_path_is_timed_in_doubling_blocks_and_reported_in_run_steps_per_second() {
    let runs = 3;
    // Every block reads 7 ms, never the 8 ms that would stop it: blocks double until a path's
    // 50 ms are spent, after 8 blocks (1 to 128 steps), and the last block's figure stands.
    let rates = pollster::block_on(calibration::measure(&config(&reference(runs)), &gpu(), &ticking(7.0))).unwrap();
    let expected = (runs * 128 * 1000) as f64 / 7.0;
    assert_eq!(rates, Rates { cpu: expected, gpu: expected });
}

#[test]
fn a_real_calibration_measures_both_paths_and_says_so() {
    let now = std::time::Instant::now();
    let clock = move || now.elapsed().as_secs_f64() * 1000.0;
    let gpu = gpu();
    let rates = pollster::block_on(calibration::measure(&config(&reference(2)), &gpu, &clock)).unwrap();
    assert!(rates.cpu.is_finite() && rates.cpu > 0.0 && rates.gpu.is_finite() && rates.gpu > 0.0, "{rates:?}");
    let reason = calibration::reason(rates, &gpu.adapter_name);
    let chose = if calibration::prefers_gpu(rates) { "WebGPU" } else { "CPU path" };
    assert!(reason.starts_with(chose) && reason.contains(&gpu.adapter_name), "{reason}");
    for rate in [rates.cpu, rates.gpu] {
        assert!(reason.contains(&calibration::readable_rate(rate)), "{reason} should name {rate}");
    }
}

#[test]
fn a_calibrated_session_trains_as_one_that_never_was_on_either_path() {
    for on_gpu in [false, true] {
        let options = reference(2);
        let calibrated_config = config(&options);
        pollster::block_on(calibration::measure(&calibrated_config, &gpu(), &ticking(7.0))).unwrap();
        let mut calibrated = Session::new(calibrated_config);
        let mut plain = Session::new(config(&options));
        if on_gpu {
            calibrated.use_gpu(gpu()).unwrap();
            plain.use_gpu(gpu()).unwrap();
        }
        let a = pollster::block_on(calibrated.step(40));
        let b = pollster::block_on(plain.step(40));
        assert_eq!(
            a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(calibrated.params(1), plain.params(1));
    }
}

#[test]
fn sessions_of_one_shape_share_a_calibration_and_other_shapes_do_not() {
    let mut known = calibration::Calibrations::default();
    let rates = Rates { cpu: 80_000.0, gpu: 2_700.0 };
    known.insert(Shape::of(&config(&reference(4))), rates);
    assert_eq!(known.get(&Shape::of(&config(&reference(4)))), Some(rates));
    assert_eq!(known.get(&Shape::of(&config(&reference(5)))), None);
    let mut relu = reference(4);
    relu["activation"] = json!("relu");
    assert_eq!(known.get(&Shape::of(&config(&relu))), None);
}
