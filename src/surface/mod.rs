//! Analytic 2-D loss surfaces and the paths optimizers take over them: the saddles, valleys and
//! plateaus where a learning rate (and its schedule) decides whether a run crawls, escapes or
//! diverges. Float64 throughout, with torch.optim's update rules and the crate's schedules, so
//! each path is the one PyTorch takes (`tests/fixtures/gen_surfaces.py`).
//!
//! - `surfaces`: the surfaces, their gradients and metadata.
//! - `optimizer_options`: the optimizers a trajectory takes, as a spec names them.
//! - `optimizers`: SGD, Adam, AdamW, RMSprop and Adagrad on one 2-D parameter.
//! - `trajectory`: a validated request and the path it gives.
//! - `escape`: when a path has left a saddle.
//! - `grid`: a surface's values on a grid.

mod escape;
mod grid;
mod optimizer_options;
mod optimizers;
mod surfaces;
mod trajectory;

pub use escape::{read_trajectory, EscapeQuery};
pub use grid::{grid_fields_json, GridSpec};
pub use optimizer_options::{surface_optimizer_fields_json, Adagrad, AnyOptimizer, RmsProp};
pub use surfaces::{surfaces_json, Bounds, Surface, SurfaceKind, KINDS};
pub use trajectory::{trajectory_fields_json, Trajectory, TrajectorySpec};
