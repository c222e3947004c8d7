//! The package's TypeScript types for every spec and option, written from the same field tables
//! the parsers validate against (`Schedule.kinds()`, `Session.optionFields()`, `surfaces()`,
//! `surfaceOptimizerFields()`, `planMethods()`, and the finder's, landscape's and surfaces'
//! `fields_json`), so a new schedule kind or option field gets its type without anyone writing it. The committed `src/web/types/specs.d.ts` must equal what this
//! writes; after changing a table, `LR_PLAYGROUND_WRITE_TYPES=1 cargo test --test native typescript`
//! rewrites it.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;

use lr_playground::{engine, finder, landscape, schedule, surface, transfer};
use serde_json::Value;

const WRITE_VAR: &str = "LR_PLAYGROUND_WRITE_TYPES";

fn specs_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/web/types/specs.d.ts")
}

/// The TypeScript type of a nested field (one the field tables leave to its own parser), by the
/// type that holds it, and whether the field may be left out (the tables cannot say: a nested
/// field's default lives in its parser). A new nested field must be named here: the generator
/// refuses to guess.
fn nested_type(table: &str, field: &str) -> Option<(&'static str, bool)> {
    Some(match (table, field) {
        // A run gives `schedule` or `phases`.
        ("RunOptions", "schedule") => ("ScheduleSpec", true),
        (_, "schedule") => ("ScheduleSpec", false),
        ("SequentialLRSpec", "schedules") => ("ScheduleSpec[]", false),
        ("SessionOptions", "optimizer") => ("OptimizerOptions", true),
        ("SessionOptions", "data") => ("DataOptions", false),
        ("SessionOptions", "groups") => ("number[][]", true),
        ("SessionOptions", "runs") => ("RunOptions[]", false),
        ("RunOptions", "phases") => ("PhaseOptions[]", true),
        ("OwnDataOptions" | "SyntheticDataOptions", "augment") => ("AugmentOptions", true),
        ("SurfaceGridOptions" | "TrajectorySpec", "surface") => ("SurfaceSpec", false),
        ("TrajectorySpec", "optimizer") => ("SurfaceOptimizerOptions", true),
        ("PlateauRaceFields", "schedules") => ("RaceSchedule[]", true),
        // optax's arguments as JSON: step → scale, and each cycle's warmup-cosine arguments.
        ("PiecewiseConstantScheduleSpec", "boundaries_and_scales") => ("Record<string, number>", false),
        ("SgdrScheduleSpec", "cosine_kwargs") => ("Omit<WarmupCosineDecayScheduleSpec, \"kind\">[]", false),
        _ => return None,
    })
}

/// Fields whose parser takes more than the table's type says: fastai's `lr_max` is a number or
/// a `slice` spreading rates over the groups (`transfer::rates`).
fn wider_type(table: &str, field: &str) -> Option<&'static str> {
    match (table, field) {
        ("FitOneCyclePlanSpec" | "FitSgdrPlanSpec", "lr_max") => Some("number | RateSlice"),
        _ => None,
    }
}

/// Whether a field may be left out.
fn optional(table: &str, field: &Value) -> bool {
    match field["type"].as_str() {
        Some("schedules") => nested_type(table, field["name"].as_str().unwrap_or_default()).is_some_and(|(_, o)| o),
        _ => field["required"] == false,
    }
}

