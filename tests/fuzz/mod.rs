//! Property-based fuzzing of the JSON-spec boundaries: a target is a name, valid seed inputs and
//! a function that parses (and, where accepted and small, uses) one input. The generator writes
//! near-valid inputs: seeds with values replaced by wild ones (NaN, ±Infinity, huge, negative,
//! wrong types, deep nesting), keys dropped or added from the target's own vocabulary (every
//! string in its seeds and field tables), and free-form JSON. A panic, or an error whose message
//! does not start with its field, fails the case; proptest shrinks it to a small input.
//!
//! `FUZZ_CASES` sets the cases per target (default 256: the whole suite stays well under 30 s);
//! `FUZZ_SAVE=1` writes each failing input to `tests/fixtures/fuzz-corpus/<target>/`, which
//! [`replay_corpus`] runs on every `cargo test`.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lr_playground::spec::SpecError;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::{Map, Value};

pub struct Target {
    pub name: &'static str,
    /// Valid inputs, which the generator mutates.
    pub seeds: Vec<Value>,
    /// Field tables (`Schedule.kinds()`, `Session.optionFields()`): more names for the vocabulary.
    pub tables: Vec<Value>,
    /// One execution: `Err` for a refused input, whose message must start with its field.
    pub run: fn(&Value) -> Result<(), SpecError>,
}

/// Cases per target: `FUZZ_CASES`, else a count small enough for every `cargo test`.
pub fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
}

/// Runs `target` on `cases()` generated inputs; reports executions, the slowest and the time.
pub fn fuzz(target: &Target) {
    let vocabulary = vocabulary(target);
    let strategy = input(target.seeds.clone(), vocabulary);
    let config = Config { cases: cases(), failure_persistence: None, max_shrink_iters: 4096, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let started = Instant::now();
    let slowest = RefCell::new((Duration::ZERO, Value::Null));
    let accepted = std::cell::Cell::new(0u64);
    let run = target.run;
    let result = runner.run(&strategy, |value| {
        let t = Instant::now();
        let outcome = check(run, &value);
        if outcome == Ok(true) {
            accepted.set(accepted.get() + 1);
        }
        let took = t.elapsed();
        if took > slowest.borrow().0 {
            *slowest.borrow_mut() = (took, value);
        }
        outcome.map(drop).map_err(TestCaseError::fail)
    });
    let slowest = slowest.into_inner();
    eprintln!(
        "fuzz {}: {} cases ({} accepted) in {:.1} s; slowest {:.1} ms: {}",
        target.name,
        cases(),
        accepted.get(),
        started.elapsed().as_secs_f64(),
        slowest.0.as_secs_f64() * 1e3,
        truncated(&slowest.1),
    );
    if let Err(TestError::Fail(why, value)) = &result {
        save(target.name, value);
        panic!("fuzz {}: {why}\ninput: {}", target.name, serde_json::to_string(value).unwrap_or_default());
    }
    if let Err(e) = result {
        panic!("fuzz {}: {e}", target.name);
    }
}

/// Runs every saved failing input of `target` again: none may panic or misname its field.
pub fn replay_corpus(target: &Target) -> usize {
    let dir = corpus_dir(target.name);
    let Ok(entries) = std::fs::read_dir(&dir) else { return 0 };
    let mut count = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Err(why) = check(target.run, &value) {
            panic!("{}: {why}", path.display());
        }
        count += 1;
    }
    count
}

/// One execution: whether the input was accepted; a panic or an error message that does not
/// start with its field is a failure.
fn check(run: fn(&Value) -> Result<(), SpecError>, value: &Value) -> Result<bool, String> {
    let outcome = std::panic::catch_unwind(|| run(value));
    match outcome {
        Ok(Ok(())) => Ok(true),
        Ok(Err(e)) if e.to_string().starts_with(&e.field) && !e.message.is_empty() => Ok(false),
        Ok(Err(e)) => Err(format!("an error that does not start with its field {:?}: {e}", e.field)),
        Err(panic) => {
            let what =
                panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            Err(format!("panicked: {}", what.unwrap_or_default()))
        }
    }
}

fn corpus_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-corpus").join(name)
}

