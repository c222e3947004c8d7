//! A per-group plan as fastai's own calls: a `Learner` split into the plan's groups, then
//! `fit_one_cycle` (after `freeze_to`), `fine_tune` or `fit_sgdr` with the spec's arguments
//! (fastai's defaults are the plan's, so only what the spec gives is written).

use serde_json::Value;

use super::python::{int, num, Snippet};
use super::TARGET;
use crate::spec::SpecError;

/// The method's positional arguments, then the keyword arguments it may take from the spec.
fn signature(method: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match method {
        "fit_one_cycle" => (&["n_epoch"], &["lr_max", "div", "div_final", "pct_start", "moms"]),
        "fine_tune" => (&["epochs"], &["base_lr", "freeze_epochs", "lr_mult", "pct_start", "div"]),
        "fit_sgdr" => (&["n_cycles", "cycle_len"], &["lr_max", "cycle_mult"]),
        _ => return None,
    })
}

/// A spec value as Python: numbers, `{slice: [lo, hi]}` as `slice(lo, hi)`, lists as tuples.
fn python_value(value: &Value) -> String {
    match value {
        Value::Object(obj) => match obj.get("slice").and_then(Value::as_array).map(Vec::as_slice) {
            Some([Value::Null, hi]) => format!("slice({})", python_value(hi)),
            Some([lo, hi]) => format!("slice({}, {})", python_value(lo), python_value(hi)),
            _ => "None".into(),
        },
        Value::Array(items) => format!("({})", items.iter().map(python_value).collect::<Vec<_>>().join(", ")),
        Value::Number(n) => match n.as_u64() {
            Some(i) => int(i),
            None => num(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::Bool(b) => super::python::boolean(*b).into(),
        _ => "None".into(),
    }
}

/// `spec` has been validated by `Plan::from_spec`.
pub(super) fn fastai_plan(spec: &Value, n_groups: usize) -> Result<String, SpecError> {
    let method = spec.get("method").and_then(Value::as_str).unwrap_or("");
    let (positional, keywords) = signature(method).ok_or_else(|| {
        SpecError::new(TARGET.name, format!("fastai cannot express {method} exactly; these can: pytorch"))
    })?;
    let given = |name: &&'static str| spec.get(*name).filter(|v| !v.is_null()).map(|v| (*name, python_value(v)));
    let mut args: Vec<String> = positional.iter().filter_map(given).map(|(_, v)| v).collect();
    args.extend(keywords.iter().filter_map(given).map(|(name, v)| format!("{name}={v}")));
    let steps = spec.get("steps_per_epoch").and_then(Value::as_u64).unwrap_or(0);
    let mut s = Snippet::default();
    s.import("import fastai.callback.schedule  # adds fit_one_cycle, fine_tune and fit_sgdr to Learner");
    s.import("from fastai.learner import Learner");
    s.line(format!("# dls: your DataLoaders, with {steps} batches per training epoch; loss_func: your loss;"));
    s.line(format!("# splitter: splits your model's parameters into {n_groups} groups, first layers first."));
    s.line("learn = Learner(dls, model, loss_func=loss_func, splitter=splitter)");
    if let Some(k) = spec.get("freeze_to").and_then(Value::as_i64) {
        s.line(format!("learn.freeze_to({k})"));
    }
    s.line(format!("learn.{method}({})  # sets every group's rate every batch", args.join(", ")));
    Ok(s.render())
}
