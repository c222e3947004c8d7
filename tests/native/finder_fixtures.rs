//! The LR finder against the real fastai 2.8.12 `lr_find` and torch-lr-finder 0.2.2
//! `range_test` (`tests/fixtures/gen_finder.py`): the same network, initial parameters, batches
//! in order and optimizer give the same rates, raw and smoothed losses, stop point and
//! suggestions; the session comes back bit for bit; lavapipe's GPU path agrees with the CPU's.

use crate::support::{on_gpu_if, torch_case_options};
use lr_playground::engine::{options, Session};
use lr_playground::finder::{self, smooth_losses, suggest_all, FinderOptions, FinderResult, Method, Smoothing};
use serde_json::{json, Value};

const FINDER_JSON: &str = include_str!("../fixtures/finder.json");

fn cases() -> Vec<Value> {
    let fixtures: Value = serde_json::from_str(FINDER_JSON).unwrap();
    fixtures["cases"].as_array().unwrap().clone()
}

/// A fixture number; non-finite ones are the strings "NaN", "Infinity", "-Infinity".
fn number(v: &Value) -> f64 {
    match v.as_str() {
        Some("NaN") => f64::NAN,
        Some("Infinity") => f64::INFINITY,
        Some("-Infinity") => f64::NEG_INFINITY,
        _ => v.as_f64().unwrap(),
    }
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(number).collect()
}

fn session_for(case: &Value, runs: usize, on_gpu: bool) -> Session {
    let run = json!({"seed": 1, "schedule": {"kind": "Constant", "lr": 0.1}});
    let options = torch_case_options(case, json!(vec![run; runs]));
    let mut session = on_gpu_if(Session::new(options::parse(&options).unwrap().config), on_gpu);
    let init: Vec<f32> = numbers(&case["init"]).iter().map(|&x| x as f32).collect();
    for r in 0..runs {
        session.set_params(r, &init);
    }
    session
}

fn finder_options(case: &Value) -> FinderOptions {
    let mut options = case["options"].clone();
    let convention = if case["library"] == "fastai" { "fastai" } else { "torch_lr_finder" };
    options["convention"] = json!(convention);
    FinderOptions::parse(&options).unwrap()
}

fn range_test(session: &mut Session, case: &Value) -> FinderResult {
    pollster::block_on(finder::run(session, &finder_options(case), |_| true)).unwrap()
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    (got.is_nan() && want.is_nan()) || got == want || (got - want).abs() <= tol * want.abs().max(1.0)
}

/// The first index where two curves differ by more than `tol` (relative, floor 1).
fn mismatch(got: &[f64], want: &[f64], tol: f64) -> Option<usize> {
    (0..got.len().max(want.len())).find(|&i| match (got.get(i), want.get(i)) {
        (Some(g), Some(w)) => !close(*g, *w, tol),
        _ => true,
    })
}

/// `got` against `want[..end]`: within 1e-4 up to index `lowest` (the lowest smoothed loss);
/// past it, on the way to divergence, float32 rounding differences (1e-7 early on) compound
/// at every step (1e-6 .. 3e-3 by the stop against the libraries; up to 1.2% between lavapipe
/// and the CPU path, whose sums run in another order), so within `tail_tol`. Says where they differ.
fn compare_curve(got: &[f64], want: &[f64], lowest: usize, end: usize, tail_tol: f64) -> Option<String> {
    let head = lowest.min(end);
    if let Some(i) = mismatch(&got[..head.min(got.len())], &want[..head], 1e-4) {
        return Some(format!("[{i}] = {:?}, expected {:?} (1e-4)", got.get(i), want.get(i)));
    }
    let tail = |v: &[f64]| v.get(head..end.min(v.len())).unwrap_or(&[]).to_vec();
    let i = head + mismatch(&tail(got), &tail(want), tail_tol)?;
    Some(format!("[{i}] = {:?}, expected {:?} ({tail_tol:e})", got.get(i), want.get(i)))
}

/// The index of the lowest finite value.
fn argmin_finite(values: &[f64]) -> usize {
    (0..values.len()).filter(|&i| values[i].is_finite()).min_by(|&a, &b| values[a].total_cmp(&values[b])).unwrap_or(0)
}

fn check_suggestions(name: &str, got: &finder::Suggestions, want: &Value, failures: &mut Vec<String>) {
    for method in Method::ALL {
        let Some(expected) = want.get(method.name()) else { continue };
        let pick = got.get(method).pick();
        match (expected["index"].as_u64(), pick) {
            (None, None) => {}
            (Some(index), Some(p)) if p.index as u64 == index && close(p.lr, number(&expected["lr"]), 1e-6) => {}
            _ => failures.push(format!("{name}: {}: got {:?}, library {expected}", method.name(), got.get(method))),
        }
    }
}

