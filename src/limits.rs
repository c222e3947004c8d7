//! Every bound on what a caller may ask for, and the work and memory formulas they are checked
//! with: no accepted spec can exhaust a wasm instance's memory or keep one call busy for long.
//! The parsers name these bounds in their messages; the checks here are the ones that combine
//! several fields.

use crate::spec::SpecError;

// Schedules

/// The largest step index any schedule accepts (and the largest count field).
pub const MAX_STEP: u64 = 1_000_000_000;
/// The most values one `sample` call returns (16 MB of f64s for lr and momentum together).
pub const MAX_SAMPLES: u64 = 1_000_000;
/// The most iterations a range test takes.
pub const MAX_NUM_IT: u64 = 100_000;

// The network and its data

/// The most Linear layers and the widest layer the engine accepts.
pub const MAX_LINEAR_LAYERS: usize = 8;
pub const MAX_WIDTH: usize = 1024;
/// A spiral's arms (one class each); the other synthetic sets have two classes.
pub const MIN_ARMS: usize = 2;
pub const MAX_ARMS: usize = 8;
/// Caller-supplied data: at most this many rows and features (a CSV table in the page).
pub const MAX_ROWS: usize = 1_000_000;
pub const MAX_OWN_FEATURES: u64 = 256;

// Sessions

pub const MAX_RUNS: usize = 256;
/// Phases one run may list.
pub const MAX_PHASES: usize = 64;
/// Memory bounds: parameters of all runs together (each has five copies: weights, gradients,
/// two moments, the previous weights), and one batch's activations through the widest layers.
pub const MAX_TOTAL_PARAMS: usize = 1 << 23;
pub const MAX_BATCH_VALUES: usize = 1 << 22;
/// With augmentation, a block's transformed inputs (steps × row sets × batch × features).
pub const MAX_AUGMENTED_VALUES: usize = 1 << 24;

// Calls on a session (the JavaScript API)

/// The most steps one `step()` call may take (a block is 32; this keeps a call under a second).
pub const MAX_STEPS_PER_CALL: u64 = 100_000;
/// `predictGrid`: points per axis, and grid points × Σ layer widths, the activations it holds at
/// once (64 MB of f32).
pub const MAX_PREDICT_GRID: u64 = 512;
pub const MAX_PREDICT_GRID_VALUES: f64 = (1u64 << 24) as f64;
/// The most candidates one verification trains (runs of the forked session).
pub const MAX_CANDIDATES: usize = 64;

// Per-group plans

/// The most optimizer steps one plan covers.
pub const MAX_PLAN_STEPS: u64 = 1_000_000;
/// The most table entries (steps × groups) one plan holds.
pub const MAX_PLAN_VALUES: u64 = 4_000_000;
/// Layer groups a plan may have: a plan is a table of its own, so it may have more groups than
/// a session's network has layers (a session refuses a plan whose groups do not fit it).
pub const MAX_PLAN_GROUPS: u64 = 16;

// Loss landscapes and the plateau race

/// The most snapshots a path may have, and the Gram matrix's work bound (snapshots² × parameters).
pub const MAX_SNAPSHOTS: usize = 1000;
pub const MAX_GRAM_WORK: f64 = (1u64 << 32) as f64;
/// Power iterations the PCA of a path takes at most before it settles for what it has.
pub const MAX_PCA_ITERATIONS: usize = 500;
/// Contestants in one plateau race.
pub const MAX_SCHEDULES: usize = 16;

// Analytic surfaces

/// Grid points per axis, at most (a 1024 × 1024 grid is 8 MB of values).
pub const MAX_SURFACE_GRID: u64 = 1024;
/// The most updates one trajectory takes.
pub const MAX_TRAJECTORY_STEPS: u64 = 100_000;
/// The most trajectories one call runs, and their updates together.
pub const MAX_TRAJECTORIES: usize = 64;
pub const MAX_TOTAL_TRAJECTORY_STEPS: u64 = 1_000_000;

// Arguments from JavaScript

/// Objects and lists may nest this deep (a schedule inside a phase inside a run is 5 levels).
pub const MAX_DEPTH: usize = 32;
/// The values one argument may hold in all (lists' items and objects' fields, at every level):
/// `data` of a million rows with two features and a label. About 100 MB as JSON in wasm.
pub const MAX_ITEMS: usize = 1 << 22;
/// The longest string, and the longest key: far more than any name or kind needs.
pub const MAX_STRING: u32 = 1 << 12;

