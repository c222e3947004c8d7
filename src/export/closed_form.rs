//! Every kind's rate (and momentum, where it cycles it) as Python functions of the step, with the
//! arithmetic in the engine's order so that Python gives the same numbers: what a `LambdaLR`
//! (or a phase of an exported run) evaluates.

use serde_json::Value;

use super::args::Args;
use super::python::{int, ints, num, nums};
use crate::schedule::Library;
use crate::spec::SpecError;

/// `def lr_at{suffix}(step)` and, where the kind cycles momentum, `def momentum_at{suffix}(step)`.
pub(crate) struct Forms {
    pub(crate) imports: Vec<&'static str>,
    /// Helper definitions first, then the functions.
    pub(crate) defs: Vec<String>,
    pub(crate) momentum: bool,
}

/// The rate the spec's own fields call the optimizer's (`lr`, `max_lr`, `lr_max`, ...).
pub(crate) fn peak_rate(args: &Args) -> Result<f64, SpecError> {
    for name in ["lr", "max_lr", "lr_max", "end_lr", "initial_learning_rate", "init_value"] {
        if args.kind.fields.iter().any(|f| f.name == name) {
            return args.float(name);
        }
    }
    if args.kind.fields.iter().any(|f| f.name == "values") {
        return Ok(args.floats("values")?.into_iter().fold(0f64, f64::max));
    }
    // SequentialLR: the largest of its parts' rates.
    let mut peak = 0f64;
    for spec in args.specs("schedules")? {
        peak = peak.max(peak_rate(&Args::read(spec)?)?);
    }
    Ok(peak)
}

fn lr_def(suffix: &str, body: &str) -> String {
    format!("def lr_at{suffix}(step):\n{body}")
}

fn momentum_def(suffix: &str, body: &str) -> String {
    format!("def momentum_at{suffix}(step):\n{body}")
}

fn simple(imports: Vec<&'static str>, suffix: &str, body: String) -> Forms {
    Forms { imports, defs: vec![lr_def(suffix, &body)], momentum: false }
}

pub(crate) fn forms(args: &Args, suffix: &str) -> Result<Forms, SpecError> {
    let a = args;
    Ok(match a.kind.name {
        "Constant" => simple(vec![], suffix, format!("    return {}", num(a.float("lr")?))),
        "ConstantLR" => {
            let lr = num(a.float("lr")?);
            let (factor, total) = (num(a.float("factor")?), int(a.int("total_iters")?));
            simple(vec![], suffix, format!("    return {lr} * {factor} if step < {total} else {lr}"))
        }
        "StepLR" => {
            let (lr, gamma, size) = (num(a.float("lr")?), num(a.float("gamma")?), int(a.int("step_size")?));
            simple(vec![], suffix, format!("    return {lr} * {gamma} ** (step // {size})"))
        }
        "MultiStepLR" => {
            let mut milestones = a.ints("milestones")?;
            milestones.sort_unstable();
            let (lr, gamma) = (num(a.float("lr")?), num(a.float("gamma")?));
            let body = format!("    return {lr} * {gamma} ** bisect.bisect_right({}, step)", ints(&milestones));
            simple(vec!["import bisect"], suffix, body)
        }
        "ExponentialLR" => {
            let (lr, gamma) = (num(a.float("lr")?), num(a.float("gamma")?));
            simple(vec![], suffix, format!("    return {lr} * {gamma} ** step"))
        }
        "LinearLR" => {
            let (lr, total) = (num(a.float("lr")?), int(a.int("total_iters")?));
            let (start, end) = (num(a.float("start_factor")?), num(a.float("end_factor")?));
            let body = format!(
                "    done = min(step, {total}) / {total}\n    return {lr} * ({start} + ({end} - {start}) * done)"
            );
            simple(vec![], suffix, body)
        }
        "PolynomialLR" => {
            let (lr, total, power) = (num(a.float("lr")?), int(a.int("total_iters")?), num(a.float("power")?));
            simple(vec![], suffix, format!("    return {lr} * (1.0 - min(step, {total}) / {total}) ** {power}"))
        }
        "CosineAnnealingLR" => {
            let (lr, t_max, eta) = (num(a.float("lr")?), int(a.int("T_max")?), num(a.float("eta_min")?));
            let body =
                format!("    return {eta} + ({lr} - {eta}) * (1.0 + math.cos(math.pi * (step / {t_max}))) / 2.0");
            simple(vec!["import math"], suffix, body)
        }
        "CyclicLR" => cyclic(a, suffix)?,
        "CosineAnnealingWarmRestarts" => warm_restarts(a, suffix)?,
        "OneCycleLR" => one_cycle(a, suffix)?,
        "SequentialLR" => sequential(a, suffix)?,
        "fit_one_cycle" | "fit_sgdr" | "fit_flat_cos" => fastai(a, suffix)?,
        "SlantedTriangular" => {
            let total = a.int("total_steps")?;
            let cut_frac = a.float("cut_frac")?;
            let cut = num((total as f64 * cut_frac).floor());
            let (lr_max, ratio, cut_frac) = (num(a.float("lr_max")?), num(a.float("ratio")?), num(cut_frac));
            let body = format!(
                "    p = step / {cut} if step < {cut} else 1.0 - (step - {cut}) / ({cut} * (1.0 / {cut_frac} - 1.0))\n    return {lr_max} * (1.0 + p * ({ratio} - 1.0)) / {ratio}"
            );
            simple(vec![], suffix, body)
        }
        "LrRangeTest" => range_test(a, suffix)?,
        _ if a.kind.library == Library::Transformers => super::transformers_forms::forms(a, suffix)?,
        _ if a.kind.library == Library::Timm => super::timm_forms::forms(a, suffix)?,
        _ if matches!(a.kind.library, Library::Optax | Library::Keras) => super::float32_forms::forms(a, suffix)?,
        other => return Err(SpecError::new("kind", format!("{other} has no closed form in Python yet"))),
    })
}

