//! ULMFiT's classifier fine-tuning (Howard & Ruder, "Universal Language Model Fine-tuning for
//! Text Classification", 2018, §3.2 and §3.3): gradual unfreezing, discriminative rates and
//! slanted triangular rates together.
//!
//! - Gradual unfreezing: epoch `e` (from 0) trains the top `e + 1` groups; from epoch
//!   `n_groups - 1` on, every group trains.
//! - Discriminative fine-tuning (eq. 2 and the paper's `η^{l-1} = η^l / 2.6`): group `l` trains
//!   at the top group's rate / `factor^(n-1-l)`.
//! - STLR (eq. 3) over the whole run, as the paper defines it: `T` is the number of training
//!   iterations, epochs × updates per epoch; `cut = ⌊T · cut_frac⌋`; `p = t / cut` below the cut,
//!   `1 - (t - cut) / (cut · (1/cut_frac - 1))` from it; `η_t = η_max · (1 + p · (ratio - 1)) / ratio`.
//!   Where `T · cut_frac` is not whole, eq. 3's decay reaches `p = 0` before `T` and would go on
//!   below `η_max / ratio` (to negative rates for large ratios); the plan holds `p` at 0 there.
//!
//! The paper trains on through every unfreezing with one optimizer (its STLR spans the whole run),
//! so no phase resets the optimizer state.
//!
//! The rate is piecewise linear in `t`, so the phases are linear pieces (PyTorch's `LinearLR`)
//! split where the frozen groups change, at the cut, and where the decay reaches `p = 0`.

use serde_json::{json, Value};

use super::{Method, PlanPhase, METHOD, N_GROUPS};
use crate::schedule::fastai::STEPS_PER_EPOCH;
use crate::schedule::slanted::{CUT_FRAC, RATIO};
use crate::spec::{fmt_num, Field, Preset, Reader, SpecError};

const EPOCHS: Field = Field::int(
    "epochs",
    1,
    1_000_000,
    "Epochs in all; one more group trains each epoch (default: n_groups, the last epoch trains every group)",
)
.default(Preset::Null);
const LR_MAX: Field = Field::float("lr_max", 0.0, 100.0, "The top group's peak rate (η_max)")
    .min_open()
    .log()
    .default(Preset::Float(0.01));
const FACTOR: Field =
    Field::float("factor", 1.0, 100.0, "Each group's rate is the next group's / factor (ULMFiT: 2.6)")
        .log()
        .default(Preset::Float(2.6));

/// Eq. 3 on the whole run.
#[derive(Clone, Copy)]
struct Stlr {
    lr_max: f64,
    cut: f64,
    cut_frac: f64,
    ratio: f64,
}

impl Stlr {
    /// `p` on the rising (`t < cut`) or the falling line, unclamped.
    fn p(&self, t: f64, rising: bool) -> f64 {
        if rising {
            t / self.cut
        } else {
            1.0 - (t - self.cut) / (self.cut * (1.0 / self.cut_frac - 1.0))
        }
    }

    fn rate(&self, p: f64) -> f64 {
        self.lr_max * (1.0 + p * (self.ratio - 1.0)) / self.ratio
    }

    /// The rate at step `t` as the plan gives it (`p` held at 0 once the decay reaches it).
    fn at(&self, t: u64) -> f64 {
        let t = t as f64;
        self.rate(self.p(t, t < self.cut).max(0.0))
    }

    /// The first step at which the decay has reached `p = 0`.
    fn floor_step(&self) -> u64 {
        (self.cut / self.cut_frac).ceil() as u64
    }
}

/// A schedule giving `stlr`'s rates at steps `a..b` counted from 0, where they lie on one line.
fn piece(stlr: &Stlr, a: u64, b: u64) -> Value {
    let (first, last) = (stlr.at(a), stlr.at(b - 1));
    if b - a == 1 || first == last {
        return json!({"kind": "Constant", "lr": first});
    }
    let lr = first.max(last);
    json!({"kind": "LinearLR", "lr": lr, "start_factor": first / lr, "end_factor": last / lr, "total_iters": b - a - 1})
}

