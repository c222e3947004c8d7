//! timm's cycling schedulers: `CosineLRScheduler`, `TanhLRScheduler` and `PolyLRScheduler`. Each
//! decays from `lr` to `lr_min` over cycles of `t_initial`, `t_initial·cycle_mul`, … updates, with
//! peaks scaled by `cycle_decay`, and holds `lr_min` after `cycle_limit` cycles.

use std::f64::consts::PI;

use super::{Warmup, WARMUP_LR_INIT, WARMUP_T};
use crate::limits::MAX_STEP;
use crate::schedule::{Curve, Kind, Library, LR};
use crate::spec::{Field, Preset, Reader, SpecError};

const T_INITIAL: Field = Field::int("t_initial", 1, MAX_STEP, "Updates in the first cycle").example(Preset::Int(1000));
const LR_MIN: Field =
    Field::float("lr_min", 0.0, 100.0, "The rate at the end of each cycle").default(Preset::Float(0.0));
const CYCLE_MUL: Field = Field::float("cycle_mul", 1.0, 100.0, "Each cycle is this many times longer than the last")
    .default(Preset::Float(1.0));
const CYCLE_DECAY: Field =
    Field::float("cycle_decay", 0.0, 100.0, "Multiplies the peak rate at each new cycle").default(Preset::Float(1.0));
const CYCLE_LIMIT: Field =
    Field::int("cycle_limit", 0, MAX_STEP, "Cycles before the rate stays at lr_min").default(Preset::Int(1));
const WARMUP_PREFIX: Field =
    Field::boolean("warmup_prefix", "Cycles start after warm-up (else warm-up overlaps the first cycle)")
        .default(Preset::Bool(false));
const K_DECAY: Field = Field::float("k_decay", 0.0, 100.0, "k-decay exponent on the cycle position (1: plain)")
    .min_open()
    .default(Preset::Float(1.0));
const POWER: Field = Field::float("power", 0.0, 100.0, "Exponent of the polynomial decay").default(Preset::Float(0.5));
const LB: Field = Field::float("lb", -100.0, 100.0, "tanh argument at the cycle start").default(Preset::Float(-7.0));
const UB: Field =
    Field::float("ub", -100.0, 100.0, "tanh argument at the cycle end (above lb)").default(Preset::Float(3.0));

#[derive(Clone, Copy)]
enum Shape {
    Cosine { k_decay: f64 },
    Poly { power: f64, k_decay: f64 },
    Tanh { lb: f64, ub: f64 },
}

struct Cycles {
    lr: f64,
    t_initial: f64,
    lr_min: f64,
    cycle_mul: f64,
    cycle_decay: f64,
    cycle_limit: u64,
    warmup_prefix: bool,
    warmup: Warmup,
    shape: Shape,
}

impl Cycles {
    /// The rate after warm-up, as timm's `_get_lr` computes it.
    fn cycle_lr(&self, t: u64) -> f64 {
        let t = if self.warmup_prefix { t - self.warmup.t } else { t } as f64;
        let (i, t_i, t_curr) = if self.cycle_mul != 1.0 {
            let m = self.cycle_mul;
            let i = ((1.0 - t / self.t_initial * (1.0 - m)).ln() / m.ln()).floor();
            let t_i = m.powf(i) * self.t_initial;
            (i, t_i, t - (1.0 - m.powf(i)) / (1.0 - m) * self.t_initial)
        } else {
            let i = (t / self.t_initial).floor();
            (i, self.t_initial, t - self.t_initial * i)
        };
        if i >= self.cycle_limit as f64 {
            return self.lr_min;
        }
        let lr_max = self.lr * self.cycle_decay.powf(i);
        match self.shape {
            Shape::Cosine { k_decay: k } => {
                self.lr_min + 0.5 * (lr_max - self.lr_min) * (1.0 + (PI * t_curr.powf(k) / t_i.powf(k)).cos())
            }
            Shape::Poly { power, k_decay: k } => {
                self.lr_min + (lr_max - self.lr_min) * (1.0 - t_curr.powf(k) / t_i.powf(k)).powf(power)
            }
            Shape::Tanh { lb, ub } => {
                let tr = t_curr / t_i;
                self.lr_min + 0.5 * (lr_max - self.lr_min) * (1.0 - (lb * (1.0 - tr) + ub * tr).tanh())
            }
        }
    }
}

