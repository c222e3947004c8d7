//! fastai's precompute=True on the CPU path: MLP 2-64-64-64-3 (tanh, Adam, batch 32, a 3-arm
//! spiral of 2048 training rows), four runs with their two lowest groups frozen, trained with
//! `precompute` on and off: `cargo bench --bench precompute`. Criterion times 100 steps of
//! sessions already warm; the reported figures are medians of fresh sessions training 300
//! steps (the one-off pass over the training rows included), interleaved on vs off, printed
//! as one JSON line with the speed-up.

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::time::Instant;

    use criterion::Criterion;
    use lr_playground::engine::{options, Session};
    use serde_json::json;

    use crate::common::{median, round_to};

    const RUNS: usize = 4;
    const STEPS: u64 = 300;
    const ROUNDS: usize = 7;

    fn session(precompute: bool) -> Session {
        let spec = json!({
            "backend": "cpu", "precompute": precompute,
            "layers": [2, 64, 64, 64, 3], "activation": "tanh", "optimizer": {"kind": "adam"}, "batch_size": 32,
            "groups": [[0], [1], [2], [3]],
            "data": {"kind": "spiral", "arms": 3, "n": 2048, "noise": 0.1, "validation_fraction": 0.0, "seed": 1},
            "runs": (0..RUNS).map(|seed| json!({
                "seed": seed, "schedule": {"kind": "Constant", "lr": 0.01}, "frozen": [true, true, false, false],
            })).collect::<Vec<_>>(),
        });
        Session::new(options::parse(&spec).expect("the bench options are valid").config)
    }

    fn fresh_ms(precompute: bool) -> (f64, Vec<f32>) {
        let mut s = session(precompute);
        let start = Instant::now();
        pollster::block_on(s.step(STEPS));
        (start.elapsed().as_secs_f64() * 1e3, s.params(0).to_vec())
    }

    pub fn run() {
        let mut criterion = Criterion::default().configure_from_args().sample_size(10);
        for precompute in [true, false] {
            let mut warm = session(precompute);
            pollster::block_on(warm.step(1));
            let name = format!("precompute/{}/cpu/R{RUNS}x100", if precompute { "on" } else { "off" });
            criterion.bench_function(&name, |b| b.iter(|| pollster::block_on(warm.step(100))));
        }
        criterion.final_summary();

        let (mut on, mut off) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let (on_ms, on_params) = fresh_ms(true);
            let (off_ms, off_params) = fresh_ms(false);
            assert_eq!(on_params, off_params, "precompute changes no result");
            on.push(on_ms);
            off.push(off_ms);
        }
        let (on, off) = (median(on), median(off));
        let line = json!({
            "bench": "precompute", "network": "2-64-64-64-3", "frozen_groups": 2, "runs": RUNS, "steps": STEPS,
            "rounds": ROUNDS, "on_ms": round_to(on, 1), "off_ms": round_to(off, 1),
            "speedup": round_to(off / on, 2),
        });
        println!("{line}");
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::run();
}
