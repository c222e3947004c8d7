//! The table of what each target library can express exactly, keyed by kind: one entry per
//! (kind, target). PyTorch expresses every kind with a closed form (its own scheduler where it
//! has one, else a LambdaLR); a kind without an entry for another target cannot be expressed there.
//! A new kind is one entry here (and, for a LambdaLR, one arm in `closed_form.rs`).

use super::args::Args;
use super::python::{boolean, int, ints, kwargs, num, nums, string, Snippet};
use super::torch::{lambda_lr, with_sgd, STEP_PER_BATCH};
use super::Target;
use crate::spec::SpecError;

pub(crate) type Export = fn(&Args) -> Result<Snippet, SpecError>;

pub(crate) struct KindExport {
    pub(crate) kind: &'static str,
    pub(crate) targets: &'static [(Target, Export)],
}

pub(crate) const EXPORTS: &[KindExport] = &[
    KindExport {
        kind: "Constant",
        targets: &[(Target::PyTorch, lambda_lr), (Target::Transformers, hf_constant), (Target::Optax, optax_constant)],
    },
    KindExport {
        kind: "ConstantLR",
        targets: &[(Target::PyTorch, torch_constant_lr), (Target::Optax, optax_constant_lr)],
    },
    KindExport {
        kind: "StepLR",
        targets: &[
            (Target::PyTorch, torch_step_lr),
            (Target::Timm, timm_step_lr),
            (Target::Optax, optax_step_lr),
            (Target::Keras, keras_step_lr),
        ],
    },
    KindExport {
        kind: "MultiStepLR",
        targets: &[
            (Target::PyTorch, torch_multi_step_lr),
            (Target::Timm, timm_multi_step_lr),
            (Target::Optax, optax_multi_step_lr),
            (Target::Keras, keras_multi_step_lr),
        ],
    },
    KindExport {
        kind: "ExponentialLR",
        targets: &[
            (Target::PyTorch, torch_exponential_lr),
            (Target::Optax, optax_exponential_lr),
            (Target::Keras, keras_exponential_lr),
        ],
    },
    KindExport {
        kind: "LinearLR",
        targets: &[
            (Target::PyTorch, torch_linear_lr),
            (Target::Optax, optax_linear_lr),
            (Target::Keras, keras_linear_lr),
        ],
    },
    KindExport {
        kind: "PolynomialLR",
        targets: &[
            (Target::PyTorch, torch_polynomial_lr),
            (Target::Transformers, hf_polynomial_lr),
            (Target::Optax, optax_polynomial_lr),
            (Target::Keras, keras_polynomial_lr),
        ],
    },
    KindExport {
        kind: "CosineAnnealingLR",
        targets: &[(Target::PyTorch, torch_cosine_lr), (Target::Transformers, hf_cosine_lr)],
    },
    KindExport { kind: "CyclicLR", targets: &[(Target::PyTorch, torch_cyclic_lr)] },
    KindExport {
        kind: "CosineAnnealingWarmRestarts",
        targets: &[(Target::PyTorch, torch_warm_restarts), (Target::Timm, timm_warm_restarts)],
    },
    KindExport { kind: "OneCycleLR", targets: &[(Target::PyTorch, torch_one_cycle_lr)] },
    KindExport { kind: "SequentialLR", targets: &[(Target::PyTorch, lambda_lr)] },
    KindExport { kind: "fit_one_cycle", targets: &[(Target::PyTorch, lambda_lr), (Target::Fastai, fastai_fit)] },
    KindExport { kind: "fit_sgdr", targets: &[(Target::PyTorch, lambda_lr), (Target::Fastai, fastai_fit)] },
    KindExport { kind: "fit_flat_cos", targets: &[(Target::PyTorch, lambda_lr), (Target::Fastai, fastai_fit)] },
    KindExport { kind: "SlantedTriangular", targets: &[(Target::PyTorch, lambda_lr)] },
    KindExport { kind: "LrRangeTest", targets: &[(Target::PyTorch, lambda_lr)] },
];

/// This table, then the kinds whose own library is transformers, timm, optax or Keras.
fn all() -> impl Iterator<Item = &'static KindExport> {
    EXPORTS.iter().chain(super::own_library::EXPORTS)
}

