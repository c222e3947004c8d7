//! Forward-only evaluation of many parameter points, as a loss landscape needs them: 2601 points
//! (a 51 × 51 grid around one initialisation) of the reference network 2-16-16-2, ReLU and tanh,
//! softmax cross-entropy, on a 512-point spiral. The GPU evaluator (one call, one readback) on the
//! native adapter (lavapipe in CI) against the CPU loop over points (`cpu::evaluate` per point).
//!
//! `cargo bench --bench evaluate` runs criterion's `evaluate/<activation>/{gpu,cpu}`, then a pass
//! that alternates the two round by round (these machines are noisy: a comparison is only fair
//! within one run, interleaved) and prints one JSON line with the medians:
//! `{"bench":"evaluate","adapter":..,"points":2601,"rows":512,"rounds":..,"results":[{"activation":..,
//! "gpu_ms":..,"cpu_ms":..,"cpu_over_gpu":..}]}`. `EVALUATE_CRITERION=0` runs only that pass.

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::time::{Duration, Instant};

    use criterion::Criterion;
    use lr_playground::data::{synthetic, Dataset, SyntheticKind, SyntheticSpec};
    use lr_playground::engine::backend::cpu;
    use lr_playground::engine::backend::gpu::GpuEvaluator;
    use lr_playground::gpu::Gpu;
    use lr_playground::model::{Activation, Loss, Mlp};
    use lr_playground::rng::seeded;

    use crate::common::{criterion_on, median};

    const GRID: usize = 51;
    const ROUNDS: usize = 5;

    /// The grid `θ + a·d₁ + b·d₂`, a and b in [-1, 1], with θ, d₁ and d₂ three initialisations.
    fn grid(mlp: &Mlp) -> Vec<f32> {
        let [theta, d1, d2] = [1, 2, 3].map(|seed| mlp.init(&mut seeded(seed)));
        let steps: Vec<f32> = (0..GRID).map(|i| 2.0 * i as f32 / (GRID - 1) as f32 - 1.0).collect();
        let mut points = Vec::with_capacity(GRID * GRID * theta.len());
        for &a in &steps {
            for &b in &steps {
                points.extend(theta.iter().zip(&d1).zip(&d2).map(|((t, x), y)| t + a * x + b * y));
            }
        }
        points
    }

    fn cpu_loop(mlp: &Mlp, set: &Dataset, points: &[f32]) -> Vec<f32> {
        points.chunks_exact(mlp.param_count()).map(|p| cpu::evaluate(mlp, p, set).0).collect()
    }

    fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
        let start = Instant::now();
        let value = f();
        (value, start.elapsed())
    }

    pub fn run() {
        let gpu = pollster::block_on(Gpu::new()).expect("a GPU adapter (mesa-vulkan-drivers gives lavapipe)");
        eprintln!("adapter: {}", gpu.adapter_name);
        let spec = SyntheticSpec::new(SyntheticKind::Spiral, 512, 0.1, 0.0, 1);
        let set = synthetic(&spec).train;
        let criterion_on = criterion_on("EVALUATE_CRITERION");
        let mut criterion = Criterion::default().configure_from_args().sample_size(10);
        let mut results = Vec::new();
        for activation in [Activation::Relu, Activation::Tanh] {
            let mlp = Mlp { layers: vec![2, 16, 16, 2], activation, loss: Loss::CrossEntropy };
            let points = grid(&mlp);
            let evaluator = GpuEvaluator::new(&gpu, &mlp, &set).expect("the reference network fits");
            let gpu_eval = || pollster::block_on(evaluator.evaluate(&points)).expect("evaluation");
            // A benchmark of wrong results is worthless: the two must agree.
            let (on_gpu, on_cpu) = (gpu_eval(), cpu_loop(&mlp, &set, &points));
            for (i, (g, c)) in on_gpu.iter().zip(&on_cpu).enumerate() {
                assert!((g.loss - c).abs() <= 1e-5 * c.abs(), "point {i}: GPU {}, CPU {c}", g.loss);
            }

            let name = activation.name();
            if criterion_on {
                let mut group = criterion.benchmark_group(format!("evaluate/{name}"));
                group.measurement_time(Duration::from_secs(5));
                group.bench_function("gpu", |b| b.iter(gpu_eval));
                group.bench_function("cpu", |b| b.iter(|| cpu_loop(&mlp, &set, &points)));
                group.finish();
            }
            let mut rounds: [Vec<f64>; 2] = Default::default();
            for _ in 0..ROUNDS {
                rounds[0].push(time(gpu_eval).1.as_secs_f64() * 1e3);
                rounds[1].push(time(|| cpu_loop(&mlp, &set, &points)).1.as_secs_f64() * 1e3);
            }
            let [gpu_ms, cpu_ms] = rounds.map(median);
            eprintln!("{name}: GPU {gpu_ms:.1} ms, CPU {cpu_ms:.1} ms, CPU / GPU {:.2}", cpu_ms / gpu_ms);
            results.push(serde_json::json!({
                "activation": name, "gpu_ms": gpu_ms, "cpu_ms": cpu_ms, "cpu_over_gpu": cpu_ms / gpu_ms,
            }));
        }
        if criterion_on {
            criterion.final_summary();
        }
        let report = serde_json::json!({
            "bench": "evaluate", "adapter": gpu.adapter_name, "points": GRID * GRID, "rows": set.len(),
            "rounds": ROUNDS, "results": results,
        });
        println!("{report}");
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::run();
}
