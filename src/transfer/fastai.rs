//! fastai 2.8's per-group training methods as plans: `fit_one_cycle` (a number or a slice for
//! `lr_max`, optionally after `freeze_to(k)`), `fine_tune` and `fit_sgdr`.
//!
//! fastai gives every parameter group its own schedule, `combined_cos(pct_start, lr_max/div,
//! lr_max, lr_max/div_final)` with that group's `lr_max`: the same curve scaled, so one phase
//! whose schedule peaks at the largest group rate, with each group's rate as a multiplier of it,
//! gives the same values. The momentum schedule is the same for every group.

use serde_json::json;

use super::rates::{group_rates, Slice};
use super::{multipliers, Method, PlanPhase, METHOD, N_GROUPS};
use crate::limits::MAX_PLAN_GROUPS;
pub(super) use crate::schedule::fastai::STEPS_PER_EPOCH;
use crate::schedule::fastai::{CYCLE_LEN, CYCLE_MULT, DIV, DIV_FINAL, MOMS, N_CYCLES, N_EPOCH, ONE_CYCLE_PCT_START};
use crate::spec::{check_number, Field, Preset, Reader, SpecError};

const LR_MAX: Field = Field::float(
    "lr_max",
    0.0,
    100.0,
    "Peak rate: a number for every group, {slice: [lo, hi]} (fastai's even_mults) or {slice: [null, hi]} (hi/10 below the last group)",
)
.min_open()
.log()
.default(Preset::Float(1e-3));
/// fit_one_cycle's defaults, for the arguments fine_tune leaves to it.
const DEFAULT_DIV: f64 = 25.0;
const DEFAULT_DIV_FINAL: f64 = 1e5;
const DEFAULT_MOMS: [f64; 3] = [0.95, 0.85, 0.95];
const FREEZE_TO: Field = Field {
    min: -(MAX_PLAN_GROUPS as f64),
    ..Field::int(
        "freeze_to",
        0,
        MAX_PLAN_GROUPS - 1,
        "Freeze groups 0..k-1 first (fastai's freeze_to; a negative k counts from the end); none: every group trains",
    )
    .default(Preset::Null)
};

/// What `fit_one_cycle` needs besides the rates and the frozen groups.
struct OneCycle {
    n_epoch: u64,
    steps_per_epoch: u64,
    div: f64,
    div_final: f64,
    pct_start: f64,
    moms: Vec<f64>,
}

impl OneCycle {
    /// `after_freeze_to`: fastai called `freeze_to` (`freeze`, `unfreeze`) just before, which
    /// clears the optimizer state (`Learner.freeze_to` → `opt.clear_state()`).
    fn phase(&self, rates: &[f64], frozen: Vec<bool>, after_freeze_to: bool) -> PlanPhase {
        let (top, group_lr_mult) = multipliers(rates);
        let schedule = json!({
            "kind": "fit_one_cycle",
            "n_epoch": self.n_epoch,
            "steps_per_epoch": self.steps_per_epoch,
            "lr_max": top,
            "div": self.div,
            "div_final": self.div_final,
            "pct_start": self.pct_start,
            "moms": self.moms,
        });
        let steps = self.n_epoch * self.steps_per_epoch;
        PlanPhase { steps, schedule, group_lr_mult, frozen, reset_optimizer: after_freeze_to }
    }
}

/// fastai's `freeze_to(k)`: groups `0..k` (`0..n+k` for a negative `k`) stop training; `None`
/// when no `freeze_to` is given.
fn frozen_below(r: &Reader, n_groups: usize) -> Result<Option<Vec<bool>>, SpecError> {
    let Some(value) = r.given(&FREEZE_TO).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let n = n_groups as i64;
    let out_of_range = || {
        r.error(
            &FREEZE_TO,
            format!(
                "must be an integer in [{}, {}] for {n_groups} groups (freeze_to(k) freezes groups 0..k-1; negative counts from the end), got {}",
                -n,
                n - 1,
                crate::spec::describe_value(value)
            ),
        )
    };
    let k = check_number(&FREEZE_TO, value).map_err(|_| out_of_range())? as i64;
    if k < -n || k >= n {
        return Err(out_of_range());
    }
    let frozen = if k < 0 { n + k } else { k };
    Ok(Some((0..n).map(|g| g < frozen).collect()))
}

