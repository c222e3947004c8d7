//! The engine's memory budget: every allocation of the wasm instance is counted, so a call that
//! would allocate much checks the bytes live now plus its own against `MEMORY_BUDGET` first,
//! and a caller who never destroys its sessions gets an `Error` naming what to free instead of
//! an allocation that traps.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::engine::runs::STATE_SECTIONS;
use crate::limits::check_memory;
use crate::model::Mlp;
use crate::spec::SpecError;

/// Bytes allocated and not yet freed, by anything in the instance.
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting. A failed allocation is about to trap: the engine is marked
/// broken first, so that pending promises reject with an `Error` that says so.
struct Counting;

// SAFETY: every call is forwarded to `System` with the same arguments; only the count is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        counted(System.alloc(layout), layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        counted(System.alloc_zeroed(layout), layout.size())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = System.realloc(ptr, layout, new_size);
        if !moved.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        counted(moved, new_size)
    }
}

fn counted(ptr: *mut u8, size: usize) -> *mut u8 {
    if ptr.is_null() {
        super::broken::break_engine();
    } else {
        LIVE.fetch_add(size, Ordering::Relaxed);
    }
    ptr
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Refuses `bytes` more for `what` (`Session.create`) past the budget.
pub fn reserve(bytes: usize, what: &str) -> Result<(), SpecError> {
    check_memory(LIVE.load(Ordering::Relaxed), bytes, what)
}

/// Bytes `runs` runs' state holds: `STATE_SECTIONS` f32 copies of their `params` parameters
/// (a snapshot's size).
pub fn state_bytes(runs: usize, params: usize) -> usize {
    (runs * params * STATE_SECTIONS).saturating_mul(4)
}

/// Bytes a session of `runs` runs of `mlp` on `rows` rows, `batch` a batch, holds, roughly and
/// from above: its runs' state, the rows' inputs and targets (twice: the options and the data
/// set), and each run's activations and their gradients for one batch through every layer.
pub fn session_bytes(runs: usize, mlp: &Mlp, rows: usize, batch: usize) -> usize {
    let data = 2 * rows * (mlp.inputs() + mlp.outputs());
    let activations = 2 * runs * batch * mlp.layers.iter().sum::<usize>();
    state_bytes(runs, mlp.param_count()).saturating_add((data + activations).saturating_mul(4))
}
