//! The parts every torch-based snippet shares: the optimizer line, the LambdaLR that gives any
//! kind's closed form, and where to step the scheduler.

use super::args::Args;
use super::closed_form::{forms, peak_rate};
use super::python::{num, Snippet};
use crate::spec::SpecError;

/// Where a torch scheduler steps: once per batch, after the optimizer.
pub(crate) const STEP_PER_BATCH: &str = "# Step it once per batch, after the optimizer:\n#     loss.backward()\n#     optimizer.step()\n#     optimizer.zero_grad()\n#     scheduler.step()";

/// A LambdaLR that also sets every group's momentum (Adam's beta1) from `momentum_at(step)`.
pub(crate) const LAMBDA_WITH_MOMENTUM: &str = r#"class LambdaLRWithMomentum(LambdaLR):
    """LambdaLR that also sets every group's momentum (Adam: beta1) to momentum_at(step)."""

    def __init__(self, optimizer, lr_lambda, momentum_at):
        self.momentum_at = momentum_at
        super().__init__(optimizer, lr_lambda)

    def step(self):
        super().step()
        momentum = self.momentum_at(self.last_epoch)
        for group in self.optimizer.param_groups:
            if momentum is None:
                continue
            if "betas" in group:
                group["betas"] = (momentum, group["betas"][1])
            else:
                group["momentum"] = momentum"#;

/// `import torch` and `optimizer = torch.optim.SGD(model.parameters(), lr=..., momentum=...)`.
pub(crate) fn with_sgd(lr: f64, momentum: Option<f64>) -> Snippet {
    let mut s = Snippet::default();
    s.import("import torch");
    let momentum = momentum.map(|m| format!(", momentum={}", num(m))).unwrap_or_default();
    s.line(format!("optimizer = torch.optim.SGD(model.parameters(), lr={}{momentum})", num(lr)));
    s
}

/// Any kind as a LambdaLR over its closed form (and its momentum, where it cycles it).
pub(crate) fn lambda_lr(args: &Args) -> Result<Snippet, SpecError> {
    let f = forms(args, "")?;
    let rate = peak_rate(args)?;
    let peak = num(rate);
    let momentum = if f.momentum { Some(momentum_at_zero(args)?) } else { None };
    let mut s = with_sgd(rate, momentum);
    for import in &f.imports {
        s.import(import);
    }
    s.import("from torch.optim.lr_scheduler import LambdaLR");
    for def in f.defs {
        s.def(def);
    }
    if f.momentum {
        s.def(LAMBDA_WITH_MOMENTUM.to_string());
        s.line(format!("scheduler = LambdaLRWithMomentum(optimizer, lambda step: lr_at(step) / {peak}, momentum_at)"));
    } else {
        s.line(format!("scheduler = LambdaLR(optimizer, lambda step: lr_at(step) / {peak})"));
    }
    s.line(STEP_PER_BATCH);
    Ok(s)
}

/// The momentum a cycling schedule starts at: the optimizer is created with it.
fn momentum_at_zero(args: &Args) -> Result<f64, SpecError> {
    Ok(args.schedule.momentum_at(0)?.unwrap_or(0.0))
}
