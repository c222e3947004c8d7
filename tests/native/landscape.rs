//! The network's loss landscape and a training path's PCA plane, through the engine: grid
//! values against direct evaluations, the GPU evaluator (lavapipe) against the CPU path, the
//! centre against `evaluate()`, and the sizes refused by name.

use lr_playground::engine::{options, EvalSet, Session};
use lr_playground::landscape::{self, LandscapeOptions, TrajectoryOptions};
use pollster::block_on;
use serde_json::{json, Value};

fn session(layers: Value, gpu: bool) -> Session {
    let options = json!({
        "backend": "cpu", "layers": layers, "activation": "tanh", "optimizer": {"kind": "sgd", "momentum": 0.9},
        "data": {"kind": "spiral", "n": 200, "noise": 0.1, "validation_fraction": 0.25, "seed": 3}, "batch_size": 16,
        "runs": [{"seed": 1, "schedule": {"kind": "Constant", "lr": 0.05}}, {"seed": 2, "schedule": {"kind": "Constant", "lr": 0.05}}],
    });
    let mut s = Session::new(options::parse(&options).unwrap().config);
    if gpu {
        s.use_gpu(crate::support::gpu()).unwrap();
        assert_eq!(s.backend_name().0, "webgpu");
    }
    s
}

fn landscape_of(s: &mut Session, options: Value) -> landscape::Landscape {
    let options = LandscapeOptions::parse(&options, s.run_count()).unwrap();
    let prepared = landscape::prepare_landscape(s, &options).unwrap();
    block_on(prepared.evaluate(s))
}

/// The loss of one parameter point on `set`, evaluated on its own.
fn loss_at(s: &mut Session, point: &[f32], set: EvalSet) -> f32 {
    block_on(s.evaluate_params(point, set))[0].loss
}

/// θ + x·d1 + y·d2, as the landscape builds it.
fn point(theta: &[f32], d: &[Vec<f32>; 2], x: f64, y: f64) -> Vec<f32> {
    theta.iter().zip(&d[0]).zip(&d[1]).map(|((t, a), b)| t + x as f32 * a + y as f32 * b).collect()
}

#[test]
fn landscape_points_are_the_run_moved_along_two_directions() {
    let mut s = session(json!([2, 12, 12, 2]), false);
    block_on(s.step(40));
    let theta = s.params(1).to_vec();
    let l = landscape_of(&mut s, json!({"run": 1, "grid": 7, "span": 0.8, "seed": 5}));
    assert_eq!((l.grid, l.coords.len(), l.values.loss.len()), (7, 7, 49));
    assert_eq!((l.coords[0], l.coords[3], l.coords[6]), (-0.8, 0.0, 0.8));
    assert_eq!(l.set, EvalSet::Validation, "validation by default");
    assert_eq!(l.center_loss, s.evaluate(1).validation_loss, "the centre is the run itself");
    assert_eq!(l.values.accuracy.as_ref().map(Vec::len), Some(49));
    // Row-major [j][i], i along the first direction.
    for (i, j) in [(0, 0), (6, 0), (0, 6), (2, 5), (6, 6)] {
        let want = loss_at(&mut s, &point(&theta, &l.directions, l.coords[i], l.coords[j]), EvalSet::Validation);
        assert_eq!(l.values.loss[j * 7 + i], want, "point ({i}, {j})");
    }
    // A landscape does not move the run, and the same seed gives the same plane.
    assert_eq!(s.params(1), &theta[..]);
    assert_eq!(landscape_of(&mut s, json!({"run": 1, "grid": 7, "span": 0.8, "seed": 5})), l);
    let other = landscape_of(&mut s, json!({"run": 1, "grid": 7, "span": 0.8, "seed": 6}));
    assert_ne!(other.directions, l.directions);
    assert!(l.values.loss.iter().all(|v| v.is_finite()));
}

#[test]
fn lavapipe_grid_matches_the_cpu_path() {
    let (mut cpu, mut gpu) = (session(json!([2, 16, 16, 2]), false), session(json!([2, 16, 16, 2]), true));
    // The same parameters on both (training itself rounds differently on the two backends).
    block_on(cpu.step(30));
    gpu.set_params(0, cpu.params(0));
    for set in ["train", "validation"] {
        let options = json!({"grid": 9, "span": 1.5, "seed": 2, "set": set, "biases": true});
        let (a, b) = (landscape_of(&mut cpu, options.clone()), landscape_of(&mut gpu, options));
        assert!(a.directions == b.directions, "the same directions");
        for (k, (x, y)) in a.values.loss.iter().zip(&b.values.loss).enumerate() {
            assert!((x - y).abs() <= 1e-4 * x.abs(), "{set} point {k}: CPU {x}, GPU {y}");
        }
        let (ca, cb) = (a.values.accuracy.unwrap(), b.values.accuracy.unwrap());
        let differing = ca.iter().zip(&cb).filter(|(x, y)| (*x - *y).abs() > 1e-6).count();
        assert!(differing <= 2, "{set}: accuracy differs at {differing} points (ties at the boundary aside)");
        let e = gpu.evaluate(0);
        let want = if set == "train" { e.train_loss } else { e.validation_loss };
        assert!((b.center_loss - want).abs() <= 1e-4 * want, "{set}: the centre on the GPU is evaluate()'s loss");
    }
}

