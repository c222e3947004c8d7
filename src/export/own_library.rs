//! The kinds of transformers, timm, optax and Keras, and PyTorch's `ReduceLROnPlateau`, each
//! exported as its own library's call with the spec's arguments by name (defaults written out, so
//! the snippet does not depend on the library's defaults staying the same).

use super::args::Args;
use super::kinds::{keras, optax, timm, Export, KindExport};
use super::python::{kwargs, num, Snippet};
use super::torch::{lambda_lr, with_sgd, STEP_PER_BATCH};
use super::Target;
use crate::schedule::sort_by_step;
use crate::spec::SpecError;

// transformers and timm compute in float64: PyTorch's LambdaLR over the same arithmetic matches.
const TRANSFORMERS: &[(Target, Export)] = &[(Target::Transformers, transformers_call), (Target::PyTorch, lambda_lr)];
const TIMM: &[(Target, Export)] = &[(Target::Timm, timm_call), (Target::PyTorch, lambda_lr)];
const OPTAX: &[(Target, Export)] = &[(Target::Optax, optax_call)];
const KERAS: &[(Target, Export)] = &[(Target::Keras, keras_call)];
// These few give, in float64, the float32 values within float32's rounding.
const KERAS_AND_PYTORCH: &[(Target, Export)] = &[(Target::Keras, keras_call), (Target::PyTorch, lambda_lr)];

pub(crate) const EXPORTS: &[KindExport] = &[
    KindExport { kind: "get_constant_schedule_with_warmup", targets: TRANSFORMERS },
    KindExport { kind: "get_linear_schedule_with_warmup", targets: TRANSFORMERS },
    KindExport { kind: "get_cosine_schedule_with_warmup", targets: TRANSFORMERS },
    KindExport { kind: "get_cosine_with_hard_restarts_schedule_with_warmup", targets: TRANSFORMERS },
    KindExport { kind: "get_polynomial_decay_schedule_with_warmup", targets: TRANSFORMERS },
    KindExport { kind: "get_inverse_sqrt_schedule", targets: TRANSFORMERS },
    KindExport { kind: "get_cosine_with_min_lr_schedule_with_warmup", targets: TRANSFORMERS },
    KindExport { kind: "get_wsd_schedule", targets: TRANSFORMERS },
    KindExport { kind: "CosineLRScheduler", targets: TIMM },
    KindExport { kind: "TanhLRScheduler", targets: TIMM },
    KindExport { kind: "PolyLRScheduler", targets: TIMM },
    KindExport { kind: "StepLRScheduler", targets: TIMM },
    KindExport { kind: "MultiStepLRScheduler", targets: TIMM },
    KindExport { kind: "warmup_cosine_decay_schedule", targets: OPTAX },
    KindExport { kind: "warmup_exponential_decay_schedule", targets: OPTAX },
    KindExport { kind: "linear_onecycle_schedule", targets: OPTAX },
    KindExport { kind: "cosine_onecycle_schedule", targets: OPTAX },
    KindExport {
        kind: "piecewise_constant_schedule",
        targets: &[(Target::Optax, optax_piecewise), (Target::PyTorch, lambda_lr)],
    },
    KindExport { kind: "exponential_decay", targets: OPTAX },
    KindExport { kind: "polynomial_schedule", targets: OPTAX },
    KindExport { kind: "sgdr_schedule", targets: OPTAX },
    KindExport { kind: "CosineDecay", targets: KERAS },
    KindExport { kind: "CosineDecayRestarts", targets: KERAS },
    KindExport { kind: "PiecewiseConstantDecay", targets: KERAS_AND_PYTORCH },
    KindExport { kind: "InverseTimeDecay", targets: KERAS_AND_PYTORCH },
    KindExport { kind: "PolynomialDecay", targets: KERAS },
    KindExport { kind: "ExponentialDecay", targets: KERAS_AND_PYTORCH },
    KindExport { kind: "ReduceLROnPlateau", targets: &[(Target::PyTorch, reduce_on_plateau)] },
];

/// `scheduler = get_...(optimizer, ...)` from `transformers.optimization`, on an SGD at `lr`.
fn transformers_call(a: &Args) -> Result<Snippet, SpecError> {
    let name = a.kind.name;
    let mut s = with_sgd(a.float("lr")?, None);
    s.import(&format!("from transformers.optimization import {name}"));
    s.line(format!("scheduler = {name}(optimizer, {})", kwargs(&a.python_kwargs(&["lr"])?)));
    s.line(STEP_PER_BATCH);
    Ok(s)
}

fn timm_call(a: &Args) -> Result<Snippet, SpecError> {
    Ok(timm(a.float("lr")?, a.kind.name, &a.python_kwargs(&["lr"])?))
}

fn optax_call(a: &Args) -> Result<Snippet, SpecError> {
    Ok(optax(format!("{}({})", a.kind.name, kwargs(&a.python_kwargs(&[])?))))
}

/// optax compares the step with each boundary as a number: the keys are written as integers.
fn optax_piecewise(a: &Args) -> Result<Snippet, SpecError> {
    let mut args = a.python_kwargs(&["boundaries_and_scales"])?;
    let scales = a.json("boundaries_and_scales")?.and_then(|v| v.as_object());
    let mut entries = Vec::new();
    for (boundary, scale) in scales.into_iter().flatten() {
        let step: u64 = boundary.trim().parse().map_err(|_| {
            SpecError::new("boundaries_and_scales", format!("has a boundary that is not a step: {boundary:?}"))
        })?;
        let scale = scale
            .as_f64()
            .ok_or_else(|| SpecError::new("boundaries_and_scales", "has a scale that is not a number"))?;
        entries.push((step, scale));
    }
    sort_by_step(&mut entries);
    let table = entries.iter().map(|&(step, scale)| format!("{step}: {}", num(scale))).collect::<Vec<_>>().join(", ");
    args.push(("boundaries_and_scales", format!("{{{table}}}")));
    Ok(optax(format!("{}({})", a.kind.name, kwargs(&args))))
}

fn keras_call(a: &Args) -> Result<Snippet, SpecError> {
    Ok(keras(a.kind.name, &a.python_kwargs(&[])?))
}

/// The one scheduler driven by a metric: stepped with the validation loss, not once per batch.
fn reduce_on_plateau(a: &Args) -> Result<Snippet, SpecError> {
    let mut s = with_sgd(a.float("lr")?, None);
    s.import("from torch.optim.lr_scheduler import ReduceLROnPlateau");
    s.line(format!("scheduler = ReduceLROnPlateau(optimizer, {})", kwargs(&a.python_kwargs(&["lr"])?)));
    s.line("# Step it with the validation loss each time you evaluate (every eval_every batches), not every batch:\n#     val_loss = evaluate(model)\n#     scheduler.step(val_loss)");
    Ok(s)
}
