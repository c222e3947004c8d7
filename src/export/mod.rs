//! Copy as code: Python that gives, step for step, the rates the page shows, in the library the
//! user trains with: a schedule (`exportCode`), a Train run (`exportRunCode`) or a per-group plan
//! (`exportPlanCode`). `tests/fixtures/gen_code_export.py` runs every exported case in the real
//! libraries; the native tests hold the snippets and the recorded rates to the engine's.

mod args;
mod closed_form;
mod fastai_plan;
mod float32_forms;
mod kinds;
mod own_library;
mod python;
mod run;
mod timm_forms;
mod torch;
mod transformers_forms;

use serde_json::{Map, Value};

use crate::schedule::Library;
use crate::spec::{names, options_object, Field, Preset, Reader, SpecError};
pub use run::{export_plan, export_run};

/// The libraries a snippet can be written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    PyTorch,
    Transformers,
    Timm,
    Optax,
    Keras,
    Fastai,
}

impl Target {
    pub const NAMED: [(Target, &'static str); 6] = [
        (Target::PyTorch, "pytorch"),
        (Target::Transformers, "transformers"),
        (Target::Timm, "timm"),
        (Target::Optax, "optax"),
        (Target::Keras, "keras"),
        (Target::Fastai, "fastai"),
    ];
    pub const NAMES: [&'static str; 6] = names(&Self::NAMED);

    pub fn name(self) -> &'static str {
        crate::spec::name_of(&Self::NAMED, self)
    }

    /// A kind's own library; PyTorch for the kinds of libraries that build on it (ULMFiT, this project).
    fn of_library(library: Library) -> Target {
        Self::NAMED.iter().find(|(_, name)| *name == library.name()).map_or(Target::PyTorch, |(t, _)| *t)
    }
}

pub(crate) const TARGET: Field = Field::choice(
    "target",
    &Target::NAMES,
    "The library the code is written for (none: the schedule's own library; PyTorch for ULMFiT's and lr-playground's kinds)",
)
.default(Preset::Null);
const OPTION_FIELDS: &[Field] = &[TARGET];

/// The `{target}` option; `None` where it is not given. Errors name `target`.
pub(crate) fn read_target(options: &Value) -> Result<Option<Target>, SpecError> {
    let empty = Map::new();
    target_of(&Reader::new(options_object(options, &empty)?, OPTION_FIELDS)?)
}

/// The `target` field of export options read with `r`.
pub(crate) fn target_of(r: &Reader) -> Result<Option<Target>, SpecError> {
    match r.given(&TARGET) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => r.pick(&TARGET, &Target::NAMED).map(Some),
    }
}

/// The targets that can express `kind`, for the error that refuses another and for the page's picker.
pub fn targets_for(kind: &str) -> Vec<&'static str> {
    kinds::targets_for(kind).into_iter().map(Target::name).collect()
}

/// Python that gives `spec`'s rates (and momentum) step for step in `options.target`'s library.
/// Errors: the spec's own (as `Schedule::from_spec`; `spec` for the spec itself), the options'
/// (`options` for the options themselves), or `target` where that library cannot express the kind
/// exactly (the message names those that can).
pub fn export_schedule(spec: &Value, options: &Value) -> Result<String, SpecError> {
    let target = read_target(options).map_err(|e| e.at_root("options"))?;
    let args = args::Args::read(spec).map_err(|e| e.at_root("spec"))?;
    let target = target.unwrap_or_else(|| Target::of_library(args.kind.library));
    let export = kinds::exporter(args.kind.name, target).ok_or_else(|| cannot_express(args.kind.name, target))?;
    Ok(export(&args)?.render())
}