fn cyclic(a: &Args, suffix: &str) -> Result<Forms, SpecError> {
    let up = a.int("step_size_up")?;
    let total = up + a.optional_int("step_size_down")?.unwrap_or(up);
    let scale = match a.choice("mode")? {
        "triangular" => "1.0".to_string(),
        "triangular2" => "1.0 / 2.0 ** (cycle - 1.0)".to_string(),
        _ => format!("{} ** step", num(a.float("gamma")?)),
    };
    let position = format!(
        "def cycle_position{suffix}(step):\n    cycle = math.floor(1.0 + step / {total})\n    x = 1.0 + step / {total} - cycle\n    ratio = {up} / {total}\n    height = x / ratio if x <= ratio else (x - 1.0) / (ratio - 1.0)\n    return height, {scale}"
    );
    let (base, max) = (num(a.float("base_lr")?), num(a.float("max_lr")?));
    let lr = format!(
        "    height, scale = cycle_position{suffix}(step)\n    return {base} + ({max} - {base}) * height * scale"
    );
    let mut defs = vec![position, lr_def(suffix, &lr)];
    let momentum = a.boolean("cycle_momentum")?;
    if momentum {
        let (base_m, max_m) = (num(a.float("base_momentum")?), num(a.float("max_momentum")?));
        let body = format!(
            "    height, scale = cycle_position{suffix}(step)\n    return {max_m} - ({max_m} - {base_m}) * height * scale"
        );
        defs.push(momentum_def(suffix, &body));
    }
    Ok(Forms { imports: vec!["import math"], defs, momentum })
}

fn warm_restarts(a: &Args, suffix: &str) -> Result<Forms, SpecError> {
    let (lr, eta, decay) = (num(a.float("lr")?), num(a.float("eta_min")?), num(a.float("restart_decay")?));
    let t_0 = a.int("T_0")?;
    let t_mult = a.float("T_mult")?;
    let cycle = if t_mult == 1.0 {
        format!("    k = step // {t_0}\n    t_cur, t_i = step - {t_0} * k, {t_0}")
    } else {
        let m = num(t_mult);
        format!(
            "    def cycle_start(k):\n        return {t_0} * ({m} ** k - 1.0) / ({m} - 1.0)\n\n    k = 0\n    while cycle_start(k + 1) <= step:\n        k += 1\n    t_cur, t_i = step - cycle_start(k), {t_0} * {m} ** k"
        )
    };
    let body = format!(
        "{cycle}\n    peak = {lr} * {decay} ** k\n    return {eta} + (peak - {eta}) * (1.0 + math.cos(math.pi * (t_cur / t_i))) / 2.0"
    );
    Ok(simple(vec!["import math"], suffix, body))
}