/// The targets that can express `kind`, in the table's order.
pub(crate) fn targets_for(kind: &str) -> Vec<Target> {
    all().filter(|e| e.kind == kind).flat_map(|e| e.targets.iter().map(|(t, _)| *t)).collect()
}

pub(crate) fn exporter(kind: &str, target: Target) -> Option<Export> {
    all().filter(|e| e.kind == kind).flat_map(|e| e.targets).find(|(t, _)| *t == target).map(|(_, f)| *f)
}

// ---- PyTorch's own schedulers -------------------------------------------------------------

/// `scheduler = torch.optim.lr_scheduler.NAME(optimizer, args)` on an SGD at `lr`.
fn torch_scheduler(lr: f64, momentum: Option<f64>, name: &str, args: &[(&str, String)]) -> Snippet {
    let mut s = with_sgd(lr, momentum);
    s.import(&format!("from torch.optim.lr_scheduler import {name}"));
    s.line(format!("scheduler = {name}(optimizer, {})", kwargs(args)));
    s.line(STEP_PER_BATCH);
    s
}

fn torch_constant_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [("factor", num(a.float("factor")?)), ("total_iters", int(a.int("total_iters")?))];
    Ok(torch_scheduler(a.float("lr")?, None, "ConstantLR", &args))
}

fn torch_step_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [("step_size", int(a.int("step_size")?)), ("gamma", num(a.float("gamma")?))];
    Ok(torch_scheduler(a.float("lr")?, None, "StepLR", &args))
}

fn torch_multi_step_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [("milestones", ints(&a.ints("milestones")?)), ("gamma", num(a.float("gamma")?))];
    Ok(torch_scheduler(a.float("lr")?, None, "MultiStepLR", &args))
}

fn torch_exponential_lr(a: &Args) -> Result<Snippet, SpecError> {
    Ok(torch_scheduler(a.float("lr")?, None, "ExponentialLR", &[("gamma", num(a.float("gamma")?))]))
}

fn torch_linear_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [
        ("start_factor", num(a.float("start_factor")?)),
        ("end_factor", num(a.float("end_factor")?)),
        ("total_iters", int(a.int("total_iters")?)),
    ];
    Ok(torch_scheduler(a.float("lr")?, None, "LinearLR", &args))
}

fn torch_polynomial_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [("total_iters", int(a.int("total_iters")?)), ("power", num(a.float("power")?))];
    Ok(torch_scheduler(a.float("lr")?, None, "PolynomialLR", &args))
}

fn torch_cosine_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [("T_max", int(a.int("T_max")?)), ("eta_min", num(a.float("eta_min")?))];
    Ok(torch_scheduler(a.float("lr")?, None, "CosineAnnealingLR", &args))
}

fn torch_cyclic_lr(a: &Args) -> Result<Snippet, SpecError> {
    let up = a.int("step_size_up")?;
    let cycle_momentum = a.boolean("cycle_momentum")?;
    let mut args = vec![
        ("base_lr", num(a.float("base_lr")?)),
        ("max_lr", num(a.float("max_lr")?)),
        ("step_size_up", int(up)),
        ("step_size_down", int(a.optional_int("step_size_down")?.unwrap_or(up))),
        ("mode", string(a.choice("mode")?)),
        ("gamma", num(a.float("gamma")?)),
        ("cycle_momentum", boolean(cycle_momentum).to_string()),
    ];
    let momentum = if cycle_momentum {
        let (base, max) = (a.float("base_momentum")?, a.float("max_momentum")?);
        args.extend([("base_momentum", num(base)), ("max_momentum", num(max))]);
        Some(max)
    } else {
        None
    };
    Ok(torch_scheduler(a.float("max_lr")?, momentum, "CyclicLR", &args))
}

/// PyTorch's own scheduler takes whole T_mult and no restart decay; anything else is its closed form.
fn torch_warm_restarts(a: &Args) -> Result<Snippet, SpecError> {
    let t_mult = a.float("T_mult")?;
    if t_mult.fract() != 0.0 || a.float("restart_decay")? != 1.0 {
        return lambda_lr(a);
    }
    let args = [("T_0", int(a.int("T_0")?)), ("T_mult", int(t_mult as u64)), ("eta_min", num(a.float("eta_min")?))];
    Ok(torch_scheduler(a.float("lr")?, None, "CosineAnnealingWarmRestarts", &args))
}