/// With `FUZZ_SAVE=1`, a failing input is kept for [`replay_corpus`], named by its content.
fn save(name: &str, value: &Value) {
    if std::env::var("FUZZ_SAVE").as_deref() != Ok("1") {
        return;
    }
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    let dir = corpus_dir(name);
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(format!("{hash:016x}.json")), text + "\n");
}

fn truncated(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    if text.len() > 300 {
        let cut = (0..=300).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        format!("{}… ({} bytes)", &text[..cut], text.len())
    } else {
        text
    }
}

/// Every string in the seeds and tables: keys, kinds, choices. Field names to misuse.
fn vocabulary(target: &Target) -> Vec<String> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::String(s) if s.len() <= 40 && !s.contains(' ') => {
                out.insert(s.clone());
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Object(map) => {
                for (k, v) in map {
                    out.insert(k.clone());
                    walk(v, out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    target.seeds.iter().chain(&target.tables).for_each(|v| walk(v, &mut out));
    out.into_iter().collect()
}

/// Numbers where validation has edges: zero, signs, fractions, integer limits, f32 limits, and
/// the non-finite values as the JS boundary marks them.
fn number() -> impl Strategy<Value = Value> {
    let edges = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        2.0,
        3.0,
        7.0,
        1e-300,
        1e-8,
        0.999_999_9,
        1.000_000_1,
        100.0,
        255.0,
        256.0,
        257.0,
        1024.0,
        1025.0,
        4096.0,
        65536.0,
        1e5,
        1e6,
        1e9,
        1e9 + 1.0,
        4294967295.0,
        4294967296.0,
        9007199254740991.0,
        9007199254740993.0,
        1.8446744073709552e19,
        3.4028235e38,
        1e300,
        f64::MAX,
        -1e300,
        -9007199254740991.0,
    ];
    prop_oneof![
        4 => proptest::sample::select(edges.to_vec()).prop_map(to_json_number),
        2 => (0u64..300).prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(to_json_number),
        1 => proptest::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY])
            .prop_map(lr_playground::spec::non_finite),
    ]
}