// Training backends

/// The most steps one block holds: a session plans (and the GPU submits) at most this many at once.
pub const BLOCK_STEPS: usize = 32;

/// Layer groups the GPU training program's `Model` uniform has room for (`group_end`).
pub const MAX_GROUPS: usize = 8;
// Groups split the Linear layers, so a network has at most as many groups as layers.
const _: () = assert!(MAX_LINEAR_LAYERS <= MAX_GROUPS, "every network's groups must fit the GPU's Model uniform");

/// Precomputed body outputs all runs together hold at most (rows × width each): past that the
/// frozen layers are run forward every step instead, with the same results.
pub const MAX_PRECOMPUTED_VALUES: usize = 1 << 24;

/// Activation values one CPU evaluation pass holds at most (rows × Σ widths): sets larger than
/// that are evaluated in chunks of rows, so memory stays bounded whatever the set's size.
pub const EVAL_CHUNK_VALUES: usize = 1 << 20;

/// The most bytes of any one buffer a GPU evaluation call allocates, unless the evaluator is made
/// with its own budget: well under WebGPU's default 128 MiB storage binding.
pub const EVAL_BUFFER_BUDGET: u64 = 64 << 20;

/// `evaluate_params`: at most this many values in `points` (64 MB of f32).
pub const MAX_EVAL_VALUES: usize = 1 << 24;

/// The most multiply-adds one call may cause, so that every call finishes in seconds on the CPU
/// path too (wasm measured 0.25 G multiply-adds/s on a busy machine): a `step(n)`, an
/// `evaluate()`, a `predictGrid`, an `evaluateParams` (points × rows × parameters), a range test,
/// a verification, a landscape, a plateau race.
pub const MAX_CALL_WORK: f64 = (1u64 << 31) as f64;

/// A training step's multiply-adds per parameter per row: the forward pass and twice that back.
pub const TRAIN_WORK_PER_PARAM: f64 = 3.0;

// Memory

/// The most bytes the engine's live allocations may hold (sessions, snapshots, what a call is
/// working on), checked before each large allocation: far under wasm32's 4 GiB, so that memory
/// runs out as a refusal naming what to free, never as a trap.
pub const MEMORY_BUDGET: usize = 1 << 30;

/// Refuses `needed` more bytes for `what` when the `live` ones and they would pass
/// [`MEMORY_BUDGET`]; the message says what frees memory at once.
pub fn check_memory(live: usize, needed: usize, what: &str) -> Result<(), SpecError> {
    if live.saturating_add(needed) <= MEMORY_BUDGET {
        return Ok(());
    }
    Err(SpecError::new(
        "",
        format!(
            "{what}: needs {} MB more, and the engine already holds {} MB of its {} MB memory budget: call destroy() on the Sessions and free() on the Snapshots you no longer use (or declare them with using)",
            megabytes(needed),
            megabytes(live),
            MEMORY_BUDGET >> 20
        ),
    ))
}

/// Bytes in MB (2^20), one decimal.
fn megabytes(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / (1u64 << 20) as f64)
}

// Work and memory: the checks that combine fields

/// Multiply-adds of `steps` training steps of `runs` runs of `params` parameters at `batch` rows.
pub fn train_work(steps: f64, batch: f64, runs: f64, params: f64) -> f64 {
    steps * batch * runs * params * TRAIN_WORK_PER_PARAM
}

/// The parameters of every run together, against [`MAX_TOTAL_PARAMS`] (refused under `runs`).
pub fn check_total_params(runs: usize, per_run: usize) -> Result<(), SpecError> {
    let total = runs * per_run;
    if total > MAX_TOTAL_PARAMS {
        return Err(SpecError::new("runs", format!("{runs} runs × {per_run} parameters = {total}, more than the {MAX_TOTAL_PARAMS} a session holds: use fewer runs or a smaller network")));
    }
    Ok(())
}

/// One batch's activations through every layer (`widths`: Σ layer widths), against
/// [`MAX_BATCH_VALUES`] (refused under `batch_size`).
pub fn check_batch_values(batch_size: usize, widths: usize) -> Result<(), SpecError> {
    if batch_size * widths > MAX_BATCH_VALUES {
        let most = MAX_BATCH_VALUES / widths;
        return Err(SpecError::new("batch_size", format!("must be at most {most} for layers this wide (batch × Σ widths <= {MAX_BATCH_VALUES}), got {batch_size}")));
    }
    Ok(())
}

