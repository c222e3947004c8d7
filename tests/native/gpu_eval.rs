//! The GPU evaluator (engine/backend/gpu/evaluate/evaluate.wgsl on lavapipe) against `cpu::evaluate`, point by point:
//! the reference network on a spiral, MSE on a regression set, NaN points, and budgets so small
//! that every call is cut into many rounds of points and chunks of rows.

use crate::support::gpu;
use lr_playground::data::{synthetic, Dataset, SyntheticKind, SyntheticSpec, Targets};
use lr_playground::engine::backend::cpu;
use lr_playground::engine::backend::gpu::{GpuEvaluator, PointEval};
use lr_playground::gpu::GpuError;
use lr_playground::model::{Activation, Loss, Mlp};
use lr_playground::rng::seeded;
use pollster::block_on;

fn set(kind: SyntheticKind) -> Dataset {
    synthetic(&SyntheticSpec::new(kind, 512, 0.1, 0.0, 1)).train
}

fn reference(activation: Activation) -> Mlp {
    Mlp { layers: vec![2, 16, 16, 2], activation, loss: Loss::CrossEntropy }
}

/// `count` points along a line of a landscape: θ + t·d, t in [-1, 1], θ and d initialisations.
fn points(mlp: &Mlp, count: usize) -> Vec<f32> {
    let (theta, direction) = (mlp.init(&mut seeded(11)), mlp.init(&mut seeded(12)));
    (0..count)
        .flat_map(|i| {
            let t = if count == 1 { 0.0 } else { 2.0 * i as f32 / (count - 1) as f32 - 1.0 };
            theta.iter().zip(&direction).map(move |(a, d)| a + t * d).collect::<Vec<_>>()
        })
        .collect()
}

fn on_cpu(mlp: &Mlp, set: &Dataset, point: &[f32]) -> PointEval {
    let (loss, correct) = cpu::evaluate(mlp, point, set);
    PointEval { loss, correct: correct.map(|c| c as u32) }
}

/// Every point's loss within 1e-5 relative of the CPU's, and the same correct predictions.
fn assert_matches_cpu(mlp: &Mlp, set: &Dataset, points: &[f32], got: &[PointEval], what: &str) {
    assert_sample_matches_cpu(mlp, set, points, got, 1, what);
}

/// As [`assert_matches_cpu`], for every `stride`-th point and the last.
fn assert_sample_matches_cpu(mlp: &Mlp, set: &Dataset, points: &[f32], got: &[PointEval], stride: usize, what: &str) {
    let p = mlp.param_count();
    assert_eq!(got.len(), points.len() / p, "{what}: one result a point");
    for i in (0..got.len()).step_by(stride).chain([got.len() - 1]) {
        let (g, c) = (got[i], on_cpu(mlp, set, &points[i * p..(i + 1) * p]));
        assert!((g.loss - c.loss).abs() <= 1e-5 * c.loss.abs(), "{what}: point {i}: GPU {g:?}, CPU {c:?}");
        assert_eq!(g.correct, c.correct, "{what}: point {i}: correct predictions");
    }
}

#[test]
fn the_reference_network_matches_the_cpu_for_1_7_and_2601_points() {
    let (gpu, spiral) = (gpu(), set(SyntheticKind::Spiral));
    for activation in [Activation::Relu, Activation::Tanh] {
        let mlp = reference(activation);
        let evaluator = GpuEvaluator::new(&gpu, &mlp, &spiral).unwrap();
        // 2601 points (a 51 × 51 landscape) in one call, checked at every 13th: the CPU loop over
        // all of them takes longer in a debug build than the rest of this file (the bench
        // `evaluate` checks every one).
        for (count, stride) in [(1, 1), (7, 1), (2601, 13)] {
            let points = points(&mlp, count);
            let got = block_on(evaluator.evaluate(&points)).unwrap();
            assert_sample_matches_cpu(
                &mlp,
                &spiral,
                &points,
                &got,
                stride,
                &format!("{} × {count}", activation.name()),
            );
        }
    }
}

#[test]
fn mse_on_regression_sets_matches_the_cpu() {
    let gpu = gpu();
    let plane = set(SyntheticKind::RegPlane);
    // Three outputs as well as one: the squared errors are averaged over rows × outputs.
    let Targets::Values { values, .. } = &plane.targets else { panic!("RegPlane has values") };
    let wide = Dataset {
        targets: Targets::Values { values: values.iter().flat_map(|&v| [v, -v, 0.5 * v]).collect(), outputs: 3 },
        ..plane.clone()
    };
    for (set, outputs) in [(&plane, 1), (&wide, 3)] {
        let mlp = Mlp { layers: vec![2, 16, 16, outputs], activation: Activation::Tanh, loss: Loss::Mse };
        let points = points(&mlp, 9);
        let got = block_on(GpuEvaluator::new(&gpu, &mlp, set).unwrap().evaluate(&points)).unwrap();
        assert!(got.iter().all(|e| e.correct.is_none()), "no accuracy for regression");
        assert_matches_cpu(&mlp, set, &points, &got, &format!("MSE, {outputs} outputs"));
    }
}

