//! The LR range test, 100 steps × 8 seeds of the reference network (MLP 2-16-16-2, ReLU,
//! softmax cross-entropy, SGD momentum 0.9, batch 32, a 512-point spiral), fastai convention
//! with stop_div off so every run takes all 100 steps: `cargo bench --bench finder`. The CPU
//! path, and the GPU path on whatever Vulkan adapter wgpu finds (lavapipe in CI); prints one
//! JSON line with the median milliseconds of each. Includes the snapshot and the restore.

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::Criterion;
    use lr_playground::engine::Session;
    use lr_playground::finder::{self, FinderOptions};
    use lr_playground::gpu::Gpu;
    use serde_json::json;

    use crate::common::{median_ms, reference_session};

    const SEEDS: usize = 8;
    const ROUNDS: usize = 7;

    fn session() -> Session {
        reference_session("relu", 16, SEEDS)
    }

    fn range_test(session: &mut Session, options: &FinderOptions) {
        let result = pollster::block_on(finder::run(session, options, |_| true)).expect("the range test runs");
        assert_eq!(result.lrs.len(), 100);
    }

    pub fn run() {
        let options = FinderOptions::parse(&json!({"num_it": 100, "stop_div": false})).expect("valid finder options");
        let mut cpu = session();
        let mut criterion = Criterion::default().configure_from_args().sample_size(10);
        criterion.bench_function("finder/cpu/100x8", |b| b.iter(|| range_test(&mut cpu, &options)));
        criterion.final_summary();
        let cpu_ms = median_ms(ROUNDS, || range_test(&mut cpu, &options));
        let mut results = vec![json!({"backend": "cpu", "ms": cpu_ms})];
        let mut adapter = None;
        match pollster::block_on(Gpu::new()) {
            Ok(gpu) => {
                adapter = Some(gpu.adapter_name.clone());
                let mut on_gpu = session();
                on_gpu.use_gpu(gpu).expect("the reference network fits the adapter");
                results.push(json!({"backend": "gpu", "ms": median_ms(ROUNDS, || range_test(&mut on_gpu, &options))}));
            }
            Err(e) => eprintln!("no GPU adapter ({e}): CPU figure only"),
        }
        println!(
            "{}",
            json!({"bench": "finder", "steps": 100, "seeds": SEEDS, "adapter": adapter, "results": results})
        );
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::run();
}
