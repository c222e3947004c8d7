//! Python source assembly: literals written so Python reads back the same numbers, and a snippet
//! of imports, definitions and statements.

use std::collections::BTreeSet;

use serde_json::Value;

/// A float as Python reads it back bit for bit (Rust's shortest round-trip form is valid Python).
pub(crate) fn num(x: f64) -> String {
    format!("{x:?}")
}

pub(crate) fn int(x: u64) -> String {
    x.to_string()
}

pub(crate) fn boolean(x: bool) -> &'static str {
    if x {
        "True"
    } else {
        "False"
    }
}

pub(crate) fn string(s: &str) -> String {
    format!("{s:?}")
}

/// `[a, b, c]` of floats.
pub(crate) fn nums(xs: &[f64]) -> String {
    format!("[{}]", xs.iter().map(|&x| num(x)).collect::<Vec<_>>().join(", "))
}

/// `[a, b, c]` of integers.
pub(crate) fn ints(xs: &[u64]) -> String {
    format!("[{}]", xs.iter().map(|&x| int(x)).collect::<Vec<_>>().join(", "))
}

/// A JSON value as the Python literal it reads as (objects become dicts with string keys).
pub(crate) fn literal(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => boolean(*b).into(),
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(i), _) => int(i),
            (None, Some(x)) => num(x),
            (None, None) => n.to_string(),
        },
        Value::String(s) => string(s),
        Value::Array(items) => format!("[{}]", items.iter().map(literal).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| format!("{}: {}", string(k), literal(v)));
            format!("{{{}}}", entries.collect::<Vec<_>>().join(", "))
        }
    }
}

/// `name=value, name=value`.
pub(crate) fn kwargs(args: &[(&str, String)]) -> String {
    args.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join(", ")
}

/// A snippet: `import` lines (deduplicated, in order), top-level definitions (functions,
/// classes), and the statements that build what the user steps.
#[derive(Default, Debug, Clone)]
pub(crate) struct Snippet {
    imports: BTreeSet<String>,
    defs: Vec<String>,
    body: Vec<String>,
    /// The line that creates the optimizer, with the rate and momentum it starts at.
    optimizer: Option<OptimizerLine>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct OptimizerLine {
    line: usize,
    pub(crate) lr: f64,
    pub(crate) momentum: Option<f64>,
}

impl Snippet {
    pub(crate) fn import(&mut self, line: &str) -> &mut Self {
        self.imports.insert(line.to_string());
        self
    }

    /// A definition (several lines); one that is already there is not repeated.
    pub(crate) fn def(&mut self, source: String) -> &mut Self {
        if !self.defs.contains(&source) {
            self.defs.push(source);
        }
        self
    }

    pub(crate) fn line(&mut self, line: impl Into<String>) -> &mut Self {
        self.body.push(line.into());
        self
    }

    /// `line` creates the optimizer at rate `lr` (and `momentum`, where the schedule sets it).
    pub(crate) fn optimizer_line(&mut self, line: String, lr: f64, momentum: Option<f64>) -> &mut Self {
        self.optimizer = Some(OptimizerLine { line: self.body.len(), lr, momentum });
        self.line(line)
    }

    pub(crate) fn optimizer(&self) -> Option<OptimizerLine> {
        self.optimizer
    }

    /// Creates another optimizer instead, at the same rate and momentum.
    pub(crate) fn replace_optimizer(&mut self, line: String) {
        if let Some(slot) = self.optimizer.and_then(|o| self.body.get_mut(o.line)) {
            *slot = line;
        }
    }

    pub(crate) fn render(&self) -> String {
        // `import x` lines before `from x import y` lines, each group sorted.
        let (plain, from): (Vec<&String>, Vec<&String>) = self.imports.iter().partition(|l| l.starts_with("import "));
        let imports: Vec<&str> = plain.into_iter().chain(from).map(String::as_str).collect();
        let mut blocks = vec![imports.join("\n")];
        blocks.extend(self.defs.iter().cloned());
        blocks.push(self.body.join("\n"));
        let mut out = blocks.into_iter().filter(|b| !b.is_empty()).collect::<Vec<_>>().join("\n\n\n");
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_as_python_floats() {
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(1e-7), "1e-7");
        assert_eq!(num(25.0), "25.0");
        assert_eq!(num(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(ints(&[3, 10]), "[3, 10]");
        assert_eq!(string("cos"), "\"cos\"");
        let json = serde_json::json!([{"init_value": 0.0, "decay_steps": 100, "on": true, "end": null}]);
        assert_eq!(literal(&json), "[{\"decay_steps\": 100, \"end\": None, \"init_value\": 0.0, \"on\": True}]");
    }

    #[test]
    fn imports_come_first_then_definitions_then_statements() {
        let mut s = Snippet::default();
        s.import("from torch.optim.lr_scheduler import LambdaLR").import("import torch").import("import torch");
        s.def("def f(step):\n    return 1.0".into()).def("def f(step):\n    return 1.0".into());
        s.line("x = 1");
        assert_eq!(
            s.render(),
            "import torch\nfrom torch.optim.lr_scheduler import LambdaLR\n\n\ndef f(step):\n    return 1.0\n\n\nx = 1\n"
        );
    }
}