#[test]
fn a_nan_point_is_nan_and_leaves_the_others_alone() {
    let (gpu, spiral) = (gpu(), set(SyntheticKind::Spiral));
    let mlp = reference(Activation::Relu);
    let p = mlp.param_count();
    let evaluator = GpuEvaluator::new(&gpu, &mlp, &spiral).unwrap();
    let clean = points(&mlp, 7);
    let mut dirty = clean.clone();
    // A NaN in point 2's output bias, and one in point 5's first weight: under ReLU the CPU
    // loses that one (max(NaN, 0) is 0 there), a GPU need not; both are reported NaN.
    dirty[2 * p + p - 1] = f32::NAN;
    dirty[5 * p] = f32::NAN;
    let (got, before) = (block_on(evaluator.evaluate(&dirty)).unwrap(), block_on(evaluator.evaluate(&clean)).unwrap());
    for i in 0..7 {
        if i == 2 || i == 5 {
            assert!(got[i].loss.is_nan(), "point {i}: {:?}", got[i]);
            assert_eq!(got[i].correct, Some(0));
        } else {
            // The same bits as without the NaN points: nothing of theirs reached these.
            assert_eq!(got[i].loss.to_bits(), before[i].loss.to_bits(), "point {i}");
            assert_eq!(got[i].correct, before[i].correct, "point {i}");
        }
    }
    assert!(on_cpu(&mlp, &spiral, &dirty[2 * p..3 * p]).loss.is_nan(), "the CPU agrees on the output bias");
    assert_matches_cpu(&mlp, &spiral, &clean, &before, "the clean points");
}

#[test]
fn tiny_budgets_chunk_points_and_rows_and_agree() {
    let (gpu, spiral) = (gpu(), set(SyntheticKind::Spiral));
    let mlp = reference(Activation::Tanh);
    let reference = GpuEvaluator::new(&gpu, &mlp, &spiral).unwrap();
    // 16 KiB: 13 rounds of 2 points (the last 1), 8 chunks of 64 rows. 1416 bytes, exactly one
    // point's parameters: 7 rounds of 1 point, 47 chunks of 11 rows (the last 6). The unit
    // test `chunks_take_as_many_points_as_fit_then_rows` pins those numbers.
    for (budget, count) in [(16 << 10, 25), (1416, 7)] {
        let points = points(&mlp, count);
        let evaluator = GpuEvaluator::with_budget(&gpu, &mlp, &spiral, budget).unwrap();
        let got = block_on(evaluator.evaluate(&points)).unwrap();
        assert_matches_cpu(&mlp, &spiral, &points, &got, &format!("budget {budget}"));
        // Only the order of additions differs from one chunk: as close as to the CPU.
        let whole = block_on(reference.evaluate(&points)).unwrap();
        for (i, (g, w)) in got.iter().zip(&whole).enumerate() {
            assert!((g.loss - w.loss).abs() <= 1e-5 * w.loss, "budget {budget}, point {i}: {g:?} vs {w:?}");
            assert_eq!(g.correct, w.correct);
        }
    }
}

#[test]
fn what_cannot_fit_or_does_not_match_is_an_error() {
    let (gpu, spiral) = (gpu(), set(SyntheticKind::Spiral));
    let mlp = reference(Activation::Relu);
    // One point's 1416 bytes of parameters do not fit 1415.
    let err = GpuEvaluator::with_budget(&gpu, &mlp, &spiral, 1415).err().expect("too small a budget");
    assert!(matches!(err, GpuError::TooLarge(_)), "{err}");
    // The sums of more than budget / 8 points in one call do not fit either.
    let evaluator = GpuEvaluator::with_budget(&gpu, &mlp, &spiral, 16 << 10).unwrap();
    let err = block_on(evaluator.evaluate(&points(&mlp, 2049))).unwrap_err();
    assert_eq!(err.to_string(), "too large for this GPU: 2049 points in one call; at most 2048 fit here");
    let err = block_on(evaluator.evaluate(&[0.0; 10])).unwrap_err();
    assert_eq!(err.to_string(), "invalid GPU request: 10 values are not whole points of 354 parameters");
    assert_eq!(block_on(evaluator.evaluate(&[])).unwrap(), vec![]);
    // A set the network cannot read: the wrong number of features, or values for cross-entropy.
    let wide = Mlp { layers: vec![3, 4, 2], ..mlp.clone() };
    assert!(matches!(GpuEvaluator::new(&gpu, &wide, &spiral), Err(GpuError::Invalid(_))));
    let plane = set(SyntheticKind::RegPlane);
    assert!(matches!(GpuEvaluator::new(&gpu, &mlp, &plane), Err(GpuError::Invalid(_))));
}
