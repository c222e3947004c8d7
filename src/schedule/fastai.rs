//! fastai's `fit_one_cycle`, `fit_sgdr` and `fit_flat_cos`, as their `ParamScheduler` sets the
//! optimizer's hyper-parameters before each training batch.
//!
//! fastai evaluates `combine_scheds` on float32 tensors: the phase boundaries are a float32
//! `cumsum`, and the position within a phase is a float32 subtraction and division. We do the
//! same arithmetic in `f32` so the values agree with fastai's to float64 rounding.

use std::f64::consts::PI;

use super::{Curve, Kind, Library};
use crate::limits::MAX_STEP;
use crate::spec::{fmt_num, Field, Preset, Reader, SpecError};

/// fastai's `SchedCos(start, end)` at `pos` in [0, 1].
fn sched_cos(start: f64, end: f64, pos: f64) -> f64 {
    start + (1.0 + (PI * (1.0 - pos)).cos()) * (end - start) / 2.0
}

/// fastai's `combine_scheds(pcts, [SchedCos(start, end), ...])`.
struct CombinedCos {
    /// Phase boundaries: 0, then the float32 running sum of the phase fractions.
    bounds: Vec<f32>,
    /// (start, end) of each phase's cosine.
    legs: Vec<(f64, f64)>,
}

impl CombinedCos {
    fn new(pcts: &[f64], legs: Vec<(f64, f64)>) -> Self {
        let mut bounds = vec![0f32];
        for &p in pcts {
            let last = bounds[bounds.len() - 1];
            bounds.push(last + p as f32);
        }
        Self { bounds, legs }
    }

    fn at(&self, pos: f64) -> f64 {
        let pos = pos as f32;
        // The last boundary at or below pos, never past the last phase.
        let last_phase = self.bounds.len() - 2;
        let idx = self.bounds.iter().rposition(|&b| pos >= b).unwrap_or(0).min(last_phase);
        let actual_pos = (pos - self.bounds[idx]) / (self.bounds[idx + 1] - self.bounds[idx]);
        let (start, end) = self.legs[idx];
        sched_cos(start, end, actual_pos as f64)
    }
}

/// A fastai schedule over `total` training batches; the position is `t / total`, as fastai's `pct_train`.
struct FastaiSchedule {
    total: u64,
    lr: CombinedCos,
    momentum: Option<CombinedCos>,
}

impl FastaiSchedule {
    fn pos(&self, t: u64) -> f64 {
        t as f64 / self.total as f64
    }
}

impl Curve for FastaiSchedule {
    fn lr(&self, t: u64) -> f64 {
        self.lr.at(self.pos(t))
    }

    fn momentum(&self, t: u64) -> Option<f64> {
        self.momentum.as_ref().map(|m| m.at(self.pos(t)))
    }

    fn last_step(&self) -> Option<u64> {
        Some(self.total - 1)
    }
}

pub(crate) const N_EPOCH: Field = Field::int("n_epoch", 1, 1_000_000, "Epochs to train").example(Preset::Int(5));
pub(crate) const STEPS_PER_EPOCH: Field =
    Field::int("steps_per_epoch", 1, 1_000_000, "Training batches per epoch").example(Preset::Int(100));
const LR_MAX: Field =
    Field::float("lr_max", 0.0, 100.0, "Peak learning rate").min_open().log().default(Preset::Float(1e-3));
pub(crate) const DIV: Field =
    Field::float("div", 0.0, 1e9, "Start at lr_max / div").min_open().log().default(Preset::Float(25.0));
pub(crate) const DIV_FINAL: Field =
    Field::float("div_final", 0.0, 1e12, "End at lr_max / div_final").min_open().log().default(Preset::Float(1e5));
pub(crate) const ONE_CYCLE_PCT_START: Field =
    Field::float("pct_start", 0.0, 1.0, "Fraction of training spent warming up")
        .min_open()
        .default(Preset::Float(0.25));
pub(crate) const MOMS: Field = Field::float_list("moms", 0.0, 1.0, "Momentum at the start, the peak rate, and the end")
    .default(Preset::FloatList(&[0.95, 0.85, 0.95]));

/// `n_epoch × steps_per_epoch`, bounded so every step index stays valid.
fn total_batches(r: &Reader, epochs: u64) -> Result<u64, SpecError> {
    let total = epochs.saturating_mul(r.int(&STEPS_PER_EPOCH)?);
    if total > MAX_STEP {
        return Err(r.error(&STEPS_PER_EPOCH, format!("gives {total} batches in all; at most {MAX_STEP} are allowed")));
    }
    Ok(total)
}

/// `pct_start` where fastai needs both phases non-empty.
fn check_split(r: &Reader, field: &Field, pct: f64) -> Result<f64, SpecError> {
    if pct >= 1.0 {
        return Err(r.error(field, format!("must be a finite number in (0, 1), got {}", fmt_num(pct))));
    }
    Ok(pct)
}

fn build_one_cycle(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let total = total_batches(r, r.int(&N_EPOCH)?)?;
    let lr_max = r.float(&LR_MAX)?;
    let pct = check_split(r, &ONE_CYCLE_PCT_START, r.float(&ONE_CYCLE_PCT_START)?)?;
    let moms = r.float_list(&MOMS)?;
    let [m0, m1, m2] = moms[..] else {
        return Err(r.error(&MOMS, format!("must be a list of 3 numbers in [0, 1], got {} numbers", moms.len())));
    };
    let (start, end) = (lr_max / r.float(&DIV)?, lr_max / r.float(&DIV_FINAL)?);
    let split = [pct, 1.0 - pct];
    Ok(Box::new(FastaiSchedule {
        total,
        lr: CombinedCos::new(&split, vec![(start, lr_max), (lr_max, end)]),
        momentum: Some(CombinedCos::new(&split, vec![(m0, m1), (m1, m2)])),
    }))
}

