//! timm's schedulers in closed form for a PyTorch `LambdaLR`: timm computes each update's rate in
//! float64 from the update count (`_get_lr`), so the same arithmetic in Python gives the same rates.

use super::args::Args;
use super::closed_form::Forms;
use super::python::{int, ints, num};
use crate::spec::SpecError;

pub(crate) fn forms(a: &Args, suffix: &str) -> Result<Forms, SpecError> {
    let lr = num(a.float("lr")?);
    let (warmup_t, prefix) = (a.int("warmup_t")?, a.boolean("warmup_prefix")?);
    let shifted = if prefix { format!("step - {warmup_t}") } else { "step".to_string() };
    let (after_warmup, warmup_target, imports) = match a.kind.name {
        "StepLRScheduler" => {
            let body = format!(
                "    return {lr} * {} ** math.floor(({shifted}) / {})",
                num(a.float("decay_rate")?),
                num(a.float("decay_t")?)
            );
            (body, lr.clone(), vec!["import math"])
        }
        "MultiStepLRScheduler" => {
            // timm applies milestone m from update m - 1: its bisect_right(decay_t, t + 1).
            let body = format!(
                "    return {lr} * {} ** bisect.bisect_right({}, {shifted} + 1)",
                num(a.float("decay_rate")?),
                ints(&a.ints("decay_t")?)
            );
            (body, lr.clone(), vec!["import bisect"])
        }
        _ => {
            // Tanh without a prefix warms up towards the curve's value where warm-up ends.
            let tanh_target = a.kind.name == "TanhLRScheduler" && !prefix;
            let target = if tanh_target { format!("cycle_lr{suffix}({warmup_t})") } else { lr.clone() };
            (format!("    return cycle_lr{suffix}(step)"), target, vec!["import math"])
        }
    };
    let mut defs = Vec::new();
    if !a.kind.name.contains("Step") {
        defs.push(cycle_lr(a, suffix, &lr, &shifted)?);
    }
    let warmup = if warmup_t > 0 {
        let init = num(a.float("warmup_lr_init")?);
        format!("    if step < {warmup_t}:\n        return {init} + step * (({warmup_target} - {init}) / {warmup_t})\n")
    } else {
        String::new()
    };
    defs.push(format!("def lr_at{suffix}(step):\n{warmup}{after_warmup}"));
    Ok(Forms { imports, defs, momentum: false })
}

/// timm's `_get_lr` for the cosine, poly and tanh schedulers: the cycle, its length and position.
fn cycle_lr(a: &Args, suffix: &str, lr: &str, shifted: &str) -> Result<String, SpecError> {
    let t_initial = num(a.int("t_initial")? as f64);
    let (lr_min, decay, limit) = (num(a.float("lr_min")?), num(a.float("cycle_decay")?), int(a.int("cycle_limit")?));
    let mul = a.float("cycle_mul")?;
    let cycle = if mul != 1.0 {
        let m = num(mul);
        format!("    i = math.floor(math.log(1.0 - t / {t_initial} * (1.0 - {m})) / math.log({m}))\n    t_i = {m} ** i * {t_initial}\n    t_curr = t - (1.0 - {m} ** i) / (1.0 - {m}) * {t_initial}")
    } else {
        format!("    i = math.floor(t / {t_initial})\n    t_i = {t_initial}\n    t_curr = t - {t_initial} * i")
    };
    let curve = match a.kind.name {
        "CosineLRScheduler" => {
            let k = num(a.float("k_decay")?);
            format!("{lr_min} + 0.5 * (lr_max - {lr_min}) * (1.0 + math.cos(math.pi * t_curr ** {k} / t_i ** {k}))")
        }
        "PolyLRScheduler" => {
            let (k, power) = (num(a.float("k_decay")?), num(a.float("power")?));
            format!("{lr_min} + (lr_max - {lr_min}) * (1.0 - t_curr ** {k} / t_i ** {k}) ** {power}")
        }
        _ => {
            let (lb, ub) = (num(a.float("lb")?), num(a.float("ub")?));
            format!("{lr_min} + 0.5 * (lr_max - {lr_min}) * (1.0 - math.tanh({lb} * (1.0 - t_curr / t_i) + {ub} * (t_curr / t_i)))")
        }
    };
    Ok(format!(
        "def cycle_lr{suffix}(step):\n    t = float({shifted})\n{cycle}\n    if i >= {limit}:\n        return {lr_min}\n    lr_max = {lr} * {decay} ** i\n    return {curve}"
    ))
}
