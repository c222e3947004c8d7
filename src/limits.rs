//! Every bound a user can reach, and the work formulas checked against them, in one place.

// Training backends

/// The most steps one block holds: a session plans (and the GPU submits) at most this many at once.
pub const BLOCK_STEPS: usize = 32;

/// Layer groups the GPU training program's `Model` uniform has room for (`group_end`).
pub const MAX_GROUPS: usize = 8;
// Groups split the Linear layers, so a network has at most as many groups as layers.
const _: () =
    assert!(crate::model::MAX_LINEAR_LAYERS <= MAX_GROUPS, "every network's groups must fit the GPU's Model uniform");

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