fn one_cycle(a: &Args, suffix: &str) -> Result<Forms, SpecError> {
    let max_lr = a.float("max_lr")?;
    let n = match a.optional_int("total_steps")? {
        Some(total) => total,
        None => a.optional_int("epochs")?.unwrap_or(1).saturating_mul(a.optional_int("steps_per_epoch")?.unwrap_or(1)),
    } as f64;
    let pct = a.float("pct_start")?;
    let (base_m, max_m) = (a.float("base_momentum")?, a.float("max_momentum")?);
    let initial = max_lr / a.float("div_factor")?;
    let min_lr = initial / a.float("final_div_factor")?;
    let warm_end = pct * n - 1.0;
    let phases: Vec<[f64; 5]> = if a.boolean("three_phase")? {
        vec![
            [warm_end, initial, max_lr, max_m, base_m],
            [2.0 * pct * n - 2.0, max_lr, initial, base_m, max_m],
            [n - 1.0, initial, min_lr, max_m, max_m],
        ]
    } else {
        vec![[warm_end, initial, max_lr, max_m, base_m], [n - 1.0, max_lr, min_lr, base_m, max_m]]
    };
    let table = phases.iter().map(|p| format!("        {},", nums(p).replace('[', "(").replace(']', ")")));
    let anneal = if a.choice("anneal_strategy")? == "cos" {
        "end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1.0)"
    } else {
        "(end - start) * pct + start"
    };
    let locate = format!(
        "def one_cycle{suffix}(step, which):\n    # (last step, rate from, rate to, momentum from, momentum to) of each phase\n    phases = [\n{}\n    ]\n    start_step = 0.0\n    for i, phase in enumerate(phases):\n        if step <= phase[0] or i == len(phases) - 1:\n            pct = (step - start_step) / (phase[0] - start_step)\n            start, end = phase[which], phase[which + 1]\n            return {anneal}\n        start_step = phase[0]",
        table.collect::<Vec<_>>().join("\n")
    );
    let mut defs = vec![locate, lr_def(suffix, &format!("    return one_cycle{suffix}(step, 1)"))];
    let momentum = a.boolean("cycle_momentum")?;
    if momentum {
        defs.push(momentum_def(suffix, &format!("    return one_cycle{suffix}(step, 3)")));
    }
    Ok(Forms { imports: vec!["import math"], defs, momentum })
}

/// Each phase's (start, end) values.
type Legs = Vec<(f64, f64)>;