fn torch_one_cycle_lr(a: &Args) -> Result<Snippet, SpecError> {
    let mut args = vec![("max_lr", num(a.float("max_lr")?))];
    match a.optional_int("total_steps")? {
        Some(total) => args.push(("total_steps", int(total))),
        None => {
            args.push(("epochs", int(a.optional_int("epochs")?.unwrap_or(1))));
            args.push(("steps_per_epoch", int(a.optional_int("steps_per_epoch")?.unwrap_or(1))));
        }
    }
    let cycle_momentum = a.boolean("cycle_momentum")?;
    let max_momentum = a.float("max_momentum")?;
    args.extend([
        ("pct_start", num(a.float("pct_start")?)),
        ("anneal_strategy", string(a.choice("anneal_strategy")?)),
        ("cycle_momentum", boolean(cycle_momentum).to_string()),
        ("base_momentum", num(a.float("base_momentum")?)),
        ("max_momentum", num(max_momentum)),
        ("div_factor", num(a.float("div_factor")?)),
        ("final_div_factor", num(a.float("final_div_factor")?)),
        ("three_phase", boolean(a.boolean("three_phase")?).to_string()),
    ]);
    let momentum = cycle_momentum.then_some(max_momentum);
    Ok(torch_scheduler(a.float("max_lr")?, momentum, "OneCycleLR", &args))
}

// ---- transformers ---------------------------------------------------------------------------

fn transformers(lr: f64, call: String) -> Snippet {
    let mut s = with_sgd(lr, None);
    s.import("import transformers");
    s.line(format!("scheduler = transformers.{call}"));
    s.line(STEP_PER_BATCH);
    s
}

fn hf_constant(a: &Args) -> Result<Snippet, SpecError> {
    Ok(transformers(a.float("lr")?, "get_constant_schedule(optimizer)".into()))
}

fn hf_polynomial_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [
        ("num_warmup_steps", "0".to_string()),
        ("num_training_steps", int(a.int("total_iters")?)),
        ("lr_end", "0.0".to_string()),
        ("power", num(a.float("power")?)),
    ];
    Ok(transformers(a.float("lr")?, format!("get_polynomial_decay_schedule_with_warmup(optimizer, {})", kwargs(&args))))
}

fn hf_cosine_lr(a: &Args) -> Result<Snippet, SpecError> {
    let (t_max, eta_min) = (int(a.int("T_max")?), a.float("eta_min")?);
    let call = if eta_min == 0.0 {
        format!("get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=0, num_training_steps={t_max})")
    } else {
        format!(
            "get_cosine_with_min_lr_schedule_with_warmup(optimizer, num_warmup_steps=0, num_training_steps={t_max}, min_lr={})",
            num(eta_min)
        )
    };
    Ok(transformers(a.float("lr")?, call))
}

// ---- timm -----------------------------------------------------------------------------------

pub(crate) fn timm(lr: f64, name: &str, args: &[(&str, String)]) -> Snippet {
    let mut s = with_sgd(lr, None);
    s.import(&format!("from timm.scheduler import {name}"));
    s.line(format!("scheduler = {name}(optimizer, {}, t_in_epochs=False)", kwargs(args)));
    s.line("# Set the rate before each optimizer step, counting from 0 (t: the number of updates so far):\n#     scheduler.step_update(num_updates=t)\n#     loss.backward()\n#     optimizer.step()\n#     optimizer.zero_grad()");
    s
}

fn timm_step_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [("decay_t", int(a.int("step_size")?)), ("decay_rate", num(a.float("gamma")?))];
    Ok(timm(a.float("lr")?, "StepLRScheduler", &args))
}

/// timm decays where `t + 1` reaches a step of `decay_t`: PyTorch's milestone `m` is timm's `m + 1`.
fn timm_multi_step_lr(a: &Args) -> Result<Snippet, SpecError> {
    let mut milestones = a.ints("milestones")?;
    milestones.sort_unstable();
    let decay_t: Vec<u64> = milestones.iter().map(|&m| m + 1).collect();
    let args = [("decay_t", ints(&decay_t)), ("decay_rate", num(a.float("gamma")?))];
    Ok(timm(a.float("lr")?, "MultiStepLRScheduler", &args))
}