fn to_json_number(x: f64) -> Value {
    if !x.is_finite() {
        return lr_playground::spec::non_finite(x);
    }
    if x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_991.0 {
        return if x >= 0.0 { Value::from(x as u64) } else { Value::from(x as i64) };
    }
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// Free-form JSON whose strings and keys come mostly from the vocabulary.
fn wild(vocabulary: Vec<String>) -> impl Strategy<Value = Value> {
    let words = proptest::sample::select(vocabulary);
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        5 => number(),
        3 => words.clone().prop_map(Value::String),
        1 => "\\PC{0,12}|<img src=x onerror=alert(1)>|%E0%A4%A|\\u{0}".prop_map(Value::String),
        1 => (1usize..5).prop_map(|k| Value::String("x".repeat(k * 25_000))),
    ];
    leaf.prop_recursive(8, 96, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((words.clone(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// What to do at one place in a seed.
#[derive(Clone, Debug)]
enum Edit {
    Replace(Value),
    Remove,
    Insert(String, Value),
    /// Puts the value one level down: `[v]` or `{kind: v}`.
    Wrap(bool),
    /// The value inside `depth` single-item lists: nesting past every limit.
    Bury(usize),
    /// An array item repeated: long lists.
    Repeat(usize),
    /// A number changed to another plausible one, the rest left valid: inputs that pass
    /// validation more often, so that what comes after it is fuzzed too.
    Number(f64),
}

fn edit(vocabulary: Vec<String>) -> impl Strategy<Value = Edit> {
    let words = proptest::sample::select(vocabulary.clone());
    prop_oneof![
        6 => wild(vocabulary.clone()).prop_map(Edit::Replace),
        2 => Just(Edit::Remove),
        2 => (words, wild(vocabulary)).prop_map(|(k, v)| Edit::Insert(k, v)),
        1 => any::<bool>().prop_map(Edit::Wrap),
        1 => (20usize..80).prop_map(Edit::Bury),
        1 => proptest::sample::select(vec![2usize, 17, 65, 257, 5000]).prop_map(Edit::Repeat),
        6 => proptest::sample::select(vec![0.0, 1e-8, 1e-3, 0.01, 0.1, 0.5, 0.9, 0.99, 1.0, 2.0, 3.0, 5.0, 10.0, 64.0, 100.0, 1000.0])
            .prop_map(Edit::Number),
    ]
}

/// Seeds with 1 to 3 edits (each at a place picked by index), or free-form JSON.
fn input(seeds: Vec<Value>, vocabulary: Vec<String>) -> impl Strategy<Value = Value> {
    let count = seeds.len();
    let edits = proptest::collection::vec((any::<usize>(), edit(vocabulary.clone())), 1..4);
    let mutated = (0..count, edits).prop_map(move |(i, edits)| {
        let mut value = seeds[i].clone();
        for (place, e) in edits {
            apply(&mut value, place, e);
        }
        value
    });
    prop_oneof![6 => mutated, 1 => wild(vocabulary)]
}

/// Applies `e` at the `place`-th value of a depth-first walk of `root` (modulo their count).
fn apply(root: &mut Value, place: usize, e: Edit) {
    if let Edit::Number(x) = e {
        let numbers = count_numbers(root);
        if let Some(n) = (numbers > 0).then(|| nth_number(root, &mut (place % numbers))).flatten() {
            *n = to_json_number(x);
        }
        return;
    }
    let count = count_values(root);
    let mut index = place % count;
    if let Some(target) = nth_value(root, &mut index) {
        match e {
            Edit::Replace(v) => *target = v,
            Edit::Remove => remove_one(target, place),
            Edit::Insert(k, v) => {
                if let Value::Object(map) = target {
                    map.insert(k, v);
                } else if let Value::Array(items) = target {
                    items.push(v);
                } else {
                    *target = v;
                }
            }
            Edit::Wrap(as_list) => {
                let inner = target.take();
                *target = if as_list { Value::Array(vec![inner]) } else { serde_json::json!({"kind": inner}) };
            }
            Edit::Bury(depth) => {
                for _ in 0..depth {
                    let inner = target.take();
                    *target = Value::Array(vec![inner]);
                }
            }
            Edit::Number(_) => {}
            Edit::Repeat(n) => {
                if let Value::Array(items) = target {
                    if let Some(first) = items.first().cloned() {
                        items.resize(n, first);
                    }
                }
            }
        }
    }
}

fn count_values(v: &Value) -> usize {
    1 + match v {
        Value::Array(items) => items.iter().map(count_values).sum(),
        Value::Object(map) => map.values().map(count_values).sum(),
        _ => 0,
    }
}

fn nth_value<'a>(v: &'a mut Value, index: &mut usize) -> Option<&'a mut Value> {
    if *index == 0 {
        return Some(v);
    }
    *index -= 1;
    match v {
        Value::Array(items) => items.iter_mut().find_map(|i| nth_value(i, index)),
        Value::Object(map) => map.values_mut().find_map(|i| nth_value(i, index)),
        _ => None,
    }
}

fn count_numbers(v: &Value) -> usize {
    match v {
        Value::Number(_) => 1,
        Value::Array(items) => items.iter().map(count_numbers).sum(),
        Value::Object(map) => map.values().map(count_numbers).sum(),
        _ => 0,
    }
}

fn nth_number<'a>(v: &'a mut Value, index: &mut usize) -> Option<&'a mut Value> {
    match v {
        Value::Number(_) if *index == 0 => Some(v),
        Value::Number(_) => {
            *index -= 1;
            None
        }
        Value::Array(items) => items.iter_mut().find_map(|i| nth_number(i, index)),
        Value::Object(map) => map.values_mut().find_map(|i| nth_number(i, index)),
        _ => None,
    }
}

fn remove_one(v: &mut Value, pick: usize) {
    match v {
        Value::Object(map) if !map.is_empty() => {
            let key = map.keys().nth(pick % map.len()).cloned().unwrap_or_default();
            map.remove(&key);
        }
        Value::Array(items) if !items.is_empty() => {
            items.remove(pick % items.len());
        }
        _ => *v = Value::Null,
    }
}