fn build_fit_one_cycle(r: &Reader, n_groups: usize) -> Result<Vec<PlanPhase>, SpecError> {
    let rates = group_rates(&LR_MAX, r.given(&LR_MAX), n_groups)?;
    let frozen = frozen_below(r, n_groups)?;
    let after_freeze_to = frozen.is_some();
    let frozen = frozen.unwrap_or_else(|| vec![false; n_groups]);
    let cycle = OneCycle {
        n_epoch: r.int(&N_EPOCH)?,
        steps_per_epoch: r.int(&STEPS_PER_EPOCH)?,
        div: r.float(&DIV)?,
        div_final: r.float(&DIV_FINAL)?,
        pct_start: r.float(&ONE_CYCLE_PCT_START)?,
        moms: r.float_list(&MOMS)?,
    };
    Ok(vec![cycle.phase(&rates, frozen, after_freeze_to)])
}

pub(super) const FIT_ONE_CYCLE: Method = Method {
    name: "fit_one_cycle",
    description: "fastai fit_one_cycle over the groups: one cosine cycle per group at its own peak (a slice spreads them), momentum mirrored; freeze_to freezes the lowest groups first.",
    fields: &[METHOD, N_GROUPS, STEPS_PER_EPOCH, N_EPOCH, LR_MAX, DIV, DIV_FINAL, ONE_CYCLE_PCT_START, MOMS, FREEZE_TO],
    sets_momentum: true,
    build: build_fit_one_cycle,
};

const EPOCHS: Field = Field::int("epochs", 1, 1_000_000, "Epochs with every group unfrozen").example(Preset::Int(5));
const BASE_LR: Field = Field::float("base_lr", 0.0, 100.0, "The top group's peak rate while frozen (halved after)")
    .min_open()
    .log()
    .default(Preset::Float(2e-3));
const FREEZE_EPOCHS: Field =
    Field::int("freeze_epochs", 0, 1_000_000, "Epochs training only the last group first").default(Preset::Int(1));
const LR_MULT: Field =
    Field::float("lr_mult", 0.0, 1e6, "Unfrozen, the first group's peak is the last group's / lr_mult")
        .min_open()
        .log()
        .default(Preset::Float(100.0));
const FINE_TUNE_PCT_START: Field =
    Field::float("pct_start", 0.0, 1.0, "Fraction of the unfrozen epochs spent warming up")
        .min_open()
        .default(Preset::Float(0.3));
const FINE_TUNE_DIV: Field = Field::float("div", 0.0, 1e9, "Unfrozen, each group starts at its peak / div")
    .min_open()
    .log()
    .default(Preset::Float(5.0));