#[test]
fn range_test_matches_fastai_and_torch_lr_finder() {
    let cases = cases();
    assert!(cases.len() >= 12, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let mut session = session_for(case, 1, false);
        let result = range_test(&mut session, case);
        let run = &result.runs[0];
        let lrs = numbers(&case["lrs"]);
        if let Some(i) = mismatch(&result.lrs, &lrs, 1e-9) {
            failures.push(format!("{name}: lrs[{i}] = {:?}, library {:?}", result.lrs.get(i), lrs.get(i)));
        }
        let raw: Vec<f64> = run.losses.iter().map(|&l| l as f64).collect();
        let (want_raw, want_smoothed) = (numbers(&case["losses"]), numbers(&case["smoothed"]));
        if raw.len() != want_raw.len() {
            failures.push(format!("{name}: {} points recorded, library {}", raw.len(), want_raw.len()));
        }
        // The engine stops a run at its first non-finite loss (NaN after that; the library
        // trains on, its raw losses inf, then NaN): raw losses compare up to that point.
        let lowest = argmin_finite(&want_smoothed);
        let finite = want_raw.iter().position(|x| !x.is_finite()).map_or(want_raw.len(), |i| i + 1);
        // Adam's curves hold to 1e-5 all the way (the engine is within 7e-7 of torch, about
        // PyTorch's own spread: fused against single-tensor Adam 1e-7, f64 against f32 2e-7 on
        // tlf_adam_tanh_linear; 3e-5 .. 6e-5 while 1 - beta2 was rounded in f32); SGD's
        // divergent tails within 1e-2.
        let (head, tail_tol) = if case["optimizer"]["kind"] == "adam" { (0, 1e-5) } else { (lowest, 1e-2) };
        let mut check = |what: &str, got: &[f64], want: &[f64], end: usize| {
            if let Some(problem) = compare_curve(got, want, head, end, tail_tol) {
                failures.push(format!("{name}: {what}{problem}"));
            }
        };
        check("losses", &raw, &want_raw, finite);
        check("smoothed", &run.smoothed, &want_smoothed, want_smoothed.len());
        if run.stopped_at.is_some() != case["stopped_early"].as_bool().unwrap() {
            failures.push(format!(
                "{name}: stopped_at {:?}, library stopped early: {}",
                run.stopped_at, case["stopped_early"]
            ));
        }
        check_suggestions(name, &run.suggestions, &case["suggestions"], &mut failures);
        check_suggestions(name, &result.suggestions, &case["suggestions"], &mut failures);
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn curve_functions_match_on_the_recorded_curves() {
    let mut failures = Vec::new();
    for case in &cases() {
        let name = case["name"].as_str().unwrap();
        let smoothing = if case["library"] == "fastai" {
            Smoothing::Fastai { beta: 0.98 }
        } else {
            Smoothing::TorchLrFinder { smooth_f: case["options"]["smooth_f"].as_f64().unwrap() }
        };
        let smoothed = smooth_losses(&numbers(&case["losses"]), smoothing);
        if let Some(i) = mismatch(&smoothed, &numbers(&case["smoothed"]), 1e-6) {
            failures.push(format!(
                "{name}: smoothLosses[{i}] = {:?}, library {:?}",
                smoothed.get(i),
                case["smoothed"].get(i)
            ));
        }
        let num_it = case["options"]["num_it"].as_u64().unwrap();
        let got = suggest_all(&numbers(&case["lrs"]), &numbers(&case["smoothed"]), num_it);
        check_suggestions(name, &got, &case["suggestions"], &mut failures);
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_session_comes_back_bit_for_bit() {
    for case in cases().iter().filter(|c| c["stopped_early"] == true) {
        let (mut tested, mut untouched) = (session_for(case, 2, false), session_for(case, 2, false));
        // Some optimizer state (momentum buffers, Adam moments, step counts) to restore.
        for s in [&mut tested, &mut untouched] {
            pollster::block_on(s.step(3));
        }
        range_test(&mut tested, case);
        assert_eq!(tested.steps_taken(), 3);
        for r in 0..2 {
            assert_eq!(tested.params(r), untouched.params(r));
            assert_eq!(tested.status(r), untouched.status(r));
        }
        let (a, b) = (pollster::block_on(tested.step(5)), pollster::block_on(untouched.step(5)));
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a), bits(&b), "{}: training after the test differs", case["name"]);
        assert_eq!(bits(tested.params(0)), bits(untouched.params(0)));
    }
}

#[test]
fn seed_band_of_identical_runs_is_the_run() {
    let case = &cases()[0];
    let mut session = session_for(case, 3, false);
    let result = range_test(&mut session, case);
    let band = result.band.as_ref().unwrap();
    assert_eq!(band.median, result.runs[0].smoothed);
    assert_eq!(band.min, band.max);
    assert_eq!(result.suggestions, result.runs[0].suggestions);
    assert!(band.spread.iter().all(|(_, s)| s.decades.is_none_or(|d| d == 0.0)));
}

#[test]
fn lavapipe_gpu_range_test_equals_the_cpu_path() {
    let mut failures = Vec::new();
    for case in &cases() {
        let name = case["name"].as_str().unwrap();
        let cpu = range_test(&mut session_for(case, 2, false), case);
        let mut gpu_session = session_for(case, 2, true);
        let gpu = range_test(&mut gpu_session, case);
        assert_eq!(gpu_session.backend_name().0, "webgpu", "{name}: {:?}", gpu_session.fallback_reason());
        for (c, g) in cpu.runs.iter().zip(&gpu.runs) {
            let widen = |v: &[f32]| v.iter().map(|&x| x as f64).collect::<Vec<_>>();
            let (got, want) = (widen(&g.losses), widen(&c.losses));
            let end = want.iter().position(|x| !x.is_finite()).map_or(want.len(), |i| i + 1);
            if let Some(problem) = compare_curve(&got, &want, argmin_finite(&c.smoothed), end, 3e-2) {
                failures.push(format!("{name}: gpu losses{problem} (cpu)"));
            }
            if g.stopped_at != c.stopped_at {
                failures.push(format!("{name}: gpu stopped at {:?}, cpu {:?}", g.stopped_at, c.stopped_at));
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}
