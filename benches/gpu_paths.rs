//! The GPU trainer's two paths on the TARGETS.md reference network (MLP 2-16-16-2, ReLU,
//! softmax cross-entropy, SGD momentum 0.9, batch 32, a 2-class spiral of 512 points): the fused
//! kernel (as many steps per dispatch as fit lavapipe's loop limit, one invocation per run) against
//! the layered kernels (about ten dispatches per step), in run-steps per second and dispatches per
//! block, for R = 1 and R = 64 runs.
//!
//! `cargo bench --bench gpu_paths` runs criterion's groups (`gpu_paths/<path>/R<runs>`), then a
//! pass that times every (path, R) in turn, round after round (figures are only comparable within
//! one run), and prints one JSON line: `{"bench":"gpu_paths","adapter":..,"results":[{"path":..,
//! "runs":..,"run_steps_per_s":..,"dispatches_per_block":..}],"ratios":{"fused_vs_layered_R1":..}}`.
//! `GPU_PATHS_RUNS=1,64,256` picks the run counts; `GPU_PATHS_CRITERION=0` skips criterion.
//! Without a Vulkan adapter (lavapipe in CI) it prints a warning and nothing else.

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::time::{Duration, Instant};

    use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
    use lr_playground::data::{synthetic, SyntheticKind, SyntheticSpec};
    use lr_playground::engine::backend::gpu::train::{GpuTrainer, TrainPath};
    use lr_playground::engine::optimizer::{Optimizer, StepHyper};
    use lr_playground::engine::runs::{BlockPlan, Layout, TrainShape, STATE_SECTIONS};
    use lr_playground::gpu::Gpu;
    use lr_playground::limits::BLOCK_STEPS;
    use lr_playground::model::{Activation, Loss, Mlp};
    use serde_json::{json, Value};

    use crate::common::{criterion_on, interleaved_medians, round3};

    const ROUNDS: usize = 5;
    const BATCH: usize = 32;
    const POINTS: usize = 512;
    /// Blocks per measurement of the interleaved pass.
    const BLOCKS: usize = 4;

    /// One path at one run count, and the dispatches its last block took.
    struct Case {
        path: TrainPath,
        runs: usize,
        trainer: GpuTrainer,
        plan: BlockPlan,
        dispatches: usize,
    }

    impl Case {
        /// The wall time of `blocks` full blocks.
        fn time(&mut self, blocks: usize) -> Duration {
            let start = Instant::now();
            for _ in 0..blocks {
                let block = pollster::block_on(self.trainer.train_block(&self.plan)).expect("the block trains");
                self.dispatches = block.dispatches;
            }
            start.elapsed()
        }

        fn name(&self) -> String {
            format!("{}/R{}", path_name(self.path), self.runs)
        }
    }

    fn path_name(path: TrainPath) -> &'static str {
        match path {
            TrainPath::Fused => "fused",
            TrainPath::Layered => "layered",
        }
    }

    fn sgd() -> Optimizer {
        Optimizer::Sgd { momentum: 0.9, dampening: 0.0, nesterov: false, weight_decay: 0.0 }
    }

    /// A full block of the reference network's steps at a constant rate of 0.03, every run on
    /// the same batches (rows spread over the set), every step after the momentum buffer's first.
    fn plan(runs: usize) -> BlockPlan {
        let hyper = StepHyper { lr: 0.03, momentum: None };
        let updates = (0..BLOCK_STEPS * runs).map(|_| Some(sgd().coefficients(hyper, &mut 1))).collect();
        BlockPlan {
            steps: BLOCK_STEPS,
            batch: BATCH,
            row_sets: 1,
            rows: (0..(BLOCK_STEPS * BATCH) as u32).map(|k| k * 97 % POINTS as u32).collect(),
            takes_step: vec![true; BLOCK_STEPS * runs],
            updates,
            lowest_layer: 0,
            augmented: None,
        }
    }

    fn case(gpu: &Gpu, path: TrainPath, runs: usize) -> Case {
        let mlp = Mlp { layers: vec![2, 16, 16, 2], activation: Activation::Relu, loss: Loss::CrossEntropy };
        let layout = Layout::new(mlp, &[vec![0, 1, 2]]);
        let p = layout.mlp.param_count();
        // Small weights that differ by run: what matters here is the work, not the trajectory.
        let states: Vec<Vec<f32>> = (0..runs)
            .map(|r| {
                let mut state = vec![0.0; STATE_SECTIONS * p];
                for (i, w) in state[..p].iter_mut().enumerate() {
                    *w = ((i * 7 + r * 13) % 17) as f32 / 34.0 - 0.25;
                }
                state
            })
            .collect();
        let data = synthetic(&SyntheticSpec::new(SyntheticKind::Spiral, POINTS, 0.1, 0.0, 1)).train;
        let shape = TrainShape { batch: BATCH, row_sets: 1, augmented: false };
        let mut trainer =
            GpuTrainer::new(gpu.clone(), layout, sgd(), &data, shape, &states).expect("the reference network fits");
        assert!(trainer.set_path(path), "the reference network takes every path");
        Case { path, runs, trainer, plan: plan(runs), dispatches: 0 }
    }

    pub fn run() {
        let runs: Vec<usize> = std::env::var("GPU_PATHS_RUNS")
            .unwrap_or_else(|_| "1,64".into())
            .split(',')
            .map(|r| r.trim().parse().expect("GPU_PATHS_RUNS: comma-separated run counts"))
            .collect();
        let gpu = match pollster::block_on(Gpu::new()) {
            Ok(gpu) => gpu,
            Err(e) => return eprintln!("warning: no GPU adapter ({e}); nothing to measure"),
        };
        let mut cases: Vec<Case> = [TrainPath::Layered, TrainPath::Fused]
            .into_iter()
            .flat_map(|path| runs.iter().map(move |&r| (path, r)))
            .map(|(path, r)| case(&gpu, path, r))
            .collect();
        for case in &mut cases {
            case.time(1); // shader compilation, first buffers
        }

        if criterion_on("GPU_PATHS_CRITERION") {
            let mut criterion = Criterion::default()
                .configure_from_args()
                .sample_size(10)
                .warm_up_time(Duration::from_millis(200))
                .measurement_time(Duration::from_secs(1));
            for case in &mut cases {
                let mut group = criterion.benchmark_group(format!("gpu_paths/{}", path_name(case.path)));
                // One "element" per run-step: criterion prints run-steps per second.
                group.throughput(Throughput::Elements((BLOCK_STEPS * case.runs) as u64));
                group.sampling_mode(SamplingMode::Flat);
                group.bench_function(BenchmarkId::from_parameter(format!("R{}", case.runs)), |bencher| {
                    bencher.iter_custom(|count| (0..count).map(|_| case.time(1)).sum())
                });
                group.finish();
            }
            criterion.final_summary();
        }

        let medians = interleaved_medians(&mut cases, ROUNDS, |case| {
            (BLOCKS * BLOCK_STEPS * case.runs) as f64 / case.time(BLOCKS).as_secs_f64()
        });
        let figure = |path: TrainPath, r: usize| {
            cases.iter().zip(&medians).find(|(c, _)| c.path == path && c.runs == r).map(|(_, &m)| m)
        };
        let mut results = Vec::new();
        for (case, &m) in cases.iter().zip(&medians) {
            eprintln!("{:<12} {:>10.0} run-steps/s, {:>4} dispatches per block", case.name(), m, case.dispatches);
            results.push(json!({"path": path_name(case.path), "runs": case.runs,
                "run_steps_per_s": m.round(), "dispatches_per_block": case.dispatches}));
        }
        let mut ratios = serde_json::Map::new();
        for &r in &runs {
            if let (Some(fused), Some(layered)) = (figure(TrainPath::Fused, r), figure(TrainPath::Layered, r)) {
                ratios.insert(format!("fused_vs_layered_R{r}"), Value::from(round3(fused / layered)));
            }
        }
        let line = json!({"bench": "gpu_paths", "adapter": gpu.adapter_name, 
            "block_steps": BLOCK_STEPS, "rounds": ROUNDS, "results": results, "ratios": ratios});
        println!("{line}");
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::run();
}
