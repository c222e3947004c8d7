//! The parts every torch-based snippet shares: the optimizer line, the LambdaLR that gives any
//! kind's closed form, and where to step the scheduler.

use super::args::Args;
use super::closed_form::{forms, peak_rate};
use super::python::{boolean, kwargs, num, Snippet};
use crate::engine::Optimizer;
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
    let momentum_arg = momentum.map(|m| format!(", momentum={}", num(m))).unwrap_or_default();
    s.optimizer_line(
        format!("optimizer = torch.optim.SGD(model.parameters(), lr={}{momentum_arg})", num(lr)),
        lr,
        momentum,
    );
    s
}

/// `optimizer = torch.optim.<class>(params, lr=..., ...)` for a session's optimizer, its momentum
/// (Adam: beta1) replaced by `momentum` where given; and the momentum it then has.
pub(crate) fn optimizer_line(params: &str, optimizer: Optimizer, lr: f64, momentum: Option<f64>) -> (String, f64) {
    let (class, args, momentum) = match optimizer {
        Optimizer::Sgd { momentum: own, dampening, nesterov, weight_decay } => {
            let m = momentum.unwrap_or(own);
            let args = [
                ("momentum", num(m)),
                ("dampening", num(dampening)),
                ("nesterov", boolean(nesterov).to_string()),
                ("weight_decay", num(weight_decay)),
            ];
            ("SGD", args.to_vec(), m)
        }
        Optimizer::Adam { beta1, beta2, eps, weight_decay, decoupled } => {
            let b1 = momentum.unwrap_or(beta1);
            let args = [
                ("betas", format!("({}, {})", num(b1), num(beta2))),
                ("eps", num(eps)),
                ("weight_decay", num(weight_decay)),
            ];
            (if decoupled { "AdamW" } else { "Adam" }, args.to_vec(), b1)
        }
    };
    (format!("optimizer = torch.optim.{class}({params}, lr={}, {})", num(lr), kwargs(&args)), momentum)
}

/// Any kind as a LambdaLR over its closed form (and its momentum, where it cycles it).
pub(crate) fn lambda_lr(args: &Args) -> Result<Snippet, SpecError> {
    let f = forms(args, "")?;
    // A schedule that is 0 throughout (optax and Keras allow it) still needs a rate to scale.
    let rate = Some(peak_rate(args)?).filter(|&r| r > 0.0).unwrap_or(1.0);
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