#[test]
fn a_grid_too_large_to_evaluate_is_refused_by_name() {
    // 2-64-64-64-2: 8642 parameters; 45² of them is more than 2^24 values, 43² is not.
    let s = session(json!([2, 64, 64, 64, 2]), false);
    let e = landscape::prepare_landscape(&s, &LandscapeOptions::parse(&json!({"grid": 51}), 2).unwrap()).err().unwrap();
    assert_eq!(e.field, "grid");
    assert_eq!(
        e.to_string(),
        "grid: must be at most 43 for this network and data set (more would be too much work or memory to run at once), got 51"
    );
    assert!(landscape::prepare_landscape(&s, &LandscapeOptions::parse(&json!({"grid": 43}), 2).unwrap()).is_ok());
}

fn project(s: &mut Session, snapshots: &[Vec<f32>], options: Value) -> landscape::Projection {
    let options = TrajectoryOptions::parse(&options).unwrap();
    let prepared = landscape::prepare_projection(s, snapshots, &options).unwrap();
    block_on(prepared.evaluate(s))
}

#[test]
fn a_training_path_projects_onto_its_pca_plane() {
    let mut s = session(json!([2, 12, 12, 2]), false);
    let mut snapshots = vec![s.params(0).to_vec()];
    for _ in 0..20 {
        block_on(s.step(10));
        snapshots.push(s.params(0).to_vec());
    }
    let p = project(&mut s, &snapshots, json!({"grid": 5, "margin": 0.5}));
    assert_eq!((p.path.x.len(), p.path.y.len(), p.values.loss.len()), (21, 21, 25));
    assert!(p.path.x[20].abs() < 1e-9 && p.path.y[20].abs() < 1e-9, "θ_final is the origin");
    assert!(p.path.x[0] < 0.0, "the path runs towards +x");
    let [r1, r2] = p.path.explained;
    assert!(r1 >= r2 && r2 > 0.0 && r1 + r2 <= 1.0 + 1e-9, "{r1} {r2}");
    let (x, y) = (p.x_range, p.y_range);
    let xmin = p.path.x.iter().cloned().fold(f64::INFINITY, f64::min);
    let width = (p.path.x.iter().cloned().fold(f64::NEG_INFINITY, f64::max) - xmin).max(
        p.path.y.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
            - p.path.y.iter().cloned().fold(f64::INFINITY, f64::min),
    );
    assert!((x[0] - (xmin - 0.5 * width)).abs() < 1e-9, "{x:?}");
    assert!(y[0] < y[1]);
    // Corner and middle grid points against direct evaluations around θ_final.
    let theta = snapshots[20].clone();
    let at = |i: usize, r: [f64; 2]| r[0] + (r[1] - r[0]) * i as f64 / 4.0;
    for (i, j) in [(0, 0), (4, 0), (2, 3), (4, 4)] {
        let want = loss_at(&mut s, &point(&theta, &p.path.directions, at(i, x), at(j, y)), EvalSet::Validation);
        assert!((p.values.loss[j * 5 + i] - want).abs() <= 1e-6 * want, "point ({i}, {j})");
    }
}

#[test]
fn a_straight_path_through_the_session_has_one_axis() {
    let mut s = session(json!([2, 12, 12, 2]), false);
    let theta = s.params(0).to_vec();
    let v: Vec<f32> = (0..theta.len()).map(|k| ((k * 37 % 11) as f32 - 5.0) / 20.0).collect();
    let snapshots: Vec<Vec<f32>> =
        (0..8).map(|i| theta.iter().zip(&v).map(|(t, d)| t + (7 - i) as f32 / 7.0 * d).collect()).collect();
    let p = project(&mut s, &snapshots, json!({"grid": 3, "set": "train"}));
    assert!(p.path.explained[0] > 1.0 - 1e-5, "{:?}", p.path.explained);
    assert!(p.path.y.iter().all(|y| y.abs() < 1e-4), "{:?}", p.path.y);
    let norm = v.iter().map(|x| (x * x) as f64).sum::<f64>().sqrt();
    assert!((p.path.x[0] + norm).abs() < 1e-4 * norm, "x_0 = -‖v‖: {} vs {norm}", p.path.x[0]);
    assert_eq!(p.set, EvalSet::Train);
}

#[test]
fn snapshots_are_checked_by_index() {
    let s = session(json!([2, 12, 12, 2]), false);
    let theta = s.params(0).to_vec();
    let options = TrajectoryOptions::parse(&Value::Null).unwrap();
    let err = |snapshots: Vec<Vec<f32>>| landscape::prepare_projection(&s, &snapshots, &options).err().unwrap();
    let e = err(vec![theta.clone()]);
    assert_eq!(e.to_string(), "params: must list 2 to 1000 snapshots, got 1");
    let mut short = theta.clone();
    short.pop();
    let e = err(vec![theta.clone(), theta.clone(), theta.clone(), short]);
    assert_eq!(
        (e.field.as_str(), e.message.as_str()),
        ("params[3]", "must have 218 values (this network's parameters), got 217")
    );
    let mut bad = theta.clone();
    bad[7] = f32::NAN;
    assert_eq!(err(vec![bad, theta.clone()]).to_string(), "params[0]: must be finite, got NaN at index 7");
    assert_eq!(err(vec![theta.clone(), theta.clone()]).field, "params", "no path");
}

#[test]
fn a_path_too_long_for_its_network_is_refused_with_the_most_snapshots_that_fit() {
    // 2-64-64-2: 4482 parameters; the Gram matrix of 979 snapshots is more than 2^32 multiply-adds.
    let s = session(json!([2, 64, 64, 2]), false);
    let snapshots = vec![s.params(0).to_vec(); 1000];
    let options = TrajectoryOptions::parse(&Value::Null).unwrap();
    let e = landscape::prepare_projection(&s, &snapshots, &options).err().unwrap();
    assert_eq!(
        e.to_string(),
        "params: must list at most 978 snapshots for this network (more would be too much work to run at once), got 1000"
    );
}