/// fastai's `fine_tune`: `freeze()`, `fit_one_cycle(freeze_epochs, slice(base_lr), pct_start=0.99)`,
/// `base_lr /= 2`, `unfreeze()`, `fit_one_cycle(epochs, slice(base_lr/lr_mult, base_lr),
/// pct_start=pct_start, div=div)`; every other argument at fit_one_cycle's default.
///
/// `freeze()` and `unfreeze()` are `Learner.freeze_to(-1)` and `freeze_to(0)`, and each clears the
/// optimizer state (`opt.clear_state()`: Adam's moments and step count), so both phases reset it:
/// the second (after training) as fastai does, the first to no effect on a fresh run.
fn build_fine_tune(r: &Reader, n_groups: usize) -> Result<Vec<PlanPhase>, SpecError> {
    if n_groups < 2 {
        return Err(r.error(
            &N_GROUPS,
            format!("must be an integer in [2, {MAX_PLAN_GROUPS}] for fine_tune, which freezes every group but the last, got {n_groups}"),
        ));
    }
    let (epochs, freeze_epochs, steps_per_epoch) = (r.int(&EPOCHS)?, r.int(&FREEZE_EPOCHS)?, r.int(&STEPS_PER_EPOCH)?);
    let (base_lr, lr_mult) = (r.float(&BASE_LR)?, r.float(&LR_MULT)?);
    let (pct_start, div) = (r.float(&FINE_TUNE_PCT_START)?, r.float(&FINE_TUNE_DIV)?);
    // Every other argument of fit_one_cycle at fastai's default.
    let (one_cycle_div, div_final, moms) = (DEFAULT_DIV, DEFAULT_DIV_FINAL, DEFAULT_MOMS.to_vec());
    let mut phases = Vec::new();
    if freeze_epochs > 0 {
        let frozen = (0..n_groups).map(|g| g + 1 < n_groups).collect();
        let cycle = OneCycle {
            n_epoch: freeze_epochs,
            steps_per_epoch,
            div: one_cycle_div,
            div_final,
            pct_start: 0.99,
            moms: moms.clone(),
        };
        phases.push(cycle.phase(&Slice { lo: None, hi: base_lr }.rates(n_groups), frozen, true));
    }
    let base_lr = base_lr / 2.0;
    let rates = Slice { lo: Some(base_lr / lr_mult), hi: base_lr }.rates(n_groups);
    let cycle = OneCycle { n_epoch: epochs, steps_per_epoch, div, div_final, pct_start, moms };
    phases.push(cycle.phase(&rates, vec![false; n_groups], true));
    Ok(phases)
}

pub(super) const FINE_TUNE: Method = Method {
    name: "fine_tune",
    description: "fastai fine_tune: freeze_epochs training the last group (one-cycle, pct_start 0.99), then every group unfrozen with discriminative rates from base_lr/2/lr_mult to base_lr/2.",
    fields: &[
        METHOD,
        N_GROUPS,
        STEPS_PER_EPOCH,
        EPOCHS,
        BASE_LR,
        FREEZE_EPOCHS,
        LR_MULT,
        FINE_TUNE_PCT_START,
        FINE_TUNE_DIV,
    ],
    sets_momentum: true,
    build: build_fine_tune,
};

/// fastai's `fit_sgdr`: cycles of `cycle_len · cycle_mult^i` epochs, each a cosine from every
/// group's `lr_max` to 0; the momentum stays the optimizer's. It calls no `freeze_to` and keeps
/// the optimizer state (fastai's `reset_opt=False`).
fn build_fit_sgdr(r: &Reader, n_groups: usize) -> Result<Vec<PlanPhase>, SpecError> {
    let (n_cycles, cycle_len, cycle_mult) = (r.int(&N_CYCLES)?, r.int(&CYCLE_LEN)?, r.int(&CYCLE_MULT)?);
    let steps_per_epoch = r.int(&STEPS_PER_EPOCH)?;
    let rates = group_rates(&LR_MAX, r.given(&LR_MAX), n_groups)?;
    let epochs = (0..n_cycles)
        .map(|i| cycle_len.saturating_mul(cycle_mult.saturating_pow(i as u32)))
        .fold(0u64, u64::saturating_add);
    let (top, group_lr_mult) = multipliers(&rates);
    let schedule = json!({
        "kind": "fit_sgdr",
        "n_cycles": n_cycles,
        "cycle_len": cycle_len,
        "steps_per_epoch": steps_per_epoch,
        "lr_max": top,
        "cycle_mult": cycle_mult,
    });
    let steps = epochs.saturating_mul(steps_per_epoch);
    Ok(vec![PlanPhase { steps, schedule, group_lr_mult, frozen: vec![false; n_groups], reset_optimizer: false }])
}

