//! GFLOP/s of the tiled WGSL matmul against the naive one, square sizes, on the native adapter
//! (lavapipe in CI, a real GPU where there is one).
//!
//! `cargo bench --bench matmul` runs, for each size, criterion's benchmarks `matmul/<n>/naive`
//! and `matmul/<n>/tiled`, then a pass that alternates the two kernels round by round (these
//! machines are noisy: a comparison is only fair within one run, interleaved), and at the end
//! prints one JSON line with the medians of that pass:
//! `{"bench":"matmul","adapter":..,"tile":..,"rounds":..,"results":[{"n":..,"naive_gflops":..,"tiled_gflops":..,"ratio":..}]}`.
//! `MATMUL_SIZES=512,2048` picks other sizes.
//!
//! Every measurement records K dispatches of a product whose operands already live on the GPU
//! into one command encoder, submits it and blocks until the GPU is done: the time is the
//! kernels' own, with no uploads or readbacks, and one CPU–GPU round trip per K dispatches.

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
#[path = "matmul/kernel.rs"]
mod matmul;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::time::{Duration, Instant};

    use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
    use lr_playground::gpu::Gpu;

    use crate::common::{median, round3};
    use crate::matmul::{matmul_cpu, MatmulKernel, MatmulKind, PreparedMatmul};

    /// Rounds of the alternating pass, and the least time one of its measurements should take.
    const ROUNDS: usize = 5;
    const MEASUREMENT: Duration = Duration::from_millis(250);
    /// Criterion takes at least 10 samples: a kernel slower than this per dispatch (naive 1024³
    /// on lavapipe) is measured by the alternating pass only, to keep the run to minutes.
    const CRITERION_MOST_PER_DISPATCH: Duration = Duration::from_secs(1);

    fn sizes() -> Vec<usize> {
        match std::env::var("MATMUL_SIZES") {
            Ok(list) => {
                list.split(',').map(|s| s.trim().parse().expect("MATMUL_SIZES: comma-separated sizes")).collect()
            }
            Err(_) => vec![128, 256, 512, 1024],
        }
    }

    fn values(len: usize, seed: usize) -> Vec<f32> {
        (0..len).map(|i| ((i * 7919 + seed * 104_729) % 2003) as f32 / 1001.5 - 1.0).collect()
    }

    /// Records `count` dispatches into one encoder, submits, and waits for the GPU to finish.
    fn time_dispatches(gpu: &Gpu, product: &PreparedMatmul, count: u64) -> Duration {
        let start = Instant::now();
        let mut encoder = gpu.device.create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        for _ in 0..count {
            product.dispatch(&mut encoder);
        }
        gpu.queue.submit([encoder.finish()]);
        // Blocks until every submitted command has run: the queue's work is done when this returns.
        gpu.device.poll(wgpu::PollType::wait_indefinitely()).expect("the device was lost");
        start.elapsed()
    }

    fn gflops(product: &PreparedMatmul, count: u64, elapsed: Duration) -> f64 {
        (product.flops() * count) as f64 / elapsed.as_secs_f64() / 1e9
    }

    pub fn run() {
        let gpu = pollster::block_on(Gpu::new()).expect("a GPU adapter (mesa-vulkan-drivers gives lavapipe)");
        let naive = MatmulKernel::naive(&gpu);
        let tiled = MatmulKernel::tiled(&gpu).expect("a tile shape that fits the adapter");
        let MatmulKind::Tiled(tile) = tiled.kind() else { unreachable!("tiled() builds the tiled kernel") };
        eprintln!("adapter: {}, tile: {tile}", gpu.adapter_name);

        let mut criterion =
            Criterion::default().configure_from_args().sample_size(10).warm_up_time(Duration::from_millis(200));
        let mut summary = Vec::new();
        for n in sizes() {
            let (a, b) = (values(n * n, 1), values(n * n, 2));
            let products =
                [&naive, &tiled].map(|kernel| kernel.prepare(&gpu, &a, &b, n, n, n).expect("fits the adapter"));
            // One timed dispatch each: a warm-up, and the measure of how many dispatches to time.
            let once = products.each_ref().map(|product| time_dispatches(&gpu, product, 1));
            // A benchmark of a wrong kernel is worthless: check both against the CPU (small sizes).
            if n <= 256 {
                let expected = matmul_cpu(&a, &b, n, n, n);
                for product in &products {
                    let c = pollster::block_on(product.read(&gpu)).expect("readback");
                    let worst = c.iter().zip(&expected).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max);
                    assert!(worst <= 1e-5 * n as f32, "{n}: GPU and CPU differ by {worst}");
                }
            }

            let mut group = criterion.benchmark_group(format!("matmul/{n}"));
            // Throughput in "elements" of one FLOP each: criterion then prints FLOP/s.
            group.throughput(Throughput::Elements(products[0].flops()));
            // Flat sampling: the same number of dispatches in every sample, which suits kernels
            // that take from a millisecond to seconds.
            group.sampling_mode(SamplingMode::Flat);
            for ((name, product), once) in ["naive", "tiled"].iter().zip(&products).zip(once) {
                if once > CRITERION_MOST_PER_DISPATCH {
                    eprintln!(
                        "matmul/{n}/{name}: {:.1} s per dispatch, measured by the alternating pass only",
                        once.as_secs_f64()
                    );
                    continue;
                }
                // Time for the 10 samples, and a little over.
                group.measurement_time((12 * once).max(Duration::from_millis(500)));
                group.bench_function(BenchmarkId::from_parameter(name), |bencher| {
                    bencher.iter_custom(|count| time_dispatches(&gpu, product, count))
                });
            }
            group.finish();

            // The reported figures: both kernels alternately, round by round, in one run.
            let counts = once.map(|once| (MEASUREMENT.as_secs_f64() / once.as_secs_f64()).ceil().max(1.0) as u64);
            let mut rounds: [Vec<f64>; 2] = Default::default();
            for _ in 0..ROUNDS {
                for (i, product) in products.iter().enumerate() {
                    rounds[i].push(gflops(product, counts[i], time_dispatches(&gpu, product, counts[i])));
                }
            }
            let [naive_gflops, tiled_gflops] = rounds.map(median);
            let ratio = tiled_gflops / naive_gflops;
            eprintln!("{n}³: naive {naive_gflops:.2} GFLOP/s, tiled {tiled_gflops:.2} GFLOP/s, {ratio:.2}x");
            summary.push(format!(
                r#"{{"n":{n},"naive_gflops":{},"tiled_gflops":{},"ratio":{}}}"#,
                round3(naive_gflops),
                round3(tiled_gflops),
                round3(ratio)
            ));
        }
        criterion.final_summary();
        // Written by hand to keep the keys in this order; the strings go through serde_json for escaping.
        println!(
            r#"{{"bench":"matmul","adapter":{},"tile":{},"rounds":{ROUNDS},"results":[{}]}}"#,
            serde_json::Value::from(gpu.adapter_name.as_str()),
            serde_json::Value::from(tile.to_string()),
            summary.join(",")
        );
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::run();
}