fn build(r: &Reader, n_groups: usize) -> Result<Vec<PlanPhase>, SpecError> {
    let steps_per_epoch = r.int(&STEPS_PER_EPOCH)?;
    let epochs = r.optional_int(&EPOCHS)?.unwrap_or(n_groups as u64);
    let total = epochs.saturating_mul(steps_per_epoch);
    let cut_frac = r.float(&CUT_FRAC)?;
    let cut = (total as f64 * cut_frac).floor();
    if cut < 1.0 || cut_frac >= 1.0 {
        return Err(r.error(
            &CUT_FRAC,
            format!(
                "must be in (0, 1) and at least 1/{total}, so that the rise takes at least one of the {total} steps ({epochs} epochs of {steps_per_epoch}), got {}",
                fmt_num(cut_frac)
            ),
        ));
    }
    let (lr_max, ratio, factor) = (r.float(&LR_MAX)?, r.float(&RATIO)?, r.float(&FACTOR)?);
    let stlr = Stlr { lr_max, cut, cut_frac, ratio };
    // Where the frozen groups change, the line changes, or the rate reaches its floor.
    let unfreezing = (1..epochs.min(n_groups as u64)).map(|e| e * steps_per_epoch);
    let mut bounds: Vec<u64> =
        unfreezing.chain([cut as u64, stlr.floor_step(), total]).filter(|&b| b > 0 && b <= total).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let group_lr_mult: Vec<f64> = (0..n_groups).map(|l| libm::pow(factor, -((n_groups - 1 - l) as f64))).collect();
    let mut start = 0;
    let phases = bounds
        .into_iter()
        .map(|end| {
            let epoch = start / steps_per_epoch;
            let frozen = (0..n_groups as u64).map(|l| l + 1 + epoch < n_groups as u64).collect();
            let phase = PlanPhase {
                steps: end - start,
                schedule: piece(&stlr, start, end),
                group_lr_mult: group_lr_mult.clone(),
                frozen,
                // The paper keeps one optimizer and one STLR over the whole run.
                reset_optimizer: false,
            };
            start = end;
            phase
        })
        .collect();
    Ok(phases)
}

pub(super) const GRADUAL_UNFREEZING: Method = Method {
    name: "gradual_unfreezing",
    description: "ULMFiT (Howard & Ruder 2018): one more group unfrozen each epoch from the top, each group at the next one's rate / factor, slanted triangular rates over the whole run.",
    fields: &[METHOD, N_GROUPS, STEPS_PER_EPOCH, EPOCHS, LR_MAX, FACTOR, CUT_FRAC, RATIO],
    sets_momentum: false,
    build,
};

#[cfg(test)]
mod tests {
    use super::super::tests::{err, plan};
    use serde_json::json;

    /// Howard & Ruder's eq. 3, written out as the paper gives it.
    fn eq3(t: f64, total: f64, cut_frac: f64, ratio: f64, lr_max: f64) -> f64 {
        let cut = (total * cut_frac).floor();
        let p = if t < cut { t / cut } else { 1.0 - (t - cut) / (cut * (1.0 / cut_frac - 1.0)) };
        lr_max * (1.0 + p * (ratio - 1.0)) / ratio
    }

    #[test]
    fn each_epoch_unfreezes_the_next_group_down() {
        let p = plan(json!({"method": "gradual_unfreezing", "n_groups": 3, "steps_per_epoch": 10}));
        assert_eq!(p.steps, 30, "n_groups epochs by default");
        let trainable = |t: usize| p.trainable[t * 3..t * 3 + 3].to_vec();
        assert_eq!(trainable(0), [false, false, true]);
        assert_eq!(trainable(9), [false, false, true]);
        assert_eq!(trainable(10), [false, true, true]);
        assert_eq!(trainable(20), [true, true, true]);
        assert_eq!(trainable(29), [true, true, true]);
        let p = plan(json!({"method": "gradual_unfreezing", "n_groups": 2, "steps_per_epoch": 10, "epochs": 4}));
        assert!(p.trainable[10 * 2..].iter().all(|&t| t), "every group trains after n_groups - 1 epochs");
        assert!(p.phases.iter().all(|phase| phase["reset_optimizer"] == json!(false)), "one optimizer throughout");
    }