/// A bound as people read it: `1000000000`, `3.4028234663852886e38`.
fn bound(x: f64) -> String {
    if x.abs() >= 1e15 {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// `fit_one_cycle` → `FitOneCycle`, `StepLR` → `StepLR`.
fn pascal(name: &str) -> String {
    name.split(['_', '-'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |first| first.to_uppercase().chain(chars).collect())
        })
        .collect()
}

fn quoted(values: impl IntoIterator<Item = String>) -> String {
    values.into_iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(" | ")
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect()
}

/// A choice's values, its aliases after them (`"sgd" | "adam" | "SGD" | "Adam"`).
fn choice_values(field: &Value) -> Vec<String> {
    let mut values = strings(&field["choices"]);
    values.extend(field["aliases"].as_object().into_iter().flatten().map(|(alias, _)| alias.clone()));
    values
}

fn field_type(table: &str, field: &Value) -> String {
    let name = field["name"].as_str().unwrap_or_default();
    if let Some(wide) = wider_type(table, name) {
        return wide.to_string();
    }
    let ty = match field["type"].as_str() {
        Some("float" | "int") => "number".to_string(),
        Some("bool") => "boolean".to_string(),
        Some("choice") => quoted(choice_values(field)),
        Some("int_list") => "number[]".to_string(),
        // Rows and parameters come as typed arrays (`session.params(run)` is a Float32Array).
        Some("float_list") => "number[] | Float32Array | Float64Array".to_string(),
        Some("bool_list") => "boolean[]".to_string(),
        Some("schedules" | "json") => nested_type(table, name)
            .unwrap_or_else(|| panic!("{table}.{name} is a nested field: give it a type in nested_type()"))
            .0
            .to_string(),
        other => panic!("{table}.{name}: no TypeScript type for field type {other:?}"),
    };
    // An explicit "none" default: null says the same as leaving the field out.
    if field.get("default") == Some(&Value::Null) {
        format!("{ty} | null")
    } else {
        ty
    }
}

/// What a field's doc comment says: its description, range, default and log scale.
fn field_doc(field: &Value) -> String {
    let mut doc = field["description"].as_str().unwrap_or_default().trim_end_matches('.').to_string();
    let min = field["min"]
        .as_f64()
        .map(|m| format!("{}{}", if field["min_exclusive"] == true { "(" } else { "[" }, bound(m)));
    if min.is_some() || field["max"].is_number() {
        let max = field["max"].as_f64().map_or("∞".to_string(), bound);
        let _ = write!(doc, "; in {}, {max}]", min.unwrap_or("(-∞".into()));
    }
    if let Some(default) = field.get("default").filter(|d| !d.is_null()) {
        let _ = write!(doc, "; default {default}");
    }
    if field["log"] == true {
        doc.push_str("; log scale");
    }
    doc
}

struct Writer {
    out: String,
    names: BTreeSet<String>,
}

impl Writer {
    fn doc(&mut self, indent: &str, text: &str) {
        if !text.is_empty() {
            let _ = writeln!(self.out, "{indent}/** {} */", text.replace("*/", "* /"));
        }
    }

    fn declare(&mut self, name: &str) {
        assert!(self.names.insert(name.to_string()), "two types would be named {name}");
    }

    /// `export interface name { tag: "value"; ...fields }`: the tag (a kind or method) first.
    fn interface(&mut self, name: &str, doc: &str, tag: Option<(&str, &str)>, fields: &[Value]) {
        self.declare(name);
        self.doc("", doc);
        let _ = writeln!(self.out, "export interface {name} {{");
        if let Some((key, value)) = tag {
            let _ = writeln!(self.out, "  {key}: {value};");
        }
        for field in fields {
            let field_name = field["name"].as_str().unwrap_or_default();
            if tag.is_some_and(|(key, _)| key.trim_end_matches('?') == field_name) {
                continue;
            }
            self.doc("  ", &field_doc(field));
            let optional = if optional(name, field) { "?" } else { "" };
            let _ = writeln!(self.out, "  {field_name}{optional}: {};", field_type(name, field));
        }
        self.out.push_str("}\n\n");
    }

    /// Untagged interfaces, each `(name, doc, fields)`.
    fn interfaces(&mut self, tables: &[(&str, &str, &Value)]) {
        for (name, doc, fields) in tables {
            self.interface(name, doc, None, &array(fields));
        }
    }

    fn union(&mut self, name: &str, doc: &str, members: &[String]) {
        self.declare(name);
        self.doc("", doc);
        let body = if members.is_empty() { "never".to_string() } else { members.join("\n  | ") };
        let _ = writeln!(self.out, "export type {name} =\n  | {body};\n");
    }

    fn alias(&mut self, name: &str, doc: &str, ty: &str) {
        self.declare(name);
        self.doc("", doc);
        let _ = writeln!(self.out, "export type {name} = {ty};\n");
    }

    /// One interface per entry of `entries`, tagged by `key`, and their union `union`.
    fn tagged_union(
        &mut self,
        union: &str,
        doc: &str,
        suffix: &str,
        key: &str,
        entries: &[(String, String, Vec<Value>)],
    ) {
        let mut members = Vec::new();
        let names: Vec<String> = entries.iter().map(|(tag, _, _)| pascal(tag)).collect();
        for (tag, description, fields) in entries {
            let base = pascal(tag);
            // A function and a class of one name (optax's exponential_decay, Keras's
            // ExponentialDecay): the function's type says it is the function.
            let twice = names.iter().filter(|n| **n == base).count() > 1;
            let function = twice && !tag.chars().any(char::is_uppercase);
            let name = format!("{base}{}{suffix}", if function { "Fn" } else { "" });
            self.interface(&name, description, Some((key, &format!("{tag:?}"))), fields);
            members.push(name);
        }
        self.union(union, doc, &members);
    }
}

fn array(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

/// One interface per optimizer of a `{optimizer_kind, optimizers: {sgd: [...], ...}}` table,
/// its `kind` the optimizer's name or a torch name that picks it (`"sgd" | "SGD"`), and their union.
fn optimizer_union(w: &mut Writer, union: &str, doc: &str, suffix: &str, table: &Value) {
    let aliases = table["optimizer_kind"]["aliases"].as_object().cloned().unwrap_or_default();
    let key = if table["optimizer_kind"]["required"] == false { "kind?" } else { "kind" };
    let mut members = Vec::new();
    for (name, fields) in table["optimizers"].as_object().into_iter().flatten() {
        let mut names = vec![name.clone()];
        names.extend(aliases.iter().filter(|(_, to)| to.as_str() == Some(name)).map(|(alias, _)| alias.clone()));
        let type_name = format!("{}{suffix}", pascal(name));
        w.interface(&type_name, &format!("The {name} optimizer"), Some((key, &quoted(names))), &array(fields));
        members.push(type_name);
    }
    w.union(union, doc, &members);
}

/// `(tag, description, fields)` of each entry of a described list (`Schedule.kinds()`'s kinds,
/// `surfaces()`, plan methods), for [`Writer::tagged_union`].
fn described(entries: &Value, tag: &str, fields: &str) -> Vec<(String, String, Vec<Value>)> {
    array(entries)
        .iter()
        .map(|e| {
            let description = e["description"].as_str().or(e["title"].as_str()).unwrap_or_default().to_string();
            (e[tag].as_str().unwrap_or_default().to_string(), description, array(&e[fields]))
        })
        .collect()
}

fn schedules(w: &mut Writer) {
    let kinds = schedule::kinds_json();
    let doc = "A learning-rate schedule, as `new Schedule(spec)` and a run's `schedule` take it.";
    w.tagged_union("ScheduleSpec", doc, "Spec", "kind", &described(&kinds, "kind", "fields"));
    w.alias("ScheduleKind", "Every schedule kind's name.", "ScheduleSpec[\"kind\"]");
    let libraries: BTreeSet<String> =
        array(&kinds).iter().filter_map(|k| k["library"].as_str().map(String::from)).collect();
    w.alias("ScheduleLibrary", "The library whose convention a schedule kind follows.", &quoted(libraries));
}

fn session_options(w: &mut Writer) {
    let options = engine::options::fields_json();
    w.interface("SessionOptions", "What `Session.create(options)` takes.", None, &array(&options["session"]));
    let doc = "A session's optimizer (`kind` as torch.optim names it, or in lower case).";
    optimizer_union(w, "OptimizerOptions", doc, "OptimizerOptions", &options);
    let data_kinds = quoted(strings(&options["data_kinds"]));
    let synthetic = array(&options["data"]);
    w.interface("SyntheticDataOptions", "A synthetic 2-D data set.", Some(("kind", &data_kinds)), &synthetic);
    w.interface("OwnDataOptions", "Your own rows.", None, &array(&options["own_data"]));
    let data = ["SyntheticDataOptions".to_string(), "OwnDataOptions".to_string()];
    w.union("DataOptions", "A session's data: a synthetic set or your own rows.", &data);
    w.alias("SyntheticDataKind", "The synthetic data sets.", &data_kinds);
    w.interfaces(&[
        ("AugmentOptions", "Transforms applied to the training rows as they are drawn.", &options["augment"]),
        ("RunOptions", "One run of a session: a schedule (or phases) and its seeds.", &options["run"]),
        ("PhaseOptions", "One phase of a run.", &options["phase"]),
        ("RunUpdate", "What `Session.updateRun(run, update)` changes from the next step on.", &options["run_update"]),
    ]);
}

fn surfaces_and_plans(w: &mut Writer) {
    let surfaces = described(&surface::surfaces_json(), "name", "params");
    w.tagged_union("SurfaceSpecObject", "An analytic surface with its parameters.", "SurfaceSpec", "kind", &surfaces);
    w.alias("SurfaceName", "Every analytic surface's name.", &quoted(surfaces.iter().map(|(name, _, _)| name.clone())));
    w.alias("SurfaceSpec", "A surface by name, or `{kind, ...params}`.", "SurfaceName | SurfaceSpecObject");
    let optimizers = surface::surface_optimizer_fields_json();
    let doc = "A trajectory's optimizer (default: plain SGD).";
    optimizer_union(w, "SurfaceOptimizerOptions", doc, "SurfaceOptimizerOptions", &optimizers);
    w.interfaces(&[
        ("SurfaceGridOptions", "What `surfaceGrid(options)` takes.", &surface::grid_fields_json()),
        (
            "TrajectorySpec",
            "One optimizer path on a surface, as `trajectory(spec)` takes it.",
            &surface::trajectory_fields_json(),
        ),
    ]);

    let methods = described(&transfer::methods_json()["methods"], "method", "fields");
    w.tagged_union("PlanSpec", "A per-group plan, as `planGroups(spec)` takes it.", "PlanSpec", "method", &methods);
    w.alias("PlanMethod", "Every per-group plan method's name.", "PlanSpec[\"method\"]");
}

fn finder_and_landscape(w: &mut Writer) {
    let finder = finder::fields_json();
    let mut conventions = Vec::new();
    for (convention, fields) in finder["range_test"].as_object().into_iter().flatten() {
        let name = format!("{}RangeTestOptions", pascal(convention));
        let by_default =
            fields.as_array().into_iter().flatten().any(|f| f["name"] == "convention" && f["default"] == *convention);
        let tag = (if by_default { "convention?" } else { "convention" }, format!("{convention:?}"));
        w.interface(&name, &format!("The range test as {convention} runs it."), Some((tag.0, &tag.1)), &array(fields));
        conventions.push(name);
    }
    let doc = "What `LrFinder.run(session, options)` takes: each convention with its own fields.";
    w.union("RangeTestOptions", doc, &conventions);

    let landscape = landscape::fields_json();
    let race = &landscape["plateau_race"];
    w.interfaces(&[
        ("VerifyOptions", "What `LrFinder.verify(session, options)` takes.", &finder["verify"]),
        ("LandscapeOptions", "What `session.landscape(options)` takes.", &landscape["landscape"]),
        (
            "ProjectTrajectoryOptions",
            "What `session.projectTrajectory(params, options)` takes.",
            &landscape["trajectory"],
        ),
        ("PlateauRaceFields", "The plateau race's own options.", &race["race"]),
    ]);
    let passed_on =
        format!("PlateauRaceFields & Partial<Pick<SessionOptions, {}>>", quoted(strings(&race["session_keys"])));
    let doc = "What `plateauRace(options)` takes: the race's options and the session options it passes on (its own defaults where left out).";
    w.alias("PlateauRaceOptions", doc, &passed_on);
}

/// The whole `specs.d.ts`.
fn generate() -> String {
    let mut w = Writer {
        out: String::from(
            "// Written by `LR_PLAYGROUND_WRITE_TYPES=1 cargo test --test native typescript` from the field\n\
             // tables the engine validates against (tests/native/typescript.rs). Do not edit by hand.\n\n",
        ),
        names: BTreeSet::new(),
    };
    schedules(&mut w);
    session_options(&mut w);
    surfaces_and_plans(&mut w);
    finder_and_landscape(&mut w);
    w.out.trim_end().to_string() + "\n"
}

#[test]
fn typescript_types_match_the_field_tables() {
    let generated = generate();
    let path = specs_path();
    if std::env::var_os(WRITE_VAR).is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: a field table changed. Run `{WRITE_VAR}=1 cargo test --test native typescript` and commit it.",
        path.display()
    );
}

#[test]
fn nested_fields_and_choices_get_their_types() {
    let text = generate();
    assert!(text.contains("export interface StepLRSpec {\n  kind: \"StepLR\";"), "{text}");
    assert!(text.contains("  step_size: number;\n"), "a required field is not optional");
    assert!(text.contains("  schedules: ScheduleSpec[];\n"), "SequentialLR nests schedules");
    assert!(text.contains("  kind: \"sgd\" | \"SGD\";\n"), "torch's names pick an optimizer");
    assert!(text.contains("  runs: RunOptions[];\n") || text.contains("  runs?: RunOptions[];\n"));
    assert!(text.contains("  frozen?: boolean[] | null;\n"), "a none default accepts null");
    assert!(text.contains("  schedule?: ScheduleSpec;\n"), "a run gives a schedule or phases");
    assert!(text.contains("  x: number[] | Float32Array | Float64Array;\n"), "own rows may be typed arrays");
    assert_eq!(text.matches("  lr_max?: number | RateSlice;\n").count(), 2, "fastai's methods take a slice");
    assert!(!text.split(|c: char| !c.is_alphanumeric()).any(|word| word == "any"), "no type is left open");
}

#[test]
fn a_nested_field_without_a_type_is_refused() {
    let field = serde_json::json!({"name": "weights", "type": "schedules", "required": true});
    let refusal = std::panic::catch_unwind(|| field_type("SessionOptions", &field)).unwrap_err();
    let message = refusal.downcast_ref::<String>().cloned().unwrap_or_default();
    assert_eq!(message, "SessionOptions.weights is a nested field: give it a type in nested_type()");
}