pub const FIT_ONE_CYCLE: Kind = Kind {
    name: "fit_one_cycle",
    library: Library::Fastai,
    description: "fastai fit_one_cycle: cosine warm-up from lr_max/div to lr_max, cosine down to lr_max/div_final; momentum mirrors it.",
    fields: &[N_EPOCH, STEPS_PER_EPOCH, LR_MAX, DIV, DIV_FINAL, ONE_CYCLE_PCT_START, MOMS],
    cycles_momentum: true,
    build: build_one_cycle,
};

pub(crate) const N_CYCLES: Field = Field::int("n_cycles", 1, 30, "Number of cosine cycles").example(Preset::Int(3));
pub(crate) const CYCLE_LEN: Field =
    Field::int("cycle_len", 1, 1_000_000, "Epochs in the first cycle").example(Preset::Int(1));
pub(crate) const CYCLE_MULT: Field =
    Field::int("cycle_mult", 1, 10, "Each cycle is cycle_mult times longer (fastai: 2 or more)")
        .default(Preset::Int(2));

fn build_sgdr(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let (n_cycles, cycle_len, mult) = (r.int(&N_CYCLES)?, r.int(&CYCLE_LEN)?, r.int(&CYCLE_MULT)?);
    // fastai: n_epoch = cycle_len * (cycle_mult**n_cycles - 1) // (cycle_mult - 1); a plain sum when mult = 1.
    let cycle_epochs: Vec<u64> =
        (0..n_cycles).map(|i| cycle_len.saturating_mul(mult.saturating_pow(i as u32))).collect();
    let n_epoch = cycle_epochs.iter().fold(0u64, |a, &b| a.saturating_add(b));
    let total = total_batches(r, n_epoch)?;
    let lr_max = r.float(&LR_MAX)?;
    let pcts: Vec<f64> = cycle_epochs.iter().map(|&e| e as f64 / n_epoch as f64).collect();
    let legs = vec![(lr_max, 0.0); pcts.len()];
    Ok(Box::new(FastaiSchedule { total, lr: CombinedCos::new(&pcts, legs), momentum: None }))
}

pub const FIT_SGDR: Kind = Kind {
    name: "fit_sgdr",
    library: Library::Fastai,
    description:
        "fastai fit_sgdr: n_cycles cosine cycles from lr_max to 0, each cycle_mult times longer than the last.",
    fields: &[N_CYCLES, CYCLE_LEN, STEPS_PER_EPOCH, LR_MAX, CYCLE_MULT],
    cycles_momentum: false,
    build: build_sgdr,
};

const LR: Field =
    Field::float("lr", 0.0, 100.0, "The flat learning rate").min_open().log().default(Preset::Float(1e-3));
const FLAT_PCT_START: Field = Field::float("pct_start", 0.0, 1.0, "Fraction of training at the flat rate")
    .min_open()
    .default(Preset::Float(0.75));

fn build_flat_cos(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let total = total_batches(r, r.int(&N_EPOCH)?)?;
    let lr = r.float(&LR)?;
    let pct = check_split(r, &FLAT_PCT_START, r.float(&FLAT_PCT_START)?)?;
    let end = lr / r.float(&DIV_FINAL)?;
    Ok(Box::new(FastaiSchedule {
        total,
        lr: CombinedCos::new(&[pct, 1.0 - pct], vec![(lr, lr), (lr, end)]),
        momentum: None,
    }))
}

pub const FIT_FLAT_COS: Kind = Kind {
    name: "fit_flat_cos",
    library: Library::Fastai,
    description: "fastai fit_flat_cos: a flat rate for pct_start of training, then cosine down to lr/div_final.",
    fields: &[N_EPOCH, STEPS_PER_EPOCH, LR, DIV_FINAL, FLAT_PCT_START],
    cycles_momentum: false,
    build: build_flat_cos,
};

#[cfg(test)]
mod tests {
    use crate::schedule::Schedule;
    use serde_json::json;

    #[test]
    fn one_cycle_starts_at_lr_max_over_div_and_peaks_at_pct_start() {
        let spec =
            json!({"kind": "fit_one_cycle", "n_epoch": 2, "steps_per_epoch": 10, "lr_max": 0.1, "pct_start": 0.25});
        let s = Schedule::from_spec(&spec).unwrap();
        assert_eq!(s.last_step(), Some(19));
        assert!((s.lr_at(0).unwrap() - 0.004).abs() < 1e-15);
        assert!((s.lr_at(5).unwrap() - 0.1).abs() < 1e-15);
        assert!((s.momentum_at(5).unwrap().unwrap() - 0.85).abs() < 1e-7);
    }

    #[test]
    fn sgdr_restarts_at_each_cycle() {
        let spec = json!({"kind": "fit_sgdr", "n_cycles": 2, "cycle_len": 1, "steps_per_epoch": 4, "lr_max": 1.0});
        let lr = Schedule::from_spec(&spec).unwrap().sample(12).unwrap().lr;
        assert_eq!((lr[0], lr[4]), (1.0, 1.0));
        assert!(lr[3] < 0.2 && lr[11] < 0.1, "{lr:?}");
    }

    #[test]
    fn moms_must_have_three_entries() {
        let spec = json!({"kind": "fit_one_cycle", "n_epoch": 1, "steps_per_epoch": 3, "moms": [0.9, 0.8]});
        let e = Schedule::from_spec(&spec).err().unwrap();
        assert_eq!(e.to_string(), "moms (fit_one_cycle): must be a list of 3 numbers in [0, 1], got 2 numbers");
    }
}