fn timm_warm_restarts(a: &Args) -> Result<Snippet, SpecError> {
    let args = [
        ("t_initial", int(a.int("T_0")?)),
        ("lr_min", num(a.float("eta_min")?)),
        ("cycle_mul", num(a.float("T_mult")?)),
        ("cycle_decay", num(a.float("restart_decay")?)),
        ("cycle_limit", "1_000_000_000".to_string()),
    ];
    Ok(timm(a.float("lr")?, "CosineLRScheduler", &args))
}

// ---- optax (float32) ------------------------------------------------------------------------

pub(crate) fn optax(call: String) -> Snippet {
    let mut s = Snippet::default();
    s.import("import optax");
    s.line(format!("schedule = optax.{call}"));
    s.line("# optimizer = optax.sgd(learning_rate=schedule): optax counts the steps itself.");
    s
}

fn optax_constant(a: &Args) -> Result<Snippet, SpecError> {
    Ok(optax(format!("constant_schedule({})", num(a.float("lr")?))))
}

fn optax_constant_lr(a: &Args) -> Result<Snippet, SpecError> {
    let lr = a.float("lr")?;
    let (low, total) = (num(lr * a.float("factor")?), int(a.int("total_iters")?));
    Ok(optax(format!(
        "join_schedules([optax.constant_schedule({low}), optax.constant_schedule({})], boundaries=[{total}])",
        num(lr)
    )))
}

fn optax_step_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [
        ("init_value", num(a.float("lr")?)),
        ("transition_steps", int(a.int("step_size")?)),
        ("decay_rate", num(a.float("gamma")?)),
        ("staircase", "True".to_string()),
    ];
    Ok(optax(format!("exponential_decay({})", kwargs(&args))))
}

fn optax_exponential_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [
        ("init_value", num(a.float("lr")?)),
        ("transition_steps", "1".to_string()),
        ("decay_rate", num(a.float("gamma")?)),
    ];
    Ok(optax(format!("exponential_decay({})", kwargs(&args))))
}

/// Distinct milestones, sorted, each with the factor of all its repeats (`gamma ** count`).
fn milestone_scales(a: &Args) -> Result<Vec<(u64, f64)>, SpecError> {
    let mut milestones = a.ints("milestones")?;
    milestones.sort_unstable();
    let gamma = a.float("gamma")?;
    let mut scales: Vec<(u64, f64)> = Vec::new();
    for m in milestones {
        match scales.last_mut() {
            Some((last, scale)) if *last == m => *scale *= gamma,
            _ => scales.push((m, gamma)),
        }
    }
    Ok(scales)
}

fn optax_multi_step_lr(a: &Args) -> Result<Snippet, SpecError> {
    let scales = milestone_scales(a)?;
    let table = scales.iter().map(|&(m, g)| format!("{m}: {}", num(g))).collect::<Vec<_>>().join(", ");
    Ok(optax(format!(
        "piecewise_constant_schedule(init_value={}, boundaries_and_scales={{{table}}})",
        num(a.float("lr")?)
    )))
}

fn optax_linear_lr(a: &Args) -> Result<Snippet, SpecError> {
    let lr = a.float("lr")?;
    let args = [
        ("init_value", num(lr * a.float("start_factor")?)),
        ("end_value", num(lr * a.float("end_factor")?)),
        ("transition_steps", int(a.int("total_iters")?)),
    ];
    Ok(optax(format!("linear_schedule({})", kwargs(&args))))
}

fn optax_polynomial_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [
        ("init_value", num(a.float("lr")?)),
        ("end_value", "0.0".to_string()),
        ("power", num(a.float("power")?)),
        ("transition_steps", int(a.int("total_iters")?)),
    ];
    Ok(optax(format!("polynomial_schedule({})", kwargs(&args))))
}

// ---- Keras (float32) ------------------------------------------------------------------------

