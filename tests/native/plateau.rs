//! The plateau race on the CPU path with its default network, data and schedules, over three seeds
//! and 600 steps (the default five seeds × 1500 steps take minutes in a debug build): the small
//! initialisation really sits on a plateau, and the figures each schedule gets.
//! `cargo test --test native plateau:: -- --nocapture` prints them.

use lr_playground::engine::Session;
use lr_playground::landscape::plateau::{self, RaceSpec, PLATEAU_WINDOW};
use pollster::block_on;
use serde_json::json;

fn run(spec: &RaceSpec) -> plateau::RaceResult {
    let mut session = Session::new(spec.session_options().unwrap().config);
    plateau::scale_initial(&mut session, spec.init_scale);
    let loss = block_on(plateau::race(&mut session, spec.steps, |_, _| true));
    plateau::measure(spec, loss)
}

#[test]
fn the_default_race_starts_on_a_plateau_and_reports_each_schedule() {
    let spec = RaceSpec::parse(&json!({"backend": "cpu", "seeds": 3, "steps": 600})).unwrap();
    let result = run(&spec);
    assert_eq!((result.steps, result.runs, result.seeds), (600, 15, 3));
    assert_eq!(result.loss.len(), 600 * 15);
    for s in &result.schedules {
        let mean = |from: usize, to: usize| {
            let runs = result.runs;
            let i = result.schedules.iter().position(|x| x.name == s.name).unwrap();
            let cols = i * spec.seeds..(i + 1) * spec.seeds;
            let v: Vec<f32> =
                (from..to).flat_map(|t| cols.clone().map(move |r| t * runs + r)).map(|k| result.loss[k]).collect();
            v.iter().sum::<f32>() / v.len() as f32
        };
        println!(
            "{:>12}: escape steps {:?}, median {:?}, q25 {:?}, q75 {:?}, escaped {}/{}; mean loss {:.3} (first {PLATEAU_WINDOW}), {:.3} (250-300), {:.3} (last 50)",
            s.name,
            s.escape_steps,
            s.median,
            s.q25,
            s.q75,
            s.escaped,
            spec.seeds,
            mean(0, PLATEAU_WINDOW),
            mean(250, 300),
            mean(550, 600),
        );
    }
    println!("plateau losses: {:?}", result.plateau_loss);
    // A plateau: every run starts at the uniform prediction's loss, ln 2 for two classes.
    for (r, p) in result.plateau_loss.iter().enumerate() {
        assert!((p - std::f32::consts::LN_2).abs() < 0.03, "run {r}: plateau loss {p}");
    }
    // Every run leaves it within the race, and the plateau is no instant: not before 50 steps.
    let first = |name: &str| result.schedules.iter().find(|s| s.name == name).unwrap();
    for s in &result.schedules {
        assert_eq!(s.escaped, spec.seeds, "{}: every seed escapes", s.name);
        assert!(s.escape_steps.iter().all(|e| e.unwrap() >= 50), "{}: {:?}", s.name, s.escape_steps);
    }
    // The time on a saddle plateau goes as 1 / rate: the small fixed rate is the slowest to leave.
    let slow = first("fixed 0.05").median.unwrap();
    assert!(result.schedules.iter().all(|s| s.median.unwrap() <= slow), "fixed 0.05 is last");
    assert!(first("fixed 0.5").median.unwrap() < 0.6 * slow);
}
