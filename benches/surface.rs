//! Eight analytic trajectories × 1000 steps (the page's target: < 20 ms): Rosenbrock under SGD
//! momentum, Adam, AdamW, RMSprop and Adagrad, Beale and Himmelblau with cycling schedules, and
//! the plateau saddle with gradient noise, parsed and run as one `trajectories` call does:
//! `cargo bench --bench surface`. Prints one JSON line with the median milliseconds.

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use criterion::Criterion;
    use lr_playground::surface::TrajectorySpec;
    use serde_json::{json, Value};

    use crate::common::median_ms;

    const STEPS: u64 = 1000;
    const ROUNDS: usize = 15;

    fn specs() -> Value {
        let start = [-1.2, 1.0];
        let constant = |lr: f64| json!({"kind": "Constant", "lr": lr});
        json!([
            {"surface": "rosenbrock", "start": start, "optimizer": {"kind": "sgd", "momentum": 0.9}, "schedule": constant(1e-4), "steps": STEPS},
            {"surface": "rosenbrock", "start": start, "optimizer": {"kind": "adam"}, "schedule": constant(0.01), "steps": STEPS},
            {"surface": "rosenbrock", "start": start, "optimizer": {"kind": "adamw"}, "schedule": {"kind": "OneCycleLR", "max_lr": 0.05, "total_steps": STEPS}, "steps": STEPS},
            {"surface": "rosenbrock", "start": start, "optimizer": {"kind": "rmsprop", "centered": true}, "schedule": constant(1e-3), "steps": STEPS},
            {"surface": "rosenbrock", "start": start, "optimizer": {"kind": "adagrad"}, "schedule": constant(0.1), "steps": STEPS},
            {"surface": "beale", "start": [1.0, 1.5], "optimizer": {"kind": "sgd", "momentum": 0.9, "nesterov": true},
             "schedule": {"kind": "CyclicLR", "base_lr": 1e-4, "max_lr": 2e-3, "step_size_up": 50}, "steps": STEPS},
            {"surface": "himmelblau", "start": [0.0, 0.0], "optimizer": {"kind": "adam"},
             "schedule": {"kind": "CosineAnnealingWarmRestarts", "lr": 0.05, "T_0": 100}, "steps": STEPS},
            {"surface": "plateau_saddle", "start": [1.0, 0.05], "schedule": constant(0.05), "steps": STEPS, "noise": 0.01, "seed": 1},
        ])
    }

    fn run_all(specs: &Value) -> usize {
        let parsed = TrajectorySpec::parse_list(specs).expect("the bench specs are valid");
        parsed.iter().map(|s| black_box(s.run()).x.len()).sum()
    }

    pub fn run() {
        let specs = specs();
        assert_eq!(run_all(&specs), 8 * (STEPS as usize + 1), "every trajectory takes all its steps");
        let mut criterion = Criterion::default().configure_from_args().sample_size(20);
        criterion.bench_function("surface/8x1000", |b| b.iter(|| run_all(&specs)));
        criterion.final_summary();
        let ms = median_ms(ROUNDS, || {
            run_all(&specs);
        });
        println!("{}", json!({"bench": "surface", "trajectories": 8, "steps": STEPS, "ms": ms}));
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::run();
}