/// fastai's `combined_cos`: phase bounds and in-phase positions in float32, as fastai keeps them.
fn fastai(a: &Args, suffix: &str) -> Result<Forms, SpecError> {
    let steps_per_epoch = a.int("steps_per_epoch")?;
    let (epochs, pcts, legs, moms): (u64, Vec<f64>, Legs, Option<Legs>) = match a.kind.name {
        "fit_one_cycle" => {
            let (lr_max, pct) = (a.float("lr_max")?, a.float("pct_start")?);
            let (start, end) = (lr_max / a.float("div")?, lr_max / a.float("div_final")?);
            let m = a.floats("moms")?;
            let moms = match m[..] {
                [m0, m1, m2] => Some(vec![(m0, m1), (m1, m2)]),
                _ => return Err(SpecError::new("moms", "must be a list of 3 numbers in [0, 1]")),
            };
            (a.int("n_epoch")?, vec![pct, 1.0 - pct], vec![(start, lr_max), (lr_max, end)], moms)
        }
        "fit_flat_cos" => {
            let (lr, pct) = (a.float("lr")?, a.float("pct_start")?);
            let end = lr / a.float("div_final")?;
            (a.int("n_epoch")?, vec![pct, 1.0 - pct], vec![(lr, lr), (lr, end)], None)
        }
        _ => {
            let (n_cycles, cycle_len, mult) = (a.int("n_cycles")?, a.int("cycle_len")?, a.int("cycle_mult")?);
            let cycles: Vec<u64> =
                (0..n_cycles).map(|i| cycle_len.saturating_mul(mult.saturating_pow(i as u32))).collect();
            let n_epoch = cycles.iter().fold(0u64, |sum, &e| sum.saturating_add(e));
            let pcts = cycles.iter().map(|&e| e as f64 / n_epoch as f64).collect();
            (n_epoch, pcts, vec![(a.float("lr_max")?, 0.0); cycles.len()], None)
        }
    };
    let total = epochs.saturating_mul(steps_per_epoch);
    let bounds = nums(&[&[0.0], &pcts[..]].concat());
    let legs_list = |legs: &[(f64, f64)]| {
        format!("[{}]", legs.iter().map(|&(s, e)| format!("({}, {})", num(s), num(e))).collect::<Vec<_>>().join(", "))
    };
    let combined = format!(
        "def combined_cos{suffix}(step, legs):\n    # fastai keeps the phase bounds and the position in float32.\n    bounds = np.cumsum(np.array({bounds}, dtype=np.float32))\n    pos = np.float32(step / {total})\n    idx = min(max(i for i, b in enumerate(bounds) if pos >= b or i == 0), len(legs) - 1)\n    p = float((pos - bounds[idx]) / (bounds[idx + 1] - bounds[idx]))\n    start, end = legs[idx]\n    return start + (1.0 + math.cos(math.pi * (1.0 - p))) * (end - start) / 2.0"
    );
    let mut defs =
        vec![combined, lr_def(suffix, &format!("    return combined_cos{suffix}(step, {})", legs_list(&legs)))];
    if let Some(moms) = &moms {
        defs.push(momentum_def(suffix, &format!("    return combined_cos{suffix}(step, {})", legs_list(moms))));
    }
    Ok(Forms { imports: vec!["import math", "import numpy as np"], defs, momentum: moms.is_some() })
}

fn range_test(a: &Args, suffix: &str) -> Result<Forms, SpecError> {
    let (start, end, num_it) = (a.float("start_lr")?, a.float("end_lr")?, a.int("num_it")?);
    let (s, e) = (num(start), num(end));
    let body = match (a.choice("convention")?, a.choice("step_mode")?) {
        ("fastai", _) => format!("    return {s} * ({e} / {s}) ** (step / {})", num_it.max(6)),
        (_, "exp") => format!("    return {s} * ({e} / {s}) ** (step / {})", num_it - 1),
        _ => format!("    return {s} + step / {} * ({e} - {s})", num_it - 1),
    };
    Ok(simple(vec![], suffix, body))
}

fn sequential(a: &Args, suffix: &str) -> Result<Forms, SpecError> {
    let specs: &[Value] = a.specs("schedules")?;
    let mut imports = vec!["import bisect"];
    let mut defs = Vec::new();
    let mut momentum_parts = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let part = forms(&Args::read(spec)?, &format!("{suffix}_{i}"))?;
        imports.extend(part.imports);
        defs.extend(part.defs);
        momentum_parts.push(if part.momentum { format!("momentum_at{suffix}_{i}") } else { "None".into() });
    }
    let milestones = ints(&a.ints("milestones")?);
    let parts = (0..specs.len()).map(|i| format!("lr_at{suffix}_{i}")).collect::<Vec<_>>().join(", ");
    let locate =
        format!("    i = bisect.bisect_right({milestones}, step)\n    start = {milestones}[i - 1] if i else 0\n");
    defs.push(lr_def(suffix, &format!("{locate}    return ({parts},)[i](step - start)")));
    let momentum = momentum_parts.iter().any(|m| m != "None");
    if momentum {
        let body = format!(
            "{locate}    part = ({},)[i]\n    return part(step - start) if part else None",
            momentum_parts.join(", ")
        );
        defs.push(momentum_def(suffix, &body));
    }
    imports.sort_unstable();
    imports.dedup();
    Ok(Forms { imports, defs, momentum })
}