    #[test]
    fn rates_follow_eq_3_over_the_whole_run_divided_by_factor_per_group() {
        // T = 40, cut_frac 0.1: cut = 4, T · cut_frac whole, so eq. 3 ends at η_max / ratio.
        let p = plan(json!({"method": "gradual_unfreezing", "n_groups": 4, "steps_per_epoch": 10, "lr_max": 0.01}));
        for t in 0..40 {
            let top = eq3(t as f64, 40.0, 0.1, 32.0, 0.01);
            for l in 0..4 {
                let want = top / 2.6f64.powi(3 - l as i32);
                let got = p.lr[t * 4 + l];
                assert!((got - want).abs() <= 1e-12 * want, "t={t} l={l}: {got} vs {want}");
            }
        }
        assert!((p.lr[4 * 4 + 3] - 0.01).abs() < 1e-15, "the peak is at the cut");
        assert!(p.momentum.iter().all(|m| m.is_nan()), "the optimizer keeps its momentum");
    }

    #[test]
    fn one_group_for_one_epoch_is_the_slanted_triangular_schedule() {
        let p = plan(json!({"method": "gradual_unfreezing", "n_groups": 1, "steps_per_epoch": 50, "epochs": 1,
            "lr_max": 0.02, "cut_frac": 0.2, "ratio": 10}));
        let spec =
            json!({"kind": "SlantedTriangular", "lr_max": 0.02, "total_steps": 50, "cut_frac": 0.2, "ratio": 10});
        let stlr = crate::schedule::Schedule::from_spec(&spec).unwrap();
        for t in 0..50 {
            let want = stlr.lr_at(t).unwrap();
            assert!((p.lr[t as usize] - want).abs() <= 1e-12 * want, "t={t}: {} vs {want}", p.lr[t as usize]);
        }
    }

    #[test]
    fn the_rate_holds_at_its_floor_where_eq_3_would_overshoot() {
        // T = 95: cut = 9, eq. 3 reaches p = 0 at t = 90 and would go negative after.
        let spec = json!({"method": "gradual_unfreezing", "n_groups": 1, "steps_per_epoch": 95, "epochs": 1,
            "lr_max": 1.0, "ratio": 32});
        let p = plan(spec);
        for t in 0..90 {
            let want = eq3(t as f64, 95.0, 0.1, 32.0, 1.0);
            assert!((p.lr[t] - want).abs() <= 1e-12 * want, "t={t}: {} vs {want}", p.lr[t]);
        }
        assert!(eq3(94.0, 95.0, 0.1, 32.0, 1.0) < 0.0, "eq. 3 itself turns negative here");
        assert!(p.lr[90..].iter().all(|&lr| (lr - 1.0 / 32.0).abs() < 1e-15), "{:?}", &p.lr[88..]);
    }

    #[test]
    fn too_short_a_run_for_its_cut_is_refused() {
        let e = err(json!({"method": "gradual_unfreezing", "n_groups": 2, "steps_per_epoch": 2}));
        assert_eq!(
            e.to_string(),
            "cut_frac: must be in (0, 1) and at least 1/4, so that the rise takes at least one of the 4 steps (2 epochs of 2), got 0.1"
        );
        let e = err(json!({"method": "gradual_unfreezing", "n_groups": 2, "steps_per_epoch": 20, "factor": 0.5}));
        assert_eq!(e.to_string(), "factor: must be a finite number in [1, 100], got 0.5");
    }
}
