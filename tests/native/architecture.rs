//! The rules that keep the house readable, checked on the sources themselves (ARCHITECTURE.md
//! says why): the crate's modules import only downwards through the layers, no two files import
//! each other even through others, and no source file grows past 700 lines.
//!
//! Imports are read from `use` items and `crate::` paths outside `#[cfg(test)]` code (a test may
//! look anywhere); a path is resolved to the deepest module file it names.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 700;

/// The crate's top-level modules, bottom layer first: a module may import only from modules of a
/// lower rank. Same-rank modules are peers and stay apart.
const LAYERS: &[&[&str]] = &[
    &["spec", "rng", "stats"],
    &["limits"],
    &["model", "schedule", "gpu"],
    &["data"],
    &["engine"],
    &["finder", "transfer"],
    &["surface", "landscape", "export"],
    &["web"],
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sources(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// `src/engine/backend/cpu.rs` -> ["engine", "backend", "cpu"]; `mod.rs` and `lib.rs` name their folder.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root().join("src")).unwrap().with_extension("");
    let mut segments: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    if matches!(segments.last().map(String::as_str), Some("mod" | "lib")) {
        segments.pop();
    }
    segments
}

/// The trees of the `use` items in `code` (`pub use`, `pub(crate) use` too), each up to its `;`.
fn use_items(code: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut lines = code.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(rest) = line
            .strip_prefix("use ")
            .or_else(|| line.split_once(") use ").map(|(_, r)| r))
            .or_else(|| line.strip_prefix("pub use "))
        else {
            continue;
        };
        let mut item = rest.to_string();
        while !item.contains(';') {
            let Some(more) = lines.next() else { break };
            item.push_str(more);
        }
        items.push(item.split(';').next().unwrap_or("").to_string());
    }
    items
}

/// `a::{b, c::{d, e}}` -> ["a::b", "a::c::d", "a::c::e"].
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else { return vec![tree.to_string()] };
    let prefix = tree[..open].trim_end_matches("::");
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut parts, mut depth, mut current) = (Vec::new(), 0, String::new());
    for ch in inner.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(ch);
    }
    parts.push(current);
    let join = |item: &str| match (prefix, item) {
        (p, "self") => p.to_string(),
        ("", i) => i.to_string(),
        (p, i) => format!("{p}::{i}"),
    };
    parts.iter().filter(|p| !p.trim().is_empty()).flat_map(|p| expand(p)).map(|p| join(&p)).collect()
}

/// The file a path used in `file` names, if it is one of the crate's own.
fn resolve(file: &Path, path: &str, files: &BTreeMap<Vec<String>, PathBuf>) -> Option<PathBuf> {
    let path = path.split(" as ").next()?.trim();
    let mut segments = path.split("::").map(str::trim).filter(|s| !s.is_empty()).peekable();
    let mut base = module_path(file);
    match segments.peek().copied() {
        Some("crate") => {
            base.clear();
            segments.next();
        }
        Some("super") => {
            while segments.peek() == Some(&"super") {
                base.pop();
                segments.next();
            }
        }
        Some("self") => {
            segments.next();
        }
        _ => return None,
    }
    base.extend(segments.map(String::from));
    (0..=base.len()).rev().find_map(|k| files.get(&base[..k]).cloned())
}

/// Each source file and the crate files it imports.
fn import_graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let mut paths = Vec::new();
    sources(&root().join("src"), "rs", &mut paths);
    let files: BTreeMap<Vec<String>, PathBuf> = paths.iter().map(|p| (module_path(p), p.clone())).collect();
    let mut graph = BTreeMap::new();
    for file in &paths {
        let text = fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let mut used: Vec<String> = use_items(code).iter().flat_map(|item| expand(item)).collect();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            used.push(rest[..end].trim_end_matches(':').to_string());
        }
        let targets = used.iter().filter_map(|p| resolve(file, p, &files)).filter(|t| t != file).collect();
        graph.insert(file.clone(), targets);
    }
    graph
}

fn top_module(file: &Path) -> String {
    module_path(file).first().cloned().unwrap_or_else(|| "lib".into())
}

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn shown(file: &Path) -> String {
    file.strip_prefix(root()).unwrap_or(file).display().to_string()
}

#[test]
fn every_module_imports_only_from_the_layers_below_it() {
    let mut wrong = Vec::new();
    for (file, targets) in import_graph() {
        let from = top_module(&file);
        if from == "lib" {
            continue;
        }
        let Some(from_rank) = rank(&from) else {
            wrong.push(format!("{}: module {from} is in no layer (add it to LAYERS)", shown(&file)));
            continue;
        };
        for target in targets {
            let to = top_module(&target);
            if to != from && rank(&to).is_none_or(|r| r >= from_rank) {
                wrong.push(format!("{} imports {} ({from} may not use {to})", shown(&file), shown(&target)));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
}

#[test]
fn no_files_import_each_other_even_through_others() {
    let graph = import_graph();
    // A file on a circle reaches itself: a depth-first walk from each file.
    let mut circles = BTreeSet::new();
    for start in graph.keys() {
        let (mut stack, mut seen) = (vec![start.clone()], BTreeSet::new());
        while let Some(file) = stack.pop() {
            for next in graph.get(&file).into_iter().flatten() {
                if next == start {
                    circles.insert(shown(start));
                } else if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
    }
    assert!(circles.is_empty(), "files on an import circle: {circles:?}");
}

#[test]
fn the_import_reader_sees_nested_groups_and_parents() {
    assert_eq!(expand("crate::a::{b, c::{d, self}}"), ["crate::a::b", "crate::a::c::d", "crate::a::c"]);
    let files = BTreeMap::from([
        (vec!["engine".to_string()], PathBuf::from("src/engine/mod.rs")),
        (vec!["engine".to_string(), "runs".to_string()], PathBuf::from("src/engine/runs.rs")),
    ]);
    let plan = root().join("src/engine/plan.rs");
    assert_eq!(resolve(&plan, "super::runs::Layout", &files), Some(PathBuf::from("src/engine/runs.rs")));
    assert_eq!(resolve(&plan, "super::Session", &files), Some(PathBuf::from("src/engine/mod.rs")));
    assert_eq!(resolve(&plan, "serde::Serialize", &files), None);
}

#[test]
fn no_source_file_is_over_700_lines() {
    let mut files = Vec::new();
    sources(&root().join("src"), "rs", &mut files);
    sources(&root().join("www"), "js", &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = fs::read_to_string(f).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", shown(f)))
        })
        .collect();
    assert!(long.is_empty(), "split these by subject: {long:?}");
}