/// A block's transformed inputs when every step's rows are augmented anew, against
/// [`MAX_AUGMENTED_VALUES`] (refused under `data.augment`). `block_steps`: the steps of a block.
pub fn check_augmented_values(
    block_steps: usize,
    row_sets: usize,
    batch_size: usize,
    features: usize,
) -> Result<(), SpecError> {
    let values = block_steps * row_sets * batch_size * features;
    if values > MAX_AUGMENTED_VALUES {
        return Err(SpecError::new(
            "data.augment",
            format!("needs {block_steps} steps × {row_sets} row sets × {batch_size} rows × {features} features = {values} transformed inputs a block, more than {MAX_AUGMENTED_VALUES}: use a smaller batch, or fewer runs with their own data_seed"),
        ));
    }
    Ok(())
}

/// Refuses a session whose `evaluate()` (every `rows`, every run) or whose single training step
/// would pass [`MAX_CALL_WORK`]; returns the multiply-adds of one step of every run.
pub fn check_session_work(rows: usize, runs: usize, params: usize, batch_size: usize) -> Result<f64, SpecError> {
    let (rows, runs, p) = (rows as f64, runs as f64, params as f64);
    if rows * runs * p > MAX_CALL_WORK {
        return Err(SpecError::new(
            "data",
            format!(
                "{rows} rows × {runs} runs × {p} parameters = {} multiply-adds per evaluation, more than 2^31: use fewer rows, runs or a smaller network",
                rows * runs * p
            ),
        ));
    }
    let step_work = train_work(1.0, batch_size as f64, runs, p);
    if step_work > MAX_CALL_WORK {
        let most = (MAX_CALL_WORK / train_work(1.0, 1.0, runs, p)).floor();
        return Err(SpecError::new(
            "batch_size",
            format!(
                "must be at most {most} for {runs} runs of {p} parameters (batch × runs × parameters × 3 <= 2^31), got {batch_size}"
            ),
        ));
    }
    Ok(step_work)
}

/// A verification trains one run per candidate (`candidates` of them) for `steps` steps, then
/// evaluates each on every row: both within [`MAX_CALL_WORK`]. `step_work`: one step of one run;
/// `eval_work`: one evaluation of one run.
pub fn check_verify_work(candidates: usize, steps: u64, step_work: f64, eval_work: f64) -> Result<(), SpecError> {
    let k = candidates as f64;
    if k * eval_work > MAX_CALL_WORK {
        let most = (MAX_CALL_WORK / eval_work).floor();
        return Err(SpecError::new(
            "candidates",
            format!("must hold at most {most} rates for this session (rates × rows × parameters <= 2^31), got {k}"),
        ));
    }
    if k * steps as f64 * step_work > MAX_CALL_WORK {
        let most = (MAX_CALL_WORK / (k * step_work)).floor();
        return Err(SpecError::new(
            "steps",
            format!(
                "must be at most {most} for {k} rates on this session (rates × steps × batch × parameters × 3 <= 2^31), got {steps}"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_is_refused_with_the_most_that_fits() {
        assert_eq!(check_session_work(100, 2, 50, 32), Ok(train_work(1.0, 32.0, 2.0, 50.0)));
        let e = check_session_work(1000, 1, 1_000_000, 1000).err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("batch_size: must be at most 715 for 1 runs of 1000000 parameters (batch × runs × parameters × 3 <= 2^31), got 1000"));
        assert_eq!(check_verify_work(3, 100, 10.0, 10.0), Ok(()));
        let e = check_verify_work(4, 100, 1e7, 10.0).err().map(|e| e.into_parts().field);
        assert_eq!(e.as_deref(), Some("steps"));
    }

    #[test]
    fn memory_past_the_budget_is_refused_naming_what_frees_it() {
        assert_eq!(check_memory(MEMORY_BUDGET - 10, 10, "Session.create"), Ok(()));
        let e = check_memory(MEMORY_BUDGET - (1 << 20), 5 << 20, "Session.create").err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("Session.create: needs 5.0 MB more, and the engine already holds 1023.0 MB of its 1024 MB memory budget: call destroy() on the Sessions and free() on the Snapshots you no longer use (or declare them with using)")
        );
        assert_eq!(check_memory(usize::MAX, 1, "x").is_err(), true);
    }
}