pub(super) const FIT_SGDR: Method = Method {
    name: "fit_sgdr",
    description: "fastai fit_sgdr over the groups: n_cycles cosine cycles from each group's lr_max to 0, each cycle_mult times longer.",
    fields: &[METHOD, N_GROUPS, STEPS_PER_EPOCH, N_CYCLES, CYCLE_LEN, LR_MAX, CYCLE_MULT],
    sets_momentum: false,
    build: build_fit_sgdr,
};

#[cfg(test)]
mod tests {
    use super::super::tests::{err, plan};
    use serde_json::json;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs()
    }

    #[test]
    fn a_slice_gives_each_group_its_own_cycle() {
        let p = plan(json!({"method": "fit_one_cycle", "n_groups": 3, "steps_per_epoch": 10, "n_epoch": 2,
            "lr_max": {"slice": [1e-4, 1e-2]}, "pct_start": 0.25}));
        assert_eq!((p.steps, p.n_groups, p.lr.len()), (20, 3, 60));
        // Step 5 is the peak (pct_start · 20): each group at its own lr_max.
        let peak = &p.lr[5 * 3..6 * 3];
        assert!(close(peak[0], 1e-4) && close(peak[1], 1e-3) && close(peak[2], 1e-2), "{peak:?}");
        // Step 0 is lr_max / div for every group.
        assert!(close(p.lr[0], 1e-4 / 25.0) && close(p.lr[2], 1e-2 / 25.0));
        assert!((p.momentum[5 * 3] - 0.85).abs() < 1e-7 && p.momentum[0] == 0.95);
        assert!(p.trainable.iter().all(|&t| t));
        assert_eq!(p.phases[0]["group_lr_mult"][2], json!(1.0));
        assert_eq!(p.phases[0]["schedule"]["lr_max"], json!(1e-2));
    }

    #[test]
    fn freeze_to_counts_from_either_end() {
        let frozen = |k: i64| {
            let p = plan(
                json!({"method": "fit_one_cycle", "n_groups": 4, "steps_per_epoch": 2, "n_epoch": 1, "freeze_to": k}),
            );
            p.trainable[..4].iter().map(|t| !t).collect::<Vec<_>>()
        };
        assert_eq!(frozen(0), [false, false, false, false]);
        assert_eq!(frozen(2), [true, true, false, false]);
        assert_eq!(frozen(3), [true, true, true, false]);
        assert_eq!(frozen(-1), [true, true, true, false]);
        assert_eq!(frozen(-4), [false, false, false, false]);
        // Learner.freeze_to clears the optimizer state; without it, fit_one_cycle keeps it.
        let resets = |spec: serde_json::Value| plan(spec).phases[0]["reset_optimizer"].clone();
        let one_cycle = json!({"method": "fit_one_cycle", "n_groups": 4, "steps_per_epoch": 2, "n_epoch": 1});
        assert_eq!(resets(one_cycle.clone()), json!(false));
        let mut after_freeze_to = one_cycle;
        after_freeze_to["freeze_to"] = json!(0);
        assert_eq!(resets(after_freeze_to), json!(true));
        let e =
            err(json!({"method": "fit_one_cycle", "n_groups": 3, "steps_per_epoch": 2, "n_epoch": 1, "freeze_to": 3}));
        assert_eq!(e.field, "freeze_to");
        assert_eq!(
            e.to_string(),
            "freeze_to: must be an integer in [-3, 2] for 3 groups (freeze_to(k) freezes groups 0..k-1; negative counts from the end), got 3"
        );
        let e = err(
            json!({"method": "fit_one_cycle", "n_groups": 3, "steps_per_epoch": 2, "n_epoch": 1, "freeze_to": 0.5}),
        );
        assert!(e.to_string().ends_with("got 0.5"), "{e}");
    }

    #[test]
    fn fine_tune_trains_the_last_group_then_all_at_half_the_rate() {
        let p = plan(json!({"method": "fine_tune", "n_groups": 2, "steps_per_epoch": 10, "epochs": 1}));
        assert_eq!(p.steps, 20);
        // Frozen phase: slice(2e-3) = [2e-4, 2e-3], peak at pct 0.99, from lr/25.
        assert!(close(p.lr[0], 2e-4 / 25.0) && close(p.lr[1], 2e-3 / 25.0));
        assert_eq!(&p.trainable[..2], [false, true]);
        // Unfrozen: slice(1e-3/100, 1e-3), div 5, peak at step 10 + 3.
        let t = 10 * 2;
        assert!(close(p.lr[t], 1e-5 / 5.0) && close(p.lr[t + 1], 1e-3 / 5.0), "{:?}", &p.lr[t..t + 2]);
        assert!(close(p.lr[t + 6], 1e-5) && close(p.lr[t + 7], 1e-3));
        assert_eq!(&p.trainable[t..t + 2], [true, true]);
        // freeze() and unfreeze() both clear fastai's optimizer state.
        let resets: Vec<&serde_json::Value> = p.phases.iter().map(|phase| &phase["reset_optimizer"]).collect();
        assert_eq!(resets, [&json!(true), &json!(true)]);
        let no_freeze =
            plan(json!({"method": "fine_tune", "n_groups": 2, "steps_per_epoch": 10, "epochs": 1, "freeze_epochs": 0}));
        assert_eq!((no_freeze.steps, no_freeze.phases.len()), (10, 1));
        assert_eq!(no_freeze.lr[..], p.lr[20..]);
        assert_eq!(no_freeze.phases[0]["reset_optimizer"], json!(true), "unfreeze() runs all the same");
        assert_eq!(
            err(json!({"method": "fine_tune", "n_groups": 1, "steps_per_epoch": 10, "epochs": 1})).to_string(),
            "n_groups: must be an integer in [2, 16] for fine_tune, which freezes every group but the last, got 1"
        );
        assert_eq!(
            err(json!({"method": "fine_tune", "n_groups": 2, "steps_per_epoch": 10})).to_string(),
            "epochs: is required: an integer in [1, 1000000]"
        );
        assert_eq!(
            err(json!({"method": "fine_tune", "n_groups": 2, "steps_per_epoch": 10, "epochs": 1, "lr_max": 0.1})).to_string(),
            "lr_max: unknown field (allowed: method, n_groups, steps_per_epoch, epochs, base_lr, freeze_epochs, lr_mult, pct_start, div)"
        );
    }

    #[test]
    fn fine_tune_leaves_fit_one_cycle_defaults_as_the_schedule_defines_them() {
        use super::{DEFAULT_DIV, DEFAULT_DIV_FINAL, DEFAULT_MOMS, DIV, DIV_FINAL, MOMS};
        use crate::spec::Preset;
        assert_eq!(DIV.default, Some(Preset::Float(DEFAULT_DIV)));
        assert_eq!(DIV_FINAL.default, Some(Preset::Float(DEFAULT_DIV_FINAL)));
        assert_eq!(MOMS.default, Some(Preset::FloatList(&DEFAULT_MOMS)));
    }

    #[test]
    fn sgdr_restarts_every_group_and_leaves_momentum_alone() {
        let p = plan(json!({"method": "fit_sgdr", "n_groups": 2, "steps_per_epoch": 4, "n_cycles": 2, "cycle_len": 1,
            "lr_max": {"slice": [null, 0.1]}}));
        assert_eq!(p.steps, 12);
        assert_eq!((p.lr[0], p.lr[1]), (0.01, 0.1));
        assert_eq!((p.lr[8], p.lr[9]), (0.01, 0.1), "the second cycle starts at step 4");
        assert!(p.lr[7] < 0.02 && p.momentum.iter().all(|m| m.is_nan()));
        assert_eq!(p.phases[0]["reset_optimizer"], json!(false), "fit_sgdr keeps the optimizer state");
        let e = err(
            json!({"method": "fit_sgdr", "n_groups": 2, "steps_per_epoch": 4, "n_cycles": 30, "cycle_len": 1, "cycle_mult": 10}),
        );
        assert_eq!(e.field, "steps_per_epoch");
    }
}