fn cannot_express(kind: &str, target: Target) -> SpecError {
    let can = targets_for(kind);
    let can = if can.is_empty() { "none yet".to_string() } else { can.join(", ") };
    SpecError::new(TARGET.name, format!("{} cannot express {kind} exactly; these can: {can}", target.name()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn code(spec: Value, options: Value) -> String {
        export_schedule(&spec, &options).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_pytorch_kind_becomes_its_own_scheduler() {
        let c = code(json!({"kind": "StepLR", "lr": 0.1, "step_size": 30}), Value::Null);
        assert_eq!(
            c,
            "import torch\nfrom torch.optim.lr_scheduler import StepLR\n\n\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\nscheduler = StepLR(optimizer, step_size=30, gamma=0.1)\n# Step it once per batch, after the optimizer:\n#     loss.backward()\n#     optimizer.step()\n#     optimizer.zero_grad()\n#     scheduler.step()\n"
        );
    }

    #[test]
    fn the_default_target_is_the_kinds_own_library() {
        let spec = json!({"kind": "fit_flat_cos", "n_epoch": 2, "steps_per_epoch": 5});
        assert!(code(spec.clone(), Value::Null).contains("learn.fit_flat_cos(2, lr=0.001"));
        assert!(code(spec, json!({"target": "pytorch"})).contains("scheduler = LambdaLR(optimizer"));
        let ulmfit = json!({"kind": "SlantedTriangular", "total_steps": 100});
        assert!(code(ulmfit, json!({})).contains("LambdaLR"));
    }

    #[test]
    fn a_cycled_momentum_starts_the_optimizer_and_is_set_every_step() {
        let c =
            code(json!({"kind": "fit_one_cycle", "n_epoch": 1, "steps_per_epoch": 8}), json!({"target": "pytorch"}));
        assert!(c.contains("lr=0.001, momentum=0.95)"), "{c}");
        assert!(c.contains("LambdaLRWithMomentum(optimizer, lambda step: lr_at(step) / 0.001, momentum_at)"), "{c}");
        let cyclic = code(json!({"kind": "CyclicLR", "base_lr": 0.001, "max_lr": 0.006}), Value::Null);
        assert!(cyclic.contains("lr=0.006, momentum=0.9)") && cyclic.contains("cycle_momentum=True"), "{cyclic}");
    }

    #[test]
    fn a_target_that_cannot_express_the_kind_names_those_that_can() {
        let e =
            export_schedule(&json!({"kind": "CyclicLR", "base_lr": 0.1, "max_lr": 0.2}), &json!({"target": "optax"}))
                .unwrap_err();
        assert_eq!(e.field, "target");
        assert_eq!(e.to_string(), "target: optax cannot express CyclicLR exactly; these can: pytorch");
    }

    #[test]
    fn bad_options_name_their_field() {
        let spec = json!({"kind": "Constant"});
        let e = export_schedule(&spec, &json!({"target": "jax"})).unwrap_err();
        assert_eq!(e.field, "target");
        assert!(e.to_string().contains("pytorch | transformers | timm | optax | keras | fastai"), "{e}");
        assert_eq!(export_schedule(&spec, &json!({"targets": "jax"})).unwrap_err().field, "targets");
        assert_eq!(export_schedule(&spec, &json!(3)).unwrap_err().field, "options");
        assert_eq!(export_schedule(&json!([1]), &Value::Null).unwrap_err().field, "spec");
        assert_eq!(export_schedule(&json!({"kind": "StepLR"}), &Value::Null).unwrap_err().field, "step_size");
    }

    fn example_spec(kind: &crate::schedule::Kind) -> Value {
        let mut spec = serde_json::Map::new();
        spec.insert("kind".into(), json!(kind.name));
        for f in kind.fields {
            if let Some(example) = f.describe().get("example") {
                spec.insert(f.name.into(), example.clone());
            }
        }
        Value::Object(spec)
    }

    #[test]
    fn every_kind_exports_to_its_own_library() {
        for kind in crate::schedule::KINDS {
            let c = export_schedule(&example_spec(kind), &Value::Null);
            let c = c.unwrap_or_else(|e| panic!("{}: {e}", kind.name));
            let builds = ["scheduler = ", "schedule = ", "learn."].iter().any(|b| c.contains(b));
            assert!(builds, "{}: {c}", kind.name);
        }
    }

    #[test]
    fn every_kind_of_a_float64_library_exports_to_pytorch_and_the_float32_ones_where_the_table_says() {
        for kind in crate::schedule::KINDS {
            let c = export_schedule(&example_spec(kind), &json!({"target": "pytorch"}));
            let float32 = matches!(kind.library, Library::Optax | Library::Keras);
            if float32 && !targets_for(kind.name).contains(&"pytorch") {
                let e = c.expect_err(kind.name);
                assert_eq!(e.field, "target", "{}", kind.name);
                continue;
            }
            let c = c.unwrap_or_else(|e| panic!("{}: {e}", kind.name));
            let steps = c.contains("scheduler.step()") || c.contains("scheduler.step(val_loss)");
            assert!(c.contains("scheduler = ") && steps, "{}: {c}", kind.name);
        }
    }

    #[test]
    fn the_new_libraries_call_their_own_functions_with_the_specs_arguments() {
        let hf = json!({"kind": "get_cosine_with_min_lr_schedule_with_warmup", "lr": 0.01, "num_warmup_steps": 5, "num_training_steps": 50, "min_lr": 0.001});
        assert!(code(hf, Value::Null).contains(
            "scheduler = get_cosine_with_min_lr_schedule_with_warmup(optimizer, num_warmup_steps=5, num_training_steps=50, num_cycles=0.5, min_lr=0.001)"
        ));
        let timm = json!({"kind": "StepLRScheduler", "lr": 0.1, "decay_t": 30});
        let timm = code(timm, Value::Null);
        assert!(timm.contains("StepLRScheduler(optimizer, decay_t=30.0, decay_rate=1.0, warmup_t=0, warmup_lr_init=0.0, warmup_prefix=True, t_in_epochs=False)"), "{timm}");
        assert!(timm.contains("scheduler.step_update(num_updates=t)"), "{timm}");
        let optax = json!({"kind": "piecewise_constant_schedule", "init_value": 0.1, "boundaries_and_scales": {"600": 0.5, "30": 0.1}});
        assert!(code(optax, Value::Null).contains(
            "schedule = optax.piecewise_constant_schedule(init_value=0.1, boundaries_and_scales={30: 0.1, 600: 0.5})"
        ));
        let keras = json!({"kind": "PiecewiseConstantDecay", "boundaries": [10], "values": [0.1, 0.01]});
        assert!(code(keras, Value::Null).contains(
            "schedule = keras.optimizers.schedules.PiecewiseConstantDecay(boundaries=[10], values=[0.1, 0.01])"
        ));
        let plateau =
            code(json!({"kind": "ReduceLROnPlateau", "lr": 0.1, "patience": 3}), json!({"target": "pytorch"}));
        assert!(plateau.contains("ReduceLROnPlateau(optimizer, mode=\"min\", factor=0.1, patience=3,"), "{plateau}");
        let e = export_schedule(&json!({"kind": "ReduceLROnPlateau"}), &json!({"target": "timm"})).unwrap_err();
        assert_eq!(e.to_string(), "target: timm cannot express ReduceLROnPlateau exactly; these can: pytorch");
        let e = export_schedule(
            &json!({"kind": "CosineDecay", "initial_learning_rate": 0.1, "decay_steps": 10}),
            &json!({"target": "pytorch"}),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "target: pytorch cannot express CosineDecay exactly; these can: keras");
    }
}