pub(crate) fn keras(name: &str, args: &[(&str, String)]) -> Snippet {
    let mut s = Snippet::default();
    s.import("import keras");
    s.line(format!("schedule = keras.optimizers.schedules.{name}({})", kwargs(args)));
    s.line("# optimizer = keras.optimizers.SGD(learning_rate=schedule): Keras counts the steps itself.");
    s
}

fn keras_step_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [
        ("initial_learning_rate", num(a.float("lr")?)),
        ("decay_steps", int(a.int("step_size")?)),
        ("decay_rate", num(a.float("gamma")?)),
        ("staircase", "True".to_string()),
    ];
    Ok(keras("ExponentialDecay", &args))
}

fn keras_exponential_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [
        ("initial_learning_rate", num(a.float("lr")?)),
        ("decay_steps", "1".to_string()),
        ("decay_rate", num(a.float("gamma")?)),
    ];
    Ok(keras("ExponentialDecay", &args))
}

/// Keras changes value after a boundary (`step > b`); PyTorch at a milestone (`step >= m`).
fn keras_multi_step_lr(a: &Args) -> Result<Snippet, SpecError> {
    let scales = milestone_scales(a)?;
    let mut rate = a.float("lr")?;
    let mut values = vec![rate];
    for &(_, scale) in &scales {
        rate *= scale;
        values.push(rate);
    }
    let boundaries: Vec<String> = scales.iter().map(|&(m, _)| (m as i64 - 1).to_string()).collect();
    let args = [("boundaries", format!("[{}]", boundaries.join(", "))), ("values", nums(&values))];
    Ok(keras("PiecewiseConstantDecay", &args))
}

fn keras_linear_lr(a: &Args) -> Result<Snippet, SpecError> {
    let lr = a.float("lr")?;
    let args = [
        ("initial_learning_rate", num(lr * a.float("start_factor")?)),
        ("decay_steps", int(a.int("total_iters")?)),
        ("end_learning_rate", num(lr * a.float("end_factor")?)),
        ("power", "1.0".to_string()),
    ];
    Ok(keras("PolynomialDecay", &args))
}

fn keras_polynomial_lr(a: &Args) -> Result<Snippet, SpecError> {
    let args = [
        ("initial_learning_rate", num(a.float("lr")?)),
        ("decay_steps", int(a.int("total_iters")?)),
        ("end_learning_rate", "0.0".to_string()),
        ("power", num(a.float("power")?)),
    ];
    Ok(keras("PolynomialDecay", &args))
}

// ---- fastai -----------------------------------------------------------------------------------

fn fastai_fit(a: &Args) -> Result<Snippet, SpecError> {
    let call = match a.kind.name {
        "fit_one_cycle" => {
            let moms = a.floats("moms")?;
            let moms = format!("({})", moms.iter().map(|&m| num(m)).collect::<Vec<_>>().join(", "));
            let args = [
                ("lr_max", num(a.float("lr_max")?)),
                ("div", num(a.float("div")?)),
                ("div_final", num(a.float("div_final")?)),
                ("pct_start", num(a.float("pct_start")?)),
                ("moms", moms),
            ];
            format!("fit_one_cycle({}, {})", a.int("n_epoch")?, kwargs(&args))
        }
        "fit_flat_cos" => {
            let args = [
                ("lr", num(a.float("lr")?)),
                ("div_final", num(a.float("div_final")?)),
                ("pct_start", num(a.float("pct_start")?)),
            ];
            format!("fit_flat_cos({}, {})", a.int("n_epoch")?, kwargs(&args))
        }
        _ => {
            let args = [("lr_max", num(a.float("lr_max")?)), ("cycle_mult", int(a.int("cycle_mult")?))];
            format!("fit_sgdr({}, {}, {})", a.int("n_cycles")?, a.int("cycle_len")?, kwargs(&args))
        }
    };
    let mut s = Snippet::default();
    s.import("import fastai.callback.schedule  # adds fit_one_cycle, fit_sgdr and fit_flat_cos to Learner");
    s.import("from fastai.learner import Learner");
    s.line(format!(
        "# dls: your DataLoaders, with {} batches per training epoch; loss_func: your loss.",
        a.int("steps_per_epoch")?
    ));
    s.line("learn = Learner(dls, model, loss_func=loss_func)");
    s.line(format!("learn.{call}  # sets the rate every batch"));
    Ok(s)
}
