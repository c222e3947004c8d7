//! Training throughput of the engine, in run-steps per second (steps × runs trained in lockstep),
//! on the TARGETS.md reference network: MLP 2-16-16-2, ReLU and tanh, softmax cross-entropy,
//! SGD momentum 0.9, batch 32, a 2-class spiral of 512 points, all of it for training.
//!
//! `cargo bench --bench training` runs criterion's groups (`training/<activation>/<backend>/R<runs>`),
//! then a pass that measures every (backend, R) in turn, round after round (these machines are
//! noisy: figures are only comparable within one run, interleaved), and prints one JSON line with
//! the median of each and the ratios (GPU R=256 and CPU R=64 against CPU R=1, GPU against CPU at
//! the same R): `{"bench":"training","adapter":..,"results":[{"activation":..,"backend":..,
//! "runs":..,"run_steps_per_s":..}],"ratios":{..}}`.
//!
//! Environment: `TRAINING_BACKENDS=cpu,gpu`, `TRAINING_RUNS=1,8,64,256`, `TRAINING_ACTIVATIONS=relu,tanh`
//! pick a subset, `TRAINING_HIDDEN=256` widens the hidden layers, `TRAINING_OPTIMIZER='{"kind":"adam"}'` (an optimizer as
//! in a session's options) replaces SGD momentum 0.9; `TRAINING_CRITERION=0` skips criterion and runs only the interleaved pass
//! (benches/compare_cpu.sh uses `TRAINING_BACKENDS=cpu TRAINING_RUNS=1,64 TRAINING_CRITERION=0`).
//!
//! The GPU path runs natively on whatever Vulkan adapter wgpu finds (lavapipe in CI); without one,
//! its figures are left out with a warning.

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::time::{Duration, Instant};

    use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
    use lr_playground::engine::Session;
    use lr_playground::gpu::Gpu;
    use lr_playground::limits::BLOCK_STEPS;
    use serde_json::{json, Value};

    use crate::common::{criterion_on, median, reference_session, round3};

    /// Rounds of the interleaved pass, and the least time one of its measurements should take.
    const ROUNDS: usize = 5;
    const MEASUREMENT: Duration = Duration::from_millis(200);
    /// The GPU path submits blocks of the engine's size: measure whole blocks.
    const GPU_BLOCK: u64 = BLOCK_STEPS as u64;

    fn list(name: &str, default: &str) -> Vec<String> {
        std::env::var(name)
            .unwrap_or_else(|_| default.into())
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// The reference network with `runs` runs; TRAINING_HIDDEN widens the two hidden layers
    /// (default 16, the reference network).
    fn session(activation: &str, runs: usize) -> Session {
        let hidden: usize = std::env::var("TRAINING_HIDDEN").ok().and_then(|h| h.parse().ok()).unwrap_or(16);
        reference_session(activation, hidden, runs)
    }

    struct Case {
        activation: String,
        backend: &'static str,
        runs: usize,
        session: Session,
        /// Steps per measurement of the interleaved pass.
        steps: u64,
    }

    impl Case {
        fn time(&mut self, steps: u64) -> Duration {
            let start = Instant::now();
            let losses = pollster::block_on(self.session.step(steps));
            let elapsed = start.elapsed();
            assert!(
                losses.iter().all(|l| l.is_finite()),
                "{}/{}/R{}: a run diverged",
                self.activation,
                self.backend,
                self.runs
            );
            if self.backend == "gpu" {
                assert_eq!(self.session.backend_name().0, "webgpu", "fell back: {:?}", self.session.fallback_reason());
            }
            elapsed
        }

        fn run_steps_per_s(&self, steps: u64, elapsed: Duration) -> f64 {
            (steps * self.runs as u64) as f64 / elapsed.as_secs_f64()
        }

        fn name(&self) -> String {
            format!("{}/{}/R{}", self.activation, self.backend, self.runs)
        }
    }

    pub fn run() {
        let backends = list("TRAINING_BACKENDS", "cpu,gpu");
        let runs: Vec<usize> = list("TRAINING_RUNS", "1,8,64,256")
            .iter()
            .map(|r| r.parse().expect("TRAINING_RUNS: comma-separated run counts"))
            .collect();
        let activations = list("TRAINING_ACTIVATIONS", "relu,tanh");
        let with_criterion = criterion_on("TRAINING_CRITERION");

        let mut adapter = None;
        let mut cases = Vec::new();
        for activation in &activations {
            for backend in &backends {
                for &r in &runs {
                    let mut session = session(activation, r);
                    let backend = match backend.as_str() {
                        "cpu" => "cpu",
                        "gpu" => match pollster::block_on(Gpu::new()) {
                            Ok(gpu) => {
                                adapter = Some(gpu.adapter_name.clone());
                                session.use_gpu(gpu).expect("the reference network fits the adapter");
                                "gpu"
                            }
                            Err(e) => {
                                eprintln!("warning: no GPU adapter ({e}); GPU figures left out");
                                continue;
                            }
                        },
                        other => panic!("TRAINING_BACKENDS: unknown backend {other:?} (cpu, gpu)"),
                    };
                    cases.push(Case { activation: activation.clone(), backend, runs: r, session, steps: 0 });
                }
            }
        }

        // Warm up (shader compilation, first buffers), then size each measurement from one timing.
        for case in &mut cases {
            let probe = if case.backend == "gpu" { GPU_BLOCK } else { 16 };
            case.time(probe);
            let once = case.time(probe).as_secs_f64() / probe as f64;
            let steps = (MEASUREMENT.as_secs_f64() / once).ceil() as u64;
            case.steps =
                if case.backend == "gpu" { steps.div_ceil(GPU_BLOCK).max(1) * GPU_BLOCK } else { steps.max(1) };
        }

        if with_criterion {
            let mut criterion = Criterion::default()
                .configure_from_args()
                .sample_size(10)
                .warm_up_time(Duration::from_millis(200))
                .measurement_time(Duration::from_secs(1));
            for case in &mut cases {
                let mut group = criterion.benchmark_group(format!("training/{}/{}", case.activation, case.backend));
                // One "element" per run-step: criterion prints run-steps per second.
                group.throughput(Throughput::Elements(case.steps * case.runs as u64));
                group.sampling_mode(SamplingMode::Flat);
                let steps = case.steps;
                group.bench_function(BenchmarkId::from_parameter(format!("R{}", case.runs)), |bencher| {
                    bencher.iter_custom(|count| (0..count).map(|_| case.time(steps)).sum())
                });
                group.finish();
            }
            criterion.final_summary();
        }

        // The reported figures: every case in turn, round after round, medians.
        let mut rounds = vec![Vec::new(); cases.len()];
        for _ in 0..ROUNDS {
            for (case, figures) in cases.iter_mut().zip(&mut rounds) {
                let elapsed = case.time(case.steps);
                figures.push(case.run_steps_per_s(case.steps, elapsed));
            }
        }
        let medians: Vec<f64> = rounds.into_iter().map(median).collect();
        let figure = |activation: &str, backend: &str, r: usize| {
            cases
                .iter()
                .zip(&medians)
                .find(|(c, _)| c.activation == activation && c.backend == backend && c.runs == r)
                .map(|(_, &m)| m)
        };
        let mut results = Vec::new();
        for (case, &m) in cases.iter().zip(&medians) {
            eprintln!("{:<20} {:>12.0} run-steps/s", case.name(), m);
            results.push(json!({"activation": case.activation, "backend": case.backend, "runs": case.runs, "run_steps_per_s": m.round()}));
        }
        let mut ratios = serde_json::Map::new();
        for activation in &activations {
            let Some(cpu1) = figure(activation, "cpu", 1) else { continue };
            let mut add = |name: String, value: Option<f64>| {
                if let Some(v) = value {
                    ratios.insert(name, Value::from(round3(v / cpu1)));
                }
            };
            add(format!("{activation}_gpu_R256_vs_cpu_R1"), figure(activation, "gpu", 256));
            add(format!("{activation}_cpu_R64_vs_cpu_R1"), figure(activation, "cpu", 64));
        }
        for activation in &activations {
            for &r in &runs {
                if let (Some(gpu), Some(cpu)) = (figure(activation, "gpu", r), figure(activation, "cpu", r)) {
                    ratios.insert(format!("{activation}_gpu_vs_cpu_R{r}"), Value::from(round3(gpu / cpu)));
                }
            }
        }
        let line =
            json!({"bench": "training", "adapter": adapter, "rounds": ROUNDS, "results": results, "ratios": ratios});
        println!("{line}");
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::run();
}
