//! Every schedule kind against PyTorch / fastai at every step, natively.

use lr_playground::schedule::Schedule;

use crate::fixtures;

#[test]
fn schedules_match_pytorch_and_fastai_at_every_step() {
    let (failures, cases) = fixtures::check_all(|spec, steps| {
        let s = Schedule::from_spec(spec).map_err(|e| e.to_string())?;
        let samples = s.sample(steps).map_err(|e| e.to_string())?;
        Ok((samples.lr, samples.momentum))
    });
    assert!(cases >= 30, "only {cases} fixture cases");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}
