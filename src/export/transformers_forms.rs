//! transformers' schedules in closed form for a PyTorch `LambdaLR`: transformers builds each as a
//! LambdaLR over a float64 factor, so the same arithmetic in Python gives the same rates.

use super::args::Args;
use super::closed_form::Forms;
use super::python::{int, num};
use crate::spec::SpecError;

/// `lr * factor(step)`: linear warm-up from 0, then the kind's decay, with `progress` through it.
pub(crate) fn forms(a: &Args, suffix: &str) -> Result<Forms, SpecError> {
    let lr = num(a.float("lr")?);
    let w = a.int("num_warmup_steps")?;
    let decay = match a.kind.name {
        "get_wsd_schedule" => return wsd(a, suffix),
        "get_inverse_sqrt_schedule" => {
            let timescale = a.optional_int("timescale")?.unwrap_or(if w == 0 { 10_000 } else { w });
            format!("1.0 / math.sqrt((step - {w} + {timescale}) / {timescale})", timescale = int(timescale))
        }
        "get_constant_schedule_with_warmup" => "1.0".to_string(),
        "get_linear_schedule_with_warmup" => {
            format!("max(0.0, ({} - step) / max(1, {}))", a.int("num_training_steps")?, span(a)?)
        }
        "get_cosine_schedule_with_warmup" => cosine(&num(a.float("num_cycles")?), "0.0"),
        "get_cosine_with_min_lr_schedule_with_warmup" => {
            let rate = match a.optional_float("min_lr")? {
                Some(min_lr) => format!("({} / {lr})", num(min_lr)),
                None => num(a.optional_float("min_lr_rate")?.unwrap_or(0.0)),
            };
            cosine(&num(a.float("num_cycles")?), &rate)
        }
        "get_cosine_with_hard_restarts_schedule_with_warmup" => format!(
            "0.0 if progress >= 1.0 else max(0.0, 0.5 * (1.0 + math.cos(math.pi * (({} * progress) % 1.0))))",
            num(a.int("num_cycles")? as f64)
        ),
        "get_polynomial_decay_schedule_with_warmup" => {
            let (n, end, power) = (a.int("num_training_steps")?, num(a.float("lr_end")?), num(a.float("power")?));
            format!(
                "{end} / {lr} if step > {n} else (({lr} - {end}) * (1.0 - (step - {w}) / ({n} - {w})) ** {power} + {end}) / {lr}"
            )
        }
        other => return Err(SpecError::new("kind", format!("{other} is not a transformers schedule"))),
    };
    let decays_to_an_end = a.kind.fields.iter().any(|f| f.name == "num_training_steps");
    let progress =
        if decays_to_an_end { format!("    progress = (step - {w}) / max(1, {})\n", span(a)?) } else { String::new() };
    let body = format!(
        "    if step < {w}:\n        return {lr} * (step / max(1, {w}))\n{progress}    return {lr} * ({decay})"
    );
    Ok(Forms { imports: vec!["import math"], defs: vec![format!("def lr_at{suffix}(step):\n{body}")], momentum: false })
}

/// `num_training_steps - num_warmup_steps`, as transformers divides by it (at least 1).
fn span(a: &Args) -> Result<String, SpecError> {
    Ok(int(a.int("num_training_steps")?.saturating_sub(a.int("num_warmup_steps")?)))
}

fn cosine(num_cycles: &str, min_rate: &str) -> String {
    format!(
        "max(0.0, 0.5 * (1.0 + math.cos(math.pi * {num_cycles} * 2.0 * progress)) * (1.0 - {min_rate}) + {min_rate})"
    )
}

fn wsd(a: &Args, suffix: &str) -> Result<Forms, SpecError> {
    let lr = num(a.float("lr")?);
    let (w, d) = (a.int("num_warmup_steps")?, a.int("num_decay_steps")?);
    let stable = match (a.optional_int("num_stable_steps")?, a.optional_int("num_training_steps")?) {
        (Some(stable), _) => stable,
        (None, total) => total.unwrap_or(0).saturating_sub(w + d),
    };
    let (ratio, cycles) = (num(a.float("min_lr_ratio")?), num(a.float("num_cycles")?));
    let shape = |kind: &str, decay: bool| match (kind, decay) {
        ("linear", false) => "p".to_string(),
        ("cosine", false) => "0.5 * (1.0 - math.cos(math.pi * p))".to_string(),
        (_, false) => "1.0 - math.sqrt(1.0 - p)".to_string(),
        ("linear", true) => "1.0 - p".to_string(),
        ("cosine", true) => format!("0.5 * (1.0 + math.cos(math.pi * {cycles} * 2.0 * p))"),
        (_, true) => "1.0 - math.sqrt(p)".to_string(),
    };
    let (up, down) = (shape(a.choice("warmup_type")?, false), shape(a.choice("decay_type")?, true));
    let start = w + stable;
    let body = format!(
        "    # warm-up ({warmup_type}), stable, decay ({decay_type}), floored at min_lr_ratio\n    def floored(factor):\n        return max(0.0, factor * (1.0 - {ratio}) + {ratio})\n\n    if step < {w}:\n        p = step / max(1, {w})\n        return {lr} * floored({up})\n    if step < {start}:\n        return {lr} * 1.0\n    if step < {start} + {d}:\n        p = (step - {start}) / max(1, {d})\n        return {lr} * floored({down})\n    return {lr} * {ratio}",
        warmup_type = a.choice("warmup_type")?,
        decay_type = a.choice("decay_type")?,
    );
    Ok(Forms { imports: vec!["import math"], defs: vec![format!("def lr_at{suffix}(step):\n{body}")], momentum: false })
}