impl Curve for Cycles {
    fn lr(&self, t: u64) -> f64 {
        self.warmup.at(t).unwrap_or_else(|| self.cycle_lr(t))
    }
}

fn build(r: &Reader, shape: Shape) -> Result<Box<dyn Curve>, SpecError> {
    let mut cycles = Cycles {
        lr: r.float(&LR)?,
        t_initial: r.int(&T_INITIAL)? as f64,
        lr_min: r.float(&LR_MIN)?,
        cycle_mul: r.float(&CYCLE_MUL)?,
        cycle_decay: r.float(&CYCLE_DECAY)?,
        cycle_limit: r.int(&CYCLE_LIMIT)?,
        warmup_prefix: r.boolean(&WARMUP_PREFIX)?,
        warmup: Warmup::NONE,
        shape,
    };
    // timm's tanh without a prefix warms up towards the curve's value where warm-up ends (which
    // does not depend on the warm-up); the others towards lr.
    let tanh_target = matches!(shape, Shape::Tanh { .. }) && !cycles.warmup_prefix;
    cycles.warmup = Warmup::read(r, |t| if tanh_target { cycles.cycle_lr(t) } else { cycles.lr })?;
    Ok(Box::new(cycles))
}

pub const COSINE_LR_SCHEDULER: Kind = Kind {
    name: "CosineLRScheduler",
    library: Library::Timm,
    description: "Cosine decay from lr to lr_min per cycle, with warm-up and restarts.",
    fields: &[
        LR,
        T_INITIAL,
        LR_MIN,
        CYCLE_MUL,
        CYCLE_DECAY,
        CYCLE_LIMIT,
        WARMUP_T,
        WARMUP_LR_INIT,
        WARMUP_PREFIX,
        K_DECAY,
    ],
    cycles_momentum: false,
    build: |r| build(r, Shape::Cosine { k_decay: r.float(&K_DECAY)? }),
};

pub const TANH_LR_SCHEDULER: Kind = Kind {
    name: "TanhLRScheduler",
    library: Library::Timm,
    description: "Hyperbolic-tangent decay from lr to lr_min per cycle, with warm-up and restarts.",
    fields: &[
        LR,
        T_INITIAL,
        LB,
        UB,
        LR_MIN,
        CYCLE_MUL,
        CYCLE_DECAY,
        CYCLE_LIMIT,
        WARMUP_T,
        WARMUP_LR_INIT,
        WARMUP_PREFIX,
    ],
    cycles_momentum: false,
    build: build_tanh,
};

fn build_tanh(r: &Reader) -> Result<Box<dyn Curve>, SpecError> {
    let (lb, ub) = (r.float(&LB)?, r.float(&UB)?);
    if lb >= ub {
        return Err(r.error(&UB, format!("must be above lb ({lb}), got {ub}")));
    }
    build(r, Shape::Tanh { lb, ub })
}

pub const POLY_LR_SCHEDULER: Kind = Kind {
    name: "PolyLRScheduler",
    library: Library::Timm,
    description: "Polynomial decay from lr to lr_min per cycle, with warm-up and restarts.",
    fields: &[
        LR,
        T_INITIAL,
        POWER,
        LR_MIN,
        CYCLE_MUL,
        CYCLE_DECAY,
        CYCLE_LIMIT,
        WARMUP_T,
        WARMUP_LR_INIT,
        WARMUP_PREFIX,
        K_DECAY,
    ],
    cycles_momentum: false,
    build: |r| build(r, Shape::Poly { power: r.float(&POWER)?, k_decay: r.float(&K_DECAY)? }),
};
